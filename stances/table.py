"""The overview's country table as a reader orders and reads it: the `sort=` parameter,
the sentence that says what the counts count, and the "stated by" months.

Plain functions over `CountryRow`s: the overview page and the countries export order the
rows with the same `sort_rows`, so a downloaded table is the table on the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import QueryDict
from django.utils import timezone

from .chart import month_start, next_month
from .filters import StanceFilters, official_line_q
from .models import Position, ReviewStatus, Stance, Topic
from .summaries import CountryRow, cache_key, cached

# Column -> header. A `-` before the name sorts descending (`sort=-since`).
COLUMNS = {
    "country": "Country",
    "position": "Position",
    "since": "Since",
    "last": "Last statement",
    "sources": "Sources",
}
DEFAULT_SORT = "country"
POSITION_RANK = {p: i for i, p in enumerate(Position.values)}


def parse_sort(raw: str | None) -> tuple[str, bool]:
    """(column, descending) from `?sort=`; anything unknown is the default order by name."""
    raw = (raw or "").strip()
    descending = raw.startswith("-")
    column = raw[1:] if descending else raw
    if column not in COLUMNS:
        return DEFAULT_SORT, False
    return column, descending


def sort_param(column: str, descending: bool) -> str:
    """The canonical `sort=` value, empty for the default (so the default URL stays clean)."""
    if column == DEFAULT_SORT and not descending:
        return ""
    return f"-{column}" if descending else column


def _key(column: str):
    if column == "position":
        return lambda r: POSITION_RANK.get(r.position, len(POSITION_RANK))
    if column == "sources":
        return lambda r: r.sources
    return lambda r: getattr(r, column)


def sort_rows(rows: list[CountryRow], column: str, descending: bool) -> list[CountryRow]:
    """Rows by `column`, ties by name (A–Z either way); rows with no date last either way."""
    by_name = sorted(rows, key=lambda r: r.name)
    if column == "country":
        return list(reversed(by_name)) if descending else by_name
    key = _key(column)
    known = [r for r in by_name if key(r) is not None]
    unknown = [r for r in by_name if key(r) is None]
    # sorted() is stable: equal keys keep the A–Z order of `by_name`.
    return sorted(known, key=key, reverse=descending) + unknown


@dataclass
class Header:
    column: str
    label: str
    query: str
    sorted: str  # "ascending", "descending" or "" (aria-sort's words)
    next_direction: str  # what following the link does, in words


def headers(base: QueryDict, column: str, descending: bool) -> list[Header]:
    """The table's column headers as links that sort by their column (ascending first; the
    sorted column's link reverses it), keeping every other parameter of `base`."""
    result = []
    for name, label in COLUMNS.items():
        current = name == column
        flip = current and not descending
        params = base.copy()
        params.pop("sort", None)
        params.pop("page", None)
        if value := sort_param(name, flip):
            params["sort"] = value
        query = params.urlencode()
        result.append(
            Header(
                column=name,
                label=label,
                query=query,
                sorted=("descending" if descending else "ascending") if current else "",
                next_direction="descending" if flip else "ascending",
            )
        )
    return result


@dataclass
class RecordBounds:
    """When the topic's reviewed record begins: its first dated official statement (as the
    record stands today) and the first day an `as_of` view shows anything."""

    first_statement: dt.date | None
    first_review: dt.date | None


def record_bounds(topic: Topic, version: tuple) -> RecordBounds:
    """One query per state of the data. The first review is read from the history, as
    `as_of` reads it: a stance shows from when its approved state was recorded and its
    review made, whichever is later (loaded data may carry review dates older than itself)."""

    def compute() -> RecordBounds:
        statements = (
            Stance.objects.approved()
            .filter(official_line_q(), topic=OuterRef("pk"), statement_date__isnull=False)
            .order_by("statement_date")
            .values("statement_date")[:1]
        )
        reviews = (
            Stance.history.filter(topic=OuterRef("pk"), status=ReviewStatus.APPROVED)
            .annotate(shown=Greatest("history_date", Coalesce("reviewed_at", "history_date")))
            .order_by("shown")
            .values("shown")[:1]
        )
        first_statement, review = (
            Topic.objects.filter(pk=topic.pk)
            .annotate(first_statement=Subquery(statements), first_review=Subquery(reviews))
            .values_list("first_statement", "first_review")
            .get()
        )
        return RecordBounds(
            first_statement=first_statement,
            first_review=timezone.localdate(review) if review else None,
        )

    return cached(cache_key("record-bounds", topic.pk, version), compute)


@dataclass
class Month:
    label: str
    day: dt.date | None  # the last day of the month (today for this month); None: no bound
    href: str
    current: bool

    @property
    def year(self) -> int | None:
        """The links are shown a row a year; "today" (no bound) stands apart."""
        return self.day.year if self.day else None


def stated_by_months(
    first: dt.date | None, filters: StanceFilters, base: QueryDict
) -> list[Month]:
    """Links to "positions as stated by" the end of each month, from the month of the first
    statement to this one, then "today" (no bound): the slider's steps without JavaScript."""
    if first is None:
        return []
    today = timezone.localdate()
    chosen = filters.values.get("until")
    months: list[Month] = []
    # A month ending before the range's start would be a range that ends before it begins.
    since = filters.values.get("since")
    month = month_start(max(first, since) if since else first)
    params = base.copy()
    params.pop("page", None)
    while month <= today:
        end = min(next_month(month) - dt.timedelta(days=1), today)
        params["until"] = end.isoformat()
        months.append(Month(f"{month:%b %Y}", end, f"?{params.urlencode()}", chosen == end))
        month = next_month(month)
    params.pop("until", None)
    query = params.urlencode()
    months.append(Month("Today", None, f"?{query}" if query else "?", chosen is None))
    return months


def _day(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def counts_sentence(
    *, shown: list[str], listed: int, counts: dict[str, int], silent: int
) -> str:
    """What the counts count: the rows the position filter shows, of how many, and the
    totals of every position (which the position filter does not change)."""
    total = sum(counts.values())
    totals = (
        f"{counts.get('pledge', 0)} pledge, {counts.get('hedge', 0)} hedge, "
        f"{counts.get('rejection', 0)} reject"
    )
    none = f"{silent} countr{'y has' if silent == 1 else 'ies have'} none on record."
    noun = "country" if total == 1 else "countries"
    if shown:
        ordered = [p for p in Position.values if p in shown]
        return (
            f"Showing {listed} of {total} {noun} with a reviewed official position "
            f"(filter: {', '.join(ordered)}). All positions: {totals}; {none}"
        )
    verb = "has" if total == 1 else "have"
    return f"{total} {noun} {verb} a reviewed official position: {totals}; {none}"


def scope_sentence(filters: StanceFilters, topic: Topic) -> str:
    """What the date and offer filters count, in words ("" when none applies)."""
    values = filters.values
    parts = []
    since, until = values.get("since"), values.get("until")
    if since and until:
        parts.append(f"statements dated from {_day(since)} to {_day(until)}")
    elif since:
        parts.append(f"statements dated from {_day(since)} on")
    elif until:
        parts.append(f"statements dated on or before {_day(until)} (stated by that day)")
    for name, vocabulary, what in (
        ("contribution", "contributions", "offering"),
        ("condition", "conditions", "setting the condition"),
    ):
        if values.get(name):
            labels = topic.kind_labels(vocabulary)
            named = " or ".join(labels.get(code, code) for code in values[name])
            parts.append(f"statements {what} {named}")
    if not parts:
        return ""
    counted = "; ".join(parts)
    return f"Counting only {counted}: each country's latest such official statement."
