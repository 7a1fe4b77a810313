"""The country timeline's date axis and the compare page, as a reader meets them: markers
by actor with their names, the band to "present", zoom by the filters, the error for too
many countries, readers against unreviewed stances, and budgets that do not grow."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from stances.dateline import MARKER_LIMIT
from stances.models import Stance

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"
COMPARE = OVERVIEW + "compare/"
D = dt.date


def _dateline(html: str) -> str:
    return html[html.index('<figure class="dateline') : html.index("</figure>")]


def _markers(html: str) -> list[str]:
    return re.findall(r'<a href="/stances/\d+/" aria-label="([^"]+)">', _dateline(html))


def _row_labels(html: str) -> list[str]:
    rows = _dateline(html)[_dateline(html).index('class="dl-rows"') :]
    found = re.findall(r'<span class="dl-label">(?:<a href="[^"]*">)?([^<]+)', rows)
    return [label.strip() for label in found]


def test_it_draws_each_statement_as_a_named_link_in_rows_by_actor(client):
    merz = make_actor("Friedrich Merz", "DE", role="Chancellor")
    leader = make_actor("Alice Weidel", "DE", official=False, role="Party leader")
    make_stance("DE", "rejection", date=D(2025, 2, 16))
    make_stance("DE", "hedge", actor=merz, date=D(2025, 9, 4))
    make_stance("DE", "pledge", actor=leader, date=D(2025, 6, 1))
    html = client.get(OVERVIEW + "de/").content.decode()
    # The official line first (no named speaker), then the government, then other voices.
    assert _row_labels(html) == ["Official line", "Friedrich Merz", "Alice Weidel"]
    assert sorted(_markers(html)) == [
        "Alice Weidel, pledge, 1 Jun 2025",
        "Friedrich Merz, hedge, 4 Sep 2025",
        "Official line, rejection, 16 Feb 2025",
    ]
    # The symbol says the position, not the colour alone.
    assert re.search(r'class="marker marker-hedge"[^>]*>◐</text>', html)
    assert 'href="/actors/friedrich-merz/"' in _dateline(html)


def test_statements_of_one_day_stand_side_by_side_each_reachable(client):
    for position in ("hedge", "pledge", "hedge"):
        make_stance("FI", position, date=D(2025, 3, 10))
    make_stance("FI", "hedge", date=D(2024, 3, 10))
    html = client.get(OVERVIEW + "fi/").content.decode()
    drawn = re.findall(
        r'aria-label="Official line, (\w+), 10 Mar 2025">.*?x="([\d.]+)%"', _dateline(html)
    )
    assert [position for position, _x in drawn] == ["hedge", "pledge", "hedge"]
    xs = [float(x) for _position, x in drawn]
    # Apart by at least a marker's width, and still about their day on a two-year axis.
    assert all(b - a >= 1.2 - 1e-6 for a, b in zip(xs, xs[1:], strict=False))
    assert xs[-1] - xs[0] < 3


def test_markers_pushed_past_the_end_come_back_onto_the_track():
    from stances.dateline import spread

    assert spread([10.0, 10.0, 50.0]) == [10.0, 11.2, 50.0]
    assert spread([99.9, 99.9, 99.9]) == [97.6, 98.8, 100.0]
    assert spread([]) == []


def test_the_band_and_the_axis_run_from_the_first_statement_to_present(client):
    make_stance("DE", "rejection", date=D(2025, 2, 16))
    make_stance("DE", "hedge", date=D(2025, 9, 4))
    html = client.get(OVERVIEW + "de/").content.decode()
    figure = _dateline(html)
    assert '<g class="axis-end">' in figure and ">present</text>" in figure
    assert timezone.localdate().strftime("%-d %b %Y") not in figure
    # The first statement is at the left edge, the band ends at the right one.
    assert re.search(r'<rect class="band band-rejection" x="0\.0%"', figure)
    assert re.findall(r'class="tick[^"]*"><line[^>]*/><text[^>]*>([^<]+)<', figure)


def test_since_and_until_zoom_the_axis(client):
    make_stance("DE", "rejection", date=D(2025, 2, 16))
    make_stance("DE", "hedge", date=D(2025, 9, 4))
    html = client.get(OVERVIEW + "de/?since=2025-09-01&until=2025-09-30").content.decode()
    labels = re.findall(r'class="tick[^"]*"><line[^>]*/><text[^>]*>([^<]+)<', _dateline(html))
    assert labels == ["8 Sep 2025", "15 Sep", "22 Sep", "29 Sep"]
    assert _markers(html) == ["Official line, hedge, 4 Sep 2025"]
    assert ">present</text>" not in _dateline(html)  # the range ends before today


def test_as_of_ends_the_axis_at_that_day(client):
    make_stance("DE", "hedge", date=D(2025, 9, 4))
    as_of = timezone.localdate()
    html = client.get(OVERVIEW + f"de/?as_of={as_of:%Y-%m-%d}").content.decode()
    assert f">as of {as_of:%-d %b %Y}</text>" in _dateline(html)
    assert ">present</text>" not in _dateline(html)


def test_readers_see_approved_markers_and_curators_may_add_unreviewed(client, curator):
    make_stance("DE", "hedge", date=D(2025, 9, 4))
    make_stance("DE", "pledge", date=D(2025, 9, 10), status="proposed")
    assert _markers(client.get(OVERVIEW + "de/?unreviewed=1").content.decode()) == [
        "Official line, hedge, 4 Sep 2025"
    ]
    client.force_login(curator)
    # In the order of time, as the keyboard reaches them.
    assert _markers(client.get(OVERVIEW + "de/?unreviewed=1").content.decode()) == [
        "Official line, hedge, 4 Sep 2025",
        "Official line, pledge, 10 Sep 2025, unreviewed",
    ]
    assert len(_markers(client.get(OVERVIEW + "de/").content.decode())) == 1


def test_too_many_markers_are_capped_with_an_honest_note(client, django_assert_max_num_queries):
    extra = 5
    first = make_stance("DE", "hedge", date=D(2020, 1, 1))
    Stance.objects.bulk_create(
        [
            Stance(
                topic_id=first.topic_id,
                country_id=first.country_id,
                position="hedge",
                statement_date=D(2020, 1, 1) + dt.timedelta(days=i),
                date_precision="day",
                status="approved",
                extractor_version="test-1",
                reviewed_at=first.reviewed_at,
            )
            for i in range(1, MARKER_LIMIT + extra)
        ]
    )
    Stance.objects.first().save()  # a new data version: bulk_create records no history
    with django_assert_max_num_queries(12):
        html = client.get(OVERVIEW + "de/").content.decode()
    assert len(_markers(html)) == MARKER_LIMIT
    assert f"{extra} more statements not drawn (the earliest)" in html


def test_the_timeline_links_to_compare_prefilled(client):
    make_stance("DE", "hedge")
    html = client.get(OVERVIEW + "de/").content.decode()
    assert f'href="{COMPARE}?country=DE">Compare with other countries</a>' in html
    assert f'href="{COMPARE}">Compare countries side by side</a>' in client.get(
        OVERVIEW
    ).content.decode()


def _compare_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<li class="dl-row dl-country"><span class="dl-label"><a href="[^"]+">([^<]+)</a> '
        r'<span class="pos pos-\w+">([^<]+)</span>',
        html,
    )


def test_compare_draws_a_row_per_country_on_one_axis(client):
    make_stance("FR", "pledge", date=D(2025, 3, 27))
    make_stance("DE", "rejection", date=D(2025, 2, 16))
    make_stance("DE", "hedge", date=D(2025, 9, 4))
    response = client.get(COMPARE + "?country=FR&country=DE")
    assert response.status_code == 200
    html = response.content.decode()
    assert _compare_rows(html) == [("France", "✔ pledge"), ("Germany", "◐ hedge")]
    assert 'href="/t/ukraine-troop-deployment/fr/">France</a>' in html
    assert sorted(_markers(html)) == [
        "France, pledge, 27 Mar 2025",
        "Germany, hedge, 4 Sep 2025",
        "Germany, rejection, 16 Feb 2025",
    ]
    assert html.count('<g class="axis-end">') == 1  # one shared axis
    assert f'class="permalink" href="{COMPARE}?country=FR&amp;country=DE"' in html
    # The form shows the choice, in order.
    assert re.search(r'id="compare-country-1" name="country">.*?<option value="FR" selected>', html)
    assert re.search(r'id="compare-country-2" name="country">.*?<option value="DE" selected>', html)


def test_compare_shows_only_official_approved_statements_even_to_curators(client, curator):
    leader = make_actor("Alice Weidel", "DE", official=False)
    make_stance("DE", "hedge", date=D(2025, 9, 4))
    make_stance("DE", "pledge", actor=leader, date=D(2025, 9, 5))
    make_stance("FR", "pledge", date=D(2025, 9, 6), status="proposed")
    client.force_login(curator)
    html = client.get(COMPARE + "?country=DE&country=FR&unreviewed=1")
    assert html.status_code == 302  # the switch is no part of a comparison
    html = client.get(html["Location"]).content.decode()
    assert _markers(html) == ["Germany, hedge, 4 Sep 2025"]
    assert ("France", "– none") in _compare_rows(html)


def test_compare_gives_the_address_its_canonical_form(client):
    response = client.get(COMPARE + "?until=2025-12-31&country=fr&country=&country=DE&country=FR")
    assert response.status_code == 302
    assert response["Location"] == COMPARE + "?country=FR&country=DE&until=2025-12-31"


def test_compare_explains_too_many_or_unknown_countries(client):
    codes = "&".join(f"country={c}" for c in ["FR", "DE", "PL", "IT", "ES", "NL", "BE"])
    response = client.get(COMPARE + "?" + codes)
    assert response.status_code == 400
    assert "Compare at most 6 countries at once: this link names 7." in response.content.decode()
    response = client.get(COMPARE + "?country=FR&country=XX")
    assert response.status_code == 400
    assert "Unknown country code: XX." in response.content.decode()
    html = client.get(COMPARE + "?country=FR").content.decode()
    assert "Choose at least 2 countries to compare." in html


def test_compare_applies_since_until_and_as_of(client):
    make_stance("DE", "rejection", date=D(2025, 2, 16))
    make_stance("DE", "hedge", date=D(2025, 9, 4))
    make_stance("FR", "pledge", date=D(2025, 3, 27))
    html = client.get(COMPARE + "?country=DE&country=FR&since=2025-09-01").content.decode()
    assert _markers(html) == ["Germany, hedge, 4 Sep 2025"]
    as_of = timezone.localdate()
    html = client.get(COMPARE + f"?country=DE&country=FR&as_of={as_of:%Y-%m-%d}").content.decode()
    assert f">as of {as_of:%-d %b %Y}</text>" in html
    assert f'href="/t/ukraine-troop-deployment/de/?as_of={as_of:%Y-%m-%d}"' in html


@pytest.mark.parametrize("countries", [2, 6])
def test_compare_costs_the_same_for_two_or_six_countries(
    client, countries, django_assert_max_num_queries
):
    codes = ["FR", "DE", "PL", "IT", "ES", "NL"][:countries]
    for i, code in enumerate(codes):
        for day in range(1, 4 * (i + 1)):
            make_stance(code, ["pledge", "hedge"][day % 2], date=D(2025, 1, day))
    url = COMPARE + "?" + "&".join(f"country={c}" for c in codes)
    # Topic, countries, data version, the official lines (bands), the markers.
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(3):  # the same data: from the cache
        client.get(url)


def test_the_cached_region_follows_the_filters_and_htmx_gets_the_axis(client):
    make_stance("DE", "rejection", date=D(2025, 2, 16))
    make_stance("DE", "hedge", date=D(2025, 9, 4))
    # One state of the data, three views of it: each its own drawing, none another's.
    assert len(_markers(client.get(OVERVIEW + "de/").content.decode())) == 2
    hedges = client.get(OVERVIEW + "de/?position=hedge").content.decode()
    assert _markers(hedges) == ["Official line, hedge, 4 Sep 2025"]
    fragment = client.get(
        OVERVIEW + "de/?position=rejection", headers={"HX-Request": "true"}
    ).content.decode()
    assert fragment.lstrip().startswith('<div id="timeline"')
    assert _markers(fragment) == ["Official line, rejection, 16 Feb 2025"]
    assert len(_markers(client.get(OVERVIEW + "de/").content.decode())) == 2
