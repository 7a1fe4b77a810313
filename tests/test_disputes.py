"""Disputes: opened by themselves only between approved stances; a proposal joins one when a
curator flags it; three ways to resolve, each with a note; readers see "disputed" only while
approved stances disagree."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from stances.models import Dispute, Stance
from stances.services import disputes_detect

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db

TIMELINE = "/t/ukraine-troop-deployment/de/"
DAY = dt.date(2025, 9, 4)


def _detect(stance):
    return disputes_detect(topic_id=stance.topic_id, country_id=stance.country_id)


def test_proposals_that_disagree_open_no_dispute():
    make_stance("DE", "pledge", status="proposed", date=DAY)
    hedge = make_stance("DE", "hedge", status="proposed", date=DAY)
    assert _detect(hedge) == []
    assert not Dispute.objects.exists()


def test_an_approved_stance_and_a_proposal_open_no_dispute_by_themselves(client):
    approved = make_stance("DE", "pledge", date=DAY)
    make_stance("DE", "hedge", status="proposed", date=DAY)
    assert _detect(approved) == []
    assert "⚠ disputed" not in client.get(TIMELINE).content.decode()


def test_approved_stances_that_disagree_open_one_and_readers_see_it(client):
    make_stance("DE", "pledge", date=DAY)
    hedge = make_stance("DE", "hedge", date=DAY + dt.timedelta(days=2))
    (dispute,) = _detect(hedge)
    assert dispute.status == "open" and dispute.flagged_by is None
    assert client.get(TIMELINE).content.decode().count("⚠ disputed") == 2
    assert "⚠ disputed" in client.get(f"/stances/{hedge.pk}/").content.decode()


def test_another_voice_disputes_nothing():
    make_stance("DE", "hedge", date=DAY)
    soeder = make_actor("Markus Söder", "DE", official=False)
    other = make_stance("DE", "rejection", actor=soeder, date=DAY)
    assert _detect(other) == []


# --- Flagging a proposal ------------------------------------------------------------------


def test_a_curator_flags_a_proposal_as_disputing_an_approved_stance(client, curator):
    approved = make_stance("DE", "hedge", date=DAY)
    proposal = make_stance("DE", "pledge", status="proposed", date=DAY + dt.timedelta(days=1))
    client.force_login(curator)
    queue = client.get(reverse("review:queue")).content.decode()
    assert 'value="flag"' in queue and ">Flag as disputing</button>" in queue
    response = client.post(reverse("review:action", args=[proposal.pk]), {"action": "flag"})
    dispute = Dispute.objects.get()
    assert response["Location"] == reverse("review:disputes") + f"#dispute-{dispute.pk}"
    assert set(dispute.stances.all()) == {approved, proposal}
    assert (dispute.status, dispute.flagged_by) == ("open", curator)
    page = client.get(reverse("review:disputes")).content.decode()
    assert "Flagged by curator" in page
    # The proposal is not the record: readers see no dispute yet.
    client.logout()
    assert "⚠ disputed" not in client.get(TIMELINE).content.decode()


def test_flagging_through_htmx_marks_the_row(client, curator):
    make_stance("DE", "hedge", date=DAY)
    proposal = make_stance("DE", "pledge", status="proposed", date=DAY)
    client.force_login(curator)
    html = client.post(
        reverse("review:action", args=[proposal.pk]),
        {"action": "flag"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert f'id="row-{proposal.pk}"' in html and "⚠ disputed" in html
    assert "Flag as disputing" not in html


def test_a_flag_with_nothing_to_dispute_says_so(client, curator):
    make_stance("DE", "pledge", date=DAY)  # the same position: no disagreement
    make_stance("DE", "hedge", date=DAY - dt.timedelta(days=60))  # too long before
    proposal = make_stance("DE", "pledge", status="proposed", date=DAY)
    client.force_login(curator)
    response = client.post(
        reverse("review:action", args=[proposal.pk]), {"action": "flag"}, follow=True
    )
    assert "there is nothing to dispute" in response.content.decode()
    assert not Dispute.objects.exists()


# --- Resolving ----------------------------------------------------------------------------


@pytest.fixture
def disputed():
    pledge = make_stance("DE", "pledge", date=DAY)
    hedge = make_stance("DE", "hedge", date=DAY + dt.timedelta(days=1))
    also_hedge = make_stance("DE", "hedge", date=DAY + dt.timedelta(days=2))
    (dispute,) = _detect(pledge)
    return dispute, pledge, hedge, also_hedge


def _resolve(client, dispute, decision, note="Berlin says it is undecided."):
    return client.post(
        reverse("review:resolve", args=[dispute.pk]), {"decision": decision, "note": note}
    )


def test_the_card_groups_the_stances_by_position(client, curator, disputed):
    dispute, pledge, hedge, also_hedge = disputed
    client.force_login(curator)
    html = client.get(reverse("review:disputes")).content.decode()
    assert html.index("pledge</span> 1 report</h3>") < html.index("hedge</span> 2 reports</h3>")
    for stance in (pledge, hedge, also_hedge):
        assert f'value="keep-{stance.pk}">Keep this one</button>' in html
        assert f'value="reject-{stance.pk}">Reject this one</button>' in html
    assert 'value="both">Both stand (different voices)</button>' in html
    assert '<textarea name="note"' in html and "required" in html


def test_the_disputes_page_costs_a_fixed_number_of_queries(
    client, curator, disputed, django_assert_max_num_queries
):
    client.force_login(curator)
    client.get(reverse("review:disputes"))
    with django_assert_max_num_queries(12):
        client.get(reverse("review:disputes"))
    for _ in range(5):
        make_stance("FR", "pledge", date=DAY)
        other = make_stance("FR", "rejection", date=DAY)
        _detect(other)
    with django_assert_max_num_queries(12):
        client.get(reverse("review:disputes"))


@pytest.mark.parametrize("decision", ["keep", "reject", "both"])
def test_every_resolution_needs_a_note(client, curator, disputed, decision):
    dispute, pledge, _, _ = disputed
    client.force_login(curator)
    value = "both" if decision == "both" else f"{decision}-{pledge.pk}"
    response = _resolve(client, dispute, value, note="  ")
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "open"
    assert set(Stance.objects.values_list("status", flat=True)) == {"approved"}


def test_keep_this_one_rejects_the_others_with_the_note(client, curator, disputed):
    dispute, pledge, hedge, also_hedge = disputed
    client.force_login(curator)
    _resolve(client, dispute, f"keep-{hedge.pk}")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.outcome, dispute.resolved_by) == ("resolved", "kept", curator)
    statuses = dict(Stance.objects.values_list("pk", "status"))
    assert statuses == {pledge.pk: "rejected", hedge.pk: "approved", also_hedge.pk: "rejected"}
    pledge.refresh_from_db()
    assert "Berlin says it is undecided." in pledge.rejection_reason
    timeline = client.get(TIMELINE).content.decode()
    assert "⚠ disputed" not in timeline
    assert "Berlin says it is undecided." in timeline


def test_keeping_a_flagged_proposal_approves_it(client, curator):
    approved = make_stance("DE", "hedge", date=DAY)
    proposal = make_stance("DE", "pledge", status="proposed", date=DAY)
    client.force_login(curator)
    client.post(reverse("review:action", args=[proposal.pk]), {"action": "flag"})
    _resolve(client, Dispute.objects.get(), f"keep-{proposal.pk}", note="Newer and direct.")
    proposal.refresh_from_db()
    approved.refresh_from_db()
    assert (proposal.status, proposal.reviewed_by) == ("approved", curator)
    assert approved.status == "rejected"


def test_reject_this_one_resolves_once_the_rest_agree(client, curator, disputed):
    dispute, pledge, hedge, also_hedge = disputed
    client.force_login(curator)
    _resolve(client, dispute, f"reject-{hedge.pk}", note="Misquoted.")
    dispute.refresh_from_db()
    assert dispute.status == "open"  # pledge and the other hedge still disagree
    hedge.refresh_from_db()
    assert (hedge.status, hedge.rejection_reason) == ("rejected", "Misquoted.")
    _resolve(client, dispute, f"reject-{pledge.pk}", note="The list overstated it.")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.outcome, dispute.note) == (
        "resolved",
        "rejected",
        "The list overstated it.",
    )
    also_hedge.refresh_from_db()
    assert also_hedge.status == "approved"


def test_both_stand_rejects_nothing(client, curator, disputed):
    dispute, *stances = disputed
    client.force_login(curator)
    _resolve(client, dispute, "both", note="The minister and the president differ.")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.outcome) == ("resolved", "both")
    assert set(Stance.objects.values_list("status", flat=True)) == {"approved"}
    html = client.get(TIMELINE).content.decode()
    assert "⚠ disputed" not in html and "The minister and the president differ." in html


def test_a_stance_of_another_dispute_cannot_be_chosen(client, curator, disputed):
    dispute, *_ = disputed
    stranger = make_stance("FR", "pledge")
    client.force_login(curator)
    response = _resolve(client, dispute, f"keep-{stranger.pk}")
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "open"
    assert Stance.objects.get(pk=stranger.pk).status == "approved"
