"""From raw input (a file's bytes, a fetched page) to a document ready to store: text, title,
date and outlet, each taken from the input where it says so and derived where it does not.

Every input that cannot become an article raises `Rejected` with a reason for curators.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit

import trafilatura
from charset_normalizer import from_bytes
from django.conf import settings

from .corpus import CorpusFormatError, corpus_parse, looks_like_corpus

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
# A page with fewer words than this is navigation, a teaser or a paywall, not an article.
MIN_WORDS = 25
TITLE_MAX = 300
# Dates stated near the top are the article's own; further down they are events it reports.
DATE_SEARCH_CHARS = 1500
EMPTY_FILE = "The file is empty."


class Rejected(Exception):
    """The input cannot become an article; `reason` says why, for curators."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Document:
    text: str
    title: str
    published: dt.date | None = None
    outlet: str | None = None
    url: str | None = None
    language: str = "en"


def _mb(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def size_refusal(size: int) -> str | None:
    limit = settings.INGEST_MAX_BYTES
    if size > limit:
        return f"The file is {_mb(size)}; the limit is {_mb(limit)}."
    return None


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(head) // 20


def _looks_like_html(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def _decode_text(data: bytes) -> str:
    """UTF-8 (or UTF-16 marked by its BOM). Other encodings are refused rather than guessed:
    a wrong guess would corrupt the evidence sentences that must be quoted verbatim."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise Rejected(
                "The file says it is UTF-16 but is cut short or damaged "
                f"(at byte {exc.start}). Save it as UTF-8 and ingest it again."
            ) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    guess = from_bytes(data[:65536]).best()
    looks = f" (it looks like {guess.encoding})" if guess else ""
    raise Rejected(
        f"The file is not UTF-8 text{looks}. Save it as UTF-8 and ingest it again."
    )


def title_from_text(text: str) -> str:
    """The first line that reads like a headline; else the opening words."""
    for line in text.splitlines()[:15]:
        line = line.strip()
        if len(line.split()) >= 4 and len(line) <= TITLE_MAX and not line.endswith((".", ":")):
            return line
    words = " ".join(text.split())
    return words if len(words) <= 80 else words[:79].rsplit(" ", 1)[0] + "…"


_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
)
# Only complete dates: a bare year or "last Friday" would be a guess, not a statement.
_FULL_DATE = re.compile(
    rf"\b(?:(?P<m1>{_MONTHS})\.? (?P<d1>\d{{1,2}}),? (?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}}) (?P<m2>{_MONTHS})\.?,? (?P<y2>\d{{4}})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))\b"
)


def date_from_text(text: str) -> dt.date | None:
    """The first complete date stated near the top of the text (a byline's "September 6,
    2025"), if it is a real date no later than today."""
    for match in _FULL_DATE.finditer(text[:DATE_SEARCH_CHARS]):
        try:
            if match["iso"]:
                found = dt.date.fromisoformat(match["iso"])
            else:
                month = (match["m1"] or match["m2"])[:3]
                day, year = match["d1"] or match["d2"], match["y1"] or match["y2"]
                found = dt.datetime.strptime(f"{day} {month} {year}", "%d %b %Y").date()
        except ValueError:
            continue
        if found <= dt.date.today():
            return found
    return None


def document_from_file(*, name: str, data: bytes) -> Document:
    """A corpus-format file, a plain text file or an HTML file."""
    if refusal := size_refusal(len(data)):
        raise Rejected(refusal)
    if not data.strip():
        raise Rejected(EMPTY_FILE)
    is_utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not is_utf16 and _looks_binary(data):
        raise Rejected(
            "The file is binary (an image, PDF, archive or similar), not text or HTML."
        )
    if PurePath(name).suffix.lower() in HTML_SUFFIXES or _looks_like_html(data):
        return document_from_html(data)
    raw = _decode_text(data)
    if "\x00" in raw:
        raise Rejected("The file is binary (it contains NUL characters), not text.")
    if looks_like_corpus(raw):
        try:
            parsed = corpus_parse(raw, id=PurePath(name).stem)
        except CorpusFormatError as exc:
            raise Rejected(f"The article header is not valid: {exc}.") from exc
        text = parsed.text.strip()
        if not text:
            raise Rejected("The file has a header but no article text.")
        return Document(
            text=text,
            title=(parsed.title or title_from_text(text))[:TITLE_MAX],
            published=parsed.published or date_from_text(text),
            outlet=parsed.outlet,
            url=parsed.url,
        )
    text = raw.strip()
    if not text:
        raise Rejected(EMPTY_FILE)
    return Document(text=text, title=title_from_text(text), published=date_from_text(text))


def outlet_from_url(url: str | None) -> str | None:
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or None


def document_from_html(
    data: bytes | str, *, url: str | None = None, charset: str | None = None
) -> Document:
    """Main text, title, date and outlet with trafilatura; the page's metadata and the text
    itself fill what it cannot find."""
    if isinstance(data, bytes) and charset:
        # The server's declared charset wins over guessing, as browsers do.
        with contextlib.suppress(LookupError):
            data = data.decode(charset, errors="replace")
    try:
        extracted = trafilatura.bare_extraction(
            data,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 - a broken page must not stop the batch
        raise Rejected(f"The page could not be read as HTML ({exc}).") from exc
    text = (extracted.text or "").strip() if extracted else ""
    if len(text.split()) < MIN_WORDS:
        raise Rejected(
            "No article text found on the page (it may be a front page, a paywall or a "
            "page that needs JavaScript)."
        )
    published = None
    if extracted.date:
        try:
            published = dt.date.fromisoformat(extracted.date[:10])
        except ValueError:
            published = None
    return Document(
        text=text,
        title=(extracted.title or title_from_text(text)).strip()[:TITLE_MAX],
        published=published or date_from_text(text),
        outlet=extracted.sitename or outlet_from_url(extracted.url or url),
        url=url,
        language=(extracted.language or "en")[:16],
    )

