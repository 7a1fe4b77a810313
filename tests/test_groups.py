"""Country groups: seeded with where their lists come from, edited by curators, and the
overview, exports and API narrowed to a group's members with the group's tally."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.urls import reverse

from stances.filters import StanceFilters
from stances.models import Country, CountryGroup

from .factories import make_stance
from .test_exports import read_csv

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"


def _codes(slug: str) -> set[str]:
    return set(CountryGroup.objects.get(slug=slug).members.values_list("iso2", flat=True))


def test_seeded_groups_have_their_members_and_say_where_the_list_comes_from():
    assert len(_codes("european-union")) == 27
    assert len(_codes("nato")) == 32
    assert _codes("g7") == {"CA", "FR", "DE", "IT", "JP", "GB", "US"}
    assert _codes("nordic-countries") == {"DK", "FI", "IS", "NO", "SE"}
    assert _codes("baltic-states") == {"EE", "LV", "LT"}
    coalition = CountryGroup.objects.get(slug="coalition-of-the-willing")
    assert {"GB", "FR", "UA"} <= _codes(coalition.slug)
    assert "as reported" in coalition.description and "curated" in coalition.description
    for slug in ("european-union", "nato", "g7", "nordic-countries", "baltic-states"):
        assert "2025" in CountryGroup.objects.get(slug=slug).description
    # Readers' order: the big groups first.
    assert list(CountryGroup.objects.values_list("slug", flat=True)[:3]) == [
        "european-union", "nato", "coalition-of-the-willing",
    ]


def test_curators_may_add_change_and_delete_groups(curator):
    for verb in ("view", "add", "change", "delete"):
        assert curator.has_perm(f"stances.{verb}_countrygroup")


def test_the_group_is_part_of_the_canonical_link():
    filters = StanceFilters(QueryDict("group=nato&position=pledge"))
    assert filters.is_valid()
    assert filters.querystring() == "position=pledge&group=nato"


def _baltic_and_france() -> None:
    make_stance("EE", "pledge")
    make_stance("LV", "hedge")
    make_stance("FR", "pledge")


def test_overview_shows_only_the_groups_members_and_its_tally(client):
    _baltic_and_france()
    html = client.get(OVERVIEW + "?group=baltic-states").content.decode()
    table = html[html.index('id="countries"'):]
    assert ">Estonia<" in table and ">Latvia<" in table and ">France<" not in table
    assert 'aria-label="FR, ' not in html  # not on the map either
    tally = html[html.index('class="group-tally"'):]
    tally = tally[: tally.index("</p>")]
    assert "Baltic states, 3 members:" in tally
    assert "1 pledge, 1 hedge, 0 reject, 1 with no position on record" in tally
    assert f'href="{OVERVIEW}lt/"' in tally and "Lithuania" in tally
    assert 'href="/groups/#baltic-states"' in tally
    # The tally sits right under the filter form, at the top of the region htmx swaps.
    assert html.index('class="filters"') < html.index('class="group-tally"')
    assert html.index('class="group-tally"') < html.index('class="summary"')
    # Without a group there is no tally and every country is back.
    html = client.get(OVERVIEW).content.decode()
    assert 'class="group-tally"' not in html and ">France<" in html


def test_the_filter_form_offers_the_groups_without_javascript(client):
    html = client.get(OVERVIEW + "?group=nato").content.decode()
    select = html[html.index('<select name="group"'):]
    select = select[: select.index("</select>")]
    assert '<option value="">All countries</option>' in select
    assert '<option value="nato" selected>NATO</option>' in select
    assert 'for="id_group"' in html  # labelled


def test_unknown_group_is_a_form_error_not_a_500(client):
    _baltic_and_france()
    response = client.get(OVERVIEW + "?group=atlantis")
    assert response.status_code == 200
    html = response.content.decode()
    assert "No such country group" in html
    assert ">France<" in html and 'class="group-tally"' not in html


def test_exports_take_the_group(client):
    _baltic_and_france()
    rows = read_csv(client.get("/export/stances.csv?group=baltic-states"))
    assert sorted(r["country_iso2"] for r in rows) == ["EE", "LV"]
    body = client.get("/export/countries.csv?group=baltic-states").content.decode()
    rows = csv.DictReader(io.StringIO(body))
    assert sorted(r["country_iso2"] for r in rows) == ["EE", "LV"]
    response = client.get("/export/stances.json?group=atlantis")
    assert response.status_code == 400
    assert "No such country group" in response.json()["errors"]["group"][0]


def test_the_api_takes_the_group(client):
    _baltic_and_france()
    url = "/api/topics/ukraine-troop-deployment/stances"
    stances = client.get(url, {"group": "baltic-states"}).json()["results"]
    assert sorted(s["country"] for s in stances) == ["EE", "LV"]
    assert client.get(url, {"group": "atlantis"}).status_code == 422
    assert client.get(url, {"group": "not a slug"}).status_code == 422
    schema = client.get("/api/schema/").json()
    params = schema["paths"][url.replace("ukraine-troop-deployment", "{slug}")]["get"]
    assert "group" in [p["name"] for p in params["parameters"]]


def test_a_curators_edit_of_the_members_shows_at_once_on_a_cached_page(client, curator):
    _baltic_and_france()
    make_stance("FI", "rejection")
    url = OVERVIEW + "?group=baltic-states"
    before = client.get(url).content.decode()
    assert "3 members" in before and ">Finland<" not in before

    group = CountryGroup.objects.get(slug="baltic-states")
    client.force_login(curator)
    members = [*group.members.values_list("pk", flat=True), Country.objects.get(iso2="FI").pk]
    response = client.post(
        reverse("admin:stances_countrygroup_change", args=[group.pk]),
        {
            "name": group.name,
            "slug": group.slug,
            "order": group.order,
            "description": group.description,
            "members": members,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()

    after = client.get(url).content.decode()
    assert "Baltic states, 4 members:" in after
    assert ">Finland<" in after and "1 reject" in after


def test_groups_page_lists_each_group_with_its_members_and_a_filtered_overview(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(2):
        response = client.get("/groups/")
    html = response.content.decode()
    assert response.status_code == 200
    nato = html[html.index('id="nato"'):]
    nato = nato[: nato.index("</section>")]
    assert f'href="{OVERVIEW}?group=nato"' in nato and "narrowed to its 32 members" in nato
    assert f'href="{OVERVIEW}tr/">Türkiye<' in nato or ">Turkey<" in nato
    assert "nato.int" in nato
    assert html.index('id="european-union"') < html.index('id="baltic-states"')


@pytest.mark.parametrize("stances", [30, 300])
def test_grouped_overview_query_budget_does_not_grow(
    client, stances, django_assert_max_num_queries
):
    call_command("load_demo")
    call_command("generate_synthetic", stances=stances, articles=stances // 2, seed=7)
    url = OVERVIEW + "?group=nato&position=hedge"
    # Cold: topic, the group, data version, the official line's changes, sources, the
    # members, who offers what, when the record begins ("stated by"), the form's groups,
    # the week's changes, the version again.
    with django_assert_max_num_queries(11):
        client.get(url)
    # Warm: topic, the group, data version, the week's changes, the version again.
    with django_assert_max_num_queries(5):
        client.get(url)
    html = client.get(url).content.decode()
    assert "NATO, 32 members:" in html


def test_as_of_keeps_the_group(client):
    _baltic_and_france()
    today = dt.date.today().isoformat()
    html = client.get(OVERVIEW + f"?group=baltic-states&as_of={today}").content.decode()
    assert "Baltic states, 3 members:" in html and ">France<" not in html


def test_the_topic_feed_takes_the_group_and_the_overview_links_to_it(client):
    _baltic_and_france()
    feed = client.get("/t/ukraine-troop-deployment/feed.atom?group=baltic-states")
    body = feed.content.decode()
    assert feed.status_code == 200
    assert "<title>Baltic states · " in body
    assert "Estonia" in body and "France" not in body
    html = client.get(OVERVIEW + "?group=baltic-states").content.decode()
    assert 'href="/t/ukraine-troop-deployment/feed.atom?group=baltic-states"' in html


def test_curators_find_groups_in_the_admin_and_see_their_history(client, curator):
    client.force_login(curator)
    listing = client.get(reverse("admin:stances_countrygroup_changelist") + "?q=Iceland")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert "Nordic countries" in html and "Baltic states" not in html
    group = CountryGroup.objects.get(slug="baltic-states")
    group.members.add(Country.objects.get(iso2="FI"))
    history = client.get(reverse("admin:stances_countrygroup_history", args=[group.pk]))
    assert history.status_code == 200
    change = client.get(reverse("admin:stances_countrygroup_change", args=[group.pk]))
    assert 'class="selectfilter"' in change.content.decode()  # filter_horizontal


def test_the_api_lists_a_groups_countries(client):
    _baltic_and_france()
    url = "/api/topics/ukraine-troop-deployment/countries"
    rows = client.get(url, {"group": "baltic-states"}).json()
    assert [(r["iso2"], r["position"]) for r in rows] == [
        ("EE", "pledge"), ("LT", None), ("LV", "hedge"),
    ]
    assert len(client.get(url).json()) == Country.objects.count()
    assert client.get(url, {"group": "atlantis"}).status_code == 422


def test_membership_changes_are_history_from_either_side():
    from stances.summaries import data_version

    group = CountryGroup.objects.get(slug="baltic-states")
    finland = Country.objects.get(iso2="FI")
    before = data_version()
    finland.groups.add(group)
    assert data_version() != before
    finland.groups.clear()
    group.members.remove(Country.objects.get(iso2="EE"))
    recorded = [
        sorted(h.members.values_list("country__iso2", flat=True))
        for h in group.history.order_by("history_date", "history_id")
    ]
    assert recorded == [["EE", "FI", "LT", "LV"], ["EE", "LT", "LV"], ["LT", "LV"]]


def test_a_small_group_is_compared_whole_and_a_large_one_is_not(client):
    _baltic_and_france()
    today = dt.date.today().isoformat()
    html = client.get(f"{OVERVIEW}?group=baltic-states&as_of={today}").content.decode()
    # The members by name, and the day looked at.
    link = f"{OVERVIEW}compare/?country=EE&amp;country=LV&amp;country=LT&amp;as_of={today}"
    assert link in html
    assert "Compare the 3 members of Baltic states side by side" in html
    compared = client.get(
        f"{OVERVIEW}compare/?country=EE&country=LV&country=LT", follow=True
    ).content.decode()
    assert all(name in compared for name in ("Estonia", "Latvia", "Lithuania"))
    # NATO's 32 members are more than a comparison holds: the plain link, as without a group.
    html = client.get(f"{OVERVIEW}?group=nato").content.decode()
    assert f'href="{OVERVIEW}compare/">Compare countries side by side' in html


def test_a_country_page_ignores_a_group_it_is_not_in(client):
    _baltic_and_france()
    html = client.get(f"{OVERVIEW}fr/?group=baltic-states").content.decode()
    assert "1 statement matches" in html
    assert "Country group" not in html
