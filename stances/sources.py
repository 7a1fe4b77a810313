"""The review queue's "New sources for approved stances" tab: when extraction finds a
statement already on record in another report, its sentence is attached to the approved
stance but waits here, unseen by readers, until a curator accepts it (readers see it, and
the stance counts one more source) or rejects it.

Every view checks the permission itself (`sources_curator_required`); templates only hide
links. One view serves the whole tab and, for htmx, the list; an action answers htmx with
the one card it changed, and anything else with a redirect back.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST, require_safe

from . import services
from .models import Dispute, Evidence
from .review import back_to, context_annotations, paragraph_cut, review_tabs
from .roles import sources_curator_required
from .views import HtmxHttpRequest

# (action, button, key): the queue's own keys for approve and reject.
ACTIONS = [("accept", "Accept", "a"), ("reject", "Reject", "r")]


class SourceActionForm(forms.Form):
    action = forms.ChoiceField(choices=[(a, label) for a, label, _ in ACTIONS])


def _cards(rows: QuerySet[Evidence]) -> QuerySet[Evidence]:
    """New sources with what a card shows: the stance (country, actor), the sentences
    readers see of it now, and the article's text around the new sentence."""
    accepted = (
        Evidence.objects.accepted()
        .select_related("article__outlet")
        .defer("article__text")
        .order_by("article_id", "start")
    )
    return (
        rows.select_related("stance__country", "stance__actor", "article__outlet")
        .defer("article__text")
        .prefetch_related(Prefetch("stance__evidence", queryset=accepted, to_attr="accepted"))
        .annotate(**context_annotations())
    )


def _card(evidence: Evidence) -> Evidence:
    evidence.before, evidence.after = paragraph_cut(
        getattr(evidence, "text_before", ""), getattr(evidence, "text_after", "")
    )
    accepted = getattr(evidence.stance, "accepted", [])
    evidence.sources = len({e.article_id for e in accepted})
    return evidence


@require_safe
@sources_curator_required
def sources_queue(request: HtmxHttpRequest) -> TemplateResponse:
    rows = _cards(Evidence.objects.new_sources()).order_by("created_at", "pk")
    page = Paginator(rows, settings.REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [_card(e) for e in page.object_list]
    template = (
        "stances/review_sources.html#sources" if request.htmx else "stances/review_sources.html"
    )
    return TemplateResponse(
        request,
        template,
        {
            "page": page,
            "cards": cards,
            "actions": ACTIONS,
            "open_disputes": Dispute.objects.open().count(),
            **review_tabs(request, current="sources", new_sources=page.paginator.count),
        },
    )


@require_POST
@sources_curator_required
def source_action(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(Evidence.objects.select_related("stance__country"), pk=pk)
    form = SourceActionForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Unknown action.", status=400)
    accept = form.cleaned_data["action"] == "accept"
    try:
        services.evidence_review(evidence=evidence, accept=accept, user=request.user)
        already = False
    except services.EvidenceDecided:
        already = True
    if request.htmx:
        card = _card(_cards(Evidence.objects.select_related("reviewed_by")).get(pk=pk))
        return TemplateResponse(
            request,
            "stances/review_sources.html#card",
            {"evidence": card, "actions": ACTIONS, "done": True, "already": already},
        )
    evidence.refresh_from_db()
    country = evidence.stance.country
    if already:
        messages.warning(
            request,
            f"{country}: this source was already {evidence.get_status_display().lower()}"
            f" by {evidence.reviewed_by or 'someone'}, or its stance is no longer approved.",
        )
    else:
        messages.success(request, f"{country}: new source {evidence.status}.")
    return back_to(request, "review:sources")
