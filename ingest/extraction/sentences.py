"""Paragraphs and sentences with their character offsets in the article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .gazetteer import gazetteer

# A sentence ends at . ! or ? (with any closing quotes or brackets) followed by a space.
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+")
_PARAGRAPH = re.compile(r"[^\n]+")
_LAST_WORD = re.compile(r"([\w.'-]+)$")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int


def _ends_sentence(paragraph: str, dot: int, nxt: int) -> bool:
    """Is the boundary at `dot` a real end? Not after an abbreviation or an initial, and
    not when the next sentence would start in lower case."""
    following = paragraph[nxt : nxt + 2].lstrip("\"'“‘(•-– ")
    if following[:1].islower():
        return False
    if paragraph[dot] != ".":
        return True
    match = _LAST_WORD.search(paragraph, max(0, dot - 40), dot)
    if not match:
        return True
    word = match.group(1).lower().rstrip(".")
    if word in gazetteer().abbreviations:
        return False
    # An initial ("J. D. Vance") or an acronym with dots ("U.S.").
    return not (len(word) == 1 and word.isalpha()) and "." not in word


def sentences(text: str) -> Iterator[Sentence]:
    for number, para in enumerate(_PARAGRAPH.finditer(text)):
        base = para.start()
        body = para.group()
        start = len(body) - len(body.lstrip())
        for boundary in _BOUNDARY.finditer(body):
            if not _ends_sentence(body, boundary.start(), boundary.end()):
                continue
            end = len(body[: boundary.end()].rstrip())
            if end > start:
                yield Sentence(base + start, base + end, number)
            start = boundary.end()
        end = len(body.rstrip())
        if end > start:
            yield Sentence(base + start, base + end, number)
