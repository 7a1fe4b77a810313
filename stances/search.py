"""Full-text search over articles and evidence sentences, forgiving accents, with phrases.

On PostgreSQL: `SearchVector` in the `english_unaccent` text search configuration (english
with `unaccent` before the stemmer, built by stances migration 0011) matched against a
web-style query ("a phrase" in quotes, -word, or), served by GIN indexes on the very same
expressions (the migration builds them from these functions, so query and index cannot drift
apart). Elsewhere (SQLite): every word and every quoted phrase must appear, compared on
accent-folded, case-folded text (the SQL function `fold`, registered on each connection).
"""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import CharField, Func, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ingest.models import Article

from .forms import IsoDateInput
from .models import Country, Evidence, Position, ReviewStatus

CONFIG = "english_unaccent"


def article_vector(config: str = CONFIG) -> SearchVector:
    return SearchVector("title", "text", config=config)


def evidence_vector(config: str = CONFIG) -> SearchVector:
    return SearchVector("sentence", config=config)


# A query is a few words: longer input is cut, and tokens that are only operators or
# punctuation ("-----", which PostgreSQL's websearch parser turns into a tsquery deeper than
# its stack) are dropped. Quotes stay: they make a phrase.
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 16
_NOT_A_WORD = re.compile(r"^[\W_]+$")


def search_terms(raw: str) -> str:
    words = [w for w in raw.replace("\x00", " ")[:MAX_QUERY_CHARS].split()
             if not _NOT_A_WORD.match(w)]
    return " ".join(words[:MAX_QUERY_WORDS])


def fold(text: str | None) -> str:
    """`text` without accents, case-folded: "Söder" and "SODER" both become "soder"."""
    if text is None:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def register_fold(sender, connection, **kwargs) -> None:
    """connection_created: SQLite learns `fold` (deterministic, so usable in any query)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("fold", 1, fold, deterministic=True)


class Fold(Func):
    function = "fold"
    output_field = CharField()


_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


def phrases(q: str) -> list[str]:
    """The words and quoted phrases of a query, folded, without quotes and operators."""
    found = []
    for phrase, word in _TOKEN.findall(q):
        if phrase:
            text = " ".join(fold(phrase).split())
        else:
            text = fold(word).strip("\"'-")
            if text == "or":
                continue
        text = text.strip(".,;:!?()[]")
        if text and not _NOT_A_WORD.match(text):
            found.append(text)
    return found[:10]


def _words_q(q: str, fields: list[str]) -> Q:
    match = Q()
    for text in phrases(q):
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}_folded__contains": text})
        match &= any_field
    return match


def _folded(rows: QuerySet, fields: list[str]) -> QuerySet:
    return rows.alias(**{f"{name}_folded": Fold(name) for name in fields})


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


def articles_search(q: str, rows: QuerySet[Article] | None = None) -> QuerySet[Article]:
    rows = Article.objects.all() if rows is None else rows
    if not q:
        return rows.order_by("-published", "-pk")
    if connection.vendor == "postgresql":
        return _full_text(rows, article_vector(), q)
    fields = ["title", "text"]
    return _folded(rows, fields).filter(_words_q(q, fields)).order_by("-published", "-pk")


def evidence_search(q: str, stance_filter: Q | None = None) -> QuerySet[Evidence]:
    """Among the sentences readers may see: accepted evidence of approved stances, of the
    stances `stance_filter` admits. (On PostgreSQL the stance's status is checked on the
    ranked matches, outside the text match, so that the planner keeps to the GIN index.)"""
    stance_filter = stance_filter or Q()
    if not q:
        return Evidence.objects.public().filter(stance_filter).order_by("-pk")
    if connection.vendor == "postgresql":
        rows = Evidence.objects.accepted().filter(stance_filter)
        return _full_text(rows, evidence_vector(), q).public()
    fields = ["sentence"]
    return (
        _folded(Evidence.objects.public().filter(stance_filter), fields)
        .filter(_words_q(q, fields))
        .order_by("-pk")
    )


# Highlighting: done in Python on the folded text, so it marks what the search forgave
# (accents, case) and, roughly, what a stemmer did (a word's endings).
SNIPPET_CHARS = 240


def _pattern(q: str) -> re.Pattern | None:
    parts = []
    for text in phrases(q):
        if " " in text:
            parts.append(r"\s+".join(re.escape(w) for w in text.split()))
        else:
            stem = text[:-1] if len(text) > 3 and text.endswith("s") else text
            parts.append(re.escape(stem) + r"\w*")
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(sorted(parts, key=len, reverse=True)) + ")")


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original one."""
    out: list[str] = []
    where: list[int] = []
    for i, char in enumerate(text):
        f = fold(char)
        out.append(f)
        where.extend([i] * len(f))
    return "".join(out), where


def without_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with each (start, end) span replaced by an ellipsis."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = f"{text[:start]} … {text[end:]}"
    return text


def highlight(text: str, q: str, *, limit: int | None = None) -> SafeString:
    """`text` escaped, with the words and phrases of `q` in <mark>. With `limit`, only a
    window of about that many characters around the first match (or the start)."""
    text = text or ""
    pattern = _pattern(q)
    spans: list[tuple[int, int]] = []
    if pattern:
        folded, where = _folded_with_map(text)
        for m in pattern.finditer(folded):
            if m.end() > m.start():
                spans.append((where[m.start()], where[m.end() - 1] + 1))
    start, end = 0, len(text)
    if limit and len(text) > limit:
        first = spans[0][0] if spans else 0
        start = max(0, first - limit // 3)
        end = min(len(text), start + limit)
        spans = [(a, b) for a, b in spans if a >= start and b <= end]
    pieces = ["…" if start else ""]
    at = start
    for a, b in spans:
        if a < at:
            continue
        pieces.append(escape(text[at:a]))
        pieces.append(f"<mark>{escape(text[a:b])}</mark>")
        at = b
    pieces.append(escape(text[at:end]))
    pieces.append("…" if end < len(text) else "")
    return mark_safe("".join(pieces))  # noqa: S308 - every piece of text is escaped above


class SearchForm(forms.Form):
    """The search page's GET parameters: the query and filters on the statements
    (`?q=...&country=pl&position=pledge&since=2025-03-01&until=2025-09-30`)."""

    q = forms.CharField(required=False, label="Articles and evidence")  # search_terms cuts it
    country = forms.ChoiceField(required=False)
    position = forms.ChoiceField(
        choices=[("", "Any position"), *Position.choices], required=False
    )
    since = forms.DateField(required=False, label="Said from", widget=IsoDateInput())
    until = forms.DateField(required=False, label="until", widget=IsoDateInput())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # One query for both the choices and the validation: the countries readers can
        # find a statement of.
        self.countries = {
            c.slug: c
            for c in Country.objects.filter(stances__status=ReviewStatus.APPROVED).distinct()
        }
        self.fields["country"].choices = [
            ("", "Any country"), *((c.slug, c.name) for c in self.countries.values())
        ]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            del data["since"], data["until"]
            raise forms.ValidationError("The first date comes after the second.")
        return data

    def terms(self) -> str:
        self.is_valid()
        return search_terms(self.cleaned_data.get("q") or "")

    def stance_filter(self, prefix: str = "stance__") -> Q:
        """The valid filters as a condition on stances (through `prefix`): a filter given
        wrong is shown as an error and left out, the others still apply."""
        self.is_valid()
        match = Q()
        data = self.cleaned_data
        if data.get("country"):
            match &= Q(**{f"{prefix}country": self.countries[data["country"]]})
        if data.get("position"):
            match &= Q(**{f"{prefix}position": data["position"]})
        if data.get("since"):
            match &= Q(**{f"{prefix}statement_date__gte": data["since"]})
        if data.get("until"):
            match &= Q(**{f"{prefix}statement_date__lte": data["until"]})
        return match
