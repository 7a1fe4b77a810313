from __future__ import annotations

import re

from django import forms

from .models import Actor, Country, Dispute, Position, Stance


class IsoDateInput(forms.DateInput):
    """`<input type="date">` takes its value in ISO form only (2025-09-05): in the site's
    format (05/09/2025) a browser shows it empty and a save erases the date."""

    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class StanceCorrectionForm(forms.ModelForm):
    """What a curator may correct in place in the review queue."""

    country = forms.ModelChoiceField(Country.objects.all(), to_field_name="iso2")
    actor = forms.ModelChoiceField(
        Actor.objects.select_related("country"), required=False, empty_label="(no actor)"
    )
    statement_date = forms.DateField(
        required=False, widget=IsoDateInput(), label="Date"
    )

    class Meta:
        model = Stance
        fields = ["position", "country", "actor", "statement_date"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The instance's country comes in as its primary key, but the choices are keyed by
        # ISO code: without this no country is selected and the browser refuses to submit.
        if self.instance.pk and self.instance.country_id:
            self.initial["country"] = self.instance.country.iso2


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
