"""The date axis and the compare page in a real browser: tick labels that never overlap at
desktop or phone width, markers reached by the keyboard with their names, the compare form
without JavaScript. Screenshots are printed (see test_browser.shot)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.test_browser import OVERVIEW, browser_page, shot  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = {"desktop": 1200, "phone": 390}


@pytest.fixture
def demo(transactional_db) -> None:
    call_command("load_demo")


def _visible_boxes(page, selector: str) -> list[dict]:
    return page.eval_on_selector_all(
        selector,
        """els => els.filter(e => getComputedStyle(e).display !== 'none')
                     .map(e => { const r = e.getBoundingClientRect();
                                 return {left: r.left, right: r.right, top: r.top,
                                         bottom: r.bottom, text: e.textContent}; })""",
    )


def _overlapping(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["right"] <= b["left"] or b["right"] <= a["left"]
                or a["bottom"] <= b["top"] or b["bottom"] <= a["top"]
            )
            if not apart:
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize("zoom", ["", "?since=2025-08-28&until=2025-09-06"])
@pytest.mark.parametrize("width", WIDTHS)
def test_the_timeline_axis_is_readable_and_its_markers_reachable(
    live_server, demo, browser_page, width, zoom  # noqa: F811
):
    page = browser_page
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(live_server.url + OVERVIEW + "pl/" + zoom)
    figure = page.locator("figure.dateline")
    labels = _visible_boxes(page, "figure.dateline .dl-ticks text")
    assert len(labels) >= 2
    assert not _overlapping(labels), labels
    track = figure.locator(".dl-ticks").bounding_box()
    assert all(track["x"] - 1 <= b["left"] and b["right"] <= track["x"] + track["width"] + 1
               for b in labels), (labels, track)
    if zoom:  # days, every other one: the range ends before the record does
        assert labels[0]["text"] == "29 Aug 2025" and figure.locator(".axis-end").count() == 0
    else:
        assert figure.locator(".axis-end text").text_content() == "present"
    # The keyboard reaches each marker, and it is named "Name, position, date".
    marker = figure.locator(".dl-markers a").first
    name = marker.get_attribute("aria-label")
    assert name and name.startswith("Donald Tusk, ")
    for _ in range(60):
        page.keyboard.press("Tab")
        if marker.evaluate("e => e === document.activeElement"):
            break
    assert marker.evaluate("e => e === document.activeElement")
    shot(page, f"timeline-axis-{width}" + ("-zoomed" if zoom else ""))
    page.keyboard.press("Enter")
    page.wait_for_url("**/stances/*/")


def test_compare_chooses_countries_by_a_plain_form_and_shares_the_url(
    live_server, demo, browser_page  # noqa: F811
):
    page = browser_page
    page.goto(live_server.url + OVERVIEW + "de/")
    page.get_by_role("link", name="Compare with other countries").click()
    page.wait_for_url("**/compare/?country=DE")
    assert page.locator("#compare-country-1").input_value() == "DE"
    page.locator("#compare-country-2").select_option("FR")
    page.locator("#compare-country-3").select_option("PL")
    page.get_by_role("button", name="Compare").click()
    # The empty choosers are dropped: the address is the share link.
    page.wait_for_url("**/compare/?country=DE&country=FR&country=PL")
    rows = page.locator("figure.compare .dl-country .dl-label a")
    assert rows.all_text_contents() == ["Germany", "France", "Poland"]
    assert page.locator("figure.compare .dl-ticks").count() == 1
    labels = _visible_boxes(page, "figure.compare .dl-ticks text")
    assert not _overlapping(labels), labels
    shot(page, "compare-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    labels = _visible_boxes(page, "figure.compare .dl-ticks text")
    assert not _overlapping(labels), labels
    shot(page, "compare-phone")
