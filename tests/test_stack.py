"""The full stack is wired: a real Celery worker, connected to Redis, runs a task that reads
the same PostgreSQL database; and the compose file describes every service."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import yaml
from django.db import connection

from config.celery import app, healthcheck

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def celery_worker(redis_url, postgres):
    """A real worker process on a queue of its own, sharing this test's database."""
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=redis_url)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        yield queue
    finally:
        app.conf.task_always_eager = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


@pytest.mark.services
# Transactional, so the worker sees committed rows; serialized rollback puts the reference
# data (countries, topic) back for the tests that follow.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_runs_a_task_against_redis_and_postgres(celery_worker):
    started = time.monotonic()
    result = healthcheck.apply_async(queue=celery_worker)
    seen = result.get(timeout=60)
    assert seen == {"database": "postgresql", "countries": 196}
    assert time.monotonic() - started < 60


def test_compose_file_names_the_full_stack_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    assert services["db"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    for name in ("db", "redis", "web"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]


def test_dockerfile_installs_the_way_the_makefile_does():
    dockerfile = (ROOT / "Dockerfile").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert "RUN make install" in dockerfile
    assert "install: $(STAMP)" in makefile
    assert "collectstatic" in dockerfile
