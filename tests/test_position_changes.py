"""A change of a country's current position is recorded when a review makes it so."""

import datetime as dt

import pytest

from stances import services
from stances.models import PositionChange

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db


def test_approving_a_new_position_records_a_change(curator):
    make_stance("DE", "hedge", date=dt.date(2025, 9, 1))
    proposal = make_stance("DE", "pledge", date=dt.date(2025, 9, 10), status="proposed")

    services.stances_review(stance_ids=[proposal.pk], approve=True, user=curator)

    change = PositionChange.objects.get()
    assert (change.country.iso2, change.previous_position, change.position) == (
        "DE",
        "hedge",
        "pledge",
    )
    assert change.stance == proposal and change.recorded_by == curator


def test_repeating_the_same_position_is_no_change(curator):
    make_stance("DE", "hedge", date=dt.date(2025, 9, 1))
    again = make_stance("DE", "hedge", date=dt.date(2025, 9, 10), status="proposed")
    services.stances_review(stance_ids=[again.pk], approve=True, user=curator)
    assert not PositionChange.objects.exists()


def test_an_older_stance_approved_late_changes_nothing(curator):
    make_stance("FR", "pledge", date=dt.date(2025, 9, 1))
    old = make_stance("FR", "hedge", date=dt.date(2025, 3, 1), status="proposed")
    services.stances_review(stance_ids=[old.pk], approve=True, user=curator)
    assert not PositionChange.objects.exists()


def test_other_voices_do_not_move_the_official_position(curator):
    make_stance("DE", "hedge", date=dt.date(2025, 9, 1))
    soeder = make_actor("Markus Söder", "DE", official=False, role="CSU leader")
    loud = make_stance("DE", "rejection", actor=soeder, date=dt.date(2025, 9, 5), status="proposed")
    services.stances_review(stance_ids=[loud.pk], approve=True, user=curator)
    assert not PositionChange.objects.exists()


def test_rejecting_the_current_stance_moves_back_and_is_recorded(curator):
    make_stance("PL", "rejection", date=dt.date(2025, 2, 1))
    latest = make_stance("PL", "hedge", date=dt.date(2025, 9, 4))

    services.stances_review(stance_ids=[latest.pk], approve=False, user=curator, reason="Misread.")

    change = PositionChange.objects.get()
    assert (change.previous_position, change.position) == ("hedge", "rejection")


def test_a_correction_of_position_is_a_change(curator):
    stance = make_stance("IT", "pledge")
    services.stance_correct(stance=stance, user=curator, changes={"position": "hedge"})
    change = PositionChange.objects.get()
    assert (change.previous_position, change.position) == ("pledge", "hedge")


def test_first_position_is_a_change_from_none(curator):
    first = make_stance("EE", "pledge", status="proposed")
    services.stances_review(stance_ids=[first.pk], approve=True, user=curator)
    change = PositionChange.objects.get()
    assert (change.previous_label, change.position_label) == ("no position", "Pledge")


def test_an_edit_in_the_admin_is_recorded_too(admin_client):
    stance = make_stance("NL", "hedge")
    url = f"/admin/stances/stance/{stance.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "topic": stance.topic_id,
            "country": stance.country_id,
            "position": "pledge",
            "statement_date": "2025-09-04",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
        }
    )
    data.pop("actor", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    change = PositionChange.objects.get()
    assert (change.previous_position, change.position) == ("hedge", "pledge")


def test_a_revert_through_the_review_pages_is_recorded(client, curator):
    from django.urls import reverse

    stance = make_stance("ES", "hedge")
    original = stance.history.earliest()
    services.stance_correct(stance=stance, user=curator, changes={"position": "pledge"})
    client.force_login(curator)

    client.post(reverse("review:revert", args=[stance.pk, original.history_id]))

    moves = list(
        PositionChange.objects.order_by("recorded_at", "pk").values_list(
            "previous_position", "position"
        )
    )
    assert moves == [("hedge", "pledge"), ("pledge", "hedge")]


# --- Every path goes through the one rule (services.positions_watched) ----------------------


def _moves(iso2: str) -> list[tuple[str, str]]:
    return list(
        PositionChange.objects.filter(country__iso2=iso2)
        .order_by("recorded_at", "pk")
        .values_list("previous_position", "position")
    )


def test_an_actor_made_an_official_voice_in_the_admin_moves_the_position(admin_client):
    make_stance("DE", "hedge", date=dt.date(2025, 9, 1))
    soeder = make_actor("Markus Söder", "DE", official=False, role="CSU leader")
    make_stance("DE", "rejection", actor=soeder, date=dt.date(2025, 9, 5))
    url = f"/admin/stances/actor/{soeder.pk}/change/"
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "country": soeder.country_id,
            "speaks_for_government": "on",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _moves("DE") == [("hedge", "rejection")]


def test_merging_an_official_actor_into_another_voice_is_recorded(curator):
    make_stance("FR", "hedge", date=dt.date(2025, 9, 1))
    minister = make_actor("Minister Dupont", "FR")
    make_stance("FR", "pledge", actor=minister, date=dt.date(2025, 9, 5))
    critic = make_actor("Critic Martin", "FR", official=False)
    services.actors_merge(survivor=critic, duplicates=[minister], user=curator)
    assert _moves("FR") == [("pledge", "hedge")]
    assert PositionChange.objects.get().recorded_by == curator


def test_deleting_stances_in_bulk_in_the_admin_is_recorded(admin_client):
    make_stance("PL", "rejection", date=dt.date(2025, 2, 1))
    latest = make_stance("PL", "hedge", date=dt.date(2025, 9, 4))
    response = admin_client.post(
        "/admin/stances/stance/",
        {"action": "delete_selected", "_selected_action": [latest.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert _moves("PL") == [("hedge", "rejection")]


def test_synthetic_data_records_the_changes_its_timelines_draw():
    from django.core.management import call_command

    from stances.models import Stance, Topic
    from stances.summaries import official_changes

    call_command("generate_synthetic", stances=300, articles=60, seed=5)
    topic = Topic.objects.get(slug="ukraine-troop-deployment")
    points, _ = official_changes(Stance.objects.approved().filter(topic=topic))
    drawn: dict[int, list[str]] = {}
    for country_id, position, _day, _pk in points:
        drawn.setdefault(country_id, []).append(position)
    recorded: dict[int, list[str]] = {}
    for change in PositionChange.objects.order_by("recorded_at", "pk"):
        recorded.setdefault(change.country_id, []).append(change.position)
    assert recorded == drawn
    assert sum(len(v) for v in drawn.values()) > len(drawn), "some countries changed"
