"""Extracted claims become proposed stances; repeated reports corroborate, never duplicate."""

import datetime as dt
from dataclasses import dataclass

import pytest

from stances.models import Actor, ActorAlias, Evidence, Stance
from stances.services import claims_record

from .factories import make_actor, make_article, make_outlet

pytestmark = pytest.mark.django_db

SENTENCE = "Chancellor Merz said Germany would decide in due course."


@dataclass(frozen=True)
class Claim:
    country: str
    position: str
    sentence: str
    start: int
    end: int
    actor: str | None = None
    actor_role: str | None = None
    actor_country: str | None = None
    actor_speaks_for_government: bool | None = None
    actor_is_new: bool = False
    date: dt.date | None = None
    date_precision: str = "unknown"
    quote: bool = False
    confidence: float = 0.8


def claim_in(article, sentence=SENTENCE, **kw) -> Claim:
    start = article.text.index(sentence)
    return Claim(sentence=sentence, start=start, end=start + len(sentence), **kw)


def record(article, *claims):
    return claims_record(article=article, claims=list(claims), extractor_version="rules-test")


def test_a_claim_becomes_a_proposed_stance_with_evidence_and_matched_actor():
    merz = make_actor("Friedrich Merz", "DE")
    ActorAlias.objects.create(actor=merz, alias="Merz")
    article = make_article("Intro. " + SENTENCE)
    result = record(
        article,
        claim_in(
            article,
            country="DE",
            position="hedge",
            actor="Merz",
            date=dt.date(2025, 9, 4),
            date_precision="day",
        ),
    )
    stance = result.created[0]
    assert (stance.status, stance.position, stance.actor, stance.extractor_version) == (
        "proposed",
        "hedge",
        merz,
        "rules-test",
    )
    assert (stance.statement_date, stance.date_precision) == (dt.date(2025, 9, 4), "day")
    evidence = stance.evidence.get()
    assert article.text[evidence.start : evidence.end] == SENTENCE
    assert evidence.kind == "reported"


def test_recording_the_same_article_twice_adds_nothing():
    article = make_article(SENTENCE)
    claim = claim_in(
        article,
        country="DE",
        position="hedge",
        date=dt.date(2025, 9, 4),
        date_precision="approximate",
    )
    record(article, claim)
    record(article, claim)
    assert Stance.objects.count() == 1
    assert Evidence.objects.count() == 1


def test_reports_of_one_claim_days_apart_corroborate_one_stance():
    first = make_article(SENTENCE, outlet=make_outlet("Wire A"))
    second = make_article("Later: " + SENTENCE + " More.", outlet=make_outlet("Wire B"))
    record(
        first,
        claim_in(
            first,
            country="DE",
            position="hedge",
            date=dt.date(2025, 9, 5),
            date_precision="approximate",
            confidence=0.6,
        ),
    )
    result = record(
        second,
        claim_in(
            second,
            country="DE",
            position="hedge",
            date=dt.date(2025, 9, 4),
            date_precision="day",
            confidence=0.9,
        ),
    )
    assert result.created == [] and len(result.corroborated) == 1
    stance = Stance.objects.get()
    assert stance.evidence.count() == 2
    # The later report knew the exact day: the proposal takes it, and the better confidence.
    assert (stance.statement_date, stance.date_precision, stance.confidence) == (
        dt.date(2025, 9, 4),
        "day",
        0.9,
    )


def test_a_claim_weeks_later_is_a_new_stance():
    first = make_article(SENTENCE)
    second = make_article("Weeks on, " + SENTENCE)
    record(
        first,
        claim_in(
            first, country="DE", position="hedge", date=dt.date(2025, 9, 4), date_precision="day"
        ),
    )
    record(
        second,
        claim_in(
            second, country="DE", position="hedge", date=dt.date(2025, 10, 20), date_precision="day"
        ),
    )
    assert Stance.objects.count() == 2


def test_a_rejected_claim_stays_rejected_when_extracted_again(curator):
    first = make_article(SENTENCE)
    stance = record(first, claim_in(first, country="DE", position="pledge")).created[0]
    stance.reject(curator, reason="Not a pledge.")
    again = make_article("Reprinted: " + SENTENCE)
    record(again, claim_in(again, country="DE", position="pledge"))
    stance.refresh_from_db()
    assert Stance.objects.count() == 1
    assert stance.status == "rejected"
    assert stance.evidence.count() == 2


def test_an_unknown_person_with_role_and_nationality_is_proposed_as_a_new_actor():
    sentence = "Croatian Prime Minister Andrej Plenković said Croatia would not send troops."
    article = make_article(sentence)
    record(
        article,
        claim_in(
            article,
            sentence,
            country="HR",
            position="rejection",
            actor="Andrej Plenković",
            actor_role="Prime Minister",
            actor_country="HR",
            actor_speaks_for_government=True,
            actor_is_new=True,
        ),
    )
    actor = Actor.objects.get(name="Andrej Plenković")
    assert actor.country.iso2 == "HR"
    assert actor.needs_review and actor.speaks_for_government
    assert actor.role == "Prime Minister"
    assert Stance.objects.get().actor == actor


def test_claims_for_unknown_country_codes_are_skipped_and_reported():
    article = make_article(SENTENCE)
    result = record(article, claim_in(article, country="XX", position="pledge"))
    assert result.skipped == ["unknown country code 'XX'"]
    assert not Stance.objects.exists()


def test_quotes_are_marked_as_direct_quotes():
    sentence = "“We will send troops,” the minister said."
    article = make_article(sentence)
    record(article, claim_in(article, sentence, country="FR", position="pledge", quote=True))
    assert Evidence.objects.get().kind == "quote"


def test_one_article_makes_a_bounded_number_of_stances_and_sentences(settings, client,
                                                                      curator):
    """A crafted article repeating thirty countries per sentence: at most
    EXTRACTION_MAX_SENTENCES_PER_STANCE sentences per claim and EXTRACTION_MAX_PROPOSALS
    stances, the excess said on the article; the queue card loads three sentences."""
    settings.EXTRACTION_MAX_PROPOSALS, settings.EXTRACTION_MAX_SENTENCES_PER_STANCE = 3, 4
    sentences = [f"Report {n}: the country would send troops." for n in range(12)]
    article = make_article(" ".join(sentences))
    claims = [claim_in(article, s, country=c, position="pledge")
              for s in sentences for c in ("FR", "DE", "PL", "IT", "ES")]
    result = record(article, *claims)
    assert Stance.objects.count() == 3
    assert {s.evidence.count() for s in Stance.objects.all()} == {4}
    assert "24 claims past the first 3 stances" in result.detail
    assert "24 more sentences for claims that already have 4" in result.detail
    client.force_login(curator)
    page = client.get("/review/").content.decode()
    assert "and 1 more sentence" in page
    assert page.count("<mark>") == 3 * 3
