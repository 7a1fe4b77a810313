"""A statement with no known date: approving one asks for its date or a plain "date unknown";
on the timeline an undated statement stands apart, and says why it does not set the
current position (the latest dated statement of the official line does)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from stances import services
from stances.models import Stance

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db

TIMELINE = "/t/ukraine-troop-deployment/de/"
ASK = "give the date of the statement, or tick “date unknown”"


@pytest.fixture
def undated():
    return make_stance(
        "DE", "pledge", status="proposed", date=None, sentence="Germany is ready, Merz said."
    )


def _approve(client, stance, htmx: bool = False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("review:action", args=[stance.pk]),
        {"action": "approve", "next": reverse("review:queue"), **data},
        headers=headers,
    )


def test_the_queue_asks_for_a_date_or_date_unknown(client, curator, undated):
    dated = make_stance("FR", "pledge", status="proposed")
    client.force_login(curator)
    html = client.get(reverse("review:queue")).content.decode()
    row = html[html.index(f'id="row-{undated.pk}"') :]
    row = row[: row.index("</li>")]
    assert 'type="date" name="date"' in row and 'name="date_unknown"' in row
    assert "date unknown" in row
    other = html[html.index(f'id="row-{dated.pk}"') :]
    assert 'name="date_unknown"' not in other[: other.index("</li>")]


def test_approving_without_a_date_or_date_unknown_is_refused(client, curator, undated):
    client.force_login(curator)
    response = _approve(client, undated)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"Germany: Not approved: {ASK}." in page
    refused = _approve(client, undated, htmx=True)
    assert refused.status_code == 400
    assert f"Not approved: {ASK}." in refused.content.decode()
    assert 'name="date_unknown"' in refused.content.decode(), "the row, to try again"
    undated.refresh_from_db()
    assert undated.status == "proposed"


def test_approving_with_a_date_sets_it(client, curator, undated):
    client.force_login(curator)
    _approve(client, undated, date="2025-09-03")
    undated.refresh_from_db()
    assert (undated.status, undated.statement_date, undated.date_precision) == (
        "approved",
        dt.date(2025, 9, 3),
        "day",
    )
    assert undated.evidence.get().status == "accepted"


def test_approving_with_date_unknown_approves_it_undated(client, curator, undated):
    client.force_login(curator)
    response = _approve(client, undated, htmx=True, date_unknown="1")
    assert "now <strong>approved</strong>" in response.content.decode()
    undated.refresh_from_db()
    assert (undated.status, undated.statement_date, undated.date_precision) == (
        "approved",
        None,
        "unknown",
    )


def test_bulk_approval_skips_undated_stances_and_says_so(client, curator, undated):
    dated = make_stance("FR", "pledge", status="proposed")
    client.force_login(curator)
    response = client.post(
        reverse("review:bulk"), {"stance": [undated.pk, dated.pk], "action": "approve"}
    )
    page = client.get(response["Location"]).content.decode()
    assert "1 stance approved." in page
    assert f"1 undated stance was not approved (Germany): {ASK} in its row." in page
    assert set(Stance.objects.approved().values_list("pk", flat=True)) == {dated.pk}
    # Rejecting needs no date.
    client.post(reverse("review:bulk"),
                {"stance": [undated.pk], "action": "reject", "reason": "not about troops"})
    undated.refresh_from_db()
    assert undated.status == "rejected"


def test_the_service_approves_an_undated_stance_only_when_confirmed(curator, undated):
    assert services.stances_review(stance_ids=[undated.pk], approve=True, user=curator) == []
    undated.refresh_from_db()
    assert undated.status == "proposed"
    services.stances_review(
        stance_ids=[undated.pk], approve=True, user=curator, undated_confirmed=True
    )
    undated.refresh_from_db()
    assert undated.status == "approved"


def test_a_correction_without_a_date_needs_date_unknown_too(client, curator, undated):
    client.force_login(curator)
    prefix = f"s{undated.pk}"
    fields = {f"{prefix}-position": "hedge", f"{prefix}-country": "DE"}
    response = client.post(
        reverse("review:action", args=[undated.pk]), {"action": "correct", **fields}
    )
    assert response.status_code == 400 and ASK in response.content.decode().replace("&quot;", "")
    undated.refresh_from_db()
    assert undated.status == "proposed"
    client.post(
        reverse("review:action", args=[undated.pk]),
        {"action": "correct", **fields, f"{prefix}-date_unknown": "on"},
    )
    undated.refresh_from_db()
    assert (undated.status, undated.position, undated.statement_date) == ("approved", "hedge", None)


def test_the_timeline_shows_undated_statements_apart_and_says_why(client):
    merz = make_actor("Friedrich Merz", "DE")
    make_stance("DE", "hedge", actor=merz, date=dt.date(2025, 9, 4), sentence="Dated hedge.")
    make_stance("DE", "pledge", actor=merz, date=None, sentence="Undated pledge.")
    html = client.get(TIMELINE).content.decode()
    current = html[html.index('<p class="current">') :]
    assert "pos-hedge" in current[: current.index("</p>")], "the dated hedge sets it"
    lanes = html[html.index('class="lanes"') : html.index('id="undated-title"')]
    assert "Dated hedge." in lanes and "Undated pledge." not in lanes
    apart = html[html.index('id="undated-title"') :]
    assert "Undated statements</h2>" in html and "Undated pledge." in apart
    assert (
        "no known date, so they do not set the current position: the current position is "
        "the latest dated statement of the official line"
    ) in apart


def test_no_undated_section_without_undated_statements(client):
    make_stance("DE", "hedge")
    assert "Undated statements" not in client.get(TIMELINE).content.decode()


def test_the_correction_form_gives_the_date_in_the_form_a_browser_reads(client, curator):
    """A date input takes ISO dates only: in any other format the browser shows it empty,
    and saving the correction would clear the date (now: refuse to approve)."""
    stance = make_stance("PL", "hedge", status="proposed", date=dt.date(2025, 9, 4))
    client.force_login(curator)
    html = client.get(reverse("review:edit", args=[stance.pk])).content.decode()
    assert f'type="date" name="s{stance.pk}-statement_date" value="2025-09-04"' in html
