"""Choosing a country group in the overview's filter form, in a real browser: with htmx
the results swap in place and the address names the group; without JavaScript the form
is a plain GET that lands on the same clean address."""

from __future__ import annotations

import pytest

from tests.test_browser import OVERVIEW, browser_page, demo, expect, shot  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_choosing_a_group_narrows_the_overview_and_shows_its_tally(
    live_server, demo, browser_page  # noqa: F811
):
    page = browser_page
    page.goto(live_server.url + OVERVIEW)
    page.evaluate("window.__stillHere = 'yes'")
    page.get_by_label("Country group").select_option(label="Nordic countries")
    page.wait_for_url("**group=nordic-countries**")
    tally = page.locator("#results .group-tally")
    expect(tally).to_contain_text("Nordic countries, 5 members:")
    assert page.evaluate("window.__stillHere") == "yes"  # swapped in place, not reloaded
    # Only members on the map: the five Nordic tiles, Germany's gone.
    expect(page.locator("svg.tilemap a")).to_have_count(5)
    assert page.locator("svg.tilemap a[aria-label^='DE,']").count() == 0
    shot(page, "groups-01-overview-nordic")

    page.reload()  # the address names the view
    expect(page.locator("#results .group-tally")).to_contain_text("Nordic countries, 5 members:")
    page.locator(".group-tally a", has_text="according to whom").click()
    page.wait_for_url("**/groups/#nordic-countries")
    expect(page.locator("#nordic-countries")).to_contain_text("Iceland")
    shot(page, "groups-02-groups-page")


def test_the_group_filter_works_without_javascript(live_server, demo, browser_page):  # noqa: F811
    context = browser_page.context.browser.new_context(
        java_script_enabled=False, viewport={"width": 1200, "height": 900}
    )
    page = context.new_page()
    page.goto(live_server.url + OVERVIEW)
    page.get_by_label("Country group").select_option(label="G7")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"**{OVERVIEW}?group=g7")
    expect(page.locator(".group-tally")).to_contain_text("G7, 7 members:")
    shot(page, "groups-03-overview-g7-no-js")
    context.close()
