"""Issue 6, end to end: ingesting the seeds fills the review queue, the Germany report
conflict shows as a dispute a curator resolves, and a curator works the queue by keyboard in
a real browser."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from stances.models import Dispute, ReviewStatus, Stance
from tests.factories import make_article, make_stance
from tests.test_browser import browser_page, shot  # noqa: F401 (fixture)

SEEDS = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "seeds"


@pytest.fixture
def seeds() -> Path:
    if not SEEDS.is_dir():
        pytest.skip("../shared/corpus/seeds is not beside the project")
    return SEEDS


def test_ingesting_the_seeds_fills_the_queue_with_evidence_and_a_germany_dispute(
    db, seeds, client, curator
):
    call_command("ingest", str(seeds), "--sync")
    proposed = Stance.objects.proposed()
    assert proposed.count() >= 30
    # Every proposal carries the sentence that says so, and none passes as fact yet.
    assert not proposed.filter(evidence__isnull=True).exists()
    assert not Stance.objects.approved().exists()

    client.force_login(curator)
    queue = client.get(reverse("review:queue")).content.decode()
    assert f"{proposed.count()} proposed stances to review" in queue
    assert "<mark>" in queue

    # Proposals that disagree are not a dispute: nothing is on record yet.
    assert not Dispute.objects.exists()
    germany = list(proposed.filter(country__iso2="DE").values_list("pk", flat=True))
    client.post(reverse("review:bulk"), {"stance": germany, "action": "approve"})
    dispute = Dispute.objects.get(country__iso2="DE", status="open")
    assert {s.position for s in dispute.stances.all()} >= {"pledge", "hedge"}
    disputes_page = client.get(reverse("review:disputes")).content.decode()
    assert "Germany" in disputes_page

    (pledge,) = dispute.stances.filter(position="pledge")  # a list naming Germany
    response = client.post(
        reverse("review:resolve", args=[dispute.pk]),
        {
            "note": "Berlin's own statements say undecided; the list overstated it.",
            "decision": f"reject-{pledge.pk}",
        },
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "resolved" and dispute.resolved_by == curator
    pledge.refresh_from_db()
    assert pledge.status == "rejected" and "overstated" in pledge.rejection_reason


def test_ingesting_the_seeds_again_proposes_nothing_new(db, seeds):
    call_command("ingest", str(seeds), "--sync")
    before = (Stance.objects.count(), Dispute.objects.count())
    call_command("ingest", str(seeds), "--sync")
    assert (Stance.objects.count(), Dispute.objects.count()) == before


@pytest.fixture
def three_proposed(transactional_db, curator):
    # Made before the browser starts: under Playwright's sync API the ORM would run in its
    # event loop's context.
    stances = [
        make_stance(iso2, "pledge", status=ReviewStatus.PROPOSED, article=make_article())
        for iso2 in ("FR", "PL", "IT")
    ]
    signed_in = Client()
    signed_in.force_login(curator)
    return stances, signed_in.cookies["sessionid"].value


def _outside_the_event_loop(read):
    """Read the database from a plain thread (Playwright's loop owns this one)."""
    from django.db import connections

    result = []

    def run():
        try:
            result.append(read())
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_curator_approves_rejects_and_corrects_with_the_keyboard(
    live_server, three_proposed, curator, browser_page  # noqa: F811
):
    stances, session = three_proposed
    page = browser_page
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(live_server.url + reverse("review:queue"))
    page.evaluate("window.__noReload = true")

    def focused_row() -> str:
        return page.evaluate("document.activeElement.closest('.review-row').id")

    page.keyboard.press("j")
    first = focused_row()
    page.keyboard.press("a")
    page.wait_for_selector(f"#{first} .message:has-text('approved')")
    # The next row takes the focus by itself after the swap.
    page.wait_for_function(f"document.activeElement.id !== '{first}'")
    second = focused_row()
    page.keyboard.press("r")  # the reason first: a rejection needs one
    page.keyboard.type("Not about sending troops.")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#{second} .message:has-text('rejected')")
    page.wait_for_function(f"document.activeElement.id !== '{second}'")
    third = focused_row()
    page.keyboard.press("e")
    page.wait_for_selector(f"#{third} form.correct")
    page.select_option(f"#{third} select[name$='-position']", "hedge")
    page.click(f"#{third} form.correct button[type=submit]")
    page.wait_for_selector(f"#{third} .message:has-text('approved')")
    shot(page, "review-keyboard")
    assert page.evaluate("window.__noReload") is True  # all three in place, no reload

    by_row = {f"row-{s.pk}": s for s in stances}
    for row, status, position in (
        (first, ReviewStatus.APPROVED, "pledge"),
        (second, ReviewStatus.REJECTED, "pledge"),
        (third, ReviewStatus.APPROVED, "hedge"),
    ):
        stance = _outside_the_event_loop(
            lambda pk=by_row[row].pk: Stance.objects.select_related("reviewed_by").get(pk=pk)
        )
        assert (stance.status, stance.position, stance.reviewed_by) == (status, position, curator)
        if status == ReviewStatus.REJECTED:
            assert stance.rejection_reason == "Not about sending troops."


def test_the_correction_form_starts_from_the_stance_as_proposed(client, curator):
    stance = make_stance("PL", "hedge", status=ReviewStatus.PROPOSED)
    client.force_login(curator)
    html = client.get(reverse("review:edit", args=[stance.pk])).content.decode()
    # Every required field is filled in, so a browser submits the form as it stands.
    assert '<option value="PL" selected>' in html
    assert '<option value="hedge" selected>' in html
