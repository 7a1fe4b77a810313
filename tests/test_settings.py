"""One settings module: the environment picks the embedded default or the full stack."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from config.celery import app; "
    "print(json.dumps({'engine': settings.DATABASES['default']['ENGINE'],"
    " 'name': str(settings.DATABASES['default']['NAME']),"
    " 'eager': app.conf.task_always_eager, 'broker': app.conf.broker_url,"
    " 'acks_late': app.conf.task_acks_late, 'reject': app.conf.task_reject_on_worker_lost,"
    " 'prefetch': app.conf.worker_prefetch_multiplier, 'serializer': app.conf.task_serializer,"
    " 'time_limit': app.conf.task_time_limit, 'cache': settings.CACHES['default']['BACKEND'],"
    " 'debug': settings.DEBUG, 'hsts': getattr(settings, 'SECURE_HSTS_SECONDS', 0)}))"
)


def _settings_with(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_embedded_default_uses_sqlite_and_runs_tasks_in_process():
    seen = json.loads(_settings_with().stdout)
    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["name"].endswith("db.sqlite3")
    assert seen["eager"] is True
    assert seen["cache"].endswith("LocMemCache")


def test_full_stack_uses_postgresql_and_redis_with_reliable_celery():
    seen = json.loads(
        _settings_with(
            DATABASE_URL="postgres://tracker@db.internal:5432/tracker",
            REDIS_URL="redis://cache.internal:6379/0",
        ).stdout
    )
    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["name"] == "tracker"
    assert seen["eager"] is False
    assert seen["broker"] == "redis://cache.internal:6379/0"
    assert seen["cache"].endswith("RedisCache")
    assert (seen["acks_late"], seen["reject"], seen["prefetch"], seen["serializer"]) == (
        True,
        True,
        1,
        "json",
    )
    assert seen["time_limit"] > 0


def test_production_requires_a_secret_key():
    result = _settings_with(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    seen = json.loads(_settings_with(DEBUG="0", SECRET_KEY="x" * 60).stdout)
    assert seen["debug"] is False and seen["hsts"] >= 31536000


def test_check_deploy_is_clean_with_production_settings():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(DEBUG="0", SECRET_KEY="k" * 64 + "-Zq9!xW2#", ALLOWED_HOSTS="tracker.example.org")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


RECOVERY_PROBE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from config.celery import app; "
    "print(json.dumps({'visibility': app.conf.broker_transport_options['visibility_timeout'],"
    " 'limit': app.conf.task_time_limit, 'stall': settings.INGEST_STALL_MINUTES,"
    " 'every': app.conf.beat_schedule['ingest-runs-resume']['schedule'],"
    " 'upload_memory': settings.FILE_UPLOAD_MAX_MEMORY_SIZE}))"
)


def _recovery_settings(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "INGEST_"))}
    clean.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    done = subprocess.run(
        [sys.executable, "-c", RECOVERY_PROBE], cwd=ROOT, env=clean, capture_output=True,
        text=True, timeout=60,
    )
    return json.loads(done.stdout)


def test_a_lost_worker_costs_minutes_not_an_hour():
    """Redis gives a lost worker's task back a minute after the hard time limit (not
    earlier: it would run a live task twice), and beat resumes a run that stopped moving
    within that long and one beat interval."""
    seen = _recovery_settings()
    assert (seen["limit"], seen["visibility"]) == (300, 360)
    assert (seen["stall"], seen["every"]) == (6, 60)
    seen = _recovery_settings(CELERY_TASK_TIME_LIMIT="120")
    assert (seen["visibility"], seen["stall"]) == (180, 3)
    seen = _recovery_settings(CELERY_VISIBILITY_TIMEOUT="600", INGEST_STALL_MINUTES="2.5")
    assert (seen["visibility"], seen["stall"]) == (600, 2.5)


def test_uploads_are_streamed_to_disk_past_64_kib():
    assert _recovery_settings()["upload_memory"] <= 64 * 1024
