"""Faults on the full stack (real Celery workers, Redis and PostgreSQL): workers SIGKILLed
again and again mid-batch, Redis restarted mid-batch (its queue lost), PostgreSQL
connections dropped under the workers. Afterwards nothing is lost, nothing is doubled, and
the run reports every item, with no one resuming anything: Celery beat (a process of the
test's own, with the project's schedule, made fast) finds runs that stopped moving.

Redis is a server of this test's own on a free loopback port, so restarting it cannot upset
anything else on the machine.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest
from celery import Celery
from django.db import connection

from ingest import services
from ingest.models import Article, IngestRun, ItemStatus
from tests.test_ingest_worker import PARAGRAPHS, VISIBILITY_TIMEOUT, Workers, progress, wait_for
from tests.webserver import article_html

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class OwnRedis:
    def __init__(self, tmp_path) -> None:
        self.exe = shutil.which("redis-server") or "/usr/bin/redis-server"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.dir = tmp_path
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 (fixed arguments)
            [self.exe, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return
            except redis.RedisError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def stack(tmp_path, postgres, redis_url, settings):
    """Workers on a Redis of the test's own; `send` queues a task there."""
    from config.celery import app

    if not (shutil.which("redis-server") or os.path.exists("/usr/bin/redis-server")):
        pytest.fail("redis-server is needed for the fault tests", pytrace=False)
    server = OwnRedis(tmp_path)
    server.start()
    # Beat asks every second; a run still for 3 s has stopped moving.
    workers = Workers(server.url, INGEST_RESUME_EVERY="1", INGEST_STALL_MINUTES="0.05")
    # Not the current app: the shared tasks of later tests must keep sending to their broker.
    client = Celery(broker=server.url, set_as_current=False)
    client.conf.broker_transport_options = {"visibility_timeout": VISIBILITY_TIMEOUT}
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False

    def send(name: str, *args) -> None:
        client.send_task(name, args=args, queue=workers.queue)

    yield server, workers, send
    app.conf.task_always_eager = previous
    for process in workers.processes:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    server.stop()


def serve_pages(web, count: int, delay: float) -> IngestRun:
    for n in range(count):
        web.add(f"/news/{n}", article_html(f"Report number {n}", [f"Item {n}.", *PARAGRAPHS]),
                delay=delay)
    return services.run_create(
        inputs=[services.input_from_url(web.url(f"/news/{n}")) for n in range(count)],
        source="test",
    )


def assert_complete(run: IngestRun, count: int) -> None:
    run.refresh_from_db()
    assert (run.status, run.new_count, run.duplicate_count, run.failed_count) == (
        "done", count, 0, 0
    )
    assert Article.objects.count() == count
    titles = sorted(Article.objects.values_list("title", flat=True))
    assert titles == sorted(f"Report number {n}" for n in range(count))
    items = list(run.items.all())
    assert all(i.status == ItemStatus.NEW for i in items)
    assert len({i.article_id for i in items}) == count


def test_workers_killed_five_times_mid_batch_lose_and_double_nothing(stack, web, tmp_path):
    _server, workers, send = stack
    count = 24
    run = serve_pages(web, count, delay=0.25)
    worker = workers.start()
    workers.beat(tmp_path)
    send("ingest.tasks.run_start", run.pk)
    for kill in range(1, 6):
        wait_for(lambda k=kill: progress(run) >= 3 * k, timeout=120, what=f"progress {kill}")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        assert progress(run) < count, "the batch finished before the kills"
        time.sleep(VISIBILITY_TIMEOUT + 0.5)
        worker = workers.start()
    wait_for(lambda: progress(run) >= count, timeout=180, what="the rest of the batch")
    assert_complete(run, count)


def test_a_redis_restart_mid_batch_loses_the_queue_but_not_the_work(stack, web, tmp_path):
    server, workers, send = stack
    count = 12
    run = serve_pages(web, count, delay=0.3)
    workers.start()
    workers.beat(tmp_path)
    send("ingest.tasks.run_start", run.pk)
    wait_for(lambda: progress(run) >= 2, timeout=90, what="the first items")
    server.stop()  # Redis keeps nothing on disk: every queued message is gone
    time.sleep(1)
    server.start()
    done_at_restart = progress(run)
    assert done_at_restart < count
    # The run stops moving; beat's periodic resume finds it and queues what is left.
    wait_for(lambda: progress(run) >= count, timeout=180, what="the rest of the batch")
    assert_complete(run, count)


def test_dropped_postgresql_connections_under_the_workers_lose_nothing(stack, web, tmp_path):
    _server, workers, send = stack
    count = 12
    run = serve_pages(web, count, delay=0.3)
    workers.start()
    workers.beat(tmp_path)
    send("ingest.tasks.run_start", run.pk)
    wait_for(lambda: progress(run) >= 1, timeout=90, what="the first item")

    stop = threading.Event()
    dropped: list[int] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        test_pid = cursor.fetchone()[0]

    def drop_connections() -> None:
        import psycopg

        db = connection.settings_dict
        with psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
            dbname=db["NAME"], autocommit=True,
        ) as admin:
            me = admin.execute("SELECT pg_backend_pid()").fetchone()[0]
            while not stop.is_set():
                # Everyone on the test database but this test: the workers.
                rows = admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid NOT IN (%s, %s)",
                    [me, test_pid],
                ).fetchall()
                dropped.extend(1 for _ in rows)
                time.sleep(0.7)

    dropper = threading.Thread(target=drop_connections, daemon=True)
    dropper.start()
    time.sleep(4)
    stop.set()
    dropper.join(timeout=10)

    wait_for(lambda: progress(run) >= count, timeout=180, what="the rest of the batch")
    assert dropped, "no worker connection was dropped: the test proved nothing"
    assert_complete(run, count)


# --- Task time limits ---------------------------------------------------------------------
# Real limits on a prefork worker (the solo pool has none), made short, with extraction
# slowed down on purpose for the texts that ask for it (tests.hooked_worker).


def file_run(tmp_path, files: dict[str, str]) -> IngestRun:
    """A run of corpus files: {name: marker for tests.hooked_worker, or ""}."""
    paths = []
    for n, (name, marker) in enumerate(files.items()):
        body = f"Report {name}. {marker}\n\n" + "\n\n".join(PARAGRAPHS)
        path = tmp_path / name
        path.write_text(
            f"url: unknown\ntitle: File {n} {name}\npublished: 2025-09-04\noutlet: Wire\n"
            f"---\n{body}\n",
            encoding="utf-8",
        )
        paths.append(str(path))
    return services.run_create(inputs=services.inputs_from_args(paths), source="test")


def test_an_extraction_stopped_at_the_soft_time_limit_fails_its_item_alone(
    stack, tmp_path, client, curator
):
    _server, workers, send = stack
    run = file_run(tmp_path, {"a.txt": "", "slow.txt": "SLOW-EXTRACTION", "b.txt": ""})
    workers.start(
        pool="prefork", hooked=True, CELERY_TASK_SOFT_TIME_LIMIT="3", CELERY_TASK_TIME_LIMIT="8"
    )
    send("ingest.tasks.run_start", run.pk)
    wait_for(lambda: progress(run) >= 3, timeout=90, what="the three files")
    run.refresh_from_db()
    assert (run.status, run.new_count, run.failed_count) == ("done", 2, 1)
    slow = run.items.get(source__endswith="slow.txt")
    reason = "Stored, but extraction failed: Extraction took longer than the time limit (3 s)."
    assert (slow.status, slow.error, slow.article.status) == ("failed", reason, "failed")
    client.force_login(curator)
    page = client.get(f"/ingest/runs/{run.pk}/").content.decode()
    assert reason in page


def test_an_item_past_the_hard_time_limit_costs_only_itself_and_fails_after_its_tries(
    stack, tmp_path
):
    """The hard limit kills the task: the other files, in tasks of their own, are ingested;
    beat sends the killed item again, and after INGEST_ITEM_MAX_LOST_TRIES tries that never
    ended it fails with the reason, so the run finishes without anyone."""
    _server, workers, send = stack
    run = file_run(tmp_path, {"stuck.txt": "STUCK-EXTRACTION", "a.txt": "", "b.txt": ""})
    limits = {"CELERY_TASK_SOFT_TIME_LIMIT": "2", "CELERY_TASK_TIME_LIMIT": "4"}
    workers.env.update(INGEST_ITEM_MAX_LOST_TRIES="2")
    workers.start(pool="prefork", hooked=True, **limits)
    workers.beat(tmp_path)
    send("ingest.tasks.run_start", run.pk)
    wait_for(lambda: progress(run) >= 3, timeout=150, what="the three files")
    run.refresh_from_db()
    assert (run.status, run.new_count, run.failed_count) == ("done", 2, 1)
    stuck = run.items.get(source__endswith="stuck.txt")
    assert stuck.status == "failed"
    assert stuck.error.startswith("Given up after 2 tries that never ended")
    assert "hard time limit (4 s)" in stuck.error
