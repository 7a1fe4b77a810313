"""Adding a stance from a sentence: a curator picks a sentence of an article (from the
article page's list, or by selecting text, which snaps to its sentences), or opens a
"needs a position" candidate in the full form, and records an approved stance with the
sentence as its evidence. The form starts from what the extractor reads in the sentence.

Every view checks the permission itself; the article page only shows the links.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from ingest.extraction.gazetteer import gazetteer
from ingest.extraction.offers import offer_kinds, stated_size
from ingest.extraction.reading import Reading, read_sentence, sentence_at
from ingest.models import Article

from . import services
from .forms import StanceFromSentenceForm
from .models import (
    Actor,
    Candidate,
    CandidateStatus,
    Country,
    DatePrecision,
    Evidence,
    EvidenceKind,
    Topic,
)
from .review import back_to, paragraph_around
from .roles import candidates_curator_required, stance_adder_required


def _named_actors(names: list[str]) -> list[Actor]:
    """The actors on record that the sentence names (by name or alias), in its order."""
    names = [n for n in dict.fromkeys(names) if n]
    if not names:
        return []
    match = Q()
    for name in names:
        match |= Q(name__iexact=name) | Q(aliases__alias__iexact=name)
    found = list(Actor.objects.filter(match).prefetch_related("aliases").distinct())
    return sorted(found, key=lambda actor: _rank(actor, names))


def _rank(actor: Actor, names: list[str]) -> int:
    known = {actor.name.lower(), *(a.alias.lower() for a in actor.aliases.all())}
    return next((i for i, n in enumerate(names) if n.lower() in known), len(names))


def _offer_initial(text: str) -> dict:
    """What the extractor reads in the sentence as offered, on what conditions, and the
    size: the form starts from it, the curator decides."""
    g = gazetteer()
    contributions, conditions = offer_kinds(g, text, refuses_troops=False, force_by_default=False)
    return {
        "contributions": list(contributions),
        "conditions": list(conditions),
        "size": stated_size(g, text) or "",
    }


def _form(
    request: HttpRequest, article: Article, reading: Reading, named: list[Actor], initial,
    topic=None,
):
    topic = topic or Topic.objects.get(slug=settings.DEFAULT_TOPIC)
    initial = {**_offer_initial(initial["sentence"]), **initial}
    return StanceFromSentenceForm(
        request.POST if request.method == "POST" else None,
        topic=topic,
        article=article,
        countries=list(Country.objects.order_by("name")),
        actors=list(Actor.objects.select_related("country").order_by("name")),
        named_countries=list(reading.countries),
        named_actors=[a.pk for a in named],
        initial=initial,
    )


def _page(request, *, article, form, start, end, action, candidate=None, status=200):
    before, sentence, after = paragraph_around(article.text, start, end)
    already = (
        Evidence.objects.filter(article=article, start__lt=end, end__gt=start)
        .exclude(stance__status="rejected")
        .select_related("stance__country", "stance__actor")
        .order_by("start")
    )
    return TemplateResponse(
        request,
        "stances/stance_add.html",
        {
            "article": article,
            "form": form,
            "before": before,
            "sentence": sentence,
            "after": after,
            "action": action,
            "candidate": candidate,
            "already": already,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=status,
    )


def _record(request, form, article, candidate=None):
    data = form.cleaned_data
    return services.stance_add(
        article=article,
        sentence=data["sentence"],
        start=data["start"],
        end=data["end"],
        position=data["position"],
        country=data["country"],
        actor=data["actor"],
        statement_date=data["statement_date"],
        date_precision=data["date_precision"],
        quote=data["kind"] == EvidenceKind.QUOTE,
        user=request.user,
        topic_id=candidate.topic_id if candidate else None,
        candidate=candidate,
        contributions=data["contributions"],
        conditions=data["conditions"],
        size=data["size"],
    )


def _offsets(request: HttpRequest) -> tuple[int, int] | None:
    source = request.POST if request.method == "POST" else request.GET
    try:
        start, end = int(source.get("start", "")), int(source.get("end", ""))
    except ValueError:
        return None
    return (start, end) if 0 <= start < end else None


@require_http_methods(["GET", "HEAD", "POST"])
@stance_adder_required
def stance_add(request: HttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    offsets = _offsets(request)
    if request.method != "POST" and offsets:
        # A selection made with the mouse snaps to the whole sentences it touches.
        offsets = sentence_at(article.text, *offsets)
    if offsets is None:
        messages.error(request, "Choose a sentence of the article to add a stance from.")
        return redirect(article.get_absolute_url() + "#sentences")
    start, end = offsets
    reading = read_sentence(article.text, article.published, start, end)
    named = _named_actors(list(reading.actors))
    form = _form(
        request,
        article,
        reading,
        named,
        initial={
            "start": start,
            "end": end,
            "sentence": article.text[start:end],
            "country": reading.countries[0] if reading.countries else "",
            "actor": named[0].pk if named else "",
            "statement_date": reading.date,
            "date_precision": reading.date_precision,
            "kind": EvidenceKind.QUOTE if reading.quote else EvidenceKind.REPORTED,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            stance = _record(request, form, article)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                f"{stance.country}: {stance.get_position_display().lower()} recorded and "
                "approved, with the sentence as its evidence.",
            )
            return redirect(stance.get_absolute_url())
    return _page(
        request,
        article=article,
        form=form,
        start=start,
        end=end,
        action=request.path,
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@candidates_curator_required
def candidate_form(request: HttpRequest, pk: int) -> HttpResponse:
    """A "needs a position" candidate in the full form: saving places it (it is closed)."""
    candidate = get_object_or_404(
        Candidate.objects.select_related("article__outlet", "country", "topic"), pk=pk
    )
    if candidate.status != CandidateStatus.OPEN:
        messages.warning(
            request, f"{candidate.country}: already {candidate.get_status_display().lower()}."
        )
        return back_to(request, "review:candidates")
    article = candidate.article
    reading = read_sentence(article.text, article.published, candidate.start, candidate.end)
    # The speaker the extractor noted comes first, if the record knows them.
    named = _named_actors([candidate.actor_name, *reading.actors])
    speaker = named[0] if named and _rank(named[0], [candidate.actor_name]) == 0 else None
    form = _form(
        request,
        article,
        Reading(
            countries=(candidate.country.iso2, *reading.countries),
            actors=reading.actors,
            date=reading.date,
            date_precision=reading.date_precision,
            quote=reading.quote,
        ),
        named,
        initial={
            "start": candidate.start,
            "end": candidate.end,
            "sentence": candidate.sentence,
            "country": candidate.country.iso2,
            "actor": speaker.pk if speaker else "",
            "statement_date": candidate.statement_date,
            "date_precision": candidate.date_precision or DatePrecision.UNKNOWN,
            "kind": EvidenceKind.QUOTE if candidate.quote else EvidenceKind.REPORTED,
        },
        topic=candidate.topic,
    )
    if request.method == "POST" and form.is_valid():
        try:
            stance = _record(request, form, article, candidate)
        except services.CandidateDecided as decided:
            messages.warning(
                request,
                f"{candidate.country}: already {decided.candidate.get_status_display().lower()}"
                f" by {decided.candidate.reviewed_by or 'someone'}.",
            )
            return back_to(request, "review:candidates")
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(
                request,
                f"{stance.country}: {stance.get_position_display().lower()} recorded as an "
                "approved stance.",
            )
            return back_to(request, "review:candidates")
    return _page(
        request,
        article=article,
        form=form,
        start=candidate.start,
        end=candidate.end,
        action=request.path,
        candidate=candidate,
        status=400 if request.method == "POST" else 200,
    )
