"""The review queue's "Needs a position" tab: who may use it, what a card shows, and
placing (an approved stance, with its evidence and any change of position) or dismissing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from stances.models import (
    Actor,
    Candidate,
    CandidateStatus,
    Evidence,
    PositionChange,
    ReviewStatus,
    Stance,
)

from .factories import make_actor, make_article, make_candidate, make_stance

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"
QUEUE = reverse("review:candidates")
TALKS = "Germany and Poland discussed the reassurance force for Ukraine on Thursday."
MELONI = (
    '"We talked about the reassurance force," Italian Prime Minister Giorgia Meloni said of Italy.'
)


# --- Who may see and act on them -----------------------------------------------------------


def _requests(candidate: Candidate) -> list[tuple[str, str, dict]]:
    return [
        ("get", QUEUE, {}),
        ("post", reverse("review:candidate", args=[candidate.pk]), {"action": "pledge"}),
        ("post", reverse("review:candidate", args=[candidate.pk]), {"action": "dismiss"}),
    ]


@pytest.fixture
def view_only_curator(django_user_model):
    """Staff who may read stances and candidates but change nothing."""
    user = django_user_model.objects.create_user("reader", password="pw-reader-123", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_stance", "view_evidence", "view_candidate", "view_article"]
        )
    )
    return user


@pytest.fixture
def stance_only_curator(django_user_model):
    """May review stances, but not place candidates (no change_candidate)."""
    user = django_user_model.objects.create_user("half", password="pw-half-123", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_stance", "change_stance", "add_stance", "add_evidence"]
        )
    )
    return user


def test_it_sends_anonymous_users_to_login(client):
    candidate = make_candidate("DE")
    for method, url, data in _requests(candidate):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    candidate.refresh_from_db()
    assert candidate.status == "open" and not Stance.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "view_only_curator", "stance_only_curator"])
def test_it_forbids_everyone_who_may_not_change_candidates(client, request, who):
    candidate = make_candidate("DE")
    client.force_login(request.getfixturevalue(who))
    for method, url, data in _requests(candidate):
        assert getattr(client, method)(url, data).status_code == 403, (who, url)
    candidate.refresh_from_db()
    assert candidate.status == "open" and not Stance.objects.exists()


def test_the_tab_is_shown_only_to_those_who_may_place(client, curator, stance_only_curator):
    make_candidate("DE")
    client.force_login(stance_only_curator)
    assert "Needs a position" not in client.get(reverse("review:queue")).content.decode()
    client.force_login(curator)
    queue = client.get(reverse("review:queue")).content.decode()
    assert f'<a href="{QUEUE}">Needs a position (1)</a>' in queue


# --- The "Needs a position" tab ------------------------------------------------------------


def test_a_card_shows_the_article_the_sentence_with_the_country_marked_the_actor_and_date(
    client, curator
):
    article = make_article(
        "Talks in Europe\n\nLeaders met in Paris. " + TALKS + " More talks follow.\n\nLater.",
        title="Allies weigh the force",
    )
    make_candidate("PL", TALKS, article=article, actor="Donald Tusk", date=dt.date(2025, 9, 4))
    client.force_login(curator)
    html = client.get(QUEUE).content.decode()
    assert "1 sentence needs a position" in html
    assert "Allies weigh the force" in html
    assert "<strong>Poland</strong>" in html and "Donald Tusk" in html and "4 Sep 2025" in html
    assert "Germany and <mark>Poland</mark> discussed the reassurance force" in html
    # The paragraph around it for context, not the article.
    assert "…Leaders met in Paris. <span" in html and "</span> More talks follow.…" in html
    assert "Later." not in html
    for key, label in (("p", "Pledge"), ("h", "Hedge"), ("n", "Rejection"), ("d", "Dismiss")):
        assert f'data-key="{key}">{label} <kbd>{key}</kbd></button>' in html
        assert f"<kbd>{key}</kbd> {label.lower()}" in html  # documented in the shortcuts line
    assert "js/review.js" in html


def test_a_demonym_a_capital_or_a_group_marks_the_country():
    from stances.candidates import country_spans, highlighted

    def marked(sentence: str, iso2: str, actor: str = "") -> list[str]:
        return [t for t, m in highlighted(sentence, country_spans(sentence, iso2, actor)) if m]

    assert marked("German officials and Berlin weighed it; Germany waits.", "DE") == [
        "German",
        "Berlin",
        "Germany",
    ]
    assert marked("The Baltic states discussed the force.", "LT") == ["Baltic states"]
    # No name of the country at all: its speaker stands for it.
    assert marked("Macron said the force would reassure.", "FR", "Macron") == ["Macron"]


def test_the_sentence_is_escaped(client, curator):
    sentence = "Germany's <b>bold</b> <script>alert(1)</script> plan for the force."
    make_candidate("DE", sentence)
    client.force_login(curator)
    html = client.get(QUEUE).content.decode()
    assert "<script>alert(1)" not in html and "<b>bold" not in html
    assert "&lt;b&gt;bold&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>Germany</mark>" in html


def test_decided_candidates_are_not_listed(client, curator):
    make_candidate("DE", "Open one about the force and Germany.")
    make_candidate("PL", "Dismissed one about Poland.", status="dismissed", user=curator)
    client.force_login(curator)
    html = client.get(QUEUE).content.decode()
    assert "Open one about" in html and "Dismissed one" not in html


def test_the_list_is_paged(client, curator, settings):
    settings.REVIEW_PAGE_SIZE = 3
    for n in range(7):
        make_candidate("DE", f"Sentence number {n} about Germany and the force.")
    client.force_login(curator)
    first = client.get(QUEUE).content.decode()
    assert first.count('class="review-row candidate-row"') == 3
    assert "Page 1 of 3" in first and 'href="?page=2"' in first
    last = client.get(QUEUE + "?page=3").content.decode()
    assert last.count('class="review-row candidate-row"') == 1
    assert "Sentence number 6" in last
    assert "Page 3 of 3" in client.get(QUEUE + "?page=99").content.decode()


def test_the_list_costs_a_fixed_number_of_queries(client, curator, django_assert_max_num_queries):
    client.force_login(curator)
    make_candidate("DE")
    client.get(QUEUE)  # warm the session
    # 8 with the count of new sources on its tab.
    with django_assert_max_num_queries(8):
        client.get(QUEUE)
    for n in range(24):
        make_candidate("PL" if n % 2 else "IT", actor="Someone", date=None)
    with django_assert_max_num_queries(8):
        html = client.get(QUEUE).content.decode()
    assert html.count('class="review-row candidate-row"') == 25


def test_the_list_alone_for_htmx(client, curator):
    make_candidate("DE")
    client.force_login(curator)
    html = client.get(QUEUE, headers={"HX-Request": "true"}).content.decode()
    assert html.lstrip().startswith('<div id="candidates">') and "<html" not in html


# --- Placing and dismissing ----------------------------------------------------------------


def _place(client, candidate, action, **data):
    return client.post(reverse("review:candidate", args=[candidate.pk]), {"action": action, **data})


def test_placing_through_htmx_swaps_the_card_and_the_stance_is_public(client, curator):
    macron = make_actor("Emmanuel Macron", "FR")
    sentence = "Macron said France would take part in the reassurance force, at sea."
    candidate = make_candidate("FR", sentence, actor="Emmanuel Macron", date=dt.date(2025, 9, 4))
    client.force_login(curator)
    response = client.post(
        reverse("review:candidate", args=[candidate.pk]),
        {"action": "hedge", "kind": "reported"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<li class="review-row candidate-row" id="candidate-{candidate.pk}"'
    )
    assert "placed as <strong>hedge</strong>" in html and "by curator" in html
    assert "<form" not in html

    stance = Stance.objects.get()
    assert (stance.country.iso2, stance.position, stance.actor) == ("FR", "hedge", macron)
    assert (stance.status, stance.reviewed_by, stance.created_by) == ("approved", curator, curator)
    assert (stance.statement_date, stance.date_precision) == (dt.date(2025, 9, 4), "day")
    evidence = stance.evidence.get()
    assert (evidence.article, evidence.sentence) == (candidate.article, sentence)
    assert (evidence.start, evidence.end, evidence.kind) == (
        candidate.start,
        candidate.end,
        "reported",
    )
    candidate.refresh_from_db()
    assert (candidate.status, candidate.stance, candidate.reviewed_by) == (
        "accepted",
        stance,
        curator,
    )
    client.logout()
    assert sentence in client.get(OVERVIEW + "fr/").content.decode()


def test_without_javascript_placing_redirects_back_with_a_message(client, curator):
    candidate = make_candidate("DE", "Germany and the force: a quote-less line.")
    client.force_login(curator)
    response = _place(client, candidate, "pledge", next=QUEUE + "?page=2")
    assert response.status_code == 302 and response["Location"] == QUEUE + "?page=2"
    assert (
        _place(client, make_candidate("PL"), "hedge", next="https://evil.example/")["Location"]
        == QUEUE
    )
    page = client.get(QUEUE).content.decode()
    assert "Poland: Hedge recorded as an approved stance." in page
    assert set(Stance.objects.approved().values_list("country__iso2", "position")) == {
        ("DE", "pledge"),
        ("PL", "hedge"),
    }


def test_the_quote_flag_follows_the_sentence_unless_the_curator_says_otherwise(client, curator):
    quoted = make_candidate("IT", MELONI)
    quoted.quote = True
    quoted.save()
    client.force_login(curator)
    _place(client, quoted, "hedge")
    assert Evidence.objects.get(stance__country__iso2="IT").kind == "quote"
    _place(client, make_candidate("DE"), "hedge", kind="quote")
    assert Evidence.objects.get(stance__country__iso2="DE").kind == "quote"


def test_an_unknown_speaker_becomes_a_new_actor_for_review(client, curator):
    candidate = make_candidate("IT", MELONI, actor="Giorgia Meloni")
    client.force_login(curator)
    _place(client, candidate, "hedge")
    actor = Actor.objects.get(name="Giorgia Meloni")
    assert Stance.objects.get().actor == actor
    # Known to the extractor's list: its country and office come with it.
    assert (actor.country.iso2, actor.speaks_for_government) == ("IT", True)
    assert actor.needs_review


def test_placing_records_a_change_of_the_current_position(client, curator):
    make_stance("DE", "hedge", date=dt.date(2025, 9, 1))
    client.force_login(curator)
    _place(client, make_candidate("DE", date=dt.date(2025, 9, 4)), "pledge")
    change = PositionChange.objects.get()
    assert (change.previous_position, change.position, change.recorded_by) == (
        "hedge",
        "pledge",
        curator,
    )
    assert change.stance == Stance.objects.get(position="pledge")
    # The same position again is no change; an opposition voice is not the official line.
    _place(client, make_candidate("DE", date=dt.date(2025, 9, 5)), "pledge")
    make_actor("Alice Weidel", "DE", official=False)
    weidel = make_candidate("DE", actor="Alice Weidel", date=dt.date(2025, 9, 6))
    _place(client, weidel, "rejection")
    assert PositionChange.objects.count() == 1
    client.logout()
    timeline = client.get(OVERVIEW + "de/").content.decode()
    assert f'<li id="change-{change.pk}">' in timeline
    assert 'hedge → <span class="pos pos-pledge">' in timeline


def test_dismissing_keeps_it_off_the_list_and_makes_no_stance(client, curator):
    candidate = make_candidate("DE", "Germany was mentioned near the force.")
    client.force_login(curator)
    html = client.post(
        reverse("review:candidate", args=[candidate.pk]),
        {"action": "dismiss"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "<strong>dismissed</strong> by curator" in html
    candidate.refresh_from_db()
    assert (candidate.status, candidate.reviewed_by) == ("dismissed", curator)
    assert not Stance.objects.exists()
    assert "Germany was mentioned" not in client.get(QUEUE).content.decode()


def test_a_decided_candidate_is_not_decided_twice(client, curator, django_user_model):
    candidate = make_candidate("DE")
    client.force_login(curator)
    _place(client, candidate, "pledge")
    other = django_user_model.objects.create_user("other", is_staff=True)
    other.groups.set(curator.groups.all())
    client.force_login(other)
    html = client.post(
        reverse("review:candidate", args=[candidate.pk]),
        {"action": "dismiss"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "already placed as <strong>pledge</strong>" in html and "by curator" in html
    _place(client, candidate, "rejection")
    assert list(Stance.objects.values_list("position", "reviewed_by__username")) == [
        ("pledge", "curator")
    ]
    candidate.refresh_from_db()
    assert (candidate.status, candidate.reviewed_by) == (CandidateStatus.ACCEPTED, curator)


def test_an_unknown_action_is_refused(client, curator):
    candidate = make_candidate("DE")
    client.force_login(curator)
    assert _place(client, candidate, "maybe").status_code == 400
    assert client.get(reverse("review:candidate", args=[candidate.pk])).status_code == 405
    candidate.refresh_from_db()
    assert candidate.status == "open"
    assert Stance.objects.filter(status=ReviewStatus.APPROVED).count() == 0
