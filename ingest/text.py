"""Text and URL normalisation shared by deduplication and the demo loader."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit

from courlan import normalize_url
from simhash import Simhash

_WS = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """The form two copies of one story share: NFKC, case-folded, whitespace collapsed.

    Typographic quotes and dashes fold to plain ones, so a re-encoded copy hashes alike.
    """
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_PUNCT_FOLD)
    return _WS.sub(" ", text).strip().casefold()


_PUNCT_FOLD = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def url_canonical(url: str) -> str:
    """One spelling per page: scheme and host lower-cased, default port, tracking parameters
    (utm_*, fbclid, ...) and the fragment dropped, the remaining parameters sorted."""
    url = url.strip()
    try:
        url = normalize_url(url)
    except ValueError:
        return url if is_web_url(url) else ""
    parts = urlsplit(url)
    if not is_web_url(url):
        # "javascript:alert(1)", "data:...", "file:///...": never stored, never linked.
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def is_web_url(url: str) -> bool:
    """Only http and https addresses are stored as a source and linked."""
    parts = urlsplit(url.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


_WORD = re.compile(r"\w+")
# Texts shorter than this have too few shingles for a fingerprint to mean anything.
SIMHASH_MIN_WORDS = 40


def text_simhash(text: str) -> int | None:
    """64-bit SimHash over word 3-shingles: near-identical texts differ in few bits."""
    words = _WORD.findall(normalise_text(text))
    if len(words) < SIMHASH_MIN_WORDS:
        return None
    return Simhash([" ".join(words[i : i + 3]) for i in range(len(words) - 2)]).value


def bits_apart(a: int, b: int) -> int:
    return (a ^ b).bit_count()
