"""The /embed/ pages: the overview's chart and a country's official line, each a minimal
page (no site navigation) with a link back to the full view and the line to cite.

Framed only by the origins the deployment lists in EMBED_ALLOWED_ORIGINS: by default no
one (X-Frame-Options DENY and CSP frame-ancestors 'none', as every other page).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from csp.decorators import csp_replace
from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from .dateline import timeline_dateline
from .filters import StanceFilters
from .models import Country, Topic
from .summaries import (
    country_bands,
    data_version,
    overview_build,
    short_version,
)


def framable_by_allowed_origins(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Lets the origins of EMBED_ALLOWED_ORIGINS frame the view (CSP frame-ancestors, and no
    X-Frame-Options, which cannot name origins); with none listed the site's defaults stay.
    Read per request, so the setting is the deployment's, not the import's."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        origins = list(settings.EMBED_ALLOWED_ORIGINS)
        if not origins:
            return view(request, *args, **kwargs)
        framed = xframe_options_exempt(csp_replace({"frame-ancestors": origins})(view))
        return framed(request, *args, **kwargs)

    return wrapper


def _pinned(url: str, filters: StanceFilters) -> str:
    """The full view's absolute address pinned to a day, as the pages' "Cite as" line."""
    query = filters.querystring()
    if "as_of=" not in query:
        day = f"as_of={timezone.localdate().isoformat()}"
        query = f"{query}&{day}" if query else day
    return f"{url}?{query}"


def _context(request: HttpRequest, filters: StanceFilters, full: str, version: tuple) -> dict:
    query = filters.querystring()
    source = request.build_absolute_uri(full)
    return {
        "filters": filters,
        "query": query,
        "source_url": f"{source}?{query}" if query else source,
        "url": _pinned(source, filters),
        "version": short_version(version),
        "retrieved": timezone.localdate(),
    }


@require_safe
@framable_by_allowed_origins
def embed_chart(request: HttpRequest, topic_slug: str) -> TemplateResponse:
    topic = get_object_or_404(Topic, slug=topic_slug)
    filters = StanceFilters.for_request(request, topic)
    version = data_version()
    summary = overview_build(topic, filters, version=version)
    full = reverse("stances:overview", args=[topic.slug])
    return TemplateResponse(
        request,
        "stances/embed_chart.html",
        {
            "topic": topic,
            "chart": summary.chart,
            "title": topic.title,
            **_context(request, filters, full, version),
        },
    )


@require_safe
@framable_by_allowed_origins
def embed_country(request: HttpRequest, topic_slug: str, iso2: str) -> TemplateResponse:
    topic = get_object_or_404(Topic, slug=topic_slug)
    country = get_object_or_404(Country, iso2=iso2)
    filters = StanceFilters.for_request(request, topic).narrowed("as_of")
    version = data_version()
    scope = Q(topic=topic, country=country)
    today = timezone.localdate()
    history = country_bands(topic, country, filters, version=version, today=today)
    full = reverse("stances:country", args=[topic.slug, country.iso2])
    return TemplateResponse(
        request,
        "stances/embed_country.html",
        {
            "topic": topic,
            "country": country,
            "current": history[-1] if history else None,
            "bands": history,
            # The country page's drawing: the band on a date axis, each statement a marker.
            "dateline": timeline_dateline(
                filters, scope, history, official_name="Official line", today=today
            ),
            "title": f"{country.name} · {topic.title}",
            **_context(request, filters, full, version),
        },
    )

