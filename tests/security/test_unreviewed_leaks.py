"""Nothing unreviewed is public, by any path: actors the extractor created and nobody
reviewed, and articles no reviewed stance cites."""

from __future__ import annotations

import json

from ingest.models import Article
from stances.models import Actor
from tests.factories import make_actor, make_article, make_stance

SENTENCE = "Luxembourg will send a platoon of wombat keepers to the reassurance force."


def test_an_actor_nobody_reviewed_is_not_public(client, curator, db):
    actor = make_actor("Quentin Quokka", "LU")
    Actor.objects.filter(pk=actor.pk).update(needs_review=True)
    reviewed = make_actor("Rita Reviewed", "LU")
    assert client.get(f"/actors/{actor.slug}/").status_code == 404
    assert client.get(f"/api/actors/{actor.slug}").status_code == 404
    listed = {a["slug"] for a in json.loads(client.get("/api/actors").content)["results"]}
    assert actor.slug not in listed and reviewed.slug in listed
    assert client.get(f"/actors/{reviewed.slug}/").status_code == 200
    # Curators review it from its page.
    client.force_login(curator)
    assert client.get(f"/actors/{actor.slug}/").status_code == 200


def test_an_article_no_reviewed_stance_cites_is_not_public(client, curator, db):
    cited = make_article(f"Report one. {SENTENCE}")
    make_stance("LU", "pledge", article=cited, sentence=SENTENCE)
    quiet = make_article("Report two. Luxembourg discussed wombat keepers at length.")
    proposed = make_article(f"Report three. {SENTENCE} Again.")
    make_stance("LU", "pledge", article=proposed, sentence=SENTENCE, status="proposed")
    for article in (quiet, proposed):
        assert client.get(f"/articles/{article.pk}/").status_code == 404
    assert client.get(f"/articles/{cited.pk}/").status_code == 200
    found = client.get("/search/", {"q": "wombat"}).content.decode()
    assert f"/articles/{cited.pk}/" in found
    assert f"/articles/{quiet.pk}/" not in found and f"/articles/{proposed.pk}/" not in found
    client.force_login(curator)
    assert client.get(f"/articles/{quiet.pk}/").status_code == 200
    assert f"/articles/{quiet.pk}/" in client.get("/search/", {"q": "wombat"}).content.decode()
    assert Article.objects.count() == 3
