"""The overview's chart in a real browser: a keyboard user tabs from the map to the chart's
points and reads each tooltip, a mouse user hovers over one, and the downloads are files
named after the view. Screenshots of the chart are printed."""

from __future__ import annotations

import re

import pytest

from .conftest import SCREENSHOTS
from .test_browser import OVERVIEW, SHOTS, browser_page, demo, expect, shot  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def shot_of(locator, name: str) -> None:
    """A screenshot of one element (the chart), saved and printed as `shot` does."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    locator.screenshot(path=str(path))
    print(f"screenshot: {path}")
    SCREENSHOTS.append(str(path))


def test_the_keyboard_reaches_each_chart_point_and_reads_its_tooltip(
    live_server, demo, browser_page  # noqa: F811
):
    page = browser_page
    page.goto(live_server.url + OVERVIEW)
    steps = page.locator("svg.linechart a.step")
    assert steps.count() >= 5
    # From the map's last tile, Tab goes on to the chart's first point, then the next.
    page.locator("svg.tilemap a").last.focus()
    page.keyboard.press("Tab")
    focused = page.locator("svg.linechart a.step:focus")
    expect(focused).to_have_count(1)
    # Its name, read aloud, is its tooltip's words (the <title> that mouse users see).
    first = focused.locator("title").text_content()
    expect(focused).to_have_accessible_name(first)
    assert first == steps.first.locator("title").text_content()
    assert first.startswith("Feb 2025: pledge 1 (United Kingdom), hedge 4 (")
    tip = focused.locator(".step-tip")
    expect(tip).to_be_visible()
    assert "February 2025" in tip.text_content()
    assert "✔ pledge 1: United Kingdom" in tip.text_content()
    # Only the focused point shows its tooltip.
    expect(page.locator("svg.linechart .step-tip:visible")).to_have_count(1)
    page.keyboard.press("Tab")
    second = page.locator("svg.linechart a.step:focus")
    expect(second).to_have_accessible_name(re.compile(r"^Mar 2025: pledge 5 \("))
    assert "Changed: " in second.locator(".step-tip").text_content()
    chart = page.locator("section.chart")
    chart.scroll_into_view_if_needed()
    shot_of(chart, "chart-01-keyboard-tooltip")
    shot(page, "chart-02-overview")
    # Escape hides the tooltip without moving the focus; the next point shows its own.
    page.keyboard.press("Escape")
    expect(second.locator(".step-tip")).to_be_hidden()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("svg.linechart a.step:focus .step-tip")).to_be_visible()
    page.keyboard.press("Tab")

    # Enter follows the point to its row of the figures, which names the same changes.
    page.keyboard.press("Enter")
    page.wait_for_url("**#chart-2025-03")
    row = page.locator("#chart-2025-03")
    expect(row).to_be_visible()
    assert "Ukraine → pledge (first)" in row.inner_text()


def test_hovering_a_point_shows_its_tooltip_and_the_downloads_are_named_files(
    live_server, demo, browser_page  # noqa: F811
):
    page = browser_page
    page.goto(live_server.url + OVERVIEW)
    page.locator("section.chart").scroll_into_view_if_needed()
    last = page.locator("svg.linechart a.step").last
    last.locator(".step-hit").hover()
    expect(last.locator(".step-tip")).to_be_visible()
    assert last.locator(".step-tip").text_content()[:3] == last.locator("title").text_content()[:3]
    shot_of(page.locator("section.chart"), "chart-03-hover-tooltip")
    # The tooltip can itself be hovered, over the points after its own, and stays.
    first = page.locator("svg.linechart a.step").first
    first.locator(".step-hit").hover()
    box = first.locator(".step-tip rect").bounding_box()
    hit = first.locator(".step-hit").bounding_box()
    # Up onto the tooltip within the point's own stretch, then along it.
    page.mouse.move(hit["x"] + hit["width"] / 2 + 2, box["y"] + box["height"] / 2, steps=4)
    page.mouse.move(box["x"] + box["width"] - 10, box["y"] + box["height"] / 2, steps=8)
    expect(first.locator(".step-tip")).to_be_visible()
    expect(page.locator("svg.linechart .step-tip:visible")).to_have_count(1)

    for label, ext in (("Download SVG", "svg"), ("Download PNG", "png")):
        with page.expect_download() as download:
            page.get_by_role("link", name=label).click()
        name = download.value.suggested_filename
        assert name.startswith("chart-ukraine-troop-deployment-") and name.endswith(f".{ext}")


def test_a_phone_sees_the_whole_chart(live_server, demo, browser_page):  # noqa: F811
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + OVERVIEW)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot_of(page.locator("section.chart"), "chart-04-phone")
