"""A record readers and curators can read: the history in words, the extractor as the
creator of what it proposed, "reviewed by" on the permalink and a public change log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stances import services
from stances.models import Stance

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db

SENTENCE = (
    "France will send troops to Ukraine as part of a reassurance force, "
    "President Emmanuel Macron said on Thursday."
)
UPLOAD = (
    "url: unknown\ntitle: Paris commits\npublished: 2025-09-05\noutlet: Harbour Post\n---\n"
    f"{SENTENCE}\n"
)


@pytest.fixture
def ada(curator):
    curator.first_name, curator.last_name = "Ada", "Lovelace"
    curator.save()
    return curator


@pytest.fixture
def uploaded(client, ada, django_capture_on_commit_callbacks):
    """A curator uploads an article; extraction runs in her request and proposes a stance."""
    client.force_login(ada)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("ingest:ingest"), {"files": [SimpleUploadedFile("a.txt", UPLOAD.encode())]}
        )
    return Stance.objects.get(country__iso2="FR")


def _rows(html: str) -> list[str]:
    """The history table's rows as text, newest first."""
    import re

    body = html.split("<tbody>")[1].split("</tbody>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


def test_a_machine_proposal_is_the_extractors_not_the_uploading_curators(client, uploaded, ada):
    services.stances_review(stance_ids=[uploaded.pk], approve=True, user=ada)
    html = client.get(reverse("review:history", args=[uploaded.pk])).content.decode()
    approved, proposed = _rows(html)
    assert "Proposed" in proposed and "extractor 1.3.0" in proposed
    assert "Ada Lovelace" not in proposed
    assert "Approved" in approved and "Ada Lovelace" in approved
    assert uploaded.history.earliest().history_user is None
    assert "by extractor 1.3.0" in html.split("<h2>Evidence</h2>")[1]


def test_history_names_countries_actors_people_and_positions(client, ada, uploaded):
    merz = make_actor("Friedrich Merz", "DE")
    services.stance_correct(
        stance=uploaded,
        user=ada,
        changes={
            "country": uploaded.country.__class__.objects.get(iso2="DE"),
            "actor": merz,
            "position": "hedge",
            "statement_date": dt.date(2025, 9, 3),
        },
    )
    html = client.get(reverse("review:history", args=[uploaded.pk])).content.decode()
    corrected = _rows(html)[0]
    assert "Corrected and approved" in corrected and "Ada Lovelace" in corrected
    assert "Country: France → Germany" in corrected
    assert "Actor: Emmanuel Macron → Friedrich Merz" in corrected
    assert "Position: Pledge → Hedge" in corrected
    assert "Date: 4 Sep 2025 → 3 Sep 2025" in corrected
    # No ids, codes or review bookkeeping as changes.
    assert "country:" not in html and "reviewed_by" not in html and "Reviewed by:" not in html


def test_a_rejection_says_who_and_why_and_a_revert_says_so(client, ada):
    stance = make_stance("DE", "hedge", status="proposed")
    client.force_login(ada)
    client.post(
        reverse("review:action", args=[stance.pk]),
        {"action": "reject", "reason": "About Austria."},
    )
    first = stance.history.earliest()
    client.post(reverse("review:revert", args=[stance.pk, first.history_id]))
    rows = _rows(client.get(reverse("review:history", args=[stance.pk])).content.decode())
    assert "Reverted to the version of" in rows[0] and "Ada Lovelace" in rows[0]
    assert "Rejected: “About Austria.”" in rows[1] and "Ada Lovelace" in rows[1]


# --- On the public pages -------------------------------------------------------------------


def test_the_permalink_says_who_reviewed_it_and_when(client, ada, uploaded):
    services.stances_review(stance_ids=[uploaded.pk], approve=True, user=ada)
    uploaded.refresh_from_db()
    client.logout()
    html = client.get(uploaded.get_absolute_url()).content.decode()
    on = uploaded.reviewed_at
    assert "Found by extractor 1.3.0" in html
    assert (
        f'reviewed by Ada Lovelace on <time datetime="{on:%Y-%m-%d}">{on:%-d %b %Y}</time>'
    ) in html
    assert f'href="{reverse("stances:stance_changes", args=[uploaded.pk])}">change log</a>' in html


def test_the_public_change_log_lists_the_reviewed_history_in_words(
    client, ada, uploaded, django_assert_max_num_queries
):
    services.stance_correct(
        stance=uploaded,
        user=ada,
        changes={"statement_date": dt.date(2025, 9, 3)},
    )
    client.logout()
    url = reverse("stances:stance_changes", args=[uploaded.pk])
    with django_assert_max_num_queries(8):
        html = client.get(url).content.decode()
    assert "<strong>Corrected and approved</strong> by Ada Lovelace" in html
    assert "Date: 4 Sep 2025 → 3 Sep 2025" in html
    assert "<strong>Proposed</strong> by extractor 1.3.0" in html
    # Nothing internal: no confidence, summary, evidence or extractor bookkeeping.
    for hidden in ("Confidence", "Summary", SENTENCE, "Created by", "Rejection reason"):
        assert hidden not in html


def test_a_stance_readers_may_not_see_has_no_public_change_log(client):
    proposed = make_stance("DE", "hedge", status="proposed")
    rejected = make_stance("FR", "pledge", status="rejected", reason="Satire.")
    for stance in (proposed, rejected):
        assert client.get(stance.get_absolute_url()).status_code == 404
        assert client.get(reverse("stances:stance_changes", args=[stance.pk])).status_code == 404


def test_a_stance_rejected_once_and_approved_later_shows_the_reason_in_its_log(client, ada):
    stance = make_stance("DE", "hedge", status="proposed")
    services.stances_review(stance_ids=[stance.pk], approve=False, user=ada, reason="Too vague.")
    services.stances_review(stance_ids=[stance.pk], approve=True, user=ada)
    html = client.get(reverse("stances:stance_changes", args=[stance.pk])).content.decode()
    assert "<strong>Rejected</strong> by Ada Lovelace: “Too vague.”" in html
    assert "<strong>Approved</strong> by Ada Lovelace" in html


def test_the_history_page_costs_a_fixed_number_of_queries(
    client, ada, django_assert_max_num_queries
):
    stance = make_stance("DE", "hedge", status="proposed")
    client.force_login(ada)
    url = reverse("review:history", args=[stance.pk])
    client.get(url)
    with django_assert_max_num_queries(10):
        client.get(url)
    for position in ("pledge", "rejection", "hedge", "pledge"):
        services.stance_correct(stance=stance, user=ada, changes={"position": position})
    with django_assert_max_num_queries(10):
        html = client.get(url).content.decode()
    assert html.count("Position: ") == 4
