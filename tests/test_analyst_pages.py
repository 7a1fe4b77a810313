"""Analyst pages as a reader meets them: map, table, chart, timelines with the official
line apart, disputes, shareable filtered URLs, as_of, link previews, search, budgets."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from stances.models import Dispute, Evidence, Stance
from stances.services import disputes_detect

from .factories import make_actor, make_article, make_evidence, make_stance

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"


def change_the_data() -> None:
    """A new state of the data: every cached page region is cold again."""
    Stance.objects.order_by("pk").first().save()


def test_it_draws_each_country_on_the_map_with_text_not_only_colour(client):
    make_stance("DE", "hedge", date=dt.date(2025, 9, 5))
    html = client.get(OVERVIEW).content.decode()
    assert 'aria-label="DE, Germany: hedge since 5 Sep 2025"' in html
    assert 'class="tile tile-hedge"' in html
    # Countries with nothing on record are grey, and say so.
    assert 'aria-label="PT, Portugal: no position on record"' in html
    assert 'class="tile tile-none"' in html


def test_overview_table_gives_since_when_last_statement_and_sources(client):
    merz = make_actor("Friedrich Merz", "DE")
    make_stance("DE", "rejection", actor=merz, date=dt.date(2025, 2, 16))
    make_stance("DE", "hedge", actor=merz, date=dt.date(2025, 6, 1))
    latest = make_stance("DE", "hedge", actor=merz, date=dt.date(2025, 9, 5))
    make_evidence(latest, "Also here.", status="accepted")
    make_evidence(latest, "Not reviewed yet.")  # a new source counts once accepted
    html = client.get(OVERVIEW).content.decode()
    row = html[html.index(">Germany</a>") :]
    row = row[: row.index("</tr>")]
    assert "hedge" in row
    assert "1 Jun 2025" in row  # hedging since June
    assert f'href="/stances/{latest.pk}/"' in row and "5 Sep 2025" in row
    assert "<td>2</td>" in row  # two sources for the latest statement


def test_overview_chart_counts_countries_per_position_by_month(client):
    make_stance("FR", "pledge", date=dt.date(2025, 3, 10))
    make_stance("DE", "rejection", date=dt.date(2025, 3, 12))
    make_stance("DE", "hedge", date=dt.date(2025, 5, 2))
    html = client.get(OVERVIEW + "?until=2025-05-31").content.decode()
    assert '<svg class="linechart"' in html and 'class="line line-pledge"' in html
    table = html[html.index("The chart's figures") :]
    assert '<th scope="row">Mar 2025</th><td>1</td><td>0</td><td>1</td>' in table
    assert '<th scope="row">May 2025</th><td>1</td><td>1</td><td>0</td>' in table


def test_current_position_comes_from_the_official_line(client):
    leader = make_actor("Opposition Leader", "DE", official=False, role="Party leader")
    make_stance("DE", "hedge", date=dt.date(2025, 9, 1))
    make_stance("DE", "pledge", actor=leader, date=dt.date(2025, 9, 10))
    overview = client.get(OVERVIEW).content.decode()
    assert 'aria-label="DE, Germany: hedge since 1 Sep 2025"' in overview
    timeline = client.get(OVERVIEW + "de/").content.decode()
    official = timeline[timeline.index('id="official-title"') : timeline.index('id="other-title"')]
    other = timeline[timeline.index('id="other-title"') :]
    assert "Opposition Leader" not in official and "Opposition Leader" in other
    assert '<meta property="og:title" content="Germany: hedge since 1 Sep 2025">' in timeline


def test_timeline_filters_round_trip_through_the_url(client):
    make_stance("DE", "rejection", date=dt.date(2025, 2, 16), sentence="Berlin said no.")
    make_stance("DE", "hedge", date=dt.date(2025, 9, 4), sentence="Berlin said maybe.")
    url = OVERVIEW + "de/?position=hedge"
    html = client.get(url).content.decode()
    lanes = html[html.index('class="lanes"') :]
    assert "Berlin said maybe." in lanes and "Berlin said no." not in lanes
    # The form shows the state of the URL, and the page links to exactly this view.
    assert 'name="position" value="hedge" id="id_position_1" checked' in html
    assert f'class="permalink" href="{url}"' in html
    # The bands still show the whole official line.
    assert "band band-rejection" in html and "band band-hedge" in html


def test_htmx_gets_only_the_timeline_region(client):
    make_stance("DE", "hedge")
    response = client.get(OVERVIEW + "de/?position=hedge", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="timeline"')
    assert "<html" not in html and "<form" not in html
    assert "HX-Request" in response["Vary"]


def test_filters_work_without_javascript(client):
    make_stance("DE", "hedge")
    html = client.get(OVERVIEW + "de/").content.decode()
    assert 'method="get" action="/t/ukraine-troop-deployment/de/"' in html
    assert '<button type="submit">Apply</button>' in html


def test_timeline_pages_keep_the_filters(client):
    for day in range(1, 29):
        make_stance("DE", "hedge", date=dt.date(2025, 3, day))
        make_stance("DE", "hedge", date=dt.date(2025, 4, day))
    html = client.get(OVERVIEW + "de/?position=hedge").content.decode()
    assert "Page 1 of 2" in html
    assert 'href="?position=hedge&amp;page=2"' in html
    assert "Page 2 of 2" in client.get(OVERVIEW + "de/?position=hedge&page=2").content.decode()


def test_bad_filters_are_reported_not_obeyed(client):
    make_stance("DE", "hedge")
    response = client.get(OVERVIEW + "de/?since=yesterday&position=maybe")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html and "Enter a valid date." in html
    assert html.count('<article class="stance') == 1


def test_disputes_are_marked_with_the_curators_note_once_resolved(client, curator):
    spokesman = make_actor("Government Spokesperson", "DE")
    a = make_stance("DE", "hedge", actor=spokesman, date=dt.date(2025, 9, 1))
    make_stance("DE", "pledge", date=dt.date(2025, 9, 3))
    (dispute,) = disputes_detect(topic_id=a.topic_id, country_id=a.country_id)
    html = client.get(OVERVIEW + "de/").content.decode()
    assert html.count("⚠ disputed") == 2
    dispute.resolve(curator, "The spokesperson is authoritative: hedge.")
    html = client.get(OVERVIEW + "de/").content.decode()
    assert "⚠ disputed" not in html and "dispute resolved" in html
    assert "The spokesperson is authoritative: hedge." in html
    permalink = client.get(f"/stances/{a.pk}/").content.decode()
    assert "The spokesperson is authoritative: hedge." in permalink


def test_curators_get_a_link_to_the_history_readers_do_not(client, curator):
    stance = make_stance("DE", "hedge")
    history = f'href="/review/stances/{stance.pk}/history/"'
    assert history not in client.get(OVERVIEW + "de/").content.decode()
    assert history not in client.get(f"/stances/{stance.pk}/").content.decode()
    client.force_login(curator)
    assert history in client.get(OVERVIEW + "de/").content.decode()
    assert history in client.get(f"/stances/{stance.pk}/").content.decode()


def test_unreviewed_stances_are_for_curators_who_ask(client, curator, outsider):
    make_stance("DE", "hedge", sentence="Reviewed sentence.")
    make_stance("DE", "pledge", status="proposed", sentence="Proposed sentence.")
    url = OVERVIEW + "de/?unreviewed=1"
    client.force_login(outsider)
    html = client.get(url).content.decode()
    assert "Proposed sentence." not in html and 'name="unreviewed"' not in html
    client.force_login(curator)
    html = client.get(url).content.decode()
    assert "Proposed sentence." in html and "unreviewed</em>" in html


def test_as_of_shows_the_timeline_and_overview_as_they_stood(client, curator):
    then = timezone.now() - dt.timedelta(days=30)
    day = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    old = make_stance("DE", "hedge", status="proposed", sentence="Old hedge.")
    old.approve(curator, when=then)
    Stance.history.filter(id=old.pk).update(history_date=then)
    Evidence.objects.filter(stance=old).update(created_at=then)
    make_stance("DE", "pledge", sentence="New pledge.")
    old.position = "rejection"
    old.save()

    now = client.get(OVERVIEW + "de/").content.decode()
    assert "New pledge." in now
    past = client.get(OVERVIEW + f"de/?as_of={day}").content.decode()
    lanes = past[past.index('class="lanes"') :]
    assert "Old hedge." in lanes and "New pledge." not in lanes
    assert "stance stance-hedge" in lanes  # the position as it was, before the correction
    assert "As the tracker stood on" in past
    overview = client.get(OVERVIEW + f"?as_of={day}").content.decode()
    assert 'aria-label="DE, Germany: hedge since' in overview
    assert f'href="/t/ukraine-troop-deployment/de/?as_of={day}"' in overview


def test_link_previews_name_the_view(client):
    merz = make_actor("Friedrich Merz", "DE")
    stance = make_stance("DE", "hedge", actor=merz, date=dt.date(2025, 9, 5), sentence="Maybe.")
    html = client.get(f"/stances/{stance.pk}/").content.decode()
    assert (
        '<meta property="og:title" content="Germany: hedge (Friedrich Merz, 5 Sep 2025)">' in html
    )
    assert '<meta property="og:description" content="Maybe.">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert f'<meta property="og:url" content="http://testserver/stances/{stance.pk}/">' in html
    overview = client.get(OVERVIEW).content.decode()
    assert '<meta property="og:description" content="0 pledge, 1 hedge, 0 reject">' in overview


def test_copy_link_control_is_a_static_script_under_the_csp(client):
    make_stance("DE", "hedge")
    response = client.get(OVERVIEW + "de/")
    html = response.content.decode()
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script src="/static/js/share.js" nonce="{nonce}" defer></script>' in html
    assert '<button type="button" class="copy-link"' in html and " hidden>Copy link" in html
    assert "onclick" not in html


def test_actor_page_lists_statements_with_filters(client):
    macron = make_actor("Emmanuel Macron", "FR", role="President")
    make_stance("FR", "pledge", actor=macron, sentence="Macron pledged.")
    make_stance("UA", "hedge", actor=macron, sentence="Macron hedged on Ukraine.")
    html = client.get("/actors/emmanuel-macron/?position=pledge").content.decode()
    assert "Macron pledged." in html and "Macron hedged on Ukraine." not in html
    assert "speaks for the government" in html


def test_search_finds_evidence_and_articles(client):
    article = make_article(
        "Intro. Rome ruled out sending Italian soldiers. Outro.", title="Rome and the force"
    )
    stance = make_stance(
        "IT", "rejection", article=article, sentence="Rome ruled out sending Italian soldiers."
    )
    make_stance("FR", "pledge", sentence="Paris is ready.")
    html = client.get("/search/?q=Italian+soldiers").content.decode()
    assert f'href="/stances/{stance.pk}/"' in html
    assert f'href="/articles/{article.pk}/"' in html
    assert "Paris is ready." not in html
    empty = client.get("/search/?q=zebra").content.decode()
    assert "No evidence sentence matches." in empty and "No article matches." in empty


def test_search_uses_the_full_text_index_on_postgresql(postgres, django_assert_max_num_queries):
    from django.db import connection

    from stances.search import articles_search, evidence_search

    make_stance("IT", "rejection", sentence="Rome ruled out sending soldiers.")
    # Stemming: "soldier" finds "soldiers", which a plain substring match would too, but
    # "ruling" finds "ruled" only through the English dictionary.
    assert evidence_search("ruling soldier").count() == 1
    assert articles_search("ruling soldier").count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        for qs, index in (
            (evidence_search("soldier"), "evidence_search_gin"),
            (articles_search("soldier"), "article_search_gin"),
        ):
            assert index in qs.explain()
        cursor.execute("SET enable_seqscan = on")


def _budget_case(stances: int) -> None:
    call_command("generate_synthetic", stances=stances, articles=max(stances // 2, 1), seed=7)


@pytest.mark.parametrize("stances", [30, 300])
def test_query_counts_do_not_grow_with_the_number_of_stances(
    client, stances, django_assert_max_num_queries
):
    call_command("load_demo")
    _budget_case(stances)
    stance = Stance.objects.approved().filter(evidence__isnull=False).first()
    article_id = stance.evidence.first().article_id
    actor = Stance.objects.approved().filter(actor__isnull=False).first().actor
    as_of = timezone.localdate().isoformat()
    # Cold: topic, data version, then the official line's changes, sources and countries,
    # and who offers what (the matrix), and when the record begins (the overview's "stated
    # by" months); and, never cached, the week's changes of position (+1 in each count
    # below); and the data version once more for the "Cite as" line (+1), on pages whose
    # view does not pass it (the overview, a stance, an article); and the country groups
    # the filter form offers.
    change_the_data()
    with django_assert_max_num_queries(9):
        client.get(OVERVIEW)
    with django_assert_max_num_queries(4):
        client.get(OVERVIEW)  # the same data: topic and data version only
    # Cold: topic, country, version, official line (bands), count, page, actors, evidence,
    # disputes, actor choices, the date axis's markers; warm: topic, country, version,
    # actor choices.
    for url in (OVERVIEW + "de/", OVERVIEW + f"de/?position=hedge&official=1&as_of={as_of}"):
        change_the_data()
        with django_assert_max_num_queries(12):
            client.get(url)
        with django_assert_max_num_queries(5):
            client.get(url)
    # Cold: actor, version, count, page, actors, evidence, disputes, countries, topics.
    change_the_data()
    with django_assert_max_num_queries(9):
        client.get(f"/actors/{actor.slug}/")
    with django_assert_max_num_queries(2):
        client.get(f"/actors/{actor.slug}/")
    with django_assert_max_num_queries(5):
        client.get(f"/stances/{stance.pk}/")
    with django_assert_max_num_queries(3):
        client.get(f"/articles/{article_id}/")
    # The filters' country choices, articles, evidence, the snippets' unseen spans.
    with django_assert_max_num_queries(4):
        client.get("/search/?q=troops")


def test_generate_synthetic_builds_reviewable_realistic_data():
    call_command("generate_synthetic", stances=200, articles=80, seed=3)
    assert Stance.objects.filter(extractor_version="synthetic-1").count() == 200
    statuses = set(Stance.objects.values_list("status", flat=True))
    assert statuses == {"approved", "proposed", "rejected"}
    # Every stance has its sentence where its evidence says, and a history.
    for stance in Stance.objects.prefetch_related("evidence__article")[:50]:
        for item in stance.evidence.all():
            assert item.article.text[item.start : item.end] == item.sentence
    assert Stance.history.count() >= 200
    assert Dispute.objects.count() == 0
