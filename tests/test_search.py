"""Search: accents and case forgiven, quoted phrases, filters, marked snippets, only what
readers may see, a fixed number of queries. Runs on SQLite and, with DATABASE_URL, on
PostgreSQL (the tests that need its full-text search ask for `postgres`)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection

from stances.models import Country
from stances.search import fold, highlight, phrases, search_terms, without_spans

from .factories import make_article, make_stance

pytestmark = pytest.mark.django_db

SODER = "Bavarian premier Söder said Germany would not put boots on the ground in Ukraine."
BOOTS = "Poland said the boots were on the ground already, near the border."
SWEDEN = "Sweden is ready to send troops to the reassurance force."


@pytest.fixture
def found(db):
    de = make_stance("DE", "rejection", date=dt.date(2025, 3, 1),
                     article=make_article(f"Report from Munich. {SODER}", title="Söder on troops"),
                     sentence=SODER)
    pl = make_stance("PL", "hedge", date=dt.date(2025, 6, 1), sentence=BOOTS)
    se = make_stance("SE", "pledge", date=dt.date(2025, 9, 1), sentence=SWEDEN)
    return {"de": de, "pl": pl, "se": se}


def _get(client, **params) -> str:
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response.content.decode()


def _plain(html: str) -> str:
    return html.replace("<mark>", "").replace("</mark>", "")


def test_fold_and_terms():
    assert fold("Söder") == fold("SODER") == "soder"
    assert fold("Straße") == "strasse"
    assert search_terms('"boots on the ground" -----') == '"boots on the ground"'
    assert phrases('"Boots on  the ground" Söder or -x') == ["boots on the ground", "soder", "x"]


@pytest.mark.parametrize("q", ["soder", "Soder", "SÖDER", "söder"])
def test_accents_and_case_are_forgiven(client, found, q):
    html = _get(client, q=q)
    assert SODER.replace("Söder", "<mark>Söder</mark>") in html
    assert "<mark>Söder</mark> on troops" in html  # the article's title
    assert BOOTS not in _plain(html)


def test_a_quoted_phrase_is_matched_as_a_phrase(client, found):
    html = _plain(_get(client, q='"boots on the ground"'))
    assert SODER in html
    assert BOOTS not in html  # every word, but not the phrase
    both = _plain(_get(client, q="boots ground"))
    assert SODER in both and BOOTS in both


def test_the_phrase_is_marked_whole(client, found):
    html = _get(client, q='"Boots on the ground"')
    assert "would not put <mark>boots on the ground</mark> in Ukraine" in html


def test_filters_by_country_position_and_dates(client, found):
    germany = Country.objects.get(iso2="DE").slug
    html = _plain(_get(client, q="ground", country=germany))
    assert SODER in html and BOOTS not in html
    html = _plain(_get(client, q="ground", position="hedge"))
    assert BOOTS in html and SODER not in html
    html = _plain(_get(client, since="2025-05-01", until="2025-12-31"))
    assert BOOTS in html and SWEDEN in html and SODER not in html
    html = _plain(_get(client, since="2025-08-01"))
    assert SWEDEN in html and BOOTS not in html
    # The article list follows the filters: only articles with a matching statement.
    html = _get(client, q="soder", position="pledge")
    assert "Söder on troops" not in _plain(html) and "No article matches." in html
    # A reversed range is an error, shown, and searches with no filter.
    html = _get(client, q="ground", since="2025-09-01", until="2025-01-01", position="hedge")
    assert "The first date comes after the second." in html
    assert BOOTS in _plain(html) and SODER not in _plain(html)
    html = _get(client, q="ground", since="not a date", country="atlantis")
    assert "Enter a valid date." in html and "Select a valid choice" in html
    assert BOOTS in _plain(html) and SODER in _plain(html)


def test_the_filter_form_keeps_its_values_in_a_shareable_url(client, found):
    germany = Country.objects.get(iso2="DE").slug
    html = _get(client, q="soder", country=germany, position="rejection", since="2025-01-01")
    assert f'<option value="{germany}" selected>' in html
    assert '<option value="rejection" selected>' in html
    assert 'value="2025-01-01"' in html
    assert 'value="soder"' in html
    assert 'method="get"' in html
    # htmx searches again when a choice changes: the ids it listens to are the fields'.
    assert 'id="id_country"' in html and 'id="id_position"' in html
    assert "change from:#id_country, change from:#id_position" in html


def test_snippets_escape_the_text_and_mark_only_matches(client, db):
    sentence = "Greece says <script>alert(1)</script> troops & tanks are out."
    make_stance("GR", "rejection", sentence=sentence,
                article=make_article(f"Intro <b>bold</b>. {sentence}", title="Tanks <i>now</i>"))
    html = _get(client, q="tanks")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; troops &amp; <mark>tanks</mark> are out." in html
    assert "<mark>Tanks</mark> &lt;i&gt;now&lt;/i&gt;" in html
    assert "<b>bold</b>" not in html


def test_a_long_query_is_cut_not_refused(client, found):
    html = _plain(_get(client, q="soder " + "x" * 300))
    assert 'maxlength="200"' in html and '<p class="count">' in html


def test_highlight():
    assert highlight("Söder & co", "soder") == "<mark>Söder</mark> &amp; co"
    assert highlight("Troops and troop", "troops") == "<mark>Troops</mark> and <mark>troop</mark>"
    assert highlight("a <b>", "") == "a &lt;b&gt;"
    long = "x " * 300 + "the word ukraine here " + "y " * 300
    snippet = highlight(long, "Ukraine", limit=100)
    assert "<mark>ukraine</mark>" in snippet and snippet.startswith("…") and snippet.endswith("…")
    assert len(re.sub("<[^>]+>", "", snippet)) < 110
    assert without_spans("abcdef", [(1, 3), (2, 4)]) == "a … ef"


def test_readers_see_only_published_articles_and_public_evidence(client, curator, db):
    hidden = "Luxembourg might send a wombat battalion, officials hinted."
    article = make_article(f"Report. {hidden} Luxembourg said nothing more.", title="Lux report")
    make_stance("LU", "hedge", sentence=hidden, article=article, status="proposed")
    html = _get(client, q="wombat")
    assert hidden not in _plain(html) and "Lux report" not in html
    shown = "Luxembourg will send a wombat keeper to the force."
    both = make_article(f"{shown} Also: {hidden}", title="Lux pledge")
    make_stance("LU", "pledge", sentence=shown, article=both)
    make_stance("LU", "hedge", sentence=hidden, article=both, status="proposed")
    html = _plain(_get(client, q="wombat"))
    assert shown in html and "Lux pledge" in html
    assert hidden not in html  # not as evidence, not in the article's snippet
    client.force_login(curator)
    assert "Lux report" in _plain(_get(client, q="wombat"))


def test_query_budget(client, found, django_assert_num_queries):
    germany = Country.objects.get(iso2="DE").slug
    # the country choices, articles, evidence, the snippets' unseen spans
    with django_assert_num_queries(4):
        client.get("/search/", {"q": "ground troops"})
    with django_assert_num_queries(4):
        client.get("/search/", {"q": "ground", "country": germany, "since": "2025-01-01"})
    with django_assert_num_queries(1):
        client.get("/search/")


def test_postgresql_unaccent_and_phrase_use_the_index(client, found, postgres):
    assert SODER in _plain(_get(client, q="soder"))
    html = _plain(_get(client, q='"boots on the ground"'))
    assert SODER in html and BOOTS not in html
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_tsvector('english_unaccent', 'Söder')::text")
        assert cursor.fetchone()[0] == "'soder':1"
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM stances_evidence WHERE "
            "to_tsvector('english_unaccent'::regconfig, COALESCE(sentence, '')) "
            "@@ websearch_to_tsquery('english_unaccent'::regconfig, 'soder')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "evidence_search_gin" in plan
