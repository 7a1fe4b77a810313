"""A source URL is a link readers follow: only http and https are stored or linked."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from ingest import services
from ingest.models import Article
from ingest.text import url_canonical
from tests.factories import make_article, make_stance

HOSTILE = ["javascript:alert(document.domain)", "JavaScript:alert(1)", "data:text/html,<b>x",
           "file:///etc/passwd", "vbscript:msgbox(1)", "//evil.example/x", "ftp://a.example/b"]

BODY = ("Norway's prime minister said on Friday that Norway would send troops to the "
        "reassurance force in Ukraine once a ceasefire holds.")


@pytest.mark.parametrize("url", HOSTILE)
def test_a_non_web_address_is_never_a_canonical_url(url):
    assert url_canonical(url) == ""


def test_urls_of_the_web_stay(db):
    assert url_canonical("HTTPS://Example.org/a?utm_source=x#frag") == "https://example.org/a"


@pytest.mark.parametrize("url", HOSTILE[:3])
def test_an_ingested_file_with_a_hostile_url_is_stored_without_a_link(db, tmp_path, client,
                                                                       url):
    path = tmp_path / "a.txt"
    path.write_text(f"url: {url}\ntitle: Norway decides\npublished: 2025-09-05\n"
                    f"outlet: Example\n---\n{BODY}\n", encoding="utf-8")
    run = services.run_create(inputs=services.inputs_from_args([str(path)]), source="test")
    services.run_execute(run_id=run.pk)
    article = Article.objects.get()
    assert article.url == ""
    make_stance("NO", "pledge", article=article, sentence=BODY)
    for page in (reverse("stances:article", args=[article.pk]),
                 "/export/stances.csv?country=NO", "/export/stances.json?country=NO",
                 "/api/stances"):
        body = client.get(page)
        content = (b"".join(body.streaming_content) if body.streaming else body.content)
        assert b"javascript:" not in content.lower() and b"data:text" not in content, page


@pytest.mark.parametrize("url", HOSTILE[:5])
def test_the_database_refuses_a_non_web_url(db, url):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_article(url=url)


def test_the_admin_form_refuses_a_non_web_url(db, admin_client):
    article = make_article(url="https://example.org/a")
    url = reverse("admin:ingest_article_change", args=[article.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()
            if not isinstance(v, (list, tuple))}
    data["url"] = "javascript:alert(document.domain)"
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with its error
    assert list(response.context["adminform"].form.errors) == ["url"]
    article.refresh_from_db()
    assert article.url == "https://example.org/a"
