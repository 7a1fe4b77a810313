import datetime as dt

import pytest

from ingest.corpus import CorpusFormatError, corpus_parse, looks_like_corpus

ARTICLE = """url: https://example.org/a/1
title: unknown
published: 2025-09-06
outlet: Example News
---
Headline

Body line one.
"""


def test_header_and_body_are_split_and_unknown_is_none():
    doc = corpus_parse(ARTICLE, id="a1")
    assert doc.url == "https://example.org/a/1"
    assert doc.title is None
    assert doc.published == dt.date(2025, 9, 6)
    assert doc.outlet == "Example News"
    assert doc.text == "Headline\n\nBody line one.\n"


def test_plain_text_is_not_mistaken_for_the_corpus_format():
    assert not looks_like_corpus("Headline\n---\nA story about troops: none.")
    with pytest.raises(CorpusFormatError):
        corpus_parse("just a story")


def test_a_bad_published_date_is_a_format_error():
    with pytest.raises(CorpusFormatError, match="ISO date"):
        corpus_parse(ARTICLE.replace("2025-09-06", "yesterday"))


def test_corpus_dir_reads_the_seeds_in_name_order(settings):
    from pathlib import Path

    from ingest.corpus import corpus_dir

    seeds = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/corpus/seeds is not beside the project")
    docs = list(corpus_dir(seeds))
    assert len(docs) == 5
    assert [d.id for d in docs] == sorted(d.id for d in docs)
    assert all(d.text.strip() for d in docs)
