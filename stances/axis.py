"""A date axis: the scale the country timeline and the compare page draw on.

Dates map to percentages of the track, so an SVG keeps its text upright at any width (the
bands do the same). A day is a slot: a statement sits in the middle of its day, a band
covers whole days, and a span of one day is still a visible width.

Ticks are chosen from the span (days, weeks, months, quarters or years), few enough that
their labels never overlap on a desktop; every other one is "minor" and hidden on a phone
(see app.css), which leaves a label per quarter of the width at most.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join

# Labels a desktop track (about 700px and wider) shows without crowding: about 100px each.
MAX_TICKS = 7
# Below this many days the axis widens around its dates: a single day is not a scale.
MIN_DAYS = 7
# A tick label this close (in % of the track) to either end is anchored to its tick by
# the end nearer the edge, or it would spill past the track on a phone.
EDGE = 12.0


@dataclass(frozen=True)
class Tick:
    day: dt.date
    x: float
    label: str
    minor: bool = False
    anchor: str = "middle"


@dataclass
class Axis:
    start: dt.date  # first day shown
    end: dt.date  # last day shown (included)
    until: dt.date  # the day the record is drawn to: today ("present") or as_of
    end_label: str  # "present", or "as of 5 Sep 2025"
    ticks: list[Tick] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def edge(self, day: dt.date) -> float:
        """Where `day` begins, in % of the track (may fall outside 0-100)."""
        return round(100 * (day - self.start).days / self.days, 3)

    def x(self, day: dt.date) -> float:
        """The middle of `day`: where a statement of that day is drawn."""
        return round(100 * ((day - self.start).days + 0.5) / self.days, 3)

    def shows(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def span(self, first: dt.date, after: dt.date) -> tuple[float, float] | None:
        """The days from `first` up to (not including) `after`, clipped to the track, as
        (x, width) in %; None when none of them is shown."""
        left, right = max(self.edge(first), 0.0), min(self.edge(after), 100.0)
        if right <= left:
            return None
        return left, round(right - left, 3)

    @property
    def end_x(self) -> float | None:
        """Where the record ends ("present" or the as_of day), if it is on the track."""
        return self.edge(self.until + dt.timedelta(days=1)) if self.shows(self.until) else None

    @property
    def end_anchor(self) -> str:
        x = self.end_x or 0
        return "end" if x > 100 - 2 * EDGE else ("start" if x < 2 * EDGE else "middle")


def make_axis(
    start: dt.date, end: dt.date, *, until: dt.date, as_of: dt.date | None = None
) -> Axis:
    """The axis from `start` to `end` (both included), the record drawn to `until`."""
    if end < start:
        start, end = end, start
    days = (end - start).days + 1
    if days < MIN_DAYS:
        before = (MIN_DAYS - days) // 2
        start -= dt.timedelta(days=before)
        end += dt.timedelta(days=MIN_DAYS - days - before)
    label = f"as of {as_of:%-d %b %Y}" if as_of else "present"
    axis = Axis(start=start, end=end, until=until, end_label=label)
    axis.ticks = _ticks(axis)
    return axis


def _months(first: dt.date, step: int) -> Iterator[dt.date]:
    index = first.year * 12 + first.month - 1 + (first.day > 1)
    index += -index % step  # the first month on the step (quarters start in Jan, Apr...)
    while True:
        yield dt.date(index // 12, index % 12 + 1, 1)
        index += step


def _days(first: dt.date, step: int) -> Iterator[dt.date]:
    day = first
    if step == 7:
        day += dt.timedelta(days=-day.weekday() % 7)  # Mondays
    while True:
        yield day
        day += dt.timedelta(days=step)


def _years(first: dt.date, step: int) -> Iterator[dt.date]:
    year = first.year + (first > dt.date(first.year, 1, 1))
    year += -year % step
    while True:
        yield dt.date(year, 1, 1)
        year += step


def _day_label(day: dt.date, first: bool) -> str:
    return f"{day:%-d %b %Y}" if first or (day.month == 1 and day.day <= 7) else f"{day:%-d %b}"


def _month_label(day: dt.date, first: bool) -> str:
    return f"{day:%b %Y}" if first or day.month == 1 else f"{day:%b}"


def _quarter_label(day: dt.date, first: bool) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def _year_label(day: dt.date, first: bool) -> str:
    return str(day.year)


LabelFn = Callable[[dt.date, bool], str]

# From the finest to the coarsest: the first that fits MAX_TICKS labels is used.
UNITS = [
    (_days, 1, _day_label),
    (_days, 2, _day_label),
    (_days, 7, _day_label),
    (_months, 1, _month_label),
    (_months, 3, _quarter_label),
    *((_years, step, _year_label) for step in (1, 2, 5, 10, 20, 50, 100)),
]


def _tick_days(axis: Axis) -> tuple[list[dt.date], LabelFn]:
    """The finest unit's ticks that fit MAX_TICKS, and how to label them. A tick marks
    where its day (month, year...) begins, from the second day on: one at the very left
    edge would say nothing the first label does not."""
    first = axis.start + dt.timedelta(days=1)
    days: list[dt.date] = []
    for series, step, label in UNITS:
        days = list(itertools.islice(itertools.takewhile(
            lambda day: day <= axis.end, series(first, step)), MAX_TICKS + 1))
        if len(days) <= MAX_TICKS:
            return days, label
    return days[:MAX_TICKS], _year_label


def _ticks(axis: Axis) -> list[Tick]:
    days, label = _tick_days(axis)
    ticks = []
    for i, day in enumerate(days):
        x = axis.edge(day)
        anchor = "start" if x < EDGE else ("end" if x > 100 - EDGE else "middle")
        minor = len(days) > 3 and i % 2 == 1
        ticks.append(Tick(day=day, x=x, label=label(day, i == 0), minor=minor, anchor=anchor))
    return ticks


def ticks_svg(axis: Axis) -> str:
    """The tick marks and their labels, and on a second line where the record ends."""
    marks = format_html_join(
        "",
        '<g class="tick{}"><line x1="{}%" x2="{}%" y1="0" y2="6"/>'
        '<text x="{}%" y="20" text-anchor="{}">{}</text></g>',
        (
            (" tick-minor" if t.minor else "", t.x, t.x, t.x, t.anchor, t.label)
            for t in axis.ticks
        ),
    )
    end = ""
    if (x := axis.end_x) is not None:
        end = format_html(
            '<g class="axis-end"><line x1="{}%" x2="{}%" y1="0" y2="28"/>'
            '<text x="{}%" y="40" text-anchor="{}">{}</text></g>',
            x, x, x, axis.end_anchor, axis.end_label,
        )
    return format_html('<line class="axis-line" x1="0" x2="100%" y1="0" y2="0"/>{}{}', marks, end)
