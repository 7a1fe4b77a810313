"""The public change log of a topic: every reviewed change, newest first, nothing unreviewed,
paginated, with an Atom feed."""

import datetime as dt

import pytest
from django.utils import timezone

from stances import services, views

from .factories import make_actor, make_evidence, make_stance
from .test_feeds import ATOM, assert_valid_atom

pytestmark = pytest.mark.django_db

LOG = "/t/ukraine-troop-deployment/changes/"
FEED = "/t/ukraine-troop-deployment/changes.atom"


@pytest.fixture
def record(curator):
    """France approved then corrected; Poland's proposal approved (a change of position);
    Spain approved then withdrawn; Germany gets a new source; Italy is only proposed,
    Greece a rejected proposal, Austria an approved stance with a source awaiting review."""
    france = make_stance("FR", "hedge", actor=make_actor("Emmanuel Macron", "FR"))
    services.stance_correct(stance=france, user=curator, changes={"position": "pledge"})
    make_stance("PL", "rejection", date=dt.date(2025, 2, 1))
    poland = make_stance("PL", "hedge", status="proposed", sentence="Warsaw SECRETPROPOSAL.")
    services.stances_review(stance_ids=[poland.pk], approve=True, user=curator)
    spain = make_stance("ES", "pledge")
    services.stances_review(
        stance_ids=[spain.pk], approve=False, user=curator, reason="SECRETREASON misread"
    )
    germany = make_stance("DE", "hedge")
    source = make_evidence(germany, "Berlin confirmed NEWSOURCE on Friday.")
    services.evidence_review(evidence=source, accept=True, user=curator)
    make_stance("IT", "pledge", status="proposed", sentence="Rome SECRETITALY.")
    make_stance("GR", "pledge", status="rejected", sentence="Athens SECRETGREECE.")
    austria = make_stance("AT", "rejection")
    make_evidence(austria, "Vienna SECRETPENDING source.")
    return {"france": france, "poland": poland, "spain": spain, "germany": germany}


def test_log_lists_reviewed_changes_and_nothing_unreviewed(
    client, record, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(LOG)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stance corrected" in html and "Position: Hedge → Pledge" in html
    assert "Stance approved" in html
    assert "Poland: rejection → hedge" in html  # the change of position
    assert "Stance withdrawn" in html and "Spain: pledge" in html
    assert "New source accepted" in html and "NEWSOURCE" in html
    for secret in ("SECRETPROPOSAL", "SECRETREASON", "SECRETITALY", "SECRETGREECE",
                   "SECRETPENDING", "Italy", "Greece"):
        assert secret not in html, secret
    # A withdrawn stance's page is not public: the log does not link to it.
    assert f'href="/stances/{record["spain"].pk}/"' not in html
    # Newest first: the withdrawal and the new source came after France's correction.
    assert html.index("New source accepted") < html.index("Stance corrected")
    # Evidence decided with its stance is its approval, not a new source.
    assert html.count("New source accepted") == 1


def test_log_is_cached_per_state_of_the_data(client, record, django_assert_max_num_queries):
    client.get(LOG)
    with django_assert_max_num_queries(3):  # the topic, the data version, the session-free page
        assert client.get(LOG).status_code == 200


def test_log_is_paginated(client, record, monkeypatch):
    monkeypatch.setattr(views, "CHANGES_PAGE_SIZE", 2)
    first = client.get(LOG).content.decode()
    second = client.get(LOG + "?page=2").content.decode()
    assert "Page 1 of" in first and "Page 2 of" in second
    assert "New source accepted" in first and "New source accepted" not in second


def test_changes_feed_is_valid_atom_with_the_same_entries(
    client, record, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client.get(FEED)
    assert response.status_code == 200
    root = assert_valid_atom(response.content)
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert "Change of position: Poland: rejection → hedge" in titles
    assert any(t.startswith("Stance withdrawn: Spain") for t in titles)
    assert not any("Italy" in t or "Greece" in t for t in titles)
    assert b"SECRET" not in response.content


def test_empty_log_and_feed(client):
    assert "No reviewed changes yet." in client.get(LOG).content.decode()
    assert_valid_atom(client.get(FEED).content)
    assert client.get("/t/nothing-here/changes/").status_code == 404
    assert client.get("/t/nothing-here/changes.atom").status_code == 404


def test_log_is_linked_from_the_overview_and_the_footer(client):
    html = client.get("/t/ukraine-troop-deployment/").content.decode()
    assert html.count(f'href="{LOG}"') >= 2
    assert f'href="{LOG}"' in client.get("/actors/").content.decode()


# --- "Cite this" and the data version --------------------------------------------------


def test_every_analyst_page_says_how_to_cite_it(client, record):
    from stances.summaries import short_version

    version = short_version()
    today = timezone.localdate().isoformat()
    france = record["france"]
    pages = {
        "/t/ukraine-troop-deployment/": "“Foreign troops in Ukraine",
        "/t/ukraine-troop-deployment/fr/": "“France · ",
        f"/actors/{france.actor.slug}/": "“Emmanuel Macron”",
        f"/stances/{france.pk}/": "“France: pledge",
        f"/articles/{france.evidence.first().article_id}/": "“",
        LOG: "“Change log: ",
    }
    for url, title in pages.items():
        html = client.get(url).content.decode()
        assert "Cite as: Stance tracker, " + title in html, url
        assert f"http://testserver{url}?as_of={today}" in html, url
        assert f"data version <code>{version}</code>" in html, url
    # A chosen day is kept, not replaced by today's.
    html = client.get("/t/ukraine-troop-deployment/?as_of=2025-09-01").content.decode()
    assert "/t/ukraine-troop-deployment/?as_of=2025-09-01</span>" in html


def test_the_data_version_is_short_and_follows_the_data(record, curator):
    from stances.summaries import short_version

    before = short_version()
    assert len(before) == 10 and before == short_version()
    services.stance_correct(stance=record["france"], user=curator, changes={"position": "hedge"})
    assert short_version() != before


def test_exports_carry_the_data_version(client, record):
    import json

    from stances.summaries import short_version

    version = short_version()
    for url in ("/export/stances.csv", "/export/countries.csv"):
        response = client.get(url)
        assert response["X-Data-Version"] == version
        assert f'-v{version}.csv"' in response["Content-Disposition"]
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert body.startswith(b"id,") or body.startswith(b"country_iso2,")  # no comment line
    for url, key in (("/export/stances.json", "stances"), ("/export/countries.json", "countries")):
        response = client.get(url)
        assert response["X-Data-Version"] == version
        assert f'-v{version}.json"' in response["Content-Disposition"]
        body = b"".join(response.streaming_content) if response.streaming else response.content
        data = json.loads(body)
        assert data["data_version"] == version and isinstance(data[key], list)
