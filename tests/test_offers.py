"""Who offers what, on what conditions: the topic's vocabularies, validated on every write,
recorded from extraction, edited by curators, filtered, shown and exported."""

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError

from stances.models import PositionChange, Stance
from stances.services import claims_record, stance_correct, stances_review

from .factories import make_article, make_stance

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"
SENTENCE = "France will send a frigate to the Black Sea once a ceasefire holds."


@dataclass(frozen=True)
class Claim:
    country: str
    position: str
    sentence: str
    start: int
    end: int
    actor: str | None = None
    actor_role: str | None = None
    actor_country: str | None = None
    actor_speaks_for_government: bool | None = None
    date: dt.date | None = None
    date_precision: str = "unknown"
    quote: bool = False
    confidence: float = 0.8
    contributions: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    size: str | None = None


def offered(iso2, position="pledge", *, contributions=(), conditions=(), size="", **kw):
    stance = make_stance(iso2, position, **kw)
    stance.contributions, stance.conditions = list(contributions), list(conditions)
    stance.size = size
    stance.save()
    return stance


def claim_in(article, **kw) -> Claim:
    start = article.text.index(SENTENCE)
    return Claim(sentence=SENTENCE, start=start, end=start + len(SENTENCE), **kw)


def test_it_has_the_topics_vocabulary_from_the_corpus(topic):
    assert topic.kind_codes("contributions") == [
        "ground", "air", "naval", "air_defence", "training", "logistics", "intelligence",
        "command", "other",
    ]
    assert "us_backstop" in topic.kind_codes("conditions")
    assert all(k["definition"] for k in topic.contribution_kinds + topic.condition_kinds)


def test_it_refuses_a_kind_outside_the_vocabulary_in_the_model(topic):
    stance = make_stance("FR", "pledge")
    stance.contributions = ["naval", "submarines"]
    with pytest.raises(ValidationError) as refused:
        stance.full_clean()
    assert "submarines" in str(refused.value) and "naval" not in str(refused.value).split(
        "use one of"
    )[0].replace("'submarines'", "")


def test_it_refuses_an_unknown_kind_in_a_correction(curator):
    stance = make_stance("FR", "pledge", status="proposed")
    with pytest.raises(ValidationError, match="Unknown condition kind 'weather'"):
        stance_correct(stance=stance, user=curator, changes={"conditions": ["weather"]})


def test_claims_record_stores_kinds_and_skips_unknown_ones():
    article = make_article(SENTENCE)
    result = claims_record(
        article=article,
        claims=[
            claim_in(article, country="FR", position="pledge", contributions=("naval",),
                     conditions=("ceasefire",), size="a frigate"),
            claim_in(article, country="DE", position="hedge", contributions=("tanks",)),
        ],
        extractor_version="t-1",
    )
    (stance,) = result.created
    assert (stance.contributions, stance.conditions, stance.size) == (
        ["naval"], ["ceasefire"], "a frigate"
    )
    assert "tanks" in result.detail


def test_corroboration_adds_kinds_to_a_proposal_only(curator):
    article = make_article(SENTENCE)
    claims_record(article=article, extractor_version="t-1",
                  claims=[claim_in(article, country="FR", position="pledge",
                                   contributions=("naval",))])
    other = make_article(SENTENCE + " More.")
    claims_record(article=other, extractor_version="t-1",
                  claims=[claim_in(other, country="FR", position="pledge",
                                   contributions=("ground", "naval"), conditions=("allies",))])
    stance = Stance.objects.get(country__iso2="FR")
    assert stance.contributions == ["ground", "naval"] and stance.conditions == ["allies"]
    stances_review(stance_ids=[stance.pk], approve=True, user=curator, undated_confirmed=True)
    third = make_article(SENTENCE + " Again.")
    claims_record(article=third, extractor_version="t-1",
                  claims=[claim_in(third, country="FR", position="pledge",
                                   contributions=("air",))])
    stance.refresh_from_db()
    assert stance.contributions == ["ground", "naval"]


def test_a_correction_keeps_the_kinds_it_does_not_change(client, curator):
    stance = offered("FR", status="proposed", contributions=["naval"], conditions=["ceasefire"])
    stance_correct(stance=stance, user=curator, changes={"position": "hedge"})
    stance.refresh_from_db()
    assert stance.contributions == ["naval"] and stance.conditions == ["ceasefire"]
    stance_correct(stance=stance, user=curator, changes={"contributions": ["air", "ground"]})
    stance.refresh_from_db()
    assert stance.contributions == ["ground", "air"] and stance.conditions == ["ceasefire"]


def test_history_names_the_kinds_in_words(client, curator):
    stance = offered("FR", status="proposed", contributions=["naval"])
    stance_correct(stance=stance, user=curator, changes={"contributions": ["air_defence"]})
    client.force_login(curator)
    html = client.get(f"/review/stances/{stance.pk}/history/").content.decode()
    assert "Naval" in html and "Air defence" in html


def test_contribution_filter_narrows_pages_exports_api_and_feeds(client):
    offered("FR", contributions=["naval"], conditions=["us_backstop"])
    offered("DE", contributions=["ground"])
    offered("PL", contributions=["naval", "ground"])
    html = client.get(OVERVIEW + "?contribution=naval").content.decode()
    table = html.split("overview-table")[1]
    assert "France" in table and "Poland" in table and "Germany" not in table
    rows = list(csv.DictReader(io.StringIO(
        b"".join(client.get("/export/stances.csv?contribution=naval").streaming_content).decode())))
    assert {r["country_iso2"] for r in rows} == {"FR", "PL"}
    assert rows[0]["contributions"] in ("naval", "naval; ground", "ground; naval")
    both = json.loads(b"".join(client.get(
        "/export/stances.json?contribution=naval&condition=us_backstop").streaming_content))
    assert [s["country_iso2"] for s in both["stances"]] == ["FR"]
    api = client.get("/api/topics/ukraine-troop-deployment/stances?contribution=naval").json()
    assert {s["country"] for s in api["results"]} == {"FR", "PL"}
    assert {tuple(s["contributions"]) for s in api["results"]} >= {("naval",)}
    feed = client.get(OVERVIEW + "feed.atom?contribution=ground").content.decode()
    assert "Germany" in feed and "France: " not in feed


def test_filters_keep_a_canonical_querystring(client):
    html = client.get(OVERVIEW + "?condition=ceasefire&contribution=naval&contribution=air")
    canonical = "contribution=air&amp;contribution=naval&amp;condition=ceasefire"
    assert canonical in html.content.decode()


def test_matrix_shows_the_latest_official_offer_with_conditions(
    client, django_assert_max_num_queries
):
    offered("FR", contributions=["ground"], date=dt.date(2025, 3, 1))
    latest = offered("FR", contributions=["naval", "ground"], conditions=["ceasefire"],
                     date=dt.date(2025, 6, 1))
    offered("DE", "hedge", contributions=["air"])
    # Topic, version, the official line, sources, countries, the matrix, when the record
    # begins (the "stated by" months), the form's country groups, the week's changes.
    with django_assert_max_num_queries(9):
        html = client.get(OVERVIEW).content.decode()
    matrix = html.split('id="offers"')[1]
    assert f'/stances/{latest.pk}/' in matrix and "if After a ceasefire" in matrix
    assert matrix.index("France") < matrix.index("Germany")
    desc = client.get(OVERVIEW + "?order=-name").content.decode().split('id="offers"')[1]
    assert desc.index("France") > desc.index("Germany")
    narrowed = client.get(OVERVIEW + "?contribution=air").content.decode().split('id="offers"')[1]
    assert "Germany" in narrowed and "France" not in narrowed


def test_offers_exports_follow_the_matrix(client):
    stance = offered("FR", contributions=["naval"], conditions=["ceasefire"], size="a frigate")
    body = client.get("/export/offers.json").json()
    assert body["offers"] == [{
        "country_iso2": "FR", "country": "France", "contribution": "naval",
        "contribution_label": "Naval", "position": "pledge", "date": "2025-09-04",
        "conditions": ["ceasefire"], "size": "a frigate",
        "permalink": f"http://testserver/stances/{stance.pk}/", "as_of": body["as_of"],
    }]
    rows = list(csv.DictReader(io.StringIO(client.get("/export/offers.csv").content.decode())))
    assert rows[0]["contribution"] == "naval" and rows[0]["conditions"] == "ceasefire"


def test_timeline_and_permalink_show_chips_and_size(client):
    stance = offered("FR", contributions=["naval"], conditions=["us_backstop"], size="a frigate")
    for url in (OVERVIEW + "fr/", f"/stances/{stance.pk}/"):
        html = client.get(url).content.decode()
        assert 'class="chip chip-contribution" data-kind="naval">Naval<' in html, url
        assert ">US backstop<" in html and "a frigate" in html


def test_a_change_of_offer_is_recorded_and_in_the_feed(client, curator):
    offered("FR", contributions=["ground"], date=dt.date(2025, 3, 1))
    PositionChange.objects.all().delete()
    proposal = offered("FR", status="proposed", contributions=["naval"], date=dt.date(2025, 6, 1))
    stances_review(stance_ids=[proposal.pk], approve=True, user=curator)
    change = PositionChange.objects.get()
    assert (change.previous_position, change.position) == ("pledge", "pledge")
    assert (change.previous_contributions, change.contributions) == (["ground"], ["naval"])
    feed = client.get(OVERVIEW + "feed.atom").content.decode()
    assert "offers naval now; no longer ground troops" in feed


def test_methodology_defines_every_kind(client, topic):
    html = client.get(OVERVIEW + "methodology/").content.decode()
    for kind in topic.contribution_kinds + topic.condition_kinds:
        assert kind["definition"] in html


def test_api_topic_carries_its_vocabularies(client):
    body = client.get("/api/topics/ukraine-troop-deployment").json()
    assert body["contribution_kinds"][0]["code"] == "ground"
    assert json.dumps(body)


def test_demo_statements_carry_their_offers():
    from django.core.management import call_command

    call_command("load_demo")
    norway = Stance.objects.get(country__iso2="NO")
    assert (norway.contributions, norway.conditions) == (["ground"], ["ceasefire"])
    assert Stance.objects.get(country__iso2="US").contributions == ["air"]
    assert not Stance.objects.filter(position="rejection").exclude(contributions=[]).exists()
