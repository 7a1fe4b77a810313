"""A sentence needing a position is not a stance: whether open or dismissed, no reader sees
it anywhere the tracker gives out. Each test builds one article that backs an approved
stance (so the article, its country and the stance are all public) and holds two candidate
sentences, one open and one dismissed; the approved sentence shows, the others never do."""

from __future__ import annotations

import datetime as dt

import pytest

from .factories import make_actor, make_article, make_candidate, make_stance

pytestmark = pytest.mark.django_db

TOPIC = "/t/ukraine-troop-deployment/"
APPROVED = "Germany will send engineers to Ukraine with the reassurance force, Merz said."
OPEN = "Quixotic envoys from Germany murmured about the force beside Lake Zebedee."
DISMISSED = "Germany's marmalade attaché discussed the force over Zanzibar tea."
HIDDEN = (OPEN, DISMISSED)


@pytest.fixture
def published(curator):
    article = make_article(
        f"Talks in Berlin\n\n{APPROVED} {OPEN}\n\n{DISMISSED}",
        title="Berlin weighs the force",
        published=dt.date(2025, 9, 5),
    )
    merz = make_actor("Friedrich Merz", "DE")
    stance = make_stance(
        "DE", "pledge", actor=merz, article=article, sentence=APPROVED, date=dt.date(2025, 9, 4)
    )
    make_candidate("DE", OPEN, article=article, actor="Friedrich Merz")
    make_candidate("DE", DISMISSED, article=article, status="dismissed", user=curator)
    return stance


def _text(response) -> str:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _shows_only_the_stance(text: str) -> None:
    assert APPROVED in text
    for sentence in HIDDEN:
        assert sentence not in text
    assert "Zebedee" not in text and "marmalade" not in text


def test_not_on_the_overview(client, published):
    text = _text(client.get(TOPIC))
    assert "Germany" in text
    assert "Zebedee" not in text and "marmalade" not in text


def test_not_on_the_country_timeline(client, published):
    _shows_only_the_stance(_text(client.get(TOPIC + "de/")))


def test_not_on_the_stance_or_actor_pages(client, published):
    _shows_only_the_stance(_text(client.get(f"/stances/{published.pk}/")))
    _shows_only_the_stance(_text(client.get("/actors/friedrich-merz/")))


def test_not_marked_as_evidence_on_the_article_page(client, published):
    """The article page shows the article's whole text, so the words are there as text;
    only the approved sentence is marked and linked as a stance's evidence."""
    text = _text(client.get(f"/articles/{published.evidence.get().article_id}/"))
    assert f"<mark>{APPROVED}</mark>" in text
    assert text.count("<mark>") == 1 and text.count('class="evidence"') == 1
    for sentence in HIDDEN:
        assert f"<mark>{sentence}" not in text


def test_not_in_search(client, published):
    text = _text(client.get("/search/?q=Zebedee"))
    assert "No evidence sentence matches." in text
    assert "Zebedee</mark>" not in text and OPEN not in text
    text = _text(client.get("/search/?q=Germany"))
    _shows_only_the_stance(text.replace("<mark>", "").replace("</mark>", ""))


def test_not_in_the_csv_exports(client, published):
    _shows_only_the_stance(_text(client.get("/export/stances.csv")))
    countries = _text(client.get("/export/countries.csv"))
    assert "Germany" in countries and "Zebedee" not in countries and "marmalade" not in countries


def test_not_in_the_json_exports(client, published):
    _shows_only_the_stance(_text(client.get("/export/stances.json?country=de")))
    countries = _text(client.get("/export/countries.json"))
    assert "Germany" in countries and "Zebedee" not in countries and "marmalade" not in countries


def test_not_in_the_atom_feeds(client, published):
    _shows_only_the_stance(_text(client.get(TOPIC + "feed.atom")))
    _shows_only_the_stance(_text(client.get(TOPIC + "de/feed.atom")))


def test_not_in_the_api(client, published):
    api = "/api/topics/ukraine-troop-deployment"
    _shows_only_the_stance(_text(client.get(api + "/stances")))
    _shows_only_the_stance(_text(client.get(api + "/stances?unreviewed=true&country=DE")))
    for url in (api + "/countries", api + "/countries/DE", "/api/articles"):
        text = _text(client.get(url))
        assert "Zebedee" not in text and "marmalade" not in text, url
    article = published.evidence.get().article_id
    assert "Zebedee" not in _text(client.get(f"/api/articles/{article}"))
