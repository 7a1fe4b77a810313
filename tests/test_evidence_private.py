"""No sentence a curator has not accepted reaches a reader, whatever gives it out.

Two kinds of unreviewed sentence: the evidence of a proposed stance, and a new report of an
already approved stance (extraction finds the same claim again in another article and
attaches its sentence: it waits for a curator as a "new source"). Each test builds the same
record through the extraction's own path (claims_record) and reads one output as an
anonymous reader: the accepted sentences of the same articles show, the others never do,
and the approved stance still counts one source."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

import pytest

from stances.models import Evidence, EvidenceStatus, Stance
from stances.services import claims_record

from .factories import make_actor, make_article, make_outlet, make_stance

pytestmark = pytest.mark.django_db

TOPIC = "/t/ukraine-troop-deployment/"
# Article A: Germany's approved statement, France's proposed one, and a second report of
# Germany's statement (proposed as a new source of the approved stance).
ACCEPTED = "Germany will send engineers to Ukraine with the reassurance force, Merz said."
PROPOSED_STANCE = "France floated a pledge of zebra battalions for the reassurance force."
NEW_SOURCE = "Merz told marmoset envoys that Germany would send engineers to Ukraine."
# Article B: Poland's approved statement, and another report of Germany's.
ACCEPTED_B = "Poland will not send troops to Ukraine, Tusk said."
NEW_SOURCE_B = "A quokka-loving aide confirmed that Germany would send engineers."
HIDDEN = (PROPOSED_STANCE, NEW_SOURCE, NEW_SOURCE_B)
HIDDEN_WORDS = ("zebra", "marmoset", "quokka")


@dataclass(frozen=True)
class Claim:
    """What the extractor proposes (the shape claims_record reads)."""

    country: str
    position: str
    sentence: str
    start: int
    end: int
    actor: str | None = None
    actor_role: str | None = None
    actor_country: str | None = None
    actor_speaks_for_government: bool | None = None
    date: dt.date | None = dt.date(2025, 9, 4)
    date_precision: str = "day"
    quote: bool = False
    confidence: float = 0.8


def _extracted(article, sentence: str, **claim) -> None:
    start = article.text.index(sentence)
    claims_record(
        article=article,
        claims=[Claim(sentence=sentence, start=start, end=start + len(sentence), **claim)],
        extractor_version="rules-test",
    )


@dataclass
class Record:
    germany: Stance
    poland: Stance
    article_a: int
    article_b: int


@pytest.fixture
def record() -> Record:
    merz = make_actor("Friedrich Merz", "DE", role="Chancellor")
    tusk = make_actor("Donald Tusk", "PL", role="Prime Minister")
    make_actor("Emmanuel Macron", "FR", role="President")
    a = make_article(
        f"Talks in Berlin\n\n{ACCEPTED} {PROPOSED_STANCE}\n\n{NEW_SOURCE}",
        title="Berlin weighs the force",
        outlet=make_outlet("Wire A"),
    )
    b = make_article(
        f"Warsaw and Berlin\n\n{ACCEPTED_B} {NEW_SOURCE_B}",
        title="Warsaw stays out",
        outlet=make_outlet("Wire B"),
    )
    germany = make_stance("DE", "pledge", actor=merz, article=a, sentence=ACCEPTED)
    poland = make_stance("PL", "rejection", actor=tusk, article=b, sentence=ACCEPTED_B)
    _extracted(a, PROPOSED_STANCE, country="FR", position="pledge", actor="Emmanuel Macron")
    _extracted(a, NEW_SOURCE, country="DE", position="pledge", actor="Friedrich Merz")
    _extracted(b, NEW_SOURCE_B, country="DE", position="pledge", actor="Friedrich Merz")
    # The extraction attached both reports to the approved stance, as proposed sources.
    assert germany.evidence.count() == 3
    assert set(germany.evidence.values_list("status", flat=True)) == {
        EvidenceStatus.ACCEPTED,
        EvidenceStatus.PROPOSED,
    }
    assert Stance.objects.filter(country__iso2="FR", status="proposed").exists()
    return Record(germany=germany, poland=poland, article_a=a.pk, article_b=b.pk)


def _text(response) -> str:
    assert response.status_code == 200
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def _nothing_hidden(text: str) -> None:
    for sentence in HIDDEN:
        assert sentence not in text
    for word in HIDDEN_WORDS:
        assert word not in text


def _shows_only_accepted(text: str, *accepted: str) -> None:
    for sentence in accepted or (ACCEPTED,):
        assert sentence in text
    _nothing_hidden(text)


def test_not_on_the_overview(client, record):
    html = _text(client.get(TOPIC))
    row = html[html.index(">Germany</a>") :]
    row = row[: row.index("</tr>")]
    assert "pledge" in row and "<td>1</td>" in row, "one accepted source, not three reports"
    assert 'aria-label="FR, France: no position on record"' in html
    _nothing_hidden(html)


def test_not_on_the_country_timeline(client, record):
    html = _text(client.get(TOPIC + "de/"))
    _shows_only_accepted(html)
    assert '<span class="sources">1 source</span>' in html
    france = _text(client.get(TOPIC + "fr/"))
    assert "no position on record" in france
    _nothing_hidden(france)


def test_not_on_the_stance_permalink(client, record):
    html = _text(client.get(f"/stances/{record.germany.pk}/"))
    _shows_only_accepted(html)
    assert '<span class="sources">1 source</span>' in html
    proposed = Stance.objects.get(country__iso2="FR")
    assert client.get(f"/stances/{proposed.pk}/").status_code == 404


def test_not_on_the_actor_pages(client, record):
    _shows_only_accepted(_text(client.get("/actors/friedrich-merz/")))
    macron = _text(client.get("/actors/emmanuel-macron/"))
    _nothing_hidden(macron)


def test_not_marked_as_evidence_on_the_article_pages(client, record):
    """The article page shows the whole text, so the words are there as text; only the
    accepted sentences are marked and linked to their stance."""
    a = _text(client.get(f"/articles/{record.article_a}/"))
    assert f"<mark>{ACCEPTED}</mark>" in a
    assert a.count("<mark>") == 1 and a.count('class="evidence"') == 1
    b = _text(client.get(f"/articles/{record.article_b}/"))
    assert f"<mark>{ACCEPTED_B}</mark>" in b
    assert b.count("<mark>") == 1 and b.count('class="evidence"') == 1
    for html in (a, b):
        for sentence in HIDDEN:
            assert f"<mark>{sentence}" not in html


def test_not_in_search(client, record):
    found = _text(client.get("/search/?q=Germany"))
    _shows_only_accepted(found.replace("<mark>", "").replace("</mark>", ""))
    for word in HIDDEN_WORDS:
        html = _text(client.get(f"/search/?q={word}"))
        assert "No evidence sentence matches." in html, word
        for sentence in HIDDEN:
            assert sentence not in html


def test_not_in_the_csv_exports(client, record):
    text = _text(client.get("/export/stances.csv"))
    _shows_only_accepted(text, ACCEPTED, ACCEPTED_B)
    rows = {r["country_iso2"]: r for r in csv.DictReader(io.StringIO(text))}
    assert set(rows) == {"DE", "PL"} and rows["DE"]["sources"] == "1"
    countries = {r["country_iso2"]: r for r in csv.DictReader(
        io.StringIO(_text(client.get("/export/countries.csv")))
    )}
    assert countries["DE"]["sources"] == "1" and "FR" not in countries


def test_not_in_the_json_exports(client, record):
    text = _text(client.get("/export/stances.json?country=de"))
    _shows_only_accepted(text)
    (germany,) = json.loads(text)["stances"]
    assert germany["sources"] == 1
    assert [e["sentence"] for e in germany["all_evidence"]] == [ACCEPTED]
    countries = json.loads(_text(client.get("/export/countries.json")))["countries"]
    assert {c["country_iso2"]: c["sources"] for c in countries} == {"DE": 1, "PL": 1}


def test_not_in_the_atom_feeds(client, record):
    _shows_only_accepted(_text(client.get(TOPIC + "feed.atom")), ACCEPTED, ACCEPTED_B)
    _shows_only_accepted(_text(client.get(TOPIC + "de/feed.atom")))
    _nothing_hidden(_text(client.get(TOPIC + "fr/feed.atom")))


def test_not_in_the_api(client, record):
    api = "/api/topics/ukraine-troop-deployment"
    body = json.loads(_text(client.get(api + "/stances?country=DE")))
    (germany,) = body["results"]
    assert [e["sentence"] for e in germany["evidence"]] == [ACCEPTED]
    text = _text(client.get(api + "/stances?unreviewed=true"))
    _shows_only_accepted(text, ACCEPTED, ACCEPTED_B)
    assert json.loads(_text(client.get(api + "/countries/DE")))["sources"] == 1
    assert json.loads(_text(client.get(api + "/countries/FR")))["position"] is None


def test_an_article_backed_only_by_an_unreviewed_sentence_is_not_in_the_api(client, record):
    c = make_article(f"Late news\n\n{NEW_SOURCE} again, said the quokka desk.")
    _extracted(c, NEW_SOURCE, country="DE", position="pledge", actor="Friedrich Merz")
    assert Evidence.objects.filter(article=c, status="proposed").exists()
    listed = json.loads(_text(client.get("/api/articles")))["results"]
    assert {a["id"] for a in listed} == {record.article_a, record.article_b}
    assert client.get(f"/api/articles/{c.pk}").status_code == 404
    # Nor is its page: an article no reviewed stance cites is not published yet.
    assert client.get(f"/articles/{c.pk}/").status_code == 404


def test_a_sentence_rejected_after_approval_is_not_told_another_way(client, curator):
    """The stance's summary is the extractor's sentence: once a curator rejected that
    sentence as evidence, no page or feed falls back on it."""
    article = make_article(f"Note\n\n{NEW_SOURCE}")
    _extracted(article, NEW_SOURCE, country="DE", position="pledge", actor="Friedrich Merz")
    stance = Stance.objects.get()
    from stances import services

    services.stances_review(stance_ids=[stance.pk], approve=True, user=curator)
    # Rejected by hand (as in the admin) after the stance was approved with it.
    stance.evidence.update(status="rejected")
    for url in (f"/stances/{stance.pk}/", TOPIC + "feed.atom", TOPIC + "de/feed.atom"):
        text = _text(client.get(url))
        assert "Germany" in text and "marmoset" not in text, url
