"""On the demo data, a country's changes of position agree wherever they are shown: the
bands of its timeline, the changes recorded (and listed under them), its Atom feed, and the
digest of someone watching the topic."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.db.models import F
from django.utils import timezone

from stances import services
from stances.models import Country, PositionChange, Subscription

pytestmark = pytest.mark.django_db

TOPIC = "/t/ukraine-troop-deployment/"
ATOM = "{http://www.w3.org/2005/Atom}"


def _label(position: str) -> str:
    return position or "no position"


def test_timelines_changes_feeds_and_digests_agree_on_the_demo_data(
    client, topic, django_user_model
):
    services.demo_load()
    reader = django_user_model.objects.create_user("reader", email="reader@example.org")
    Subscription.objects.create(
        user=reader, topic=topic, notified_until=timezone.make_aware(dt.datetime(2024, 1, 1))
    )
    digest = services.digest_build(user=reader)
    countries = Country.objects.filter(stances__isnull=False).distinct()
    assert countries.count() >= 15
    for country in countries:
        timeline = client.get(f"{TOPIC}{country.iso2.lower()}/").content.decode()
        bands = re.findall(r'<rect class="band band-(\w+)"', timeline)
        drawn = list(zip(["", *bands], bands, strict=False))

        # Changes of offer alone (same position, other kinds) are changes too; the bands
        # show positions, so these are compared on the changes of position.
        recorded = [
            (c.previous_position, c.position)
            for c in PositionChange.objects.filter(country=country).order_by("recorded_at", "pk")
            if c.previous_position != c.position
        ]
        listed = re.findall(
            r'<li id="change-\d+">(?:<strong[^>]*>[^<]*</strong> )?([a-z ]+) → '
            r'<span class="pos pos-(\w+)">',
            timeline,
        )
        listed = [(a, b) for a, b in listed if a != b]
        feed = ET.fromstring(client.get(f"{TOPIC}{country.iso2.lower()}/feed.atom").content)
        fed = [
            re.sub(r" \(.*\)$", "", e.findtext(f"{ATOM}title"))  # "(offers ... now)" aside
            for e in feed.findall(f"{ATOM}entry")
            if "→" in e.findtext(f"{ATOM}title")
        ]
        fed = [t for t in fed if len(set(t.split(": ", 1)[1].split(" → "))) == 2]
        mailed = [(c.previous_position, c.position) for c in digest.changes
                  if c.country == country and c.previous_position != c.position]

        assert recorded == drawn, country
        assert list(reversed(listed)) == [(_label(a), b) for a, b in drawn], country
        assert list(reversed(fed)) == [f"{country.name}: {_label(a)} → {b}" for a, b in drawn]
        assert mailed == drawn, country
        if bands:
            assert "No change of position recorded" not in timeline, country
    poland = Country.objects.get(iso2="PL")
    assert [(c.previous_position, c.position) for c in digest.changes if c.country == poland] == [
        ("", "rejection"),
        ("rejection", "hedge"),
    ]


def test_loading_the_demo_records_changes_of_offer_too(client, topic):
    """Two statements of one position that offer different kinds: a change of offer, in the
    record and in the country's feed, like a change of position."""
    services.demo_load()
    offers = PositionChange.objects.filter(position=F("previous_position")).exclude(
        contributions=F("previous_contributions"))
    assert offers.exists()
    change = offers.select_related("country").first()
    feed = client.get(f"{TOPIC}{change.country.iso2.lower()}/feed.atom").content.decode()
    assert "offers" in feed
