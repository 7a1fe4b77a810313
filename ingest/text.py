"""Text normalisation shared by deduplication and the demo loader."""

from __future__ import annotations

import hashlib
import re
import unicodedata

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
