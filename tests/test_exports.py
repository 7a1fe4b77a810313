"""Exports give every row a filtered view shows, streamed, with the as_of stamp."""

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from stances import services
from stances.models import Evidence

from .factories import make_actor, make_article, make_outlet, make_stance

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[dict]:
    assert response.streaming
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def read_json(response) -> dict:
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


def test_csv_has_every_approved_stance_with_its_source(client, django_assert_max_num_queries):
    merz = make_actor("Friedrich Merz", "DE", role="Chancellor")
    article = make_article(
        "Merz said Berlin would decide in due course.",
        outlet=make_outlet("Example Post"),
        url="https://example.org/merz",
    )
    make_stance("DE", "hedge", actor=merz, sentence="Merz said Berlin would decide in due course.",
                article=article)
    make_stance("FR", "pledge", date=dt.date(2025, 3, 1))
    make_stance("IT", "pledge", status="proposed")
    with django_assert_max_num_queries(10):
        response = client.get("/export/stances.csv")
        rows = read_csv(response)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert [r["country_iso2"] for r in rows] == ["FR", "DE"], "timeline order, approved only"
    de = rows[1]
    assert de["actor"] == "Friedrich Merz" and de["actor_role"] == "Chancellor"
    assert de["date"] == "2025-09-04" and de["date_precision"] == "day"
    assert de["position"] == "hedge" and de["official_line"] == "True"
    assert de["evidence"] == "Merz said Berlin would decide in due course."
    assert de["outlet"] == "Example Post" and de["source_url"] == "https://example.org/merz"
    assert de["as_of"].startswith(timezone.now().date().isoformat())


def test_exports_are_complete_beyond_one_chunk(client, monkeypatch):
    monkeypatch.setattr("stances.exports.CHUNK", 7)
    for day in range(1, 26):
        make_stance("PL", "hedge", date=dt.date(2025, 8, day))
    rows = read_csv(client.get("/export/stances.csv?country=pl"))
    assert len(rows) == 25
    assert [r["date"] for r in rows] == [f"2025-08-{d:02}" for d in range(1, 26)]
    assert len(read_json(client.get("/export/stances.json?country=pl"))["stances"]) == 25


def test_filters_apply_as_on_the_pages(client):
    soeder = make_actor("Markus Söder", "DE", official=False)
    make_stance("DE", "rejection", actor=soeder, date=dt.date(2025, 9, 1))
    make_stance("DE", "hedge", date=dt.date(2025, 9, 2))
    make_stance("DE", "pledge", date=dt.date(2025, 5, 2))
    rows = read_csv(
        client.get("/export/stances.csv?country=de&official=1&position=hedge&position=rejection")
    )
    assert [r["position"] for r in rows] == ["hedge"]
    rows = read_csv(client.get("/export/stances.csv?country=de&since=2025-09-01"))
    assert [r["position"] for r in rows] == ["rejection", "hedge"]
    rows = read_csv(client.get("/export/stances.csv?actor=markus-soder"))
    assert [r["actor"] for r in rows] == ["Markus Söder"]


def test_as_of_exports_the_past_state_and_says_so(client, curator):
    stance = make_stance("PL", "rejection", date=dt.date(2025, 2, 1))
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    # Backdate the review so the history says it was known before yesterday.
    then = timezone.now() - dt.timedelta(days=3)
    stance.history.update(history_date=then, reviewed_at=then)
    Evidence.objects.filter(stance=stance).update(created_at=then, reviewed_at=then)
    services.stance_correct(stance=stance, user=curator, changes={"position": "hedge"})
    make_stance("PL", "pledge", date=dt.date(2025, 9, 1))

    now_rows = read_csv(client.get("/export/stances.csv?country=pl"))
    assert [r["position"] for r in now_rows] == ["hedge", "pledge"]
    past = read_json(client.get(f"/export/stances.json?country=pl&as_of={yesterday}"))
    assert past["as_of"] == yesterday.isoformat()
    assert [s["position"] for s in past["stances"]] == ["rejection"]
    assert past["stances"][0]["as_of"] == yesterday.isoformat()
    assert past["stances"][0]["evidence"], "evidence known by then is kept"
    assert f"as_of={yesterday}" in past["query"]


def test_unreviewed_only_for_curators(client, curator, outsider):
    make_stance("IT", "pledge", status="proposed")
    assert read_csv(client.get("/export/stances.csv?unreviewed=1")) == []
    client.force_login(outsider)
    assert read_csv(client.get("/export/stances.csv?unreviewed=1")) == []
    client.force_login(curator)
    rows = read_csv(client.get("/export/stances.csv?unreviewed=1"))
    assert [(r["country_iso2"], r["status"]) for r in rows] == [("IT", "proposed")]


def test_invalid_filters_are_a_clear_400(client):
    response = client.get("/export/stances.csv?since=2025-09-10&until=2025-09-01")
    assert response.status_code == 400
    assert "before its start" in response.json()["errors"]["until"][0]
    assert client.get("/export/stances.json?position=maybe").status_code == 400
    assert client.get("/export/stances.json?country=zz").status_code == 404
    assert client.get("/export/stances.json?topic=nope").status_code == 404


def test_csv_cells_a_spreadsheet_would_run_stay_text(client):
    sentence = "=HYPERLINK(\"http://evil.example\",\"click\") said France would send troops."
    actor = make_actor("@Macron", "FR")
    make_stance("FR", "pledge", actor=actor, sentence=sentence,
                article=make_article(sentence, outlet=make_outlet("+Outlet")))
    rows = read_csv(client.get("/export/stances.csv?topic=ukraine-troop-deployment"))
    row = rows[0]
    assert row["evidence"] == "'" + sentence
    assert row["actor"] == "'@Macron"
    assert row["outlet"] == "'+Outlet"
    # JSON is data, not a spreadsheet: unchanged there.
    data = read_json(client.get("/export/stances.json?topic=ukraine-troop-deployment"))
    assert data["stances"][0]["evidence"] == sentence
