"""Stored articles in another language than English: kept and shown, their language
recorded, nothing extracted, and a note that says why, on the article page and in the
admin. English articles are extracted as before."""

import pytest
from django.urls import reverse

from ingest import services
from ingest.models import Article, ArticleStatus
from stances.models import Stance
from tests.extraction.test_language import DUTCH, ENGLISH, RUSSIAN, SPANISH
from tests.factories import make_article

pytestmark = pytest.mark.django_db

NOTES = {
    "ru": "Written in Russian (ru): extraction reads English only; nothing was extracted.",
    "es": "Written in Spanish (es): extraction reads English only; nothing was extracted.",
    "nl": "Written in Dutch (nl): extraction reads English only; nothing was extracted.",
}


@pytest.mark.parametrize(("code", "text"), [("ru", RUSSIAN), ("es", SPANISH), ("nl", DUTCH)])
def test_an_article_in_another_language_proposes_nothing_and_says_why(topic, code, text):
    article = make_article(text)
    assert services.article_extract(article_id=article.pk) == 0
    article.refresh_from_db()
    assert not Stance.objects.exists()
    assert article.language == code
    # Not a failure: nothing went wrong, and nothing is waiting to be done.
    assert article.status == ArticleStatus.EXTRACTED
    assert article.status_detail == NOTES[code]
    assert article.extraction_note == NOTES[code]


def test_an_english_article_is_extracted_as_before(topic):
    article = make_article(ENGLISH)
    Article.objects.filter(pk=article.pk).update(language="fr")  # what the page declared
    assert services.article_extract(article_id=article.pk) == 4
    article.refresh_from_db()
    assert set(Stance.objects.values_list("country__iso2", "position")) == {
        ("ES", "pledge"), ("PT", "pledge"), ("BE", "pledge"), ("HR", "rejection"),
    }
    assert (article.language, article.status, article.status_detail) == (
        "en", ArticleStatus.EXTRACTED, ""
    )
    assert article.extraction_note == ""


def test_text_too_short_to_tell_is_read_and_keeps_the_declared_language(topic):
    article = make_article("Greece will not send troops.")
    Article.objects.filter(pk=article.pk).update(language="el")
    assert services.article_extract(article_id=article.pk) == 1
    article.refresh_from_db()
    assert article.language == "el" and article.status_detail == ""


def test_reading_again_an_article_once_read_clears_nothing_it_should_not(topic):
    """Extract again (the admin action) gives the same answer and the same note."""
    article = make_article(RUSSIAN)
    services.article_extract(article_id=article.pk)
    services.article_extract(article_id=article.pk)
    article.refresh_from_db()
    assert article.status_detail == NOTES["ru"] and not Stance.objects.exists()


def test_ingesting_a_file_in_another_language_stores_it_as_new_with_no_stances(topic, tmp_path):
    path = tmp_path / "ru.txt"
    path.write_text(
        "url: unknown\ntitle: Песков о войсках\npublished: 2025-09-05\noutlet: unknown\n"
        f"---\n{RUSSIAN}\n",
        encoding="utf-8",
    )
    run = services.run_create(inputs=services.inputs_from_args([str(path)]), source="test")
    run = services.run_execute(run_id=run.pk)
    assert (run.new_count, run.failed_count, run.stances_proposed) == (1, 0, 0)
    article = Article.objects.get()
    assert article.language == "ru" and article.status_detail == NOTES["ru"]


def test_the_article_page_shows_the_language_and_the_note(client, topic, curator):
    # Articles no reviewed stance cites are the curators' until then.
    client.force_login(curator)
    article = make_article(SPANISH)
    services.article_extract(article_id=article.pk)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Spanish (es)" in html
    assert NOTES["es"] in html
    assert '<div class="article-text" lang="es">' in html


def test_the_article_page_of_an_english_article_has_no_note(client, topic, curator):
    # Articles no reviewed stance cites are the curators' until then.
    client.force_login(curator)
    article = make_article(ENGLISH)
    services.article_extract(article_id=article.pk)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "English (en)" in html and "extraction-note" not in html


def test_a_failure_is_not_shown_to_readers(client, topic, curator):
    """The detail of a failed extraction may quote an error: in the admin only, not even on
    the page curators see (readers do not see the article at all)."""
    client.force_login(curator)
    article = make_article(ENGLISH)
    Article.objects.filter(pk=article.pk).update(
        status=ArticleStatus.FAILED, status_detail="ValueError('secret path /srv/x')"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "secret path" not in html


def test_the_admin_list_shows_language_and_note(admin_client, topic):
    article = make_article(DUTCH, title="Kabinet over vredesmacht")
    services.article_extract(article_id=article.pk)
    changelist = reverse("admin:ingest_article_changelist")
    html = admin_client.get(changelist).content.decode()
    assert "Kabinet over vredesmacht" in html
    assert "<td class=\"field-language\">nl</td>" in html
    assert NOTES["nl"] in html
    assert admin_client.get(f"{changelist}?language=nl").status_code == 200

