"""What a browser would submit for a form as the server rendered it: each named field's
value, with `<input type="date">` sanitised as browsers do (a value not in ISO form,
such as 05/09/2025, is shown empty and submitted empty)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _FormReader(HTMLParser):
    def __init__(self, selector: str) -> None:
        super().__init__(convert_charrefs=True)
        self.selector, self.inside, self.depth = selector, False, 0
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.inside and self.selector in (a.get("class") or "").split():
            self.inside = True
            return
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "button"}:
            kind = a.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in a:
                    self.data[name] = a.get("value", "on")
                return
            value = a.get("value") or ""
            if kind == "date" and not _ISO_DATE.match(value):
                value = ""
            self.data[name] = value
        elif tag == "select" and name:
            self._select, self._first_option = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
                self.data.setdefault(self._select, value)
            if "selected" in a:
                self.data[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self.inside and self._textarea:
            self.data[self._textarea] += data


def submitted(html: str, form_class: str) -> dict[str, str]:
    """The fields of the first `<form class="form_class">` as a browser would send them."""
    reader = _FormReader(form_class)
    reader.feed(html)
    return reader.data
