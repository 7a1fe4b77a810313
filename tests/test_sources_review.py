"""The review queue's "New sources for approved stances" tab: a new report of a statement
already on record waits there, beside the approved stance, until a curator accepts or
rejects it. Who may, what a card shows, both ways of acting (plain form, htmx), the cost."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from stances import services
from stances.models import Evidence

from .factories import make_actor, make_article, make_evidence, make_stance

pytestmark = pytest.mark.django_db

SOURCES = reverse("review:sources")
TIMELINE = "/t/ukraine-troop-deployment/de/"
FIRST = "Berlin will decide in due course, Merz said."
AGAIN = "Merz told reporters again that Germany would decide in due course."


@pytest.fixture
def new_source() -> Evidence:
    merz = make_actor("Friedrich Merz", "DE", role="Chancellor")
    stance = make_stance("DE", "hedge", actor=merz, sentence=FIRST)
    article = make_article(
        f"Merz in Paris\n\nLeaders met at the Elysée. {AGAIN} Talks go on.\n\nLater news.",
        title="Merz repeats his line",
    )
    return make_evidence(stance, AGAIN, article=article)


@pytest.fixture
def view_only_curator(django_user_model):
    """Staff who may read stances and evidence but change nothing."""
    user = django_user_model.objects.create_user("reader", password="pw-reader-123", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_stance", "view_evidence", "view_article"])
    )
    return user


@pytest.fixture
def stance_only_curator(django_user_model):
    """May review stances, but not change evidence."""
    user = django_user_model.objects.create_user("half", password="pw-half-123", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_stance", "change_stance", "view_evidence"])
    )
    return user


def _requests(evidence: Evidence) -> list[tuple[str, str, dict]]:
    action = reverse("review:source", args=[evidence.pk])
    return [
        ("get", SOURCES, {}),
        ("post", action, {"action": "accept"}),
        ("post", action, {"action": "reject"}),
    ]


# --- Who may -----------------------------------------------------------------------------


def test_it_sends_anonymous_users_to_login(client, new_source):
    for method, url, data in _requests(new_source):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    new_source.refresh_from_db()
    assert new_source.status == "proposed"


@pytest.mark.parametrize("who", ["outsider", "view_only_curator", "stance_only_curator"])
def test_it_forbids_everyone_who_may_not_change_evidence(client, request, who, new_source):
    client.force_login(request.getfixturevalue(who))
    for method, url, data in _requests(new_source):
        assert getattr(client, method)(url, data).status_code == 403, (who, url)
    new_source.refresh_from_db()
    assert new_source.status == "proposed"


def test_the_tab_is_shown_only_to_those_who_may_decide(
    client, curator, stance_only_curator, new_source
):
    client.force_login(stance_only_curator)
    assert "New sources" not in client.get(reverse("review:queue")).content.decode()
    client.force_login(curator)
    queue = client.get(reverse("review:queue")).content.decode()
    assert f'<a href="{SOURCES}">New sources for approved stances (1)</a>' in queue


# --- What a card shows --------------------------------------------------------------------


def test_a_card_shows_the_approved_stance_and_the_new_sentence_in_its_paragraph(
    client, curator, new_source
):
    client.force_login(curator)
    html = client.get(SOURCES).content.decode()
    assert "1 new source awaits review" in html
    card = html[html.index(f'id="source-{new_source.pk}"') :]
    assert "<strong>Germany</strong>" in card and "Friedrich Merz" in card
    assert '<span class="pos pos-hedge">' in card and "4 Sep 2025" in card
    assert f'href="/stances/{new_source.stance_id}/"' in card
    assert "1 accepted source" in card and FIRST in card  # what readers see now
    assert f"…Leaders met at the Elysée. <mark>{AGAIN}</mark> Talks go on.…" in card
    assert "Later news." not in card and "Merz repeats his line" in card
    assert 'data-key="a"' in card and 'data-key="r"' in card and "js/review.js" in html


def test_only_sources_of_approved_stances_awaiting_review_are_listed(client, curator, new_source):
    proposed = make_stance("FR", "pledge", status="proposed", sentence="Paris proposes.")
    make_evidence(proposed, "Paris proposes again.")  # decided with its stance, not here
    rejected = make_evidence(new_source.stance, "An off-topic line.")
    services.evidence_review(evidence=rejected, accept=False, user=curator)
    client.force_login(curator)
    html = client.get(SOURCES).content.decode()
    assert html.count('class="review-row source-row"') == 1
    assert "Paris proposes" not in html and "off-topic" not in html


def test_the_sentence_is_escaped(client, curator, new_source):
    sentence = "Merz's <b>bold</b> <script>alert(1)</script> plan."
    make_evidence(new_source.stance, sentence)
    client.force_login(curator)
    html = client.get(SOURCES).content.decode()
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_list_costs_a_fixed_number_of_queries(
    client, curator, new_source, django_assert_num_queries
):
    client.force_login(curator)
    client.get(SOURCES)  # warm the session
    # The session and user, the tabs' counts, the page's count and rows, the accepted
    # sources of their stances: the same with one card or twenty-five.
    with django_assert_num_queries(9):
        client.get(SOURCES)
    for n in range(24):
        stance = make_stance("PL" if n % 2 else "IT", "hedge", actor=make_actor(f"Voice {n}", "PL"))
        make_evidence(stance, f"Another report number {n}.")
    with django_assert_num_queries(9):
        html = client.get(SOURCES).content.decode()
    assert html.count('class="review-row source-row"') == 25


def test_the_list_is_paged(client, curator, new_source, settings):
    settings.REVIEW_PAGE_SIZE = 2
    for n in range(4):
        make_evidence(new_source.stance, f"Report number {n} of the same statement.")
    client.force_login(curator)
    first = client.get(SOURCES).content.decode()
    assert first.count('class="review-row source-row"') == 2 and "Page 1 of 3" in first
    assert 'href="?page=2"' in first


# --- Deciding -------------------------------------------------------------------------------


def test_accepting_through_htmx_swaps_the_card_and_the_source_is_public(
    client, curator, new_source
):
    client.force_login(curator)
    assert AGAIN not in client.get(TIMELINE).content.decode()
    response = client.post(
        reverse("review:source", args=[new_source.pk]),
        {"action": "accept"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    card = f'<li class="review-row source-row" id="source-{new_source.pk}"'
    assert html.lstrip().startswith(card)
    assert "<html" not in html and "now <strong>accepted</strong> by curator" in html
    new_source.refresh_from_db()
    assert (new_source.status, new_source.reviewed_by) == ("accepted", curator)
    client.logout()
    timeline = client.get(TIMELINE).content.decode()
    assert AGAIN in timeline and '<span class="sources">2 sources</span>' in timeline


def test_rejecting_without_javascript_redirects_back_and_the_source_stays_out(
    client, curator, new_source
):
    client.force_login(curator)
    response = client.post(
        reverse("review:source", args=[new_source.pk]),
        {"action": "reject", "next": SOURCES + "?page=1"},
    )
    assert response.status_code == 302 and response["Location"] == SOURCES + "?page=1"
    new_source.refresh_from_db()
    assert (new_source.status, new_source.reviewed_by) == ("rejected", curator)
    assert "Germany: new source rejected." in client.get(SOURCES).content.decode()
    client.logout()
    assert AGAIN not in client.get(TIMELINE).content.decode()


def test_a_second_decision_is_told_not_applied(client, curator, django_user_model, new_source):
    other = django_user_model.objects.create_user("other", password="pw-other-123", is_staff=True)
    other.groups.set(curator.groups.all())
    client.force_login(curator)
    client.post(reverse("review:source", args=[new_source.pk]), {"action": "accept"})
    client.force_login(other)
    html = client.post(
        reverse("review:source", args=[new_source.pk]),
        {"action": "reject"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "already <strong>accepted</strong> by curator" in html
    new_source.refresh_from_db()
    assert (new_source.status, new_source.reviewed_by) == ("accepted", curator)


def test_an_unknown_action_is_refused(client, curator, new_source):
    client.force_login(curator)
    response = client.post(reverse("review:source", args=[new_source.pk]), {"action": "maybe"})
    assert response.status_code == 400
    new_source.refresh_from_db()
    assert new_source.status == "proposed"
