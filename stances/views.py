"""Analyst pages: server-rendered, each works without JavaScript; htmx only swaps regions.

Every filter is a GET parameter read by `StanceFilters`, so the address bar always names
the view: the same URL opened directly renders the same page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cached_property, wraps

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from ingest.extraction.sentences import sentences
from ingest.models import Article

from . import audit, changelog
from .compare import COMPARE_MAX, COMPARE_MIN
from .dateline import Dateline, timeline_dateline
from .filters import StanceFilters, end_of_day
from .groups import group_tally
from .models import (
    Actor,
    Candidate,
    Country,
    Dispute,
    DisputeStatus,
    Evidence,
    Position,
    Stance,
    Topic,
    evidence_shown,
    published_articles,
)
from .roles import is_curator, may_add_stances
from .search import (
    SNIPPET_CHARS,
    SearchForm,
    articles_search,
    evidence_search,
    highlight,
    without_spans,
)
from .summaries import (
    bands_svg,
    cache_key,
    country_bands,
    data_version,
    overview_build,
)
from .table import (
    counts_sentence,
    headers,
    parse_sort,
    record_bounds,
    scope_sentence,
    sort_param,
    sort_rows,
    stated_by_months,
)
from .tiles import WIDTH, tiles

PAGE_SIZE = 50
SEARCH_LIMIT = 25
BANDS_LISTED = 8


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def tidy_url(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Keep the address a clean link to the view: a submitted filter form sends its empty
    fields too (`since=&until=&...`). Without JavaScript that request is redirected to the
    URL without them; with htmx the page is served and htmx pushes the clean URL."""

    @wraps(view)
    def wrapper(request: HtmxHttpRequest, *args, **kwargs) -> HttpResponse:
        kept = [(k, v) for k, values in request.GET.lists() for v in values if v.strip()]
        if len(kept) == sum(len(values) for _, values in request.GET.lists()):
            return view(request, *args, **kwargs)
        clean = request.path + (f"?{urlencode(kept)}" if kept else "")
        if not request.htmx:
            return redirect(clean)
        response = view(request, *args, **kwargs)
        if not request.htmx.history_restore_request:
            response["HX-Push-Url"] = clean
        return response

    return wrapper


def _cutoff(filters: StanceFilters) -> dt.datetime | None:
    as_of = filters.as_of_date
    return end_of_day(as_of) if as_of else None


def _chronological(rows):
    return rows.order_by(F("statement_date").asc(nulls_last=True), "id")


def _stance_page(request: HttpRequest, rows, filters: StanceFilters) -> Page:
    """One page of stances with what a stance card shows, in a fixed number of queries.

    `rows` may be a historical (as_of) queryset yielding Stance instances, hence prefetching
    on the instances rather than on the queryset."""
    page = Paginator(_chronological(rows), PAGE_SIZE).get_page(request.GET.get("page"))
    cutoff = _cutoff(filters)
    disputes = Dispute.objects.with_approved_positions().order_by("created_at")
    if cutoff:
        disputes = disputes.filter(created_at__lt=cutoff)
    stances = list(page.object_list)
    prefetch_related_objects(
        stances,
        "actor",
        evidence_shown(by=cutoff, unreviewed=filters.include_unreviewed),
        Prefetch("disputes", queryset=disputes),
    )
    for stance in stances:
        _mark(stance, cutoff)
    page.object_list = stances
    return page


def _mark(stance: Stance, cutoff: dt.datetime | None) -> None:
    stance.marks = _dispute_marks(stance, cutoff)
    stance.disputed = any(m["disputed"] for m in stance.marks)
    stance.dispute_resolved = any(m["resolved"] for m in stance.marks)


def _dispute_marks(stance: Stance, cutoff: dt.datetime | None) -> list[dict]:
    """Disputes as the reader sees them: "disputed" only while open between approved
    stances (a proposal a curator flagged is not the record yet), and a resolution counts
    only once it was made. Disputes need `with_approved_positions()`."""
    marks = []
    for dispute in stance.disputes.all():
        resolved = dispute.status == DisputeStatus.RESOLVED and (
            cutoff is None or (dispute.resolved_at and dispute.resolved_at < cutoff)
        )
        disputed = not resolved and dispute.approved_positions >= 2
        if resolved or disputed:
            marks.append({"dispute": dispute, "resolved": resolved, "disputed": disputed})
    return marks


def page_number(raw: str) -> int | None:
    """A page number from ?page=, or None for the first page or anything else: "²" passes
    str.isdigit() and a 5,000-digit number passes it too, but neither is a page."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 9):
        return None
    number = int(raw)
    return number if number > 1 else None


def _render(request: HtmxHttpRequest, template: str, partial: str, context: dict):
    """The whole page, or for htmx only the region the filters change."""
    context = {
        "action": request.path,
        "page_number": page_number(request.GET.get("page", "")),
        **context,
        "curator": is_curator(request.user),
        "absolute_url": request.build_absolute_uri(),
    }
    if "filters" in context:
        # Links to other pages carry the day the reader is looking at, not the other filters.
        context["as_of_query"] = context["filters"].narrowed("as_of").querystring()
        # The form shows the raw parameters and, on a timeline, the country's actors.
        context["form_key"] = cache_key(
            "form", request.get_full_path(), context["curator"], context.get("version")
        )
    # Back/Forward past htmx's history cache asks for the URL again with HX-Request set:
    # it must get the whole page, or the fragment would replace the body.
    fragment = request.htmx and not (request.htmx.boosted or request.htmx.history_restore_request)
    # A fragment also carries the "Cite as" line (out of band): it names the new view.
    context["fragment"] = bool(fragment)
    name = f"{template}#{partial}" if fragment else template
    return TemplateResponse(request, name, context)


@require_safe
def home(request: HttpRequest):
    return redirect("stances:overview", topic_slug=settings.DEFAULT_TOPIC)


def _tile_label(row) -> str:
    if not row.position:
        return f"{row.name}: no position on record"
    return f"{row.name}: {row.position} since {row.since_label}"


def _overview_labels(filters: StanceFilters) -> None:
    """On the overview the date range reads as what it computes: each country's line from
    the statements dated in it, so its end is the day the positions are "stated by"."""
    filters.fields["position"].help_text = (
        "Which countries the map and table show; the counts give every position's total."
    )
    filters.fields["since"].label = "Stated from"
    filters.fields["since"].help_text = "Count only statements dated on or after this day."
    filters.fields["until"].label = "Stated by"
    filters.fields["until"].help_text = (
        "Positions as stated by this day: each country's official line from its statements "
        "dated on or before it, as the record stands today."
    )


@require_safe
@vary_on_headers("HX-Request")
@tidy_url
def overview(request: HtmxHttpRequest, topic_slug: str) -> TemplateResponse:
    topic = get_object_or_404(Topic, slug=topic_slug)
    filters = StanceFilters.for_request(request, topic)
    _overview_labels(filters)
    version = data_version()  # read once: the summary's key and the "Cite as" line
    summary = overview_build(topic, filters, version=version)
    descending = request.GET.get("order") == "-name"
    shown = set(filters.values.get("position") or [])
    rows = sorted(summary.countries.values(), key=lambda r: r.name)
    column, sort_descending = parse_sort(request.GET.get("sort"))
    listed = sort_rows(summary.listed(shown), column, sort_descending)
    silent = sum(1 for r in rows if not r.position)
    sort = sort_param(column, sort_descending)
    # The view's query: the filters and the table's order (the matrix adds its own).
    view_params = QueryDict(filters.querystring(), mutable=True)
    if sort:
        view_params["sort"] = sort
    header_params = view_params.copy()
    if descending:
        header_params["order"] = "-name"
    bounds = record_bounds(topic, version)
    as_of = filters.as_of_date
    tile_rows = [r for r in rows if not shown or r.position in shown]
    grid, height = tiles(tile_rows, _tile_label)
    return _render(
        request,
        "stances/overview.html",
        "results",
        {
            "topic": topic,
            "filters": filters,
            "query": view_params.urlencode(),
            "countries": listed,
            "counts": summary.counts,
            "silent_count": silent,
            "counts_sentence": counts_sentence(
                shown=sorted(shown), listed=len(listed), counts=summary.counts, silent=silent
            ),
            "scope_sentence": scope_sentence(filters, topic),
            "sort": sort,
            "headers": headers(header_params, column, sort_descending),
            "table_key": header_params.urlencode(),
            "stated_by": stated_by_months(bounds.first_statement, filters, header_params),
            "stated_by_day": filters.values.get("until"),
            "first_review": bounds.first_review,
            # as_of before anything was reviewed: say why the page is empty, and offer the
            # statements dated by that day as the record holds them now.
            "before_record": bool(as_of)
            and (bounds.first_review is None or as_of < bounds.first_review),
            "stated_by_as_of": "?" + filters.querystring(as_of=None, until=as_of)
            if as_of
            else "",
            "chart": summary.chart,
            "summary_key": summary.key,
            "version": version,
            "tiles": grid,
            "map_width": WIDTH,
            "map_height": height,
            "positions": Position.values,
            "matrix": summary.matrix_rows(descending=descending),
            "matrix_kinds": topic.contribution_kinds,
            "condition_labels": topic.kind_labels("conditions"),
            "matrix_descending": descending,
            "group_tally": group_tally(filters.values.get("group"), summary),
            "compare_query": _compare_query(filters, summary.countries.values()),
            "og_description": (
                f"{summary.counts['pledge']} pledge, {summary.counts['hedge']} hedge, "
                f"{summary.counts['rejection']} reject"
                + (f", as of {filters.as_of_date:%-d %b %Y}" if filters.as_of_date else "")
            ),
        },
    )


def _compare_query(filters: StanceFilters, rows) -> str:
    """The compare page's query from the overview: the day looked at and, for a group small
    enough to compare whole (the Baltic states, the Nordic countries), its members."""
    params = [("country", r.iso2) for r in sorted(rows, key=lambda r: r.name)]
    if not (filters.values.get("group") and COMPARE_MIN <= len(params) <= COMPARE_MAX):
        params = []
    if as_of := filters.as_of_date:
        params.append(("as_of", as_of.isoformat()))
    return urlencode(params)


class TimelineRegion:
    """What the timeline region shows, computed only if the template renders it: when the
    region is cached for this state of the data, none of these queries run."""

    def __init__(self, request: HttpRequest, scope: Q, filters: StanceFilters, history) -> None:
        self.request, self.scope, self.filters, self.bands = request, scope, filters, history

    @cached_property
    def bands_svg(self) -> str:
        return bands_svg(self.bands)

    @cached_property
    def recent_bands(self) -> list:
        # In words, the latest changes; the drawing shows them all.
        return self.bands[-BANDS_LISTED:]

    @cached_property
    def earlier_bands(self) -> int:
        return max(len(self.bands) - BANDS_LISTED, 0)

    @cached_property
    def dateline(self) -> Dateline:
        return timeline_dateline(
            self.filters, self.scope, self.bands, official_name="Official line",
            today=timezone.localdate(),
        )

    @cached_property
    def page(self) -> Page:
        page = _stance_page(self.request, self.filters.apply(self.scope), self.filters)
        # One topic: its vocabulary names each statement's contributions and conditions.
        for stance in page.object_list:
            stance.topic = self.filters.topic
        return page

    @cached_property
    def official(self) -> list[Stance]:
        return [s for s in self.dated if s.is_official_line]

    @cached_property
    def others(self) -> list[Stance]:
        return [s for s in self.dated if not s.is_official_line]

    @cached_property
    def dated(self) -> list[Stance]:
        return [s for s in self.page.object_list if s.statement_date]

    @cached_property
    def undated(self) -> list[Stance]:
        """Listed apart: with no date, a statement cannot set the current position."""
        return [s for s in self.page.object_list if not s.statement_date]


@require_safe
@vary_on_headers("HX-Request")
@tidy_url
def country_timeline(request: HtmxHttpRequest, topic_slug: str, iso2: str) -> TemplateResponse:
    topic = get_object_or_404(Topic, slug=topic_slug)
    country = get_object_or_404(Country, iso2=iso2)
    filters = StanceFilters.for_request(request, topic)
    filters.fields["actor"].queryset = Actor.objects.filter(country=country)
    # A group narrows the overview to its members; on one country's page it would only
    # empty the page of a non-member, with no field to undo it. Ignored here.
    del filters.fields["group"]
    version = data_version()
    scope = Q(topic=topic, country=country)
    as_of = filters.narrowed("as_of")
    # Without as_of, the band and the date axis run to today: a new day is a new drawing.
    today = timezone.localdate()
    # The bands and the current position are the whole official line, whatever is filtered.
    history = country_bands(topic, country, as_of, version=version, today=today)
    current = history[-1] if history else None
    if current:
        og_title = f"{country.name}: {current.position} since {current.start:%-d %b %Y}"
    else:
        og_title = f"{country.name}: no position on record"
    curator = is_curator(request.user)
    return _render(
        request,
        "stances/country.html",
        "timeline",
        {
            "topic": topic,
            "country": country,
            "filters": filters,
            "query": filters.querystring(),
            "current": current,
            "timeline": TimelineRegion(request, scope, filters, history),
            "version": version,
            "region_key": cache_key(
                "timeline",
                topic.pk,
                country.pk,
                filters.querystring(),
                request.GET.get("page", ""),
                curator,
                version,
                today,
            ),
            "og_title": og_title,
            "og_description": topic.title,
        },
    )


def _visible(request: HttpRequest):
    # Curators may open a proposed stance (to discuss it); readers see approved ones only.
    return Stance.objects.all() if is_curator(request.user) else Stance.objects.approved()


@require_safe
def stance_changes(request: HttpRequest, pk: int) -> TemplateResponse:
    """The public change log of a stance: its reviewed history in words. A stance readers
    may not see (proposed, rejected) has none for them."""
    stance = get_object_or_404(_visible(request).select_related("country", "topic"), pk=pk)
    return TemplateResponse(
        request,
        "stances/stance_changes.html",
        {"stance": stance, "steps": audit.stance_steps(stance, public=True)},
    )


CHANGES_PAGE_SIZE = 50


@require_safe
def topic_changes(request: HttpRequest, topic_slug: str) -> TemplateResponse:
    """The topic's public change log: every reviewed change of the record, newest first."""
    topic = get_object_or_404(Topic, slug=topic_slug)
    entries = changelog.topic_changes(topic)
    page = Paginator(entries, CHANGES_PAGE_SIZE).get_page(page_number(request.GET.get("page", "")))
    return TemplateResponse(
        request,
        "stances/topic_changes.html",
        {"topic": topic, "page": page, "labels": changelog.LABELS},
    )


@require_safe
def stance_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    # Curators may open a proposed stance and its sources awaiting review (to discuss them);
    # readers see reviewed stances and accepted sources only.
    curator = is_curator(request.user)
    stance = get_object_or_404(
        _visible(request).select_related("country", "topic", "reviewed_by", "created_by"), pk=pk
    )
    prefetch_related_objects(
        [stance],
        "actor",
        evidence_shown(unreviewed=curator),
        Prefetch(
            "disputes", queryset=Dispute.objects.with_approved_positions().order_by("created_at")
        ),
    )
    _mark(stance, None)
    return TemplateResponse(
        request,
        "stances/stance.html",
        {
            "stance": stance,
            "action": request.path,
            "curator": curator,
            "absolute_url": request.build_absolute_uri(),
            "og_title": f"{stance.country.name}: {stance.position}"
            + (
                f" ({stance.actor.name}, {stance.date_label})"
                if stance.actor
                else f" ({stance.date_label})"
            ),
            # Not the stance's summary (the extractor's sentence): only accepted evidence.
            "og_description": next(
                (e.sentence for e in stance.evidence.all()), stance.topic.title
            ),
        },
    )


@require_safe
@vary_on_headers("HX-Request")
@tidy_url
def actor_detail(request: HtmxHttpRequest, slug: str) -> TemplateResponse:
    # An actor the extractor created and no curator reviewed is not public yet.
    actors = Actor.objects.all() if is_curator(request.user) else Actor.objects.public()
    actor = get_object_or_404(actors.select_related("country"), slug=slug)
    filters = StanceFilters.for_request(request)
    del filters.fields["actor"]  # the page is the actor
    version = data_version()
    return _render(
        request,
        "stances/actor.html",
        "timeline",
        {
            "actor": actor,
            "filters": filters,
            "query": filters.querystring(),
            "statements": ActorStatements(request, actor, filters),
            "version": version,
            "region_key": cache_key(
                "actor",
                actor.pk,
                filters.querystring(),
                request.GET.get("page", ""),
                is_curator(request.user),
                version,
            ),
            "og_description": f"Statements by {actor.name}",
        },
    )


class ActorStatements:
    """An actor's page of statements, computed only if its cached region is not."""

    def __init__(self, request: HttpRequest, actor: Actor, filters: StanceFilters) -> None:
        self.request, self.actor, self.filters = request, actor, filters

    @cached_property
    def page(self) -> Page:
        rows = self.filters.apply(Q(actor=self.actor))
        page = _stance_page(self.request, rows, self.filters)
        prefetch_related_objects(page.object_list, "country", "topic")
        return page


@require_safe
def article_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    # Curators read every article; readers only those a reviewed stance cites.
    articles = Article.objects.all() if is_curator(request.user) else published_articles()
    article = get_object_or_404(articles.select_related("outlet"), pk=pk)
    evidence = (
        Evidence.objects.public()
        .filter(article=article)
        .select_related("stance__country", "stance__actor")
        .order_by("start")
    )
    # Curators who may add stances get the article's sentences, each a way to add one.
    listed = None
    if may_add_stances(request.user):
        listed = [(s.start, s.end, article.text[s.start : s.end]) for s in sentences(article.text)]
    return TemplateResponse(
        request,
        "stances/article.html",
        {
            "article": article,
            "segments": article_segments(article.text, list(evidence)),
            "sentences": listed,
        },
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


@require_safe
@vary_on_headers("HX-Request")
@tidy_url
def search(request: HtmxHttpRequest) -> TemplateResponse:
    form = SearchForm(request.GET)
    q = form.terms()
    filtered = form.stance_filter()
    articles: list[Article] = []
    evidence: list[Evidence] = []
    if q or filtered:
        found = articles_search(q)
        if filtered:
            cited = Evidence.objects.public().filter(filtered, article=OuterRef("pk"))
            found = found.filter(Exists(cited))
        elif not is_curator(request.user):
            found = found.filter(pk__in=published_articles().values("pk"))
        articles = list(found.select_related("outlet")[:SEARCH_LIMIT])
        evidence = list(
            evidence_search(q, filtered)
            .select_related("stance__country", "stance__actor", "article__outlet")
            .defer("article__text")[:SEARCH_LIMIT]
        )
        # A snippet never shows a sentence of evidence readers may not see yet (proposed
        # or rejected, or of a stance not approved) nor a candidate awaiting a position:
        # such spans become an ellipsis.
        unseen: dict[int, list[tuple[int, int]]] = {}
        if q and articles:
            rows = (
                Evidence.objects.filter(article__in=articles)
                .exclude(pk__in=Evidence.objects.public().filter(article__in=articles).values("pk"))
                .values_list("article_id", "start", "end")
                .order_by()
                .union(
                    Candidate.objects.filter(article__in=articles)
                    .values_list("article_id", "start", "end")
                    .order_by()
                )
            )
            for article_id, start, end in rows:
                unseen.setdefault(article_id, []).append((start, end))
        for article in articles:
            article.title_marked = highlight(article.title, q)
            if q:
                text = without_spans(article.text, unseen.get(article.pk, []))
                article.snippet = highlight(text, q, limit=SNIPPET_CHARS)
        for item in evidence:
            item.marked = highlight(item.sentence, q)
    return _render(
        request,
        "stances/search.html",
        "results",
        {
            "form": form,
            "q": q,
            "searched": bool(q or filtered),
            "articles": articles,
            "evidence": evidence,
            "full_text": connection.vendor == "postgresql",
            "limit": SEARCH_LIMIT,
        },
    )
