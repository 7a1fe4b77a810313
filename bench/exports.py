"""Benchmark of the complete exports and of walking the API's stance pages.

Needs DATABASE_URL pointing at PostgreSQL (skips with a message otherwise). Uses the same
synthetic database as bench/pages.py (`<name>_bench`, 100,000 stances by default), served
by gunicorn with DEBUG off. Prints, per export, the rows, the time to the first byte, the
total time and rows per second; and the API's pages per second following `next` links.

Knobs: those of bench/pages.py, and BENCH_API_PAGES (how many API pages to walk, 200).
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import bench_database_url, database_prepare, env_int  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TOPIC = "ukraine-troop-deployment"


def serve(env: dict, port: int) -> subprocess.Popen:
    """gunicorn as deployed (gunicorn.conf.py: threaded workers), two workers."""
    server = subprocess.Popen(  # noqa: S603 (fixed arguments, our interpreter)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"Host": "localhost"})
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def fetch(port: int, path: str) -> tuple[int, bytes, float, float]:
    """(status, body, seconds to the first byte, seconds in all)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    began = time.perf_counter()
    conn.request("GET", path, headers={"Host": "localhost"})
    response = conn.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - began
    body = first + response.read()
    return response.status, body, first_byte, time.perf_counter() - began


def export(port: int, path: str, kind: str) -> dict:
    status, body, first_byte, total = fetch(port, path)
    if status != 200:
        raise SystemExit(f"{path} answered {status}")
    if kind == "csv":
        rows = sum(1 for _ in csv.DictReader(io.StringIO(body.decode())))
    else:
        rows = len(json.loads(body)["stances"])
    return {
        "rows": rows,
        "megabytes": round(len(body) / 1e6, 1),
        "first_byte_ms": round(first_byte * 1000, 1),
        "seconds": round(total, 2),
        "rows_per_s": round(rows / total),
    }


def api_walk(port: int, pages: int) -> dict:
    path = f"/api/topics/{TOPIC}/stances?page_size=100"
    began, walked, rows = time.perf_counter(), 0, 0
    while path and walked < pages:
        status, body, _, _ = fetch(port, path)
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        page = json.loads(body)
        rows += len(page["results"])
        walked += 1
        nxt = page["next"]
        path = f"{urlsplit(nxt).path}?{urlsplit(nxt).query}" if nxt else ""
    wall = time.perf_counter() - began
    return {"pages": walked, "rows": rows, "pages_per_s": round(walked / wall, 1)}


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "bench/exports.py: skipped. It needs PostgreSQL: set DATABASE_URL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/outputs make bench"
        )
        return 0
    bench_url, _bench, _admin = bench_database_url(url)
    port = env_int("BENCH_PORT", 8765) + 1
    env = {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
    }
    database_prepare(url, env)
    server = serve(env, port)
    try:
        results = {
            "csv_all": export(port, f"/export/stances.csv?topic={TOPIC}", "csv"),
            "json_all": export(port, f"/export/stances.json?topic={TOPIC}", "json"),
            "csv_country_de": export(port, f"/export/stances.csv?topic={TOPIC}&country=de", "csv"),
            "api_stances": api_walk(port, env_int("BENCH_API_PAGES", 200)),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
    for name, figures in results.items():
        print(f"{name:16} " + "  ".join(f"{k}={v}" for k, v in figures.items()))
    out = ROOT / "bench-results"
    out.mkdir(exist_ok=True)
    (out / "exports.json").write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
