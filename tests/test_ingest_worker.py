"""Ingest through real Celery workers on Redis and PostgreSQL: a worker killed (SIGKILL) in
the middle of a batch loses nothing and doubles nothing once another worker takes over; and
a passing server error is retried by the worker with backoff."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from ingest import services, tasks
from ingest.models import Article, IngestRun, ItemStatus
from tests.webserver import article_html

ROOT = Path(__file__).resolve().parent.parent
# Short, so the new worker takes back the killed worker's unacknowledged task at once.
VISIBILITY_TIMEOUT = 2

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Workers:
    """Starts worker processes (and, if asked, Celery beat) on a queue of this test's own,
    against the test database. `env` is given to each; TEST_WORKER_LOGS=DIR keeps their
    output there."""

    def __init__(self, redis_url: str, **env: str) -> None:
        self.queue = f"test-ingest-{uuid.uuid4().hex[:8]}"
        self.redis_url = redis_url
        self.env = env
        self.processes: list[subprocess.Popen] = []

    def _spawn(self, args: list[str], env: dict[str, str]) -> subprocess.Popen:
        db = connection.settings_dict
        environment = dict(
            os.environ,
            DATABASE_URL=(
                f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
                f"{db['NAME']}"
            ),
            REDIS_URL=self.redis_url,
            CELERY_QUEUE=self.queue,
            CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
            INGEST_FETCH_ALLOW="127.0.0.1",
            INGEST_FETCH_RETRIES="3",
            # Uploaded and command-line files wait where this test's process puts them.
            INGEST_UPLOAD_DIR=str(settings.INGEST_UPLOAD_DIR),
        )
        environment.update(self.env, **env)
        output = subprocess.DEVNULL
        if logs := os.environ.get("TEST_WORKER_LOGS"):
            name = f"{self.queue}-{len(self.processes)}-{args[4]}.log"
            output = open(Path(logs) / name, "wb")  # noqa: SIM115 (the child keeps it)
        process = subprocess.Popen(
            [sys.executable, *args], cwd=ROOT, env=environment, stdout=output, stderr=output
        )
        self.processes.append(process)
        return process

    def start(self, *, pool: str = "solo", hooked: bool = False, **env: str) -> subprocess.Popen:
        """A worker; `hooked` slows extraction down for texts that ask (tests.hooked_worker)."""
        module = "tests.hooked_worker" if hooked else "celery"
        return self._spawn(
            ["-m", module, "-A", "config", "worker", f"--pool={pool}", "--concurrency=1",
             "-Q", self.queue, "--without-gossip", "--without-mingle", "--without-heartbeat",
             "--loglevel=WARNING"],
            env,
        )

    def beat(self, schedule_dir: Path, **env: str) -> subprocess.Popen:
        """Celery beat with the project's schedule, sending to this test's queue."""
        return self._spawn(
            ["-m", "celery", "-A", "config", "beat", "--loglevel=WARNING",
             "--schedule", str(schedule_dir / "celerybeat-schedule")],
            env,
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        import redis

        client = redis.Redis.from_url(self.redis_url)
        client.delete(self.queue, "unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def workers(redis_url, postgres):
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    pool = Workers(redis_url)
    yield pool
    app.conf.task_always_eager = previous
    pool.stop()


def wait_for(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def progress(run: IngestRun) -> int:
    run.refresh_from_db()
    return run.processed


PARAGRAPHS = [
    "Officials in the capital confirmed that a battalion of engineers would be ready to deploy "
    "as part of the reassurance force within three months of a ceasefire being signed.",
    "The announcement followed talks between defence ministers, who agreed on a command "
    "structure and on the rotation of units through the training centre near the border.",
]


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(workers, web):
    count = 16
    for n in range(count):
        # Each page takes a moment, so the kill lands in the middle of the batch.
        web.add(f"/news/{n}", article_html(f"Report number {n}", [f"Item {n}.", *PARAGRAPHS]),
                delay=0.3)
    run = services.run_create(
        inputs=[services.input_from_url(web.url(f"/news/{n}")) for n in range(count)],
        source="test",
    )
    first = workers.start()
    tasks.run_start.apply_async((run.pk,), queue=workers.queue)
    wait_for(lambda: progress(run) >= 3, timeout=90, what="the first items")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    done_at_kill = progress(run)
    assert done_at_kill < count, "the batch finished before the kill"

    time.sleep(VISIBILITY_TIMEOUT + 0.5)
    workers.start()
    wait_for(lambda: progress(run) >= count, timeout=120, what="the rest of the batch")
    run.refresh_from_db()
    assert (run.status, run.new_count, run.duplicate_count, run.failed_count) == (
        "done", count, 0, 0
    )
    assert run.finished_at is not None
    assert Article.objects.count() == count
    assert sorted(Article.objects.values_list("title", flat=True)) == sorted(
        f"Report number {n}" for n in range(count)
    )
    items = list(run.items.all())
    assert all(i.status == ItemStatus.NEW and i.article_id for i in items)
    assert len({i.article_id for i in items}) == count


def test_a_worker_retries_a_passing_server_error_with_backoff(workers, web):
    answers = iter([(503, {}, b"busy")])
    page = article_html("Report after a retry", PARAGRAPHS).encode()
    web.add("/flaky", handler=lambda headers: next(answers, (200, {}, page)))
    run = services.run_create(inputs=[services.input_from_url(web.url("/flaky"))], source="test")
    workers.start()
    tasks.run_start.apply_async((run.pk,), queue=workers.queue)
    wait_for(lambda: progress(run) >= 1, timeout=90, what="the retried item")
    run.refresh_from_db()
    assert (run.status, run.new_count) == ("done", 1)
    assert web.hits("/flaky") == 2


SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/corpus/seeds is not beside the project")
def test_the_command_says_when_no_worker_listens_and_queues_nothing(workers):
    from io import StringIO

    from django.core.management import CommandError, call_command

    # The `workers` fixture turns eager mode off but no worker is started.
    with pytest.raises(CommandError, match="No Celery worker answered within 2 s"):
        call_command(
            "ingest", str(SEEDS), "--worker-timeout", "2", stdout=StringIO(), stderr=StringIO()
        )
    assert IngestRun.objects.count() == 0


def test_the_command_hands_the_batch_to_the_workers_and_waits_for_it(workers):
    from io import StringIO

    from django.core.management import call_command

    from config.celery import app

    previous = app.conf.task_default_queue
    app.conf.task_default_queue = workers.queue
    workers.start()
    try:
        outputs = []
        for _ in range(2):
            out = StringIO()
            call_command("ingest", str(SEEDS), stdout=out, stderr=StringIO())
            outputs.append(out.getvalue())
    finally:
        app.conf.task_default_queue = previous
    assert "5 new, 0 duplicates, 0 failed" in outputs[0]
    assert "0 new, 5 duplicates, 0 failed" in outputs[1]
    assert Article.objects.count() == 5
