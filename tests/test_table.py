"""The overview's country table: sorted by any column both ways (the page and its download
alike), counts that say what they count, "stated by" a day versus "as of" a day, and
help texts that the fields' aria-describedby find."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.utils import timezone

from stances.models import Country, EvidenceStatus

from .factories import make_evidence, make_stance

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"
TOPIC = "ukraine-troop-deployment"


@pytest.fixture
def table(db):
    """Five countries, each column giving a different order (see ORDERS)."""
    make_stance("FR", "pledge", date=dt.date(2025, 3, 1))
    make_stance("FR", "pledge", date=dt.date(2025, 8, 1))
    make_stance("DE", "rejection", date=dt.date(2025, 2, 1))
    italy = make_stance("IT", "hedge", date=dt.date(2025, 4, 1))
    make_evidence(italy, status=EvidenceStatus.ACCEPTED)
    poland = make_stance("PL", "hedge", date=dt.date(2025, 5, 1))
    make_evidence(poland, status=EvidenceStatus.ACCEPTED)
    make_evidence(poland, status=EvidenceStatus.ACCEPTED)
    make_stance("ES", "pledge", date=dt.date(2025, 6, 1))


# sort= -> the rows in order. France: pledge since 1 Mar, last 1 Aug, 1 source; Germany:
# rejection 1 Feb, 1; Italy: hedge 1 Apr, 2; Poland: hedge 1 May, 3; Spain: pledge 1 Jun, 1.
ORDERS = {
    "country": ["France", "Germany", "Italy", "Poland", "Spain"],
    "-country": ["Spain", "Poland", "Italy", "Germany", "France"],
    # pledge, hedge, rejection; ties by name A–Z either way.
    "position": ["France", "Spain", "Italy", "Poland", "Germany"],
    "-position": ["Germany", "Italy", "Poland", "France", "Spain"],
    "since": ["Germany", "France", "Italy", "Poland", "Spain"],
    "-since": ["Spain", "Poland", "Italy", "France", "Germany"],
    "last": ["Germany", "Italy", "Poland", "Spain", "France"],
    "-last": ["France", "Spain", "Poland", "Italy", "Germany"],
    "sources": ["France", "Germany", "Spain", "Italy", "Poland"],
    "-sources": ["Poland", "Italy", "France", "Germany", "Spain"],
}


def table_html(html: str) -> str:
    start = html.index('id="countries"')
    return html[start : html.index("</table>", start)]


def rows_on_page(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', table_html(html))


def header(html: str, label: str) -> str:
    """The <th> of the country table whose link starts with `label`."""
    for cell in re.findall(r"<th scope=\"col\".*?</th>", table_html(html), re.S):
        if re.search(rf'<a class="sort"[^>]*>{re.escape(label)}\b', cell):
            return cell
    raise AssertionError(f"no header {label}")


@pytest.mark.parametrize("sort", list(ORDERS))
def test_it_sorts_the_table_and_its_download_by_every_column(client, table, sort):
    html = client.get(f"{OVERVIEW}?sort={sort}").content.decode()
    assert rows_on_page(html) == ORDERS[sort]
    exported = client.get(f"/export/countries.json?topic={TOPIC}&sort={sort}").json()
    assert [row["country"] for row in exported["countries"]] == ORDERS[sort]
    body = client.get(f"/export/countries.csv?topic={TOPIC}&sort={sort}").content.decode()
    assert [row["country"] for row in csv.DictReader(io.StringIO(body))] == ORDERS[sort]
    # The page's own download links carry the order; the stances' do not need it.
    if sort != "country":
        assert re.search(rf'/export/countries\.csv\?[^"]*sort={re.escape(sort)}', html)
        assert not re.search(r'/export/stances\.csv\?[^"]*sort=', html)


def test_the_sorted_header_says_its_direction_and_its_link_reverses_it(client, table):
    html = client.get(f"{OVERVIEW}?position=pledge&position=hedge&sort=-since").content.decode()
    since = header(html, "Since")
    assert 'aria-sort="descending"' in since
    assert "▼" in since and "descending" in since
    assert "position=pledge&amp;position=hedge&amp;sort=since#countries" in since
    # Other columns: not sorted, each link sorts by its column ascending, filters kept.
    country = header(html, "Country")
    assert "aria-sort" not in country
    assert 'href="?position=pledge&amp;position=hedge#countries"' in country
    assert "sort=position" in header(html, "Position")
    assert html.count("aria-sort=") == 2  # this table's sorted column and the offers' one
    html = client.get(f"{OVERVIEW}?sort=since").content.decode()
    assert 'aria-sort="ascending"' in header(html, "Since")
    assert "sort=-since#countries" in header(html, "Since")


@pytest.mark.parametrize("junk", ["nonsense", "-", "--since", "since;drop", ""])
def test_an_unknown_sort_is_ignored_and_the_table_is_by_name(client, table, junk):
    response = client.get(f"{OVERVIEW}?sort={junk}", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert rows_on_page(html) == ORDERS["country"]
    assert 'aria-sort="ascending"' in header(html, "Country")


def test_a_shared_sorted_link_shows_the_sorted_table_after_the_plain_one(client, table):
    # The table is rendered in a cached block: the order must be part of its key.
    assert rows_on_page(client.get(OVERVIEW).content.decode()) == ORDERS["country"]
    html = client.get(f"{OVERVIEW}?sort=-country").content.decode()
    assert rows_on_page(html) == ORDERS["-country"]
    assert 'href="/t/ukraine-troop-deployment/?sort=-country"' in html  # link to this view


def test_the_offers_order_still_works_next_to_the_tables(client, table):
    html = client.get(f"{OVERVIEW}?sort=-since&order=-name").content.decode()
    assert rows_on_page(html) == ORDERS["-since"]
    offers = html[html.index('id="offers"') :]
    assert "Country (Z–A)" in offers
    # Sorting the table keeps the matrix's order, and reversing the matrix keeps the table's.
    assert "order=-name&amp;sort=since#countries" in header(html, "Since")
    assert "sort=-since&amp;order=name" in offers


def test_the_filter_form_keeps_the_table_order(client, table):
    html = client.get(f"{OVERVIEW}?sort=-last").content.decode()
    form = html[html.index('<form method="get"') : html.index("</form>")]
    assert '<input type="hidden" name="sort" value="-last">' in form


def summary(html: str) -> str:
    found = re.search(r'<p class="summary">(.*?)</p>', html, re.S)
    return " ".join(found.group(1).split())


def test_the_counts_say_what_the_filter_shows_and_what_the_totals_are(client, table):
    html = client.get(f"{OVERVIEW}?position=rejection").content.decode()
    silent = Country.objects.count() - 5
    assert summary(html) == (
        "Showing 1 of 5 countries with a reviewed official position (filter: rejection). "
        f"All positions: 2 pledge, 2 hedge, 1 reject; {silent} countries have none on record."
    )
    html = client.get(OVERVIEW).content.decode()
    assert summary(html) == (
        "5 countries have a reviewed official position: 2 pledge, 2 hedge, 1 reject; "
        f"{silent} countries have none on record."
    )


def test_the_date_and_offer_filters_say_what_they_count(client, table):
    html = client.get(f"{OVERVIEW}?since=2025-03-01&until=2025-05-31").content.decode()
    assert "Counting only statements dated from 1 March 2025 to 31 May 2025" in html
    # Germany's only statement is before the range, Spain's after it.
    assert rows_on_page(html) == ["France", "Italy", "Poland"]
    assert summary(html).startswith("3 countries have a reviewed official position")
    html = client.get(f"{OVERVIEW}?contribution=naval&condition=us_backstop").content.decode()
    assert "statements offering Naval" in html
    assert "statements setting the condition US backstop" in html
    assert "Counting only" not in client.get(OVERVIEW).content.decode()


@pytest.fixture
def past_statements(db):
    """A fresh install: reviewed today, statements dated months ago."""
    make_stance("FR", "pledge", date=dt.date(2025, 3, 10))
    make_stance("DE", "rejection", date=dt.date(2025, 7, 2))


def test_stated_by_shows_the_statements_dated_by_then_as_reviewed_today(client, past_statements):
    html = client.get(f"{OVERVIEW}?until=2025-05-31").content.decode()
    assert rows_on_page(html) == ["France"]
    assert "Positions as stated by 31 May 2025" in html
    assert "statements dated on or before 31 May 2025" in html
    assert summary(html).startswith("1 country has a reviewed official position")
    # as_of the same day: nothing had been reviewed yet.
    html = client.get(f"{OVERVIEW}?as_of=2025-05-31").content.decode()
    assert rows_on_page(html) == []


def test_the_month_links_run_from_the_first_statement_to_today(client, past_statements):
    html = client.get(f"{OVERVIEW}?until=2025-04-30&sort=-since").content.decode()
    nav = html[html.index('<nav class="stated-by"') : html.index("</nav>", html.index("stated-by"))]
    links = [
        (href, " ".join(re.sub(r"<[^>]+>", "", name).split()))
        for href, name in re.findall(r'<a href="\?([^"]*)"[^>]*>(.*?)</a>', nav)
    ]
    # A row a year: its months named in full ("Mar 2025") for a screen reader.
    assert links[0] == ("until=2025-03-31&amp;sort=-since", "Mar 2025")
    assert '<span class="year" aria-hidden="true">2025</span>' in nav
    assert links[-1] == ("sort=-since", "Today")
    today = timezone.localdate()
    assert links[-2][0].startswith(f"until={today.isoformat()}&")
    assert len(links) == (today.year - 2025) * 12 + today.month - 3 + 2
    assert nav.count("aria-current") == 1
    assert re.search(r'until=2025-04-30[^"]*"[^>]*aria-current="true"', nav)
    # With a start to the range, the months begin there.
    html = client.get(f"{OVERVIEW}?since=2025-06-15").content.decode()
    assert re.search(r'<a href="\?since=2025-06-15&amp;until=2025-06-30"', html)
    assert "until=2025-05-31" not in html
    # Each link is a view of its own: Apr 2025 shows France alone.
    assert rows_on_page(client.get(f"{OVERVIEW}?until=2025-04-30").content.decode()) == [
        "France"
    ]


def test_as_of_before_the_first_review_says_so_and_offers_stated_by(client, past_statements):
    html = client.get(f"{OVERVIEW}?as_of=2025-06-01").content.decode()
    note = " ".join(html[html.index('class="as-of-empty"') :].split("</p>")[0].split())
    today = timezone.localdate()
    assert "On 1 June 2025 the record held no reviewed statements yet;" in note
    assert f"its first review was on {today.day} {today:%B %Y}" in note
    link = re.search(r'href="(\?[^"]*)"', note).group(1).replace("&amp;", "&")
    assert link == "?until=2025-06-01"
    # One note, not two: the general "as the tracker stood" line would repeat it.
    assert "As the tracker stood on" not in html
    assert rows_on_page(client.get(OVERVIEW + link).content.decode()) == ["France"]
    # Today the record holds reviews: no such note.
    html = client.get(f"{OVERVIEW}?as_of={today.isoformat()}").content.decode()
    assert "as-of-empty" not in html
    assert "As the tracker stood on" in html
    assert rows_on_page(html) == ["France", "Germany"]


def test_both_days_are_named_and_explained_on_the_page(client, past_statements):
    html = client.get(OVERVIEW).content.decode()
    assert '<label for="id_until">Stated by:</label>' in html
    assert '<label for="id_as_of">As of:</label>' in html
    assert "Positions as stated by this day" in html
    assert "The record as it stood on this day: only what curators had reviewed by then." in html
    assert 'aria-describedby="id_contribution_helptext"' in html
    assert '<small class="help" id="id_contribution_helptext">Only statements offering' in html
    methodology = client.get("/methodology/", follow=True).content.decode()
    assert "(<code>until</code>) is a different question" in methodology


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("aria-describedby", "aria-labelledby", "aria-controls") and value:
                self.refs.extend((name, ref) for ref in value.split())


def missing_targets(html: str) -> list[tuple[str, str]]:
    parser = _Refs()
    parser.feed(html)
    return [(name, ref) for name, ref in parser.refs if ref not in parser.ids]


@pytest.mark.parametrize(
    "url",
    [
        OVERVIEW,
        OVERVIEW + "?as_of=2025-06-01&sort=-since",
        OVERVIEW + "?until=2025-05-31&position=pledge",
        OVERVIEW + "pl/",
        OVERVIEW + "pl/?as_of=2025-06-01&position=hedge",
    ],
)
def test_every_aria_reference_points_at_an_element_on_the_page(client, curator, url):
    call_command("load_demo")
    for reader in (False, True):
        if reader:
            client.force_login(curator)
        html = client.get(url).content.decode()
        assert "aria-describedby" in html
        assert missing_targets(html) == []


@pytest.mark.parametrize("extra", [0, 40])
def test_sorting_and_stated_by_keep_the_overview_in_its_budget(
    client, extra, django_assert_max_num_queries
):
    call_command("load_demo")
    for i in range(extra):
        make_stance("FR", ["pledge", "hedge"][i % 2], date=dt.date(2025, 1, 1) + dt.timedelta(i))
    for url in (
        f"{OVERVIEW}?sort=-sources",
        f"{OVERVIEW}?sort=position&until=2025-06-30",
        f"{OVERVIEW}?as_of=2025-06-01&sort=-last",
    ):
        # Cold: as the plain overview (test_pages). Warm: topic and data version, the
        # week's changes, the data version of the "Cite as" line.
        with django_assert_max_num_queries(9):
            client.get(url)
        with django_assert_max_num_queries(4):
            client.get(url)


def test_as_of_before_the_demo_was_loaded_explains_itself(client):
    # The demo's reviews carry past dates, but the record only held them once loaded.
    call_command("load_demo")
    today = timezone.localdate()
    html = client.get(f"{OVERVIEW}?as_of=2025-06-01").content.decode()
    assert rows_on_page(html) == []
    assert "On 1 June 2025 the record held no reviewed statements yet;" in html
    assert f"its first review was on {today.day} {today:%B %Y}" in html
    stated = client.get(f"{OVERVIEW}?until=2025-06-01").content.decode()
    assert len(rows_on_page(stated)) > 5


def test_the_api_gives_positions_as_stated_by_a_day_and_as_of_a_day(client, past_statements):
    api = "/api/topics/ukraine-troop-deployment/countries"
    stated = {r["iso2"]: r["position"] for r in client.get(f"{api}?until=2025-05-31").json()}
    assert stated["FR"] == "pledge" and stated["DE"] is None
    as_of = {r["iso2"]: r["position"] for r in client.get(f"{api}?as_of=2025-05-31").json()}
    assert as_of["FR"] is None and as_of["DE"] is None
    assert client.get(f"{api}/de?until=2025-07-31").json()["position"] == "rejection"
