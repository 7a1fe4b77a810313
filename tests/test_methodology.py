"""The methodology page states the rules and quotes the measured figures, as recorded from
the evaluation command's JSON; bad JSON is refused with the reason."""

import json

import pytest
from django.core.management import CommandError, call_command

from stances.models import ExtractionEvaluation

pytestmark = pytest.mark.django_db

PAGE = "/t/ukraine-troop-deployment/methodology/"


def evaluation(**override) -> dict:
    scores = {"precision": 0.5, "recall": 0.25, "f1": 0.33, "tp": 10, "fp": 10, "fn": 30}
    data = {
        "extractor_version": "0.3.1",
        "corpus": "../shared/corpus/seeds",
        "articles": 5,
        "gold_claims": 42,
        "predicted_claims": 20,
        "micro": {"precision": 0.875, "recall": 0.8333, "f1": 0.8537, "tp": 35, "fp": 5, "fn": 7},
        "per_position": {"pledge": scores, "hedge": scores, "rejection": scores},
        "agreement": {"actor": 0.9, "date": 0.8, "evidence": 0.95},
        "candidate_recall": 0.912,
        "candidates": 37,
        "inverted_positions": 3,
        "misses": [],
        "false_alarms": [],
    }
    data.update(override)
    return data


def record(tmp_path, data) -> str:
    path = tmp_path / "evaluation.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return str(path)


def test_without_an_evaluation_the_page_says_so(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        html = client.get(PAGE).content.decode()
    assert "No evaluation has been recorded yet" in html
    assert "official line" in html and "disputed" in html
    assert "How extraction works" in html


def test_the_page_shows_the_definitions_of_the_topic(client, topic):
    html = client.get(PAGE).content.decode()
    for _value, _label, definition in topic.definitions():
        assert definition[:40] in html


def test_recorded_figures_appear_with_date_and_version(client, tmp_path, capsys):
    call_command("record_evaluation", record(tmp_path, evaluation()))
    assert "precision 0.88, recall 0.83" in capsys.readouterr().out
    html = client.get(PAGE).content.decode()
    assert "0.3.1" in html and "../shared/corpus/seeds" in html
    table = html[html.index('id="evaluation"') :]
    assert "0.88" in table and "0.83" in table and "0.85" in table
    assert "35 / 7 / 5" in table
    assert "0.50" in table and "0.25" in table
    recorded = ExtractionEvaluation.objects.get()
    assert recorded.recorded_at.strftime("%-d %b %Y") in html


def test_what_reaches_a_curator_is_shown_beside_precision_and_recall(client, tmp_path):
    call_command("record_evaluation", record(tmp_path, evaluation()))
    html = client.get(PAGE).content.decode()
    assert "Candidate recall" in html and "inverted position" in html
    figures = html[html.index('class="stances curator-figures"') :]
    figures = figures[: figures.index("</table>")]
    cells = [cell.split("</td>")[0] for cell in figures.split("<td>")[1:]]
    # Candidate recall, candidates per article (37 over 5 articles), inverted positions.
    assert cells == ["0.91", "7.4", "3"]


def test_an_evaluation_recorded_before_those_figures_shows_without_them(client, tmp_path):
    older = evaluation()
    for key in ("candidate_recall", "candidates", "inverted_positions"):
        del older[key]
    call_command("record_evaluation", record(tmp_path, older))
    html = client.get(PAGE).content.decode()
    assert "35 / 7 / 5" in html
    assert "curator-figures" not in html


def test_the_latest_evaluation_is_the_one_shown(client, tmp_path):
    call_command("record_evaluation", record(tmp_path, evaluation()))
    micro = {"precision": 0.99, "recall": 0.97, "f1": 0.98, "tp": 41, "fp": 0, "fn": 1}
    call_command(
        "record_evaluation", record(tmp_path, evaluation(extractor_version="0.4.0", micro=micro))
    )
    html = client.get(PAGE).content.decode()
    assert "0.4.0" in html and "0.99" in html and "0.3.1" not in html


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ("{not json", "is not JSON"),
        ("[1, 2]", "must be a JSON object"),
        (evaluation(micro={"precision": 1.5}), "micro.precision must be between 0 and 1"),
        (evaluation(extractor_version=""), "extractor_version must be a non-empty string"),
        (evaluation(per_position={"maybe": {}}), "unknown position 'maybe'"),
        (evaluation(articles=-1), "articles must be a whole count"),
        (evaluation(candidate_recall=1.2), "candidate_recall must be between 0 and 1"),
        (evaluation(candidate_recall="high"), "candidate_recall must be between 0 and 1"),
        (evaluation(candidates=2.5), "candidates must be a whole count"),
        (evaluation(inverted_positions=-1), "inverted_positions must be a whole count"),
    ],
)
def test_bad_evaluations_are_refused_with_the_reason(tmp_path, data, reason):
    with pytest.raises(CommandError, match=reason):
        call_command("record_evaluation", record(tmp_path, data))
    assert not ExtractionEvaluation.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("record_evaluation", str(tmp_path / "absent.json"))


def test_methodology_default_redirects(client):
    assert client.get("/methodology/")["Location"] == PAGE


def test_each_corpus_shows_its_latest_evaluation_with_what_it_is(client, tmp_path):
    """Figures on the development sets and on a held-out set all show, each labelled."""
    call_command("record_evaluation", record(tmp_path, evaluation()), "--description",
                 "articles the rules were developed on")
    dev = {"precision": 0.65, "recall": 0.48, "f1": 0.555, "tp": 73, "fp": 39, "fn": 78}
    call_command(
        "record_evaluation",
        record(tmp_path, evaluation(corpus="../shared/corpus/dev", articles=38, micro=dev,
                                    candidate_recall=0.903, candidates=193,
                                    inverted_positions=6)),
        "--description",
        "real news the rules were developed on (developed-on: figures overstate quality on "
        "new text)",
    )
    micro = {"precision": 0.7, "recall": 0.6, "f1": 0.646, "tp": 6, "fp": 3, "fn": 4}
    call_command(
        "record_evaluation",
        record(tmp_path, evaluation(corpus="tests/extraction/blind", micro=micro)),
        "--description", "held out: never used to tune the rules",
    )
    newer = {"precision": 0.8, "recall": 0.7, "f1": 0.747, "tp": 7, "fp": 2, "fn": 3}
    call_command(
        "record_evaluation",
        record(tmp_path, evaluation(corpus="tests/extraction/blind", micro=newer)),
        "--description", "held out: never used to tune the rules",
    )
    html = client.get(PAGE).content.decode()
    assert "Articles the rules were developed on" in html
    assert html.count("Held out: never used to tune the rules") == 1
    blind = html[html.index("Held out") : html.index("Real news the rules")]
    assert "0.80" in blind and "0.75" in blind and "7 / 3 / 2" in blind
    assert "6 / 4 / 3" not in html  # the older blind evaluation
    real = html[html.index("Real news the rules") : html.index("Articles the rules")]
    assert "(developed-on: figures overstate quality on new text)" in real
    assert "73 / 78 / 39" in real and "0.56" in real
    assert "<td>0.90</td><td>5.1</td><td>6</td>" in real
    assert "overstate" in html
