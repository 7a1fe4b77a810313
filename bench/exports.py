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
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pages import (  # noqa: E402
    bench_database_url,
    database_prepare,
    env_int,
    serve,
    server_env,
)

ROOT = Path(__file__).resolve().parent.parent
TOPIC = "ukraine-troop-deployment"


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
    env = server_env(bench_url)
    database_prepare(url, env)
    server = serve(env, port, as_deployed=True)
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
