"""The /embed/ pages: minimal pages of the chart and of a country's official line, framed
only by the origins a deployment lists (EMBED_ALLOWED_ORIGINS), never by default."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest

from stances.models import Stance

from .factories import make_stance

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
OVERVIEW = "/t/ukraine-troop-deployment/"
EMBED_CHART = "/embed/t/ukraine-troop-deployment/chart/"
EMBED_COUNTRY = "/embed/t/ukraine-troop-deployment/fr/"
ORIGINS = ["https://news.example.org", "https://blog.example.com:8443"]


def frame_ancestors(response) -> str:
    policy = response["Content-Security-Policy"]
    return re.search(r"frame-ancestors ([^;]+)", policy).group(1)


@pytest.fixture
def record(db):
    make_stance("FR", "hedge", date=dt.date(2025, 3, 10))
    make_stance("FR", "pledge", date=dt.date(2025, 6, 2))
    make_stance("DE", "rejection", date=dt.date(2025, 4, 1))
    make_stance("IT", "pledge", date=dt.date(2025, 5, 1), status="proposed")


def test_by_default_no_page_may_be_framed(client, record):
    for url in (EMBED_CHART, EMBED_COUNTRY, OVERVIEW, OVERVIEW + "fr/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Frame-Options"] == "DENY", url
        assert frame_ancestors(response) == "'none'", url
    # And the pages offer no embed code that could not work.
    assert "Embed" not in client.get(OVERVIEW).content.decode()
    assert "<iframe" not in unescape(client.get(OVERVIEW + "fr/").content.decode())


def test_listed_origins_may_frame_the_embed_pages_only(client, record, settings):
    settings.EMBED_ALLOWED_ORIGINS = ORIGINS
    for url in (EMBED_CHART, EMBED_COUNTRY):
        response = client.get(url)
        assert "X-Frame-Options" not in response, url
        assert frame_ancestors(response) == " ".join(ORIGINS), url
        # The rest of the policy stands.
        assert "script-src 'self'" in response["Content-Security-Policy"]
    for url in (OVERVIEW, OVERVIEW + "fr/", OVERVIEW + "chart.svg"):
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", url
        assert frame_ancestors(response) == "'none'", url


def test_the_pages_offer_the_embed_code_when_allowed(client, record, settings):
    settings.EMBED_ALLOWED_ORIGINS = ORIGINS
    html = client.get(OVERVIEW + "?until=2025-12-31").content.decode()
    code = re.search(r'<textarea id="embed-chart" rows="3" readonly>(.*?)</textarea>', html,
                     re.S).group(1)
    assert unescape(code) == (
        '<iframe src="http://testserver/embed/t/ukraine-troop-deployment/chart/?until=2025-12-31"'
        ' title="Foreign troops in Ukraine as a security guarantee: countries per position over'
        ' time" width="100%" height="560" loading="lazy"></iframe>'
    )
    assert '<label for="embed-chart">' in html
    country = client.get(OVERVIEW + "fr/?position=hedge").content.decode()
    code = re.search(r'<textarea id="embed-country"[^>]*>(.*?)</textarea>', country, re.S)
    # A country's embed is its whole official line: the position filter does not apply.
    assert 'src="http://testserver/embed/t/ukraine-troop-deployment/fr/"' in unescape(
        code.group(1)
    )


def test_the_chart_embed_is_minimal_with_its_source_and_citation(client, record):
    html = client.get(EMBED_CHART + "?until=2025-12-31").content.decode()
    assert '<nav aria-label="Main">' not in html
    assert '<a class="step" href="#chart-2025-03"' in html
    assert "France → hedge (first)" in html
    assert "Italy" not in html  # a proposal is not the record
    assert (
        '<a href="http://testserver/t/ukraine-troop-deployment/?until=2025-12-31" '
        'target="_blank" rel="noopener">Source: Stance tracker'
    ) in html
    assert "Cite as: Stance tracker" in html
    assert "?until=2025-12-31&amp;as_of=" in html  # the citation is pinned to a day
    assert "Download SVG" in html


def test_the_country_embed_shows_its_official_line_and_latest_position(client, record):
    html = client.get(EMBED_COUNTRY).content.decode()
    assert "<h1>France: Foreign troops in Ukraine as a security guarantee</h1>" in html
    assert "Official line:" in html and "since <time datetime=\"2025-06-02\">" in html
    assert 'class="band band-hedge"' in html and 'class="band band-pledge"' in html
    assert 'href="http://testserver/t/ukraine-troop-deployment/fr/"' in html
    assert '<nav aria-label="Main">' not in html
    # The country page's drawing: the band on a date axis to "present", each statement a
    # marker linking to it (opened outside the frame), the proposal never drawn.
    assert ">present</text>" in html
    france = Stance.objects.filter(country__iso2="FR").order_by("statement_date")
    for stance, words in zip(france, ("hedge, 10 Mar 2025", "pledge, 2 Jun 2025"), strict=True):
        assert f'href="/stances/{stance.pk}/" aria-label="Official line, {words}"' in html
    assert '<base target="_blank">' in html
    italy_proposal = Stance.objects.get(country__iso2="IT")
    assert f"/stances/{italy_proposal.pk}/" not in client.get(
        "/embed/t/ukraine-troop-deployment/it/"
    ).content.decode()
    assert client.get("/embed/t/ukraine-troop-deployment/xx/").status_code == 404
    italy = client.get("/embed/t/ukraine-troop-deployment/it/").content.decode()
    assert "no position on record" in italy


@pytest.mark.parametrize("stances", [30, 300])
def test_the_embeds_cost_the_same_queries_whatever_the_rows(
    client, stances, django_assert_max_num_queries
):
    from django.core.management import call_command

    call_command("generate_synthetic", stances=stances, articles=max(stances // 2, 1), seed=7)
    # Cold: topic, (country,) data version, then the official line's changes and what the
    # overview reads with them; warm: topic, (country,) data version (and on a country, its
    # markers: one query, capped).
    for url, cold, warm in ((EMBED_CHART, 6, 2), (EMBED_COUNTRY, 5, 4)):
        Stance.objects.order_by("pk").first().save()
        with django_assert_max_num_queries(cold):
            assert client.get(url).status_code == 200
        with django_assert_max_num_queries(warm):
            assert client.get(url).status_code == 200


def _check_deploy(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    clean.update(DEBUG="0", SECRET_KEY="k" * 64 + "-Zq9!xW2#", ALLOWED_HOSTS="tracker.example.org",
                 **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
    )


def test_check_deploy_stays_clean_with_embedding_allowed_and_refuses_a_bad_origin():
    result = _check_deploy(EMBED_ALLOWED_ORIGINS=",".join(ORIGINS))
    assert result.returncode == 0 and "no issues" in result.stdout, result.stderr
    bad = _check_deploy(EMBED_ALLOWED_ORIGINS="https://a.example; script-src *")
    assert bad.returncode != 0 and "EMBED_ALLOWED_ORIGINS" in bad.stderr
