"""The overview's chart: monthly counts of countries per position, its axes, and the steps
(months where a country's position changed) that readers hover or tab to.

The chart is part of the cached overview, so it keeps only what it must: the counts and,
per month, the countries that changed. The lists of countries behind each count are
replayed from those changes when the chart is drawn (a few hundred countries over a few
hundred months would otherwise be a list per month of every country).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from .models import Position

POSITIONS = list(Position.values)
CHART_MONTHS = 240
SYMBOLS = {"pledge": "✔", "hedge": "◐", "rejection": "✖"}
# The pages' palette (static/css/app.css) and each line's dash, written into the SVG too:
# a downloaded file has no stylesheet, and a dash tells the lines apart without colour.
COLOURS = {"pledge": "#0b5cad", "hedge": "#805b10", "rejection": "#9e1f63"}
DASHES = {"pledge": "", "hedge": "8 3", "rejection": "2 3"}
# Readable steps for the count axis, and for the month axis (in months).
Y_STEPS = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)
X_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
MAX_X_LABELS = 10  # at least ~57 units apart on a 576-unit axis: never overlapping
MAX_Y_TICKS = 5
NAMES_IN_LABEL = 12  # countries named per count in a step's tooltip; the table names all
TIP_CHARS = 52  # a line of the drawn tooltip, at the chart's font size


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _months_before(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1) if index >= 12 else dt.date(1, 1, 1)


@dataclass
class Step:
    """A month where at least one country's official line changed position."""

    index: int
    month: dt.date
    x: float
    x0: float  # the stretch of the x axis over which these counts hold (for hovering)
    x1: float
    held: dict[str, list[str]]  # position: the countries holding it, by name
    changed: list[tuple[str, str, str]]  # (country, before, after); before "" = first
    tip_x: float = 0.0
    tip_y: float = 0.0
    band_height: float = 0.0

    @property
    def width(self) -> float:
        return round(max(self.x1 - self.x0, 4), 1)

    @property
    def tip_rows(self) -> list[tuple[float, float, str]]:
        """(x, y, text) of each drawn line of the tooltip."""
        return [
            (round(self.tip_x + 8, 1), round(self.tip_y + 18 + 16 * k, 1), line)
            for k, line in enumerate(self.tip_lines)
        ]

    @property
    def anchor(self) -> str:
        return f"chart-{self.month:%Y-%m}"

    @property
    def changed_words(self) -> list[str]:
        return [_changed(name, before, after) for name, before, after in self.changed]

    @property
    def label(self) -> str:
        """What the tooltip (and a screen reader) says: the month, each count with the
        countries behind it, and what changed."""
        parts = []
        for p in POSITIONS:
            names = self.held[p]
            listed = ", ".join(names[:NAMES_IN_LABEL])
            if len(names) > NAMES_IN_LABEL:
                listed += f" and {len(names) - NAMES_IN_LABEL} more"
            parts.append(f"{p} {len(names)}" + (f" ({listed})" if names else ""))
        changed = self.changed_words
        text = ", ".join(changed[:NAMES_IN_LABEL])
        if len(changed) > NAMES_IN_LABEL:
            text += f" and {len(changed) - NAMES_IN_LABEL} more"
        return f"{self.month:%b %Y}: " + ", ".join(parts) + f"; changed: {text}"

    @property
    def tip_lines(self) -> list[str]:
        """The drawn tooltip: short lines, each list cut to fit with "+n more"."""
        lines = [f"{self.month:%B %Y}"]
        for p in POSITIONS:
            lines.append(_fit(f"{SYMBOLS[p]} {p} {len(self.held[p])}", self.held[p]))
        lines.append(_fit("Changed", self.changed_words))
        return lines

    @property
    def tip_height(self) -> int:
        return 16 * len(self.tip_lines) + 8


def _changed(name: str, before: str, after: str) -> str:
    return f"{name} {before} → {after}" if before else f"{name} → {after} (first)"


def _fit(head: str, items: list[str]) -> str:
    """`head: a, b, +n more` in at most TIP_CHARS (the first item is always named)."""
    if not items:
        return head
    line = head + ": " + items[0]
    for i, item in enumerate(items[1:], start=1):
        left = len(items) - i - 1
        candidate = line + ", " + item
        if len(candidate) + (len(f", +{left} more") if left else 0) > TIP_CHARS:
            return line + f", +{len(items) - i} more"
        line = candidate
    return line


@dataclass
class Chart:
    """Monthly counts of countries per position, scaled to an SVG of `width` x `height`."""

    months: list[dt.date] = field(default_factory=list)
    counts: dict[str, list[int]] = field(default_factory=dict)
    # Per month index, the countries whose position changed: (country id, before, after).
    changes: dict[int, list[tuple[int, str, str]]] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    width: int = 640
    height: int = 270
    left: int = 52
    right: int = 16
    top_gap: int = 12
    bottom: int = 62
    top: int = 0  # the largest count
    ymax: int = 1  # the top of the count axis: a whole number of steps
    lines: dict[str, str] = field(default_factory=dict)
    ticks: list[tuple[float, str, str]] = field(default_factory=list)  # x, month, year
    yticks: list[tuple[float, int]] = field(default_factory=list)

    @property
    def x_start(self) -> int:
        return self.left

    @property
    def x_end(self) -> int:
        return self.width - self.right

    @property
    def baseline(self) -> int:
        return self.height - self.bottom

    @property
    def x_mid(self) -> float:
        return (self.x_start + self.x_end) / 2

    @property
    def inner_height(self) -> int:
        return self.baseline - self.top_gap

    @property
    def x_title_y(self) -> int:
        return self.height - 6

    @property
    def y_title_x(self) -> int:
        return 14

    @property
    def y_title_y(self) -> float:
        return (self.top_gap + self.baseline) / 2

    def x(self, i: int) -> float:
        n = len(self.months)
        inner = self.x_end - self.x_start
        return round(self.x_start + (inner * i / (n - 1) if n > 1 else inner / 2), 1)

    def y(self, value: int) -> float:
        inner = self.baseline - self.top_gap
        return round(self.baseline - inner * value / self.ymax, 1)

    @property
    def changed_ids(self) -> set[int]:
        return {pk for moved in self.changes.values() for pk, _, _ in moved}

    @property
    def series(self) -> list[tuple[str, str, str, str]]:
        """(position, polyline points, colour, dash) of each line."""
        return [(p, self.lines[p], COLOURS[p], DASHES[p]) for p in POSITIONS if p in self.lines]

    def changed_names(self, index: int) -> list[str]:
        return [
            _changed(self.names.get(pk, "?"), before, after)
            for pk, before, after in sorted(
                self.changes.get(index, []), key=lambda c: self.names.get(c[0], "")
            )
        ]

    @property
    def rows(self) -> list[tuple[dt.date, list[int], list[str], str]]:
        """The figures table: month, counts, the countries that changed, the row's anchor."""
        return [
            (
                m,
                [self.counts[p][i] for p in POSITIONS],
                self.changed_names(i),
                f"chart-{m:%Y-%m}",
            )
            for i, m in enumerate(self.months)
        ]

    @property
    def steps(self) -> list[Step]:
        """The months where a position changed, with the countries behind each count,
        replayed from the changes (computed when drawn, never cached with the chart)."""
        held: dict[int, str] = {}
        indexes = sorted(self.changes)
        steps: list[Step] = []
        for k, i in enumerate(indexes):
            for pk, _before, after in self.changes[i]:
                held[pk] = after
            by_position: dict[str, list[str]] = {p: [] for p in POSITIONS}
            for pk, position in held.items():
                by_position.setdefault(position, []).append(self.names.get(pk, "?"))
            for names in by_position.values():
                names.sort()
            x = self.x(i)
            x0 = x if k else self.x_start
            x1 = self.x(indexes[k + 1]) if k + 1 < len(indexes) else self.x_end
            if len(self.months) == 1:
                x0, x1 = self.x_start, self.x_end
            changed = sorted(
                ((self.names.get(pk, "?"), before, after) for pk, before, after in self.changes[i]),
            )
            step = Step(i, self.months[i], x, x0, x1, by_position, changed)
            width = 320
            # The tooltip opens away from the nearer edge, inside the drawing.
            step.tip_x = round(x + 8 if x < self.width / 2 else max(x - 8 - width, 0), 1)
            step.tip_y, step.band_height = self.top_gap, self.inner_height
            steps.append(step)
        return steps


def build_chart(rows: list[tuple[int, str, dt.date, int]], until: dt.date) -> Chart:
    """The chart of `rows` (official-line changes, oldest first) from the month of the first
    to the month of `until`, at most CHART_MONTHS months (the latest ones)."""
    chart = Chart(counts={p: [] for p in POSITIONS})
    if not rows:
        return chart
    last = month_start(until)
    month = max(month_start(rows[0][2]), _months_before(last, CHART_MONTHS - 1))
    held: dict[int, str] = {}
    i = 0
    while month <= last:
        boundary = next_month(month)
        before: dict[int, str] = {}
        while i < len(rows) and rows[i][2] < boundary:
            country_id, position = rows[i][0], rows[i][1]
            before.setdefault(country_id, held.get(country_id, ""))
            held[country_id] = position
            i += 1
        index = len(chart.months)
        # Net changes only: a country that went and came back within the month did not move.
        moved = [(pk, was, held[pk]) for pk, was in before.items() if was != held[pk]]
        if moved:
            chart.changes[index] = moved
        chart.months.append(month)
        for p in POSITIONS:
            chart.counts[p].append(sum(1 for v in held.values() if v == p))
        month = boundary
    _scale(chart)
    return chart


def nice_step(top: int) -> int:
    """The smallest readable step (1, 2, 5, 10, ...) giving at most MAX_Y_TICKS steps."""
    for step in Y_STEPS:
        if math.ceil(top / step) <= MAX_Y_TICKS:
            return step
    return 10 ** len(str(top))


def month_ticks(months: list[dt.date]) -> list[tuple[int, str, str]]:
    """Labelled months: (index, month label, year label). Months every 1, 2, 3 or 6 (on
    January, April, ...), or years only on long spans; the year under each January and the
    first label. At most MAX_X_LABELS, so they never overlap."""
    n = len(months)
    step = next((s for s in X_STEPS if math.ceil(n / s) <= MAX_X_LABELS), X_STEPS[-1])
    ticks: list[tuple[int, str, str]] = []
    for i, m in enumerate(months):
        if step < 12 and (m.month - 1) % step == 0:
            ticks.append((i, f"{m:%b}", f"{m:%Y}" if m.month == 1 or not ticks else ""))
        elif step >= 12 and m.month == 1 and m.year % (step // 12) == 0:
            ticks.append((i, f"{m:%Y}", ""))
    if not ticks:  # a short span that holds no aligned month
        ticks.append((0, f"{months[0]:%b}", f"{months[0]:%Y}"))
    return ticks


def _scale(chart: Chart) -> None:
    chart.top = max((max(v) for v in chart.counts.values() if v), default=0)
    step = nice_step(max(chart.top, 1))
    chart.ymax = step * max(math.ceil(chart.top / step), 1)
    for p in POSITIONS:
        # A step line: a count holds until the next month changes it.
        points: list[str] = []
        values = chart.counts[p]
        for i, v in enumerate(values):
            if i:
                points.append(f"{chart.x(i)},{chart.y(values[i - 1])}")
            points.append(f"{chart.x(i)},{chart.y(v)}")
        if len(values) == 1:  # one month: a level line across, not a lone point
            level = chart.y(values[0])
            points = [f"{chart.x_start},{level}", f"{chart.x_end},{level}"]
        chart.lines[p] = " ".join(points)
    chart.ticks = [(chart.x(i), label, year) for i, label, year in month_ticks(chart.months)]
    chart.yticks = [(chart.y(v), v) for v in range(0, chart.ymax + 1, step)]
