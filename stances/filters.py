"""The filters of the analyst pages, as GET parameters validated by one Form.

Pages, exports and the API share this class, so a link to any of them names the same view
of the data: `?position=pledge&position=hedge&since=2025-03-01&until=2025-09-30
&actor=<slug>&official=1&unreviewed=1&as_of=2025-06-01&contribution=naval
&condition=us_backstop&group=nato`. Contributions and conditions are the topic's own vocabulary
(Topic.contribution_kinds, Topic.condition_kinds); several of one kind are any of them,
and the two combine (a stance naming one of each). A country group keeps its members'
stances: its membership today, whatever the as_of (a group is a lens, not part of the record).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest, QueryDict
from django.utils import timezone

from .forms import IsoDateInput
from .models import Actor, CountryGroup, Position, ReviewStatus, Stance, Topic

# The parameters this form reads, in the order a canonical query string lists them.
FILTER_PARAMS = (
    "position", "contribution", "condition", "group", "since", "until", "actor", "official",
    "unreviewed", "as_of",
)
# Filter parameter -> the Stance field of codes it reads.
OFFER_PARAMS = {"contribution": "contributions", "condition": "conditions"}


def official_line_q(prefix: str = "") -> Q:
    """Stances that speak for the country: by its government, or by no named actor."""
    return Q(**{f"{prefix}actor__isnull": True}) | Q(
        **{f"{prefix}actor__speaks_for_government": True}
    )


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` (in the site's time zone): as_of includes the whole day."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


# Dates a reader may ask for. Outside them a date is a typing slip or a probe, and would
# make a chart of thousands of months or a date before the first representable day.
FIRST_DAY = dt.date(1900, 1, 1)
FUTURE_DAYS = 366


def date_bounds_error(day: dt.date) -> str | None:
    last = timezone.localdate() + dt.timedelta(days=FUTURE_DAYS)
    if day < FIRST_DAY or day > last:
        return f"Give a date between {FIRST_DAY:%-d %B %Y} and {last:%-d %B %Y}."
    return None


class StanceFilters(forms.Form):
    position = forms.MultipleChoiceField(
        choices=Position.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Positions",
    )
    contribution = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Offers",
        help_text="Only statements offering any of these.",
    )
    condition = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Conditions",
        help_text="Only statements setting any of these conditions (with offers: both).",
    )
    group = forms.ModelChoiceField(
        CountryGroup.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="All countries",
        label="Country group",
        error_messages={"invalid_choice": "No such country group; choose one from the list."},
    )
    since = forms.DateField(
        required=False, label="From", widget=IsoDateInput()
    )
    until = forms.DateField(
        required=False, label="To", widget=IsoDateInput()
    )
    actor = forms.ModelChoiceField(
        Actor.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label="Any actor",
    )
    official = forms.BooleanField(required=False, label="Official line only")
    unreviewed = forms.BooleanField(required=False, label="Include unreviewed (curators)")
    as_of = forms.DateField(
        required=False,
        label="As of",
        help_text="The record as it stood on this day: only what curators had reviewed by then.",
        widget=IsoDateInput(),
    )

    def __init__(
        self,
        data: QueryDict | dict | None = None,
        *,
        may_see_unreviewed: bool = False,
        topic: Topic | None = None,
        **kwargs,
    ) -> None:
        super().__init__(data, **kwargs)
        self.may_see_unreviewed = may_see_unreviewed
        self.topic = topic
        if topic is None and data and any(name in data for name in OFFER_PARAMS):
            # Asked for by a link without a topic at hand (an export, the API): the
            # default topic's vocabulary, read only when a link uses it.
            from django.conf import settings

            topic = Topic.objects.filter(slug=settings.DEFAULT_TOPIC).first()
        for name, vocabulary in OFFER_PARAMS.items():
            if topic is not None:
                self.fields[name].choices = topic.kind_choices(vocabulary)
        if not may_see_unreviewed:
            # Readers never see the switch; a hand-made ?unreviewed=1 is ignored, not obeyed.
            del self.fields["unreviewed"]

    @classmethod
    def for_request(cls, request: HttpRequest, topic: Topic | None = None) -> StanceFilters:
        """The filters a page's GET parameters name. Only curators may ask for unreviewed
        stances; for anyone else the switch is ignored."""
        from .roles import is_curator

        return cls(request.GET, may_see_unreviewed=is_curator(request.user), topic=topic)

    def error_lists(self) -> dict[str, list[str]]:
        """Each invalid parameter and its messages, as the downloads and the API report them."""
        return {name: [str(e) for e in errors] for name, errors in self.errors.items()}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for name in ("since", "until", "as_of"):
            if (day := cleaned.get(name)) and (problem := date_bounds_error(day)):
                self.add_error(name, problem)
                cleaned.pop(name, None)
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end of the date range is before its start.")
        as_of = cleaned.get("as_of")
        if as_of and as_of > timezone.localdate():
            self.add_error("as_of", "As of a day that has not come yet.")
        return cleaned

    @property
    def values(self) -> dict[str, Any]:
        """The valid filters; an invalid form filters nothing (its errors are shown)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v not in (None, "", [], False)}

    @property
    def as_of_date(self) -> dt.date | None:
        return self.values.get("as_of")

    @property
    def include_unreviewed(self) -> bool:
        return self.may_see_unreviewed and bool(self.values.get("unreviewed"))

    def narrowed(self, *names: str) -> StanceFilters:
        """The same filters keeping only `names` (e.g. as_of alone, for a whole history)."""
        # Asked for more than once per request; a form costs a deep copy of its fields.
        known = self.__dict__.setdefault("_narrowed", {})
        if names in known:
            return known[names]
        data = QueryDict(mutable=True)
        if self.is_bound:
            for name in names:
                if name in self.data:
                    data.setlist(
                        name,
                        self.data.getlist(name)
                        if hasattr(self.data, "getlist")
                        else [self.data[name]],
                    )
        known[names] = StanceFilters(
            data, may_see_unreviewed=self.may_see_unreviewed, topic=self.topic
        )
        return known[names]

    def querystring(self, **override: Any) -> str:
        """The canonical query string of these filters (with `override`), for links."""
        params = QueryDict(mutable=True)
        values = {**self.values, **override}
        for name in FILTER_PARAMS:
            value = values.get(name)
            if value in (None, "", [], False):
                continue
            if name == "position":
                params.setlist(name, [p for p in Position.values if p in value])
            elif name in OFFER_PARAMS:
                known = [code for code, _ in self.fields[name].choices]
                params.setlist(name, [c for c in known if c in value] or sorted(value))
            elif name in ("actor", "group"):
                params[name] = value.slug if isinstance(value, Actor | CountryGroup) else value
            elif isinstance(value, bool):
                params[name] = "1"
            elif isinstance(value, dt.date):
                params[name] = value.isoformat()
            else:
                params[name] = str(value)
        return params.urlencode()

    def apply(self, scope: Q) -> QuerySet[Stance]:
        """The stances within `scope` (conditions on Stance's own fields: topic, country,
        actor...) that these filters show.

        Without as_of: current rows, approved only (plus proposed when a curator asked).
        With as_of: the state of each stance at the end of that day, from its history, so
        a later correction, rejection or new stance leaves an old link unchanged; the scope
        too is matched against that state, so a stance later moved to another country still
        shows where it stood. The result then yields Stance instances from a historical
        queryset: prefetch with `prefetch_related_objects`, not `prefetch_related`.
        """
        values = self.values
        as_of = values.get("as_of")
        if as_of:
            cutoff = end_of_day(as_of)
            rows = (
                Stance.history.as_of(cutoff)
                .filter(scope)
                .filter(status=ReviewStatus.APPROVED, reviewed_at__lt=cutoff)
            )
        else:
            statuses = [ReviewStatus.APPROVED]
            if self.include_unreviewed:
                statuses.append(ReviewStatus.PROPOSED)
            rows = Stance.objects.filter(scope, status__in=statuses)
        if values.get("position"):
            rows = rows.filter(position__in=values["position"])
        if values.get("since"):
            rows = rows.filter(statement_date__gte=values["since"])
        if values.get("until"):
            rows = rows.filter(statement_date__lte=values["until"])
        if values.get("actor"):
            rows = rows.filter(actor_id=values["actor"].pk)
        if values.get("group"):
            rows = rows.filter(country_id__in=values["group"].member_ids())
        if values.get("official"):
            rows = rows.filter(official_line_q())
        for name, field in OFFER_PARAMS.items():
            if values.get(name):
                any_of = Q()
                for code in values[name]:
                    any_of |= Q(**{f"{field}__includes": code})
                rows = rows.filter(any_of)
        return rows
