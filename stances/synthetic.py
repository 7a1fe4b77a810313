"""A synthetic dataset shaped like the real one, for benchmarks and load tests.

Each country's government follows a few changes of position over time; most statements
repeat the official line of the day, a minority of other voices disagree; most stances are
approved, some still proposed or rejected; every stance has one or two evidence sentences
set in articles of several outlets. Rows go in with bulk inserts (stances with their
history, so as_of works on them too).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ingest.models import Article, ArticleStatus, Outlet
from ingest.text import content_hash

from .models import (
    Actor,
    ActorKind,
    Country,
    DatePrecision,
    Evidence,
    EvidenceKind,
    EvidenceStatus,
    Position,
    ReviewStatus,
    Stance,
    Topic,
)
from .services import positions_watched

EVIDENCE_STATUS = {
    ReviewStatus.APPROVED: EvidenceStatus.ACCEPTED,
    ReviewStatus.PROPOSED: EvidenceStatus.PROPOSED,
    ReviewStatus.REJECTED: EvidenceStatus.REJECTED,
}
START = dt.date(2024, 6, 1)
END = dt.date(2026, 10, 31)
BATCH = 5000
# Countries most written about get most of the stances, as in the news.
FOCUS = (
    "GB FR DE PL IT ES NL BE DK SE NO FI EE LV LT CZ SK HU RO BG PT IE AT GR HR SI "
    "US CA AU NZ JP TR UA RU"
).split()
OFFICIAL_ROLES = ["Prime Minister", "Foreign Minister", "Defence Minister", "President"]
OTHER_ROLES = ["Leader of the opposition", "Party leader", "Committee chair", "Former minister"]
VERBS = {
    Position.PLEDGE: "said {c} stands ready to send troops to Ukraine after a ceasefire",
    Position.HEDGE: "said {c} would decide on any deployment only with a US backstop",
    Position.REJECTION: "ruled out sending {c} soldiers to Ukraine",
}
FILLER = [
    "Talks on a reassurance force continued in Paris and London.",
    "Officials gave no timetable for a decision.",
    "The coalition of the willing met again by video link.",
    "Analysts said the size of any force remained unclear.",
    "Parliament is expected to debate the mandate next month.",
]


@dataclass
class SyntheticCounts:
    stances: int
    articles: int
    evidence: int
    actors: int


def _day(rng: random.Random) -> dt.date:
    return START + dt.timedelta(days=rng.randrange((END - START).days))


def _official_path(rng: random.Random) -> list[tuple[dt.date, str]]:
    """A government's changes of position: a few dated turns, oldest first."""
    turns = sorted(_day(rng) for _ in range(rng.randint(0, 3)))
    path = [(START, rng.choice(Position.values))]
    for day in turns:
        path.append((day, rng.choice(Position.values)))
    return path


def _position_on(path: list[tuple[dt.date, str]], day: dt.date) -> str:
    current = path[0][1]
    for start, position in path:
        if start <= day:
            current = position
    return current


def synthetic_generate(
    *, stances: int, articles: int, seed: int = 1, topic: Topic | None = None
) -> SyntheticCounts:
    """Add `stances` stances reported in `articles` articles, in one transaction, with the
    changes of position they make recorded as for any load of past statements."""
    rng = random.Random(seed)
    topic = topic or Topic.objects.order_by("pk").first()
    countries = list(Country.objects.all())
    focus = [c for c in countries if c.iso2 in FOCUS]
    # Beyond the focus, some forty other countries speak now and then; most never do.
    others = rng.sample([c for c in countries if c.iso2 not in FOCUS], 40)
    countries = focus + others
    with positions_watched({(topic.pk, c.pk) for c in countries}, loaded=True):
        return _generate(rng, topic, countries, stances=stances, articles=articles, seed=seed)


def _generate(rng, topic, countries, *, stances: int, articles: int, seed: int):
    weights = [20 if c.iso2 in FOCUS else 1 for c in countries]
    run = f"{seed}-{timezone.now():%Y%m%d%H%M%S%f}"

    outlets = [Outlet.objects.get_or_create(name=f"Synthetic Wire {i}")[0] for i in range(1, 31)]
    actor_rows: list[Actor] = []
    for country in countries:
        for role in OFFICIAL_ROLES[: rng.randint(2, 4)]:
            actor_rows.append(_actor(country, role, True, run, len(actor_rows)))
        for role in OTHER_ROLES[: rng.randint(1, 4)]:
            actor_rows.append(_actor(country, role, False, run, len(actor_rows)))
    Actor.objects.bulk_create(actor_rows, batch_size=BATCH)
    actors = list(Actor.objects.filter(slug__startswith=f"syn-{run}-"))
    by_country: dict[int, list[Actor]] = {}
    for actor in actors:
        by_country.setdefault(actor.country_id, []).append(actor)
    paths = {c.pk: _official_path(rng) for c in countries}

    # Stances first (in memory), then the articles that report them, built around them.
    now = timezone.now()
    planned: list[tuple[Stance, str]] = []
    for country in rng.choices(countries, weights=weights, k=stances):
        day = _day(rng)
        speakers = by_country.get(country.pk) or [None]
        actor = rng.choice(speakers)
        official = actor is None or actor.speaks_for_government
        position = _position_on(paths[country.pk], day)
        if not official or rng.random() < 0.02:
            position = rng.choice(Position.values)
        status = rng.choices(
            [ReviewStatus.APPROVED, ReviewStatus.PROPOSED, ReviewStatus.REJECTED], [85, 10, 5]
        )[0]
        stance = Stance(
            topic=topic,
            country=country,
            actor=actor,
            position=position,
            statement_date=day,
            date_precision=DatePrecision.DAY,
            status=status,
            confidence=round(rng.uniform(0.5, 1.0), 2),
            extractor_version="synthetic-1",
            reviewed_at=None if status == ReviewStatus.PROPOSED else now,
            rejection_reason="Synthetic: not what the source says."
            if status == ReviewStatus.REJECTED
            else "",
            created_at=now,
        )
        who = actor.name if actor else f"The government of {country.name}"
        planned.append((stance, f"{who} {VERBS[position].format(c=country.name)}."))

    texts: list[list[str]] = [[] for _ in range(max(articles, 1))]
    placements: list[list[tuple[int, int]]] = []  # per stance: (article index, sentence index)
    for i, (_stance, sentence) in enumerate(planned):
        homes = {rng.randrange(len(texts))}
        if rng.random() < 0.3:
            homes.add(rng.randrange(len(texts)))  # corroborated by a second outlet
        spots = []
        for home in homes:
            texts[home].append(sentence)
            spots.append((home, len(texts[home]) - 1))
        placements.append(spots)
        if i % 7 == 0:
            texts[rng.randrange(len(texts))].append(rng.choice(FILLER))

    article_rows: list[Article] = []
    offsets: list[list[int]] = []
    for n, sentences in enumerate(texts):
        body, starts = [f"Synthetic report {run}-{n}."], []
        cursor = len(body[0]) + 1
        for sentence in sentences:
            starts.append(cursor)
            body.append(sentence)
            cursor += len(sentence) + 1
        body.append(rng.choice(FILLER))
        text = " ".join(body)
        offsets.append(starts)
        article_rows.append(
            Article(
                url=f"https://synthetic.example/{run}/{n}",
                content_hash=content_hash(text),
                title=f"Security guarantees for Ukraine: report {n}",
                outlet=rng.choice(outlets),
                published=_day(rng),
                text=text,
                status=ArticleStatus.EXTRACTED,
            )
        )
    Article.objects.bulk_create(article_rows, batch_size=BATCH)
    stance_rows = [s for s, _ in planned]
    bulk_create_with_history(stance_rows, Stance, batch_size=BATCH, default_date=now)
    if not stance_rows or stance_rows[0].pk is None:
        # Backends that do not return ids from bulk inserts: read them back in order.
        ids = list(
            Stance.objects.filter(extractor_version="synthetic-1", created_at=now)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for stance, pk in zip(stance_rows, ids, strict=True):
            stance.pk = pk

    evidence_rows = []
    for (stance, sentence), spots in zip(planned, placements, strict=True):
        # Reviewed with its stance: accepted with an approved one, rejected with a rejected one.
        status = EVIDENCE_STATUS[stance.status]
        for home, index in spots:
            start = offsets[home][index]
            evidence_rows.append(
                Evidence(
                    stance_id=stance.pk,
                    article_id=article_rows[home].pk,
                    sentence=sentence,
                    start=start,
                    end=start + len(sentence),
                    kind=EvidenceKind.REPORTED,
                    status=status,
                    reviewed_at=stance.reviewed_at,
                    created_at=now,
                )
            )
    # With history, as every write of evidence: data_version() reads it.
    bulk_create_with_history(evidence_rows, Evidence, batch_size=BATCH, default_date=now)
    return SyntheticCounts(
        stances=len(stance_rows),
        articles=len(article_rows),
        evidence=len(evidence_rows),
        actors=len(actors),
    )


def _actor(country: Country, role: str, official: bool, run: str, n: int) -> Actor:
    name = f"{role} of {country.name}" if official else f"{role} {n} of {country.name}"
    return Actor(
        name=f"{name} ({run[-6:]})",
        slug=f"syn-{run}-{n}",
        kind=ActorKind.PERSON,
        country=country,
        role=f"{role} of {country.name}",
        speaks_for_government=official,
    )
