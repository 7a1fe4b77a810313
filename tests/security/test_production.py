"""Production settings as an operator deploys them: secrets and the admin path from the
environment, HTTPS-only cookies and HSTS, an enforced CSP, CSRF also for htmx requests."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

from stances.models import ReviewStatus
from tests.factories import make_stance

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from django.test import Client
from django.urls import reverse
response = Client(HTTP_HOST="tracker.example.org").get("/healthz", secure=True)
print(json.dumps({
    "admin": reverse("admin:index"),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": response.headers.get("Strict-Transport-Security", ""),
    "csp": response.headers.get("Content-Security-Policy", ""),
    "csp_report_only": response.headers.get("Content-Security-Policy-Report-Only", ""),
    "frame": response.headers.get("X-Frame-Options", ""),
}))
"""


def _production(tmp_path: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="0",
        SECRET_KEY="p" * 64,
        ALLOWED_HOSTS="tracker.example.org",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'probe.sqlite3'}",
        **extra,
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_moves_the_admin_sends_hsts_and_enforces_the_csp(tmp_path):
    seen = _production(tmp_path, ADMIN_URL="backstage-7f3a/")
    assert seen["admin"] == "/backstage-7f3a/"
    assert seen["session_secure"] and seen["csrf_secure"]
    assert "max-age=31536000" in seen["hsts"] and "includeSubDomains" in seen["hsts"]
    assert "script-src" in seen["csp"] and not seen["csp_report_only"]
    assert seen["frame"] == "DENY"


def test_an_htmx_post_without_the_csrf_token_is_refused(curator, db):
    from django.test import Client

    stance = make_stance("FR", "pledge", status=ReviewStatus.PROPOSED)
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    response = client.post(
        reverse("review:action", args=[stance.pk]), {"action": "approve"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 403
    stance.refresh_from_db()
    assert stance.status == ReviewStatus.PROPOSED


def test_pages_carry_the_csrf_token_in_the_htmx_headers(client, db):
    html = client.get(reverse("stances:overview", args=["ukraine-troop-deployment"])).content
    assert b'hx-headers=\'{"X-CSRFToken": "' in html
