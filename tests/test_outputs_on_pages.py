"""The pages link to their exports and feeds, exports match the pages row for row, and a
change of position shows on the overview and timeline, in the feed and in the digest."""

import csv
import datetime as dt
import html as htmllib
import io
import re

import pytest
from django.utils import timezone

from stances import services
from stances.models import PositionChange, Subscription

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"
TODAY = timezone.localdate().isoformat()


def page_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="stance[^"]*" id="stance-(\d+)"', html)]


def export_link(html: str, kind: str) -> str:
    match = re.search(rf'href="(/export/stances\.{kind}\?[^"]*)"', html)
    assert match, f"no {kind} export link"
    return htmllib.unescape(match.group(1))


def export_ids(client, url: str) -> list[int]:
    response = client.get(url)
    body = b"".join(response.streaming_content).decode()
    return [int(row["id"]) for row in csv.DictReader(io.StringIO(body))]


@pytest.fixture
def germany():
    merz = make_actor("Friedrich Merz", "DE", role="Chancellor")
    soeder = make_actor("Markus Söder", "DE", official=False)
    make_stance("DE", "rejection", date=dt.date(2025, 2, 16))
    make_stance("DE", "hedge", actor=merz, date=dt.date(2025, 9, 4))
    make_stance("DE", "rejection", actor=soeder, date=dt.date(2025, 9, 5))
    make_stance("DE", "hedge", actor=merz, date=None)
    make_stance("DE", "pledge", status="proposed")
    make_stance("FR", "pledge")
    return merz


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?position=hedge",
        "?official=1",
        "?since=2025-09-01&until=2025-09-30",
        "?actor=friedrich-merz",
        "?as_of=" + (timezone.localdate()).isoformat(),
    ],
)
def test_timeline_exports_match_the_page_row_for_row(client, germany, query):
    html = client.get(f"{OVERVIEW}de/{query}").content.decode()
    shown = page_ids(html)
    assert shown, "the view shows something"
    csv_url = export_link(html, "csv")
    assert "country=de" in csv_url and "topic=ukraine-troop-deployment" in csv_url
    assert sorted(export_ids(client, csv_url)) == sorted(shown)
    assert export_link(html, "json").replace(".json", ".csv") == csv_url


def test_actor_page_export_matches(client, germany):
    html = client.get(f"/actors/{germany.slug}/?position=hedge").content.decode()
    csv_url = export_link(html, "csv")
    assert "actor=friedrich-merz" in csv_url
    assert sorted(export_ids(client, csv_url)) == sorted(page_ids(html))


def test_overview_links_its_export_and_feed(client, germany):
    html = client.get(f"{OVERVIEW}?as_of=2025-10-01").content.decode()
    assert "as_of=2025-10-01" in export_link(html, "csv")
    assert 'type="application/atom+xml"' in html
    assert f'href="{OVERVIEW}feed.atom"' in html
    country_html = client.get(f"{OVERVIEW}de/").content.decode()
    assert f'href="{OVERVIEW}de/feed.atom"' in country_html
    assert 'href="/subscriptions/?topic=ukraine-troop-deployment&amp;country=DE"' in country_html


def table_countries(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="/t/ukraine-troop-deployment/(\w\w)/', html)


def table_link(html: str, kind: str) -> str:
    match = re.search(rf'href="(/export/countries\.{kind}\?[^"]*)"', html)
    assert match, f"no countries {kind} export link"
    return htmllib.unescape(match.group(1))


@pytest.mark.parametrize(
    "query",
    ["", "?position=hedge", "?position=pledge&position=hedge", f"?as_of={TODAY}"],
)
def test_overview_table_export_matches_the_table_row_for_row(
    client, germany, query, django_assert_max_num_queries
):
    make_stance("PL", "rejection", date=dt.date(2025, 9, 1))
    html = client.get(f"{OVERVIEW}{query}").content.decode()
    shown = table_countries(html)
    assert shown, "the table shows something"
    with django_assert_max_num_queries(12):
        response = client.get(table_link(html, "csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["country_iso2"].lower() for row in rows] == shown
    assert response["Content-Disposition"].startswith('attachment; filename="countries-')
    document = client.get(table_link(html, "json")).json()
    assert [c["country_iso2"].lower() for c in document["countries"]] == shown
    for row, country in zip(rows, document["countries"], strict=True):
        assert row["position"] == country["position"]
        assert row["since"] == (country["since"] or "")
    if "as_of" in query:
        assert {row["as_of"] for row in rows} == {TODAY}


def test_overview_table_export_gives_current_official_positions(client, germany):
    rows = {
        row["country_iso2"]: row
        for row in csv.DictReader(
            io.StringIO(client.get("/export/countries.csv?topic=ukraine-troop-deployment")
                        .content.decode())
        )
    }
    # Germany's official line (Merz) hedges; Söder's rejection and the proposed pledge do not
    # count; France pledges.
    assert rows["DE"]["position"] == "hedge"
    assert rows["DE"]["since"] == "2025-09-04"
    assert rows["FR"]["position"] == "pledge"
    assert rows["DE"]["last_statement_permalink"].startswith("http://testserver/stances/")
    assert client.get("/export/countries.csv?since=yesterday").status_code == 400


def test_a_change_shows_on_overview_timeline_feed_and_digest(
    client, curator, django_user_model, mailoutbox, topic
):
    reader = django_user_model.objects.create_user("reader", email="reader@example.org")
    Subscription.objects.create(
        user=reader,
        topic=topic,
        country=None,
        notified_until=timezone.now() - dt.timedelta(hours=1),
    )
    make_stance("PL", "rejection", date=dt.date(2025, 2, 1))
    old_change_country = make_stance("IT", "hedge", status="proposed")
    services.stances_review(stance_ids=[old_change_country.pk], approve=True, user=curator)
    PositionChange.objects.filter(country__iso2="IT").update(
        recorded_at=timezone.now() - dt.timedelta(days=10)
    )
    hedge = make_stance("PL", "hedge", date=dt.date(2025, 9, 4), status="proposed")

    services.stances_review(stance_ids=[hedge.pk], approve=True, user=curator)

    change = PositionChange.objects.get(country__iso2="PL")
    overview = client.get(OVERVIEW).content.decode()
    section = overview[overview.index("Changed since last week") :]
    section = section[: section.index("</section>")]
    assert "Poland" in section and "rejection →" in section
    assert "Italy" not in section, "older than a week"

    timeline = client.get(f"{OVERVIEW}pl/").content.decode()
    assert f'id="change-{change.pk}"' in timeline
    assert "Changed since last week:" in timeline

    before = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    past = client.get(f"{OVERVIEW}pl/?as_of={before}").content.decode()
    assert f'id="change-{change.pk}"' not in past

    feed = client.get(f"{OVERVIEW}pl/feed.atom").content.decode()
    assert "Poland: rejection → hedge" in feed

    assert services.digest_send(user_id=reader.pk)
    assert "Poland (" in mailoutbox[0].body and "rejection → hedge" in mailoutbox[0].body
