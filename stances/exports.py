"""Complete exports of exactly what a filtered view shows, streamed: CSV and JSON.

The GET parameters are the pages' own (StanceFilters, `as_of` included) plus `topic` and
`country`, so a page links to its export by appending its query string.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db.models import F, Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from .filters import StanceFilters, end_of_day
from .models import Actor, Country, Evidence, Stance, Topic
from .summaries import overview_build, short_version
from .table import parse_sort, sort_rows

CHUNK = 2000
STANCE_FIELDS = (
    "id",
    "topic_id",
    "country_id",
    "actor_id",
    "position",
    "statement_date",
    "date_precision",
    "status",
    "contributions",
    "conditions",
    "size",
)
EVIDENCE_FIELDS = (
    "stance_id",
    "sentence",
    "kind",
    "article_id",
    "article__url",
    "article__title",
    "article__published",
    "article__outlet__name",
)
COLUMNS = [
    "id",
    "permalink",
    "topic",
    "country_iso2",
    "country",
    "date",
    "date_precision",
    "position",
    "actor",
    "actor_role",
    "official_line",
    "status",
    "contributions",
    "conditions",
    "size",
    "evidence",
    "evidence_kind",
    "outlet",
    "source_url",
    "article_title",
    "published",
    "sources",
    "as_of",
]


@dataclass
class Selection:
    """A filtered view of stances: the scope (topic, country) and the filters on it."""

    topic: Topic
    country: Country | None
    filters: StanceFilters

    @property
    def as_of(self) -> dt.date | None:
        return self.filters.as_of_date

    @cached_property
    def stamp(self) -> str:
        """The state the rows describe: the as_of day asked for, else the moment of export.
        Read once: the file name, the body and every row of one export name the same
        moment, even when building it crosses a second."""
        if self.as_of:
            return self.as_of.isoformat()
        return timezone.now().replace(microsecond=0).isoformat()

    def rows(self) -> QuerySet[Stance]:
        scope = Q(topic=self.topic)
        if self.country:
            scope &= Q(country=self.country)
        return self.filters.apply(scope)

    def records(self, *, as_of_stamp: str, base_url: str) -> Iterator[dict]:
        """Every row, in the pages' order (stances.views._chronological), as plain values:
        an export of a hundred thousand rows builds no model instances. Related rows are
        fetched per chunk of CHUNK stances, so memory stays flat however long the export."""
        ordered = self.rows().order_by(F("statement_date").asc(nulls_last=True), "id")
        rows = ordered.values_list(*STANCE_FIELDS).iterator(chunk_size=CHUNK)
        countries = {c.pk: c for c in Country.objects.only("iso2", "name")}
        actors: dict[int, dict] = {}
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                yield from self._chunk_records(chunk, countries, actors, as_of_stamp, base_url)
                chunk = []
        yield from self._chunk_records(chunk, countries, actors, as_of_stamp, base_url)

    def _chunk_records(self, chunk, countries, actors, as_of_stamp, base_url) -> Iterator[dict]:
        if not chunk:
            return
        missing = {r[3] for r in chunk if r[3] and r[3] not in actors}
        if missing:
            for actor in Actor.objects.filter(pk__in=missing).values(
                "id", "name", "role", "speaks_for_government"
            ):
                actors[actor["id"]] = actor
        evidence = _evidence_shown(self.filters).filter(stance_id__in=[r[0] for r in chunk])
        by_stance: dict[int, list[tuple]] = defaultdict(list)
        for item in evidence.order_by("article_id", "start").values_list(*EVIDENCE_FIELDS):
            by_stance[item[0]].append(item)
        for (
            pk, _topic, country_id, actor_id, position, date, precision, status,
            contributions, conditions, size,
        ) in chunk:
            actor = actors.get(actor_id) if actor_id else None
            country = countries[country_id]
            items = [
                {
                    "sentence": sentence,
                    "kind": kind,
                    "outlet": outlet or "",
                    "source_url": url,
                    "article_title": title,
                    "published": published.isoformat() if published else "",
                    "article_id": article_id,
                }
                for _, sentence, kind, article_id, url, title, published, outlet in by_stance[pk]
            ]
            first = items[0] if items else {}
            yield {
                "id": pk,
                "permalink": f"{base_url}{pk}/",
                "topic": self.topic.slug,
                "country_iso2": country.iso2,
                "country": country.name,
                "date": date.isoformat() if date else "",
                "date_precision": precision,
                "position": position,
                "actor": actor["name"] if actor else "",
                "actor_role": actor["role"] if actor else "",
                "official_line": actor is None or actor["speaks_for_government"],
                "status": status,
                "contributions": list(contributions or []),
                "conditions": list(conditions or []),
                "size": size,
                "evidence": first.get("sentence", ""),
                "evidence_kind": first.get("kind", ""),
                "outlet": first.get("outlet", ""),
                "source_url": first.get("source_url", ""),
                "article_title": first.get("article_title", ""),
                "published": first.get("published", ""),
                "sources": len({i["article_id"] for i in items}),
                "as_of": as_of_stamp,
                "all_evidence": items,
            }

    def querystring(self) -> str:
        params = QueryDict(self.filters.querystring(), mutable=True)
        params["topic"] = self.topic.slug
        if self.country:
            params["country"] = self.country.iso2.lower()
        return params.urlencode()


def _evidence_shown(filters: StanceFilters):
    """The evidence the view these filters name shows (as the pages show it)."""
    as_of = filters.as_of_date
    return Evidence.objects.shown(
        by=end_of_day(as_of) if as_of else None, unreviewed=filters.include_unreviewed
    )


def stances_loaded(
    rows: Iterable[Stance], *, filters: StanceFilters, order: list[int] | None = None
) -> list[Stance]:
    """Stances with actor, country, topic and `evidence_list` (what the view `filters`
    name shows: as known by the end of its as_of day) loaded in five queries, whether
    `rows` are current rows or historical instances. Evidence is grouped here rather than
    prefetched: a prefetch builds a queryset per stance, which is most of the cost of a
    large export."""
    stances = list(rows)
    prefetch_related_objects(stances, "actor__country", "country", "topic")
    evidence = (
        _evidence_shown(filters)
        .filter(stance_id__in=[s.pk for s in stances])
        .select_related("article__outlet")
        .defer("article__text")
        .order_by("article_id", "start")
    )
    by_stance: dict[int, list[Evidence]] = defaultdict(list)
    for item in evidence:
        by_stance[item.stance_id].append(item)
    for stance in stances:
        stance.evidence_list = by_stance.get(stance.pk, [])
    if order is not None:
        rank = {pk: i for i, pk in enumerate(order)}
        stances.sort(key=lambda s: rank[s.pk])
    return stances


def selection_from(request: HttpRequest) -> Selection | dict[str, list[str]]:
    """The selection the GET parameters name, or the errors that make them invalid."""
    topic = get_object_or_404(Topic, slug=request.GET.get("topic") or settings.DEFAULT_TOPIC)
    country = None
    if request.GET.get("country"):
        country = get_object_or_404(Country, iso2=request.GET["country"].upper())
    filters = StanceFilters.for_request(request, topic)
    if not filters.is_valid():
        return filters.error_lists()
    return Selection(topic=topic, country=country, filters=filters)


class _Echo:
    """csv.writer wants a file; this one hands each line back to the generator."""

    def write(self, value: str) -> str:
        return value


# A cell a spreadsheet would run as a formula: quoted so it stays text (OWASP's advice).
# Source text is written by strangers, and analysts open these files in Excel.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(record: dict) -> dict:
    """Also: lists of codes (contributions, conditions) as one cell, separated by "; "."""
    record = {k: "; ".join(v) if isinstance(v, list) and k != "all_evidence" else v
              for k, v in record.items()}
    return {
        key: f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value
        for key, value in record.items()
    }


def _permalink_prefix(request: HttpRequest) -> str:
    """The absolute URL of stance permalinks without the id: one reverse per export."""
    one = reverse("stances:stance", args=[1])
    return request.build_absolute_uri(one[: one.rindex("1/")])


def attachment(
    kind: str, selection: Selection, stamp: str, ext: str, version: str
) -> dict[str, str]:
    """The download headers: named e.g. stances-<topic>-<country>-<day>-v<version>.csv, and
    the data version in `X-Data-Version` (a CSV has no place for it without breaking
    readers, so the file's name and the header carry it)."""
    parts = [kind, selection.topic.slug]
    if selection.country:
        parts.append(selection.country.iso2.lower())
    parts.append(stamp[:10])
    parts.append(f"v{version}")
    return {
        "Content-Disposition": f'attachment; filename="{"-".join(parts)}.{ext}"',
        "X-Data-Version": version,
    }


def bad_request(errors: dict[str, list[str]]) -> HttpResponse:
    body = json.dumps({"errors": errors}, ensure_ascii=False)
    return HttpResponse(body, status=400, content_type="application/json")


@require_safe
def export_csv(request: HttpRequest) -> HttpResponse:
    selection = selection_from(request)
    if not isinstance(selection, Selection):
        return bad_request(selection)
    stamp = selection.stamp
    version = short_version()
    base = _permalink_prefix(request)
    writer = csv.DictWriter(_Echo(), fieldnames=COLUMNS, extrasaction="ignore")

    def lines() -> Iterator[str]:
        yield writer.writeheader()
        for record in selection.records(as_of_stamp=stamp, base_url=base):
            yield writer.writerow(_spreadsheet_safe(record))

    return StreamingHttpResponse(
        lines(),
        content_type="text/csv; charset=utf-8",
        headers=attachment("stances", selection, stamp, "csv", version),
    )


@require_safe
def export_json(request: HttpRequest) -> HttpResponse:
    selection = selection_from(request)
    if not isinstance(selection, Selection):
        return bad_request(selection)
    stamp = selection.stamp
    version = short_version()
    base = _permalink_prefix(request)
    head = {
        "as_of": stamp,
        "data_version": version,
        "topic": selection.topic.slug,
        "country": selection.country.iso2 if selection.country else None,
        "query": selection.querystring(),
    }

    def parts() -> Iterator[str]:
        # The header object, opened to take the array of stances streamed after it.
        yield json.dumps(head, ensure_ascii=False)[:-1] + ', "stances": ['
        first = True
        for record in selection.records(as_of_stamp=stamp, base_url=base):
            yield ("" if first else ",\n") + json.dumps(record, ensure_ascii=False)
            first = False
        yield "]}\n"

    return StreamingHttpResponse(
        parts(),
        content_type="application/json",
        headers=attachment("stances", selection, stamp, "json", version),
    )


# The overview's table: one row per country with a reviewed official position.
COUNTRY_COLUMNS = [
    "country_iso2",
    "country",
    "position",
    "since",
    "last_statement",
    "last_statement_permalink",
    "sources",
    "as_of",
]


def _country_records(request: HttpRequest, selection: Selection) -> Iterator[dict]:
    stamp = selection.stamp
    base = _permalink_prefix(request)
    shown = set(selection.filters.values.get("position") or [])
    # In the order of the overview's table when its link names one (`sort=`).
    column, descending = parse_sort(request.GET.get("sort"))
    rows = overview_build(selection.topic, selection.filters).listed(shown)
    for row in sort_rows(rows, column, descending):
        yield {
            "country_iso2": row.iso2,
            "country": row.name,
            "position": row.position,
            "since": row.since.isoformat() if row.since else None,
            "last_statement": row.last.isoformat() if row.last else None,
            "last_statement_permalink": f"{base}{row.stance_id}/" if row.stance_id else None,
            "sources": row.sources,
            "as_of": stamp,
        }


@require_safe
def export_countries_csv(request: HttpRequest) -> HttpResponse:
    """The overview table of exactly this view (position, since, until, as_of) as CSV."""
    selection = selection_from(request)
    if not isinstance(selection, Selection):
        return bad_request(selection)
    return _csv_download("countries", selection, COUNTRY_COLUMNS,
                         _country_records(request, selection))


@require_safe
def export_countries_json(request: HttpRequest) -> HttpResponse:
    selection = selection_from(request)
    if not isinstance(selection, Selection):
        return bad_request(selection)
    return _json_download("countries", selection,
                          countries=list(_country_records(request, selection)))


# Who offers what (the overview's matrix): one row per country and contribution kind.
OFFER_COLUMNS = [
    "country_iso2",
    "country",
    "contribution",
    "contribution_label",
    "position",
    "date",
    "conditions",
    "size",
    "permalink",
    "as_of",
]


def _offer_records(request: HttpRequest, selection: Selection) -> Iterator[dict]:
    stamp = selection.stamp
    base = _permalink_prefix(request)
    labels = selection.topic.kind_labels("contributions")
    for row in overview_build(selection.topic, selection.filters).matrix_rows():
        for code in [c for c in labels if c in row.cells] + [
            c for c in row.cells if c not in labels
        ]:
            cell = row.cells[code]
            yield {
                "country_iso2": row.iso2,
                "country": row.name,
                "contribution": code,
                "contribution_label": labels.get(code, code),
                "position": cell.position,
                "date": cell.date.isoformat() if cell.date else None,
                "conditions": list(cell.conditions),
                "size": cell.size,
                "permalink": f"{base}{cell.stance_id}/",
                "as_of": stamp,
            }


@require_safe
def export_offers_csv(request: HttpRequest) -> HttpResponse:
    """The overview's matrix (who offers what) of exactly this view, as CSV."""
    selection = selection_from(request)
    if not isinstance(selection, Selection):
        return bad_request(selection)
    return _csv_download("offers", selection, OFFER_COLUMNS,
                         _offer_records(request, selection))


@require_safe
def export_offers_json(request: HttpRequest) -> HttpResponse:
    selection = selection_from(request)
    if not isinstance(selection, Selection):
        return bad_request(selection)
    return _json_download(
        "offers", selection,
        contribution_kinds=selection.topic.contribution_kinds,
        condition_kinds=selection.topic.condition_kinds,
        offers=list(_offer_records(request, selection)),
    )


def _csv_download(kind: str, selection: Selection, columns: list[str],
                  records: Iterator[dict]) -> HttpResponse:
    """A one-table CSV export of the overview (a row per country, or per country and kind):
    small enough to build whole."""
    writer = csv.DictWriter(_Echo(), fieldnames=columns)
    body = writer.writeheader() + "".join(writer.writerow(_spreadsheet_safe(r)) for r in records)
    return HttpResponse(
        body,
        content_type="text/csv; charset=utf-8",
        headers=attachment(kind, selection, selection.stamp, "csv", short_version()),
    )


def _json_download(kind: str, selection: Selection, **rows) -> HttpResponse:
    """A one-table JSON export: the day, the data version, the topic and the filters it
    was made with, then its rows."""
    version = short_version()
    body = {
        "as_of": selection.stamp,
        "data_version": version,
        "topic": selection.topic.slug,
        "query": selection.querystring(),
        **rows,
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        headers=attachment(kind, selection, body["as_of"], "json", version),
    )
