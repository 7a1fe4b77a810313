"""The first analyst pages show reviewed data only, within a fixed query budget."""

import datetime as dt

import pytest
from django.core.management import call_command

from stances.models import Country

from .demo_data import (
    a_country_that_changed_position,
    as_printed,
    demo_statements,
    official_positions,
)
from .factories import make_actor, make_article, make_stance

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"


def test_home_redirects_to_the_default_topic(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == OVERVIEW


def test_overview_lists_demo_countries_with_positions(client, django_assert_num_queries):
    call_command("load_demo")
    # Topic, data version, then on a cache miss: the official line's changes, sources,
    # countries, who offers what (the matrix), when the record begins (the "stated by"
    # months); the country groups of the filter form; and the changes of position of the
    # last week; the data version again for the "Cite as" line.
    with django_assert_num_queries(9):
        response = client.get(OVERVIEW)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<th scope="row">') >= len({s.country for s in demo_statements()})
    # A country whose official line moved: the overview shows the latest position.
    iso2 = a_country_that_changed_position()
    line = official_positions(iso2)
    latest_date, latest = line[-1]
    row = html[html.index(f">{Country.objects.get(iso2=iso2).name}<") :]
    row = row[: row.index("</tr>")]
    assert latest in row
    assert all(p not in row for _, p in line[:-1] if p != latest)
    assert as_printed(latest_date) in row


def test_overview_ignores_unreviewed_and_rejected_stances(client):
    make_stance("FR", "pledge")
    make_stance("DE", "pledge", status="proposed")
    make_stance("IT", "pledge", status="rejected")
    html = client.get(OVERVIEW).content.decode()
    assert ">France<" in html
    assert ">Germany<" not in html and ">Italy<" not in html


def test_country_timeline_shows_stances_in_order_with_evidence(client):
    merz = make_actor("Friedrich Merz", "DE", role="Chancellor")
    make_stance(
        "DE",
        "hedge",
        actor=merz,
        date=dt.date(2025, 9, 4),
        sentence="Merz said Germany would decide in due course.",
    )
    make_stance(
        "DE", "rejection", date=dt.date(2025, 2, 16), sentence="Berlin called the debate premature."
    )
    html = client.get(OVERVIEW + "de/").content.decode()
    html = html[html.index('class="lanes"') :]
    assert html.index("16 Feb 2025") < html.index("4 Sep 2025")
    assert "<mark>Merz said Germany would decide in due course.</mark>" in html
    assert "Friedrich Merz" in html and "Chancellor" in html


def test_timeline_query_count_does_not_grow_with_stances(client, django_assert_num_queries):
    make_stance("DE", "hedge")
    # Topic, country, data version, the official line (bands), then the region: count,
    # page, evidence, disputes, actor choices, the date axis's markers. Each new stance
    # changes the data version, so nothing here comes from the cache. And the changes of
    # position.
    with django_assert_num_queries(11):
        client.get(OVERVIEW + "de/")
    for day in range(1, 20):
        make_stance("DE", "pledge", date=dt.date(2025, 8, day), actor=None)
    with django_assert_num_queries(11):
        response = client.get(OVERVIEW + "de/")
    assert response.content.decode().count('class="stance ') == 20


def test_unknown_country_or_topic_is_404(client):
    assert client.get(OVERVIEW + "zz/").status_code == 404
    assert client.get("/t/no-such-topic/").status_code == 404


def test_permalink_article_and_actor_pages(client, django_assert_num_queries):
    putin = make_actor("Vladimir Putin", "RU", role="President")
    article = make_article("Intro. Putin said foreign troops would be targets. Outro.")
    stance = make_stance(
        "RU",
        "rejection",
        actor=putin,
        article=article,
        sentence="Putin said foreign troops would be targets.",
    )
    assert "would be targets" in client.get(f"/stances/{stance.pk}/").content.decode()
    with django_assert_num_queries(3):  # + the data version of the "Cite as" line
        html = client.get(f"/articles/{article.pk}/").content.decode()
    assert f'href="/stances/{stance.pk}/"' in html
    assert "<mark>Putin said foreign troops would be targets.</mark>" in html
    assert "Intro." in html and "Outro." in html
    assert "Vladimir Putin" in client.get(f"/actors/{putin.slug}/").content.decode()


def test_unreviewed_stance_has_no_permalink_yet(client):
    stance = make_stance("FR", "pledge", status="proposed")
    assert client.get(f"/stances/{stance.pk}/").status_code == 404


def test_pages_answer_head_and_refuse_post(client):
    assert client.head(OVERVIEW).status_code == 200
    assert client.post(OVERVIEW).status_code == 405


def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(OVERVIEW)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-eval" not in policy and "unsafe-inline" not in policy
    # htmx is served from our own static files, with the page's nonce.
    html = response.content.decode()
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'<script src="/static/django_htmx/htmx-2.min.js" defer nonce="{nonce}">' in html


def test_text_is_escaped(client):
    make_stance("FR", "pledge", sentence="<script>alert(1)</script> France pledges.")
    html = client.get(OVERVIEW + "fr/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_healthz_answers_when_the_database_does(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.json()["status"] == "ok"


def test_a_history_restore_request_gets_the_whole_page(client):
    """Back past htmx's history cache asks again with HX-Request: a fragment would replace
    the whole body, so the page is served whole."""
    call_command("load_demo")
    url = "/t/ukraine-troop-deployment/pl/?position=hedge"
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and 'id="timeline"' in fragment
    restored = client.get(
        url, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    ).content.decode()
    assert "<html" in restored and 'id="timeline"' in restored


@pytest.mark.parametrize("path", [f"{OVERVIEW}", f"{OVERVIEW}pl/", "/search/"])
def test_a_submitted_form_leaves_a_clean_link(client, path):
    """The form sends its empty fields; the address that stays is the view's clean link."""
    submitted = f"{path}?position=hedge&since=&until=&actor=&as_of="
    response = client.get(submitted)
    assert response.status_code == 302
    assert response["Location"] == f"{path}?position=hedge"
    swapped = client.get(submitted, headers={"HX-Request": "true"})
    assert swapped.status_code == 200
    assert swapped["HX-Push-Url"] == f"{path}?position=hedge"
    assert client.get(f"{path}?since=").headers["Location"] == path
    assert "HX-Push-Url" not in client.get(f"{path}?position=hedge", headers={"HX-Request": "true"})
