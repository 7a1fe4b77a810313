"""The corpus file format (../shared/corpus/README.md): `key: value` header lines, a line
`---`, then the article body exactly as published. Unknown values are written `unknown`.

Both the ingest (files) and the extraction evaluation read articles through this module, so
an article evaluated is parsed exactly as an article ingested.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

HEADER_KEYS = frozenset({"url", "title", "published", "outlet"})
SEPARATOR = "---"
# A header is a handful of lines; looking further would mistake a body for one.
MAX_HEADER_LINES = 20


class CorpusFormatError(ValueError):
    """The text is not in the corpus format."""


@dataclass(frozen=True)
class CorpusDocument:
    id: str
    url: str | None
    title: str | None
    published: dt.date | None
    outlet: str | None
    text: str


def _value(raw: str) -> str | None:
    value = raw.strip()
    return None if not value or value.lower() == "unknown" else value


def looks_like_corpus(raw: str) -> bool:
    """True when the text opens with a corpus header: known keys, then `---`."""
    lines = raw.lstrip("\ufeff").splitlines()[: MAX_HEADER_LINES + 1]
    if SEPARATOR not in (line.strip() for line in lines):
        return False
    for line in lines:
        if line.strip() == SEPARATOR:
            return True
        key, sep, _ = line.partition(":")
        if not sep or key.strip().lower() not in HEADER_KEYS:
            return False
    return False


def corpus_parse(raw: str, *, id: str = "") -> CorpusDocument:
    """Split header and body. Raises CorpusFormatError when there is no header."""
    if not looks_like_corpus(raw):
        raise CorpusFormatError("no corpus header (key: value lines, then a line ---)")
    head, _, body = raw.lstrip("\ufeff").partition("\n" + SEPARATOR)
    # The body starts after the separator's own line end.
    body = body.split("\n", 1)[1] if "\n" in body else ""
    fields: dict[str, str | None] = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip().lower()] = _value(value)
    published = None
    if stated := fields.get("published"):
        try:
            published = dt.date.fromisoformat(stated)
        except ValueError as exc:
            raise CorpusFormatError(f"published is not an ISO date: {stated!r}") from exc
    return CorpusDocument(
        id=id,
        url=fields.get("url"),
        title=fields.get("title"),
        published=published,
        outlet=fields.get("outlet"),
        text=body,
    )


def corpus_read(path: Path) -> CorpusDocument:
    return corpus_parse(path.read_text(encoding="utf-8"), id=path.stem)


def corpus_dir(path: Path) -> Iterator[CorpusDocument]:
    """Every article file (`*.txt`) of a corpus folder, in name order."""
    for file in sorted(Path(path).glob("*.txt")):
        yield corpus_read(file)
