"""In a real browser (Chromium through Playwright): a correction that changes only the
country keeps the date; a curator adds a stance the extractor missed from an article's
sentence, and a reader finds it on the timeline and its permalink, "reviewed by" included."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from stances.models import ReviewStatus, Stance
from tests.factories import make_article, make_stance
from tests.test_browser import browser_page, expect, shot  # noqa: F401 (fixture)
from tests.test_curation_flow import _outside_the_event_loop

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MISSED = "Norway's defence minister Tore Sandvik said on Tuesday that Oslo would send a frigate."
TEXT = (
    "Allies weigh the force\n\n"
    "Leaders met in Paris on Monday to plan the reassurance force for Ukraine.\n"
    f"{MISSED} Talks resume next week."
)


def _session(user) -> str:
    signed_in = Client()
    signed_in.force_login(user)
    return signed_in.cookies["sessionid"].value


@pytest.fixture
def ada(transactional_db, curator):
    # Made before the browser starts: under Playwright's sync API the ORM would run in its
    # event loop's context.
    curator.first_name, curator.last_name = "Ada", "Lovelace"
    curator.save()
    return curator


@pytest.fixture
def dated(ada):
    stance = make_stance(
        "PL", "hedge", status=ReviewStatus.PROPOSED, date=dt.date(2025, 9, 5),
        article=make_article(), user=None,
    )
    return stance, _session(ada)


def test_a_correction_of_the_country_alone_keeps_the_date(
    live_server, dated, browser_page  # noqa: F811
):
    stance, session = dated
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(live_server.url + reverse("review:queue"))
    row = page.locator(f"#row-{stance.pk}")
    row.get_by_role("link", name="Correct…").click()
    date = row.locator("input[type=date]")
    expect(date).to_have_value("2025-09-05")  # shown, so sent back as it was
    row.locator("select[name$='-country']").select_option("DE")
    row.locator("form.correct button[type=submit]").click()
    expect(row.locator(".message")).to_contain_text("approved")
    shot(page, "correction-country-only")

    saved = _outside_the_event_loop(lambda: Stance.objects.select_related("country").get())
    assert (saved.country.iso2, saved.statement_date, saved.date_precision) == (
        "DE",
        dt.date(2025, 9, 5),
        "day",
    )
    page.goto(live_server.url + reverse("review:history", args=[stance.pk]))
    newest = page.locator("table.history tbody tr").first
    expect(newest).to_contain_text("Corrected and approved")
    expect(newest).to_contain_text("Ada Lovelace")
    expect(newest.locator("ul.changes li")).to_have_text(["Country: Poland → Germany"])


@pytest.fixture
def missed(ada):
    article = make_article(TEXT, title="Allies weigh the force", published=dt.date(2025, 9, 5))
    return article, _session(ada)


def test_a_curator_adds_a_missed_stance_and_a_reader_finds_it(
    live_server, missed, browser_page  # noqa: F811
):
    article, session = missed
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(live_server.url + article.get_absolute_url())

    # Selecting words in the text offers their whole sentence (progressive JavaScript).
    page.evaluate(
        """(words) => {
            const text = document.querySelector('.article-text').firstChild;
            const at = text.data.indexOf(words);
            window.getSelection().setBaseAndExtent(text, at, text, at + words.length);
        }""",
        "would send a frigate",
    )
    bar = page.locator("#selection-bar")
    expect(bar).to_be_visible()
    expect(bar.locator(".selected")).to_have_text(MISSED)
    start = TEXT.index(MISSED)
    assert bar.locator("a").get_attribute("href").endswith(
        f"?start={start}&end={start + len(MISSED)}"
    )
    assert refused == []  # the script runs under the page's content security policy
    shot(page, "add-stance-selection")

    # Picking it from the list of sentences, as without JavaScript.
    page.evaluate("window.getSelection().removeAllRanges()")
    page.locator("#sentences li", has_text=MISSED).get_by_role(
        "link", name="Add stance from this sentence"
    ).click()
    page.wait_for_url("**/review/articles/**")
    expect(page.locator("#chosen-sentence")).to_have_text(MISSED)
    expect(page.locator("select[name=country]")).to_have_value("NO")  # read from the sentence
    expect(page.locator("input[name=statement_date]")).to_have_value("2025-09-02")  # Tuesday
    page.get_by_label("Pledge").check()
    shot(page, "add-stance-form")
    page.get_by_role("button", name="Save as an approved stance").click()
    page.wait_for_url("**/stances/**")
    expect(page.locator(".provenance")).to_contain_text("reviewed by Ada Lovelace on")

    stance = _outside_the_event_loop(
        lambda: Stance.objects.select_related("created_by", "reviewed_by").get()
    )
    assert (stance.status, stance.position, stance.created_by.username) == (
        "approved",
        "pledge",
        "curator",
    )

    # A reader, signed out, finds it on Norway's timeline and on its permalink.
    page.context.clear_cookies()
    page.goto(live_server.url + "/t/ukraine-troop-deployment/no/")
    expect(page.locator("header.site")).to_contain_text("Sign in")
    card = page.locator("#timeline article.stance-pledge", has_text=MISSED)
    expect(card).to_have_count(1)
    shot(page, "add-stance-timeline")
    card.locator(f"a[href='/stances/{stance.pk}/']").first.click()
    page.wait_for_url(f"**/stances/{stance.pk}/")
    expect(page.locator(".provenance")).to_contain_text("Added by Ada Lovelace")
    expect(page.locator(".provenance")).to_contain_text("reviewed by Ada Lovelace on")
    expect(page.locator("article.stance mark")).to_have_text(MISSED)
    page.get_by_role("link", name="change log").click()
    expect(page.locator("ol.change-log")).to_contain_text("Added and approved by Ada Lovelace")
    shot(page, "add-stance-permalink")
