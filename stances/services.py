"""Workflows over the stance graph that span several models."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from ingest.models import Article, ArticleStatus, Outlet
from ingest.text import content_hash

from .models import (
    Actor,
    ActorAlias,
    Country,
    DatePrecision,
    Evidence,
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
