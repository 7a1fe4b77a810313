"""When a statement was made: a date the sentence states, a weekday or a relative phrase
resolved against the publication date, else the publication date itself (approximate)."""

from __future__ import annotations

import datetime as dt
import re

# The values of stances.models.DatePrecision, spelt out so that extraction runs without
# Django (tests check they agree).
DAY, APPROXIMATE, UNKNOWN = "day", "approximate", "unknown"

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
    r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_EXPLICIT = re.compile(
    rf"\b(?:{_MONTH}\s+{_DAY}{_YEAR}|{_DAY.replace('day>', 'day2>')}\s+(?:of\s+)?"
    rf"{_MONTH.replace('month>', 'month2>')}{_YEAR.replace('year>', 'year2>')})\b"
)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY = re.compile(
    r"\b(?:on|last|this past|late on|early on)\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b",
    re.IGNORECASE,
)
_RELATIVE = re.compile(
    r"\b(?P<word>yesterday|today|last night|last week|last month|earlier this week|"
    r"the (?P<near>previous|following|next) day|the day (?P<near2>before|after)|"
    r"(?P<ago>a|one|two|three|four|five|six|\d+)\s+(?P<unit>days?|weeks?)\s+ago|"
    r"(?P<count>a|one|two|three|\d+)\s+days?\s+(?P<dir>after|later|before|earlier))\b",
    re.IGNORECASE,
)
# "in August", "in March 2025": the month, approximately (its first day).
_IN_MONTH = re.compile(
    r"\b(?i:in|since|during|early|late|mid-?)\s+" + _MONTH.replace("?P<month>", "?P<alone>")
    + r"(?:\s+(?P<year>(?:19|20)\d\d))?\b(?!\s+[0-3]?\d\b)"
)
_COUNTS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def explicit_date(text: str, published: dt.date | None) -> dt.date | None:
    """The first full calendar date in the text; a date without a year takes the year that
    puts it on or before the publication (unknown without one)."""
    for match in _EXPLICIT.finditer(text):
        month = (match.group("month") or match.group("month2"))[:3].lower()
        day = int(match.group("day") or match.group("day2"))
        year = match.group("year") or match.group("year2")
        if year is None:
            if published is None:
                continue
            year = published.year
            try:
                if dt.date(int(year), _MONTHS[month], day) > published + dt.timedelta(days=7):
                    year = int(year) - 1
            except ValueError:
                continue
        try:
            return dt.date(int(year), _MONTHS[month], day)
        except ValueError:
            continue
    return None


def statement_date(
    text: str, published: dt.date | None, anchor: dt.date | None = None
) -> tuple[dt.date | None, str]:
    """(date, precision) for a statement reported in `text`. `anchor` is the last date the
    article stated before this sentence, for "a day after"."""
    if found := explicit_date(text, published):
        return found, DAY
    if match := _RELATIVE.search(text):
        word = match.group("word").lower()
        near = (match.group("near") or match.group("near2") or "").lower()
        if near:
            base = anchor or published
            if base is not None:
                sign = -1 if near in ("previous", "before") else 1
                return base + dt.timedelta(days=sign), DAY
        elif match.group("ago"):
            if published is not None:
                count = match.group("ago").lower()
                number = _COUNTS.get(count) or int(count)
                if match.group("unit").lower().startswith("day"):
                    return published - dt.timedelta(days=number), DAY
                return published - dt.timedelta(weeks=number), APPROXIMATE
        elif match.group("count"):
            base = anchor or published
            if base is not None:
                count = match.group("count").lower()
                days = _COUNTS.get(count) or int(count)
                sign = 1 if match.group("dir").lower() in ("after", "later") else -1
                return base + dt.timedelta(days=sign * days), DAY
        elif published is not None:
            if word in ("yesterday", "last night"):
                return published - dt.timedelta(days=1), DAY
            if word == "today":
                return published, DAY
            if word == "last month":
                first = published.replace(day=1)
                return (first - dt.timedelta(days=1)).replace(day=1), APPROXIMATE
            return published - dt.timedelta(days=7), APPROXIMATE
    if published is not None and (match := _IN_MONTH.search(text)):
        month = _MONTHS[match.group("alone")[:3].lower()]
        year = int(match.group("year") or published.year)
        if not match.group("year") and month > published.month:
            year -= 1
        return dt.date(year, month, 1), APPROXIMATE
    if published is not None and (match := _WEEKDAY.search(text)):
        weekday = _WEEKDAYS.index(match.group("weekday").lower())
        back = (published.weekday() - weekday) % 7
        return published - dt.timedelta(days=back), DAY
    if published is not None:
        return published, APPROXIMATE
    return None, UNKNOWN
