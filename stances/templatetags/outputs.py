"""What the analyst pages link to and show from the outputs: exports and feeds of the view,
and the recorded changes of position. Tags read the page's context (topic, country, actor,
filters), so each page needs one line to carry them."""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from stances.filters import end_of_day
from stances.models import PositionChange
from stances.summaries import short_version

register = template.Library()

CHANGES_SHOWN = 20


def _export_query(context) -> str:
    topic, country, actor = context.get("topic"), context.get("country"), context.get("actor")
    params = QueryDict(context.get("query", ""), mutable=True)
    if topic is None and actor is None:
        return ""
    params["topic"] = topic.slug if topic else settings.DEFAULT_TOPIC
    if country is not None:
        params["country"] = country.iso2.lower()
    if actor is not None:
        params["actor"] = actor.slug
    return params.urlencode()


def _feed_url(context) -> str:
    topic, country = context.get("topic"), context.get("country")
    if topic is None:
        return ""
    if country is not None:
        return reverse("outputs:country_feed", args=[topic.slug, country.iso2])
    url = reverse("outputs:topic_feed", args=[topic.slug])
    # A group's overview links to its members' feed.
    filters = context.get("filters")
    group = filters.values.get("group") if filters is not None else None
    return f"{url}?{urlencode({'group': group.slug})}" if group else url


@register.inclusion_tag("stances/_outputs.html", takes_context=True)
def output_links(context) -> dict:
    """Export links of exactly this view (its filters, as_of included), and its feed."""
    query = _export_query(context)
    # The overview's table order (sort=) orders its own download, not the stances'.
    stances_query = QueryDict(query, mutable=True)
    stances_query.pop("sort", None)
    stances_query = stances_query.urlencode()
    topic, country, actor = context.get("topic"), context.get("country"), context.get("actor")
    watch = ""
    if topic is not None:
        watch_params = QueryDict(mutable=True)
        watch_params["topic"] = topic.slug
        if country is not None:
            watch_params["country"] = country.iso2
        watch = f"{reverse('outputs:subscriptions')}?{watch_params.urlencode()}"
    return {
        # On the overview (a topic, no country or actor) the table is a view of its own.
        "table_query": query if topic is not None and country is None and actor is None else "",
        "csv_url": f"{reverse('outputs:export_csv')}?{stances_query}" if query else "",
        "json_url": f"{reverse('outputs:export_json')}?{stances_query}" if query else "",
        "feed_url": _feed_url(context),
        "watch_url": watch,
        # On the overview, the topic's change log sits with its feed.
        "changes_url": reverse("stances:topic_changes", args=[topic.slug])
        if topic is not None and country is None and actor is None
        else "",
        "watch_label": country.name if country is not None else (topic.title if topic else ""),
    }


@register.simple_tag(takes_context=True)
def changes_url(context) -> str:
    """The change log of the page's topic, else of the default topic (the site footer)."""
    topic = context.get("topic")
    return reverse("stances:topic_changes", args=[topic.slug if topic else settings.DEFAULT_TOPIC])


@register.simple_tag(takes_context=True)
def feed_url(context) -> str:
    return _feed_url(context)


@register.inclusion_tag("stances/_changes.html", takes_context=True)
def position_changes(context) -> dict:
    """Changes of position recorded by the day shown (as_of) or now: on a country's
    timeline all of them, on the overview those of the last RECENT_CHANGE_DAYS."""
    topic, country = context.get("topic"), context.get("country")
    filters = context.get("filters")
    as_of: dt.date | None = filters.as_of_date if filters is not None else None
    moment = end_of_day(as_of) if as_of else timezone.now()
    recent_from = moment - dt.timedelta(days=settings.RECENT_CHANGE_DAYS)
    rows = PositionChange.objects.for_topic(topic).known_at(moment).with_related().latest_first()
    # A timeline lists the country's whole record; the overview only the last week's.
    rows = rows.for_country(country) if country is not None else rows.since(recent_from)
    changes = list(rows[:CHANGES_SHOWN])
    for change in changes:
        change.recent = change.recorded_at >= recent_from
    return {
        "changes": changes,
        "topic": topic,
        "country": country,
        "recent_days": settings.RECENT_CHANGE_DAYS,
        "as_of": as_of,
    }


@register.inclusion_tag("stances/_cite.html", takes_context=True)
def cite_this(context, title: str, oob: bool = False) -> dict:
    """"Cite as: Stance tracker, “<title>”, <URL>, data version <v>, retrieved <day>": the
    page's absolute URL pinned to a day (`as_of`, today's when the reader did not choose
    one), so the citation names the record as it stood, and the short data version.
    `oob`: sent with an htmx fragment, to replace the page's line (hx-swap-oob)."""
    request = context.get("request")
    today = timezone.localdate()
    url = ""
    if request is not None:
        params = request.GET.copy()
        # A filter form submitted by htmx sends its empty fields too: not part of the view.
        for name in [n for n, values in params.lists() if not any(v.strip() for v in values)]:
            del params[name]
        if not params.get("as_of"):
            params["as_of"] = today.isoformat()
        url = request.build_absolute_uri(f"{request.path}?{params.urlencode()}")
    version = context.get("version")
    short = getattr(request, "_short_version", None)
    if short is None:
        short = short_version(version if isinstance(version, tuple) else None)
        if request is not None:
            request._short_version = short
    return {"title": title, "url": url, "version": short, "retrieved": today, "oob": oob}
