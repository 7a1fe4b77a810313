"""Full-text search over articles and evidence sentences.

On PostgreSQL: `SearchVector` matched against a web-style query, served by GIN indexes on
the very same expressions (migrations ingest 0003 and stances 0005 build them from these
functions, so query and index cannot drift apart). Elsewhere (SQLite): every word must
appear, case-insensitively.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from ingest.models import Article

from .models import Evidence

CONFIG = "english"


def article_vector() -> SearchVector:
    return SearchVector("title", "text", config=CONFIG)


def evidence_vector() -> SearchVector:
    return SearchVector("sentence", config=CONFIG)


# A query is a few words: longer input is cut, and tokens that are only operators or
# punctuation ("-----", which PostgreSQL's websearch parser turns into a tsquery deeper than
# its stack) are dropped.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 16
_NOT_A_WORD = re.compile(r"^[\W_]+$")


def search_terms(raw: str) -> str:
    words = [w for w in raw.replace("\x00", " ")[:MAX_QUERY_CHARS].split()
             if not _NOT_A_WORD.match(w)]
    return " ".join(words[:MAX_QUERY_WORDS])


def _words_q(q: str, fields: list[str]) -> Q:
    match = Q()
    for word in q.split()[:10]:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        match &= any_field
    return match


# Ranking recomputes each row's vector: done for the latest matches only, so a word
# found in a hundred thousand rows costs no more than a rare one.
RANKED = 500


def _full_text(rows: QuerySet, vector: SearchVector, q: str) -> QuerySet:
    query = SearchQuery(q, config=CONFIG, search_type="websearch")
    latest = rows.annotate(document=vector).filter(document=query).order_by("-pk")
    return (
        rows.filter(pk__in=latest.values("pk")[:RANKED])
        .annotate(rank=SearchRank(vector, query))
        .order_by("-rank", "-pk")
    )


def articles_search(q: str) -> QuerySet[Article]:
    if connection.vendor == "postgresql":
        return _full_text(Article.objects.all(), article_vector(), q)
    return Article.objects.filter(_words_q(q, ["title", "text"])).order_by("-published", "-pk")


def evidence_search(q: str) -> QuerySet[Evidence]:
    """Among the sentences readers may see: accepted evidence of approved stances. (On
    PostgreSQL the stance's status is checked on the ranked matches, outside the text
    match, so that the planner keeps to the GIN index there.)"""
    if connection.vendor == "postgresql":
        return _full_text(Evidence.objects.accepted(), evidence_vector(), q).public()
    return Evidence.objects.public().filter(_words_q(q, ["sentence"])).order_by("-pk")
