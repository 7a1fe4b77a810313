"""The analyst's round trip in a real browser: Debian's Chromium driven by Playwright.

Overview → a country → filter its timeline by position through htmx (no full reload) →
the URL names the filtered view → reloading it shows the same → a stance's permalink.
Screenshots go to test-artifacts/screenshots/ and their paths are printed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from .conftest import REQUIRE_SERVICES, SCREENSHOTS

# Serialized rollback: the live server needs committed data, and the reference data of the
# migrations (countries, the topic) must be back for the tests that run after these.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
OVERVIEW = "/t/ukraine-troop-deployment/"


def _unavailable(message: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}, and REQUIRE_SERVICES=1 says browser tests must run", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def demo(transactional_db) -> None:
    # Loaded before the browser starts: under Playwright's sync API the ORM would run in
    # its event loop's context, on a connection of its own that nothing closes.
    call_command("load_demo")


@pytest.fixture
def browser_page():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        _unavailable(f"Chromium is not installed at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        context = browser.new_context(
            viewport={"width": 1200, "height": 900},
            permissions=["clipboard-read", "clipboard-write"],
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")
    SCREENSHOTS.append(str(path))
    return path


def test_it_filters_a_timeline_in_place_and_the_url_keeps_the_view(live_server, demo, browser_page):
    page = browser_page
    page.goto(live_server.url + "/")
    assert page.url == live_server.url + OVERVIEW
    assert page.locator("svg.tilemap a").count() > 20
    shot(page, "01-overview")

    page.locator("table.overview-table a", has_text="Poland").click()
    page.wait_for_url(f"**{OVERVIEW}pl/")
    timeline = page.locator("#timeline")
    assert timeline.locator("article.stance-rejection").count() >= 1
    assert timeline.locator("article.stance-hedge").count() >= 1
    shot(page, "02-timeline")

    # A full page load would wipe this; an htmx swap of the timeline region keeps it.
    page.evaluate("window.__stillHere = 'yes'")
    page.get_by_label("hedge", exact=False).first.check()
    page.wait_for_url("**position=hedge**")
    expect(page.locator("#timeline article.stance-rejection")).to_have_count(0)
    assert page.evaluate("window.__stillHere") == "yes"
    assert "position=hedge" in page.url
    hedges = timeline.locator("article.stance").count()
    assert hedges >= 1
    shot(page, "03-timeline-filtered")

    # "Copy link" copies the address of the filtered view, as the address bar now has it.
    page.locator("#timeline .copy-link").click()
    expect(page.locator("#timeline .copy-status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == page.url

    page.reload()
    assert page.evaluate("window.__stillHere") is None
    assert page.locator("input[name=position][value=hedge]").is_checked()
    assert page.locator("#timeline article.stance-rejection").count() == 0
    assert page.locator("#timeline article.stance").count() == hedges

    link = page.locator("#timeline article.stance header a[href^='/stances/']").first
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"**{href}")
    assert page.locator("h1").inner_text().startswith("Poland")
    assert page.locator("article.stance mark").count() >= 1
    shot(page, "04-permalink")


def test_back_and_forward_keep_the_form_and_the_results_in_step(
    live_server, demo, browser_page
):
    page = browser_page
    page.goto(live_server.url + OVERVIEW + "pl/")
    hedge = page.locator("input[name=position][value=hedge]")
    rejection = page.locator("input[name=position][value=rejection]")
    rejections = page.locator("#timeline article.stance-rejection")
    assert rejections.count() >= 1

    hedge.check()
    # The form sends its empty fields too; the address keeps only what was chosen.
    page.wait_for_url("**pl/?position=hedge")
    expect(rejections).to_have_count(0)
    rejection.check()
    page.wait_for_url("**pl/?position=hedge&position=rejection")
    expect(rejections).not_to_have_count(0)

    # Back: the hedge-only view, its box ticked and the rejection box not.
    page.go_back()
    page.wait_for_url("**pl/?position=hedge")
    expect(rejections).to_have_count(0)
    expect(hedge).to_be_checked()
    expect(rejection).not_to_be_checked()
    # Back again: the unfiltered timeline with no box ticked.
    page.go_back()
    page.wait_for_url(f"**{OVERVIEW}pl/")
    expect(rejections).not_to_have_count(0)
    expect(hedge).not_to_be_checked()
    # Forward: the hedge-only view again, as the form says.
    page.go_forward()
    page.wait_for_url("**pl/?position=hedge")
    expect(rejections).to_have_count(0)
    expect(hedge).to_be_checked()
    expect(rejection).not_to_be_checked()


def test_it_fits_a_phone(live_server, demo, browser_page):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(live_server.url + OVERVIEW + "de/")
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "05-phone-timeline")
    page.goto(live_server.url + OVERVIEW)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "06-phone-overview")
