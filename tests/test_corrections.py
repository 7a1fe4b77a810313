"""Corrections keep what they do not change, and the admin's stance forms work."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from stances.models import ReviewStatus, Stance

from .factories import make_stance
from .forms_as_browsers import submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def dated():
    return make_stance("PL", "hedge", status=ReviewStatus.PROPOSED, date=dt.date(2025, 9, 5))


def test_the_correction_form_shows_the_date_as_a_date_input_can(client, curator, dated):
    client.force_login(curator)
    html = client.get(reverse("review:edit", args=[dated.pk])).content.decode()
    assert 'type="date"' in html
    assert 'value="2025-09-05"' in html


def test_changing_only_the_country_keeps_the_date(client, curator, dated):
    client.force_login(curator)
    html = client.get(reverse("review:edit", args=[dated.pk])).content.decode()
    data = submitted(html, "correct")
    data[f"s{dated.pk}-country"] = "DE"
    response = client.post(reverse("review:action", args=[dated.pk]), data)
    assert response.status_code == 302
    dated.refresh_from_db()
    assert (dated.country.iso2, dated.statement_date, dated.date_precision) == (
        "DE",
        dt.date(2025, 9, 5),
        "day",
    )
    assert dated.status == "approved"


def test_every_date_input_renders_iso_dates(client, curator):
    """The filter forms too: a date typed there comes back in a form a date input shows."""
    make_stance("PL", "hedge")
    html = client.get("/t/ukraine-troop-deployment/pl/?since=2025-09-01").content.decode()
    assert 'name="since" value="2025-09-01"' in html
    assert Stance.objects.count() == 1


# --- The admin's Add stance and Change stance ------------------------------------------


def _admin_stance_data(topic, **fields) -> dict:
    data = {
        "topic": topic.pk,
        "country": fields.pop("country"),
        "position": "pledge",
        "statement_date": "2025-09-05",
        "date_precision": "day",
        "summary": "",
        "status": "proposed",
        "confidence": "",
        "extractor_version": "",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize("status", ["proposed", "approved"])
def test_the_admin_adds_a_stance_created_by_the_user(
    admin_client, admin_user, topic, country, status
):
    response = admin_client.post(
        reverse("admin:stances_stance_add"),
        _admin_stance_data(topic, country=country("FR").pk, status=status),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    stance = Stance.objects.get()
    assert stance.created_by == admin_user and stance.extractor_version == ""
    if status == "approved":
        assert stance.reviewed_by == admin_user and stance.reviewed_at is not None
        admin_client.logout()
        assert admin_client.get(stance.get_absolute_url()).status_code == 200
    else:
        assert stance.reviewed_by is None and stance.reviewed_at is None


def test_the_admin_adds_a_stance_with_its_evidence(admin_client, admin_user, topic, country):
    from .factories import make_article

    text = "World News\n\nFrance is ready to send troops, Macron said."
    article = make_article(text)
    sentence = "France is ready to send troops, Macron said."
    data = _admin_stance_data(
        topic,
        country=country("FR").pk,
        status="approved",
        **{
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-article": article.pk,
            "evidence-0-sentence": sentence,
            "evidence-0-start": "12",
            "evidence-0-end": str(12 + len(sentence)),
            "evidence-0-kind": "reported",
            "evidence-0-status": "proposed",
        },
    )
    response = admin_client.post(reverse("admin:stances_stance_add"), data)
    assert response.status_code == 302
    stance = Stance.objects.get()
    assert stance.evidence.get().sentence == sentence
    # A reader finds it, with its sentence, on the country's timeline.
    admin_client.logout()
    assert sentence in admin_client.get("/t/ukraine-troop-deployment/fr/").content.decode()


def test_a_date_without_a_precision_is_taken_as_the_exact_day(admin_client, topic, country):
    response = admin_client.post(
        reverse("admin:stances_stance_add"),
        _admin_stance_data(topic, country=country("FR").pk, date_precision="unknown"),
    )
    assert response.status_code == 302
    assert Stance.objects.get().date_precision == "day"


def test_a_precision_without_a_date_is_refused_with_a_reason(admin_client, topic, country):
    response = admin_client.post(
        reverse("admin:stances_stance_add"),
        _admin_stance_data(topic, country=country("FR").pk, statement_date=""),
    )
    assert response.status_code == 200
    assert "Give the date, or set the precision to" in response.content.decode()
    assert not Stance.objects.exists()


def test_the_admin_approves_a_proposal_as_a_review(admin_client, admin_user, topic):
    stance = make_stance("NL", "hedge", status=ReviewStatus.PROPOSED)
    url = reverse("admin:stances_stance_change", args=[stance.pk])
    evidence = stance.evidence.get()
    data = _admin_stance_data(
        topic,
        country=stance.country_id,
        position="hedge",
        statement_date=stance.statement_date.isoformat(),
        status="approved",
        extractor_version=stance.extractor_version,
        **{
            "evidence-TOTAL_FORMS": "1",
            "evidence-INITIAL_FORMS": "1",
            "evidence-0-id": evidence.pk,
            "evidence-0-stance": stance.pk,
            "evidence-0-article": evidence.article_id,
            "evidence-0-sentence": evidence.sentence,
            "evidence-0-start": evidence.start,
            "evidence-0-end": evidence.end,
            "evidence-0-kind": evidence.kind,
            "evidence-0-status": evidence.status,
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    stance.refresh_from_db()
    assert (stance.status, stance.reviewed_by) == ("approved", admin_user)
    assert stance.created_by is None and stance.extractor_version == "test-1"
