"""A stance's history in words: who did what, and which fields changed from what to what,
with names for countries, actors and people and labels for positions, not ids and codes.

The curators' history page shows every step; the public change log of an approved stance
shows the steps a reader may know (proposed, added, approved, corrected, rejected with its
reason) and the fields a reader sees, never evidence or internal fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model

from .models import Actor, Country, DatePrecision, Position, ReviewStatus, Stance, Topic

# In the order a change is read; the review fields are the step itself, not changes.
FIELDS = [
    ("position", "Position"),
    ("country", "Country"),
    ("actor", "Actor"),
    ("statement_date", "Date"),
    ("date_precision", "Date precision"),
    ("contributions", "Offers"),
    ("conditions", "Conditions"),
    ("size", "Size"),
    ("topic", "Topic"),
    ("summary", "Summary"),
    ("confidence", "Confidence"),
    ("extractor_version", "Extractor"),
    ("created_by", "Created by"),
    ("rejection_reason", "Rejection reason"),
]
PUBLIC_FIELDS = {
    "position", "country", "actor", "statement_date", "date_precision", "contributions",
    "conditions", "size",
}
CONTENT_FIELDS = PUBLIC_FIELDS | {"topic"}
EMPTY = "—"


def who(user) -> str:
    """How a person is named in the record: their full name, else their username."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Step:
    record: object
    when: dt.datetime
    what: str
    who: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""
    status: str = ""

    @property
    def history_id(self) -> int:
        return self.record.history_id


class _Names:
    """Names for the ids a stance's records hold: one query per kind, for all records."""

    def __init__(self, records: list) -> None:
        ids: dict[str, set[int]] = {"country": set(), "actor": set(), "user": set(), "topic": set()}
        for r in records:
            ids["country"].add(r.country_id)
            ids["topic"].add(r.topic_id)
            ids["actor"].add(r.actor_id)
            ids["user"] |= {r.history_user_id, r.created_by_id, r.reviewed_by_id}
        for kind in ids:
            ids[kind].discard(None)
        self.countries = Country.objects.in_bulk(ids["country"]) if ids["country"] else {}
        self.actors = Actor.objects.in_bulk(ids["actor"]) if ids["actor"] else {}
        self.users = get_user_model().objects.in_bulk(ids["user"]) if ids["user"] else {}
        self.topics = Topic.objects.in_bulk(ids["topic"]) if ids["topic"] else {}

    def person(self, pk: int | None) -> str:
        if pk is None:
            return ""
        user = self.users.get(pk)
        return who(user) if user else f"a deleted account (#{pk})"

    def value(self, name: str, record) -> str:
        if name in {"country", "actor", "topic", "created_by"}:
            pk = getattr(record, f"{name}_id")
            if pk is None:
                return EMPTY
            if name == "created_by":
                return self.person(pk)
            found = {"country": self.countries, "actor": self.actors, "topic": self.topics}[
                name
            ].get(pk)
            return str(found) if found else f"a deleted {name} (#{pk})"
        value = getattr(record, name)
        if value in (None, "", []):
            return EMPTY
        if name in ("contributions", "conditions"):
            topic = self.topics.get(record.topic_id)
            labels = topic.kind_labels(name) if topic else {}
            return ", ".join(labels.get(code, code) for code in value)
        if name == "position":
            return Position(value).label if value in Position.values else value
        if name == "date_precision":
            return DatePrecision(value).label if value in DatePrecision.values else value
        if name == "statement_date":
            return value.strftime("%-d %b %Y")
        if name == "confidence":
            return f"{value:.2f}"
        return str(value)


def _creator(record, names: _Names) -> str:
    """A machine proposal is the extractor's, whoever was signed in when it ran."""
    if record.extractor_version:
        return f"extractor {record.extractor_version}"
    return names.person(record.created_by_id) or names.person(record.history_user_id) or "someone"


def _actor(record, older, names: _Names) -> str:
    """Who made a later step: the signed-in person; for a review, the reviewer; else the
    extractor (a later report of the same claim sharpening a proposal), else the system."""
    if record.history_user_id:
        return names.person(record.history_user_id)
    if older is not None and record.status != older.status and record.reviewed_by_id:
        return names.person(record.reviewed_by_id)
    if record.extractor_version:
        return f"extractor {record.extractor_version}"
    return "the system"


def _what(record, older, changed: set[str]) -> str:
    if record.history_type == "+":
        if record.status == ReviewStatus.APPROVED:
            return "Added and approved"
        return "Proposed" if record.extractor_version else "Added"
    if record.history_type == "-":
        return "Deleted"
    if record.history_change_reason:  # a revert says so
        return record.history_change_reason
    corrected = bool(changed & CONTENT_FIELDS)
    if older is not None and record.status != older.status:
        if record.status == ReviewStatus.APPROVED:
            return "Corrected and approved" if corrected else "Approved"
        if record.status == ReviewStatus.REJECTED:
            return "Rejected"
        return "Put back for review"
    return "Corrected" if corrected else "Changed"


def stance_steps(stance: Stance, *, public: bool = False) -> list[Step]:
    """The stance's history, newest first, in words. `public` keeps what a reader may see:
    the creation, every review and the corrections of the fields shown on its pages; a
    proposal is named, its unreviewed reading not shown (the record is what was approved)."""
    records = list(stance.history.order_by("history_date", "history_id"))
    names = _Names(records)
    shown = [(n, label) for n, label in FIELDS if not public or n in PUBLIC_FIELDS]
    steps: list[Step] = []
    older = None
    for record in records:
        changes: list[Change] = []
        if older is not None and record.history_type != "+":
            for name, label in shown:
                if name == "rejection_reason" and record.status != older.status:
                    continue  # a review step says the reason itself
                old, new = names.value(name, older), names.value(name, record)
                if old != new:
                    changes.append(Change(label, old, new))
        changed = {n for n, label in FIELDS if any(c.label == label for c in changes)}
        what = _what(record, older, changed)
        step = Step(
            record=record,
            when=record.history_date,
            what=what,
            who=(
                _creator(record, names)
                if record.history_type == "+"
                else _actor(record, older, names)
            ),
            changes=changes,
            reason=record.rejection_reason if what == "Rejected" else "",
            status=record.status,
        )
        if not public:
            steps.append(step)
        elif _is_public(step, older):
            if record.history_type == "+" and record.status != ReviewStatus.APPROVED:
                step.changes = []
            steps.append(step)
        older = record
    return steps[::-1]


def _is_public(step: Step, older) -> bool:
    """In the public log: the creation, every change of review status, and corrections of
    what readers see; not a proposal's unreviewed changes (a machine sharpening its date)."""
    record = step.record
    if record.history_type in {"+", "-"}:
        return True
    if older is not None and record.status != older.status:
        return True
    return bool(step.changes) and record.status != ReviewStatus.PROPOSED
