"""The shared filters: what each GET parameter narrows, and as_of showing a past state."""

import datetime as dt

import pytest
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from stances.filters import StanceFilters
from stances.models import Stance

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db


def shown(params: str, *, curator: bool = False) -> set[int]:
    form = StanceFilters(QueryDict(params), may_see_unreviewed=curator)
    return {s.pk for s in form.apply(Q())}


def test_it_shows_only_approved_stances_by_default():
    approved = make_stance("FR", "pledge")
    make_stance("FR", "hedge", status="proposed")
    make_stance("FR", "rejection", status="rejected")
    assert shown("") == {approved.pk}


def test_it_filters_by_positions_dates_actor_and_official_line():
    macron = make_actor("Emmanuel Macron", "FR")
    leader = make_actor("Opposition Leader", "FR", official=False)
    a = make_stance("FR", "pledge", actor=macron, date=dt.date(2025, 3, 1))
    b = make_stance("FR", "hedge", actor=leader, date=dt.date(2025, 6, 1))
    c = make_stance("FR", "rejection", date=dt.date(2025, 9, 1))
    assert shown("position=pledge&position=rejection") == {a.pk, c.pk}
    assert shown("since=2025-05-01") == {b.pk, c.pk}
    assert shown("until=2025-05-01") == {a.pk}
    assert shown("actor=emmanuel-macron") == {a.pk}
    assert shown("official=1") == {a.pk, c.pk}


def test_unreviewed_is_for_curators_only():
    approved = make_stance("FR", "pledge")
    proposed = make_stance("FR", "hedge", status="proposed")
    assert shown("unreviewed=1") == {approved.pk}
    assert shown("unreviewed=1", curator=True) == {approved.pk, proposed.pk}


def test_invalid_parameters_filter_nothing_and_report_errors():
    approved = make_stance("FR", "pledge")
    form = StanceFilters(QueryDict("since=2025-09-01&until=2025-01-01&position=maybe"))
    assert not form.is_valid()
    assert "until" in form.errors and "position" in form.errors
    assert {s.pk for s in form.apply(Q())} == {approved.pk}


def test_querystring_is_canonical():
    make_actor("Emmanuel Macron", "FR")
    form = StanceFilters(
        QueryDict("as_of=2025-06-01&position=rejection&position=pledge&actor=emmanuel-macron")
    )
    assert form.querystring() == (
        "position=pledge&position=rejection&actor=emmanuel-macron&as_of=2025-06-01"
    )
    assert form.querystring(position=["hedge"]).startswith("position=hedge&")


def test_as_of_shows_what_was_approved_by_then_and_ignores_later_changes(curator):
    day = timezone.localdate() - dt.timedelta(days=10)
    then = timezone.now() - dt.timedelta(days=10)
    stance = make_stance("DE", "hedge", status="proposed")
    stance.approve(curator, when=then)
    Stance.history.filter(id=stance.pk).update(history_date=then)
    later = make_stance("DE", "pledge", status="proposed")
    later.approve(curator)
    # Corrected and then rejected today: a link to ten days ago still shows the hedge.
    stance.position = "rejection"
    stance.save()
    stance.reject(curator, reason="Misread.")
    form = StanceFilters(QueryDict(f"as_of={day.isoformat()}"))
    rows = list(form.apply(Q()))
    assert [(s.pk, s.position) for s in rows] == [(stance.pk, "hedge")]
    assert shown("") == {later.pk}


def test_as_of_cannot_be_in_the_future():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = StanceFilters(QueryDict(f"as_of={tomorrow.isoformat()}"))
    assert not form.is_valid() and "as_of" in form.errors


def test_as_of_keeps_a_stance_where_it_stood_after_its_country_is_corrected(client, curator):
    """A shared link to Germany's timeline as of ten days ago keeps showing a stance that a
    curator has since moved to Austria; Austria's link of that day does not gain it."""
    from stances.models import Country

    day = timezone.localdate() - dt.timedelta(days=10)
    then = timezone.now() - dt.timedelta(days=10)
    stance = make_stance("DE", "hedge", status="proposed", date=day)
    stance.approve(curator, when=then)
    Stance.history.filter(id=stance.pk).update(history_date=then)
    germany, austria = Country.objects.get(iso2="DE"), Country.objects.get(iso2="AT")
    stance.country = austria
    stance.save()

    past = StanceFilters(QueryDict(f"as_of={day.isoformat()}"))
    assert [s.pk for s in past.apply(Q(country=germany))] == [stance.pk]
    assert list(past.apply(Q(country=austria))) == []
    now = StanceFilters(QueryDict(""))
    assert [s.pk for s in now.apply(Q(country=austria))] == [stance.pk]

    timeline = "/t/ukraine-troop-deployment/{}/?as_of=" + day.isoformat()
    assert f'id="stance-{stance.pk}"' in client.get(timeline.format("de")).content.decode()
    assert f'id="stance-{stance.pk}"' not in client.get(timeline.format("at")).content.decode()
    export = client.get(
        f"/export/stances.json?topic=ukraine-troop-deployment&country=de&as_of={day}"
    )
    rows = b"".join(export.streaming_content).decode()
    assert f'"id": {stance.pk}' in rows
