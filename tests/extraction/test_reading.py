"""What the extractor reads in one sentence a curator picked, and how a selection snaps."""

import datetime as dt

from ingest.extraction.reading import read_sentence, sentence_at

TEXT = (
    "World News\n\nParis, 3 September 2025. Leaders met.\n"
    'A day later, "We are ready," French President Emmanuel Macron said of Britain and '
    "Germany, as Chancellor Friedrich Merz listened. Poland declined."
)
SENTENCE = TEXT[TEXT.index("A day") : TEXT.index(" Poland")]


def test_it_reads_countries_actors_the_date_and_a_quote():
    start = TEXT.index(SENTENCE)
    reading = read_sentence(TEXT, dt.date(2025, 9, 5), start, start + len(SENTENCE))
    assert reading.countries == ("FR", "GB", "DE")
    assert reading.actors == ("Emmanuel Macron", "Friedrich Merz")
    # "A day later" counts from the date the article stated before.
    assert (reading.date, reading.date_precision) == (dt.date(2025, 9, 4), "day")
    assert reading.quote is True


def test_without_a_date_in_the_sentence_it_is_the_publication_approximately():
    text = "Poland declined to send troops."
    reading = read_sentence(text, dt.date(2025, 9, 5), 0, len(text))
    assert (reading.countries, reading.actors, reading.quote) == (("PL",), (), False)
    assert (reading.date, reading.date_precision) == (dt.date(2025, 9, 5), "approximate")


def test_a_selection_snaps_to_the_whole_sentences_it_touches():
    start = TEXT.index(SENTENCE)
    end = start + len(SENTENCE)
    assert sentence_at(TEXT, start + 20, start + 25) == (start, end)
    poland = TEXT.index("Poland declined.")
    assert sentence_at(TEXT, start + 20, poland + 3) == (start, len(TEXT))
    assert sentence_at(TEXT, 0, 1) == (0, len("World News"))
    assert sentence_at(TEXT, len(TEXT) + 5, len(TEXT) + 9) is None
