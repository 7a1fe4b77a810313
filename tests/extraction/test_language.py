"""Language detection: extraction reads English only, so an article in another language
yields no claims and no candidates, in the evaluation as for stored articles
(tests/test_ingest_language.py). The paragraphs here were written for these tests."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from ingest.corpus import corpus_dir
from ingest.extraction import analyse
from ingest.extraction.evaluation import evaluate, report_lines
from ingest.extraction.language import (
    EXTRACTION_LANGUAGES,
    UNDETERMINED,
    detect_language,
    is_read,
    language_name,
    not_read_note,
)

HERE = Path(__file__).parent
CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus"

RUSSIAN = (
    "Министр иностранных дел России заявил в четверг, что Москва не допустит размещения "
    "войск стран НАТО на территории Украины. По его словам, любые иностранные военные на "
    "Украине станут законной целью. Тем временем Франция и Великобритания продолжают "
    "обсуждать план так называемых сил заверения, а Германия пока не приняла решения."
)
SPANISH = (
    "El Gobierno de España no enviará por ahora tropas a Ucrania, explicó la ministra de "
    "Defensa tras la cumbre de París. Madrid estudiará una contribución cuando haya un alto "
    "el fuego, pero insiste en que cualquier misión necesita un mandato claro. Francia y el "
    "Reino Unido, en cambio, están dispuestos a desplegar tropas en Ucrania."
)
# A Dutch report quoting an English line: read by the English rules, the quote alone would
# give three pledges.
DUTCH = (
    "Nederland is bereid militairen naar Oekraïne te sturen als onderdeel van een Europese "
    "vredesmacht, zei de minister van Defensie dinsdag in Den Haag. Het kabinet wil eerst "
    "weten welke rol de Verenigde Staten spelen. Polen stuurt geen troepen, maar biedt wel "
    "logistieke steun; Spain, Portugal and Belgium are ready to send troops, meldt Reuters."
)
ENGLISH = (
    "Spain, Portugal and Belgium are ready to send troops to Ukraine, their defence "
    "ministers said after the summit in Paris.\n"
    "Croatian Prime Minister Andrej Plenković said Croatia would not send troops."
)
FOREIGN = {"ru": RUSSIAN, "es": SPANISH, "nl": DUTCH}


def corpus_file(folder: Path, name: str, body: str) -> None:
    (folder / f"{name}.txt").write_text(
        f"url: unknown\ntitle: unknown\npublished: 2025-09-05\noutlet: unknown\n---\n{body}\n",
        encoding="utf-8",
    )


def gold_row(article: str, country: str, position: str) -> dict:
    return {"article": article, "country": country, "position": position, "actor": None,
            "date": None, "evidence": ""}


@pytest.mark.parametrize(("code", "text"), [*FOREIGN.items(), ("en", ENGLISH)])
def test_it_names_the_language_of_a_paragraph(code, text):
    assert detect_language(text) == code
    assert is_read(code) == (code in EXTRACTION_LANGUAGES) == (code == "en")


@pytest.mark.parametrize("text", [
    "", "   ", "2025-09-04", "NATO", "Croatia said no.",
    "Kyiv, Ukraine (AP) Zelenskyy Macron Starmer",
])
def test_text_too_short_or_without_words_is_undetermined_and_still_read(text):
    assert detect_language(text) == UNDETERMINED
    assert is_read(UNDETERMINED)


def test_the_answer_does_not_change_from_call_to_call():
    assert {detect_language(RUSSIAN) for _ in range(5)} == {"ru"}


def test_the_note_names_the_language():
    assert not_read_note("ru") == (
        "Written in Russian (ru): extraction reads English only; nothing was extracted."
    )
    assert language_name("nl") == "Dutch"
    assert language_name("el") == "Modern Greek"
    assert language_name("und") == "undetermined"
    assert language_name("zz") == "zz"


def test_the_dutch_paragraph_would_give_claims_if_it_were_read():
    """What the guard is for: the English rules match the English line inside it."""
    assert analyse(DUTCH, None).claims


def test_the_evaluation_reads_no_article_in_another_language(tmp_path):
    for code, text in FOREIGN.items():
        corpus_file(tmp_path, code, text)
    corpus_file(tmp_path, "en", ENGLISH)
    gold = [gold_row("ru", "RU", "rejection"), gold_row("es", "ES", "hedge"),
            gold_row("nl", "NL", "pledge"), gold_row("en", "ES", "pledge")]
    result = evaluate(corpus_dir(tmp_path), gold, corpus=str(tmp_path))
    predicted = {(f["article"], f["country"]) for f in result.false_alarms}
    assert not {article for article, _ in predicted} & set(FOREIGN)
    assert result.micro["tp"] == 1  # the English article, extracted as before
    assert {m["article"] for m in result.misses} == set(FOREIGN)  # gold still counts
    assert result.not_read == [{"article": "es", "language": "es"},
                               {"article": "nl", "language": "nl"},
                               {"article": "ru", "language": "ru"}]
    assert result.as_dict()["not_read"] == result.not_read
    lines = report_lines(result)
    assert "not read, not in English (3):" in lines and "  ru ru" in lines
    assert lines[-1].startswith("micro F1: ")


def test_the_evaluation_counts_no_candidates_from_another_language(tmp_path):
    corpus_file(tmp_path, "es", SPANISH + " France is ready to send troops.")
    result = evaluate(corpus_dir(tmp_path), [gold_row("es", "FR", "pledge")])
    assert result.predicted_claims == 0 and result.candidates == 0
    assert result.candidate_recall == 0.0


@pytest.mark.skipif(not (CORPUS / "dev-multilingual").is_dir(),
                    reason="../shared/corpus/dev-multilingual is not here")
def test_evaluate_extraction_predicts_nothing_on_the_articles_in_other_languages(tmp_path):
    folder = CORPUS / "dev-multilingual"
    gold = folder / "gold.jsonl"
    if not gold.is_file():
        gold = tmp_path / "gold.jsonl"
        gold.write_text("", encoding="utf-8")
    out, report = StringIO(), tmp_path / "report.json"
    call_command("evaluate_extraction", str(folder), "--gold", str(gold), "--json", str(report),
                 stdout=out)
    data = json.loads(report.read_text())
    assert data["predicted_claims"] == 0 and data["candidates"] == 0
    assert data["micro"]["fp"] == 0
    assert len(data["not_read"]) == data["articles"]
    assert {row["language"] for row in data["not_read"]} >= {"nl", "ru", "it", "es", "hu", "pt"}
    assert out.getvalue().splitlines()[-1] == "micro F1: 0.000"


ENGLISH_FOLDERS = [
    CORPUS / "dev", CORPUS / "seeds", *sorted(HERE.glob("heldout*")), HERE / "blind",
]


@pytest.mark.parametrize("folder", ENGLISH_FOLDERS, ids=lambda p: p.name)
def test_every_english_article_is_read_as_english(folder):
    """Headers, bylines, captions and page furniture do not hide the language."""
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here")
    documents = list(corpus_dir(folder))
    assert documents
    assert {d.id: detect_language(d.text) for d in documents} == {
        d.id: "en" for d in documents
    }
    # The whole file too, its header of url, title, date and outlet included.
    files = sorted(folder.glob("*.txt"))
    assert {p.stem: detect_language(p.read_text(encoding="utf-8")) for p in files} == {
        p.stem: "en" for p in files
    }
