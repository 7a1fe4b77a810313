from __future__ import annotations

from django import forms

from .models import Actor, Country, Position, ReviewStatus, Stance

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
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        label="Date",
    )
    date_unknown = DateUnknownField()

    class Meta:
        model = Stance
        fields = ["position", "country", "actor", "statement_date"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
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
        """The stance's fields as corrected."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class UndatedApprovalForm(forms.Form):
    """Approving a stance with no date: its date, or the curator's word that it is unknown."""

    date = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
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
    stance = forms.ModelMultipleChoiceField(Stance.objects.proposed())
    action = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])


class DisputeResolveForm(forms.Form):
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Which report holds and why. Analysts read this on the timeline.",
    )
