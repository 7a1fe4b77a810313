"""Stance extraction: article text in, proposed claims (country, position, actor, date,
evidence sentence with offsets) out. Pure Python: no database, no network.

    from ingest.extraction import extract, EXTRACTOR_VERSION
    claims = extract(article.text, article.published)

The language knowledge is data (data/*.toml); the logic is in extractor.py.
"""

from .extractor import EXTRACTOR_VERSION, Candidate, Claim, Extraction, analyse, extract

__all__ = ["EXTRACTOR_VERSION", "Candidate", "Claim", "Extraction", "analyse", "extract"]
