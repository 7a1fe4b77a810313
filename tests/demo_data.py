"""What the demo dataset says, read from the file `load_demo` loads, so that tests of the
demo follow the data rather than a copy of it."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache

from stances.services import DEMO_FILE


@dataclass(frozen=True)
class DemoStatement:
    url: str
    country: str
    actor: str | None
    official: bool
    position: str
    date: dt.date
    sentence: str


@cache
def demo_file() -> dict:
    return tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))


def demo_statements() -> list[DemoStatement]:
    data = demo_file()
    official = {row["name"]: row.get("official", False) for row in data.get("actor", [])}
    return [
        DemoStatement(
            url=article["url"],
            country=claim["country"],
            actor=claim.get("actor"),
            # A statement with no named actor counts towards the official line.
            official=official.get(claim["actor"], False) if claim.get("actor") else True,
            position=claim["position"],
            date=claim["date"],
            sentence=claim["sentence"],
        )
        for article in data["article"]
        for claim in article["stance"]
    ]


def official_positions(iso2: str) -> list[tuple[dt.date, str]]:
    """The country's official line in the demo, oldest first."""
    return sorted(
        (s.date, s.position) for s in demo_statements() if s.country == iso2 and s.official
    )


def a_country_that_changed_position() -> str:
    """A country whose official line in the demo moved from one position to another."""
    for iso2 in sorted({s.country for s in demo_statements()}):
        if len({position for _, position in official_positions(iso2)}) > 1:
            return iso2
    raise AssertionError("the demo data shows no country changing its position")


def as_printed(date: dt.date) -> str:
    """A date as the pages print it: 4 Sep 2025."""
    return f"{date.day} {date:%b %Y}"
