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
