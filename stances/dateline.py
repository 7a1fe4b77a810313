"""Statements and the official line drawn on a date axis (stances/axis.py): the country
timeline's rows by actor, and the compare page's rows by country.

Markers are read with one values() query, newest first and capped: a noisy country has
hundreds of statements, and the page says how many it did not draw. The SVG is built here
rather than in a template loop, as the bands are (summaries.bands_svg)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from django.db.models import Count, F, Min, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from .axis import Axis, make_axis, ticks_svg
from .filters import StanceFilters
from .models import ReviewStatus, date_label
from .summaries import Band, bands_svg
from .templatetags.positions import SYMBOLS

# Markers drawn at most on a timeline (all rows), and per country on the compare page.
MARKER_LIMIT = 300
COMPARE_MARKER_LIMIT = 150


@dataclass
class Marker:
    pk: int
    position: str
    day: dt.date
    precision: str
    unreviewed: bool = False  # a proposal, shown to a curator who asked for them

    @property
    def date_label(self) -> str:
        label = date_label(self.day, self.precision)
        return f"{label}, unreviewed" if self.unreviewed else label


@dataclass
class Row:
    """One line of markers: an actor (or the official line) on a timeline, a country on the
    compare page."""

    label: str
    url: str = ""
    note: str = ""  # what kind of row: "official line", "government", a position...
    position: str = ""
    markers: list[Marker] = field(default_factory=list)
    svg: str = ""
    band_svg: str = ""  # the compare page: the country's official line


# Markers closer than this (in % of the track) are set apart: statements of one day would
# otherwise hide each other, and only the top one could be clicked.
MARKER_GAP = 1.2


def spread(xs: list[float], gap: float = MARKER_GAP) -> list[float]:
    """`xs` (ascending) moved apart to at least `gap`, as little as possible, staying on
    the track: a run of same-day markers becomes a short row around its day."""
    placed: list[float] = []
    for x in xs:
        placed.append(max(x, placed[-1] + gap) if placed else x)
    # Pushed past the end: pull the run back from the right edge.
    limit = 100.0
    for i in range(len(placed) - 1, -1, -1):
        if placed[i] <= limit:
            break
        placed[i] = limit
        limit -= gap
    return [round(max(x, 0.0), 3) for x in placed]


def markers_svg(axis: Axis, name: str, markers: list[Marker]) -> SafeString:
    """Each marker a link to its stance, named "Name, position, date" for a screen reader;
    its symbol (✔ ◐ ✖) says the position, so colour is never the only sign. Markers of the
    same day stand side by side (each still named by its date)."""
    shown = sorted((m for m in markers if axis.shows(m.day)), key=lambda m: (m.day, m.pk))
    xs = spread([axis.x(m.day) for m in shown])
    return format_html_join(
        "",
        '<a href="{}" aria-label="{}, {}, {}"><title>{}, {}, {}</title>'
        '<text class="marker marker-{}" x="{}%" y="17" text-anchor="middle" aria-hidden="true">'
        "{}</text></a>",
        (
            (
                reverse("stances:stance", args=[m.pk]),
                name, m.position, m.date_label,
                name, m.position, m.date_label,
                m.position, x, SYMBOLS.get(m.position, "–"),
            )
            for m, x in zip(shown, xs, strict=True)
        ),
    )


def axis_bands_svg(axis: Axis, runs: list[Band]) -> SafeString:
    """The official line's bands on the axis's scale, clipped to it. A band runs to the
    start of the next; the last one to the end of the day the record is drawn to."""
    placed = []
    for i, band in enumerate(runs):
        after = runs[i + 1].start if i + 1 < len(runs) else band.end + dt.timedelta(days=1)
        if span := axis.span(band.start, after):
            placed.append(replace(band, x=span[0], width=max(span[1], 0.5)))
    return bands_svg(placed)


def axis_for(
    filters: StanceFilters, days: list[dt.date], *, today: dt.date
) -> Axis:
    """The span the reader asked for (since/until), or from the first day on record to the
    present (or the as_of day)."""
    values = filters.values
    as_of = values.get("as_of")
    until = as_of or today
    start = values.get("since") or min(days, default=until)
    end = values.get("until") or until
    return make_axis(start, end, until=until, as_of=as_of)


def _newest_first(rows: QuerySet) -> QuerySet:
    return rows.filter(statement_date__isnull=False).order_by(
        F("statement_date").desc(), F("id").desc()
    )


@dataclass
class TimelineMarkers:
    rows: list[Row]
    drawn: int
    total: int
    first: dt.date | None = None  # the earliest statement, drawn or not

    @property
    def not_drawn(self) -> int:
        return self.total - self.drawn


def timeline_markers(stances: QuerySet, *, official_name: str) -> TimelineMarkers:
    """The dated statements `stances` holds, newest first, at most MARKER_LIMIT, in rows
    by actor: the official line (statements with no named actor) first, then the
    government's voices, then the others, each by name. One query."""
    found = (
        _newest_first(stances)
        .annotate(total=Window(Count("id")), first=Window(Min("statement_date")))
        .values_list(
            "id", "position", "statement_date", "date_precision", "actor_id", "actor__name",
            "actor__slug", "actor__speaks_for_government", "actor__needs_review", "status",
            "total", "first",
        )[:MARKER_LIMIT]
    )
    official = Row(label=official_name, note="no named speaker")
    by_actor: dict[int, Row] = {}
    total = drawn = 0
    first = None
    for row_values in found:
        pk, position, day, precision, actor_id, name, slug, government, hidden = row_values[:9]
        status, total, first = row_values[9:]
        drawn += 1
        marker = Marker(
            pk=pk, position=position, day=day, precision=precision,
            unreviewed=status == ReviewStatus.PROPOSED,
        )
        if actor_id is None:
            official.markers.append(marker)
            continue
        row = by_actor.get(actor_id)
        if row is None:
            row = by_actor[actor_id] = Row(
                label=name,
                # An actor no curator reviewed yet has no public page.
                url="" if hidden else reverse("stances:actor", args=[slug]),
                note="official line" if government else "",
            )
        row.markers.append(marker)
    voices = sorted(by_actor.values(), key=lambda r: (not r.note, r.label.lower()))
    rows = ([official] if official.markers else []) + voices
    return TimelineMarkers(rows=rows, drawn=drawn, total=total, first=first)


@dataclass
class Dateline:
    """What a page draws on its axis: the ticks, the band(s) and the rows of markers."""

    axis: Axis
    ticks_svg: str
    rows: list[Row]
    band_svg: str = ""
    not_drawn: int = 0


def timeline_dateline(
    filters: StanceFilters, scope: Q, runs: list[Band], *, official_name: str, today: dt.date
) -> Dateline:
    """A country's timeline on its axis: the official line's band above (the whole line,
    whatever is filtered, as the bands above it), each matching statement a marker."""
    found = timeline_markers(filters.apply(scope), official_name=official_name)
    days = [runs[0].start] if runs else []
    if found.first:
        days.append(found.first)
    axis = axis_for(filters, days, today=today)
    return Dateline(
        axis=axis,
        ticks_svg=ticks_svg(axis),
        rows=draw(axis, found.rows),
        band_svg=axis_bands_svg(axis, runs),
        not_drawn=found.not_drawn,
    )


def draw(axis: Axis, rows: list[Row]) -> list[Row]:
    """Fill each row's SVG, its markers named by the row's label."""
    for row in rows:
        row.svg = markers_svg(axis, row.label, row.markers)
    return rows


def country_markers(stances: QuerySet) -> tuple[dict[int, list[Marker]], dict[int, int]]:
    """Per country, its newest dated statements in `stances` (at most COMPARE_MARKER_LIMIT
    each) and how many it has in all. One query, whatever the number of countries."""
    by_country = {"partition_by": [F("country_id")]}
    found = (
        _newest_first(stances)
        .annotate(
            rank=Window(
                RowNumber(),
                order_by=[F("statement_date").desc(), F("id").desc()],
                **by_country,
            ),
            total=Window(Count("id"), **by_country),
        )
        .filter(rank__lte=COMPARE_MARKER_LIMIT)
        .values_list("country_id", "id", "position", "statement_date", "date_precision", "total")
    )
    markers: dict[int, list[Marker]] = {}
    totals: dict[int, int] = {}
    for country_id, pk, position, day, precision, total in found:
        markers.setdefault(country_id, []).append(
            Marker(pk=pk, position=position, day=day, precision=precision)
        )
        totals[country_id] = total
    return markers, totals
