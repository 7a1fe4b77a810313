"""The review queue: curators approve, correct or reject what the extractor proposed,
resolve disputes, and read or revert the history of a stance.

Every view checks the curator permission itself (`curator_required`); templates only hide
buttons. Each view serves the whole page and, for htmx, the one region that changed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Value
from django.db.models.functions import Greatest, Substr
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from . import audit, roles, services
from .forms import (
    ASK_FOR_DATE,
    BulkReviewForm,
    DisputeResolveForm,
    ReviewFilterForm,
    StanceCorrectionForm,
    UndatedApprovalForm,
)
from .models import Candidate, Dispute, DisputeStatus, Evidence, Position, ReviewStatus, Stance
from .roles import curator_required, may_place_candidates

# Sentences shown on a queue card: enough to judge a claim by; a stance an article repeats a
# thousand times must not make the queue read them all (the rest are counted, not loaded).
CARD_EVIDENCE = 3


def _queue_evidence() -> Prefetch:
    """The first CARD_EVIDENCE sentences of each stance, as `card_evidence`."""
    return Prefetch(
        "evidence",
        queryset=Evidence.objects.select_related("article__outlet").order_by(
            "article_id", "start", "pk"
        )[:CARD_EVIDENCE],
        to_attr="card_evidence",
    )


def _with_evidence_total(stances):
    return stances.annotate(evidence_total=Count("evidence", distinct=True))


# The text shown either side of a sentence, cut at its paragraph: enough to judge it by.
CONTEXT_CHARS = 300


def context_annotations() -> dict:
    """Annotations of a row with `start`, `end` and an `article`: the article's text either
    side of the sentence (text_before, text_after), read by the database, so that a long
    article is not loaded for one sentence. `paragraph_cut` trims them to its paragraph."""
    context_from = Greatest(F("start") - CONTEXT_CHARS + 1, Value(1))
    return {
        "text_before": Substr("article__text", context_from, F("start") + 1 - context_from),
        "text_after": Substr("article__text", F("end") + 1, Value(CONTEXT_CHARS)),
    }


def paragraph_cut(before: str | None, after: str | None) -> tuple[str, str]:
    """The context of `context_annotations`, cut at the sentence's paragraph."""
    before, after = before or "", after or ""
    return before[before.rfind("\n") + 1 :], after.split("\n", 1)[0]


def paragraph_around(text: str, start: int, end: int) -> tuple[str, str, str]:
    """The paragraph holding a sentence, cut as (before, sentence, after), for highlighting."""
    begin = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", end)
    stop = len(text) if stop < 0 else stop
    # A paragraph is context, not the article: keep a readable window around the sentence.
    begin = max(begin, start - 600)
    stop = min(stop, end + 600)
    return text[begin:start], text[start:end], text[end:stop]


def _attach_context(stances: list[Stance]) -> None:
    """Per row: the evidence paragraphs and the likely duplicates or conflicts (other
    stances on the same country near the same date), in one query for the whole page."""
    for stance in stances:
        stance.snippets = [
            (e, *paragraph_around(e.article.text, e.start, e.end)) for e in stance.card_evidence
        ]
        stance.more_evidence = max(0, getattr(stance, "evidence_total", 0) - len(stance.snippets))
        stance.open_dispute = next(
            (d for d in stance.disputes.all() if d.status == DisputeStatus.OPEN), None
        )
    country_ids = {s.country_id for s in stances}
    window = dt.timedelta(days=settings.CORROBORATION_WINDOW_DAYS)
    neighbours = (
        Stance.objects.filter(country_id__in=country_ids)
        .exclude(status=ReviewStatus.REJECTED)
        .select_related("actor")
        .only(
            "pk",
            "country_id",
            "topic_id",
            "position",
            "status",
            "statement_date",
            "date_precision",
            "actor__name",
        )
    )
    by_country: dict[int, list[Stance]] = {}
    for other in neighbours:
        by_country.setdefault(other.country_id, []).append(other)
    for stance in stances:
        stance.likely = [
            other
            for other in by_country.get(stance.country_id, [])
            if other.pk != stance.pk
            and other.topic_id == stance.topic_id
            and (
                stance.statement_date is None
                or other.statement_date is None
                or abs(other.statement_date - stance.statement_date) <= window
            )
        ][:5]


@require_safe
@curator_required
def queue(request: HttpRequest) -> TemplateResponse:
    filters = ReviewFilterForm(request.GET or None)
    stances = (
        _with_evidence_total(Stance.objects.proposed())
        .with_related()
        .prefetch_related(_queue_evidence(), "disputes")
    )
    order = ["created_at", "pk"]
    if filters.is_valid():
        if filters.cleaned_data["country"]:
            stances = stances.filter(country=filters.cleaned_data["country"])
        if filters.cleaned_data["position"]:
            stances = stances.filter(position=filters.cleaned_data["position"])
        order = {
            "newest": ["-created_at", "-pk"],
            "confidence": ["confidence", "pk"],
        }.get(filters.cleaned_data["order"], order)
    page = Paginator(stances.order_by(*order), settings.REVIEW_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    _attach_context(rows)
    template = "stances/review.html#queue" if request.htmx else "stances/review.html"
    return TemplateResponse(
        request,
        template,
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "open_disputes": Dispute.objects.open().count(),
            **review_tabs(request, current="proposed"),
            "query": request.GET.urlencode(),
        },
    )


def review_tabs(
    request: HttpRequest,
    *,
    current: str,
    open_candidates: int | None = None,
    new_sources: int | None = None,
) -> dict:
    """What the tabs above each review page need: which is current, how many sentences need
    a position and how many new sources await review (each shown to those who may decide
    them). A page that counts one itself passes it."""
    may_place = may_place_candidates(request.user)
    if may_place and open_candidates is None:
        open_candidates = Candidate.objects.open().count()
    may_review_sources = roles.may_review_sources(request.user)
    if may_review_sources and new_sources is None:
        new_sources = Evidence.objects.new_sources().count()
    return {
        "tab": current,
        "may_place": may_place,
        "open_candidates": open_candidates,
        "may_review_sources": may_review_sources,
        "new_sources": new_sources,
    }


def back_to(request: HttpRequest, default: str = "review:queue") -> HttpResponse:
    """Without JavaScript, an action returns to the page it was taken on (`next`, if it is
    ours), filters and page number included."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    return redirect(target or default)


def _row_response(request: HttpRequest, stance: Stance, **extra) -> TemplateResponse:
    stance = (
        _with_evidence_total(Stance.objects.all())
        .with_related()
        .prefetch_related(_queue_evidence(), "disputes")
        .get(pk=stance.pk)
    )
    _attach_context([stance])
    return TemplateResponse(
        request, "stances/review.html#row", {"stance": stance, "done": True, **extra}
    )


def _refused(request: HttpRequest, stance: Stance, reason: str) -> HttpResponse:
    """An action that cannot be taken as asked: nothing changes, and the curator is told."""
    if request.htmx:
        response = _row_response(request, stance, refused=reason, done=False)
        response.status_code = 400
        return response
    messages.error(request, f"{stance.country}: {reason}")
    return back_to(request)


@require_POST
@curator_required
def review_action(request: HttpRequest, pk: int) -> HttpResponse:
    stance = get_object_or_404(Stance, pk=pk)
    action = request.POST.get("action")
    form = None
    if action == "approve" and stance.statement_date is None:
        return _undated_approve(request, stance)
    if action == "approve":
        services.stances_review(stance_ids=[stance.pk], approve=True, user=request.user)
    elif action == "reject":
        reason = request.POST.get("reason", "").strip()
        if not reason:
            return _refused(request, stance, "A rejection needs a reason: say what is wrong.")
        services.stances_review(
            stance_ids=[stance.pk], approve=False, user=request.user, reason=reason
        )
    elif action == "flag":
        try:
            dispute = services.dispute_flag(stance=stance, user=request.user)
        except services.NothingToDispute as nothing:
            return _refused(request, stance, str(nothing))
        if not request.htmx:
            messages.success(
                request, f"{stance.country}: flagged as disputing; see the dispute below."
            )
            return redirect(reverse("review:disputes") + f"#dispute-{dispute.pk}")
    elif action == "correct":
        form = StanceCorrectionForm(request.POST, instance=stance, prefix=f"s{stance.pk}")
        if form.is_valid():
            services.stance_correct(stance=stance, user=request.user, changes=form.changes())
        elif not request.htmx:
            # Without JavaScript the queue cannot show errors in place; the edit page does.
            return TemplateResponse(
                request, "stances/review_edit.html", {"stance": stance, "form": form}, status=400
            )
        else:
            stance.refresh_from_db()
            response = _row_response(request, stance, form=form, done=False)
            response.status_code = 400
            return response
    else:
        return HttpResponse("Unknown action.", status=400)
    if request.htmx:
        return _row_response(request, stance)
    messages.success(request, f"{stance.country}: {action}d.")
    return back_to(request)


def _undated_approve(request: HttpRequest, stance: Stance) -> HttpResponse:
    """Approving a stance with no date takes the date the curator gives (a correction of the
    date) or their word that it is unknown; with neither, nothing is approved and they are
    told why, in the row (htmx) or on the queue."""
    form = UndatedApprovalForm(request.POST)
    if form.is_valid() and form.cleaned_data["date"]:
        changes = {"statement_date": form.cleaned_data["date"]}
        services.stance_correct(stance=stance, user=request.user, changes=changes)
    elif form.is_valid():
        services.stances_review(
            stance_ids=[stance.pk], approve=True, user=request.user, undated_confirmed=True
        )
    else:
        return _refused(request, stance, form.errors["date"][0])
    if request.htmx:
        return _row_response(request, stance)
    messages.success(request, f"{stance.country}: approved.")
    return back_to(request)


@require_safe
@curator_required
def review_edit(request: HttpRequest, pk: int) -> TemplateResponse:
    """The correction form on a page of its own, for browsers without JavaScript."""
    stance = get_object_or_404(Stance.objects.with_related().prefetch_related("evidence"), pk=pk)
    form = StanceCorrectionForm(instance=stance, prefix=f"s{stance.pk}")
    template = "stances/review_edit.html#form" if request.htmx else "stances/review_edit.html"
    return TemplateResponse(request, template, {"stance": stance, "form": form})


@require_POST
@curator_required
def review_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkReviewForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
    else:
        chosen = form.cleaned_data["stance"]
        action = form.cleaned_data["action"]
        done = services.stances_review(
            stance_ids=[s.pk for s in chosen],
            approve=action == "approve",
            user=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, f"{len(done)} stance{pluralize(len(done))} {action}d.")
        # Approving in bulk skips undated stances: each needs its date, or "date unknown".
        skipped = [s for s in chosen if s.pk not in {d.pk for d in done}]
        if skipped:
            names = ", ".join(sorted({str(s.country) for s in skipped}))
            were = "was" if len(skipped) == 1 else "were"
            rows = "its row" if len(skipped) == 1 else "their rows"
            messages.warning(
                request,
                f"{len(skipped)} undated stance{pluralize(len(skipped))} {were} not approved "
                f"({names}): {ASK_FOR_DATE} in {rows}.",
            )
    if request.htmx:
        return HttpResponseClientRefresh()
    return back_to(request)


@require_safe
@curator_required
def disputes(request: HttpRequest) -> TemplateResponse:
    show = request.GET.get("status", "open")
    items = Dispute.objects.select_related(
        "country", "topic", "resolved_by", "flagged_by"
    ).prefetch_related(
        Prefetch(
            "stances",
            queryset=Stance.objects.with_related()
            .select_related("reviewed_by")
            .prefetch_related(_queue_evidence())
            .chronological(),
        )
    )
    if show in {"open", "resolved"}:
        items = items.filter(status=show)
    items = list(items)
    for dispute in items:
        dispute.sides = _sides(list(dispute.stances.all()))
    return TemplateResponse(
        request,
        "stances/disputes.html",
        {
            "disputes": items,
            "show": show,
            "form": DisputeResolveForm(),
            **review_tabs(request, current="disputes"),
        },
    )


def _sides(stances: list[Stance]) -> list[tuple[str, str, list[Stance]]]:
    """A dispute's stances grouped by position (pledge, hedge, rejection), oldest first."""
    return [
        (position.value, position.label, [s for s in stances if s.position == position])
        for position in Position
        if any(s.position == position for s in stances)
    ]


@require_POST
@curator_required
def dispute_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = get_object_or_404(Dispute.objects.select_related("country"), pk=pk)
    form = DisputeResolveForm(request.POST, dispute=dispute)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(reverse("review:disputes") + f"#dispute-{dispute.pk}")
    decision, stance = form.cleaned_data["decision"]
    dispute = services.dispute_resolve(
        dispute=dispute,
        user=request.user,
        note=form.cleaned_data["note"],
        decision=decision,
        stance=stance,
    )
    if dispute.status == DisputeStatus.RESOLVED:
        messages.success(request, f"Dispute about {dispute.country} resolved.")
    else:
        messages.warning(
            request,
            f"{stance.country}: {stance.get_position_display().lower()} rejected; the "
            "remaining reports still disagree, so the dispute stays open.",
        )
    return redirect("review:disputes")


@require_safe
@curator_required
def stance_history(request: HttpRequest, pk: int) -> TemplateResponse:
    stance = get_object_or_404(Stance.objects.with_related(), pk=pk)
    evidence_history = list(
        Evidence.history.filter(stance_id=stance.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    return TemplateResponse(
        request,
        "stances/history.html",
        {
            "stance": stance,
            "steps": audit.stance_steps(stance),
            "evidence_history": evidence_history,
        },
    )


@require_POST
@curator_required
def stance_revert(request: HttpRequest, pk: int, history_id: int) -> HttpResponse:
    stance = get_object_or_404(Stance, pk=pk)
    record = get_object_or_404(stance.history, history_id=history_id)
    services.history_revert(record=record, user=request.user)
    messages.success(request, f"Stance put back as it was on {record.history_date:%d %b %Y %H:%M}.")
    return redirect("review:history", pk=stance.pk)
