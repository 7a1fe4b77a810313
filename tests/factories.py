"""Small builders for the stance graph, so tests state only what matters to them."""

from __future__ import annotations

import datetime as dt
import itertools

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify

from ingest.models import Article, Outlet
from ingest.text import content_hash
from stances.models import (
    Actor,
    Candidate,
    Country,
    DatePrecision,
    Evidence,
    EvidenceStatus,
    ReviewStatus,
    Stance,
    Topic,
)

_seq = itertools.count(1)


def make_outlet(name: str | None = None) -> Outlet:
    return Outlet.objects.get_or_create(name=name or f"Outlet {next(_seq)}")[0]


def make_article(
    text: str = "",
    *,
    title: str = "",
    outlet: Outlet | None = None,
    published: dt.date | None = dt.date(2025, 9, 5),
    url: str = "",
) -> Article:
    n = next(_seq)
    text = text or f"Article number {n} says nothing in particular."
    return Article.objects.create(
        url=url,
        title=title or f"Article {n}",
        outlet=outlet or make_outlet(),
        published=published,
        text=text,
        content_hash=content_hash(text),
    )


def make_actor(name: str, iso2: str | None, *, official: bool = True, role: str = "") -> Actor:
    country = Country.objects.get(iso2=iso2) if iso2 else None
    return Actor.objects.create(
        name=name, slug=slugify(name), country=country, role=role, speaks_for_government=official
    )


def make_stance(
    iso2: str,
    position: str,
    *,
    actor: Actor | None = None,
    date: dt.date | None = dt.date(2025, 9, 4),
    status: str = ReviewStatus.APPROVED,
    sentence: str | None = None,
    article: Article | None = None,
    topic: Topic | None = None,
    user=None,
    reason: str = "Not what the source says.",
) -> Stance:
    topic = topic or Topic.objects.get(slug=settings.DEFAULT_TOPIC)
    reviewed = status != ReviewStatus.PROPOSED
    stance = Stance.objects.create(
        topic=topic,
        country=Country.objects.get(iso2=iso2),
        actor=actor,
        position=position,
        statement_date=date,
        date_precision=DatePrecision.DAY if date else DatePrecision.UNKNOWN,
        status=status,
        created_by=user,
        extractor_version="" if user else "test-1",
        reviewed_at=timezone.now() if reviewed else None,
        rejection_reason=reason if status == ReviewStatus.REJECTED else "",
    )
    sentence = sentence or f"{stance.country.name} takes the position {position} ({next(_seq)})."
    # The evidence was reviewed with its stance, as a review decides it.
    evidence_status = {
        ReviewStatus.APPROVED: EvidenceStatus.ACCEPTED,
        ReviewStatus.REJECTED: EvidenceStatus.REJECTED,
    }.get(status, EvidenceStatus.PROPOSED)
    make_evidence(stance, sentence, article=article, status=evidence_status)
    return stance


def make_evidence(
    stance: Stance,
    sentence: str | None = None,
    *,
    article: Article | None = None,
    status: str = EvidenceStatus.PROPOSED,
    user=None,
) -> Evidence:
    """A sentence supporting `stance`, in its article (made around it when not given); by
    default a new source awaiting review."""
    sentence = sentence or f"Another report on {stance.country.name} ({next(_seq)})."
    article = article or make_article(sentence)
    start = article.text.find(sentence)
    if start < 0:
        start = 0
        sentence = article.text
    reviewed = status != EvidenceStatus.PROPOSED
    return Evidence.objects.create(
        stance=stance,
        article=article,
        sentence=sentence,
        start=start,
        end=start + len(sentence),
        status=status,
        reviewed_by=user if reviewed else None,
        reviewed_at=(stance.reviewed_at or timezone.now()) if reviewed else None,
    )


def make_candidate(
    iso2: str,
    sentence: str | None = None,
    *,
    article: Article | None = None,
    actor: str = "",
    date: dt.date | None = dt.date(2025, 9, 4),
    status: str = "open",
    user=None,
) -> Candidate:
    """A sentence needing a position, in its article (made around it when not given)."""
    sentence = sentence or f"The reassurance force came up with {iso2} ({next(_seq)})."
    article = article or make_article(f"Intro line.\n\n{sentence} Closing words.")
    start = article.text.index(sentence)
    decided = status != "open"
    return Candidate.objects.create(
        topic=Topic.objects.get(slug=settings.DEFAULT_TOPIC),
        article=article,
        country=Country.objects.get(iso2=iso2),
        sentence=sentence,
        start=start,
        end=start + len(sentence),
        actor_name=actor,
        statement_date=date,
        date_precision=DatePrecision.DAY if date else DatePrecision.UNKNOWN,
        extractor_version="test-1",
        status=status,
        reviewed_by=user if decided else None,
        reviewed_at=timezone.now() if decided else None,
    )
