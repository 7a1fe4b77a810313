"""How people are named on the pages: their full name, else their username."""

from django import template

from ..audit import who as _who

register = template.Library()


@register.filter
def who(user) -> str:
    return _who(user)
