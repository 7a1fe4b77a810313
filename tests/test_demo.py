import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from ingest.models import Article
from stances.models import Actor, Country, Evidence, Stance

from .demo_data import a_country_that_changed_position, demo_file, demo_statements

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


def test_demo_loads_every_statement_of_the_file_with_its_evidence():
    call_command("load_demo")
    statements = demo_statements()
    countries = {s.country for s in statements}
    assert Stance.objects.count() == len(statements)
    assert Article.objects.count() == len(demo_file()["article"])
    assert (
        set(Country.objects.filter(stances__status="approved").values_list("iso2", flat=True))
        == countries
    )
    # Enough to show a map, a table and changes over time.
    assert len(countries) >= 12
    for stance in Stance.objects.all():
        assert stance.status == "approved"
        evidence = stance.evidence.get()
        # The evidence is where its offsets say, and the source can be checked.
        assert evidence.article.text[evidence.start : evidence.end] == evidence.sentence
        assert evidence.article.url.startswith("http")


def test_every_demo_statement_links_the_page_that_states_it_and_quotes_it():
    """Each statement points to a specific page (not a site's home page), and its evidence
    is the sentence quoted from that page, found in the article text at its offsets."""
    call_command("load_demo")
    statements = demo_statements()
    urls = [article["url"] for article in demo_file()["article"]]
    assert len(urls) == len(set(urls))
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc, url
        assert parts.path.strip("/"), f"{url} is a site's home page, not the statement's page"
    for statement in statements:
        evidence = Evidence.objects.get(
            article__url=statement.url,
            stance__country__iso2=statement.country,
            stance__position=statement.position,
            stance__statement_date=statement.date,
        )
        assert evidence.sentence == statement.sentence
        assert evidence.article.text[evidence.start : evidence.end] == statement.sentence
        stance = evidence.stance
        assert (stance.actor.name if stance.actor else None) == statement.actor


def test_demo_shows_a_change_of_position_over_time():
    call_command("load_demo")
    iso2 = a_country_that_changed_position()
    expected = [
        s.position for s in sorted(demo_statements(), key=lambda s: s.date) if s.country == iso2
    ]
    stances = Stance.objects.filter(country__iso2=iso2).chronological()
    assert [s.position for s in stances] == expected
    assert len(set(expected)) > 1


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
    carney = Stance.objects.get(country__iso2="CA", position="pledge")
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
    services.stances_review(stance_ids=[meloni.pk], approve=False, user=curator,
                            reason="a duplicate of another report")
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
    assert not Stance.objects.filter(country__iso2="CA", position="pledge").exists(), \
        "not loaded again"
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
