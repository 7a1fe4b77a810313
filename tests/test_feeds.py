"""Atom feeds per topic and per country validate as Atom and carry stances and changes."""

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest

from stances import services

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
TOPIC_FEED = "/t/ukraine-troop-deployment/feed.atom"


def assert_valid_atom(body: bytes) -> ET.Element:
    """The parts of RFC 4287 a reader relies on: feed and entry ids, titles, updated times,
    an author for every entry, and ids that are unique absolute IRIs."""
    root = ET.fromstring(body)
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None, f"feed lacks <{name}>"
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    feed_has_author = root.find(f"{ATOM}author/{ATOM}name") is not None
    ids = [root.findtext(f"{ATOM}id")]
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{name}") or "").strip(), f"entry lacks <{name}>"
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
        assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
        dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids)), "ids must be unique"
    assert all(i.startswith(("tag:", "http://", "https://")) for i in ids)
    parsed = feedparser.parse(body)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return root


def test_topic_feed_lists_approved_stances_with_evidence(client, django_assert_max_num_queries):
    merz = make_actor("Friedrich Merz", "DE", role="Chancellor")
    make_stance("DE", "hedge", actor=merz, sentence="Merz said Berlin would decide later.")
    make_stance("FR", "pledge")
    make_stance("IT", "pledge", status="proposed")
    with django_assert_max_num_queries(4):
        response = client.get(TOPIC_FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = assert_valid_atom(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert "Germany: hedge (Friedrich Merz), 4 Sep 2025" in titles
    assert any(t.startswith("France: pledge") for t in titles)
    assert not any(t.startswith("Italy") for t in titles), "unreviewed stances stay out"
    assert b"Merz said Berlin would decide later." in response.content


def test_country_feed_has_the_change_of_position(client, curator):
    make_stance("PL", "rejection", date=dt.date(2025, 2, 1))
    hedge = make_stance("PL", "hedge", date=dt.date(2025, 9, 4), status="proposed")
    make_stance("FR", "pledge")
    services.stances_review(stance_ids=[hedge.pk], approve=True, user=curator)

    response = client.get("/t/ukraine-troop-deployment/pl/feed.atom")

    root = assert_valid_atom(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert titles[0] == "Poland: rejection → hedge"
    assert not any(t.startswith("France") for t in titles)
    change = root.findall(f"{ATOM}entry")[0]
    assert "#change-" in change.find(f"{ATOM}link").get("href")


def test_empty_feed_is_still_valid_atom(client):
    assert_valid_atom(client.get(TOPIC_FEED).content)


def test_feed_of_unknown_topic_or_country_is_404(client):
    assert client.get("/t/nothing-here/feed.atom").status_code == 404
    assert client.get("/t/ukraine-troop-deployment/zz/feed.atom").status_code == 404
