"""Pages of the outputs: the methodology, and what a signed-in reader watches."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .models import Country, ExtractionEvaluation, Subscription, Topic


@require_safe
def methodology_default(request: HttpRequest) -> HttpResponse:
    return redirect("outputs:methodology", topic_slug=settings.DEFAULT_TOPIC)


@require_safe
def methodology(request: HttpRequest, topic_slug: str) -> TemplateResponse:
    topic = get_object_or_404(Topic, slug=topic_slug)
    # The latest evaluation on each corpus: the rules' own development set and held-out
    # sets tell different things, and readers need both.
    newer = ExtractionEvaluation.objects.filter(corpus=OuterRef("corpus"), pk__gt=OuterRef("pk"))
    evaluations = list(
        ExtractionEvaluation.objects.exclude(Exists(newer)).order_by("-recorded_at", "-pk")
    )
    return TemplateResponse(
        request,
        "stances/methodology.html",
        {
            "topic": topic,
            "evaluations": evaluations,
            "corroboration_days": settings.CORROBORATION_WINDOW_DAYS,
            "dispute_days": settings.DISPUTE_WINDOW_DAYS,
            "recent_days": settings.RECENT_CHANGE_DAYS,
        },
    )


class SubscriptionForm(forms.Form):
    topic = forms.ModelChoiceField(Topic.objects.all(), to_field_name="slug")
    country = forms.ModelChoiceField(
        Country.objects.all(),
        to_field_name="iso2",
        required=False,
        empty_label="Every country (the whole topic)",
    )

    def clean_country(self):
        return self.cleaned_data.get("country")


def _next_or(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required(login_url="login")
@require_http_methods(["GET", "HEAD", "POST"])
def subscriptions(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # Country codes arrive in either case from the watch buttons; the form wants upper.
        data = request.POST.copy()
        data["country"] = data.get("country", "").upper()
        form = SubscriptionForm(data)
        if form.is_valid():
            Subscription.objects.get_or_create(
                user=request.user,
                topic=form.cleaned_data["topic"],
                country=form.cleaned_data["country"],
            )
            return redirect(_next_or(request, "outputs:subscriptions"))
    else:
        # The pages' "Watch ..." links arrive with the topic and country filled in.
        form = SubscriptionForm(
            initial={
                "topic": request.GET.get("topic") or settings.DEFAULT_TOPIC,
                "country": request.GET.get("country", "").upper() or None,
            }
        )
    watched = Subscription.objects.filter(user=request.user).select_related("topic", "country")
    return TemplateResponse(
        request,
        "stances/subscriptions.html",
        {
            "form": form,
            "subscriptions": watched,
            "has_email": bool(request.user.email),
            "quiet_days": settings.QUIET_NOTICE_DAYS,
        },
        status=400 if form.errors else 200,
    )


@login_required(login_url="login")
@require_POST
def subscription_delete(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's subscription is not found, not forbidden: its existence is private.
    subscription = get_object_or_404(Subscription, pk=pk, user=request.user)
    subscription.delete()
    return redirect(_next_or(request, "outputs:subscriptions"))
