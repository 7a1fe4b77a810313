"""What the overview and timeline draw: current positions from the official line, the
colour bands of a country's history, and the chart of counts over time.

Everything here works on plain rows (country, position, date), so one query feeds it and
the result can be cached whole: the overview costs the same with a hundred stances or a
hundred thousand.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Value, Window
from django.db.models.functions import Lag, Lead
from django.utils import timezone
from django.utils.html import format_html_join

from .chart import CHART_MONTHS, Chart, build_chart  # noqa: F401 (CHART_MONTHS: tests)
from .filters import StanceFilters, end_of_day, official_line_q
from .models import Actor, Country, CountryGroup, Dispute, Evidence, Position, Stance, Topic

log = logging.getLogger(__name__)

POSITIONS = list(Position.values)
T = TypeVar("T")


@dataclass
class CountryRow:
    iso2: str
    name: str
    position: str = ""
    since: dt.date | None = None
    last: dt.date | None = None
    stance_id: int | None = None
    sources: int = 0

    @property
    def since_label(self) -> str:
        return self.since.strftime("%-d %b %Y") if self.since else ""


@dataclass
class Band:
    position: str
    start: dt.date
    end: dt.date
    x: float = 0.0
    width: float = 0.0


@dataclass
class OfferCell:
    """The latest approved official-line statement of a country that names one kind."""

    stance_id: int
    position: str
    date: dt.date | None
    conditions: list[str] = field(default_factory=list)
    size: str = ""


@dataclass
class MatrixRow:
    iso2: str
    name: str
    cells: dict[str, OfferCell] = field(default_factory=dict)


@dataclass
class Overview:
    countries: dict[str, CountryRow]
    chart: Chart
    counts: dict[str, int]
    key: str = ""  # names this state of the data: the rendered page may be cached under it
    matrix: list[MatrixRow] = field(default_factory=list)  # who offers what, by name

    def matrix_rows(self, *, descending: bool = False) -> list[MatrixRow]:
        return list(reversed(self.matrix)) if descending else list(self.matrix)

    def listed(self, positions: set[str] | None = None) -> list[CountryRow]:
        """The table's rows, by name: countries with a position (one of `positions`, if
        given). The overview page and its countries export both read this."""
        rows = sorted(self.countries.values(), key=lambda r: r.name)
        return [r for r in rows if r.position and (not positions or r.position in positions)]


def official_changes(
    stances: QuerySet,
) -> tuple[list[tuple[int, str, dt.date, int]], dict[int, tuple[dt.date, int]]]:
    """The dated official-line stances (country, position, date, id) where a country's
    line changes position, oldest first (all the chart and the current positions need, a
    small part of the rows), and per country the date and id of its latest statement.
    Works on current rows and on a historical (as_of) queryset alike. The database finds both in
    one pass: a window over each country's line."""
    order = [F("statement_date").asc(), F("id").asc()]
    by_country = {"partition_by": [F("country_id")], "order_by": order}
    rows = (
        stances.filter(official_line_q(), statement_date__isnull=False)
        .values("country_id", "position", "statement_date", "id")
        .annotate(
            previous=Window(Lag("position", default=Value("")), **by_country),
            following=Window(Lead("id"), **by_country),
        )
        .filter(~Q(previous=F("position")) | Q(following__isnull=True))
        .order_by()  # not the model's default: that sorts every row again, after the window
        .values_list("country_id", "position", "statement_date", "id", "previous", "following")
    )
    changes, latest = [], {}
    for country_id, position, day, pk, previous, following in rows:
        if previous != position:
            changes.append((country_id, position, day, pk))
        if following is None:
            latest[country_id] = (day, pk)
    # Sorted here rather than in the database, which would sort every row, not these.
    changes.sort(key=lambda row: (row[2], row[3]))
    return changes, latest


def current_positions(rows: list[tuple[int, str, dt.date, int]]) -> dict[int, CountryRow]:
    """Per country: the latest position of its official line, since when it has held it,
    and when it last said so."""
    current: dict[int, CountryRow] = {}
    for country_id, position, day, stance_id in rows:
        row = current.get(country_id)
        if row is None:
            row = current[country_id] = CountryRow(iso2="", name="")
        if row.position != position:
            row.position, row.since = position, day
        row.last, row.stance_id = day, stance_id
    return current


def bands(rows: list[tuple[int, str, dt.date, int]], until: dt.date) -> list[Band]:
    """Runs of one position between changes, as fractions (percent) of the whole span."""
    runs: list[Band] = []
    for _country, position, day, _pk in rows:
        if runs and runs[-1].position == position:
            continue
        if runs:
            runs[-1].end = day
        runs.append(Band(position=position, start=day, end=day))
    if not runs:
        return runs
    runs[-1].end = max(until, runs[-1].start)
    first, span = runs[0].start, max((runs[-1].end - runs[0].start).days, 1)
    for band in runs:
        band.x = round(100 * (band.start - first).days / span, 2)
        band.width = round(max(100 * (band.end - band.start).days / span, 0.5), 2)
    return runs


def country_bands(
    topic: Topic, country: Country, as_of: StanceFilters, *, version: tuple, today: dt.date
) -> list[Band]:
    """A country's whole official line as bands, to the as_of day (`as_of` holds that filter
    alone) or to today: the country's page and its embed draw the same, cached once.
    Keyed on the day too: without as_of the band runs to the present."""
    return cached(
        cache_key("bands", topic.pk, country.pk, as_of.querystring(), version, today),
        lambda: bands(
            official_changes(as_of.apply(Q(topic=topic, country=country)))[0],
            as_of.as_of_date or today,
        ),
    )


BAND_SYMBOLS = {"pledge": "✔", "hedge": "◐", "rejection": "✖"}
# Bands at least this wide (in % of the bar) carry their symbol; wider ones the word too.
BAND_SYMBOL_MIN, BAND_WORD_MIN = 2.5, 14.0


def bands_svg(runs: list[Band]) -> str:
    """The bands as SVG rectangles, built here: a noisy official line can change hundreds
    of times, and a template loop over them costs more than the rest of the page.

    Never colour alone: each position has its own fill pattern (solid, hatched,
    cross-hatched; defined in the template) and a band wide enough carries its symbol and
    position in text. Coordinates are percentages, so text keeps its shape at any width."""
    rects = format_html_join(
        "",
        '<rect class="band band-{}" x="{}%" y="0" width="{}%" height="100%">'
        "<title>{} from {}</title></rect>",
        ((b.position, b.x, b.width, b.position, f"{b.start:%-d %b %Y}") for b in runs),
    )
    labels = format_html_join(
        "",
        '<text class="band-label band-label-{}" x="{}%" y="70%" text-anchor="middle">{}</text>',
        (
            (
                b.position,
                round(b.x + b.width / 2, 3),
                BAND_SYMBOLS.get(b.position, "")
                + (f" {b.position}" if b.width >= BAND_WORD_MIN else ""),
            )
            for b in runs
            if b.width >= BAND_SYMBOL_MIN
        ),
    )
    return rects + labels


def data_version() -> tuple:
    """Changes whenever a stance, its evidence, an actor, a dispute or a country group (its
    members too: the overview filters by them) does: history records
    every save and delete (bulk inserts must use simple-history's bulk_create_with_history,
    as generate_synthetic does). One query of index look-ups."""
    with connection.cursor() as cursor:
        cursor.execute(_data_version_sql())
        return tuple(cursor.fetchone())


@functools.cache
def _data_version_sql() -> str:
    # Built once: each `Model.history` access makes a new manager, which is not free.
    tables = [
        model.history.model._meta.db_table
        for model in (Stance, Evidence, Actor, Dispute, CountryGroup)
    ]
    parts = ", ".join(
        f"(SELECT MAX(history_date) FROM {connection.ops.quote_name(t)})"  # noqa: S608
        for t in tables
    )
    return f"SELECT {parts}"


# The shared cache outlives a deployment: a value pickled by the code before (an Overview
# without a field the new code reads) must not be read by the code after. The keys carry
# the digest of the app's modules (all of them: a list of the ones that matter went stale
# each time a module with cached values was added).
_CODE = hashlib.sha256(
    b"".join(path.read_bytes() for path in sorted(Path(__file__).parent.glob("*.py")))
).hexdigest()[:12]


def short_version(version: tuple | None = None) -> str:
    """`data_version()` as a short stable name (10 hex digits) for citations, export headers
    and file names: the same state of the data always gives the same string."""
    version = data_version() if version is None else version
    text = "|".join("-" if v is None else str(v) for v in version)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def cache_key(*parts) -> str:
    return "pages:" + hashlib.sha256(repr((_CODE, *parts)).encode()).hexdigest()


def cached(key: str, compute: Callable[[], T], timeout: int = 3600) -> T:
    """`compute()` once per key: first from this process's memory, then from the shared
    cache (Redis in production), so the costly part runs once for all workers. Keys name
    a state of the data, so a value never goes stale."""
    local = caches["pages"]
    value = local.get(key)
    if value is None:
        value = cache.get(key)
        if value is None:
            value = compute()
            size = len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
            if size > settings.CACHE_MAX_ENTRY_BYTES:
                # Served, never kept: its key is a reader's choice of filters.
                log.warning("not caching %s: %d bytes", key, size)
                return value
            cache.set(key, value, timeout)
        local.set(key, value, timeout)
    return value


def overview_build(
    topic: Topic, filters: StanceFilters, *, version: tuple | None = None
) -> Overview:
    """Current position of every country on `topic`, and the chart, as the filters see them.

    Cached, keyed on the filters and the data version: computing it reads the whole
    official line, rendering it does not."""
    version = version or data_version()
    key = cache_key("overview", topic.pk, filters.querystring(), version)

    def compute() -> Overview:
        overview = _overview_compute(topic, filters)
        overview.key = key
        return overview

    return cached(key, compute)


def _overview_compute(topic: Topic, filters: StanceFilters) -> Overview:
    as_of = filters.as_of_date
    # The overview is the official line: actor and official filters do not apply to it.
    # Offer filters do: the official line of the statements that name those kinds.
    # A country group narrows all of it, the countries without a position too.
    scope = filters.narrowed("since", "until", "as_of", "contribution", "condition", "group")
    stances = scope.apply(Q(topic=topic))
    rows, last_statements = official_changes(stances)
    latest = current_positions(rows)
    for country_id, (day, pk) in last_statements.items():
        if country_id in latest:
            latest[country_id].last, latest[country_id].stance_id = day, pk
    until = as_of or filters.values.get("until") or timezone.localdate()
    chart = build_chart(rows, until)
    evidence = Evidence.objects.accepted(by=end_of_day(as_of) if as_of else None).filter(
        stance_id__in=[r.stance_id for r in latest.values()]
    )
    sources = dict(
        evidence.values("stance_id")
        .annotate(n=Count("article_id", distinct=True))
        .values_list("stance_id", "n")
    )
    countries: dict[str, CountryRow] = {}
    names: dict[int, tuple[str, str]] = {}
    changed = chart.changed_ids  # the chart's tooltips name them
    members = Country.objects.all()
    if group := scope.values.get("group"):
        members = members.filter(pk__in=group.member_ids())
    for pk, iso2, name in members.values_list("pk", "iso2", "name"):
        names[pk] = (iso2, name)
        if pk in changed:
            chart.names[pk] = name
        row = latest.get(pk) or CountryRow(iso2=iso2, name=name)
        row.iso2, row.name = iso2, name
        row.sources = sources.get(row.stance_id, 0)
        countries[iso2] = row
    counts = {p: sum(1 for r in latest.values() if r.position == p) for p in POSITIONS}
    matrix = offers_matrix(stances, names=names)
    return Overview(countries=countries, chart=chart, counts=counts, matrix=matrix)


def offers_matrix(stances: QuerySet, *, names: dict[int, tuple[str, str]]) -> list[MatrixRow]:
    """Who offers what: per country and contribution kind, the latest approved official-line
    statement naming that kind (with its conditions). One query over the official line."""
    rows = (
        stances.filter(official_line_q())
        .order_by(F("statement_date").asc(nulls_first=True), "id")
        .values_list("country_id", "id", "position", "statement_date", "contributions",
                     "conditions", "size")
    )
    found: dict[int, MatrixRow] = {}
    for country_id, pk, position, day, contributions, conditions, size in rows:
        if not contributions or country_id not in names:
            continue
        iso2, name = names[country_id]
        row = found.setdefault(country_id, MatrixRow(iso2=iso2, name=name))
        for code in contributions:
            row.cells[code] = OfferCell(
                stance_id=pk, position=position, date=day, conditions=list(conditions or []),
                size=size or "",
            )
    return sorted(found.values(), key=lambda r: r.name)
