"""The index pages: /actors/ lists reviewed actors, /articles/ published articles, each
filtered by GET parameters, one page at a time, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from stances.indexes import INDEX_PAGE_SIZE
from stances.models import Actor

from .factories import make_actor, make_article, make_outlet, make_stance

pytestmark = pytest.mark.django_db


@pytest.fixture
def actors(db):
    tusk = make_actor("Donald Tusk", "PL", role="Prime Minister")
    make_stance("PL", "hedge", actor=tusk)
    make_actor("Jarosław Kaczyński", "PL", official=False)
    make_actor("Mark Rutte", None)
    Actor.objects.create(name="Unreviewed Person", slug="unreviewed-person", needs_review=True)


def test_it_lists_reviewed_actors_only(client, actors):
    html = client.get("/actors/").content.decode()
    assert "Donald Tusk" in html and "Mark Rutte" in html and "Kaczyński" in html
    assert "Unreviewed Person" not in html
    assert 'href="/actors/donald-tusk/"' in html
    assert '<a href="/actors/">Actors</a>' in html  # in the site navigation


def test_it_filters_actors_by_country_and_voice(client, actors):
    html = client.get("/actors/?country=PL&voice=other").content.decode()
    assert "Kaczyński" in html and "Donald Tusk" not in html and "Mark Rutte" not in html
    html = client.get("/actors/?voice=official").content.decode()
    assert "Donald Tusk" in html and "Kaczyński" not in html
    # The country list holds countries with a reviewed actor only.
    assert '<option value="PL"' in html and '<option value="FR"' not in html


def test_a_filter_not_understood_is_said_and_ignored(client, actors):
    html = client.get("/actors/?country=ZZ").content.decode()
    assert 'role="alert"' in html and "Donald Tusk" in html


def test_htmx_gets_only_the_list(client, actors):
    response = client.get("/actors/?voice=other", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<form" not in html and "Kaczyński" in html
    assert "HX-Request" in response["Vary"]


def test_empty_fields_are_dropped_from_the_address(client, actors):
    response = client.get("/actors/?country=&voice=other")
    assert response.status_code == 302 and response["Location"] == "/actors/?voice=other"


def test_the_actor_index_pages_in_few_queries(client, actors, django_assert_max_num_queries):
    for i in range(INDEX_PAGE_SIZE + 5):
        make_actor(f"Minister {i:03}", "DE")
    with django_assert_max_num_queries(6):
        first = client.get("/actors/").content.decode()
    assert "Page 1 of 2" in first
    with django_assert_max_num_queries(6):
        second = client.get("/actors/?page=2").content.decode()
    assert "Minister 054" in second and "Minister 000" not in second


@pytest.fixture
def articles(db):
    le_monde, bbc = make_outlet("Le Monde"), make_outlet("BBC")
    spring = make_article("Paris will lead the force.", title="Spring report", outlet=le_monde)
    spring.published = dt.date(2025, 3, 1)
    spring.save()
    autumn = make_article("London will send troops.", title="Autumn report", outlet=bbc)
    autumn.published = dt.date(2025, 9, 1)
    autumn.save()
    make_stance("FR", "pledge", sentence="Paris will lead the force.", article=spring)
    make_stance("GB", "pledge", sentence="London will send troops.", article=autumn)
    # Cited by a proposal only: not published.
    hidden = make_article("Rome weighs it.", title="Unpublished report", outlet=bbc)
    make_stance("IT", "hedge", status="proposed", sentence="Rome weighs it.", article=hidden)


def test_it_lists_published_articles_only(client, articles):
    html = client.get("/articles/").content.decode()
    assert "Spring report" in html and "Autumn report" in html
    assert "Unpublished report" not in html
    assert html.index("Autumn report") < html.index("Spring report")  # newest first
    assert '<a href="/articles/">Articles</a>' in html


def test_it_filters_articles_by_outlet_and_dates(client, articles):
    from ingest.models import Outlet

    bbc = Outlet.objects.get(name="BBC")
    html = client.get(f"/articles/?outlet={bbc.pk}").content.decode()
    assert "Autumn report" in html and "Spring report" not in html
    html = client.get("/articles/?since=2025-01-01&until=2025-06-30").content.decode()
    assert "Spring report" in html and "Autumn report" not in html
    html = client.get("/articles/?since=2025-06-30&until=2025-01-01").content.decode()
    assert "The end comes before the start." in html


def test_the_article_index_pages_in_few_queries(
    client, articles, django_assert_max_num_queries
):
    for i in range(INDEX_PAGE_SIZE + 5):
        article = make_article(f"Report {i} on the force.", title=f"Report {i:03}")
        make_stance("DE", "hedge", sentence=f"Report {i} on the force.", article=article)
    with django_assert_max_num_queries(6):
        first = client.get("/articles/").content.decode()
    assert "Page 1 of 2" in first
    with django_assert_max_num_queries(6):
        second = client.get("/articles/?page=2").content.decode()
    assert "Page 2 of 2" in second
