"""A position shown by text and a symbol, never by colour alone. A filter rather than an
include: the overview draws one per country and includes cost far more per call."""

from django import template
from django.utils.html import format_html

register = template.Library()

SYMBOLS = {"pledge": "✔", "hedge": "◐", "rejection": "✖"}


@register.filter
def symbol(position: str | None) -> str:
    return SYMBOLS.get(position or "", "–")


@register.filter
def badge(position: str | None) -> str:
    name = position or "none"
    return format_html('<span class="pos pos-{}">{} {}</span>', name, symbol(position), name)


@register.filter
def get_item(mapping: dict, key: str):
    """mapping[key], or None: a matrix cell by its kind's code."""
    return mapping.get(key) if mapping else None
