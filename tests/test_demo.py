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
