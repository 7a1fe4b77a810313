"""Sentences the extractor could not place ("needs a position"): kept beside the claims
when an article is extracted, checked against the article's text, capped, and never doubled
or revived by extracting again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import F

from ingest.extraction import EXTRACTOR_VERSION
from ingest.models import Article
from ingest.services import article_extract
from stances.models import Candidate, Stance
from stances.services import candidates_record

from .factories import make_article, make_candidate
from .test_curation_flow import seeds  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

# Three sentences on the topic that name countries without a position the rules can read.
TALKS = "Germany and Poland discussed the reassurance force for Ukraine on Thursday."
PARIS = "The reassurance force was discussed in Paris, where Germany was represented."
MELONI = (
    '"We talked about the reassurance force," Italian Prime Minister Giorgia Meloni said of Italy.'
)
# And one the rules do place: a claim, not a candidate.
PLEDGE = (
    "France is ready to send troops to Ukraine as part of a reassurance force once a "
    "ceasefire is agreed, President Emmanuel Macron said on Thursday."
)


def _article(*sentences: str) -> Article:
    return make_article("Talks in Europe\n\n" + " ".join(sentences), published=dt.date(2025, 9, 5))


def _open(article: Article) -> list[tuple[str, str]]:
    return sorted(
        Candidate.objects.filter(article=article, status="open").values_list(
            "country__iso2", "sentence"
        )
    )


# --- Kept when an article is extracted ---------------------------------------------------


def test_extracting_an_article_keeps_each_undecided_country_beside_the_claims(topic):
    article = _article(PLEDGE, TALKS)
    assert article_extract(article_id=article.pk) == 1
    # The claim is a proposed stance; the sentence it could not decide is one row per country.
    assert Stance.objects.get().country.iso2 == "FR"
    assert _open(article) == [("DE", TALKS), ("PL", TALKS)]
    row = Candidate.objects.get(article=article, country__iso2="DE")
    assert article.text[row.start : row.end] == row.sentence == TALKS
    assert (row.statement_date, row.date_precision) == (dt.date(2025, 9, 4), "day")
    assert row.extractor_version == EXTRACTOR_VERSION and row.topic == topic
    article.refresh_from_db()
    assert (article.status, article.status_detail) == ("extracted", "")


def test_the_speaker_the_date_and_the_quote_are_kept():
    article = _article(MELONI)
    article_extract(article_id=article.pk)
    row = Candidate.objects.get(article=article)
    assert (row.country.iso2, row.actor_name, row.quote) == ("IT", "Giorgia Meloni", True)
    assert (row.statement_date, row.date_precision) == (dt.date(2025, 9, 5), "approximate")


def test_extracting_again_neither_doubles_nor_reopens_what_a_curator_decided(curator):
    article = _article(TALKS, PARIS)
    article_extract(article_id=article.pk)
    assert Candidate.objects.count() == 4  # DE, PL; FR (Paris), DE again in its own sentence
    dismissed = Candidate.objects.get(article=article, country__iso2="PL")
    dismissed.status, dismissed.reviewed_by = "dismissed", curator
    dismissed.reviewed_at = dismissed.created_at
    dismissed.save()

    article_extract(article_id=article.pk)
    article_extract(article_id=article.pk)
    assert Candidate.objects.count() == 4
    dismissed.refresh_from_db()
    assert dismissed.status == "dismissed"
    assert ("PL", TALKS) not in _open(article)


def test_an_article_keeps_at_most_the_cap_and_says_how_many_more(settings):
    settings.EXTRACTION_MAX_CANDIDATES = 2
    article = _article(TALKS, PARIS, MELONI)  # five rows' worth
    article_extract(article_id=article.pk)
    # The first in the text are kept; the rest are counted on the article, not lost silently.
    assert _open(article) == [("DE", TALKS), ("PL", TALKS)]
    article.refresh_from_db()
    assert article.status == "extracted"
    assert "3 more sentence(s) needing a position were not kept" in article.status_detail
    assert "at most 2 (EXTRACTION_MAX_CANDIDATES)" in article.status_detail
    article_extract(article_id=article.pk)
    assert Candidate.objects.count() == 2


@dataclass(frozen=True)
class Found:
    countries: tuple[str, ...]
    sentence: str
    start: int
    end: int
    actor: str | None = None
    date: dt.date | None = None
    date_precision: str = "unknown"


def test_a_sentence_that_is_not_the_article_text_there_is_refused_and_said():
    article = _article(TALKS)
    start = article.text.index(TALKS)
    good = Found(("DE",), TALKS, start, start + len(TALKS))
    shifted = Found(("PL",), TALKS, start + 1, start + 1 + len(TALKS))
    unknown = Found(("ZZ",), TALKS, start, start + len(TALKS))
    result = candidates_record(
        article=article, candidates=[good, shifted, unknown], extractor_version="t"
    )
    assert _open(article) == [("DE", TALKS)]
    assert result.created == 1
    assert "run past the end of the article" in result.detail
    assert "unknown country code 'ZZ'" in result.detail


def test_claims_and_candidates_are_kept_together_or_not_at_all(monkeypatch):
    import stances.services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(stances.services, "candidates_record", broken)
    article = _article(PLEDGE, TALKS)
    assert article_extract(article_id=article.pk) == 0
    article.refresh_from_db()
    assert article.status == "failed" and "disk full" in article.status_detail
    assert not Stance.objects.exists()  # the claim went back with the candidates


def test_the_database_refuses_a_second_row_for_one_span_and_an_unknown_status():
    row = make_candidate("DE")
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.create(
            topic=row.topic,
            article=row.article,
            country=row.country,
            sentence=row.sentence,
            start=row.start,
            end=row.end,
            extractor_version="t",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=row.pk).update(status="maybe")
    with pytest.raises(IntegrityError), transaction.atomic():
        Candidate.objects.filter(pk=row.pk).update(status="dismissed")  # no time of decision


def test_the_seeds_leave_sentences_for_curators_and_extracting_again_adds_none(
    seeds,  # noqa: F811
):
    call_command("ingest", str(seeds), "--sync")
    rows = list(Candidate.objects.select_related("article"))
    assert len(rows) >= 10
    for row in rows:
        assert row.article.text[row.start : row.end] == row.sentence
    # What the rules decided is a proposal; what they could not is kept, not lost.
    assert not Candidate.objects.filter(
        country__stances__evidence__start=F("start"),
        country__stances__evidence__article=F("article"),
    ).exists()
    before = (Stance.objects.count(), Candidate.objects.count())
    for article in Article.objects.all():
        article_extract(article_id=article.pk)
    assert (Stance.objects.count(), Candidate.objects.count()) == before
