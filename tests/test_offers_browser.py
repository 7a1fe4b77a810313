"""Who offers what in a real browser: the matrix, and a contribution filter's round trip
through the URL (htmx swap, the address names the view, Back restores it)."""

from __future__ import annotations

import pytest

from .test_browser import OVERVIEW, browser_page, demo, expect, shot  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_matrix_narrows_with_a_contribution_filter_and_back_restores_it(
    live_server, demo, browser_page  # noqa: F811
):
    page = browser_page
    page.goto(live_server.url + OVERVIEW)
    matrix = page.locator("#offers table.matrix tbody tr")
    everyone = matrix.count()
    assert everyone > 5
    expect(page.locator("#offers")).to_contain_text("Logistics")
    shot(page, "offers-01-matrix")

    page.locator("input[name=contribution][value=air]").check()
    page.wait_for_url("**contribution=air**")
    expect(matrix).not_to_have_count(everyone)
    rows = page.locator("table.overview-table tbody tr")
    # The United States offers air support; Poland (logistics) is gone from both tables.
    expect(page.locator("#offers")).to_contain_text("United States")
    expect(page.locator("#offers")).not_to_contain_text("Poland")
    assert rows.count() < everyone + 20
    shot(page, "offers-02-air")

    page.go_back()
    page.wait_for_url(f"**{OVERVIEW}")
    expect(matrix).to_have_count(everyone)
    expect(page.locator("input[name=contribution][value=air]")).not_to_be_checked()
