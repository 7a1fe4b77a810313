"""Memory of the web process while a curator uploads 20 files of 5 MB on /ingest/ (run by
`make bench`); prints the figures, asserts nothing.

A gunicorn web process (one sync worker) serves a scratch database created and dropped
here; tasks go to a Redis queue of the bench's own that no worker reads (so only the web
process is measured), deleted afterwards. The figure is the growth of the worker's peak
resident memory (VmHWM) over the upload, from a warmed-up page view. The request body is
streamed from here, so the client's memory plays no part.

Needs DATABASE_URL (PostgreSQL) and REDIS_URL; skipped without them. Everything is
generated here (no corpus text, no network beyond loopback).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench-results"
FILES = 20
FILE_BYTES = 5_000_000
WORDS = (
    "minister government troops force ceasefire coalition defence parliament mission border "
    "security guarantee allies training logistics engineers command summit talks statement"
).split()


def _admin_url(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def _file_chunks(n: int):
    """A corpus-format article of FILE_BYTES bytes, in 64 KiB pieces."""
    head = (
        f"url: https://bench.example/upload/{n}\ntitle: Upload bench {n}\n"
        "published: 2025-09-04\noutlet: Bench Wire\n---\n"
    ).encode()
    line = (" ".join(WORDS) + f" {n}.\n").encode()
    body_size = FILE_BYTES - len(head)
    yield head
    piece = line * (65536 // len(line))
    sent = 0
    while sent < body_size:
        chunk = piece[: body_size - sent]
        sent += len(chunk)
        yield chunk


def _multipart(token: str, boundary: str) -> tuple[int, list]:
    """(length, parts) of the form: the CSRF token and FILES files, each part an iterable."""
    parts: list = []
    parts.append(
        [f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
         f"{token}\r\n".encode()]
    )
    for n in range(FILES):
        parts.append(
            [f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
             f'filename="upload-{n:02d}.txt"\r\nContent-Type: text/plain\r\n\r\n'.encode()]
        )
        parts.append((n, "file"))
        parts.append([b"\r\n"])
    parts.append([f"--{boundary}--\r\n".encode()])
    length = sum(FILE_BYTES if isinstance(p, tuple) else sum(map(len, p)) for p in parts)
    return length, parts


def _body(parts: list):
    for part in parts:
        if isinstance(part, tuple):
            yield from _file_chunks(part[0])
        else:
            yield from part


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def _worker_pid(master: int) -> int:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def upload_memory() -> dict | None:
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not database_url or not redis_url or not database_url.startswith("postgres"):
        print(
            "Upload memory: SKIPPED, set DATABASE_URL (PostgreSQL) and REDIS_URL to measure it"
        )
        return None
    import psycopg

    scratch = f"bench_upload_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_url(database_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    scratch_url = database_url.rsplit("/", 1)[0] + "/" + scratch
    queue = f"bench-upload-{uuid.uuid4().hex[:8]}"
    uploads = tempfile.mkdtemp(prefix="bench-uploads-")
    env = dict(
        os.environ, DATABASE_URL=scratch_url, CELERY_QUEUE=queue, DEBUG="1",
        INGEST_UPLOAD_DIR=uploads, DJANGO_SETTINGS_MODULE="config.settings",
    )
    port = _free_port()
    web = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        os.environ.update(env)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.contrib.sessions.backends.db import SessionStore

        from ingest.models import IngestRun

        user = get_user_model().objects.create_superuser("bench", password=uuid.uuid4().hex)
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session.create()
        web = subprocess.Popen(  # noqa: S603 - our own fixed command line
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind",
             f"127.0.0.1:{port}", "--workers", "1", "--timeout", "300", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        worker = _worker_pid(web.pid)
        cookies = {"sessionid": session.session_key}

        def request(method: str, path: str, body=None, headers=None):
            headers = dict(headers or {})
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookies[name] = rest.split(";", 1)[0]
            connection.close()
            return response.status, data

        deadline = time.monotonic() + 30
        while True:
            try:
                status, page = request("GET", "/ingest/")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert status == 200, status
        for _ in range(3):  # warm up: templates, database connection
            status, page = request("GET", "/ingest/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        before_peak = _kib(worker, "VmHWM")
        boundary = uuid.uuid4().hex
        length, parts = _multipart(token.decode(), boundary)
        started = time.perf_counter()
        status, _ = request(
            "POST", "/ingest/", body=_body(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                     "Content-Length": str(length), "Referer": f"http://127.0.0.1:{port}/"},
        )
        elapsed = time.perf_counter() - started
        after_peak, after_rss = _kib(worker, "VmHWM"), _kib(worker, "VmRSS")
        run = IngestRun.objects.get()
        stored = sum(f.stat().st_size for f in Path(uploads).rglob("*") if f.is_file())
        in_rows = run.items.exclude(payload=None).count()
        figures = {
            "files": FILES,
            "file_mb": FILE_BYTES / 1e6,
            "status": status,
            "seconds": round(elapsed, 2),
            "peak_before_mb": round(before_peak / 1024, 1),
            "peak_after_mb": round(after_peak / 1024, 1),
            "peak_growth_mb": round((after_peak - before_peak) / 1024, 1),
            "rss_after_mb": round(after_rss / 1024, 1),
            "items_with_payload_in_database": in_rows,
            "bytes_waiting_on_disk_mb": round(stored / 1e6, 1),
        }
        print(
            f"Upload of {FILES} x {FILE_BYTES / 1e6:.1f} MB on /ingest/ (HTTP {status}, "
            f"{elapsed:.1f} s): web worker peak memory {figures['peak_before_mb']} MB -> "
            f"{figures['peak_after_mb']} MB (+{figures['peak_growth_mb']} MB); "
            f"{in_rows} files held in database rows, "
            f"{figures['bytes_waiting_on_disk_mb']} MB waiting on disk for the workers"
        )
        return figures
    finally:
        if web is not None:
            web.terminate()
            web.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        with psycopg.connect(_admin_url(database_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        import redis

        redis.Redis.from_url(redis_url).delete(queue)
        import shutil

        shutil.rmtree(uploads, ignore_errors=True)


def main() -> None:
    figures = upload_memory()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "upload_memory.json").write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
