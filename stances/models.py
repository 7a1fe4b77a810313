"""Countries, actors, topics, and the stances they take, each backed by evidence."""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.manager import HistoricalQuerySet
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_update_with_history


class Position(models.TextChoices):
    PLEDGE = "pledge", "Pledge"
    HEDGE = "hedge", "Hedge"
    REJECTION = "rejection", "Rejection"


class ReviewStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    APPROXIMATE = "approximate", "Approximate (publication date)"
    UNKNOWN = "unknown", "Unknown"


def date_label(date: dt.date | None, precision: str) -> str:
    if date is None:
        return "date unknown"
    text = date.strftime("%-d %b %Y")
    return f"c. {text}" if precision == DatePrecision.APPROXIMATE else text


def _date_matches_precision(name: str) -> models.CheckConstraint:
    """A known precision needs a date; an unknown one must not pretend to have one."""
    return models.CheckConstraint(
        condition=(
            Q(date_precision=DatePrecision.UNKNOWN, statement_date__isnull=True)
            | (~Q(date_precision=DatePrecision.UNKNOWN) & Q(statement_date__isnull=False))
        ),
        name=name,
    )


def _choices_check(
    field: str, choices: type[models.TextChoices], name: str
) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


class CountryQuerySet(models.QuerySet["Country"]):
    def with_latest_position(self, topic: Topic) -> CountryQuerySet:
        """Annotate each country with its latest approved stance on `topic` (one query)."""
        return self.annotate(
            latest_position=latest_position_subquery(topic, "position"),
            latest_date=latest_position_subquery(topic, "statement_date"),
            latest_precision=latest_position_subquery(topic, "date_precision"),
        )


class Country(models.Model):
    iso2 = models.CharField("ISO 3166-1 alpha-2", max_length=2, unique=True)
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    objects = CountryQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"
        constraints = [
            models.CheckConstraint(
                condition=Q(iso2__regex=r"^[A-Z]{2}$"), name="country_iso2_upper"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stances:country", args=[settings.DEFAULT_TOPIC, self.iso2.lower()])


class MembersHistory(HistoricalRecords):
    """History of a group that records its members too, whichever side changes them:
    simple-history expects `group.members.add()`; `country.groups.add(group)` reaches it
    with the country as the instance, so each group touched is recorded instead."""

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if not reverse:
            return super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)
        if action == "pre_clear":  # the groups the country leaves, read while it is in them
            instance._groups_cleared = set(instance.groups.values_list("pk", flat=True))
            return None
        if action == "post_clear":
            pk_set = instance.__dict__.pop("_groups_cleared", set())
        if action in ("post_add", "post_remove", "post_clear"):
            for group in CountryGroup.objects.filter(pk__in=pk_set or ()):
                super().m2m_changed(group, action, attr, None, False, **kwargs)
        return None


class CountryGroup(models.Model):
    """A named set of countries that articles speak of as one (the Baltic states, NATO), and
    that readers filter the overview by. Data, not code: curators edit them in the admin."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(
        blank=True,
        help_text="Where the membership comes from and as of when (shown to readers).",
    )
    order = models.PositiveSmallIntegerField(
        "display order", default=100, help_text="Lower comes first in lists and menus."
    )
    members = models.ManyToManyField(Country, related_name="groups", blank=True)

    # With its members: a change of membership is a new historical row, so data_version()
    # (and every cached page keyed by it) follows a curator's edit.
    history = MembersHistory(m2m_fields=[members])

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stances:groups") + f"#{self.slug}"

    def member_ids(self) -> models.QuerySet:
        """Its members' ids as a subquery (no query of its own): for `country_id__in`."""
        return CountryGroup.members.through.objects.filter(countrygroup_id=self.pk).values(
            "country_id"
        )


class ActorKind(models.TextChoices):
    PERSON = "person", "Person"
    GOVERNMENT = "government", "Government"
    MINISTRY = "ministry", "Ministry"
    PARTY = "party", "Party"
    ORGANISATION = "organisation", "Organisation"


class ActorQuerySet(models.QuerySet["Actor"]):
    def official(self) -> ActorQuerySet:
        return self.filter(speaks_for_government=True)

    def public(self) -> ActorQuerySet:
        """Actors readers may see: not those the extractor created and no curator reviewed
        yet (a name it may have got wrong)."""
        return self.filter(needs_review=False)

    def find(self, name: str) -> Actor | None:
        """The actor whose canonical name or one of whose aliases is `name` (any case)."""
        name = name.strip()
        return self.filter(Q(name__iexact=name) | Q(aliases__alias__iexact=name)).distinct().first()


class Actor(models.Model):
    name = models.CharField("canonical name", max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=ActorKind.choices, default=ActorKind.PERSON)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actors",
        help_text="Empty for international bodies (NATO, the EU).",
    )
    role = models.CharField("role or title", max_length=200, blank=True)
    speaks_for_government = models.BooleanField(
        default=False,
        help_text="Head of state or government, foreign or defence minister, official "
        "spokesperson: their statements make the country's official line.",
    )
    needs_review = models.BooleanField(
        default=False,
        help_text="Proposed by the extractor (a person introduced with a role and a "
        "nationality) and not yet confirmed by a curator.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActorQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            _choices_check("kind", ActorKind, "actor_kind_valid"),
            # Two partial constraints rather than nulls_distinct=False, which SQLite ignores.
            models.UniqueConstraint(
                Lower("name"),
                "country",
                condition=Q(country__isnull=False),
                name="actor_unique_name_per_country",
            ),
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(country__isnull=True),
                name="actor_unique_name_international",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stances:actor", args=[self.slug])


class ActorAlias(models.Model):
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["alias"]
        verbose_name_plural = "actor aliases"
        constraints = [
            models.UniqueConstraint(Lower("alias"), "actor", name="alias_unique_per_actor"),
        ]
        indexes = [models.Index(Lower("alias"), name="alias_lower_idx")]

    def __str__(self) -> str:
        return self.alias


class CodeList(models.Lookup):
    """`field__includes="naval"`: the JSON list of codes holds this code. JSON containment
    on PostgreSQL (indexable), json_each on SQLite (which has no containment)."""

    lookup_name = "includes"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} @> %s::jsonb", [*lhs_params, json.dumps([self.rhs])]
        return (
            # `lhs` is the column as the compiler wrote it, not input.
            f"EXISTS (SELECT 1 FROM json_each({lhs}) WHERE json_each.value = %s)",  # noqa: S608
            [*lhs_params, self.rhs],
        )


class CodesField(models.JSONField):
    """A list of codes from a topic's vocabulary (what is offered, on what conditions)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)


CodesField.register_lookup(CodeList)


class Topic(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    pledge_definition = models.TextField(blank=True)
    hedge_definition = models.TextField(blank=True)
    rejection_definition = models.TextField(blank=True)
    # The topic's own vocabularies, as data: [{"code", "label", "definition"}, ...] in
    # display order. What a stance may say is offered, and on what conditions.
    contribution_kinds = models.JSONField(default=list, blank=True)
    condition_kinds = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("stances:overview", args=[self.slug])

    def definitions(self) -> list[tuple[str, str, str]]:
        """(value, label, definition) for each position, in display order."""
        return [
            (Position.PLEDGE, Position.PLEDGE.label, self.pledge_definition),
            (Position.HEDGE, Position.HEDGE.label, self.hedge_definition),
            (Position.REJECTION, Position.REJECTION.label, self.rejection_definition),
        ]

    def kind_codes(self, vocabulary: str) -> list[str]:
        """The codes of `vocabulary` ("contributions" or "conditions"), in order."""
        return [k["code"] for k in self._kinds(vocabulary)]

    def kind_choices(self, vocabulary: str) -> list[tuple[str, str]]:
        return [(k["code"], k["label"]) for k in self._kinds(vocabulary)]

    def kind_labels(self, vocabulary: str) -> dict[str, str]:
        return dict(self.kind_choices(vocabulary))

    def _kinds(self, vocabulary: str) -> list[dict]:
        if vocabulary not in OFFER_VOCABULARIES:
            raise ValueError(f"unknown vocabulary {vocabulary!r}")
        return getattr(self, OFFER_VOCABULARIES[vocabulary]) or []

    def offer_problems(self, *, contributions, conditions) -> dict[str, str]:
        """Why these codes are not this topic's (field -> message); empty when they are."""
        problems = {}
        for name, codes in (("contributions", contributions), ("conditions", conditions)):
            if not isinstance(codes, list | tuple) or not all(isinstance(c, str) for c in codes):
                problems[name] = f"{name.capitalize()} must be a list of codes."
                continue
            known = self.kind_codes(name)
            unknown = [c for c in codes if c not in known]
            if unknown:
                word = "contribution" if name == "contributions" else "condition"
                problems[name] = (
                    f"Unknown {word} kind{'s' if len(unknown) > 1 else ''} "
                    f"{', '.join(repr(c) for c in unknown)} for the topic “{self.title}”: "
                    f"use one of {', '.join(known) or '(none defined)'}."
                )
        return problems


# What a stance carries beside its position: field name -> Topic's vocabulary attribute.
OFFER_VOCABULARIES = {"contributions": "contribution_kinds", "conditions": "condition_kinds"}


def ordered_codes(codes, known: list[str]) -> list[str]:
    """`codes` once each, in the vocabulary's order (unknown codes last, as given)."""
    codes = list(dict.fromkeys(codes or []))
    return [c for c in known if c in codes] + [c for c in codes if c not in known]


class StanceQuerySet(models.QuerySet["Stance"]):
    def approved(self) -> StanceQuerySet:
        return self.filter(status=ReviewStatus.APPROVED)

    def proposed(self) -> StanceQuerySet:
        return self.filter(status=ReviewStatus.PROPOSED)

    def for_topic(self, topic: Topic) -> StanceQuerySet:
        return self.filter(topic=topic)

    def for_country(self, country: Country) -> StanceQuerySet:
        return self.filter(country=country)

    def official(self) -> StanceQuerySet:
        return self.filter(actor__speaks_for_government=True)

    def chronological(self) -> StanceQuerySet:
        return self.order_by(F("statement_date").asc(nulls_last=True), "created_at", "pk")

    def latest_first(self) -> StanceQuerySet:
        return self.order_by(F("statement_date").desc(nulls_last=True), "-created_at", "-pk")

    def with_related(self) -> StanceQuerySet:
        return self.select_related("country", "actor", "topic")


class StanceHistoryQuerySet(HistoricalQuerySet):
    """History of stances. `as_of()` yields Stance instances built from the records alone:
    simple-history would fetch each row's excluded fields (updated_at), a query per row."""

    def _instanceize(self) -> None:
        if not (
            self._result_cache
            and self._as_instances
            and isinstance(self._result_cache[0], self.model)
        ):
            return
        model = self.model.instance_type
        excluded = set(self.model._history_excluded_fields)
        names = [f.attname for f in model._meta.concrete_fields if f.name not in excluded]
        stances = []
        for record in self._result_cache:
            stance = model(**{name: getattr(record, name) for name in names})
            stance._state.adding = False
            stance._state.db = self.db
            stances.append(stance)
        self._result_cache = stances


class Stance(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="stances")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="stances")
    actor = models.ForeignKey(
        Actor, on_delete=models.SET_NULL, null=True, blank=True, related_name="stances"
    )
    position = models.CharField(max_length=20, choices=Position.choices)
    statement_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=20, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    summary = models.CharField(max_length=500, blank=True)
    # What the country offers and on what conditions, as codes of the topic's vocabulary
    # (Topic.contribution_kinds, Topic.condition_kinds), and the size as stated.
    contributions = CodesField(help_text="What is offered: codes of the topic's vocabulary.")
    conditions = CodesField(help_text="What the offer depends on: codes of the topic's vocabulary.")
    size = models.CharField(
        max_length=200, blank=True, help_text='The size as stated ("up to 200 troops").'
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PROPOSED
    )
    confidence = models.FloatField(null=True, blank=True)
    # What created the stance: an extractor (its version) or a person.
    extractor_version = models.CharField(max_length=50, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(
        blank=True, help_text="Why a curator rejected it: required to reject, kept in history."
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StanceQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["updated_at"], historical_queryset=StanceHistoryQuerySet
    )

    class Meta:
        ordering = ["statement_date", "pk"]
        constraints = [
            _choices_check("position", Position, "stance_position_valid"),
            _choices_check("status", ReviewStatus, "stance_status_valid"),
            _choices_check("date_precision", DatePrecision, "stance_date_precision_valid"),
            _date_matches_precision("stance_date_matches_precision"),
            models.CheckConstraint(
                condition=Q(confidence__isnull=True) | Q(confidence__gte=0, confidence__lte=1),
                name="stance_confidence_range",
            ),
            models.CheckConstraint(
                condition=~Q(extractor_version="") | Q(created_by__isnull=False),
                name="stance_has_creator",
            ),
            models.CheckConstraint(
                condition=Q(status=ReviewStatus.PROPOSED) | Q(reviewed_at__isnull=False),
                name="stance_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.REJECTED) | ~Q(rejection_reason=""),
                name="stance_rejected_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["topic", "country", "status", "statement_date"], name="stance_timeline_idx"
            ),
            models.Index(fields=["topic", "status", "statement_date"], name="stance_topic_idx"),
            models.Index(fields=["actor", "statement_date"], name="stance_actor_idx"),
            models.Index(fields=["status", "created_at"], name="stance_queue_idx"),
        ]

    def __str__(self) -> str:
        who = f" ({self.actor})" if self.actor_id else ""
        return f"{self.country}: {self.get_position_display()}{who} {self.date_label}"

    def get_absolute_url(self) -> str:
        return reverse("stances:stance", args=[self.pk])

    def clean(self) -> None:
        """Contributions and conditions are codes of the stance's topic: others are refused."""
        super().clean()
        if self.topic_id is None:
            return
        problems = self.topic.offer_problems(
            contributions=self.contributions, conditions=self.conditions
        )
        if problems:
            raise ValidationError(problems)

    def offer_labels(self, vocabulary: str) -> list[tuple[str, str]]:
        """(code, label) of the stance's contributions or conditions, for chips."""
        labels = self.topic.kind_labels(vocabulary)
        return [(c, labels.get(c, c)) for c in getattr(self, vocabulary) or []]

    @property
    def contribution_chips(self) -> list[tuple[str, str]]:
        return self.offer_labels("contributions")

    @property
    def condition_chips(self) -> list[tuple[str, str]]:
        return self.offer_labels("conditions")

    @property
    def is_official_line(self) -> bool:
        """Speaks for the country: its government, or no named actor."""
        return self.actor is None or self.actor.speaks_for_government

    @property
    def source_count(self) -> int:
        """Distinct articles behind the stance, among the evidence prefetched for the page
        (`Evidence.objects.shown()`: for a reader, the accepted sentences only)."""
        return len({e.article_id for e in self.evidence.all()})

    @property
    def date_label(self) -> str:
        return date_label(self.statement_date, self.date_precision)

    def approve(self, user, *, when: dt.datetime | None = None) -> None:
        self._review(ReviewStatus.APPROVED, user, when, reason="")

    def reject(self, user, *, reason: str, when: dt.datetime | None = None) -> None:
        """Rejected with the reason the curator gives (required: it is the record's only
        account of why a sourced statement is not shown)."""
        reason = reason.strip()
        if not reason:
            raise ValueError("A rejection needs a reason.")
        self._review(ReviewStatus.REJECTED, user, when, reason=reason)

    def _review(self, status: str, user, when: dt.datetime | None, *, reason: str) -> None:
        was = (self.status, self.reviewed_at)
        self._history_user = user  # the reviewer, in history, wherever the review runs
        self.status = status
        self.reviewed_by = user
        self.reviewed_at = when or timezone.now()
        self.rejection_reason = reason
        self.save(
            update_fields=[
                "status", "reviewed_by", "reviewed_at", "rejection_reason", "updated_at"
            ]
        )
        self.evidence_follow(was=was, user=user)

    def evidence_follow(self, *, was: tuple[str, dt.datetime | None], user=None) -> None:
        """Evidence awaiting review is decided with its stance: approving the stance accepts
        it, rejecting the stance rejects it. Evidence rejected with a stance awaits review
        again when the stance is put back (a revert, a correction). Evidence decided on its
        own (a new source of an approved stance) keeps its decision. Call after saving a
        change of status; `was` is the stance's (status, reviewed_at) before it."""
        was_status, was_reviewed_at = was
        if was_status == self.status:
            return
        status, by, at = {
            ReviewStatus.APPROVED: (EvidenceStatus.ACCEPTED, self.reviewed_by, self.reviewed_at),
            ReviewStatus.REJECTED: (EvidenceStatus.REJECTED, self.reviewed_by, self.reviewed_at),
        }.get(self.status, (EvidenceStatus.PROPOSED, None, None))
        changed = []
        for evidence in Evidence.objects.filter(stance=self):
            rejected_with_it = (
                was_status == ReviewStatus.REJECTED
                and evidence.status == EvidenceStatus.REJECTED
                and evidence.reviewed_at == was_reviewed_at
            )
            if evidence.status == status:
                continue
            if evidence.status == EvidenceStatus.PROPOSED or rejected_with_it:
                evidence.status, evidence.reviewed_by, evidence.reviewed_at = status, by, at
                changed.append(evidence)
        if changed:
            # With their history, as every write of evidence: data_version() reads it.
            bulk_update_with_history(
                changed,
                Evidence,
                ["status", "reviewed_by", "reviewed_at"],
                default_user=user if getattr(user, "is_authenticated", False) else None,
            )


def span_mismatch(text: str, sentence: str, start: int, end: int) -> str | None:
    """Why `sentence` is not the article's own words at `start`-`end` (None when it is).
    Evidence is highlighted by its offsets and quoted by its sentence: the two must agree,
    or the article page would mark other words ("World News") than the stance quotes."""
    if end <= start:
        return f"The end offset ({end}) must come after the start ({start})."
    if end > len(text):
        return (
            f"Offsets {start}–{end} run past the end of the article "
            f"({len(text)} characters)."
        )
    there = text[start:end]
    if there == sentence:
        return None
    shown = there if len(there) <= 80 else there[:77] + "..."
    message = (
        f"The sentence is not the article's text at {start}–{end}: "
        f"those offsets hold “{shown}”."
    )
    at = text.find(sentence) if sentence else -1
    if at >= 0:
        message += f" The sentence stands at {at}–{at + len(sentence)}."
    return message


class EvidenceKind(models.TextChoices):
    QUOTE = "quote", "Direct quote"
    REPORTED = "reported", "Reported speech"


class EvidenceStatus(models.TextChoices):
    PROPOSED = "proposed", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def accepted(self, *, by: dt.datetime | None = None) -> EvidenceQuerySet:
        """The sentences a reader may be shown: those a curator accepted (before `by`, for
        a page as the tracker stood then). Every output reads evidence through this."""
        rows = self.filter(status=EvidenceStatus.ACCEPTED)
        return rows.filter(reviewed_at__lt=by) if by else rows

    def shown(self, *, by: dt.datetime | None = None, unreviewed: bool = False) -> EvidenceQuerySet:
        """What a page shows of its stances' evidence: the accepted sentences, and for a
        curator who asked for unreviewed stances also those awaiting review (never with
        `by`: a past day shows what was reviewed by then)."""
        if unreviewed and not by:
            return self.exclude(status=EvidenceStatus.REJECTED)
        return self.accepted(by=by)

    def public(self) -> EvidenceQuerySet:
        """Accepted evidence of approved stances: what search and article pages start from."""
        return self.accepted().filter(stance__status=ReviewStatus.APPROVED)

    def new_sources(self) -> EvidenceQuerySet:
        """Sentences awaiting review that support an already approved stance: a new report
        of a statement on record, for a curator to accept or reject on its own."""
        return self.filter(status=EvidenceStatus.PROPOSED, stance__status=ReviewStatus.APPROVED)


class Evidence(models.Model):
    """A stance's support in one article: the sentence, verbatim, where it stands. Readers
    see it once a curator accepted it: with its stance, or on its own as a new source."""

    stance = models.ForeignKey(Stance, on_delete=models.CASCADE, related_name="evidence")
    article = models.ForeignKey("ingest.Article", on_delete=models.CASCADE, related_name="evidence")
    sentence = models.TextField()
    start = models.PositiveIntegerField(help_text="Character offset in the article text.")
    end = models.PositiveIntegerField()
    kind = models.CharField(
        max_length=20, choices=EvidenceKind.choices, default=EvidenceKind.REPORTED
    )
    status = models.CharField(
        max_length=20, choices=EvidenceStatus.choices, default=EvidenceStatus.PROPOSED
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article_id", "start"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["stance", "article", "start"], name="evidence_unique_span"
            ),
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="evidence_span_not_empty"),
            _choices_check("kind", EvidenceKind, "evidence_kind_valid"),
            _choices_check("status", EvidenceStatus, "evidence_status_valid"),
            models.CheckConstraint(
                condition=Q(status=EvidenceStatus.PROPOSED) | Q(reviewed_at__isnull=False),
                name="evidence_reviewed_has_time",
            ),
        ]
        # Sentences awaiting review are few beside the accepted ones: a partial index serves
        # the review tab, and leaves reads of accepted evidence to the others (search: GIN).
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(status=EvidenceStatus.PROPOSED),
                name="evidence_awaiting_idx",
            )
        ]

    def __str__(self) -> str:
        return self.sentence[:80]

    def clean(self) -> None:
        """The admin's forms (and any ModelForm) refuse evidence that is not the article's
        own words where its offsets say."""
        super().clean()
        if self.article_id is None or None in (self.start, self.end) or not self.sentence:
            return  # the missing field has its own error
        from ingest.models import Article

        text = Article.objects.filter(pk=self.article_id).values_list("text", flat=True).first()
        problem = span_mismatch(text or "", self.sentence, self.start, self.end)
        if problem:
            raise ValidationError(problem)


def evidence_shown(*, by: dt.datetime | None = None, unreviewed: bool = False) -> Prefetch:
    """Prefetch of the evidence a stance card shows (`EvidenceQuerySet.shown`), with its
    article and outlet, in reading order."""
    rows = Evidence.objects.shown(by=by, unreviewed=unreviewed).select_related("article__outlet")
    return Prefetch("evidence", queryset=rows.order_by("article_id", "start"))


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Open"
    RESOLVED = "resolved", "Resolved"


class DisputeOutcome(models.TextChoices):
    KEPT = "kept", "One report kept, the others rejected"
    REJECTED = "rejected", "One report rejected"
    BOTH_STAND = "both", "Both stand (different voices)"


class DisputeQuerySet(models.QuerySet["Dispute"]):
    def open(self) -> DisputeQuerySet:
        return self.filter(status=DisputeStatus.OPEN)

    def with_approved_positions(self) -> DisputeQuerySet:
        """Annotate how many different positions its approved stances give: a dispute is
        between approved stances (and marked for readers) only from two."""
        through = Dispute.stances.through
        positions = (
            through.objects.filter(dispute_id=OuterRef("pk"), stance__status=ReviewStatus.APPROVED)
            .values("dispute_id")
            .annotate(n=Count("stance__position", distinct=True))
            .values("n")[:1]
        )
        return self.annotate(approved_positions=Coalesce(Subquery(positions), 0))


class Dispute(models.Model):
    """Sources disagree about one country at one time. Both sides stay on record; a
    curator's resolution note says which holds and why, for analysts to read."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="disputes")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="disputes")
    stances = models.ManyToManyField(Stance, related_name="disputes")
    status = models.CharField(max_length=20, choices=DisputeStatus.choices, default="open")
    note = models.TextField("resolution note", blank=True)
    outcome = models.CharField(
        max_length=20, choices=DisputeOutcome.choices, blank=True, help_text="How it was resolved."
    )
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The curator who flagged a proposal as disputing approved stances; "
        "empty when approved stances disagree (found by detection).",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = DisputeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            _choices_check("status", DisputeStatus, "dispute_status_valid"),
            models.CheckConstraint(
                condition=Q(status=DisputeStatus.OPEN)
                | (~Q(note="") & Q(resolved_at__isnull=False)),
                name="dispute_resolution_has_note",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=[*DisputeOutcome.values, ""]),
                name="dispute_outcome_valid",
            ),
        ]
        indexes = [models.Index(fields=["topic", "country", "status"], name="dispute_idx")]

    def __str__(self) -> str:
        return f"{self.country}: {self.get_status_display().lower()} dispute"

    def resolve(self, user, note: str, outcome: str = DisputeOutcome.BOTH_STAND) -> None:
        self.status = DisputeStatus.RESOLVED
        self.note = note
        self.outcome = outcome
        self.resolved_by = user
        self.resolved_at = timezone.now()
        self.save()


class CandidateStatus(models.TextChoices):
    OPEN = "open", "Needs a position"
    ACCEPTED = "accepted", "Accepted as a stance"
    DISMISSED = "dismissed", "Dismissed"


class CandidateQuerySet(models.QuerySet["Candidate"]):
    def open(self) -> CandidateQuerySet:
        return self.filter(status=CandidateStatus.OPEN)


class Candidate(models.Model):
    """A sentence on the topic that names a country for which the extractor could decide no
    position: kept for a curator to place ("needs a position") rather than dropped. It is
    not a stance and is never shown to readers; accepting it makes one."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="candidates")
    article = models.ForeignKey(
        "ingest.Article", on_delete=models.CASCADE, related_name="candidates"
    )
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="candidates")
    sentence = models.TextField(help_text="Verbatim: the article's text from start to end.")
    start = models.PositiveIntegerField(help_text="Character offset in the article text.")
    end = models.PositiveIntegerField()
    quote = models.BooleanField(default=False, help_text="The sentence holds a direct quote.")
    actor_name = models.CharField(
        max_length=200, blank=True, help_text="Who speaks in the sentence, as the text names them."
    )
    statement_date = models.DateField(null=True, blank=True)
    date_precision = models.CharField(
        max_length=20, choices=DatePrecision.choices, default=DatePrecision.UNKNOWN
    )
    extractor_version = models.CharField(max_length=50)
    status = models.CharField(
        max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.OPEN
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    stance = models.ForeignKey(
        Stance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidates",
        help_text="The stance a curator made of it.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Extracting an article again finds the same sentences: one row each, whatever
            # a curator made of it, so a dismissed candidate does not come back.
            models.UniqueConstraint(
                fields=["article", "country", "start", "end"], name="candidate_unique_span"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="candidate_span_not_empty"
            ),
            _choices_check("status", CandidateStatus, "candidate_status_valid"),
            _choices_check("date_precision", DatePrecision, "candidate_date_precision_valid"),
            _date_matches_precision("candidate_date_matches_precision"),
            # Open means undecided; a decision has a time.
            models.CheckConstraint(
                condition=Q(status=CandidateStatus.OPEN, reviewed_at__isnull=True)
                | (~Q(status=CandidateStatus.OPEN) & Q(reviewed_at__isnull=False)),
                name="candidate_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=Q(stance__isnull=True) | Q(status=CandidateStatus.ACCEPTED),
                name="candidate_stance_only_when_accepted",
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="candidate_queue_idx")]

    def __str__(self) -> str:
        return f"{self.country}: {self.sentence[:80]}"

    @property
    def date_label(self) -> str:
        return date_label(self.statement_date, self.date_precision)


def latest_position_subquery(topic: Topic, field: str) -> Subquery:
    """One column of a country's latest approved stance on `topic`, for annotating Country."""
    latest = (
        Stance.objects.approved()
        .for_topic(topic)
        .filter(country=OuterRef("pk"))
        .latest_first()
        .values(field)[:1]
    )
    return Subquery(latest)


# --- Outputs: position changes, subscriptions, measured extraction quality --------------


class PositionChangeQuerySet(models.QuerySet["PositionChange"]):
    def for_topic(self, topic: Topic) -> PositionChangeQuerySet:
        return self.filter(topic=topic)

    def for_country(self, country: Country) -> PositionChangeQuerySet:
        return self.filter(country=country)

    def known_at(self, moment: dt.datetime) -> PositionChangeQuerySet:
        """Recorded before `moment`: what the tracker had said by then."""
        return self.filter(recorded_at__lt=moment)

    def since(self, moment: dt.datetime) -> PositionChangeQuerySet:
        return self.filter(recorded_at__gte=moment)

    def latest_first(self) -> PositionChangeQuerySet:
        return self.order_by("-recorded_at", "-pk")

    def with_related(self) -> PositionChangeQuerySet:
        return self.select_related("topic", "country", "stance__actor")


class PositionChange(models.Model):
    """A country's current position moved (hedge to pledge, pledge to none, ...). Recorded
    when a review makes it so, not computed later, so feeds and digests can say when the
    tracker learnt of it."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="position_changes")
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="position_changes"
    )
    # Blank: no position on record (the first stance, or the last one was rejected).
    previous_position = models.CharField(max_length=20, choices=Position.choices, blank=True)
    position = models.CharField(max_length=20, choices=Position.choices, blank=True)
    stance = models.ForeignKey(
        Stance,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The stance that now gives the current position.",
    )
    previous_stance = models.ForeignKey(
        Stance, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the official line offered before and after: a change of offer ("ground" dropped,
    # "naval" added) with the position unchanged is a change too.
    previous_contributions = CodesField()
    contributions = CodesField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PositionChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__in=[*Position.values, ""]),
                name="positionchange_position_valid",
            ),
            models.CheckConstraint(
                condition=Q(previous_position__in=[*Position.values, ""]),
                name="positionchange_previous_valid",
            ),
            models.CheckConstraint(
                condition=~Q(previous_position=F("position"))
                | ~Q(previous_contributions=F("contributions")),
                name="positionchange_is_a_change",
            ),
        ]
        indexes = [
            models.Index(fields=["topic", "country", "recorded_at"], name="positionchange_idx"),
            models.Index(fields=["topic", "recorded_at"], name="positionchange_topic_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.country}: {self.previous_label} → {self.position_label}"

    def get_absolute_url(self) -> str:
        url = reverse("stances:country", args=[self.topic.slug, self.country.iso2])
        return f"{url}#change-{self.pk}"

    @property
    def previous_label(self) -> str:
        return self.get_previous_position_display() or "no position"

    @property
    def position_label(self) -> str:
        return self.get_position_display() or "no position"

    @property
    def offer_changed(self) -> bool:
        return list(self.previous_contributions) != list(self.contributions)

    @property
    def offer_change_label(self) -> str:
        """The change of offer in words ("naval added; ground dropped"), empty if none."""
        labels = self.topic.kind_labels("contributions")
        before, after = self.previous_contributions, self.contributions
        added = [labels.get(c, c) for c in after if c not in before]
        dropped = [
            labels.get(c, c) for c in self.previous_contributions if c not in self.contributions
        ]
        parts = []
        if added:
            parts.append("offers " + ", ".join(added).lower() + " now")
        if dropped:
            parts.append("no longer " + ", ".join(dropped).lower())
        return "; ".join(parts)


class Subscription(models.Model):
    """A signed-in user watches a country on a topic, or a whole topic (country empty)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="subscriptions")
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Changes recorded before this instant have been sent in a digest.
    notified_until = models.DateTimeField(default=timezone.now)
    # The last statement date a "nothing new" notice was sent for: one notice per silence.
    quiet_noticed_for = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["topic", "country__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "topic", "country"],
                condition=Q(country__isnull=False),
                name="subscription_unique_country",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=Q(country__isnull=True),
                name="subscription_unique_topic",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} watches {self.country or self.topic}"


class ExtractionEvaluation(models.Model):
    """One run of `evaluate_extraction`, stored as it reported itself, so the methodology
    page quotes measured figures and says when and for which extractor they were measured."""

    recorded_at = models.DateTimeField(default=timezone.now)
    extractor_version = models.CharField(max_length=50)
    corpus = models.CharField(max_length=500)
    description = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the corpus is to the extractor, e.g. developed on, or held out.",
    )
    result = models.JSONField(help_text="The evaluation command's JSON, as written.")

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        get_latest_by = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Extractor {self.extractor_version} on {self.corpus}"

    @property
    def micro(self) -> dict:
        return self.result.get("micro", {})

    def per_position(self) -> list[tuple[str, dict]]:
        scores = self.result.get("per_position", {})
        return [(p.label, scores[p.value]) for p in Position if p.value in scores]

    # What reaches a curator beyond the claims. Evaluations recorded before the command
    # measured these have none: None, and the page leaves them out.

    @property
    def candidate_recall(self) -> float | None:
        return self.result.get("candidate_recall")

    @property
    def candidates_per_article(self) -> float | None:
        candidates, articles = self.result.get("candidates"), self.result.get("articles")
        if candidates is None or not articles:
            return None
        return candidates / articles

    @property
    def inverted_positions(self) -> int | None:
        return self.result.get("inverted_positions")

    def offer_scores(self) -> list[tuple[str, dict, list[tuple[str, dict]]]]:
        """(field, micro, [(kind, scores)]) for contributions and conditions, where the
        evaluation measured them (`offers` in its JSON); empty for older evaluations."""
        offers = self.result.get("offers") or {}
        rows = []
        for name in ("contributions", "conditions"):
            scores = offers.get(name)
            if isinstance(scores, dict) and isinstance(scores.get("micro"), dict):
                rows.append((name, scores["micro"], sorted((scores.get("per_kind") or {}).items())))
        return rows

    @property
    def has_curator_figures(self) -> bool:
        return None not in (
            self.candidate_recall, self.candidates_per_article, self.inverted_positions
        )


def published_articles():
    """Articles with a sentence readers may see (accepted evidence of an approved stance):
    the others are not yet published, on the article page, in search or in the API."""
    from ingest.models import Article

    backed = Evidence.objects.public().filter(article=OuterRef("pk"))
    return Article.objects.filter(models.Exists(backed))
