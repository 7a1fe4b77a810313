"""The read-only API: what each endpoint answers, and a schemathesis run against its schema,
in-process against the WSGI application (no network)."""

import datetime as dt

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from config.wsgi import application
from stances import services
from stances.api import api

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db

API = "/api/topics/ukraine-troop-deployment"


def test_schema_is_openapi_and_lists_every_endpoint(client):
    schema = client.get("/api/schema/").json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/topics",
        "/api/topics/{slug}",
        "/api/topics/{slug}/countries",
        "/api/topics/{slug}/countries/{iso2}",
        "/api/topics/{slug}/stances",
        "/api/actors",
        "/api/actors/{slug}",
        "/api/articles",
        "/api/articles/{article_id}",
    }
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    assert b'<meta name="viewport"' in docs.content


def test_topics_carry_their_position_definitions(client):
    topics = client.get("/api/topics").json()
    assert [t["slug"] for t in topics] == ["ukraine-troop-deployment"]
    assert topics[0]["pledge_definition"]


def test_countries_have_their_current_official_position(client, django_assert_max_num_queries):
    make_stance("PL", "rejection", date=dt.date(2025, 2, 1))
    make_stance("PL", "hedge", date=dt.date(2025, 9, 4))
    loud = make_actor("Party Leader", "PL", official=False)
    make_stance("PL", "pledge", actor=loud, date=dt.date(2025, 9, 5))
    with django_assert_max_num_queries(8):
        rows = client.get(f"{API}/countries").json()
    poland = next(r for r in rows if r["iso2"] == "PL")
    assert (poland["position"], poland["since"]) == ("hedge", "2025-09-04")
    assert next(r for r in rows if r["iso2"] == "DE")["position"] is None
    assert client.get(f"{API}/countries/pl?as_of=2025-06-01").json()["position"] in (
        None,
        "rejection",
    )
    assert client.get(f"{API}/countries/zz").status_code == 404


def test_stances_filter_and_page_with_cursors(client, django_assert_max_num_queries):
    merz = make_actor("Friedrich Merz", "DE")
    for day in range(1, 8):
        make_stance("DE", "hedge", actor=merz, date=dt.date(2025, 8, day))
    for i, iso2 in enumerate(["FR", "IT", "PL", "SE"]):
        make_stance("DE", "hedge", actor=make_actor(f"Envoy {i}", iso2), date=dt.date(2025, 7, 1))
    make_stance("FR", "pledge")
    make_stance("IT", "pledge", status="proposed")

    seen, url = [], f"{API}/stances?country=de&page_size=3"
    while url:
        with django_assert_max_num_queries(8):
            page = client.get(url).json()
        seen += page["results"]
        url = page["next"]
    assert len(seen) == 11 and len({s["id"] for s in seen}) == 11
    assert seen[0]["actor"]["slug"] == "friedrich-merz" and seen[0]["evidence"][0]["sentence"]

    everything = client.get(f"{API}/stances").json()["results"]
    assert {s["country"] for s in everything} == {"DE", "FR"}, "reviewed only"
    actor_countries = {s["actor"]["country"] for s in everything if s["actor"]}
    assert actor_countries == {"DE", "FR", "IT", "PL", "SE"}
    pledges = client.get(f"{API}/stances?position=pledge").json()["results"]
    assert [s["country"] for s in pledges] == ["FR"]
    by_actor = client.get(f"{API}/stances?actor=friedrich-merz&since=2025-08-05").json()
    assert len(by_actor["results"]) == 3


def test_stances_as_of_and_bad_filters(client, curator):
    stance = make_stance("PL", "rejection", date=dt.date(2025, 2, 1))
    then = timezone.now() - dt.timedelta(days=3)
    stance.history.update(history_date=then, reviewed_at=then)
    services.stance_correct(stance=stance, user=curator, changes={"position": "hedge"})
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    past = client.get(f"{API}/stances?as_of={yesterday}").json()["results"]
    assert [s["position"] for s in past] == ["rejection"]
    response = client.get(f"{API}/stances?since=2025-09-02&until=2025-09-01")
    assert response.status_code == 422 and "until" in response.json()["detail"]
    assert client.get(f"{API}/stances?cursor=not-an-id").status_code == 422


def test_only_curators_get_unreviewed_stances(client, curator, outsider):
    reviewed = make_stance("DE", "hedge")
    proposed = make_stance("DE", "pledge", status="proposed")
    url = f"{API}/stances?country=de&unreviewed=true"

    def ids() -> set[int]:
        return {s["id"] for s in client.get(url).json()["results"]}

    assert ids() == {reviewed.pk}
    client.force_login(outsider)
    assert ids() == {reviewed.pk}
    client.force_login(curator)
    assert ids() == {reviewed.pk, proposed.pk}
    statuses = {s["id"]: s["status"] for s in client.get(url).json()["results"]}
    assert statuses[proposed.pk] == "proposed"
    assert {s["id"] for s in client.get(f"{API}/stances?country=de").json()["results"]} == {
        reviewed.pk
    }


def test_actors_and_articles(client):
    stance = make_stance("FR", "pledge", actor=make_actor("Emmanuel Macron", "FR"))
    make_stance("DE", "hedge", status="proposed")
    assert [a["slug"] for a in client.get("/api/actors?country=fr").json()["results"]] == [
        "emmanuel-macron"
    ]
    assert client.get("/api/actors/emmanuel-macron").json()["country"] == "FR"
    articles = client.get("/api/articles").json()["results"]
    assert [a["id"] for a in articles] == [stance.evidence.get().article_id]
    assert client.get(f"/api/articles/{articles[0]['id']}").status_code == 200
    assert client.get("/api/articles/999999").status_code == 404


# Built from the API object rather than fetched at import time: the test client's host is
# allowed only once pytest-django has set up the test environment. Calls go in-process to
# the WSGI application.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application


@pytest.fixture
def demo_data(db):
    call_command("load_demo")


@pytest.fixture
def test_transaction_kept():
    """As Django's test client does: a request must not close the connection that holds
    the test's transaction (the WSGI handler closes it after each request otherwise)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_schema(case, demo_data, test_transaction_kept):
    case.call_and_validate()
