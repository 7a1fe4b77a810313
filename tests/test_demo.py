import datetime as dt

import pytest
from django.core.management import call_command

from ingest.models import Article
from stances.models import Actor, Country, Evidence, Stance

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Actor.objects.count(),
        Article.objects.count(),
        Stance.objects.count(),
        Evidence.objects.count(),
    )


def test_load_demo_twice_gives_the_same_records(capsys):
    call_command("load_demo")
    first = _counts()
    call_command("load_demo")
    assert _counts() == first
    assert "Demo data loaded" in capsys.readouterr().out


def test_demo_covers_at_least_fifteen_countries_with_evidence_and_sources():
    call_command("load_demo")
    countries = Country.objects.filter(stances__status="approved").distinct()
    assert countries.count() >= 15
    assert {"FR", "GB", "DE", "PL", "IT", "US", "RU", "UA"} <= set(
        countries.values_list("iso2", flat=True)
    )
    for stance in Stance.objects.all():
        assert stance.status == "approved"
        evidence = stance.evidence.get()
        # The evidence is where its offsets say, and the source can be checked.
        assert evidence.article.text[evidence.start : evidence.end] == evidence.sentence
        assert evidence.article.url.startswith("http")


def test_demo_shows_a_change_of_position_over_time():
    call_command("load_demo")
    poland = Stance.objects.filter(country__iso2="PL").chronological()
    assert [s.position for s in poland] == ["rejection", "hedge"]


# --- Beside curated data: a second run fails nothing and undoes nothing ---------------------


def _all_counts():
    from stances.models import PositionChange

    return (*_counts(), PositionChange.objects.count())


def _curate(curator) -> dict:
    """What curators do between two runs, in several ways at once."""
    from stances import services
    from stances.models import Position

    from .factories import make_article

    # A manual stance that repeats a demo stance exactly (country, actor, position, date).
    tusk = Stance.objects.get(country__iso2="PL", position="hedge")
    note = "Tusk repeated that Poland would help with logistics, not troops."
    duplicate = Stance.objects.create(
        topic=tusk.topic,
        country=tusk.country,
        actor=tusk.actor,
        position=tusk.position,
        statement_date=tusk.statement_date,
        date_precision=tusk.date_precision,
        status="approved",
        created_by=curator,
        reviewed_by=curator,
        reviewed_at=tusk.reviewed_at,
    )
    Evidence.objects.create(
        stance=duplicate,
        article=make_article(note),
        sentence=note,
        start=0,
        end=len(note),
        status="accepted",
        reviewed_at=tusk.reviewed_at,
    )
    # A correction of a demo stance's country, position and date.
    carney = Stance.objects.get(country__iso2="CA")
    services.stance_correct(
        stance=carney,
        user=curator,
        changes={
            "country": Country.objects.get(iso2="AU"),
            "position": Position.HEDGE,
            "statement_date": dt.date(2025, 9, 3),
        },
    )
    # A demo stance rejected.
    meloni = Stance.objects.get(country__iso2="IT", position="hedge")
    services.stances_review(stance_ids=[meloni.pk], approve=False, user=curator)
    # A demo actor merged into another.
    peskov = Actor.objects.get(slug="dmitry-peskov")
    survivor = Actor.objects.create(
        name="Dmitri Peskov", slug="dmitri-peskov", country=peskov.country, role="Spokesman"
    )
    services.actors_merge(survivor=survivor, duplicates=[peskov], user=curator)
    # A demo sentence's evidence edited (its text and kind).
    merz = Evidence.objects.get(stance__country__iso2="DE", stance__position="hedge")
    merz.sentence = merz.sentence.replace("Merz", "Chancellor Merz", 1)
    merz.kind = "quote"
    merz.save()
    return {
        "duplicate": duplicate.pk,
        "carney": carney.pk,
        "meloni": meloni.pk,
        "survivor": survivor.pk,
        "merz_evidence": (merz.pk, merz.sentence),
    }


def _curations_intact(done: dict) -> None:
    assert Stance.objects.filter(pk=done["duplicate"], status="approved").exists()
    carney = Stance.objects.get(pk=done["carney"])
    assert (carney.country.iso2, carney.position, carney.statement_date) == (
        "AU",
        "hedge",
        dt.date(2025, 9, 3),
    )
    assert not Stance.objects.filter(country__iso2="CA").exists(), "not loaded again"
    assert Stance.objects.get(pk=done["meloni"]).status == "rejected"
    assert not Stance.objects.filter(country__iso2="IT", position="hedge", status="approved")
    assert not Actor.objects.filter(slug="dmitry-peskov").exists(), "not made again"
    assert Actor.objects.find("Dmitry Peskov").pk == done["survivor"]
    pk, sentence = done["merz_evidence"]
    evidence = Evidence.objects.get(pk=pk)
    assert (evidence.sentence, evidence.kind) == (sentence, "quote")


def test_a_second_run_after_curation_fails_nothing_and_undoes_nothing(curator):
    from stances.services import demo_load

    demo_load()
    done = _curate(curator)
    curated = _all_counts()

    demo_load()
    assert _all_counts() == curated
    _curations_intact(done)
    demo_load()
    assert _all_counts() == curated


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_make_run_set_up_twice_with_curation_between(curator):
    """`make run` runs migrate and load_demo each time: both hold beside curated data."""
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    done = _curate(curator)
    curated = _all_counts()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert _all_counts() == curated
    _curations_intact(done)
