"""Ingest speed (run by `make bench`); prints the figures, asserts nothing.

1. HTML to text: pages per second in one process (one core), through the same extraction
   the URL ingest uses. Target: at least 40.
2. Files to stored articles through a real Celery worker (2 processes), Redis and
   PostgreSQL, in a scratch database created and dropped here. Target: at least 20 per
   second on 2 cores. Needs DATABASE_URL (PostgreSQL) and REDIS_URL; skipped without them.

Everything is generated here (no corpus text, no network).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench-results"

WORDS = (
    "minister government troops force ceasefire coalition defence parliament mission border "
    "security guarantee allies training logistics engineers command summit talks statement "
    "president spokesman deployment support reassurance peace agreement vote budget navy air "
    "ground units brigade officials capital week month said would could should plan offer "
    "contribute decision conditions mandate partners leaders meeting europe region country"
).split()


def sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(12, 24))
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 5)))


def article_page(rng: random.Random, n: int) -> str:
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(30))
    related = "".join(
        f'<li><a href="/story/{n}-{i}">{sentence(rng)}</a></li>' for i in range(10)
    )
    body = "".join(f"<p>{paragraph(rng)}</p>" for _ in range(10))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Story {n} | Bench Gazette</title><meta property="og:site_name" content="Bench Gazette">
<meta property="article:published_time" content="2025-09-0{n % 9 + 1}T08:00:00Z">
<script>var analytics = {{"page": {n}}};</script><style>body {{ font: 16px serif; }}</style>
</head><body><header><ul class="nav">{nav}</ul></header>
<main><article><h1>Story {n}: {sentence(rng)}</h1><p class="byline">By Staff</p>{body}</article>
<aside><h2>Related</h2><ul>{related}</ul></aside></main>
<footer><p>Copyright Bench Gazette. All rights reserved.</p>{nav}</footer></body></html>"""


def corpus_file(rng: random.Random, n: int) -> str:
    body = "\n\n".join(paragraph(rng) for _ in range(8))
    return (
        f"url: https://bench.example/story/{n}\ntitle: Bench story {n}\n"
        f"published: 2025-09-0{n % 9 + 1}\noutlet: Bench Wire\n---\n{body}\n"
    )


def html_to_text(pages: int = 200) -> float:
    from ingest.documents import document_from_html

    rng = random.Random(1)
    html = [article_page(rng, n) for n in range(pages)]
    document_from_html(html[0])  # warm-up: imports and caches
    started = time.perf_counter()
    for page in html:
        document_from_html(page)
    rate = pages / (time.perf_counter() - started)
    print(f"HTML to text: {rate:.1f} pages/s on one core (target >= 40)")
    return rate


def _admin_url(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def files_through_celery(count: int = 400) -> float | None:
    database_url, redis_url = os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")
    if not database_url or not redis_url or not database_url.startswith("postgres"):
        print(
            "Files to articles through Celery: SKIPPED, set DATABASE_URL (PostgreSQL) and "
            "REDIS_URL to measure it (e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/x "
            "REDIS_URL=redis://127.0.0.1:6379/4 make bench)"
        )
        return None
    import psycopg

    scratch = f"bench_ingest_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin_url(database_url), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    scratch_url = database_url.rsplit("/", 1)[0] + "/" + scratch
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    # Workers keep their database connection between tasks, as a deployment's should.
    env = dict(os.environ, DATABASE_URL=scratch_url, CELERY_QUEUE=queue, CONN_MAX_AGE="60")
    worker = None
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        os.environ.update(DATABASE_URL=scratch_url, CELERY_QUEUE=queue)
        import django

        django.setup()
        from ingest import services
        from ingest.models import Article

        worker = subprocess.Popen(  # noqa: S603 - our own fixed command line
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--concurrency=2",
             "-Q", queue, "--without-gossip", "--without-mingle", "--loglevel=WARNING"],
            cwd=ROOT, env=env,
        )
        rng = random.Random(2)
        with tempfile.TemporaryDirectory() as folder:
            for n in range(count):
                Path(folder, f"{n:04d}.txt").write_text(corpus_file(rng, n), encoding="utf-8")
            time.sleep(5)  # let the worker start: measure ingest, not Python start-up
            started = time.perf_counter()
            run = services.run_create(
                inputs=services.inputs_from_args([folder]), source="bench", label="bench"
            )
            services.run_enqueue(run)
            while not run.finished:
                time.sleep(0.1)
                run.refresh_from_db()
            elapsed = time.perf_counter() - started
        stored = Article.objects.count()
        rate = stored / elapsed
        print(
            f"Files to articles through Celery (2 worker processes, Redis, PostgreSQL): "
            f"{stored} articles in {elapsed:.1f} s = {rate:.1f} articles/s (target >= 20); "
            f"run {run.status}, {run.failed_count} failed"
        )
        return rate
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        with psycopg.connect(_admin_url(database_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        import redis

        redis.Redis.from_url(redis_url).delete(queue)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    html_rate = html_to_text()
    celery_rate = files_through_celery()
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest.json").write_text(
        json.dumps({"html_pages_per_s_per_core": html_rate, "articles_per_s": celery_rate})
    )


if __name__ == "__main__":
    main()
