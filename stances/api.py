"""The read-only JSON API under /api/ (django-ninja), with its OpenAPI schema at
/api/schema/. Stances take the pages' filters (StanceFilters) and cursor pagination."""


import datetime as dt
from typing import Annotated, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI, Path, Query, Schema
from ninja.errors import HttpError
from ninja.openapi.docs import Swagger
from ninja.pagination import PaginationBase, paginate
from pydantic import Field, StringConstraints

from ingest.models import Article

from .exports import stances_loaded
from .filters import StanceFilters
from .models import (
    Actor,
    ActorKind,
    Country,
    DatePrecision,
    EvidenceKind,
    Position,
    ReviewStatus,
    Stance,
    Topic,
    published_articles,
)
from .roles import is_curator
from .summaries import overview_build

SLUG = r"^[-a-zA-Z0-9_]+$"
ISO2 = r"^[A-Za-z]{2}$"
# Path parameters typed with their pattern: anything else is a 422 before any query runs.
SlugPath = Annotated[str, Path(pattern=SLUG, max_length=200)]
# A kind of contribution or condition is a code of the topic's vocabulary ("air_defence").
KindCode = Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]
Iso2Path = Annotated[str, Path(pattern=ISO2)]
MAX_ID = 2**63 - 1

api = NinjaAPI(
    title="Stance tracker API",
    version="1",
    description=(
        "Read-only. Reviewed stances only. Positions: pledge, hedge, rejection "
        "(see the methodology page). Dates are ISO 8601."
    ),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    # No deep links: Swagger UI puts them inside each operation's button, a link nested in
    # a control that keyboard and screen-reader users cannot reach (axe: nested-interactive).
    docs=Swagger(settings={"deepLinking": False}),
)


class Message(Schema):
    detail: Any


class KindOut(Schema):
    code: str
    label: str
    definition: str


class TopicOut(Schema):
    slug: str
    title: str
    description: str
    pledge_definition: str
    hedge_definition: str
    rejection_definition: str
    contribution_kinds: list[KindOut] = Field(
        description="What a stance may say is offered: code, label, definition."
    )
    condition_kinds: list[KindOut] = Field(
        description="What an offer may depend on: code, label, definition."
    )


class CountryPositionOut(Schema):
    iso2: str
    name: str
    position: Position | None = Field(description="Current position; null when none on record.")
    since: dt.date | None = Field(description="When the country took its current position.")
    last_statement: dt.date | None
    stance_id: int | None = Field(description="The stance that gives the current position.")
    sources: int


class ActorOut(Schema):
    slug: str
    name: str
    kind: ActorKind
    country: str | None
    role: str
    speaks_for_government: bool

    @staticmethod
    def resolve_country(obj: Actor) -> str | None:
        return obj.country.iso2 if obj.country else None


class EvidenceOut(Schema):
    sentence: str
    kind: EvidenceKind
    article_id: int
    outlet: str | None
    source_url: str
    published: dt.date | None


class StanceOut(Schema):
    id: int
    topic: str
    country: str
    country_name: str
    position: Position
    date: dt.date | None
    date_precision: DatePrecision
    actor: ActorOut | None
    official_line: bool
    status: ReviewStatus
    contributions: list[str] = Field(description="What is offered: the topic's kind codes.")
    conditions: list[str] = Field(description="What the offer depends on: kind codes.")
    size: str = Field(description="The size as stated; empty when none.")
    evidence: list[EvidenceOut]


class ArticleOut(Schema):
    id: int
    title: str
    url: str
    outlet: str | None
    published: dt.date | None
    language: str

    @staticmethod
    def resolve_outlet(obj: Article) -> str | None:
        return obj.outlet.name if obj.outlet else None


def _stance_out(stance: Stance) -> dict:
    return {
        "id": stance.pk,
        "topic": stance.topic.slug,
        "country": stance.country.iso2,
        "country_name": stance.country.name,
        "position": stance.position,
        "date": stance.statement_date,
        "date_precision": stance.date_precision,
        "actor": stance.actor,
        "official_line": stance.is_official_line,
        "contributions": list(stance.contributions or []),
        "conditions": list(stance.conditions or []),
        "size": stance.size,
        "status": stance.status,
        "evidence": [
            {
                "sentence": e.sentence,
                "kind": e.kind,
                "article_id": e.article_id,
                "outlet": e.article.outlet.name if e.article.outlet else None,
                "source_url": e.article.url,
                "published": e.article.published,
            }
            for e in stance.evidence_list
        ],
    }


class KeysetPagination(PaginationBase):
    """Cursor pagination on the primary key: `cursor` is the last id of the previous page,
    so every well-formed cursor is a valid one, and a page costs one indexed range scan."""

    class Input(Schema):
        cursor: int | None = Field(
            None, ge=0, le=MAX_ID, description="Continue after this id (the `next` link has it)."
        )
        page_size: int = Field(50, ge=1, le=500)

    class Output(Schema):
        next: str | None = Field(description="The next page, or null on the last one.")
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination, request: HttpRequest, **params):
        rows = queryset.order_by("id")
        if pagination.cursor is not None:
            rows = rows.filter(id__gt=pagination.cursor)
        page = list(rows[: pagination.page_size + 1])
        more = len(page) > pagination.page_size
        page = page[: pagination.page_size]
        next_url = None
        if more:
            query = request.GET.copy()
            query["cursor"] = str(page[-1].pk)
            next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
        return {"next": next_url, "results": self.finish(page, request)}

    def finish(self, page: list, request: HttpRequest) -> list:
        return page


class StancePagination(KeysetPagination):
    """Loads each page's actors, countries and evidence in a fixed number of queries; the
    view leaves its filters on the request, for the evidence they show (accepted by the
    as_of day; awaiting review too for a curator who asked)."""

    def finish(self, page: list, request: HttpRequest) -> list:
        loaded = stances_loaded(page, filters=request.stance_filters)
        return [_stance_out(s) for s in loaded]


@api.get("/topics", response=list[TopicOut], tags=["topics"])
def topics(request: HttpRequest):
    return Topic.objects.order_by("slug")


@api.get("/topics/{slug}", response={200: TopicOut, 404: Message, 422: Message}, tags=["topics"])
def topic(request: HttpRequest, slug: str = Path(..., pattern=SLUG)):  # noqa: B008
    return get_object_or_404(Topic, slug=slug)


def _group_field():
    return Field(
        None,
        pattern=SLUG,
        max_length=100,
        description="A country group's slug (nato, european-union): its members only.",
    )


class CountriesQuery(Schema):
    # The overview's "stated by" (its `until`) and "as of": two different days.
    until: dt.date | None = Field(
        None,
        description="Positions as stated by this day: each country's official line from "
        "its statements dated on or before it, as the record stands today.",
    )
    as_of: dt.date | None = Field(
        None,
        description="The record as it stood on this day: only what curators had reviewed "
        "by then.",
    )
    group: str | None = _group_field()


def _positions(topic: Topic, params: CountriesQuery) -> list[dict]:
    filters = _filters({"until": params.until, "as_of": params.as_of, "group": params.group})
    if params.group and "group" in filters.errors:
        raise HttpError(422, "group: " + " ".join(filters.errors["group"]))
    rows = overview_build(topic, filters).countries.values()
    return [
        {
            "iso2": r.iso2,
            "name": r.name,
            "position": r.position or None,
            "since": r.since,
            "last_statement": r.last,
            "stance_id": r.stance_id,
            "sources": r.sources,
        }
        for r in sorted(rows, key=lambda r: r.iso2)
    ]


@api.get(
    "/topics/{slug}/countries",
    response={200: list[CountryPositionOut], 404: Message, 422: Message},
    tags=["countries"],
)
def countries(request: HttpRequest, slug: SlugPath, params: Query[CountriesQuery]):
    """Every country (of the group, if one is given) with its current position on the topic
    (its official line)."""
    topic = get_object_or_404(Topic, slug=slug)
    return _positions(topic, params)


@api.get(
    "/topics/{slug}/countries/{iso2}",
    response={200: CountryPositionOut, 404: Message, 422: Message},
    tags=["countries"],
)
def country(
    request: HttpRequest, slug: SlugPath, iso2: Iso2Path, params: Query[CountriesQuery]
):
    topic = get_object_or_404(Topic, slug=slug)
    found = get_object_or_404(Country, iso2=iso2.upper())
    return next(r for r in _positions(topic, params) if r["iso2"] == found.iso2)


class StanceQuery(Schema):
    country: str | None = Field(None, pattern=ISO2, description="ISO 3166-1 alpha-2 code.")
    position: list[Position] | None = Field(None, description="Any of these positions.")
    since: dt.date | None = Field(None, description="Statements on or after this day.")
    until: dt.date | None = Field(None, description="Statements on or before this day.")
    actor: str | None = Field(None, pattern=SLUG, description="An actor's slug.")
    official: bool = Field(False, description="The official line only.")
    unreviewed: bool = Field(
        False,
        description="Also proposed (unreviewed) stances: honoured for signed-in curators "
        "only, ignored for everyone else, as on the pages.",
    )
    as_of: dt.date | None = Field(None, description="The state as it stood that day.")
    contribution: list[KindCode] | None = Field(
        None, description="Stances offering any of these kinds (the topic's codes)."
    )
    condition: list[KindCode] | None = Field(
        None, description="Stances setting any of these conditions (the topic's codes)."
    )
    group: str | None = _group_field()


def _filters(
    values: dict, *, may_see_unreviewed: bool = False, topic: Topic | None = None
) -> StanceFilters:
    """StanceFilters from typed values, so the API reads exactly as the pages do."""
    data = QueryDict(mutable=True)
    for name, value in values.items():
        if value in (None, "", [], False):
            continue
        if name in ("position", "contribution", "condition"):
            data.setlist(name, [str(p) for p in value])
        elif value is True:
            data[name] = "1"
        elif isinstance(value, dt.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return StanceFilters(data, may_see_unreviewed=may_see_unreviewed, topic=topic)


@api.get(
    "/topics/{slug}/stances",
    response={200: list[StanceOut], 404: Message, 422: Message},
    tags=["stances"],
)
@paginate(StancePagination)
def stances(request: HttpRequest, slug: SlugPath, params: Query[StanceQuery]):
    """Reviewed stances on the topic (curators may add unreviewed=true), filtered as the
    analyst pages filter them (as_of: as the tracker stood at the end of that day). In id
    order; follow `next` for more."""
    topic = get_object_or_404(Topic, slug=slug)
    values = params.dict()
    country_code = values.pop("country")
    filters = _filters(values, may_see_unreviewed=is_curator(request.user), topic=topic)
    if not filters.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in filters.errors.items()))
    scope = Q(topic=topic)
    if country_code:
        scope &= Q(country=get_object_or_404(Country, iso2=country_code.upper()))
    request.stance_filters = filters
    return filters.apply(scope)


@api.get("/actors", response={200: list[ActorOut], 422: Message}, tags=["actors"])
@paginate(KeysetPagination)
def actors(
    request: HttpRequest,
    country: str | None = Query(None, pattern=ISO2),  # noqa: B008
):
    rows = Actor.objects.public().select_related("country")
    if country:
        rows = rows.filter(country__iso2=country.upper())
    return rows


@api.get(
    "/actors/{slug}", response={200: ActorOut, 404: Message, 422: Message}, tags=["actors"]
)
def actor(request: HttpRequest, slug: SlugPath):
    return get_object_or_404(Actor.objects.public().select_related("country"), slug=slug)


def _articles() -> QuerySet[Article]:
    return published_articles().select_related("outlet")


@api.get("/articles", response={200: list[ArticleOut], 422: Message}, tags=["articles"])
@paginate(KeysetPagination)
def articles(request: HttpRequest):
    return _articles()


@api.get(
    "/articles/{article_id}",
    response={200: ArticleOut, 404: Message, 422: Message},
    tags=["articles"],
)
def article(request: HttpRequest, article_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    return get_object_or_404(_articles(), pk=article_id)
