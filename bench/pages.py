"""Benchmark of the analyst pages: timeline and overview under load (and a grouped, sorted
overview, "stated by" a month, six countries compared, the chart as PNG), beside a trivial view.

Needs DATABASE_URL pointing at PostgreSQL (skips with a message otherwise). Builds a
separate database `<name>_bench` with 100,000 synthetic stances and 50,000 articles (kept
between runs; BENCH_FRESH=1 rebuilds it), serves it with gunicorn (DEBUG off, as in
production) and drives it with BENCH_CLIENTS concurrent keep-alive clients. Prints p50,
p95 and req/s per page, against the targets: timeline p95 <= 100 ms, overview (also grouped
or stated by) and compare p95 <= 150 ms, chart PNG p95 <= 300 ms.

Knobs: BENCH_STANCES, BENCH_ARTICLES, BENCH_CLIENTS (4), BENCH_REQUESTS (per page, 400),
BENCH_WORKERS (gunicorn workers: one per CPU, as the pages are CPU-bound), BENCH_PORT (8765).
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TOPIC = "ukraine-troop-deployment"
TIMELINE_COUNTRIES = ["de", "fr", "gb", "pl", "it", "es", "nl", "se"]
COMPARED = "&".join(f"country={iso2.upper()}" for iso2 in TIMELINE_COUNTRIES[:6])
TARGETS = {
    "timeline": 100.0,
    "overview": 150.0,
    "grouped": 150.0,
    "stated_by": 150.0,
    "compare": 150.0,
    "chart_png": 300.0,
}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def bench_database_url(url: str) -> tuple[str, str, str]:
    """(bench URL, bench database name, URL of the maintenance database)."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    bench = f"{name}_bench"
    return (
        urlunsplit(parts._replace(path=f"/{bench}")),
        bench,
        urlunsplit(parts._replace(path="/postgres")),
    )


def database_prepare(url: str, env: dict) -> None:
    import psycopg

    bench_url, bench, admin_url = bench_database_url(url)
    fresh = os.environ.get("BENCH_FRESH") == "1"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{bench}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{bench}"')
    manage("migrate", "--noinput", "-v0", env=env)
    stances, articles = env_int("BENCH_STANCES", 100_000), env_int("BENCH_ARTICLES", 50_000)
    with psycopg.connect(bench_url) as conn:
        have = conn.execute(
            "SELECT count(*) FROM stances_stance WHERE extractor_version = 'synthetic-1'"
        ).fetchone()[0]
    if have >= stances:
        print(f"Reusing {bench}: {have} synthetic stances (BENCH_FRESH=1 rebuilds it).")
    else:
        manage("load_demo", env=env)
        manage(
            "generate_synthetic",
            f"--stances={stances - have}",
            f"--articles={articles}",
            env=env,
        )
        with psycopg.connect(bench_url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
    manage("collectstatic", "--noinput", "-v0", env=env)


def manage(*args: str, env: dict) -> None:
    # Our own interpreter and fixed arguments: nothing from outside reaches the command.
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


def server_env(bench_url: str) -> dict:
    """The environment of a production-like server (DEBUG off) on the bench database,
    reachable over plain HTTP on loopback."""
    return {
        **os.environ,
        "DATABASE_URL": bench_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost,127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "60",
    }


def serve(env: dict, port: int, *, as_deployed: bool = False) -> subprocess.Popen:
    """gunicorn on `port`, once it answers /healthz. By default sync workers with
    keep-alive (short pages); `as_deployed` keeps gunicorn.conf.py's threaded workers, which
    the long streamed exports need."""
    workers = env_int("BENCH_WORKERS", os.cpu_count() or 2)
    kind = [] if as_deployed else ["--worker-class", "sync", "--keep-alive", "30"]
    server = subprocess.Popen(  # noqa: S603 (fixed arguments, our interpreter)
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            *kind,
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


def drive(port: int, paths: list[str], total: int, clients: int) -> tuple[list[float], float]:
    """`total` GETs spread over `clients` threads, each on its own keep-alive connection.
    Returns the latencies (ms) and the wall time (s)."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(total))
    errors: list[str] = []

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for i in counter:
            path = paths[i % len(paths)]
            began = time.perf_counter()
            conn.request("GET", path, headers={"Host": "localhost"})
            response = conn.getresponse()
            response.read()
            mine.append((time.perf_counter() - began) * 1000)
            if response.status != 200:
                errors.append(f"{path}: HTTP {response.status}")
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return latencies, wall


COLD = """
import json, os, statistics, time, django
django.setup()
from django.core.cache import caches
from django.test import Client
client, out = Client(HTTP_HOST="localhost"), {}
for name, paths in json.loads(os.environ["BENCH_PAGES"]).items():
    times = []
    for path in paths * 2:
        for cache in caches.all():
            cache.clear()
        began = time.perf_counter()
        assert client.get(path).status_code == 200
        times.append((time.perf_counter() - began) * 1000)
    out[name] = round(statistics.median(times), 1)
print(json.dumps(out))
"""


def cold_timings(env: dict, pages: dict[str, list[str]]) -> dict[str, float]:
    """The first view after a change of the data: nothing cached, one request at a time."""
    wanted = {k: v for k, v in pages.items() if k != "healthz"}
    run_env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings", "REDIS_URL": ""}
    run_env["BENCH_PAGES"] = json.dumps(wanted)
    result = subprocess.run(  # noqa: S603 (fixed program, our interpreter)
        [PYTHON, "-c", COLD], cwd=ROOT, env=run_env, check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        print(
            "bench/pages.py: skipped. It needs PostgreSQL: set DATABASE_URL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/pages make bench"
        )
        return 0
    bench_url, _bench, _admin = bench_database_url(url)
    port = env_int("BENCH_PORT", 8765)
    env = server_env(bench_url)
    database_prepare(url, env)
    clients = env_int("BENCH_CLIENTS", 4)
    total = env_int("BENCH_REQUESTS", 400)
    pages = {
        "healthz": ["/healthz"],
        "overview": [f"/t/{TOPIC}/"],
        "timeline": [f"/t/{TOPIC}/{iso2}/" for iso2 in TIMELINE_COUNTRIES],
        # The analyst's other views of the same data: a group sorted, "stated by" a month
        # end, six countries compared, the chart as a PNG file.
        "grouped": [f"/t/{TOPIC}/?group=nato&sort=-since", f"/t/{TOPIC}/?group=g7&sort=position"],
        "stated_by": [f"/t/{TOPIC}/?until=2025-{month:02d}-28" for month in range(2, 13)],
        "compare": [f"/t/{TOPIC}/compare/?{COMPARED}"],
        "chart_png": [f"/t/{TOPIC}/chart.png", f"/t/{TOPIC}/chart.png?group=nato"],
    }
    server = serve(env, port)
    results = {}
    try:
        for name, paths in pages.items():
            # Warm every worker's cache (without REDIS_URL each process has its own).
            drive(
                port, paths, len(paths) * env_int("BENCH_WORKERS", os.cpu_count() or 2) * 3, clients
            )
            latencies, wall = drive(port, paths, total, clients)
            results[name] = {
                "requests": len(latencies),
                "req_per_s": round(len(latencies) / wall, 1),
                "p50_ms": round(statistics.median(latencies), 1),
                "p95_ms": round(percentile(latencies, 95), 1),
                "target_p95_ms": TARGETS.get(name),
            }
    finally:
        server.terminate()
        server.wait(timeout=15)

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    workers = env_int("BENCH_WORKERS", os.cpu_count() or 2)
    print(
        f"\nPages under load: {clients} concurrent clients, gunicorn ({workers} workers), "
        f"PostgreSQL; {os.cpu_count()} CPUs, load average {load} (the machine is shared)"
    )
    cold = cold_timings(env, pages)
    print(f"{'page':10} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}  target")
    failed = False
    for name, r in results.items():
        target = r["target_p95_ms"]
        verdict = ""
        if target:
            ok = r["p95_ms"] <= target
            failed |= not ok
            verdict = f"p95 <= {target:.0f} ms: {'met' if ok else 'MISSED'}"
        print(
            f"{name:10} {r['requests']:>9} {r['req_per_s']:>8} {r['p50_ms']:>8} "
            f"{r['p95_ms']:>8}  {verdict}"
        )
    print(
        "Cold (cache emptied before each request, one client): "
        + ", ".join(f"{name} p50 {ms:.0f} ms" for name, ms in cold.items())
    )
    out = ROOT / "bench-results" / "pages.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "clients": clients,
                "workers": workers,
                "load": load,
                "results": results,
                "cold_p50_ms": cold,
            },
            indent=2,
        )
    )
    print(f"Written to {out}")
    # Figures are reported either way; BENCH_STRICT=1 makes a missed target fail the run.
    return 1 if failed and os.environ.get("BENCH_STRICT") == "1" else 0


if __name__ == "__main__":
    sys.exit(main())
