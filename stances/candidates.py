"""The review queue's "Needs a position" tab: sentences on the topic that name a country
for which the extractor could decide no position. A curator places each one (pledge, hedge
or rejection), which makes an approved stance with the sentence as evidence, or dismisses it.

Every view checks the permission itself (`candidates_curator_required`); templates only hide
links. One view serves the whole tab and, for htmx, the list; an action answers htmx with
the one card it changed, and anything else with a redirect back.
"""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST, require_safe

from ingest.extraction.gazetteer import gazetteer, normalise, word_starts

from . import services
from .models import Candidate, Dispute, EvidenceKind, Position
from .review import back_to, context_annotations, paragraph_cut, review_tabs
from .roles import candidates_curator_required
from .views import HtmxHttpRequest

# (action, button, key): one key per decision, beside the queue's j/k (move), a/r/e
# (approve, reject, correct) and x (select); "n" for a rejection ("no"): "r" and "x" are taken.
ACTIONS = [
    (Position.PLEDGE.value, "Pledge", "p"),
    (Position.HEDGE.value, "Hedge", "h"),
    (Position.REJECTION.value, "Rejection", "n"),
    ("dismiss", "Dismiss", "d"),
]


class CandidateActionForm(forms.Form):
    action = forms.ChoiceField(choices=[*Position.choices, ("dismiss", "Dismiss")])
    # Blank keeps what was detected when the sentence was recorded.
    kind = forms.ChoiceField(choices=EvidenceKind.choices, required=False)


def _queue_rows() -> QuerySet[Candidate]:
    return (
        Candidate.objects.open()
        .select_related("article__outlet", "country")
        .defer("article__text")
        .annotate(**context_annotations())
        .order_by("created_at", "pk")
    )


def country_spans(sentence: str, iso2: str, also: str = "") -> list[tuple[int, int]]:
    """Where a sentence names a country, as the extractor reads names: the country's names,
    demonyms and capitals, and the groups it belongs to ("the Baltic states"). When it names
    none, the speaker stands for it (`also`, the actor's name), if the sentence has them."""
    g = gazetteer()
    text = normalise(sentence)  # one character for one: offsets hold in the sentence
    spans = [
        match.span()
        for match in word_starts(g.country_re, text, "_.")
        if g.countries[match.group()][0] == iso2
    ]
    if any(word in text for word in g.group_words):
        for match in word_starts(g.group_re, text):
            if match.group("adjs"):
                words = re.split(r"\s*(?:,|and|&)\s*", match.group("adjs"))
                members = {m for w in words for m in g.group_of[w.lower()].members}
            else:
                members = set(g.group_of[match.group("name").lower()].members)
            if iso2 in members:
                spans.append(match.span())
    if not spans and also and (at := text.find(also)) >= 0:
        spans.append((at, at + len(also)))
    return sorted(spans)


def highlighted(sentence: str, spans: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The sentence cut into (text, marked) runs, for the template to escape and mark."""
    parts: list[tuple[str, bool]] = []
    cursor = 0
    for start, end in spans:
        if start < cursor:
            continue  # overlapping mentions ("Baltic states" and a member): the first wins
        if start > cursor:
            parts.append((sentence[cursor:start], False))
        parts.append((sentence[start:end], True))
        cursor = end
    if cursor < len(sentence):
        parts.append((sentence[cursor:], False))
    return parts


def _card(candidate: Candidate) -> Candidate:
    spans = country_spans(candidate.sentence, candidate.country.iso2, candidate.actor_name)
    candidate.parts = highlighted(candidate.sentence, spans)
    candidate.before, candidate.after = paragraph_cut(
        getattr(candidate, "text_before", ""), getattr(candidate, "text_after", "")
    )
    candidate.kind = EvidenceKind.QUOTE if candidate.quote else EvidenceKind.REPORTED
    return candidate


def _context(candidate: Candidate, **extra) -> dict:
    return {
        "candidate": _card(candidate),
        "actions": ACTIONS,
        "kinds": EvidenceKind.choices,
        **extra,
    }


@require_safe
@candidates_curator_required
def candidates_queue(request: HtmxHttpRequest) -> TemplateResponse:
    page = Paginator(_queue_rows(), settings.REVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    cards = [_card(c) for c in page.object_list]
    template = (
        "stances/review_candidates.html#candidates"
        if request.htmx
        else "stances/review_candidates.html"
    )
    return TemplateResponse(
        request,
        template,
        {
            "page": page,
            "cards": cards,
            "actions": ACTIONS,
            "kinds": EvidenceKind.choices,
            "open_disputes": Dispute.objects.open().count(),
            **review_tabs(request, current="candidates", open_candidates=page.paginator.count),
        },
    )


@require_POST
@candidates_curator_required
def candidate_action(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate.objects.select_related("country"), pk=pk)
    form = CandidateActionForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Unknown action.", status=400)
    action = form.cleaned_data["action"]
    kind = form.cleaned_data["kind"]
    stance = None
    try:
        if action == "dismiss":
            services.candidate_dismiss(candidate=candidate, user=request.user)
        else:
            stance = services.candidate_accept(
                candidate=candidate,
                position=action,
                user=request.user,
                quote=(kind == EvidenceKind.QUOTE) if kind else None,
            )
        already = False
    except services.CandidateDecided as decided:
        candidate, already = decided.candidate, True
    except ValidationError as refused:
        # The article's text no longer holds the sentence where it was found.
        if request.htmx:
            return TemplateResponse(
                request,
                "stances/review_candidates.html#card",
                _context(_queue_rows().get(pk=candidate.pk), refused=" ".join(refused.messages)),
            )
        messages.error(request, f"{candidate.country}: {' '.join(refused.messages)}")
        return back_to(request, "review:candidates")
    if request.htmx:
        candidate = (
            Candidate.objects.select_related("country", "article", "reviewed_by", "stance")
            .defer("article__text")
            .get(pk=candidate.pk)
        )
        return TemplateResponse(
            request,
            "stances/review_candidates.html#card",
            _context(candidate, done=True, already=already),
        )
    if already:
        messages.warning(
            request,
            f"{candidate.country}: already {candidate.status} by "
            f"{candidate.reviewed_by or 'someone'}.",
        )
    elif stance is not None:
        messages.success(
            request,
            f"{candidate.country}: {stance.get_position_display()} recorded as an approved stance.",
        )
    else:
        messages.success(request, f"{candidate.country}: dismissed.")
    return back_to(request, "review:candidates")
