"""In a real browser: a curator approving an undated stance is told, in its row, to give a
date or tick "date unknown", and then approves it with a date; a new source of an approved
stance is accepted with one key and shows to a signed-out reader."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_actor, make_article, make_evidence, make_stance
from tests.test_browser import browser_page, expect, shot  # noqa: F401 (fixture)

UNDATED = "Germany is ready to help, Merz said."
NEW = "Tusk told reporters again that Poland would not send troops."


@pytest.fixture
def record(transactional_db, curator):
    # Made before the browser starts: under Playwright's sync API the ORM would run in its
    # event loop's context.
    undated = make_stance("DE", "pledge", status="proposed", date=None, sentence=UNDATED)
    tusk = make_actor("Donald Tusk", "PL", role="Prime Minister")
    approved = make_stance("PL", "rejection", actor=tusk, date=dt.date(2025, 2, 17))
    article = make_article(f"Warsaw\n\nLeaders met. {NEW} Talks go on.", title="Tusk again")
    source = make_evidence(approved, NEW, article=article)
    signed_in = Client()
    signed_in.force_login(curator)
    return undated, source, signed_in.cookies["sessionid"].value


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_undated_approval_and_a_new_source_in_the_browser(
    live_server,
    record,
    browser_page,  # noqa: F811
):
    undated, source, session = record
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(live_server.url + reverse("review:queue"))
    page.evaluate("window.__noReload = true")
    row = page.locator(f"#row-{undated.pk}")
    row.get_by_role("button", name="Approve").click()
    expect(row.locator("[role=alert]")).to_contain_text("Not approved: give the date")
    expect(page.locator(f"#row-{undated.pk} input[type=date]")).to_be_focused()
    shot(page, "undated-refused")
    page.fill(f"#row-{undated.pk} input[type=date]", "2025-09-03")
    page.locator(f"#row-{undated.pk}").get_by_role("button", name="Approve").click()
    expect(page.locator(f"#row-{undated.pk} .message")).to_contain_text("approved")
    assert page.evaluate("window.__noReload") is True  # both answers swapped in place

    page.get_by_role("link", name="New sources for approved stances (1)").click()
    page.wait_for_url(f"**{reverse('review:sources')}")
    card = page.locator(f"#source-{source.pk}")
    expect(card.locator("mark")).to_have_text(NEW)
    shot(page, "sources-queue")
    page.evaluate("window.__noReload = true")
    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(card.locator(".message")).to_contain_text("now accepted")
    assert page.evaluate("window.__noReload") is True

    page.context.clear_cookies()
    page.goto(live_server.url + "/t/ukraine-troop-deployment/pl/")
    stance = page.locator("#timeline article.stance-rejection")
    expect(stance).to_contain_text(NEW)
    expect(stance.locator(".sources")).to_have_text("2 sources")
    page.goto(live_server.url + "/t/ukraine-troop-deployment/de/")
    expect(page.locator("#timeline article.stance-pledge")).to_contain_text("3 Sep 2025")
    shot(page, "sources-timeline")
