"""The public change log of a topic: every change of the record a reader may know, newest
first. Stances approved, corrected (the fields readers see, in words, as `audit` renders
them), withdrawn (rejected, put back or deleted after approval), new sources accepted for an
approved stance, and changes of a country's position.

Nothing unreviewed appears: a proposal is not the record, so neither are its readings, its
evidence or its rejection; a withdrawal names what had been approved, never why (the reason
is the curators' note on content readers never saw change)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import groupby

from django.urls import reverse

from .audit import FIELDS, PUBLIC_FIELDS, Change, _Names
from .models import Evidence, PositionChange, ReviewStatus, Stance, Topic
from .summaries import cache_key, cached, data_version

APPROVED, CORRECTED, WITHDRAWN, SOURCE, POSITION = (
    "approved",
    "corrected",
    "withdrawn",
    "source",
    "position",
)
LABELS = {
    APPROVED: "Stance approved",
    CORRECTED: "Stance corrected",
    WITHDRAWN: "Stance withdrawn",
    SOURCE: "New source accepted",
    POSITION: "Change of position",
}


@dataclass
class Entry:
    kind: str
    when: dt.datetime
    key: str  # stable: the feed's entry ids
    title: str
    link: str  # a withdrawn stance has no public page: its entry in the log
    changes: list[Change] = field(default_factory=list)
    detail: str = ""

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def _approved(record) -> bool:
    return record is not None and record.history_type != "-" and (
        record.status == ReviewStatus.APPROVED
    )


def _describe(record, names: _Names) -> str:
    who = names.value("actor", record)
    said = f" ({who})" if who != "—" else ""
    position = names.value("position", record).lower()
    when = names.value("statement_date", record)
    when = "date unknown" if when == "—" else when
    return f"{names.value('country', record)}: {position}{said}, {when}"


def _stance_entries(
    records: list, names: _Names, public_ids: set[int], log_url: str
) -> list[Entry]:
    """One stance's history (oldest first) as the reader's entries."""
    entries: list[Entry] = []
    shown = [(n, label) for n, label in FIELDS if n in PUBLIC_FIELDS]
    older = None
    for record in records:
        was, now = _approved(older), _approved(record)
        key = f"stance-{record.id}-{record.history_id}"
        if record.id in public_ids:
            link = reverse("stances:stance", args=[record.id])
        else:
            link = f"{log_url}#{key}"
        if now and not was:
            title = _describe(record, names)
            entries.append(Entry(APPROVED, record.history_date, key, title, link))
        elif now and was:
            changes = [
                Change(label, names.value(n, older), names.value(n, record))
                for n, label in shown
                if names.value(n, older) != names.value(n, record)
            ]
            if changes:
                entries.append(
                    Entry(
                        CORRECTED, record.history_date, key, _describe(record, names), link,
                        changes=changes,
                    )
                )
        elif was and not now:
            entries.append(
                Entry(
                    WITHDRAWN, record.history_date, key, _describe(older, names), link,
                    detail="No longer part of the record.",
                )
            )
        older = record
    return entries


def _build(topic: Topic) -> list[Entry]:
    history = Stance.history.model.objects
    ever_approved = history.filter(topic=topic, status=ReviewStatus.APPROVED).values("id")
    records = list(
        history.filter(id__in=ever_approved)
        .only(
            "id", "history_id", "history_date", "history_type", "status", "reviewed_at",
            "position", "country_id", "actor_id", "statement_date", "date_precision",
            "topic_id", "created_by_id", "reviewed_by_id", "history_user_id",
            "contributions", "conditions", "size",
        )
        .order_by("id", "history_date", "history_id")
    )
    public_ids = set(
        Stance.objects.approved().for_topic(topic).values_list("pk", flat=True)
    )
    names = _Names(records)
    log_url = reverse("stances:topic_changes", args=[topic.slug])
    entries: list[Entry] = []
    approvals: dict[int, set[dt.datetime]] = {}
    for pk, group in groupby(records, key=lambda r: r.id):
        rows = list(group)
        entries += _stance_entries(rows, names, public_ids, log_url)
        approvals[pk] = {r.reviewed_at for r in rows if _approved(r) and r.reviewed_at}
    sources = (
        Evidence.objects.public()
        .filter(stance__topic=topic)
        .select_related("stance__country", "article__outlet")
        .only(
            "id", "stance_id", "reviewed_at", "sentence", "stance__country__name",
            "stance__position", "article__outlet__name",
        )
    )
    for evidence in sources:
        times = approvals.get(evidence.stance_id) or set()
        # Evidence decided with its stance is the approval itself; a new source came later.
        if not times or evidence.reviewed_at in times or evidence.reviewed_at < min(times):
            continue
        outlet = evidence.article.outlet.name if evidence.article.outlet else "unknown outlet"
        entries.append(
            Entry(
                SOURCE,
                evidence.reviewed_at,
                f"evidence-{evidence.pk}",
                f"{evidence.stance.country.name}: new source ({outlet})",
                reverse("stances:stance", args=[evidence.stance_id]),
                detail=f"“{evidence.sentence}”",
            )
        )
    for change in PositionChange.objects.for_topic(topic).select_related("country", "topic"):
        entries.append(
            Entry(
                POSITION,
                change.recorded_at,
                f"change-{change.pk}",
                f"{change.country.name}: {change.previous_label.lower()} → "
                f"{change.position_label.lower()}",
                change.get_absolute_url(),
            )
        )
    entries.sort(key=lambda e: (e.when, e.key), reverse=True)
    return entries


def topic_changes(topic: Topic, version: tuple | None = None) -> list[Entry]:
    """The topic's change log, newest first, computed once per state of the data (position
    changes are recorded with the stance reviews that make them, so the version covers them)."""
    version = data_version() if version is None else version
    return cached(cache_key("changelog", topic.pk, version), lambda: _build(topic))
