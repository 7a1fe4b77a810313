"""Accessibility (WCAG 2.2 AA) in a real browser: axe-core, shipped inside the
axe-playwright-python package, runs in Debian's Chromium on every kind of page, at desktop
and phone widths, and any "serious" or "critical" violation fails. Keyboard users reach
the country table in a few Tab presses, and the API docs fit a phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from stances.models import Actor, Stance, published_articles
from stances.services import disputes_detect
from tests.factories import make_article, make_candidate, make_stance
from tests.test_browser import OVERVIEW, browser_page, shot  # noqa: F401 (fixture)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
SERIOUS = {"serious", "critical"}


@pytest.fixture
def site(transactional_db, curator, settings):
    """The demo record plus what the curators' pages list: a proposal, a sentence needing a
    position and an open dispute. Made before the browser starts (see test_browser).
    Embedding allowed, so the pages show their "Embed" code too."""
    settings.EMBED_ALLOWED_ORIGINS = ["https://news.example.org"]
    call_command("load_demo")
    day = dt.date(2025, 9, 4)
    make_stance("NO", "pledge", date=day)
    disputes_detect(
        topic_id=make_stance("NO", "hedge", date=day + dt.timedelta(days=2)).topic_id,
        country_id=make_stance("NO", "rejection", date=day).country_id,
    )
    make_stance("DK", "hedge", status="proposed", date=day, article=make_article())
    make_candidate("PL")
    signed_in = Client()
    signed_in.force_login(curator)
    actor = Actor.objects.public().order_by("slug").first()
    return {
        "session": signed_in.cookies["sessionid"].value,
        "reader": {
            "overview": OVERVIEW,
            "overview-sorted-stated-by": OVERVIEW + "?sort=-since&until=2025-06-30",
            "overview-as-of-before-reviews": OVERVIEW + "?as_of=2025-06-01",
            "timeline": OVERVIEW + "pl/",
            "compare": OVERVIEW + "compare/?country=FR&country=DE&country=PL",
            "actor": actor.get_absolute_url(),
            "article": reverse("stances:article", args=[published_articles().first().pk]),
            "stance": Stance.objects.approved().first().get_absolute_url(),
            "stance-changes": reverse(
                "stances:stance_changes", args=[Stance.objects.approved().first().pk]
            ),
            "topic-changes": OVERVIEW + "changes/",
            "search": reverse("stances:search") + "?q=troops",
            "methodology": reverse("outputs:methodology_default"),
            "actors": reverse("stances:actors"),
            "articles": reverse("stances:articles"),
            "login": reverse("login"),
            "api-docs": "/api/docs/",
            "groups": reverse("stances:groups"),
            "overview-group": OVERVIEW + "?group=nato",
            "embed-chart": reverse("outputs:embed_chart", args=["ukraine-troop-deployment"]),
            "embed-country": reverse(
                "outputs:embed_country", args=["ukraine-troop-deployment", "PL"]
            ),
        },
        "curator": {
            "review": reverse("review:queue"),
            "candidates": reverse("review:candidates"),
            "disputes": reverse("review:disputes"),
        },
    }


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    # Experimental rules too: label-content-name-mismatch (WCAG 2.5.3) is one of them.
    page.evaluate(axe.axe_script)
    experimental = page.evaluate("axe.getRules(['experimental']).map(r => r.ruleId)")
    options = {"resultTypes": ["violations"], "rules": {r: {"enabled": True} for r in experimental}}
    results = axe.run(page, options=options)
    return [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_no_page_has_a_serious_axe_violation(live_server, site, browser_page, viewport):  # noqa: F811
    page = browser_page
    page.set_viewport_size(dict(zip(("width", "height"), VIEWPORTS[viewport], strict=True)))
    found: dict[str, list[str]] = {}

    def check(kind: str, path: str) -> None:
        response = page.goto(live_server.url + path)
        assert response.status == 200, (kind, path, response.status)
        page.wait_for_load_state("networkidle")
        if violations := axe_violations(page):
            found[kind] = violations
        shot(page, f"a11y-{viewport}-{kind}")

    for kind, path in site["reader"].items():
        check(kind, path)
    page.context.add_cookies(
        [{"name": "sessionid", "value": site["session"], "url": live_server.url}]
    )
    for kind, path in site["curator"].items():
        check(kind, path)
    assert not found, "\n".join(f"{k}: {v}" for k, vs in found.items() for v in vs)


def test_the_keyboard_reaches_the_first_country_row_past_the_map(
    live_server, site, browser_page  # noqa: F811
):
    page = browser_page
    page.goto(live_server.url + OVERVIEW)
    first_row = page.locator("table.overview-table tbody tr").first.locator("a").first
    presses = 0
    for key in ["Tab", "Tab"]:  # "Skip to content", then "Skip past the map"
        page.keyboard.press(key)
        presses += 1
    assert page.evaluate("document.activeElement.textContent") == "Skip past the map"
    page.keyboard.press("Enter")
    presses += 1
    while presses < 10 and not first_row.evaluate("e => e === document.activeElement"):
        page.keyboard.press("Tab")
        presses += 1
    assert first_row.evaluate("e => e === document.activeElement"), presses
    shot(page, "a11y-keyboard-first-row")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_api_docs_fit_a_phone(live_server, site, browser_page, viewport):  # noqa: F811
    page = browser_page
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server.url + "/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator("meta[name=viewport]").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"a11y-{viewport}-api-docs-fit")
