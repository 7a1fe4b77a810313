"""Anonymous requests with hostile parameters: no 500, and a bounded answer in time and size
on every public URL. The fixed cases are the ones a probe found (a chart of 95,698 months,
dates past the last representable day, "²" as a page number, NUL bytes, a tsquery deeper
than PostgreSQL's stack); the generated ones try everything else."""

from __future__ import annotations

import datetime as dt
import time
from urllib.parse import urlencode

import pytest
import yaml
from django.conf import settings
from django.core.cache import cache, caches
from hypothesis import given
from hypothesis import strategies as st

from stances.filters import StanceFilters
from stances.summaries import CHART_MONTHS, cache_key, data_version, overview_build
from tests.factories import make_actor, make_stance

pytestmark = pytest.mark.fuzz

MAX_SECONDS = 5.0
MAX_BYTES = 2_000_000


@pytest.fixture
def record(db, topic):
    actor = make_actor("Ola Nordmann", "NO")
    norway = make_stance("NO", "pledge", actor=actor, date=dt.date(2025, 3, 1), topic=topic,
                         sentence="Norway will send troops to the reassurance force.")
    make_stance("PL", "rejection", date=dt.date(2025, 4, 2), topic=topic,
                sentence="Poland will not send troops to Ukraine.")
    # A curator's typo of a century: the chart must still stay a few hundred months wide.
    make_stance("SE", "hedge", date=dt.date(1901, 5, 5), topic=topic)
    return {"topic": topic.slug, "actor": actor.slug, "stance": norway.pk,
            "article": norway.evidence.get().article_id}


def _public_urls(record: dict) -> list[str]:
    t = record["topic"]
    return [
        f"/t/{t}/", f"/t/{t}/no/", f"/t/{t}/pl/", f"/actors/{record['actor']}/", "/search/",
        "/export/stances.csv", "/export/stances.json", "/export/countries.csv",
        "/export/countries.json", f"/t/{t}/feed.atom", f"/t/{t}/no/feed.atom",
        f"/t/{t}/methodology/", "/api/stances", f"/api/topics/{t}/countries", "/api/actors",
        "/api/articles", f"/stances/{record['stance']}/", f"/articles/{record['article']}/",
        f"/stances/{record['stance']}/changes/", "/", "/groups/",
    ]


def _get(client, url: str, params: dict | list):
    started = time.perf_counter()
    response = client.get(f"{url}?{urlencode(params, doseq=True)}")
    body = (b"".join(response.streaming_content) if response.streaming
            else response.content)
    return response, body, time.perf_counter() - started


def _bounded(response, body: bytes, took: float, what: str) -> None:
    assert response.status_code < 500, what
    assert took < MAX_SECONDS, f"{what}: {took:.1f} s"
    assert len(body) < MAX_BYTES, f"{what}: {len(body)} bytes"


# --- the probe's findings --------------------------------------------------------------------


@pytest.mark.parametrize("until", ["9999-11-30", "9999-12-31", "0001-01-01", "2900-01-01"])
def test_a_date_far_out_is_refused_with_a_message_not_a_chart_of_millennia(client, record,
                                                                             until):
    for url in (f"/t/{record['topic']}/", "/export/countries.csv", "/export/countries.json"):
        response, body, took = _get(client, url, {"until": until})
        _bounded(response, body, took, url)
    response = client.get(f"/t/{record['topic']}/", {"until": until})
    assert "Give a date between 1 January 1900 and" in response.content.decode()


@pytest.mark.parametrize("day", [f"0001-01-0{d}" for d in range(1, 7)])
def test_as_of_the_first_days_of_the_calendar_is_refused(client, record, day):
    for url in _public_urls(record)[:4]:
        response, body, took = _get(client, url, {"as_of": day})
        _bounded(response, body, took, url)
    assert "Give a date between" in client.get(
        f"/t/{record['topic']}/", {"as_of": day}).content.decode()


@pytest.mark.parametrize("page", ["²", "٣", "9" * 5000, "-1", "0", "1e9"])
def test_any_page_number_is_a_page_or_the_first(client, record, page):
    for url in (f"/t/{record['topic']}/", f"/t/{record['topic']}/no/",
                f"/actors/{record['actor']}/", "/search/"):
        response, body, took = _get(client, url, {"page": page, "q": "troops"})
        _bounded(response, body, took, f"{url} page={page[:10]}")


def test_the_chart_stays_a_bounded_number_of_months_wide(client, record, topic):
    assert client.get(f"/t/{record['topic']}/").status_code == 200
    overview = overview_build(topic, StanceFilters({}))
    assert len(overview.chart.months) == CHART_MONTHS
    # ... and ends this month, with the century-old statement still counted.
    assert overview.chart.months[-1] == dt.date.today().replace(day=1)
    assert overview.chart.counts["hedge"][-1] == 1


@pytest.mark.parametrize("params", [
    {"q": "\x00"}, {"topic": "\x00"}, {"country": "p\x00"}, {"actor": "\x00"},
    {"since": "2025-01-01\x00"}, {"group": "\x00"},
])
def test_a_nul_byte_is_a_bad_request_everywhere(client, record, params):
    for url in _public_urls(record):
        response = client.get(url, params)
        # The API's documented answer to an invalid parameter is 422 with a JSON detail.
        assert response.status_code == (422 if url.startswith("/api/") else 400), url
        assert "NUL" in response.content.decode()


def test_a_path_with_a_nul_byte_is_a_bad_request(client, record):
    assert client.get("/actors/a%00b/").status_code == 400


@pytest.mark.parametrize("q", ["-" * 40, "a-" * 60, "!" * 300, "\"" * 50, "x " * 500])
def test_search_takes_any_query(client, record, q):
    response, body, took = _get(client, "/search/", {"q": q})
    _bounded(response, body, took, f"q={q[:20]}")


def test_search_of_many_dashes_on_postgresql(client, record, postgres):
    """PostgreSQL's websearch parser made 'tsquery stack too small' of 33 or more dashes."""
    for q in ["-" * 33, "-" * 200, "troops " + "-" * 100, "a-" * 100]:
        assert client.get("/search/", {"q": q}).status_code == 200, q[:20]


def test_a_region_too_large_is_served_but_not_kept_in_the_shared_cache(client, record, topic,
                                                                        settings):
    filters = StanceFilters({"since": "2025-01-02"})
    key = cache_key("overview", topic.pk, filters.querystring(), data_version())
    cache.clear()
    settings.CACHE_MAX_ENTRY_BYTES = 100  # every overview is larger than this
    assert client.get(f"/t/{record['topic']}/", {"since": "2025-01-02"}).status_code == 200
    assert cache.get(key) is None
    # Within the limit, the same request is kept.
    settings.CACHE_MAX_ENTRY_BYTES = 1_000_000
    caches["pages"].clear()
    assert client.get(f"/t/{record['topic']}/", {"since": "2025-01-02"}).status_code == 200
    assert cache.get(key) is not None


def test_compose_keeps_cache_and_broker_apart_and_needs_a_real_key():
    compose = yaml.safe_load((settings.BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    broker = " ".join(services["redis"]["command"])
    cache_cmd = " ".join(services["redis-cache"]["command"])
    assert "noeviction" in broker
    assert "allkeys-lru" in cache_cmd and "--maxmemory" in cache_cmd
    env = compose["x-app-env"]
    assert env["REDIS_CACHE_URL"] != env["REDIS_URL"]
    # "${SECRET_KEY:?...}": compose refuses to start without one.
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?")


# --- generated parameters on every public URL ------------------------------------------------

dates = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)).map(str)
texts = st.text(max_size=300)
values = st.one_of(dates, texts, st.integers().map(str),
                   st.sampled_from(["pledge", "hedge", "rejection", "1", "true", "²", "-" * 40,
                                    "9" * 400, "NO", "pl", "ukraine-reassurance-force", "nato"]))
names = st.sampled_from(["since", "until", "as_of", "position", "actor", "official", "page",
                         "q", "topic", "country", "cursor", "page_size", "unreviewed", "sort",
                         "group"])
params = st.lists(st.tuples(names, values), max_size=6)


@given(url_index=st.integers(min_value=0, max_value=20), query=params)
def test_no_public_url_answers_500_or_unbounded(client, record, url_index, query):
    url = _public_urls(record)[url_index]
    response, body, took = _get(client, url, query)
    if any("\x00" in k or "\x00" in v for k, v in query):
        assert response.status_code in (400, 422)
    _bounded(response, body, took, f"{url} {query!r}"[:300])
