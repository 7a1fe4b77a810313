"""The database itself refuses duplicates of natural keys and values outside the choices."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from ingest.models import Article, IngestItem, IngestRun, Outlet
from stances.models import Actor, ActorAlias, Country, CountryGroup, Evidence, Stance, Topic

from .factories import make_actor, make_article, make_stance

pytestmark = pytest.mark.django_db


def _refused(create) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_every_sovereign_country_is_loaded_and_territories_are_not():
    assert Country.objects.count() == 196
    assert Country.objects.get(iso2="RU").name == "Russia"
    assert Country.objects.get(iso2="GB").name == "United Kingdom"
    assert not Country.objects.filter(iso2__in=["GL", "PR", "HK", "AQ"]).exists()


def test_groups_expand_to_their_members():
    baltic = CountryGroup.objects.get(slug="baltic-states")
    assert sorted(baltic.members.values_list("iso2", flat=True)) == ["EE", "LT", "LV"]
    nordic = CountryGroup.objects.get(slug="nordic-countries")
    assert sorted(nordic.members.values_list("iso2", flat=True)) == ["DK", "FI", "IS", "NO", "SE"]
    assert CountryGroup.objects.get(slug="european-union").members.count() == 27


def test_first_topic_carries_the_position_definitions():
    topic = Topic.objects.get(slug="ukraine-troop-deployment")
    assert "logistics hub" in topic.hedge_definition
    assert [value for value, _, _ in topic.definitions()] == ["pledge", "hedge", "rejection"]


def test_country_code_is_unique():
    _refused(lambda: Country.objects.create(iso2="DE", name="Germany again", slug="germany-2"))


def test_actor_name_is_unique_per_country_in_any_case():
    make_actor("Olaf Example", "DE")
    _refused(
        lambda: Actor.objects.create(
            name="olaf example", slug="other", country_id=Country.objects.get(iso2="DE").pk
        )
    )
    # The same name in another country is another person.
    Actor.objects.create(
        name="Olaf Example", slug="olaf-example-at", country=Country.objects.get(iso2="AT")
    )


def test_international_bodies_without_country_are_unique_too():
    Actor.objects.create(name="NATO", slug="nato", kind="organisation")
    _refused(lambda: Actor.objects.create(name="NATO", slug="nato-2", kind="organisation"))


def test_alias_is_unique_per_actor():
    actor = make_actor("Volodymyr Zelenskyy", "UA")
    ActorAlias.objects.create(actor=actor, alias="Zelensky")
    _refused(lambda: ActorAlias.objects.create(actor=actor, alias="ZELENSKY"))
    assert Actor.objects.find("zelensky") == actor
    assert Actor.objects.find("Volodymyr Zelenskyy") == actor
    assert Actor.objects.find("Nobody") is None


def test_actor_kind_must_be_a_known_one():
    _refused(lambda: Actor.objects.create(name="X", slug="x", kind="wizard"))


def test_article_url_and_content_hash_are_unique():
    make_article("Some text.", url="https://example.org/a")
    _refused(lambda: make_article("Other text.", url="https://example.org/a"))
    _refused(lambda: make_article("  some   TEXT. "))  # same normalised text
    # Articles without a known URL do not collide with each other.
    make_article("First text without url.")
    make_article("Second text without url.")
    assert Article.objects.filter(url="").count() == 2


def test_outlet_name_is_unique_and_domain_unique_when_given():
    Outlet.objects.create(name="Wire", domain="wire.example")
    _refused(lambda: Outlet.objects.create(name="Wire"))
    _refused(lambda: Outlet.objects.create(name="Wire 2", domain="wire.example"))
    Outlet.objects.create(name="No domain 1")
    Outlet.objects.create(name="No domain 2")


def test_stance_position_status_and_precision_are_checked(topic):
    de = Country.objects.get(iso2="DE")
    base = dict(topic=topic, country=de, extractor_version="t")
    _refused(lambda: Stance.objects.create(**base, position="maybe"))
    _refused(lambda: Stance.objects.create(**base, position="pledge", status="pending"))
    # A day precision without a date, or a date marked unknown, is a contradiction.
    _refused(lambda: Stance.objects.create(**base, position="pledge", date_precision="day"))
    _refused(
        lambda: Stance.objects.create(
            **base, position="pledge", statement_date=dt.date(2025, 9, 1), date_precision="unknown"
        )
    )
    _refused(lambda: Stance.objects.create(**base, position="pledge", confidence=1.5))
    # Every stance says what created it, and a reviewed one says when.
    _refused(lambda: Stance.objects.create(topic=topic, country=de, position="pledge"))
    _refused(lambda: Stance.objects.create(**base, position="pledge", status="approved"))


def test_evidence_span_is_unique_and_not_empty():
    stance = make_stance("FR", "pledge", sentence="France will send troops.")
    evidence = stance.evidence.get()
    _refused(
        lambda: Evidence.objects.create(
            stance=stance,
            article=evidence.article,
            sentence="x",
            start=evidence.start,
            end=evidence.end,
        )
    )
    _refused(
        lambda: Evidence.objects.create(
            stance=stance, article=evidence.article, sentence="x", start=5, end=5
        )
    )


def test_failed_ingest_item_must_say_why():
    run = IngestRun.objects.create()
    IngestItem.objects.create(run=run, seq=1, kind="url", source="https://e.org")
    _refused(lambda: IngestItem.objects.create(run=run, seq=1, kind="url", source="x"))
    _refused(
        lambda: IngestItem.objects.create(run=run, seq=2, kind="url", source="x", status="failed")
    )


def test_review_records_who_and_when(curator):
    stance = make_stance("PL", "hedge", status="proposed")
    stance.approve(curator)
    stance.refresh_from_db()
    assert stance.status == "approved"
    assert stance.reviewed_by == curator
    assert stance.reviewed_at is not None


def test_timeline_queryset_orders_by_date_unknown_last():
    late = make_stance("DE", "hedge", date=dt.date(2025, 9, 6))
    unknown = make_stance("DE", "rejection", date=None)
    early = make_stance("DE", "pledge", date=dt.date(2025, 2, 1))
    de = Country.objects.get(iso2="DE")
    assert list(Stance.objects.approved().for_country(de).chronological()) == [early, late, unknown]
