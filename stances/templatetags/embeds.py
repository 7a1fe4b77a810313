"""The "Embed" snippet of the overview and a country's page: shown only where the
deployment lets other sites frame the /embed/ pages (EMBED_ALLOWED_ORIGINS)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.inclusion_tag("stances/_embed_snippet.html", takes_context=True)
def embed_snippet(context, kind: str) -> dict:
    request, topic = context.get("request"), context.get("topic")
    if not settings.EMBED_ALLOWED_ORIGINS or request is None or topic is None:
        return {"code": ""}
    if kind == "chart":
        path = reverse("outputs:embed_chart", args=[topic.slug])
        query, height = context.get("query", ""), 560
        what = "this chart"
        title = f"{topic.title}: countries per position over time"
    else:
        country = context["country"]
        path = reverse("outputs:embed_country", args=[topic.slug, country.iso2])
        # The country's embed shows its whole official line: only the day applies.
        query, height = context.get("as_of_query", ""), 260
        what = f"{country.name}'s official line"
        title = f"{country.name}: official line on {topic.title}"
    src = request.build_absolute_uri(path) + (f"?{query}" if query else "")
    code = format_html(
        '<iframe src="{}" title="{}" width="100%" height="{}" loading="lazy"></iframe>',
        src, title, height,
    )
    return {"code": str(code), "id": f"embed-{kind}", "what": what}
