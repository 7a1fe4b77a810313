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
