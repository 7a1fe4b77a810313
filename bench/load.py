"""Load (hardening issue): 16 concurrent clients for 60 s over the overview, timelines,
search, exports and the API, served by gunicorn on PostgreSQL. Any failed request fails the
run; p50, p95 and p99 are printed per kind of page.

Needs DATABASE_URL pointing at PostgreSQL (skips with a message otherwise). Uses the same
synthetic database as bench/pages.py (`<name>_bench`, 100,000 stances, built on first use).
Knobs: LOAD_CLIENTS (16), LOAD_SECONDS (60), BENCH_PORT (8766 here), BENCH_WORKERS.
"""

from __future__ import annotations

import http.client
import itertools
import json
import os
import statistics
import sys
import threading
import time
from collections import defaultdict

from pages import (
    ROOT,
    TIMELINE_COUNTRIES,
    TOPIC,
    bench_database_url,
    database_prepare,
    env_int,
    serve,
    server_env,
)

SEARCH_WORDS = ["troops", "ceasefire", "minister", "reassurance", "logistics"]


def mix() -> list[tuple[str, str]]:
    """(kind, path) in the proportions an analyst's day has: mostly pages, some data."""
    paths: list[tuple[str, str]] = [("overview", f"/t/{TOPIC}/")] * 2
    paths += [("timeline", f"/t/{TOPIC}/{c}/") for c in TIMELINE_COUNTRIES]
    paths += [("timeline", f"/t/{TOPIC}/{c}/?position=hedge") for c in TIMELINE_COUNTRIES[:3]]
    paths += [("search", f"/search/?q={w}") for w in SEARCH_WORDS]
    paths += [
        ("export", f"/export/stances.csv?topic={TOPIC}&country={c}") for c in ("de", "pl")
    ]
    paths += [("export", f"/export/stances.json?topic={TOPIC}&country=fr")]
    paths += [
        ("api", f"/api/topics/{TOPIC}/countries"),
        ("api", f"/api/topics/{TOPIC}/stances?country=de"),
        ("api", "/api/topics"),
    ]
    return paths


def drive_for(port: int, seconds: float, clients: int) -> tuple[dict[str, list[float]], list[str]]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    paths = mix()

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: dict[str, list[float]] = defaultdict(list)
        for kind, path in itertools.islice(itertools.cycle(paths), offset, None):
            if time.monotonic() > deadline:
                break
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Host": "localhost"})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(f"{path}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine[kind].append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                with lock:
                    errors.append(f"{path}: HTTP {response.status}")
        conn.close()
        with lock:
            for kind, values in mine.items():
                latencies[kind].extend(values)

    threads = [threading.Thread(target=client, args=(i * 3,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def pct(values: list[float], p: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "bench/load.py: skipped. It needs PostgreSQL: set DATABASE_URL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/test make bench"
        )
        return 0
    bench_url, _bench, _admin = bench_database_url(url)
    port = env_int("BENCH_PORT", 8765) + 1
    clients = env_int("LOAD_CLIENTS", 16)
    seconds = env_int("LOAD_SECONDS", 60)
    env = server_env(bench_url)
    database_prepare(url, env)
    server = serve(env, port)
    try:
        drive_for(port, 5, 4)  # warm workers and caches
        began = time.perf_counter()
        latencies, errors = drive_for(port, seconds, clients)
        wall = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=15)

    total = sum(len(v) for v in latencies.values())
    print(f"\nLoad: {clients} clients for {seconds} s, gunicorn + PostgreSQL, "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'kind':10} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    results = {}
    for kind in ("overview", "timeline", "search", "export", "api"):
        values = latencies.get(kind, [])
        results[kind] = {
            "requests": len(values),
            "p50_ms": round(pct(values, 50), 1),
            "p95_ms": round(pct(values, 95), 1),
            "p99_ms": round(pct(values, 99), 1),
        }
        r = results[kind]
        print(f"{kind:10} {r['requests']:>9} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8}")
    everything = [v for values in latencies.values() for v in values]
    print(f"{'all':10} {total:>9} {pct(everything, 50):>8.1f} {pct(everything, 95):>8.1f} "
          f"{pct(everything, 99):>8.1f}   {total / wall:.1f} req/s, {len(errors)} errors")
    out = ROOT / "bench-results" / "load.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(
        {"clients": clients, "seconds": seconds, "errors": errors[:50], "results": results},
        indent=2,
    ))
    print(f"Written to {out}")
    if errors:
        print(f"FAILED: {len(errors)} requests failed, e.g. {errors[0]}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
