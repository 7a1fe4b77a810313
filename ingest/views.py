"""The curator's ingest page: upload files or paste URLs, then watch the run's progress.

Views check the curator permission themselves; the run page serves the whole page and, for
htmx polling, only its progress region, which stops polling once the run is finished.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_safe

from stances.roles import curator_required

from . import services
from .forms import IngestForm
from .models import IngestRun

RECENT_RUNS = 20
ITEMS_SHOWN = 200


@require_http_methods(["GET", "HEAD", "POST"])
@curator_required
def ingest(request: HttpRequest) -> HttpResponse:
    form = IngestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        # Uploads were streamed to disk; each is moved to the upload storage, never read
        # here. An oversized or empty one is recorded as a failed item without being kept.
        inputs = [services.input_from_upload(f) for f in form.cleaned_data["files"]] + [
            services.input_from_url(url) for url in form.cleaned_data["urls"]
        ]
        run = services.run_create(
            inputs=inputs,
            source="web",
            label=form.cleaned_data["label"] or _label(inputs),
            started_by=request.user,
        )
        services.run_enqueue(run)
        return redirect("ingest:run", pk=run.pk)
    runs = IngestRun.objects.select_related("started_by")[:RECENT_RUNS]
    return TemplateResponse(request, "ingest/ingest.html", {"form": form, "runs": runs})


def _label(inputs: list[services.ItemInput]) -> str:
    first = inputs[0].source.rsplit("/", 1)[-1] or inputs[0].source
    return first if len(inputs) == 1 else f"{first} and {len(inputs) - 1} more"


@require_safe
@curator_required
def run_detail(request: HttpRequest, pk: int) -> TemplateResponse:
    run = get_object_or_404(IngestRun.objects.select_related("started_by", "feed"), pk=pk)
    items = run.items.select_related("article__outlet").defer("payload", "article__text")
    failed = list(items.failed()[:ITEMS_SHOWN])
    if request.htmx:
        response = TemplateResponse(
            request, "ingest/run.html#progress", {"run": run, "failed": failed}
        )
        if run.finished:
            # The poll that sees the end reloads the page once, so the item table is final.
            response["HX-Refresh"] = "true"
        return response
    context = {"run": run, "failed": failed, "items": list(items[:ITEMS_SHOWN])}
    return TemplateResponse(request, "ingest/run.html", context)
