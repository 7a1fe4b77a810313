"""Shared fixtures: the topic, standing users, and the switch for tests needing services.

Tests that need PostgreSQL or Redis ask for `postgres` or `redis_url`. They skip when the
service is not configured, unless REQUIRE_SERVICES=1 (as CI sets it), where they fail.
"""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app
from stances.models import Country, Topic

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "") in {"1", "true", "yes"}


def _missing(what: str) -> None:
    message = f"{what} is not configured"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}, and REQUIRE_SERVICES=1 says it must be", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def redis_url() -> str:
    if not settings.REDIS_URL:
        _missing("Redis (REDIS_URL)")
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"REDIS_URL is set but Redis does not answer: {exc}", pytrace=False)
    return settings.REDIS_URL


@pytest.fixture
def postgres(db) -> None:
    if connection.vendor != "postgresql":
        _missing("PostgreSQL (DATABASE_URL)")


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Run tasks in-process unless a test drives a real worker (it asks for `celery_worker`)."""
    if "celery_worker" in request.fixturenames:
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _uploads_apart(settings, tmp_path_factory):
    """Files waiting for a worker go to a folder of each test's own, not the project's."""
    settings.INGEST_UPLOAD_DIR = tmp_path_factory.mktemp("uploads")


@pytest.fixture(autouse=True)
def _fresh_page_caches():
    """Each test starts with empty in-process caches. A shared Redis cache is left alone:
    it may hold the Celery broker's queues, and page keys name a state of the data."""
    from django.core.cache import caches

    for alias in ("pages", "default"):
        if "locmem" in settings.CACHES[alias]["BACKEND"]:
            caches[alias].clear()
    yield


@pytest.fixture
def topic(db) -> Topic:
    return Topic.objects.get(slug=settings.DEFAULT_TOPIC)


@pytest.fixture
def country(db):
    def get(iso2: str) -> Country:
        return Country.objects.get(iso2=iso2)

    return get


@pytest.fixture
def curator(django_user_model):
    from django.contrib.auth.models import Group

    from stances.roles import CURATORS, curators_group_ensure

    curators_group_ensure()
    user = django_user_model.objects.create_user(
        "curator", password="pw-curator-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name=CURATORS))
    return user


@pytest.fixture
def outsider(django_user_model):
    return django_user_model.objects.create_user("outsider", password="pw-outsider-123")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests sign in many times; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def web(settings):
    """A local HTTP server (127.0.0.1 only) that fetching may reach, with short timeouts."""
    from tests.webserver import WebServer

    settings.INGEST_FETCH_ALLOW = ["127.0.0.1/32"]
    settings.INGEST_FETCH_CONNECT_TIMEOUT = 2.0
    settings.INGEST_FETCH_READ_TIMEOUT = 0.5
    settings.INGEST_FETCH_TOTAL_TIMEOUT = 2.0
    settings.INGEST_FETCH_RETRIES = 0
    server = WebServer().start()
    yield server
    server.stop()


# Screenshots the browser tests took in this run, listed at the end (CI keeps them).
SCREENSHOTS: list[str] = []


def pytest_terminal_summary(terminalreporter) -> None:
    if SCREENSHOTS:
        terminalreporter.section("screenshots")
        for path in SCREENSHOTS:
            terminalreporter.write_line(path)
