"""On the demo data, a country's changes of position agree wherever they are shown: the
bands of its timeline, the changes recorded (and listed under them), its Atom feed, and the
digest of someone watching the topic."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
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

        recorded = [
            (c.previous_position, c.position)
            for c in PositionChange.objects.filter(country=country).order_by("recorded_at", "pk")
        ]
        listed = re.findall(
            r'<li id="change-\d+">(?:<strong[^>]*>[^<]*</strong> )?([a-z ]+) → '
            r'<span class="pos pos-(\w+)">',
            timeline,
        )
        feed = ET.fromstring(client.get(f"{TOPIC}{country.iso2.lower()}/feed.atom").content)
        fed = [
            e.findtext(f"{ATOM}title")
            for e in feed.findall(f"{ATOM}entry")
            if "→" in e.findtext(f"{ATOM}title")
        ]
        mailed = [(c.previous_position, c.position) for c in digest.changes if c.country == country]

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
