"""What the extractor reads in one sentence a curator picked: the countries it names (as
holders first), the actors, the date it would give the statement and whether it quotes.
Curators start from this when they record a stance the rules missed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .dates import explicit_date, statement_date
from .extractor import _DIGIT, _actors, _Article, _countries, _quoted
from .gazetteer import gazetteer, normalise, word_starts
from .sentences import sentences


@dataclass(frozen=True)
class Reading:
    countries: tuple[str, ...]  # ISO codes, the holders of a stance first
    actors: tuple[str, ...]  # names, as the extractor knows them or the text introduces them
    date: dt.date | None
    date_precision: str
    quote: bool


def read_sentence(text: str, published: dt.date | None, start: int, end: int) -> Reading:
    g = gazetteer()
    norm = normalise(text)
    sn = norm[start:end]
    # "A day later" counts from the last full date the article stated before the sentence.
    anchor = None
    for sentence in sentences(text):
        if sentence.start >= start:
            break
        before = norm[sentence.start : sentence.end]
        if _DIGIT.search(before) and (found := explicit_date(before, published)):
            anchor = found
    date, precision = statement_date(sn, published, anchor)
    mentions = _countries(sn, g)
    known = [(m.start(), m.end(), m.group()) for m in word_starts(g.actor_re, sn)]
    actors = _actors(sn, g, _Article(surnames={}), known)
    countries = [c for m in mentions if m.holder for c in m.countries]
    countries += [c for m in mentions if not m.holder for c in m.countries]
    countries += [a.country for a in actors if a.country]
    return Reading(
        countries=tuple(dict.fromkeys(countries)),
        actors=tuple(dict.fromkeys(a.name for a in actors)),
        date=date,
        date_precision=precision,
        quote=bool(_quoted(sn, False)[0]),
    )


def sentence_at(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The whole sentences a span touches, as (start, end) in the text: a selection made
    with the mouse snaps to them. None when it touches none."""
    touched = [s for s in sentences(text) if s.end > start and s.start < max(end, start + 1)]
    if not touched:
        return None
    return touched[0].start, touched[-1].end
