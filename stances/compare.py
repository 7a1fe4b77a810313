"""Compare countries: each one's official line and official statements, a row per country
on one shared date axis, at a URL that is the share link.

`?country=FR&country=DE` (2 to COMPARE_MAX ISO codes, in the reader's order) with the usual
`since`/`until`/`as_of`. Readers and curators alike see approved stances only: a page to
cite has no switch for proposals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from .axis import ticks_svg
from .dateline import Row, axis_bands_svg, axis_for, country_markers, markers_svg
from .filters import StanceFilters, official_line_q
from .models import Country, Topic
from .summaries import bands, cache_key, cached, data_version, official_changes

COMPARE_MIN, COMPARE_MAX = 2, 6
DATE_PARAMS = ("since", "until", "as_of")


@dataclass
class Comparison:
    """What the page draws, computed in two queries (bands, markers) and cached whole."""

    rows: list[Row] = field(default_factory=list)
    ticks_svg: str = ""
    not_drawn: int = 0
    end_label: str = ""


def chosen_codes(request: HttpRequest) -> list[str]:
    """The `country` parameters as ISO codes, in the reader's order, each once."""
    codes: list[str] = []
    for raw in request.GET.getlist("country"):
        code = raw.strip().upper()
        if code and code not in codes:
            codes.append(code)
    return codes


def code_errors(codes: list[str], known: dict[str, tuple[int, str]]) -> list[str]:
    errors = []
    if len(codes) > COMPARE_MAX:
        errors.append(
            f"Compare at most {COMPARE_MAX} countries at once: this link names {len(codes)}. "
            "Remove some below."
        )
    unknown = [c for c in codes if c not in known]
    if unknown:
        listed = ", ".join(c[:8] for c in unknown[:COMPARE_MAX])
        errors.append(
            f"Unknown country code{'s' if len(unknown) > 1 else ''}: {listed}. "
            "Use two-letter ISO codes (FR, DE) or choose below."
        )
    return errors


def _dates(request: HttpRequest, topic: Topic) -> StanceFilters:
    data = QueryDict(mutable=True)
    for name in DATE_PARAMS:
        if values := [v for v in request.GET.getlist(name) if v.strip()]:
            data.setlist(name, values)
    return StanceFilters(data, topic=topic)


def canonical_query(codes: list[str], filters: StanceFilters) -> str:
    """The share link's query: the countries in the reader's order, then the dates."""
    countries = urlencode([("country", c) for c in codes])
    dates = filters.querystring()
    return "&".join(part for part in (countries, dates) if part)


def compare_build(
    topic: Topic, countries: list[tuple[int, str, str]], filters: StanceFilters, today: dt.date
) -> Comparison:
    """Each country's official line as bands (the whole line, as on its timeline: the
    dates zoom, they do not filter it) and its official statements matching the dates as
    markers, on one axis. Two queries, whatever the number of countries."""
    as_of = filters.as_of_date
    scope = Q(topic=topic, country_id__in=[pk for pk, _, _ in countries])
    changes, _latest = official_changes(filters.narrowed("as_of").apply(scope))
    markers, totals = country_markers(filters.apply(scope).filter(official_line_q()))
    runs = {pk: bands([r for r in changes if r[0] == pk], as_of or today) for pk, _, _ in countries}
    axis = axis_for(filters, [r[0].start for r in runs.values() if r], today=today)
    as_of_query = filters.narrowed("as_of").querystring()
    rows = []
    for pk, iso2, name in countries:
        drawn = markers.get(pk, [])
        url = reverse("stances:country", args=[topic.slug, iso2.lower()])
        rows.append(
            Row(
                label=name,
                url=url + (f"?{as_of_query}" if as_of_query else ""),
                position=runs[pk][-1].position if runs[pk] else "",
                note="" if runs[pk] else "no position on record",
                markers=drawn,
                svg=markers_svg(axis, name, drawn),
                band_svg=axis_bands_svg(axis, runs[pk]),
            )
        )
    return Comparison(
        rows=rows,
        ticks_svg=ticks_svg(axis),
        not_drawn=sum(totals[pk] - len(found) for pk, found in markers.items()),
        end_label=axis.end_label,
    )


def country_selects(codes: list[str], known: dict[str, tuple[int, str]]) -> list[dict]:
    """COMPARE_MAX choosers, the chosen countries first. Built here: six lists of ~200
    options are more than a template loop should render per request."""
    by_name = sorted(known.items(), key=lambda item: item[1][1])
    selects = []
    for i in range(COMPARE_MAX):
        chosen = codes[i] if i < len(codes) else ""
        options = format_html_join(
            "",
            "<option value=\"{}\"{}>{}</option>",
            ((code, " selected" if code == chosen else "", name) for code, (_, name) in by_name),
        )
        prompt = "None" if i >= COMPARE_MIN else "Choose…"
        empty = format_html('<option value="">{}</option>', prompt)
        selects.append(
            {"number": i + 1, "id": f"compare-country-{i + 1}", "options": empty + options}
        )
    return selects


@require_safe
def compare(request: HttpRequest, topic_slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=topic_slug)
    filters = _dates(request, topic)
    codes = chosen_codes(request)
    countries = Country.objects.values_list("pk", "iso2", "name")
    known = {iso2: (pk, name) for pk, iso2, name in countries}
    errors = code_errors(codes, known)
    query = canonical_query(codes, filters)
    if not errors and not filters.errors and request.GET.urlencode() != query:
        # Lower-case, repeated or empty choices: the address becomes the clean share link.
        return redirect(request.path + (f"?{query}" if query else ""))
    comparison = None
    version = None
    chosen = [(known[c][0], c, known[c][1]) for c in codes if c in known]
    if not errors and len(chosen) >= COMPARE_MIN:
        version = data_version()
        today = timezone.localdate()
        comparison = cached(
            cache_key("compare", topic.pk, query, version, today),
            lambda: compare_build(topic, chosen, filters, today),
        )
    context = {
        "topic": topic,
        "filters": filters,
        "codes": codes,
        "errors": errors,
        "comparison": comparison,
        "selects": country_selects(codes, known),
        "query": query,
        "action": request.path,
        "version": version,
        "compare_min": COMPARE_MIN,
        "compare_max": COMPARE_MAX,
        "absolute_url": request.build_absolute_uri(),
        "as_of_query": filters.narrowed("as_of").querystring(),
    }
    status = 400 if errors or filters.errors else 200
    return TemplateResponse(request, "stances/compare.html", context, status=status)
