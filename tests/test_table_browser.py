"""The overview's table and "stated by" slider in a real browser: a header sorts the table
in place (htmx, the URL names the order), and the slider moves by month from the keyboard,
saying the chosen day aloud and showing the positions as stated by then."""

from __future__ import annotations

import datetime as dt

import pytest

from .demo_data import demo_statements
from .test_browser import OVERVIEW, browser_page, demo, expect, shot  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _month_end(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def test_a_header_sorts_the_table_and_the_slider_moves_by_month(
    live_server, demo, browser_page  # noqa: F811
):
    page = browser_page
    page.goto(live_server.url + OVERVIEW)
    page.evaluate("window.__stillHere = 'yes'")
    table = page.locator("table.overview-table")
    names = table.locator("tbody th[scope=row]")
    by_name = names.all_inner_texts()
    assert by_name == sorted(by_name)

    table.locator("thead a", has_text="Since").click()
    page.wait_for_url("**sort=since**")
    since = table.locator("thead th", has_text="Since")
    expect(since).to_have_attribute("aria-sort", "ascending")
    expect(since).to_contain_text("ascending")
    days = table.locator("tbody td:nth-child(3) time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert days == sorted(days)
    table.locator("thead a", has_text="Since").click()
    page.wait_for_url("**sort=-since**")
    expect(since).to_have_attribute("aria-sort", "descending")
    days = table.locator("tbody td:nth-child(3) time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))"
    )
    assert days == sorted(days, reverse=True)
    assert page.evaluate("window.__stillHere") == "yes"  # swapped in place, no reload
    shot(page, "table-01-sorted-by-since-descending")

    # The slider: Home is the month of the first statement; each arrow a month later.
    first = min(s.date for s in demo_statements() if s.official)
    slider = page.get_by_label("Positions as stated by (one step a month):")
    slider.focus()
    slider.press("Home")
    first_end = _month_end(first)
    page.wait_for_url(f"**until={first_end.isoformat()}**")
    label = page.locator("#stated-by-value")
    expect(label).to_have_text(f"{first_end.day} {first_end:%B %Y}")
    expect(label).to_have_attribute("aria-live", "polite")
    assert "sort=-since" in page.url  # the table's order stays
    expect(page.locator("#stated-by-title")).to_contain_text(f"{first_end:%B %Y}")
    early = {s.country for s in demo_statements() if s.official and s.date <= first_end}
    expect(names).to_have_count(len(early))

    slider.press("ArrowRight")
    second_end = _month_end(first_end + dt.timedelta(days=1))
    page.wait_for_url(f"**until={second_end.isoformat()}**")
    expect(label).to_have_text(f"{second_end.day} {second_end:%B %Y}")
    # The slider kept the focus through the swap: the next key moves it again.
    assert page.evaluate("document.activeElement.id") == "stated-by-range"
    later = {s.country for s in demo_statements() if s.official and s.date <= second_end}
    expect(names).to_have_count(len(later))
    assert page.evaluate("window.__stillHere") == "yes"
    # The "Cite as" line names the view now shown, not the one first loaded.
    expect(page.locator("#cite .cite-url")).to_contain_text(
        f"?until={second_end.isoformat()}&sort=-since&as_of="
    )
    shot(page, "table-02-stated-by-slider")

    # A change of filter keeps the day and the order the links chose.
    page.locator("input[name=position][value=pledge]").check()
    page.wait_for_url("**position=pledge**")
    assert f"until={second_end.isoformat()}" in page.url and "sort=-since" in page.url
    expect(page.locator("#stated-by-title")).to_contain_text(f"{second_end:%B %Y}")

    slider.press("End")
    page.wait_for_url(lambda url: "until=" not in url)
    expect(label).to_have_text("today")
    pledges = {
        iso2 for iso2 in {s.country for s in demo_statements() if s.official}
        if max((s.date, s.position) for s in demo_statements()
               if s.official and s.country == iso2)[1] == "pledge"
    }
    expect(names).to_have_count(len(pledges))
    assert len(pledges) < len(by_name)
