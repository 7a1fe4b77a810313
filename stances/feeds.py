"""Atom feeds per topic and per country: newly approved stances and changes of position."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, get_tag_uri

from .changelog import Entry, topic_changes
from .filters import OFFER_PARAMS, StanceFilters
from .models import Country, CountryGroup, PositionChange, Stance, Topic, evidence_shown

FEED_LENGTH = 50


@dataclass(frozen=True)
class Scope:
    topic: Topic
    country: Country | None
    # ?contribution=naval&condition=us_backstop: the statements, and the changes of the
    # official line to or from such an offer.
    offers: dict = field(default_factory=dict)
    # ?group=nato: its members' statements and changes (the overview's feed link keeps it).
    group: CountryGroup | None = None


def _offers(request: HttpRequest, topic: Topic) -> dict:
    filters = StanceFilters(request.GET, topic=topic).narrowed("contribution", "condition")
    return {k: v for k, v in filters.values.items() if k in OFFER_PARAMS}


def _group(request: HttpRequest) -> CountryGroup | None:
    return StanceFilters(request.GET).narrowed("group").values.get("group")


def _entries(scope: Scope) -> list[Stance | PositionChange]:
    stances = (
        Stance.objects.approved()
        .for_topic(scope.topic)
        .select_related("country", "actor", "topic")
        .prefetch_related(evidence_shown())
        .order_by("-reviewed_at", "-pk")
    )
    changes = PositionChange.objects.for_topic(scope.topic).with_related().latest_first()
    if scope.country:
        stances = stances.for_country(scope.country)
        changes = changes.for_country(scope.country)
    if scope.group:
        stances = stances.filter(country_id__in=scope.group.member_ids())
        changes = changes.filter(country_id__in=scope.group.member_ids())
    for name, codes in scope.offers.items():
        field_name = OFFER_PARAMS[name]
        stances = stances.filter(_any_of(field_name, codes))
        if name == "contribution":
            changes = changes.filter(
                _any_of("contributions", codes) | _any_of("previous_contributions", codes)
            )
        else:
            changes = changes.filter(_any_of("stance__conditions", codes))
    merged = [*stances[:FEED_LENGTH], *changes[:FEED_LENGTH]]
    merged.sort(key=_when, reverse=True)
    return merged[:FEED_LENGTH]


def _any_of(field_name: str, codes: list[str]) -> Q:
    found = Q()
    for code in codes:
        found |= Q(**{f"{field_name}__includes": code})
    return found


def _when(item: Stance | PositionChange) -> dt.datetime:
    if isinstance(item, PositionChange):
        return item.recorded_at
    return item.reviewed_at or item.created_at


class TopicFeed(Feed):
    feed_type = Atom1Feed
    author_name = "Stance tracker"

    def get_object(self, request: HttpRequest, topic_slug: str) -> Scope:
        topic = get_object_or_404(Topic, slug=topic_slug)
        return Scope(topic, None, _offers(request, topic), _group(request))

    def title(self, scope: Scope) -> str:
        if scope.country:
            return f"{scope.country.name} · {scope.topic.title}"
        if scope.group:
            return f"{scope.group.name} · {scope.topic.title}"
        return scope.topic.title

    def subtitle(self, scope: Scope) -> str:
        return "Newly reviewed stances and changes of position, with their evidence."

    def link(self, scope: Scope) -> str:
        if scope.country:
            return reverse("stances:country", args=[scope.topic.slug, scope.country.iso2])
        return scope.topic.get_absolute_url()

    def feed_url(self, scope: Scope) -> str:
        if scope.country:
            return reverse("outputs:country_feed", args=[scope.topic.slug, scope.country.iso2])
        return reverse("outputs:topic_feed", args=[scope.topic.slug])

    def items(self, scope: Scope) -> list[Stance | PositionChange]:
        return _entries(scope)

    def item_title(self, item: Stance | PositionChange) -> str:
        if isinstance(item, PositionChange):
            if item.previous_position == item.position:
                offer = item.offer_change_label
                return f"{item.country.name}: {item.position_label.lower()}, {offer}"
            moved = f"{item.previous_label.lower()} → {item.position_label.lower()}"
            offer = f" ({item.offer_change_label})" if item.offer_changed else ""
            return f"{item.country.name}: {moved}{offer}"
        who = f" ({item.actor.name})" if item.actor else ""
        return f"{item.country.name}: {item.get_position_display().lower()}{who}, {item.date_label}"

    def item_description(self, item: Stance | PositionChange) -> str:
        if isinstance(item, PositionChange):
            stance = item.stance
            since = f" since {stance.date_label}" if stance else ""
            who = f", said by {stance.actor.name}" if stance and stance.actor else ""
            return (
                f"{item.country.name}'s current position is now {item.position_label.lower()}"
                f"{since}{who} (was {item.previous_label.lower()})."
                + (f" What it offers changed: {item.offer_change_label}." if item.offer_changed
                   else "")
            )
        quotes = [
            f"“{e.sentence}” ({e.article.outlet.name if e.article.outlet else 'unknown outlet'})"
            for e in item.evidence.all()
        ]
        # Not the stance's summary, which is the extractor's sentence: only accepted evidence.
        return " ".join(quotes) or self.item_title(item)

    def item_link(self, item: Stance | PositionChange) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Stance | PositionChange) -> str:
        # Tag URIs (RFC 4151) keep an entry's id stable when its page moves or is re-reviewed.
        kind = "change" if isinstance(item, PositionChange) else "stance"
        created = item.recorded_at if isinstance(item, PositionChange) else item.created_at
        return get_tag_uri(f"http://stance-tracker.invalid/{kind}/{item.pk}", created)

    def item_pubdate(self, item: Stance | PositionChange) -> dt.datetime:
        return _when(item)

    def item_updateddate(self, item: Stance | PositionChange) -> dt.datetime:
        return _when(item)

    def item_categories(self, item: Stance | PositionChange) -> list[str]:
        position = item.position if item.position else "none"
        kind = "position-change" if isinstance(item, PositionChange) else "stance"
        return [kind, position, item.country.iso2]


class CountryFeed(TopicFeed):
    def get_object(self, request: HttpRequest, topic_slug: str, iso2: str) -> Scope:
        topic = get_object_or_404(Topic, slug=topic_slug)
        return Scope(topic, get_object_or_404(Country, iso2=iso2), _offers(request, topic))


class ChangesFeed(Feed):
    """The topic's public change log (stances.changelog) as Atom: its latest entries."""

    feed_type = Atom1Feed
    author_name = "Stance tracker"

    def get_object(self, request: HttpRequest, topic_slug: str) -> Topic:
        return get_object_or_404(Topic, slug=topic_slug)

    def title(self, topic: Topic) -> str:
        return f"Change log · {topic.title}"

    def subtitle(self, topic: Topic) -> str:
        return (
            "Every reviewed change of the record: approvals, corrections, withdrawals, "
            "new sources and changes of position."
        )

    def link(self, topic: Topic) -> str:
        return reverse("stances:topic_changes", args=[topic.slug])

    def feed_url(self, topic: Topic) -> str:
        return reverse("outputs:changes_feed", args=[topic.slug])

    def items(self, topic: Topic) -> list[Entry]:
        return topic_changes(topic)[:FEED_LENGTH]

    def item_title(self, item: Entry) -> str:
        return f"{item.label}: {item.title}"

    def item_description(self, item: Entry) -> str:
        parts = [f"{c.label}: {c.old} → {c.new}" for c in item.changes]
        if item.detail:
            parts.append(item.detail)
        return "; ".join(parts) or self.item_title(item)

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return get_tag_uri(f"http://stance-tracker.invalid/log/{item.key}", item.when)

    def item_pubdate(self, item: Entry) -> dt.datetime:
        return item.when

    def item_updateddate(self, item: Entry) -> dt.datetime:
        return item.when

    def item_categories(self, item: Entry) -> list[str]:
        return [item.kind]
