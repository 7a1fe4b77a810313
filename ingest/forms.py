from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field, as Django's documentation shows. An empty file is let
    through: it fails alone, as an item with its reason, and the rest of the batch goes on."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


MAX_URLS = 200


class IngestForm(forms.Form):
    files = MultipleFileField(
        required=False,
        help_text="Article files: the corpus format (header, ---, body), plain .txt or .html.",
    )
    urls = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "https://…"}),
        label="URLs",
        help_text="One news page address per line.",
    )
    label = forms.CharField(required=False, max_length=300, help_text="Optional note.")

    def clean_urls(self) -> list[str]:
        urls = [line.strip() for line in self.cleaned_data["urls"].splitlines() if line.strip()]
        if len(urls) > MAX_URLS:
            raise ValidationError(f"At most {MAX_URLS} URLs at a time.")
        return urls

    def clean(self):
        data = super().clean()
        if not data.get("files") and not data.get("urls") and not self.errors:
            raise ValidationError("Choose files to upload or paste URLs.")
        return data
