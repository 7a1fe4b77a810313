"""The language an article is written in, so that English-only extraction reads only English.

`detect_language(text)` names the language with py3langid (a naive Bayes classifier over
byte n-grams whose model ships inside the package: nothing is downloaded, and the same text
always gets the same answer). It answers an ISO 639-1 code, or "und" (undetermined) when the
text has too few letters or no language stands out.

The rules of the extractor are English, so an article in another language is not read at
all: English cues do not match Dutch or Russian sentences, but country names, numbers and
borrowed words do, and claims made from them would be invented. Undetermined text is read:
a line too short to name its language is too short to invent much, and English headlines
and one-liners stay extracted.
"""

from __future__ import annotations

import re
from functools import cache

EXTRACTION_LANGUAGES = frozenset({"en"})
UNDETERMINED = "und"

# Fewer letters than this, and a language cannot be told reliably (an English line of
# country names looks Estonian as often as English).
MIN_LETTERS = 30
# The classifier's probability for its best language, under which it is undetermined. Real
# paragraphs score above 0.99; short mixed lines (a byline, a dateline) score far lower.
MIN_CONFIDENCE = 0.8
# The start of the text is enough to tell its language, and bounds the time on long texts
# (the classifier walks every byte in Python).
SAMPLE_CHARS = 2000

_LETTER = re.compile(r"[^\W\d_]")


@cache
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(
        MODEL_FILE, norm_probs=True, min_confidence=MIN_CONFIDENCE
    )
    # Only languages with an ISO 639-1 code: the model's other labels (Nigerian Pidgin,
    # regional varieties, "no linguistic content") would otherwise take plain English
    # bylines and datelines, and are not what Article.language holds.
    identifier.set_languages([code for code in identifier.labels if len(code) == 2])
    return identifier


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the language `text` is written in, or "und"."""
    sample = text[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return UNDETERMINED
    code, _confidence = _identifier().classify(sample)
    return code


def is_read(language: str) -> bool:
    """Whether extraction reads text in `language` (undetermined text is read)."""
    return language in EXTRACTION_LANGUAGES or language == UNDETERMINED


@cache
def language_name(code: str) -> str:
    """"Russian" for "ru"; the code itself when it names no known language."""
    import pycountry

    if code == UNDETERMINED:
        return "undetermined"

    language = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    if language is None:
        return code
    # pycountry's "Modern Greek (1453-)", "Dutch; Flemish": the first plain name.
    return re.sub(r"\s*\(.*?\)", "", language.name.split(";")[0]).strip()


def not_read_note(code: str) -> str:
    """What a curator reads on an article that extraction did not read."""
    return (
        f"Written in {language_name(code)} ({code}): extraction reads English only; "
        "nothing was extracted."
    )
