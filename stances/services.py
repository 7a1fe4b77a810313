"""Workflows over the stance graph that span several models."""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Max, OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history

from ingest.models import Article, ArticleStatus, Outlet
from ingest.text import content_hash

from .models import (
    Actor,
    ActorAlias,
    Candidate,
    CandidateStatus,
    Country,
    DatePrecision,
    Dispute,
    DisputeOutcome,
    DisputeStatus,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    ExtractionEvaluation,
    Position,
    PositionChange,
    ReviewStatus,
    Stance,
    Subscription,
    Topic,
    ordered_codes,
    span_mismatch,
)

DEMO_FILE = Path(__file__).parent / "data" / "demo.toml"
DEMO_CURATOR = "demo-curator"


@dataclass(frozen=True)
class DemoCounts:
    actors: int
    articles: int
    stances: int
    evidence: int
    # Demo statements whose note on record no longer holds their sentence: not loaded.
    skipped: int = 0


def demo_load(*, path: Path = DEMO_FILE, topic_slug: str | None = None) -> DemoCounts:
    """Load the curated demo records beside whatever curators have done since: running it
    again changes nothing, and never fails on or undoes their work.

    Each demo statement is loaded once. One already loaded (its evidence has been on record
    at its place in its note: the evidence's history remembers it even if a curator has
    since edited, moved or deleted it) is left as curators left it: corrected, rejected,
    merged, duplicated by hand or edited. An actor is matched by slug, name or alias (one
    merged into another is not made again), a note by its URL; either is created only if
    missing, never overwritten."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    topic = Topic.objects.get(slug=topic_slug or settings.DEFAULT_TOPIC)
    countries = {c.iso2: c for c in Country.objects.all()}
    codes = {claim["country"] for row in data.get("article", []) for claim in row["stance"]}
    pairs = {(topic.pk, countries[code].pk) for code in codes}
    skipped = 0
    # Past statements, loaded at once: each country's changes of position are recorded as
    # its timeline draws them (positions_watched, loaded=True).
    with positions_watched(pairs, loaded=True):
        curator = _demo_curator()
        actors = {row["name"]: _demo_actor(row, countries) for row in data.get("actor", [])}
        for row in data.get("article", []):
            skipped += _demo_article_load(
                row, topic=topic, actors=actors, countries=countries, curator=curator
            )
    return DemoCounts(
        actors=Actor.objects.count(),
        articles=Article.objects.count(),
        stances=Stance.objects.count(),
        evidence=Evidence.objects.count(),
        skipped=skipped,
    )


def _demo_curator():
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_CURATOR, defaults={"first_name": "Demo", "last_name": "Curator"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _demo_actor(row: dict, countries: dict[str, Country]) -> Actor:
    found = Actor.objects.filter(slug=slugify(row["name"])).first() or Actor.objects.find(
        row["name"]
    )
    if found:
        return found
    actor = Actor.objects.create(
        name=row["name"],
        slug=slugify(row["name"]),
        kind=row.get("kind", "person"),
        country=countries.get(row.get("country", "")),
        role=row.get("role", ""),
        speaks_for_government=row.get("official", False),
    )
    for alias in row.get("aliases", []):
        ActorAlias.objects.get_or_create(actor=actor, alias=alias)
    return actor


def _demo_article(row: dict) -> Article:
    text = " ".join(s["sentence"] for s in row["stance"])
    found = Article.objects.filter(Q(url=row["url"]) | Q(content_hash=content_hash(text))).first()
    if found:
        return found
    outlet, _ = Outlet.objects.get_or_create(name=row["outlet"])
    return Article.objects.create(
        url=row["url"],
        title=row["title"],
        outlet=outlet,
        published=row["published"],
        text=text,
        content_hash=content_hash(text),
        status=ArticleStatus.EXTRACTED,
    )


def _demo_article_load(row: dict, *, topic, actors, countries, curator) -> int:
    """Load the statements of one demo note that were never loaded; how many could not be
    (the note on record no longer holds their sentence)."""
    article = _demo_article(row)
    reviewed_at = timezone.make_aware(dt.datetime.combine(row["published"], dt.time(18, 0)))
    created_at = timezone.make_aware(dt.datetime.combine(row["published"], dt.time(12, 0)))
    loaded = set(Evidence.history.filter(article_id=article.pk).values_list("start", flat=True))
    skipped, offset = 0, 0
    for claim in row["stance"]:
        start = article.text.find(claim["sentence"], offset)
        if start < 0:
            skipped += 1
            continue
        end = offset = start + len(claim["sentence"])
        if start in loaded:
            continue
        date: dt.date | None = claim.get("date")
        stance = Stance.objects.create(
            topic=topic,
            country=countries[claim["country"]],
            actor=actors.get(claim.get("actor", "")),
            position=claim["position"],
            statement_date=date,
            date_precision=DatePrecision.DAY if date else DatePrecision.UNKNOWN,
            summary=row["title"],
            # What the sentence offers and on what conditions ([[article.stance]] fields).
            contributions=claim.get("contributions", []),
            conditions=claim.get("conditions", []),
            size=claim.get("size", ""),
            status=ReviewStatus.APPROVED,
            created_by=curator,
            reviewed_by=curator,
            reviewed_at=reviewed_at,
            created_at=created_at,
        )
        Evidence.objects.create(
            stance=stance,
            article=article,
            sentence=claim["sentence"],
            start=start,
            end=end,
            kind=claim["kind"],
            status=EvidenceStatus.ACCEPTED,
            reviewed_by=curator,
            reviewed_at=reviewed_at,
        )
    return skipped


# --- Recording extracted claims ----------------------------------------------------------

# Reports of one claim a few days apart (a Friday speech reported on Sunday) are one stance.
CORROBORATION_WINDOW = dt.timedelta(days=settings.CORROBORATION_WINDOW_DAYS)


class ClaimLike(Protocol):
    """What the extractor proposes (ingest.extraction.Claim has these attributes)."""

    country: str
    position: str
    actor: str | None
    actor_role: str | None
    actor_country: str | None
    actor_speaks_for_government: bool | None
    date: dt.date | None
    date_precision: str
    sentence: str
    start: int
    end: int
    quote: bool
    confidence: float
    contributions: tuple[str, ...]
    conditions: tuple[str, ...]
    size: str | None


@dataclass
class RecordResult:
    created: list[Stance]
    corroborated: list[Stance]
    skipped: list[str]

    @property
    def detail(self) -> str:
        """For the article's status detail: the claims not recorded, and why."""
        if not self.skipped:
            return ""
        return "Claims not recorded: " + "; ".join(r.rstrip(".") for r in self.skipped) + "."


def offer_check(*, topic: Topic, contributions, conditions) -> tuple[list[str], list[str]]:
    """The codes, each once in the vocabulary's order, if they are all the topic's own; a
    ValidationError naming the unknown ones otherwise. Every write path calls it (the
    extractor's claims, a sentence added or a candidate placed, a correction)."""
    problems = topic.offer_problems(
        contributions=list(contributions or []), conditions=list(conditions or [])
    )
    if problems:
        raise ValidationError(problems)
    return (
        ordered_codes(contributions, topic.kind_codes("contributions")),
        ordered_codes(conditions, topic.kind_codes("conditions")),
    )


def evidence_check(*, article: Article, sentence: str, start: int, end: int) -> None:
    """Refuse evidence that is not the article's own words where its offsets say: the
    article page highlights the offsets, the stance quotes the sentence."""
    problem = span_mismatch(article.text, sentence, start, end)
    if problem:
        raise ValidationError(problem)


def claims_record(
    *,
    article: Article,
    claims: list[ClaimLike],
    extractor_version: str,
    topic: Topic | None = None,
) -> RecordResult:
    """Store claims as proposed stances with evidence; a claim already on record (same
    country, actor, position, within the window) gains evidence instead of a duplicate.
    All new evidence awaits review: with its stance when the stance is proposed, and on its
    own (a "new source" in the review queue) when the stance is already approved.

    Idempotent: recording the same article again adds nothing. A stance a curator rejected
    stays rejected when the same claim comes again; its new evidence is kept for the record.
    """
    topic = topic or Topic.objects.get(slug=settings.DEFAULT_TOPIC)
    codes = {c.country for c in claims} | {c.actor_country for c in claims if c.actor_country}
    countries = Country.objects.in_bulk(codes, field_name="iso2")
    result = RecordResult(created=[], corroborated=[], skipped=[])
    # What one article may make: a crafted article listing thirty countries per sentence
    # would otherwise propose hundreds of stances with thousands of sentences each.
    sentences_of: dict[tuple, int] = {}  # (country, speaker, position) -> sentences kept
    over_proposals = over_sentences = 0
    with transaction.atomic(), by_the_extractor():
        for claim in claims:
            country = countries.get(claim.country)
            if country is None:
                result.skipped.append(f"unknown country code {claim.country!r}")
                continue
            if problem := span_mismatch(article.text, claim.sentence, claim.start, claim.end):
                result.skipped.append(problem)
                continue
            try:
                offered = offer_check(
                    topic=topic,
                    contributions=getattr(claim, "contributions", ()),
                    conditions=getattr(claim, "conditions", ()),
                )
            except ValidationError as error:
                result.skipped.append(" ".join(error.messages))
                continue
            # Counted before any query, so the excess costs nothing.
            key = (claim.country, claim.actor, claim.position)
            if key not in sentences_of and len(sentences_of) >= settings.EXTRACTION_MAX_PROPOSALS:
                over_proposals += 1
                continue
            if sentences_of.get(key, 0) >= settings.EXTRACTION_MAX_SENTENCES_PER_STANCE:
                over_sentences += 1
                continue
            sentences_of[key] = sentences_of.get(key, 0) + 1
            _lock_country(topic, country)
            actor = _actor_for_claim(claim, countries) if claim.actor else None
            stance, created = _stance_for_claim(
                claim, topic=topic, country=country, actor=actor, version=extractor_version,
                offered=offered,
            )
            Evidence.objects.get_or_create(
                stance=stance,
                article=article,
                start=claim.start,
                defaults={
                    "end": claim.end,
                    "sentence": claim.sentence,
                    "kind": EvidenceKind.QUOTE if claim.quote else EvidenceKind.REPORTED,
                },
            )
            (result.created if created else result.corroborated).append(stance)
        for country_id in {s.country_id for s in result.created + result.corroborated}:
            disputes_detect(topic_id=topic.pk, country_id=country_id)
    if over_proposals:
        result.skipped.append(
            f"{over_proposals} claims past the first {settings.EXTRACTION_MAX_PROPOSALS} "
            "stances of the article (EXTRACTION_MAX_PROPOSALS)"
        )
    if over_sentences:
        result.skipped.append(
            f"{over_sentences} more sentences for claims that already have "
            f"{settings.EXTRACTION_MAX_SENTENCES_PER_STANCE} from this article "
            "(EXTRACTION_MAX_SENTENCES_PER_STANCE)"
        )
    return result


@contextmanager
def by_the_extractor() -> Iterator[None]:
    """Writes the extractor makes are its own in history, not the curator's whose request
    ran it (an upload extracted in-process): simple-history would take the request's user."""
    context = HistoricalRecords.context
    request = getattr(context, "request", None)
    if request is not None:
        del context.request
    try:
        yield
    finally:
        if request is not None:
            context.request = request


def _lock_country(topic: Topic, country: Country) -> None:
    """Serialise writers of one country's stances, so two workers extracting two reports of
    one claim at once make one stance, not two. SQLite already serialises all writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [topic.pk, country.pk])


def _actor_for_claim(claim: ClaimLike, countries: dict[str, Country]) -> Actor:
    country = countries.get(claim.actor_country or claim.country)
    candidates = Actor.objects.filter(
        Q(name__iexact=claim.actor) | Q(aliases__alias__iexact=claim.actor)
    ).distinct()
    # The same name in the claim's country first, then an international body, then anyone.
    found = (
        candidates.filter(country=country).first()
        or candidates.filter(country__isnull=True).first()
        or candidates.first()
    )
    if found:
        return found
    return Actor.objects.create(
        name=claim.actor,
        slug=_free_slug(claim.actor),
        country=country,
        role=claim.actor_role or "",
        speaks_for_government=bool(claim.actor_speaks_for_government),
        needs_review=True,
    )


def _free_slug(name: str) -> str:
    base = slugify(name)[:180] or "actor"
    slug, n = base, 1
    while Actor.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _stance_for_claim(
    claim: ClaimLike, *, topic, country, actor, version, offered: tuple[list[str], list[str]]
) -> tuple[Stance, bool]:
    same = Stance.objects.filter(topic=topic, country=country, position=claim.position, actor=actor)
    if claim.date:
        same = same.filter(
            statement_date__range=(
                claim.date - CORROBORATION_WINDOW,
                claim.date + CORROBORATION_WINDOW,
            )
        )
    else:
        same = same.filter(statement_date__isnull=True)
    stance = same.order_by("created_at", "pk").first()
    if stance is not None:
        _sharpen(stance, claim, offered=offered, topic=topic)
        return stance, False
    precision = claim.date_precision if claim.date else DatePrecision.UNKNOWN
    stance = Stance.objects.create(
        topic=topic,
        country=country,
        actor=actor,
        position=claim.position,
        statement_date=claim.date,
        date_precision=precision,
        summary=claim.sentence[:500],
        contributions=offered[0],
        conditions=offered[1],
        size=(getattr(claim, "size", None) or "")[:200],
        confidence=round(claim.confidence, 3),
        extractor_version=version,
    )
    return stance, True


def _sharpen(
    stance: Stance, claim: ClaimLike, *, offered: tuple[list[str], list[str]], topic: Topic
) -> None:
    """A later report may know the exact day the first one only approximated, or name more
    of what is offered and on what conditions: a proposal takes it (the kinds are added to
    its own, never removed); a reviewed stance is the curator's to change."""
    changed = []
    if stance.status == ReviewStatus.PROPOSED:
        for name, codes in zip(("contributions", "conditions"), offered, strict=True):
            union = ordered_codes([*getattr(stance, name), *codes], topic.kind_codes(name))
            if union != list(getattr(stance, name)):
                setattr(stance, name, union)
                changed.append(name)
        if not stance.size and getattr(claim, "size", None):
            stance.size = claim.size[:200]
            changed.append("size")
    if claim.confidence > (stance.confidence or 0):
        stance.confidence = round(claim.confidence, 3)
        changed.append("confidence")
    if (
        stance.status == ReviewStatus.PROPOSED
        and claim.date
        and claim.date_precision == DatePrecision.DAY
        and stance.date_precision != DatePrecision.DAY
    ):
        stance.statement_date = claim.date
        stance.date_precision = DatePrecision.DAY
        changed += ["statement_date", "date_precision"]
    if changed:
        stance.save(update_fields=[*changed, "updated_at"])


# --- Candidates: sentences the extractor could not place -----------------------------------


class CandidateLike(Protocol):
    """What the extractor leaves undecided (ingest.extraction.Candidate has these)."""

    countries: tuple[str, ...]
    actor: str | None
    date: dt.date | None
    date_precision: str
    sentence: str
    start: int
    end: int


@dataclass
class CandidatesResult:
    cap: int
    created: int = 0
    known: int = 0
    over_cap: int = 0
    skipped: list[str] = field(default_factory=list)

    @property
    def detail(self) -> str:
        """For the article's status detail: what was found but not kept, and why."""
        notes = []
        if self.over_cap:
            notes.append(
                f"{self.over_cap} more sentence(s) needing a position were not kept: "
                f"an article keeps at most {self.cap} (EXTRACTION_MAX_CANDIDATES)."
            )
        if self.skipped:
            notes.append(
                "Sentences needing a position not kept: "
                + "; ".join(reason.rstrip(".") for reason in self.skipped)
                + "."
            )
        return " ".join(notes)


# Straight and typographic quotation marks: a sentence with one carries a direct quote.
_QUOTE_MARKS = ('"', "“", "”", "„", "«", "»")


def candidates_record(
    *,
    article: Article,
    candidates: list[CandidateLike],
    extractor_version: str,
    topic: Topic | None = None,
    cap: int | None = None,
) -> CandidatesResult:
    """Keep the sentences the extractor found on the topic but could not place, one row per
    country they name, for curators to place or dismiss.

    Idempotent: a sentence already on record stays as a curator left it, so extracting again
    neither doubles it nor opens a dismissed one. An article keeps at most `cap` rows
    (EXTRACTION_MAX_CANDIDATES); the excess is counted in the result, not stored.
    """
    topic = topic or Topic.objects.get(slug=settings.DEFAULT_TOPIC)
    cap = settings.EXTRACTION_MAX_CANDIDATES if cap is None else cap
    result = CandidatesResult(cap=cap)
    codes = {code for found in candidates for code in found.countries}
    countries = Country.objects.in_bulk(codes, field_name="iso2")
    wanted: dict[tuple[int, int, int], Candidate] = {}
    for found in candidates:
        # The evidence a curator accepts must be the article's own words, where they stand.
        if problem := span_mismatch(article.text, found.sentence, found.start, found.end):
            result.skipped.append(problem)
            continue
        for code in found.countries:
            country = countries.get(code)
            if country is None:
                result.skipped.append(f"unknown country code {code!r}")
                continue
            wanted.setdefault(
                (country.pk, found.start, found.end),
                Candidate(
                    topic=topic,
                    article=article,
                    country=country,
                    sentence=found.sentence,
                    start=found.start,
                    end=found.end,
                    quote=any(mark in found.sentence for mark in _QUOTE_MARKS),
                    actor_name=(found.actor or "")[:200],
                    statement_date=found.date,
                    date_precision=found.date_precision if found.date else DatePrecision.UNKNOWN,
                    extractor_version=extractor_version[:50],
                ),
            )
    with transaction.atomic():
        on_record = set(
            Candidate.objects.filter(article=article).values_list("country_id", "start", "end")
        )
        new = [row for key, row in wanted.items() if key not in on_record]
        room = max(cap - len(on_record), 0)
        result.known = len(wanted) - len(new)
        result.created = min(len(new), room)
        result.over_cap = len(new) - result.created
        # A second worker extracting the same article at once stores the same rows: the
        # unique span keeps one of each.
        Candidate.objects.bulk_create(new[:room], ignore_conflicts=True)
    return result


class CandidateDecided(Exception):
    """The candidate was placed or dismissed already (by another curator, or a second click)."""

    def __init__(self, candidate: Candidate):
        super().__init__(f"Candidate {candidate.pk} is no longer open.")
        self.candidate = candidate


@dataclass(frozen=True)
class _Speaker:
    """A candidate's speaker in the shape `_actor_for_claim` matches (ClaimLike's actor part)."""

    actor: str
    country: str
    actor_country: str | None
    actor_role: str | None
    actor_speaks_for_government: bool | None


def _actor_for_candidate(candidate: Candidate) -> Actor:
    """The speaker the sentence names, matched or created as claims_record does for a claim.
    A candidate keeps only the name: the extractor's list of known actors fills in country,
    role and office when it knows them; otherwise the actor is new and waits for review."""
    from ingest.extraction.gazetteer import gazetteer

    known = gazetteer().actors.get(candidate.actor_name)
    speaker = _Speaker(
        actor=candidate.actor_name,
        country=candidate.country.iso2,
        actor_country=known.country if known else None,
        actor_role=known.role if known else None,
        actor_speaks_for_government=known.official if known else None,
    )
    codes = {speaker.country, speaker.actor_country} - {None}
    return _actor_for_claim(speaker, Country.objects.in_bulk(codes, field_name="iso2"))


def _candidate_close(candidate: Candidate, status: str, user) -> Candidate:
    """Mark an open candidate decided, in one conditional update: of two curators deciding
    at once, one wins and the other is told (CandidateDecided), on SQLite and PostgreSQL."""
    now = timezone.now()
    closed = Candidate.objects.filter(pk=candidate.pk, status=CandidateStatus.OPEN).update(
        status=status, reviewed_by=user, reviewed_at=now
    )
    candidate.refresh_from_db()
    if not closed:
        raise CandidateDecided(candidate)
    return candidate


def candidate_accept(
    *, candidate: Candidate, position: str, user, quote: bool | None = None, **offer
) -> Stance:
    """A curator places a candidate: it becomes an approved stance of its country, with the
    sentence as evidence, reviewed by that curator (`stance_add`). The speaker the sentence
    names is matched, or created for review, as for an extracted claim."""
    with transaction.atomic():
        actor = _actor_for_candidate(candidate) if candidate.actor_name else None
        return stance_add(
            article=candidate.article,
            sentence=candidate.sentence,
            start=candidate.start,
            end=candidate.end,
            position=position,
            country=candidate.country,
            actor=actor,
            statement_date=candidate.statement_date,
            date_precision=candidate.date_precision,
            quote=candidate.quote if quote is None else quote,
            user=user,
            topic_id=candidate.topic_id,
            candidate=candidate,
            **offer,
        )


def stance_add(
    *,
    article: Article,
    sentence: str,
    start: int,
    end: int,
    position: str,
    country: Country,
    actor: Actor | None,
    statement_date: dt.date | None,
    date_precision: str,
    quote: bool,
    user,
    topic_id: int | None = None,
    candidate: Candidate | None = None,
    contributions: list[str] | tuple[str, ...] = (),
    conditions: list[str] | tuple[str, ...] = (),
    size: str = "",
) -> Stance:
    """A curator records a stance from a sentence of an article (one the extractor missed,
    or a candidate placed): approved at once, created and reviewed by that curator, with the
    sentence as its evidence. Disputes and changes of the country's current position follow
    as for any review. With `candidate`, the candidate is accepted in the same transaction
    (CandidateDecided if another curator decided it first)."""
    if position not in Position.values:
        raise ValueError(f"unknown position {position!r}")
    evidence_check(article=article, sentence=sentence, start=start, end=end)
    topic = (
        Topic.objects.get(pk=topic_id)
        if topic_id is not None
        else Topic.objects.get(slug=settings.DEFAULT_TOPIC)
    )
    topic_id = topic.pk
    contributions, conditions = offer_check(
        topic=topic, contributions=contributions, conditions=conditions
    )
    if statement_date is None:
        date_precision = DatePrecision.UNKNOWN
    elif date_precision == DatePrecision.UNKNOWN:
        date_precision = DatePrecision.DAY
    with transaction.atomic():
        if candidate is not None:
            candidate = _candidate_close(candidate, CandidateStatus.ACCEPTED, user)
        with positions_watched({(topic_id, country.pk)}, user=user):
            reviewed_at = candidate.reviewed_at if candidate else timezone.now()
            stance = Stance(
                topic_id=topic_id,
                country=country,
                actor=actor,
                position=position,
                statement_date=statement_date,
                date_precision=date_precision,
                summary=sentence[:500],
                contributions=contributions,
                conditions=conditions,
                size=(size or "").strip()[:200],
                status=ReviewStatus.APPROVED,
                created_by=user,
                reviewed_by=user,
                reviewed_at=reviewed_at,
            )
            stance._history_user = user
            stance.save()
            # The curator chose this sentence: accepted with the stance.
            evidence = Evidence(
                stance=stance,
                article=article,
                sentence=sentence,
                start=start,
                end=end,
                kind=EvidenceKind.QUOTE if quote else EvidenceKind.REPORTED,
                status=EvidenceStatus.ACCEPTED,
                reviewed_by=user,
                reviewed_at=reviewed_at,
            )
            evidence._history_user = user
            evidence.save()
            if candidate is not None:
                candidate.stance, candidate.quote = stance, quote
                candidate.save(update_fields=["stance", "quote"])
            disputes_detect(topic_id=topic_id, country_id=country.pk)
    return stance


def candidate_dismiss(*, candidate: Candidate, user) -> Candidate:
    """Nothing to place: the sentence mentions the country but says nothing of its stance.
    Kept as dismissed, so extracting the article again does not ask again."""
    return _candidate_close(candidate, CandidateStatus.DISMISSED, user)


# --- New sources of approved stances --------------------------------------------------------


class EvidenceDecided(Exception):
    """The sentence is no longer a new source awaiting review: another curator (or a second
    click) decided it, or its stance is no longer approved."""

    def __init__(self, evidence: Evidence):
        super().__init__(f"Evidence {evidence.pk} is no longer awaiting review.")
        self.evidence = evidence


def evidence_review(*, evidence: Evidence, accept: bool, user) -> Evidence:
    """A curator accepts (readers see it, the stance counts one more source) or rejects a
    new report of an approved stance. One conditional update: of two curators deciding at
    once one wins and the other is told (EvidenceDecided), on SQLite and PostgreSQL."""
    status = EvidenceStatus.ACCEPTED if accept else EvidenceStatus.REJECTED
    with transaction.atomic():
        decided = (
            Evidence.objects.new_sources()
            .filter(pk=evidence.pk)
            .update(status=status, reviewed_by=user, reviewed_at=timezone.now())
        )
        evidence.refresh_from_db()
        if not decided:
            raise EvidenceDecided(evidence)
        # Recorded in the history, as every write of evidence: the cached pages key on it.
        bulk_update_with_history([evidence], Evidence, [], default_user=user)
    return evidence


# --- Curation --------------------------------------------------------------------------

DISPUTE_WINDOW = dt.timedelta(days=settings.DISPUTE_WINDOW_DAYS)


def stances_review(
    *, stance_ids: list[int], approve: bool, user, reason: str = "",
    undated_confirmed: bool = False,
) -> list[Stance]:
    """Approve or reject stances (a queue row or a bulk selection); their evidence awaiting
    review is decided with them, and disputes and changes of a country's current position
    follow. Returns the stances reviewed. A rejection needs a reason (ValueError without
    one).

    Approving needs the statement's date: an undated stance is approved only when the
    curator confirmed that its date is unknown (`undated_confirmed`); otherwise it stays
    proposed and is left out of the result (a bulk approval skips it)."""
    reason = reason.strip()
    if not approve and not reason:
        raise ValueError("A rejection needs a reason.")
    with transaction.atomic():
        stances = list(Stance.objects.select_for_update().filter(pk__in=stance_ids))
        if approve and not undated_confirmed:
            stances = [s for s in stances if s.statement_date is not None]
        pairs = {(s.topic_id, s.country_id) for s in stances}
        with positions_watched(pairs, user=user):
            for stance in stances:
                stance.approve(user) if approve else stance.reject(user, reason=reason)
            for topic_id, country_id in pairs:
                disputes_detect(topic_id=topic_id, country_id=country_id)
    return stances


def stance_correct(*, stance: Stance, user, changes: dict) -> Stance:
    """A curator's correction (position, country, actor, date, what is offered and on what
    conditions) is a reviewed fact: saved and approved together; both the extractor's
    version and the correction stay in history. Fields not in `changes` are kept."""
    if "contributions" in changes or "conditions" in changes:
        changes = dict(changes)
        changes["contributions"], changes["conditions"] = offer_check(
            topic=stance.topic,
            contributions=changes.get("contributions", stance.contributions),
            conditions=changes.get("conditions", stance.conditions),
        )
    if "size" in changes:
        changes["size"] = (changes["size"] or "").strip()[:200]
    previous_country = stance.country_id
    pairs = {(stance.topic_id, previous_country)}
    if "country" in changes:
        pairs.add((stance.topic_id, changes["country"].pk))
    with positions_watched(pairs, user=user):
        was = (stance.status, stance.reviewed_at)
        for field, value in changes.items():
            setattr(stance, field, value)
        if stance.statement_date is None:
            stance.date_precision = DatePrecision.UNKNOWN
        elif stance.date_precision == DatePrecision.UNKNOWN:
            stance.date_precision = DatePrecision.DAY
        stance.status = ReviewStatus.APPROVED
        stance.reviewed_by = user
        stance.reviewed_at = timezone.now()
        stance.rejection_reason = ""
        stance._history_user = user
        stance.save()
        stance.evidence_follow(was=was, user=user)
        for country_id in {previous_country, stance.country_id}:
            disputes_detect(topic_id=stance.topic_id, country_id=country_id)
    return stance


def _effective_date(stance: Stance) -> dt.date:
    """When a stance was taken, as near as we know: its date, else its earliest source's
    publication, else when we first learnt of it."""
    if stance.statement_date:
        return stance.statement_date
    published = [e.article.published for e in stance.evidence.all() if e.article.published]
    if published:
        return min(published)
    ingested = [e.article.ingested_at.date() for e in stance.evidence.all()]
    return min(ingested) if ingested else stance.created_at.date()


def _is_other_voice(stance: Stance) -> bool:
    """A party leader or opposition figure of the country: their view is not the country's,
    so it cannot dispute the official line (it is shown apart instead)."""
    actor = stance.actor
    return bool(actor and actor.country_id == stance.country_id and not actor.speaks_for_government)


def disputes_detect(*, topic_id: int, country_id: int) -> list[Dispute]:
    """Open a dispute where approved stances disagree about one country: approved stances
    within the dispute window that give different positions, other voices aside. Proposals
    never open one by themselves (a curator flags a proposal that disputes approved stances:
    `dispute_flag`). Both sides are kept; a dispute already on record gains the new stances
    (and opens again if resolved)."""
    stances = list(
        Stance.objects.approved()
        .filter(topic_id=topic_id, country_id=country_id)
        .select_related("actor")
        .prefetch_related("evidence__article", "disputes")
    )
    touched = []
    for cluster in _clusters(stances):
        if len({s.position for s in cluster}) < 2:
            continue
        known = {d for s in cluster for d in s.disputes.all()}
        dispute = min(known, key=lambda d: d.pk) if known else None
        if dispute is None:
            dispute = Dispute.objects.create(topic_id=topic_id, country_id=country_id)
        _dispute_join(dispute, cluster)
        touched.append(dispute)
    return touched


def _clusters(stances: list[Stance]) -> list[list[Stance]]:
    """Runs of the country's own voices, each stance within the window of its run's first."""
    dated = sorted(
        ((_effective_date(s), s) for s in stances if not _is_other_voice(s)),
        key=lambda pair: (pair[0], pair[1].pk),
    )
    clusters: list[list[Stance]] = []
    start: dt.date | None = None
    for day, stance in dated:
        if start is None or day - start > DISPUTE_WINDOW:
            clusters.append([])
            start = day
        clusters[-1].append(stance)
    return clusters


def _dispute_join(dispute: Dispute, stances: list[Stance]) -> None:
    """Add the stances a dispute lacks; a resolved one opens again when it gains any."""
    members = set(dispute.stances.values_list("pk", flat=True))
    new = [s for s in stances if s.pk not in members]
    if not new:
        return
    dispute.stances.add(*new)
    if dispute.status == DisputeStatus.RESOLVED and members:
        dispute.status = DisputeStatus.OPEN
        dispute.resolved_at = None
        dispute.save(update_fields=["status", "resolved_at"])


class NothingToDispute(ValueError):
    """A flag that names no disagreement: the curator is told why."""


def dispute_flag(*, stance: Stance, user) -> Dispute:
    """A curator flags a proposal as disputing what is approved: it joins (or opens) a
    dispute with the approved stances of its country within the window that give another
    position, other voices aside. NothingToDispute says why when there are none."""
    if stance.status != ReviewStatus.PROPOSED:
        raise NothingToDispute("Only a proposal is flagged: approved stances that disagree "
                               "open a dispute by themselves.")
    stance = Stance.objects.select_related("actor", "country").get(pk=stance.pk)
    if _is_other_voice(stance):
        raise NothingToDispute(
            f"{stance.actor} is another voice of {stance.country}, not its official line: "
            "shown apart, it disputes nothing."
        )
    day = _effective_date(stance)
    approved = (
        Stance.objects.approved()
        .filter(topic_id=stance.topic_id, country_id=stance.country_id)
        .exclude(position=stance.position)
        .select_related("actor")
        .prefetch_related("evidence__article", "disputes")
    )
    others = [
        s
        for s in approved
        if not _is_other_voice(s) and abs(_effective_date(s) - day) <= DISPUTE_WINDOW
    ]
    if not others:
        raise NothingToDispute(
            f"No approved stance of {stance.country} within {DISPUTE_WINDOW.days} days "
            f"gives another position than {stance.get_position_display().lower()}: "
            "there is nothing to dispute."
        )
    with transaction.atomic():
        known = {d for s in others for d in s.disputes.all()}
        if known:
            dispute = min(known, key=lambda d: d.pk)
        else:
            dispute = Dispute.objects.create(
                topic_id=stance.topic_id, country_id=stance.country_id, flagged_by=user
            )
        if dispute.flagged_by_id is None:
            dispute.flagged_by = user
            dispute.save(update_fields=["flagged_by"])
        _dispute_join(dispute, [stance, *others])
    return dispute


KEEP, REJECT, BOTH_STAND = "keep", "reject", "both"


def dispute_resolve(
    *, dispute: Dispute, user, note: str, decision: str = BOTH_STAND, stance: Stance | None = None
) -> Dispute:
    """A curator settles a dispute, with a note analysts can read (required):

    - KEEP `stance`: it holds (approved, if it was a proposal); the others are rejected with
      the note as their reason;
    - REJECT `stance`: it is rejected with the note as its reason; the dispute is resolved
      once what remains agrees, and stays open while it does not;
    - BOTH_STAND: different voices, both right; nothing is rejected.

    Changes of the country's current position follow as for any review."""
    note = note.strip()
    if not note:
        raise ValueError("A resolution needs a note analysts can read.")
    if decision not in (KEEP, REJECT, BOTH_STAND):
        raise ValueError(f"unknown decision {decision!r}")
    with transaction.atomic():
        members = list(dispute.stances.select_for_update().order_by("pk"))
        if decision != BOTH_STAND and (stance is None or stance.pk not in {s.pk for s in members}):
            raise ValueError("Choose one of the dispute's stances.")
        pairs = {(s.topic_id, s.country_id) for s in members}
        with positions_watched(pairs, user=user):
            _dispute_decide(dispute, members, decision, stance, user, note)
            for topic_id, country_id in pairs:
                disputes_detect(topic_id=topic_id, country_id=country_id)
    dispute.refresh_from_db()
    return dispute


def _dispute_decide(dispute: Dispute, members: list[Stance], decision: str,
                    stance: Stance | None, user, note: str) -> None:
    if decision == KEEP:
        for member in members:
            if member.pk == stance.pk:
                if member.status != ReviewStatus.APPROVED:
                    member.approve(user)
            elif member.status != ReviewStatus.REJECTED:
                member.reject(user, reason=f"Disputed; another report was kept: {note}")
        dispute.resolve(user, note, DisputeOutcome.KEPT)
    elif decision == REJECT:
        member = next(s for s in members if s.pk == stance.pk)
        if member.status != ReviewStatus.REJECTED:
            member.reject(user, reason=note)
        standing = {
            s.position
            for s in members
            if s.pk != member.pk and s.status != ReviewStatus.REJECTED
        }
        if len(standing) < 2:
            dispute.resolve(user, note, DisputeOutcome.REJECTED)
    else:
        dispute.resolve(user, note, DisputeOutcome.BOTH_STAND)


def actors_merge(*, survivor: Actor, duplicates: list[Actor], user=None) -> Actor:
    """Fold duplicate actors into one: their stances and aliases move to the survivor, and
    their names become its aliases, so the extractor finds the survivor next time. A stance
    moved from an official voice to another (or back) can move its country's position."""
    pairs = actor_stance_pairs([a.pk for a in [survivor, *duplicates]])
    with positions_watched(pairs, user=user):
        have = {a.lower() for a in survivor.aliases.values_list("alias", flat=True)}
        have.add(survivor.name.lower())
        for duplicate in duplicates:
            if duplicate.pk == survivor.pk:
                continue
            for stance in duplicate.stances.all():
                # Saved one by one, not .update(): each move is recorded in the history.
                stance.actor = survivor
                stance.save(update_fields=["actor", "updated_at"])
            names = [duplicate.name, *duplicate.aliases.values_list("alias", flat=True)]
            for name in names:
                if name.lower() not in have:
                    ActorAlias.objects.create(actor=survivor, alias=name)
                    have.add(name.lower())
            duplicate.delete()
    return survivor


def history_revert(*, record, user) -> None:
    """Put an object back as a history record shows it; the revert is itself history. A
    stance's evidence follows a change of its status, and a change of position is recorded."""
    instance = record.instance
    instance._history_user = user
    when = timezone.localtime(record.history_date)
    instance._change_reason = f"Reverted to the version of {when:%-d %b %Y %H:%M}"
    if isinstance(instance, Actor):
        with positions_watched(actor_stance_pairs([instance.pk]), user=user):
            instance.save()
        return
    if not isinstance(instance, Stance):
        instance.save()
        return
    current = (
        Stance.objects.filter(pk=instance.pk)
        .values_list("topic_id", "country_id", "status", "reviewed_at")
        .first()
    )
    pairs = {(instance.topic_id, instance.country_id)}
    if current:
        pairs.add(current[:2])
    with positions_watched(pairs, user=user):
        instance.save()
        if current:
            # Evidence decided with the stance follows it back (Stance.evidence_follow).
            instance.evidence_follow(was=current[2:], user=user)
        for topic_id, country_id in pairs:
            disputes_detect(topic_id=topic_id, country_id=country_id)


# --- Changes of a country's current position ----------------------------------------------

TopicCountry = tuple[int, int]


def current_stances(pairs: set[TopicCountry]) -> dict[TopicCountry, Stance | None]:
    """The stance that gives each (topic, country) its current position: the latest dated,
    approved stance of the official line (the government's voices, or no named actor), as
    the analyst pages derive it (stances.summaries.current_positions)."""
    from .filters import official_line_q

    result: dict[TopicCountry, Stance | None] = dict.fromkeys(pairs)
    for topic_id in {t for t, _ in pairs}:
        country_ids = [c for t, c in pairs if t == topic_id]
        latest = (
            Stance.objects.approved()
            .filter(topic_id=topic_id, country_id=OuterRef("pk"))
            .filter(official_line_q(), statement_date__isnull=False)
            .order_by("-statement_date", "-id")
            .values("pk")[:1]
        )
        ids = dict(
            Country.objects.filter(pk__in=country_ids)
            .annotate(current=Subquery(latest))
            .values_list("pk", "current")
        )
        found = Stance.objects.in_bulk([i for i in ids.values() if i])
        for country_id, stance_id in ids.items():
            result[(topic_id, country_id)] = found.get(stance_id)
    return result


def current_positions_snapshot(pairs: set[TopicCountry]) -> dict[TopicCountry, Stance | None]:
    """Take before a review changes anything; `position_changes_record` compares after.
    Locks each country first, so two reviews of one country cannot both see the old state."""
    for topic_id, country_id in sorted(pairs):
        _lock_country_ids(topic_id, country_id)
    return current_stances(pairs)


def actor_stance_pairs(actor_ids: list[int]) -> set[TopicCountry]:
    """The (topic, country) of every stance of these actors: whose official line an edit,
    a merge or a deletion of the actors can change."""
    rows = Stance.objects.filter(actor_id__in=actor_ids).values_list("topic_id", "country_id")
    return set(rows.distinct())


def _lock_country_ids(topic_id: int, country_id: int) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [topic_id, country_id])


@contextmanager
def positions_watched(
    pairs: set[TopicCountry], *, user=None, loaded: bool = False
) -> Iterator[None]:
    """The one way to write what can move a country's current position (its latest dated,
    approved official-line stance): reviews, corrections, reverts, placed candidates, admin
    edits and deletions of stances and actors, merges, and the demo and synthetic loads all
    wrap their writes in it. It takes the current positions of `pairs` before, and after
    the writes records each change (`position_changes_record`), in the same transaction.

    `loaded=True` is for loads of past statements (load_demo, generate_synthetic): a country
    whose changes were never recorded gets its whole history, as its timeline draws it."""
    with transaction.atomic():
        before = current_positions_snapshot(pairs)
        yield
        position_changes_record(before=before, user=user, loaded=loaded)


def position_changes_record(
    *, before: dict[TopicCountry, Stance | None], user=None, loaded: bool = False
) -> list[PositionChange]:
    """Record a PositionChange for each (topic, country) whose current position differs
    from the snapshot `before`. A new stance repeating the same position is no change, and
    so is an older statement approved late. The only writer of PositionChange.

    With `loaded`, a (topic, country) with no change on record gets instead every change of
    its official line, in the order of the statements' dates (the timeline's bands), each
    recorded as learnt when its stance was reviewed: a load brings past statements at once,
    and its readers should find on the timeline, in feeds and digests the changes the bands
    show, not one change from nothing to today's position."""
    after = current_stances(set(before))
    history = _line_changes(before) if loaded else {}
    # A stance deleted by the writes (the admin's delete) gave the old position; the
    # change still says which position it was, not which stance.
    olds = [old.pk for old in before.values() if old is not None]
    kept = set(Stance.objects.filter(pk__in=olds).values_list("pk", flat=True)) if olds else set()
    changes = []
    for pair, old in sorted(before.items()):
        if pair in history:
            changes += history[pair]
            continue
        new = after[pair]
        old_position = old.position if old else ""
        new_position = new.position if new else ""
        # One rule for both: a change of the current official line's position, or of what
        # it offers (the kinds of contribution), is recorded.
        old_offer = list(old.contributions) if old else []
        new_offer = list(new.contributions) if new else []
        if old_position == new_position and sorted(old_offer) == sorted(new_offer):
            continue
        changes.append(
            PositionChange(
                topic_id=pair[0],
                country_id=pair[1],
                previous_position=old_position,
                position=new_position,
                previous_contributions=old_offer,
                contributions=new_offer,
                previous_stance=old if old and old.pk in kept else None,
                stance=new,
                recorded_by=user if getattr(user, "is_authenticated", False) else None,
            )
        )
    return PositionChange.objects.bulk_create(changes)


def _line_changes(pairs) -> dict[TopicCountry, list[PositionChange]]:
    """For each (topic, country) with no change on record: the changes of its approved
    official line (of position, as the timeline's bands show them, or of offer), each
    recorded when its stance was reviewed (never earlier than the change before it)."""
    from .filters import official_line_q

    logged = set(
        PositionChange.objects.filter(
            topic_id__in={t for t, _ in pairs}, country_id__in={c for _, c in pairs}
        ).values_list("topic_id", "country_id")
    )
    result: dict[TopicCountry, list[PositionChange]] = {}
    for topic_id in {t for t, _ in pairs}:
        country_ids = [c for t, c in pairs if t == topic_id and (t, c) not in logged]
        if not country_ids:
            continue
        # Every dated statement of the official line, oldest first: a change is a new
        # position (the bands) or a new offer (the kinds of contribution), as for a review.
        line = (
            Stance.objects.approved()
            .filter(official_line_q(), topic_id=topic_id, country_id__in=country_ids,
                    statement_date__isnull=False)
            .order_by("statement_date", "pk")
        )
        previous: dict[int, Stance] = {}
        for stance in line:
            country_id, old = stance.country_id, previous.get(stance.country_id)
            previous[country_id] = stance
            if old and old.position == stance.position and sorted(old.contributions) == sorted(
                    stance.contributions):
                continue
            when = stance.reviewed_at or stance.created_at
            rows = result.setdefault((topic_id, country_id), [])
            if rows:
                when = max(when, rows[-1].recorded_at)
            rows.append(
                PositionChange(
                    topic_id=topic_id,
                    country_id=country_id,
                    previous_position=old.position if old else "",
                    position=stance.position,
                    previous_contributions=list(old.contributions) if old else [],
                    contributions=list(stance.contributions),
                    previous_stance=old,
                    stance=stance,
                    recorded_at=when,
                    recorded_by_id=stance.reviewed_by_id,
                )
            )
    return result


# --- Subscriptions and the e-mail digest ----------------------------------------------------


@dataclass
class QuietNotice:
    subscription: Subscription
    last_statement: dt.date | None
    days: int


@dataclass
class Digest:
    user: object
    changes: list[PositionChange]
    quiet: list[QuietNotice]

    def __bool__(self) -> bool:
        return bool(self.changes or self.quiet)


def digest_build(*, user, now: dt.datetime | None = None) -> Digest:
    """What a subscriber has not yet been told: changes of position recorded since their
    last digest in what they watch, and watched countries silent for QUIET_NOTICE_DAYS
    (once per silence)."""
    now = now or timezone.now()
    subscriptions = list(
        Subscription.objects.filter(user=user).select_related("topic", "country")
    )
    changes: dict[int, PositionChange] = {}
    for sub in subscriptions:
        rows = PositionChange.objects.filter(
            topic=sub.topic, recorded_at__gte=sub.notified_until, recorded_at__lt=now
        ).with_related()
        if sub.country_id:
            rows = rows.filter(country_id=sub.country_id)
        changes.update({c.pk: c for c in rows})
    quiet = []
    for sub in subscriptions:
        if not sub.country_id:
            continue
        last = (
            Stance.objects.approved()
            .filter(topic=sub.topic, country_id=sub.country_id, statement_date__isnull=False)
            .aggregate(last=Max("statement_date"))["last"]
        )
        since = last or sub.created_at.date()
        days = (now.date() - since).days
        if days >= settings.QUIET_NOTICE_DAYS and sub.quiet_noticed_for != since:
            quiet.append(QuietNotice(subscription=sub, last_statement=last, days=days))
    ordered = sorted(changes.values(), key=lambda c: (c.recorded_at, c.pk))
    return Digest(user=user, changes=ordered, quiet=quiet)


def digest_send(*, user_id: int, now: dt.datetime | None = None) -> bool:
    """Send one subscriber their digest, if there is anything to tell; True when sent.

    Idempotent: the subscriptions' watermarks move in the same transaction, so a second
    run finds nothing new. A failed send rolls them back and the retry sends again."""
    now = now or timezone.now()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    with transaction.atomic():
        # Lock this user's subscriptions: two workers with one task cannot both send.
        list(
            Subscription.objects.select_for_update()
            .filter(user=user)
            .order_by("pk")
            .values_list("pk")
        )
        digest = digest_build(user=user, now=now)
        if not digest:
            return False
        context = {"digest": digest, "site_url": settings.SITE_URL}
        subject = _digest_subject(digest)
        body = render_to_string("stances/email/digest.txt", context)
        send_mail(subject, body, None, [user.email])
        Subscription.objects.filter(user=user).update(notified_until=now)
        for notice in digest.quiet:
            since = notice.last_statement or notice.subscription.created_at.date()
            Subscription.objects.filter(pk=notice.subscription.pk).update(quiet_noticed_for=since)
    return True


def _digest_subject(digest: Digest) -> str:
    parts = []
    if digest.changes:
        n = len(digest.changes)
        parts.append(f"{n} change{'s' if n != 1 else ''} of position")
    if digest.quiet:
        names = ", ".join(q.subscription.country.name for q in digest.quiet)
        parts.append(f"no news from {names}")
    return "Stance tracker: " + "; ".join(parts)


def subscribers() -> list[int]:
    return list(
        Subscription.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", flat=True)
        .distinct()
    )


# --- Measured extraction quality --------------------------------------------------------

_SCORE_KEYS = ("precision", "recall", "f1", "tp", "fp", "fn")


def _check_scores(scores: object, where: str) -> None:
    if not isinstance(scores, dict):
        raise ValueError(f"{where} must be an object with {', '.join(_SCORE_KEYS)}")
    for key in _SCORE_KEYS:
        value = scores.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{where}.{key} must be a number, got {value!r}")
        if key in ("precision", "recall", "f1") and not 0 <= value <= 1:
            raise ValueError(f"{where}.{key} must be between 0 and 1, got {value!r}")
        if key in ("tp", "fp", "fn") and (value < 0 or value != int(value)):
            raise ValueError(f"{where}.{key} must be a whole count, got {value!r}")


def _check_count(value: object, key: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{key} must be a whole count, got {value!r}")


def evaluation_record(*, result: object, description: str = "") -> ExtractionEvaluation:
    """Store one run of the extraction evaluation, after checking it has the shape the
    evaluation command writes; what does not is refused with the reason."""
    if not isinstance(result, dict):
        raise ValueError("the evaluation must be a JSON object")
    for key in ("extractor_version", "corpus"):
        if not isinstance(result.get(key), str) or not result[key].strip():
            raise ValueError(f"{key} must be a non-empty string")
    for key in ("articles", "gold_claims", "predicted_claims"):
        _check_count(result.get(key), key)
    # Figures the evaluation command added later: JSON recorded before has none of them.
    for key in ("candidates", "inverted_positions"):
        if key in result:
            _check_count(result[key], key)
    if "candidate_recall" in result:
        value = result["candidate_recall"]
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValueError(f"candidate_recall must be between 0 and 1, got {value!r}")
    _check_scores(result.get("micro"), "micro")
    per_position = result.get("per_position", {})
    if not isinstance(per_position, dict):
        raise ValueError("per_position must be an object keyed by position")
    for position, scores in per_position.items():
        if position not in Position.values:
            raise ValueError(f"per_position has an unknown position {position!r}")
        _check_scores(scores, f"per_position.{position}")
    return ExtractionEvaluation.objects.create(
        extractor_version=result["extractor_version"][:50],
        corpus=result["corpus"][:500],
        description=description.strip()[:300],
        result=result,
    )
