"""In a real browser: a curator opens "Needs a position", places a sentence with one key,
and a reader (signed out) finds the stance with its sentence on the country's timeline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_article, make_candidate
from tests.test_browser import browser_page, expect, shot  # noqa: F401 (fixture)

SENTENCE = (
    "Poland's prime minister discussed the reassurance force with allies in Warsaw on Thursday."
)


@pytest.fixture
def one_candidate(transactional_db, curator):
    # Made before the browser starts: under Playwright's sync API the ORM would run in its
    # event loop's context.
    article = make_article(
        f"Allies meet\n\nLeaders gathered. {SENTENCE} Talks go on.",
        title="Warsaw weighs the force",
    )
    candidate = make_candidate("PL", SENTENCE, article=article, date=dt.date(2025, 9, 4))
    signed_in = Client()
    signed_in.force_login(curator)
    return candidate, signed_in.cookies["sessionid"].value


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_curator_places_a_sentence_by_key_and_a_reader_sees_it_on_the_timeline(
    live_server,
    one_candidate,
    browser_page,  # noqa: F811
):
    candidate, session = one_candidate
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(live_server.url + reverse("review:queue"))
    page.get_by_role("link", name="Needs a position (1)").click()
    page.wait_for_url(f"**{reverse('review:candidates')}")
    card = page.locator(f"#candidate-{candidate.pk}")
    expect(card.locator("mark")).to_have_text(["Poland", "Warsaw"])  # its name and capital
    expect(page.locator("#shortcuts")).to_contain_text("p pledge")
    shot(page, "candidates-queue")

    page.evaluate("window.__noReload = true")
    page.keyboard.press("j")
    page.keyboard.press("p")
    expect(card.locator(".message")).to_contain_text("placed as pledge")
    assert page.evaluate("window.__noReload") is True  # swapped in place, no reload
    shot(page, "candidates-placed")

    page.context.clear_cookies()
    page.goto(live_server.url + "/t/ukraine-troop-deployment/pl/")
    stance = page.locator("#timeline article.stance-pledge", has_text=SENTENCE)
    expect(stance).to_have_count(1)
    expect(page.locator("header.site")).to_contain_text("Sign in")  # a reader, not a curator
    shot(page, "candidates-timeline")
