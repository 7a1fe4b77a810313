from __future__ import annotations

import re

from django import forms

from .models import (
    Actor,
    Country,
    DatePrecision,
    Dispute,
    EvidenceKind,
    Position,
    ReviewStatus,
    Stance,
    span_mismatch,
)


class IsoDateInput(forms.DateInput):
    """`<input type="date">` takes its value in ISO form only (2025-09-05): in the site's
    format (05/09/2025) a browser shows it empty and a save erases the date."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")

# Said wherever approving an undated stance is refused.
ASK_FOR_DATE = "give the date of the statement, or tick “date unknown”"


class DateUnknownField(forms.BooleanField):
    def __init__(self, **kwargs) -> None:
        super().__init__(
            required=False,
            label="date unknown",
            help_text="The source gives no date: approve it undated. An undated statement "
            "is listed apart and does not set the current position.",
            **kwargs,
        )


def _date_or_unknown(form: forms.Form, date_field: str) -> None:
    data = form.cleaned_data
    if not data.get(date_field) and not data.get("date_unknown"):
        form.add_error(date_field, f"Not approved: {ASK_FOR_DATE}.")


def offer_fields_add(form: forms.BaseForm, topic) -> None:
    """What is offered and on what conditions, as checkboxes of the topic's vocabulary, and
    the size as stated: the same three fields on every form that writes a stance."""
    for name, label in (("contributions", "Offers"), ("conditions", "On condition of")):
        form.fields[name] = forms.MultipleChoiceField(
            choices=topic.kind_choices(name) if topic else [],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=label,
        )
    form.fields["size"] = forms.CharField(
        required=False, max_length=200, label="Size as stated",
        help_text="As the source words it (“up to 200 troops”); empty when none.",
    )


class StanceCorrectionForm(forms.ModelForm):
    """What a curator may correct in place in the review queue. A correction approves the
    stance, so it needs a date, or the plain statement that it is unknown."""

    country = forms.ModelChoiceField(Country.objects.all(), to_field_name="iso2")
    actor = forms.ModelChoiceField(
        Actor.objects.select_related("country"), required=False, empty_label="(no actor)"
    )
    # A date input reads ISO dates only: in the site's format (4/9/2025) a browser shows it
    # empty, and saving the correction would clear the date.
    statement_date = forms.DateField(
        required=False, widget=IsoDateInput(), label="Date"
    )
    date_unknown = DateUnknownField()

    class Meta:
        model = Stance
        fields = ["position", "country", "actor", "statement_date"]

    # Sent with the offer's checkboxes: a form without it (an older page, a script that
    # corrects the position only) leaves what is offered as it was, as unchecked boxes
    # cannot say "none" apart from "not shown".
    offer_shown = forms.BooleanField(required=False, initial=True, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topic = self.instance.topic if self.instance.topic_id else None
        offer_fields_add(self, self.topic)
        if self.instance.pk:
            for name in ("contributions", "conditions", "size"):
                self.initial.setdefault(name, getattr(self.instance, name))
        # The instance's country comes in as its primary key, but the choices are keyed by
        # ISO code: without this no country is selected and the browser refuses to submit.
        if self.instance.pk and self.instance.country_id:
            self.initial["country"] = self.instance.country.iso2
        # Approved undated already: the curator said so then.
        if self.instance.pk and self.instance.statement_date is None:
            self.initial["date_unknown"] = self.instance.status == ReviewStatus.APPROVED

    def clean(self) -> dict:
        cleaned = super().clean()
        _date_or_unknown(self, "statement_date")
        return cleaned

    def changes(self) -> dict:
        """The stance's fields as corrected (what is offered only when the form showed it)."""
        changed = {name: self.cleaned_data[name] for name in self.Meta.fields}
        if self.cleaned_data.get("offer_shown"):
            for name in ("contributions", "conditions", "size"):
                changed[name] = self.cleaned_data[name]
        return changed


class UndatedApprovalForm(forms.Form):
    """Approving a stance with no date: its date, or the curator's word that it is unknown."""

    date = forms.DateField(
        required=False, widget=IsoDateInput()
    )
    date_unknown = DateUnknownField()

    def clean(self) -> dict:
        cleaned = super().clean()
        _date_or_unknown(self, "date")
        return cleaned


class ReviewFilterForm(forms.Form):
    ORDERS = [
        ("oldest", "Oldest first"),
        ("newest", "Newest first"),
        ("confidence", "Least sure first"),
    ]

    country = forms.ModelChoiceField(
        Country.objects.all(), to_field_name="iso2", required=False, empty_label="All countries"
    )
    position = forms.ChoiceField(choices=[("", "All positions"), *Position.choices], required=False)
    order = forms.ChoiceField(choices=ORDERS, required=False)


class BulkReviewForm(forms.Form):
    stance = forms.ModelMultipleChoiceField(
        Stance.objects.proposed(),
        error_messages={"required": "Select at least one proposed stance."},
    )
    action = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(required=False, max_length=2000, strip=True)

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("action") == "reject" and not cleaned.get("reason"):
            self.add_error(
                "reason", "Give one reason for rejecting the selected stances."
            )
        return cleaned


class DisputeResolveForm(forms.Form):
    """How a curator settles a dispute: one button per decision, a note for each.
    `decision` is "keep-<stance id>", "reject-<stance id>" or "both"."""

    DECISION = re.compile(r"^(?:(?P<verb>keep|reject)-(?P<pk>\d+)|both)$")

    decision = forms.CharField(
        error_messages={"required": "Choose how to resolve the dispute."}
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Which report holds and why. Analysts read this on the timeline.",
        error_messages={"required": "A resolution needs a note."},
    )

    def __init__(self, *args, dispute: Dispute | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.dispute = dispute

    def clean_decision(self) -> tuple[str, Stance | None]:
        match = self.DECISION.match(self.cleaned_data["decision"])
        if not match:
            raise forms.ValidationError("Choose how to resolve the dispute.")
        if not match.group("verb"):
            return "both", None
        stance = self.dispute.stances.filter(pk=match.group("pk")).first() if self.dispute else None
        if stance is None:
            raise forms.ValidationError("Choose one of the dispute's stances.")
        return match.group("verb"), stance


class StanceFromSentenceForm(forms.Form):
    """A stance a curator records from one sentence of an article: the sentence and its
    offsets come with the form; the curator chooses the position, country, speaker, date
    and kind of speech. Countries and speakers the sentence names are offered first."""

    start = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    sentence = forms.CharField(widget=forms.HiddenInput, strip=False)
    position = forms.ChoiceField(choices=Position.choices, widget=forms.RadioSelect)
    country = forms.ChoiceField()
    actor = forms.ChoiceField(label="Speaker", required=False)
    statement_date = forms.DateField(required=False, widget=IsoDateInput(), label="Date")
    date_precision = forms.ChoiceField(choices=DatePrecision.choices, label="Date precision")
    kind = forms.ChoiceField(
        choices=EvidenceKind.choices, widget=forms.RadioSelect, label="The sentence is"
    )

    def __init__(
        self,
        data=None,
        *,
        topic,
        article,
        countries: list[Country],
        actors: list[Actor],
        named_countries: list[str],
        named_actors: list[int],
        **kwargs,
    ) -> None:
        super().__init__(data, **kwargs)
        offer_fields_add(self, topic)
        self.article = article
        self.countries = {c.iso2: c for c in countries}
        self.actors = {str(a.pk): a for a in actors}
        named_countries = [c for c in named_countries if c in self.countries]
        self.fields["country"].choices = _grouped(
            ("", "Choose a country"),
            ("Named in the sentence", [(c, self.countries[c].name) for c in named_countries]),
            ("Other countries", [(c.iso2, c.name) for c in countries]),
        )
        named_actors = [str(pk) for pk in named_actors if str(pk) in self.actors]
        their = {self.countries[c].pk for c in named_countries}
        self.fields["actor"].choices = _grouped(
            ("", "No named speaker: the country's government"),
            ("Named in the sentence", [(pk, _actor_label(self.actors[pk])) for pk in named_actors]),
            (
                "Of the countries named",
                [(str(a.pk), _actor_label(a)) for a in actors if a.country_id in their],
            ),
            ("Everyone else", [(str(a.pk), _actor_label(a)) for a in actors]),
        )

    def clean_sentence(self) -> str:
        # Browsers send line breaks in form values as CRLF; the article's are LF.
        return self.cleaned_data["sentence"].replace("\r\n", "\n")

    def clean_country(self) -> Country:
        return self.countries[self.cleaned_data["country"]]

    def clean_actor(self) -> Actor | None:
        return self.actors.get(self.cleaned_data["actor"])

    def clean(self) -> dict:
        cleaned = super().clean()
        sentence, start, end = (cleaned.get(k) for k in ("sentence", "start", "end"))
        if None not in (sentence, start, end):
            problem = span_mismatch(self.article.text, sentence, start, end)
            if problem:
                self.add_error(None, problem)
        date, precision = cleaned.get("statement_date"), cleaned.get("date_precision")
        if date and precision == DatePrecision.UNKNOWN:
            cleaned["date_precision"] = DatePrecision.DAY
        elif date is None and precision and precision != DatePrecision.UNKNOWN:
            self.add_error("statement_date", "Give the date, or set the precision to “Unknown”.")
        return cleaned


def _grouped(empty: tuple[str, str], *groups: tuple[str, list]) -> list:
    """Choices in groups, each value once: the first group that offers it keeps it."""
    seen: set[str] = set()
    choices: list = [empty]
    for label, options in groups:
        kept = [(v, text) for v, text in options if v not in seen]
        seen |= {v for v, _ in kept}
        if kept:
            choices.append((label, kept))
    return choices


def _actor_label(actor: Actor) -> str:
    where = ", ".join(str(p) for p in (actor.country, actor.role) if p)
    return f"{actor.name} ({where})" if where else actor.name
