"""The overview's chart as files: a standalone SVG and a PNG, of exactly the view the
overview's filters name, named like the exports (topic, day, data version).

The PNG is drawn with Pillow from the same chart the page draws, with the font Pillow
ships (no system fonts, no browser, nothing fetched).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe
from PIL import Image, ImageDraw, ImageFont

from .chart import COLOURS, DASHES, POSITIONS, SYMBOLS, Chart
from .exports import Selection, attachment, bad_request
from .filters import StanceFilters
from .models import Topic
from .summaries import cache_key, cached, data_version, overview_build, short_version

TITLE = "Countries per position over time"
HEADER = 36  # above the chart: the title
FOOTER = 56  # below it: the legend and the source line
SCALE = 2  # the PNG is drawn at twice the SVG's units, for sharp text


@dataclass
class ChartView:
    """The chart of the view the overview's filters name, and what its file is named by."""

    selection: Selection
    chart: Chart
    version: str  # short_version: the file's name and its source line

    def headers(self, ext: str) -> dict[str, str]:
        return attachment("chart", self.selection, self.selection.stamp, ext, self.version)

    def title(self) -> str:
        return f"{self.selection.topic.title}: {TITLE.lower()}"

    def source(self, request: HttpRequest) -> str:
        query = self.selection.filters.querystring()
        url = request.build_absolute_uri(
            reverse("stances:overview", args=[self.selection.topic.slug])
        )
        return f"Stance tracker, {url}{'?' + query if query else ''}, data version {self.version}"


def _chart_view(request: HttpRequest, topic_slug: str) -> ChartView | HttpResponse:
    """The chart as the overview draws it for these filters, or a 400 naming the errors."""
    topic = get_object_or_404(Topic, slug=topic_slug)
    filters = StanceFilters.for_request(request, topic)
    if not filters.is_valid():
        return bad_request(filters.error_lists())
    version = data_version()
    chart = overview_build(topic, filters, version=version).chart
    return ChartView(Selection(topic=topic, country=None, filters=filters), chart,
                     short_version(version))


@require_safe
def chart_svg(request: HttpRequest, topic_slug: str) -> HttpResponse:
    view = _chart_view(request, topic_slug)
    if isinstance(view, HttpResponse):
        return view
    chart = view.chart
    body = render_to_string(
        "stances/chart.svg",
        {
            "chart": chart,
            "steps": chart.steps,
            "title": view.title(),
            "source": view.source(request),
            "height": chart.height + HEADER + FOOTER,
            "header": HEADER,
            "legend_y": chart.height + HEADER + 18,
            "source_y": chart.height + HEADER + 42,
            "legend": _legend(chart),
        },
    )
    return HttpResponse(body, content_type="image/svg+xml", headers=view.headers("svg"))


def _legend(chart: Chart) -> list[tuple[str, str, str, int]]:
    """(position, colour, dash, x) of each legend entry, side by side."""
    return [
        (f"{SYMBOLS[p]} {p}", COLOURS[p], DASHES[p], chart.x_start + 130 * k)
        for k, p in enumerate(POSITIONS)
    ]


@require_safe
def chart_png(request: HttpRequest, topic_slug: str) -> HttpResponse:
    view = _chart_view(request, topic_slug)
    if isinstance(view, HttpResponse):
        return view
    title, source = view.title(), view.source(request)
    # Drawing costs more than the rest of the request (~0.1 s): once per view and state of
    # the data (the source line names both), then served from the cache like the pages.
    body = cached(
        cache_key("chart-png", title, source),
        lambda: draw_png(view.chart, title=title, source=source),
    )
    return HttpResponse(body, content_type="image/png", headers=view.headers("png"))


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    # Pillow's own font (Aileron), bundled in its wheel: the same on every machine.
    return ImageFont.load_default(size=size * SCALE)


def _dashed(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]], colour: str,
            dash: tuple[int, ...], width: int) -> None:
    """A polyline, dashed as the SVG's stroke-dasharray (Pillow has no dashes)."""
    if not dash:
        draw.line(points, fill=colour, width=width, joint="curve")
        return
    pattern = [d * SCALE for d in dash]
    k, left, on = 0, pattern[0], True
    for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
        length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
        done = 0.0
        while done < length:
            run = min(left, length - done)
            if on:
                a, b = done / length, (done + run) / length
                draw.line(
                    [(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                     (x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
                    fill=colour, width=width,
                )
            done += run
            left -= run
            if left <= 0:
                k = (k + 1) % len(pattern)
                left, on = pattern[k], not on


def draw_png(chart: Chart, *, title: str, source: str) -> bytes:
    """The chart as a PNG: the SVG's layout at SCALE, with its title, legend and source."""
    s = SCALE
    width, height = chart.width * s, (chart.height + HEADER + FOOTER) * s
    image = Image.new("RGB", (width, height), "#ffffff")
    draw = ImageDraw.Draw(image)
    ink, muted, grid = "#1d1d1f", "#5f6368", "#e5e7eb"
    small, normal, bold = _font(11), _font(12), _font(15)

    def at(x: float, y: float) -> tuple[float, float]:
        return x * s, (y + HEADER) * s

    draw.text((16 * s, 12 * s), title, fill=ink, font=bold)
    for y, value in chart.yticks:
        draw.line([at(chart.x_start, y), at(chart.x_end, y)], fill=grid, width=s)
        draw.text(at(chart.x_start - 6, y), str(value), fill=muted, font=small, anchor="rm")
    draw.line([at(chart.x_start, chart.baseline), at(chart.x_end, chart.baseline)],
              fill=muted, width=s)
    for x, label, year in chart.ticks:
        draw.line([at(x, chart.baseline), at(x, chart.baseline + 5)], fill=muted, width=s)
        draw.text(at(x, chart.baseline + 13), label, fill=muted, font=small, anchor="mm")
        if year:
            draw.text(at(x, chart.baseline + 27), year, fill=ink, font=small, anchor="mm")
    draw.text(at(chart.x_mid, chart.x_title_y - 4), "Month of statement", fill=ink,
              font=normal, anchor="mm")
    # The count axis' title, turned as in the SVG.
    label = Image.new("RGBA", (120 * s, 16 * s), (255, 255, 255, 0))
    ImageDraw.Draw(label).text((60 * s, 8 * s), "Countries", fill=ink, font=normal, anchor="mm")
    label = label.rotate(90, expand=True)
    image.paste(label, (int((chart.y_title_x - 8) * s), int(at(0, chart.y_title_y)[1] - 60 * s)),
                label)
    for _position, line, colour, dash in chart.series:
        points = [at(*map(float, pair.split(","))) for pair in line.split()]
        if len(points) > 1:
            _dashed(draw, points, colour, tuple(int(d) for d in dash.split()), int(2.5 * s))
    for i in chart.changes:
        x, y = at(chart.x(i), chart.baseline)
        draw.ellipse([x - 3 * s, y - 3 * s, x + 3 * s, y + 3 * s], fill=ink)
    legend_y = chart.height + 18
    for k, p in enumerate(POSITIONS):
        x = chart.x_start + 130 * k
        dash = tuple(int(d) for d in DASHES[p].split())
        _dashed(draw, [at(x, legend_y), at(x + 28, legend_y)], COLOURS[p], dash, int(2.5 * s))
        # Words, not symbols: Pillow's font has no ✔ ◐ ✖, and the word says it all.
        draw.text(at(x + 34, legend_y), p, fill=ink, font=normal, anchor="lm")
    draw.text(at(16, chart.height + 42), source, fill=muted, font=small, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
