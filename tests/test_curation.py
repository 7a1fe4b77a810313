"""Curation: only curators review; the queue, corrections, disputes, history and merges."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from stances import services
from stances.models import Actor, ActorAlias, Dispute, Stance
from stances.services import actors_merge, disputes_detect

from .factories import make_actor, make_article, make_stance

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"


@pytest.fixture
def proposed():
    article = make_article(
        "Headline\n\nIntro line. Chancellor Merz said Germany would decide in due course. "
        "More context.\n\nAnother paragraph."
    )
    return make_stance(
        "DE",
        "hedge",
        status="proposed",
        article=article,
        sentence="Chancellor Merz said Germany would decide in due course.",
    )


def _review_requests(stance, dispute):
    history_id = stance.history.first().history_id
    return [
        ("get", reverse("review:queue"), {}),
        ("get", reverse("review:edit", args=[stance.pk]), {}),
        ("get", reverse("review:disputes"), {}),
        ("get", reverse("review:history", args=[stance.pk]), {}),
        ("post", reverse("review:action", args=[stance.pk]), {"action": "approve"}),
        (
            "post",
            reverse("review:bulk"),
            {"stance": [stance.pk], "action": "reject", "reason": "Misread."},
        ),
        (
            "post",
            reverse("review:resolve", args=[dispute.pk]),
            {"note": "Spokesperson holds.", "decision": "both"},
        ),
        ("post", reverse("review:revert", args=[stance.pk, history_id]), {}),
    ]


def _dispute():
    dispute = Dispute.objects.create(topic_id=1, country=Stance.objects.first().country)
    return dispute


def test_it_sends_anonymous_users_to_login_for_every_review_action(client, proposed):
    for method, url, data in _review_requests(proposed, _dispute()):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    proposed.refresh_from_db()
    assert proposed.status == "proposed"


def test_it_forbids_signed_in_non_curators_every_review_action(client, outsider, proposed):
    client.force_login(outsider)
    for method, url, data in _review_requests(proposed, _dispute()):
        assert getattr(client, method)(url, data).status_code == 403, url
    proposed.refresh_from_db()
    assert proposed.status == "proposed"
    assert not Dispute.objects.filter(status="resolved").exists()


def test_it_lets_curators_do_every_review_action(client, curator, proposed):
    client.force_login(curator)
    for method, url, data in _review_requests(proposed, _dispute()):
        assert getattr(client, method)(url, data).status_code in {200, 302}, url


def test_queue_shows_the_sentence_highlighted_in_its_paragraph(client, curator, proposed):
    client.force_login(curator)
    html = client.get(reverse("review:queue")).content.decode()
    assert (
        "…Intro line. <mark>Chancellor Merz said Germany would decide in due course.</mark>"
        " More context.…"
    ) in html
    assert "Another paragraph" not in html  # the paragraph, not the whole article
    assert "confidence" not in html or "1 proposed stance" in html
    assert 'data-key="a"' in html and "js/review.js" in html


def test_queue_lists_related_stances_as_likely_duplicates(client, curator, proposed):
    make_stance("DE", "pledge", status="approved", date=dt.date(2025, 9, 5))
    client.force_login(curator)
    html = client.get(reverse("review:queue")).content.decode()
    assert "1 related stance on Germany near this date" in html


def test_queue_query_count_does_not_grow_with_rows(client, curator, django_assert_num_queries):
    client.force_login(curator)
    make_stance("FR", "pledge", status="proposed")
    client.get(reverse("review:queue"))  # warm the session
    # 13: the page, and the counts of sentences needing a position and of new sources on
    # its tabs.
    with django_assert_num_queries(13):
        client.get(reverse("review:queue"))
    for n in range(15):
        make_stance("PL" if n % 2 else "IT", "hedge", status="proposed")
    with django_assert_num_queries(13):
        html = client.get(reverse("review:queue")).content.decode()
    assert html.count('class="review-row') == 16


def test_approving_through_htmx_swaps_the_row_and_shows_on_the_timeline(client, curator, proposed):
    client.force_login(curator)
    assert "due course" not in client.get(OVERVIEW + "de/").content.decode()
    response = client.post(
        reverse("review:action", args=[proposed.pk]),
        {"action": "approve"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="review-row stance-hedge" id="row-{proposed.pk}"')
    assert "now <strong>approved</strong> by curator" in html
    proposed.refresh_from_db()
    assert proposed.status == "approved" and proposed.reviewed_by == curator
    assert "due course" in client.get(OVERVIEW + "de/").content.decode()


def test_without_javascript_an_action_redirects_back_to_the_filtered_queue(
    client, curator, proposed
):
    client.force_login(curator)
    response = client.post(
        reverse("review:action", args=[proposed.pk]),
        {"action": "reject", "reason": "Not about troops.", "next": "/review/?country=DE"},
    )
    assert response["Location"] == "/review/?country=DE"
    evil = client.post(
        reverse("review:action", args=[proposed.pk]),
        {"action": "reject", "reason": "Not about troops.", "next": "https://evil.example/"},
    )
    assert evil["Location"] == "/review/"
    proposed.refresh_from_db()
    assert proposed.status == "rejected"
    assert "due course" not in client.get(OVERVIEW + "de/").content.decode()


def test_correcting_in_place_changes_and_approves_and_is_in_history(client, curator, proposed):
    client.force_login(curator)
    merz = make_actor("Friedrich Merz", "DE")
    prefix = f"s{proposed.pk}"
    form = client.get(
        reverse("review:edit", args=[proposed.pk]), headers={"HX-Request": "true"}
    ).content.decode()
    assert f'name="{prefix}-position"' in form and "<html" not in form
    response = client.post(
        reverse("review:action", args=[proposed.pk]),
        {
            "action": "correct",
            f"{prefix}-position": "rejection",
            f"{prefix}-country": "DE",
            f"{prefix}-actor": merz.pk,
            f"{prefix}-statement_date": "2025-09-03",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    proposed.refresh_from_db()
    assert (proposed.position, proposed.actor, proposed.status) == ("rejection", merz, "approved")
    assert (proposed.statement_date, proposed.date_precision) == (dt.date(2025, 9, 3), "day")
    history = client.get(reverse("review:history", args=[proposed.pk])).content.decode()
    assert "Position: Hedge → Rejection" in history
    assert "curator" in history


def test_an_invalid_correction_is_refused_with_the_form_shown(client, curator, proposed):
    client.force_login(curator)
    prefix = f"s{proposed.pk}"
    response = client.post(
        reverse("review:action", args=[proposed.pk]),
        {"action": "correct", f"{prefix}-position": "maybe", f"{prefix}-country": "DE"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.position == "hedge" and proposed.status == "proposed"


def test_bulk_approve_of_a_selection(client, curator):
    client.force_login(curator)
    chosen = [
        make_stance("FR", "pledge", status="proposed"),
        make_stance("GB", "pledge", status="proposed"),
    ]
    left = make_stance("IT", "hedge", status="proposed")
    response = client.post(
        reverse("review:bulk"), {"stance": [s.pk for s in chosen], "action": "approve"}
    )
    assert response.status_code == 302
    assert set(Stance.objects.approved().values_list("pk", flat=True)) == {s.pk for s in chosen}
    left.refresh_from_db()
    assert left.status == "proposed"


def test_revert_puts_a_stance_back_as_it_was(client, curator, proposed):
    client.force_login(curator)
    original = proposed.history.earliest()
    proposed.position = "pledge"
    proposed.approve(curator)
    client.post(reverse("review:revert", args=[proposed.pk, original.history_id]))
    proposed.refresh_from_db()
    assert (proposed.position, proposed.status) == ("hedge", "proposed")
    assert proposed.history.first().history_user == curator


def _germany_case():
    """One article lists Germany among those ready to send troops; the German government
    says it will decide in due course; a party leader rejects. Only the first two dispute."""
    macron = make_actor("Emmanuel Macron", "FR")
    spokesperson = make_actor("German government spokesperson", "DE")
    soeder = make_actor("Markus Söder", "DE", official=False, role="CSU leader")
    listed = make_stance("DE", "pledge", actor=macron, date=None)
    official = make_stance("DE", "hedge", actor=spokesperson, date=None)
    other = make_stance("DE", "rejection", actor=soeder, date=None)
    return listed, official, other


def test_disagreeing_sources_about_one_country_make_a_dispute():
    listed, official, other = _germany_case()
    (dispute,) = disputes_detect(topic_id=listed.topic_id, country_id=listed.country_id)
    assert set(dispute.stances.all()) == {listed, official}
    assert dispute.status == "open"
    # Running detection again finds the same dispute, not a second one.
    disputes_detect(topic_id=listed.topic_id, country_id=listed.country_id)
    assert Dispute.objects.count() == 1


def test_statements_months_apart_are_a_change_not_a_dispute():
    make_stance("PL", "rejection", date=dt.date(2025, 2, 17))
    first = make_stance("PL", "hedge", date=dt.date(2025, 9, 4))
    assert disputes_detect(topic_id=first.topic_id, country_id=first.country_id) == []


def test_a_curator_resolves_a_dispute_with_a_note(client, curator):
    listed, official, _ = _germany_case()
    (dispute,) = disputes_detect(topic_id=listed.topic_id, country_id=listed.country_id)
    client.force_login(curator)
    page = client.get(reverse("review:disputes")).content.decode()
    assert "Germany" in page and "Emmanuel Macron" in page
    assert "German government spokesperson" in page and "Söder" not in page
    url = reverse("review:resolve", args=[dispute.pk])
    assert client.post(url, {"note": " ", "decision": "both"}).status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "open"
    client.post(
        url,
        {
            "note": "The government spokesperson is authoritative: hedge.",
            "decision": f"keep-{official.pk}",
        },
    )
    dispute.refresh_from_db()
    assert (dispute.status, dispute.resolved_by) == ("resolved", curator)
    resolved = client.get(reverse("review:disputes") + "?status=resolved").content.decode()
    assert "The government spokesperson is authoritative: hedge." in resolved


def test_the_queue_marks_disputed_stances(client, curator):
    make_stance("DE", "hedge")
    flagged = make_stance("DE", "pledge", status="proposed")
    services.dispute_flag(stance=flagged, user=curator)
    client.force_login(curator)
    assert "⚠ disputed" in client.get(reverse("review:queue")).content.decode()


def test_merging_actors_moves_stances_and_aliases_and_keeps_names():
    survivor = make_actor("Volodymyr Zelenskyy", "UA")
    duplicate = Actor.objects.create(name="Zelensky", slug="zelensky-2")
    ActorAlias.objects.create(actor=duplicate, alias="Zelenskiy")
    stance = make_stance("UA", "pledge", actor=duplicate)
    actors_merge(survivor=survivor, duplicates=[survivor, duplicate])
    stance.refresh_from_db()
    assert stance.actor == survivor
    assert not Actor.objects.filter(pk=duplicate.pk).exists()
    assert sorted(survivor.aliases.values_list("alias", flat=True)) == ["Zelenskiy", "Zelensky"]
    assert Actor.objects.find("zelenskiy") == survivor
    assert stance.history.first().history_change_reason is None  # the move is in history
    assert stance.history.count() >= 2


def test_admin_merge_action_asks_which_actor_to_keep(admin_client):
    keep = make_actor("Dmitry Peskov", "RU")
    drop = Actor.objects.create(name="Dmitri Peskov", slug="dmitri-peskov")
    url = reverse("admin:stances_actor_changelist")
    page = admin_client.post(
        url, {"action": "merge_actors", "_selected_action": [keep.pk, drop.pk]}
    )
    assert "Keep one of these actors" in page.content.decode()
    admin_client.post(
        url,
        {
            "action": "merge_actors",
            "_selected_action": [keep.pk, drop.pk],
            "confirm": "1",
            "survivor": keep.pk,
        },
    )
    assert list(Actor.objects.filter(name__icontains="peskov")) == [keep]
    assert Actor.objects.find("Dmitri Peskov") == keep


def test_admin_shows_history_of_a_stance(admin_client, proposed):
    response = admin_client.get(reverse("admin:stances_stance_history", args=[proposed.pk]))
    assert response.status_code == 200


def test_reading_can_require_sign_in(client):
    from django.conf import settings

    with override_settings(
        MIDDLEWARE=[*settings.MIDDLEWARE, "django.contrib.auth.middleware.LoginRequiredMiddleware"]
    ):
        assert client.get(OVERVIEW)["Location"].startswith("/accounts/login/")
        assert client.get("/healthz").status_code == 200
