"""Hostile text from articles, outlets, actors and URLs is shown as text, never run.

Every page that shows such data is rendered with script payloads in every field a source
controls; the raw markup must never come back, and the escaped form must.
"""

import pytest
from django.urls import reverse

from stances.models import Dispute, ReviewStatus
from tests.factories import make_actor, make_article, make_outlet, make_stance

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
RAW_MARKERS = ("<script>alert", "<img src=x")


@pytest.fixture
def hostile(db, topic):
    outlet = make_outlet(f"Outlet {PAYLOAD}")
    sentence = f"France is ready to send troops {PAYLOAD}."
    article = make_article(
        f"Intro {PAYLOAD}. {sentence} More {PAYLOAD}.",
        title=f"Title {PAYLOAD}",
        outlet=outlet,
        url=f"https://example.org/a?q={PAYLOAD}",
    )
    actor = make_actor(f"Actor {PAYLOAD}", "FR", role=f"Role {PAYLOAD}")
    approved = make_stance("FR", "pledge", actor=actor, sentence=sentence, article=article)
    proposed = make_stance(
        "FR", "hedge", actor=actor, sentence=sentence, article=article,
        status=ReviewStatus.PROPOSED,
    )
    dispute = Dispute.objects.create(topic=topic, country=approved.country, note="")
    dispute.stances.add(approved, proposed)
    return {"article": article, "actor": actor, "stance": approved, "proposed": proposed}


def _assert_escaped(response, *, shows_source_text: bool = True) -> None:
    body = response.content.decode()
    assert response.status_code == 200, body[:500]
    for marker in RAW_MARKERS:
        assert marker not in body
    if shows_source_text:
        assert "&lt;script&gt;" in body or "&lt;img" in body


def test_analyst_pages_escape_source_controlled_text(client, hostile):
    stance, actor, article = hostile["stance"], hostile["actor"], hostile["article"]
    # The overview names countries only, but must stay safe all the same.
    overview = client.get(reverse("stances:overview", args=[stance.topic.slug]))
    _assert_escaped(overview, shows_source_text=False)
    for url in (
        reverse("stances:country", args=[stance.topic.slug, "fr"]),
        reverse("stances:stance", args=[stance.pk]),
        reverse("stances:actor", args=[actor.slug]),
        reverse("stances:article", args=[article.pk]),
    ):
        _assert_escaped(client.get(url))


def test_review_pages_escape_source_controlled_text(client, curator, hostile):
    client.force_login(curator)
    proposed = hostile["proposed"]
    for url in (
        reverse("review:queue"),
        reverse("review:edit", args=[proposed.pk]),
        reverse("review:history", args=[proposed.pk]),
        reverse("review:disputes"),
    ):
        _assert_escaped(client.get(url))


def test_admin_pages_escape_source_controlled_text(admin_client, hostile):
    stance, actor, article = hostile["stance"], hostile["actor"], hostile["article"]
    for url in (
        reverse("admin:stances_stance_changelist"),
        reverse("admin:stances_stance_change", args=[stance.pk]),
        reverse("admin:stances_actor_changelist"),
        reverse("admin:stances_actor_change", args=[actor.pk]),
        reverse("admin:ingest_article_changelist"),
        reverse("admin:ingest_article_change", args=[article.pk]),
        reverse("admin:ingest_outlet_changelist"),
        reverse("admin:stances_evidence_changelist"),
    ):
        _assert_escaped(admin_client.get(url))


def test_pages_send_a_nonce_csp_that_blocks_inline_script(client, hostile):
    response = client.get(reverse("stances:stance", args=[hostile["stance"].pk]))
    policy = response["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'nonce-" in script_src
    assert "unsafe-inline" not in script_src and "unsafe-eval" not in script_src
