"""Analyst pages: server-rendered, each works without JavaScript; htmx only swaps regions."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from ingest.models import Article

from .models import Actor, Country, Evidence, Position, Stance, Topic


def _evidence_prefetch() -> Prefetch:
    return Prefetch(
        "evidence",
        queryset=Evidence.objects.select_related("article__outlet").order_by("article_id", "start"),
    )


@require_safe
def home(request: HttpRequest):
    return redirect("stances:overview", topic_slug=settings.DEFAULT_TOPIC)


@require_safe
def overview(request: HttpRequest, topic_slug: str) -> TemplateResponse:
    topic = get_object_or_404(Topic, slug=topic_slug)
    countries = list(Country.objects.with_latest_position(topic).order_by("name"))
    with_position = [c for c in countries if c.latest_position]
    counts = {p: sum(1 for c in with_position if c.latest_position == p) for p in Position.values}
    return TemplateResponse(
        request,
        "stances/overview.html",
        {
            "topic": topic,
            "countries": with_position,
            "counts": counts,
            "silent_count": len(countries) - len(with_position),
        },
    )


@require_safe
def country_timeline(request: HttpRequest, topic_slug: str, iso2: str) -> TemplateResponse:
    topic = get_object_or_404(Topic, slug=topic_slug)
    country = get_object_or_404(Country, iso2=iso2)
    stances = (
        Stance.objects.approved()
        .for_topic(topic)
        .for_country(country)
        .with_related()
        .prefetch_related(_evidence_prefetch())
        .chronological()
    )
    return TemplateResponse(
        request,
        "stances/country.html",
        {"topic": topic, "country": country, "stances": stances},
    )


@require_safe
def stance_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    stance = get_object_or_404(
        Stance.objects.approved().with_related().prefetch_related(_evidence_prefetch()), pk=pk
    )
    return TemplateResponse(request, "stances/stance.html", {"stance": stance})


@require_safe
def actor_detail(request: HttpRequest, slug: str) -> TemplateResponse:
    actor = get_object_or_404(Actor.objects.select_related("country"), slug=slug)
    stances = (
        Stance.objects.approved()
        .filter(actor=actor)
        .with_related()
        .prefetch_related(_evidence_prefetch())
        .chronological()
    )
    return TemplateResponse(request, "stances/actor.html", {"actor": actor, "stances": stances})


@require_safe
def article_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    evidence = (
        Evidence.objects.filter(article=article, stance__status="approved")
        .select_related("stance__country", "stance__actor")
        .order_by("start")
    )
    return TemplateResponse(
        request,
        "stances/article.html",
        {"article": article, "segments": article_segments(article.text, list(evidence))},
    )


def article_segments(text: str, evidence: list[Evidence]) -> list[tuple[str, Evidence | None]]:
    """Cut the text into plain runs and evidence spans, so the template can highlight them.

    Overlapping spans (two stances citing one sentence) are shown once, by the first.
    """
    segments: list[tuple[str, Evidence | None]] = []
    cursor = 0
    for item in sorted(evidence, key=lambda e: (e.start, e.end)):
        if item.start < cursor or item.end > len(text):
            continue
        if item.start > cursor:
            segments.append((text[cursor : item.start], None))
        segments.append((text[item.start : item.end], item))
        cursor = item.end
    if cursor < len(text):
        segments.append((text[cursor:], None))
    return segments
