"""Country groups as readers meet them: the group's tally on the overview (`?group=nato`)
and the page listing every group with its members and where that list comes from."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from .models import Country, CountryGroup
from .summaries import POSITIONS, CountryRow, Overview


@dataclass
class GroupTally:
    """How the members of a group stand, as the overview's filters see them."""

    group: CountryGroup
    members: int
    counts: dict[str, int]
    silent: list[CountryRow]  # members with no position on record, by name


def group_tally(group: CountryGroup | None, overview: Overview) -> GroupTally | None:
    """The tally of `group` from an overview already narrowed to it (no query: its rows are
    the members)."""
    if group is None:
        return None
    rows = sorted(overview.countries.values(), key=lambda r: r.name)
    return GroupTally(
        group=group,
        members=len(rows),
        counts={p: sum(1 for r in rows if r.position == p) for p in POSITIONS},
        silent=[r for r in rows if not r.position],
    )


@require_safe
def group_index(request: HttpRequest) -> TemplateResponse:
    groups = CountryGroup.objects.prefetch_related(
        Prefetch("members", queryset=Country.objects.order_by("name"))
    )
    return TemplateResponse(
        request,
        "stances/groups.html",
        {"groups": groups, "topic_slug": settings.DEFAULT_TOPIC},
    )
