"""The index pages: every reviewed actor (`/actors/`) and every published article
(`/articles/`), filtered by GET parameters a Form validates, one page at a time. One view
serves the page and, for htmx, the list region; both work without JavaScript."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from ingest.models import Outlet

from .filters import date_bounds_error
from .forms import IsoDateInput
from .models import Actor, Country, ReviewStatus, published_articles
from .views import HtmxHttpRequest, _render, tidy_url

INDEX_PAGE_SIZE = 50
VOICES = [("", "Any voice"), ("official", "Speaks for the government"), ("other", "Other voices")]


class ActorIndexFilters(forms.Form):
    country = forms.ModelChoiceField(
        Country.objects.none(), to_field_name="iso2", required=False, empty_label="Any country"
    )
    voice = forms.ChoiceField(choices=VOICES, required=False, label="Voice")

    def __init__(self, data=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        # Only countries some reviewed actor belongs to.
        self.fields["country"].queryset = Country.objects.filter(
            pk__in=Actor.objects.public().values("country")
        ).order_by("name")

    def apply(self, actors):
        self.is_valid()  # a filter not understood is ignored, and said so
        if country := self.cleaned_data.get("country"):
            actors = actors.filter(country=country)
        voice = self.cleaned_data.get("voice")
        if voice:
            actors = actors.filter(speaks_for_government=voice == "official")
        return actors


class ArticleIndexFilters(forms.Form):
    outlet = forms.ModelChoiceField(
        Outlet.objects.none(), required=False, empty_label="Any outlet"
    )
    since = forms.DateField(required=False, label="Published from", widget=IsoDateInput())
    until = forms.DateField(required=False, label="Published to", widget=IsoDateInput())

    def __init__(self, data=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        # Only outlets with a published article.
        self.fields["outlet"].queryset = Outlet.objects.filter(
            pk__in=published_articles().values("outlet")
        ).order_by("name")

    def clean(self):
        cleaned = super().clean()
        for name in ("since", "until"):
            if cleaned.get(name) and (error := date_bounds_error(cleaned[name])):
                self.add_error(name, error)
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", "The end comes before the start.")
        return cleaned

    def apply(self, articles):
        self.is_valid()  # a filter not understood is ignored, and said so
        if outlet := self.cleaned_data.get("outlet"):
            articles = articles.filter(outlet=outlet)
        if since := self.cleaned_data.get("since"):
            articles = articles.filter(published__gte=since)
        if until := self.cleaned_data.get("until"):
            articles = articles.filter(published__lte=until)
        return articles


def _page(request: HtmxHttpRequest, rows):
    return Paginator(rows, INDEX_PAGE_SIZE).get_page(request.GET.get("page"))


def _query(form: forms.Form) -> str:
    """The filters as a query string, for the page links."""
    return urlencode([(k, v) for k, v in form.data.items() if k in form.fields and v])


@require_safe
@vary_on_headers("HX-Request")
@tidy_url
def actor_index(request: HtmxHttpRequest) -> TemplateResponse:
    form = ActorIndexFilters(request.GET)
    actors = form.apply(
        Actor.objects.public()
        .select_related("country")
        .annotate(statements=Count("stances", filter=Q(stances__status=ReviewStatus.APPROVED)))
        .order_by("name", "pk")
    )
    return _render(
        request,
        "stances/actor_index.html",
        "results",
        {"form": form, "page": _page(request, actors), "query": _query(form)},
    )


@require_safe
@vary_on_headers("HX-Request")
@tidy_url
def article_index(request: HtmxHttpRequest) -> TemplateResponse:
    form = ArticleIndexFilters(request.GET)
    articles = form.apply(
        published_articles()
        .select_related("outlet")
        .defer("text")
        .order_by("-published", "-pk")
    )
    return _render(
        request,
        "stances/article_index.html",
        "results",
        {"form": form, "page": _page(request, articles), "query": _query(form)},
    )
