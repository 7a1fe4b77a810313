"""Rejecting needs a reason: from a queue row, in bulk and in the admin; it is stored and
shown in the stance's history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stances.models import Stance

from .factories import make_stance

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed():
    return make_stance("DE", "hedge", status="proposed")


def test_a_rejection_without_a_reason_is_refused_and_changes_nothing(client, curator, proposed):
    client.force_login(curator)
    response = client.post(
        reverse("review:action", args=[proposed.pk]), {"action": "reject"}, follow=True
    )
    assert "A rejection needs a reason" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == "proposed"


def test_through_htmx_the_row_says_a_reason_is_needed(client, curator, proposed):
    client.force_login(curator)
    response = client.post(
        reverse("review:action", args=[proposed.pk]),
        {"action": "reject", "reason": "   "},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert "A rejection needs a reason" in response.content.decode()
    assert Stance.objects.get().status == "proposed"


def test_the_queue_asks_for_the_reason_beside_the_reject_button(client, curator, proposed):
    client.force_login(curator)
    html = client.get(reverse("review:queue")).content.decode()
    assert '<input type="text" name="reason" required' in html


def test_a_rejection_keeps_its_reason_and_the_history_shows_it(client, curator, proposed):
    client.force_login(curator)
    client.post(
        reverse("review:action", args=[proposed.pk]),
        {"action": "reject", "reason": "The sentence is about Austria, not Germany."},
    )
    proposed.refresh_from_db()
    assert proposed.status == "rejected"
    assert proposed.rejection_reason == "The sentence is about Austria, not Germany."
    history = client.get(reverse("review:history", args=[proposed.pk])).content.decode()
    assert "The sentence is about Austria, not Germany." in history


def test_bulk_rejection_asks_for_one_reason_for_all(client, curator):
    client.force_login(curator)
    chosen = [make_stance(c, "pledge", status="proposed") for c in ("FR", "GB")]
    ids = [s.pk for s in chosen]
    response = client.post(
        reverse("review:bulk"), {"stance": ids, "action": "reject"}, follow=True
    )
    assert "Give one reason for rejecting the selected stances." in response.content.decode()
    assert set(Stance.objects.values_list("status", flat=True)) == {"proposed"}
    client.post(reverse("review:bulk"), {"stance": ids, "action": "reject", "reason": "Satire."})
    assert set(Stance.objects.values_list("status", "rejection_reason")) == {
        ("rejected", "Satire.")
    }


def test_approving_again_clears_the_old_reason(client, curator):
    stance = make_stance("DE", "hedge", status="rejected", reason="Misread.")
    stance.approve(curator)
    stance.refresh_from_db()
    assert (stance.status, stance.rejection_reason) == ("approved", "")


def test_the_admin_asks_for_a_reason_to_reject(admin_client, admin_user):
    stance = make_stance("NL", "hedge", status="proposed")
    url = reverse("admin:stances_stance_change", args=[stance.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.pop("actor", None)
    data.update(
        {
            "topic": stance.topic_id,
            "country": stance.country_id,
            "statement_date": stance.statement_date.isoformat(),
            "status": "rejected",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "A rejection needs a reason" in response.content.decode()
    assert Stance.objects.get().status == "proposed"
    response = admin_client.post(url, {**data, "rejection_reason": "Duplicate of another."})
    assert response.status_code == 302
    stance.refresh_from_db()
    assert (stance.status, stance.rejection_reason, stance.reviewed_by) == (
        "rejected",
        "Duplicate of another.",
        admin_user,
    )
