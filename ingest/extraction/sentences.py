"""Paragraphs and sentences with their character offsets in the article."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .gazetteer import gazetteer

# A sentence ends at . ! or ? (with any closing quotes or brackets) followed by a space, or,
# where a page lost the space ("other support.Britain, France ..."), between a lower-case
# word of two letters or more and a capitalised word.
_BOUNDARY = re.compile(r"[.!?]+(?:[\"'”’)\]]*\s+|(?=[A-Z][a-z][a-z]))")
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


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """Lines, with a line that breaks a sentence in the middle joined to the next: real
    pages come hard-wrapped ("Kremlin\nspokesman Dmitry Peskov said ... had not\ndiscussed").
    A line ending without punctuation is continued when the next starts in lower case, or
    when it ends on a word that cannot end a sentence ("the", "of"), or is one or two words
    ("Chinese\nForeign Ministry spokesman"). A headline followed by its first sentence
    stays apart."""
    start = end = None
    for line in _PARAGRAPH.finditer(text):
        # A blank line always ends a paragraph.
        if start is not None and text[end : line.start()].count("\n") == 1 \
                and _continues(text[start:end], line.group()):
            end = line.end()
            continue
        if start is not None:
            yield start, end
        start, end = line.start(), line.end()
    if start is not None:
        yield start, end


_OPEN_END = re.compile(r"(?:^|\s)(?:the|a|an|of|to|in|on|at|for|and|or|but|with|by|from|that|"
                       r"its|his|her|their|our|is|are|was|were|has|have|had|will|would|"
                       r"could|should|not)$", re.IGNORECASE)
_CLOSED_END = re.compile(r"[.!?:;\"'”’)\]]\s*$")


def _continues(before: str, line: str) -> bool:
    before = before.rstrip()
    if not before or _CLOSED_END.search(before):
        return False
    first = line.lstrip()[:1]
    if first.islower():
        return True
    return bool(_OPEN_END.search(before)) or (
        len(before.rsplit("\n", 1)[-1].split()) <= 2 and first.isupper())


def sentences(text: str) -> Iterator[Sentence]:
    for number, (para_start, para_end) in enumerate(_paragraphs(text)):
        base = para_start
        body = text[para_start:para_end]
        start = len(body) - len(body.lstrip())
        for boundary in _BOUNDARY.finditer(body):
            dot = boundary.start()
            if boundary.end() == dot + 1 and not body[max(0, dot - 2) : dot].islower():
                continue  # no space: only after a lower-case word ("support.Britain")
            if not _ends_sentence(body, dot, boundary.end()):
                continue
            end = len(body[: boundary.end()].rstrip())
            if end > start:
                yield Sentence(base + start, base + end, number)
            start = boundary.end()
        end = len(body.rstrip())
        if end > start:
            yield Sentence(base + start, base + end, number)
