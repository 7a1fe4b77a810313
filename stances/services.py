"""Workflows over the stance graph that span several models."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from ingest.models import Article, ArticleStatus, Outlet
from ingest.text import content_hash

from .models import (
    Actor,
    ActorAlias,
    Country,
    DatePrecision,
    Dispute,
    DisputeStatus,
    Evidence,
    EvidenceKind,
    ReviewStatus,
    Stance,
    Topic,
)

DEMO_FILE = Path(__file__).parent / "data" / "demo.toml"
DEMO_CURATOR = "demo-curator"


@dataclass(frozen=True)
class DemoCounts:
    actors: int
    articles: int
    stances: int
    evidence: int


def demo_load(*, path: Path = DEMO_FILE, topic_slug: str | None = None) -> DemoCounts:
    """Load the curated demo records; running it again changes nothing."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    topic = Topic.objects.get(slug=topic_slug or settings.DEFAULT_TOPIC)
    countries = {c.iso2: c for c in Country.objects.all()}
    with transaction.atomic():
        curator = _demo_curator()
        actors = {row["name"]: _actor_upsert(row, countries) for row in data.get("actor", [])}
        for row in data.get("article", []):
            _article_upsert(row, topic=topic, actors=actors, countries=countries, curator=curator)
    return DemoCounts(
        actors=Actor.objects.count(),
        articles=Article.objects.count(),
        stances=Stance.objects.count(),
        evidence=Evidence.objects.count(),
    )


def _demo_curator():
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_CURATOR, defaults={"first_name": "Demo", "last_name": "Curator"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _actor_upsert(row: dict, countries: dict[str, Country]) -> Actor:
    actor, _ = Actor.objects.update_or_create(
        slug=slugify(row["name"]),
        defaults={
            "name": row["name"],
            "kind": row.get("kind", "person"),
            "country": countries.get(row.get("country", "")),
            "role": row.get("role", ""),
            "speaks_for_government": row.get("official", False),
        },
    )
    for alias in row.get("aliases", []):
        ActorAlias.objects.get_or_create(actor=actor, alias=alias)
    return actor


def _article_upsert(row: dict, *, topic, actors, countries, curator) -> None:
    sentences = [s["sentence"] for s in row["stance"]]
    text = " ".join(sentences)
    outlet, _ = Outlet.objects.get_or_create(name=row["outlet"])
    article, _ = Article.objects.update_or_create(
        url=row["url"],
        defaults={
            "title": row["title"],
            "outlet": outlet,
            "published": row["published"],
            "text": text,
            "content_hash": content_hash(text),
            "status": ArticleStatus.EXTRACTED,
        },
    )
    offset = 0
    for claim in row["stance"]:
        start = text.index(claim["sentence"], offset)
        end = offset = start + len(claim["sentence"])
        date: dt.date | None = claim.get("date")
        stance, _ = Stance.objects.update_or_create(
            topic=topic,
            country=countries[claim["country"]],
            actor=actors.get(claim.get("actor", "")),
            position=claim["position"],
            statement_date=date,
            defaults={
                "date_precision": DatePrecision.DAY if date else DatePrecision.UNKNOWN,
                "summary": row["title"],
                "status": ReviewStatus.APPROVED,
                "created_by": curator,
                "reviewed_by": curator,
                "reviewed_at": timezone.make_aware(
                    dt.datetime.combine(row["published"], dt.time(18, 0))
                ),
                "created_at": timezone.make_aware(
                    dt.datetime.combine(row["published"], dt.time(12, 0))
                ),
            },
        )
        Evidence.objects.update_or_create(
            stance=stance,
            article=article,
            start=start,
            defaults={"end": end, "sentence": claim["sentence"], "kind": claim["kind"]},
        )


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


@dataclass
class RecordResult:
    created: list[Stance]
    corroborated: list[Stance]
    skipped: list[str]


def claims_record(
    *,
    article: Article,
    claims: list[ClaimLike],
    extractor_version: str,
    topic: Topic | None = None,
) -> RecordResult:
    """Store claims as proposed stances with evidence; a claim already on record (same
    country, actor, position, within the window) gains evidence instead of a duplicate.

    Idempotent: recording the same article again adds nothing. A stance a curator rejected
    stays rejected when the same claim comes again; its new evidence is kept for the record.
    """
    topic = topic or Topic.objects.get(slug=settings.DEFAULT_TOPIC)
    codes = {c.country for c in claims} | {c.actor_country for c in claims if c.actor_country}
    countries = Country.objects.in_bulk(codes, field_name="iso2")
    result = RecordResult(created=[], corroborated=[], skipped=[])
    with transaction.atomic():
        for claim in claims:
            country = countries.get(claim.country)
            if country is None:
                result.skipped.append(f"unknown country code {claim.country!r}")
                continue
            _lock_country(topic, country)
            actor = _actor_for_claim(claim, countries) if claim.actor else None
            stance, created = _stance_for_claim(
                claim, topic=topic, country=country, actor=actor, version=extractor_version
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
    return result


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


def _stance_for_claim(claim: ClaimLike, *, topic, country, actor, version) -> tuple[Stance, bool]:
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
        _sharpen(stance, claim)
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
        confidence=round(claim.confidence, 3),
        extractor_version=version,
    )
    return stance, True


def _sharpen(stance: Stance, claim: ClaimLike) -> None:
    """A later report may know the exact day the first one only approximated; a proposal
    takes it (a reviewed stance is the curator's to change)."""
    changed = []
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


# --- Curation --------------------------------------------------------------------------

DISPUTE_WINDOW = dt.timedelta(days=settings.DISPUTE_WINDOW_DAYS)


def stances_review(*, stance_ids: list[int], approve: bool, user) -> list[Stance]:
    """Approve or reject stances (a queue row or a bulk selection); disputes follow."""
    with transaction.atomic():
        stances = list(Stance.objects.select_for_update().filter(pk__in=stance_ids))
        for stance in stances:
            stance.approve(user) if approve else stance.reject(user)
        for topic_id, country_id in {(s.topic_id, s.country_id) for s in stances}:
            disputes_detect(topic_id=topic_id, country_id=country_id)
    return stances


def stance_correct(*, stance: Stance, user, changes: dict) -> Stance:
    """A curator's correction (position, country, actor, date) is a reviewed fact: saved and
    approved together; both the extractor's version and the correction stay in history."""
    previous_country = stance.country_id
    with transaction.atomic():
        for field, value in changes.items():
            setattr(stance, field, value)
        if stance.statement_date is None:
            stance.date_precision = DatePrecision.UNKNOWN
        elif stance.date_precision == DatePrecision.UNKNOWN:
            stance.date_precision = DatePrecision.DAY
        stance.status = ReviewStatus.APPROVED
        stance.reviewed_by = user
        stance.reviewed_at = timezone.now()
        stance.save()
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
    """Flag disagreement about one country: stances (proposed or approved) within the
    dispute window that give different positions, other voices aside. Both sides are kept;
    a dispute already on record gains the new stances (and opens again if resolved)."""
    stances = list(
        Stance.objects.filter(topic_id=topic_id, country_id=country_id)
        .exclude(status=ReviewStatus.REJECTED)
        .select_related("actor")
        .prefetch_related("evidence__article", "disputes")
    )
    dated = sorted(
        ((_effective_date(s), s) for s in stances if not _is_other_voice(s)),
        key=lambda pair: (pair[0], pair[1].pk),
    )
    # Clusters: runs of stances each within the window of the run's first.
    clusters: list[list[Stance]] = []
    start: dt.date | None = None
    for day, stance in dated:
        if start is None or day - start > DISPUTE_WINDOW:
            clusters.append([])
            start = day
        clusters[-1].append(stance)

    touched = []
    for cluster in clusters:
        if len({s.position for s in cluster}) < 2:
            continue
        known = {d for s in cluster for d in s.disputes.all()}
        dispute = min(known, key=lambda d: d.pk) if known else None
        if dispute is None:
            dispute = Dispute.objects.create(topic_id=topic_id, country_id=country_id)
        members = set(dispute.stances.values_list("pk", flat=True))
        new = [s for s in cluster if s.pk not in members]
        if new:
            dispute.stances.add(*new)
            if dispute.status == DisputeStatus.RESOLVED and members:
                dispute.status = DisputeStatus.OPEN
                dispute.resolved_at = None
                dispute.save(update_fields=["status", "resolved_at"])
        touched.append(dispute)
    return touched


def dispute_resolve(*, dispute: Dispute, user, note: str) -> Dispute:
    note = note.strip()
    if not note:
        raise ValueError("A resolution needs a note analysts can read.")
    dispute.resolve(user, note)
    return dispute


def actors_merge(*, survivor: Actor, duplicates: list[Actor]) -> Actor:
    """Fold duplicate actors into one: their stances and aliases move to the survivor, and
    their names become its aliases, so the extractor finds the survivor next time."""
    with transaction.atomic():
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
    """Put an object back as a history record shows it; the revert is itself history."""
    instance = record.instance
    instance._history_user = user
    instance.save()
    if isinstance(instance, Stance):
        disputes_detect(topic_id=instance.topic_id, country_id=instance.country_id)
