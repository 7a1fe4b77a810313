"""The overview's chart: readable axes, a tooltip per month where a position changed (naming
the countries), the figures table, and the chart as SVG and PNG files of the same view."""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from PIL import Image

from stances.chart import build_chart, month_ticks, nice_step
from stances.models import Stance

from .factories import make_stance

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"
SVG = OVERVIEW + "chart.svg"
PNG = OVERVIEW + "chart.png"


def months(first: dt.date, n: int) -> list[dt.date]:
    out, day = [], first
    for _ in range(n):
        out.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return out


def test_the_count_axis_steps_by_whole_readable_numbers():
    assert [nice_step(top) for top in (1, 3, 5, 6, 9, 10, 11, 24, 48, 190)] == [
        1, 1, 1, 2, 2, 2, 5, 5, 10, 50,
    ]
    rows = [(i, "pledge", dt.date(2025, 1, 1), i) for i in range(7)]
    chart = build_chart(rows, dt.date(2025, 6, 1))
    assert [value for _, value in chart.yticks] == [0, 2, 4, 6, 8]
    assert chart.ymax == 8


def test_month_labels_are_spaced_and_mark_the_years():
    short = month_ticks(months(dt.date(2025, 3, 1), 10))
    assert [(label, year) for _, label, year in short] == [
        ("Mar", "2025"), ("Apr", ""), ("May", ""), ("Jun", ""), ("Jul", ""), ("Aug", ""),
        ("Sep", ""), ("Oct", ""), ("Nov", ""), ("Dec", ""),
    ]
    two_years = month_ticks(months(dt.date(2025, 2, 1), 23))
    assert [label for _, label, _ in two_years] == ["Apr", "Jul", "Oct", "Jan", "Apr", "Jul",
                                                  "Oct"]
    assert [year for _, _, year in two_years if year] == ["2025", "2026"]
    twenty_years = month_ticks(months(dt.date(2006, 1, 1), 240))
    assert len(twenty_years) <= 10
    assert all(label.isdigit() for _, label, _ in twenty_years)
    for n in range(1, 241):
        indexes = [i for i, _, _ in month_ticks(months(dt.date(2006, 5, 1), n))]
        # At most ten labels over the axis: never closer than a tenth of it.
        assert len(indexes) <= 10
        assert all(b - a >= (n - 1) / 10 for a, b in zip(indexes, indexes[1:], strict=False))


def test_the_x_axis_runs_from_the_first_statement_to_the_day_shown(client):
    make_stance("FR", "pledge", date=dt.date(2025, 3, 10))
    make_stance("DE", "hedge", date=dt.date(2025, 6, 2))
    html = client.get(OVERVIEW + "?until=2025-08-31").content.decode()
    rows = re.findall(r'<tr id="chart-(\d{4}-\d\d)">', html)
    assert rows == ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08"]
    assert "Month of statement" in html and ">Countries</text>" in html


def test_each_change_is_a_keyboard_point_naming_the_countries(client):
    make_stance("FR", "pledge", date=dt.date(2025, 3, 10))
    make_stance("GB", "pledge", date=dt.date(2025, 3, 12))
    make_stance("DK", "hedge", date=dt.date(2025, 3, 20))
    make_stance("DK", "pledge", date=dt.date(2025, 5, 2))
    html = client.get(OVERVIEW + "?until=2025-06-30").content.decode()
    points = re.findall(
        r'<a class="step" href="#(chart-[\d-]+)" aria-labelledby="\1-label">'
        r'<title id="\1-label">([^<]+)</title>',
        html,
    )
    assert [anchor for anchor, _ in points] == ["chart-2025-03", "chart-2025-05"]
    may = points[1][1]
    assert may == (
        "May 2025: pledge 3 (Denmark, France, United Kingdom), hedge 0, rejection 0; "
        "changed: Denmark hedge → pledge"
    )
    assert "Mar 2025: pledge 2 (France, United Kingdom), hedge 1 (Denmark)" in points[0][1]
    # The row it links to names the change too.
    row = re.search(r'<tr id="chart-2025-05">(.*?)</tr>', html).group(1)
    assert "<td>3</td><td>0</td><td>0</td>" in row and "Denmark hedge → pledge" in row
    assert "United Kingdom → pledge (first)" in re.search(
        r'<tr id="chart-2025-03">(.*?)</tr>', html).group(1)


def chart_of(text: str) -> str:
    """The chart's region of the overview (the map names every country), or the file."""
    if '<section class="chart"' not in text:
        return text
    return text.split('<section class="chart"', 1)[1].split("</section>", 1)[0]


def test_unreviewed_statements_are_never_drawn_for_readers(client, curator):
    make_stance("FR", "pledge", date=dt.date(2025, 3, 10))
    make_stance("IT", "rejection", date=dt.date(2025, 4, 1), status="proposed")
    for url in (OVERVIEW, SVG, OVERVIEW + "?unreviewed=1", SVG + "?unreviewed=1"):
        assert "Italy" not in chart_of(client.get(url).content.decode()), url
    # The overview is the reviewed record for curators too: it has no unreviewed switch.
    client.force_login(curator)
    assert "Italy" not in client.get(SVG + "?unreviewed=1").content.decode()
    assert "Italy" not in chart_of(client.get(OVERVIEW + "?unreviewed=1").content.decode())


def test_the_svg_file_stands_alone_with_title_legend_and_source(client):
    call_command("load_demo")
    response = client.get(SVG + "?until=2025-12-31")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    version = response["X-Data-Version"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="chart-ukraine-troop-deployment-{dt.date.today()}-v{version}.svg"'
    )
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = response.content.decode()
    # No stylesheet travels with a file: colours and dashes are the elements' own.
    assert 'class="line line-hedge"' in text and 'stroke-dasharray="8 3"' in text
    assert 'stroke="#0b5cad"' in text
    assert "✔ pledge" in text and "◐ hedge" in text and "✖ rejection" in text
    assert (
        "Stance tracker, http://testserver/t/ukraine-troop-deployment/?until=2025-12-31, "
        f"data version {version}"
    ) in text
    assert not re.findall(r"<title>[A-Z][a-z]{2} 2026", text)  # until honoured
    assert "<title>" in text and "chart-file-title" in text


def test_the_png_is_a_valid_image_of_sane_size(client):
    call_command("load_demo")
    response = client.get(PNG)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert re.fullmatch(
        r'attachment; filename="chart-ukraine-troop-deployment-\d{4}-\d\d-\d\d-v[0-9a-f]{10}'
        r'\.png"',
        response["Content-Disposition"],
    )
    image = Image.open(io.BytesIO(response.content))
    image.verify()
    assert image.format == "PNG"
    assert (image.width, image.height) == (1280, 2 * (270 + 36 + 56))
    assert 5_000 < len(response.content) < 500_000


def test_a_cached_png_follows_the_data(client):
    make_stance("FR", "pledge", date=dt.date(2025, 3, 10))
    first = client.get(PNG).content
    assert client.get(PNG).content == first  # the same view and data: the same file
    make_stance("DE", "hedge", date=dt.date(2025, 9, 2))
    assert client.get(PNG).content != first  # a new statement: drawn again, not stale


def test_the_files_take_the_overviews_filters(client):
    make_stance("FR", "pledge", date=dt.date(2025, 3, 10))
    make_stance("DE", "hedge", date=dt.date(2025, 9, 2))
    early = client.get(SVG + "?until=2025-06-30").content.decode()
    assert "France" in early and "Germany" not in early
    later = client.get(SVG + "?until=2025-12-31").content.decode()
    assert "Germany → hedge" in later
    # Named after the day the view shows (as_of), as the exports are.
    today = dt.date.today().isoformat()
    png = client.get(PNG + f"?as_of={today}")
    assert f"-{today}-v" in png["Content-Disposition"]
    assert "France" not in client.get(SVG + "?as_of=2025-01-01").content.decode()
    bad = client.get(SVG + "?as_of=not-a-day")
    assert bad.status_code == 400 and "as_of" in bad.json()["errors"]
    assert client.get("/t/no-such-topic/chart.png").status_code == 404


def test_the_overview_links_to_both_downloads_of_this_view(client):
    make_stance("FR", "pledge", date=dt.date(2025, 3, 10))
    html = client.get(OVERVIEW + "?until=2025-06-30").content.decode()
    assert f'href="{SVG}?until=2025-06-30" download>Download SVG</a>' in html
    assert f'href="{PNG}?until=2025-06-30" download>Download PNG</a>' in html


@pytest.mark.parametrize("stances", [30, 300])
def test_the_files_cost_the_same_queries_whatever_the_rows(
    client, stances, django_assert_max_num_queries
):
    call_command("generate_synthetic", stances=stances, articles=max(stances // 2, 1), seed=7)
    for url in (SVG, PNG):
        Stance.objects.order_by("pk").first().save()  # a new state of the data: cold
        # Topic, data version; cold: the official line's changes, sources, countries, offers.
        with django_assert_max_num_queries(6):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(2):
            assert client.get(url).status_code == 200


def test_a_long_record_keeps_the_cached_chart_small():
    """Two hundred countries changing every month for twenty years: the chart keeps the
    changes, not every country's position every month."""
    import pickle

    rows = [
        (country, ("pledge", "hedge", "rejection")[(country + month) % 3],
         dt.date(2006 + month // 12, month % 12 + 1, 1 + country % 28), month * 1000 + country)
        for month in range(240)
        for country in range(200)
    ]
    rows.sort(key=lambda r: (r[2], r[3]))
    chart = build_chart(rows, dt.date(2025, 12, 31))
    chart.names = {pk: f"Country {pk}" for pk in range(200)}
    assert len(chart.months) == 240
    assert len(pickle.dumps(chart)) < 1_000_000
    step = chart.steps[-1]
    assert len(step.tip_lines) == 5 and all(len(line) <= 52 for line in step.tip_lines)
    assert step.tip_lines[-1] == "Changed: Country 0 hedge → rejection, +199 more"
    assert "and 55 more), hedge 66 (" in step.label


def test_the_files_honour_the_group_filter_as_the_overview_does(client):
    make_stance("FR", "pledge", date=dt.date(2025, 3, 10))
    make_stance("UA", "pledge", date=dt.date(2025, 3, 12))
    for url in (SVG + "?group=nato", OVERVIEW + "?group=nato"):
        text = chart_of(client.get(url).content.decode())
        assert "France → pledge (first)" in text and "Ukraine →" not in text, url
    assert client.get(PNG + "?group=nato").status_code == 200
