"""The "Cite as" line names the view the reader is looking at, also after htmx has changed
the filters: each fragment carries the line out of band (hx-swap-oob), without the empty
fields a submitted form sends."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db

OVERVIEW = "/t/ukraine-troop-deployment/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _cite_lines(html: str) -> list[str]:
    return re.findall(r'<p class="cite" id="cite"[^>]*>.*?</p>', html, flags=re.S)


@pytest.fixture
def record():
    merz = make_actor("Friedrich Merz", "DE", role="Chancellor")
    make_stance("DE", "hedge", actor=merz, date=dt.date(2025, 9, 4))
    make_stance("FR", "pledge", date=dt.date(2025, 3, 10))
    return merz


@pytest.mark.parametrize(
    "path",
    [OVERVIEW, OVERVIEW + "de/", "/actors/friedrich-merz/"],
    ids=["overview", "country", "actor"],
)
def test_a_fragment_replaces_the_cite_line_with_its_own_view(client, record, path):
    today = timezone.localdate().isoformat()
    # What an htmx form submission sends: the chosen filter and the empty ones.
    html = client.get(f"{path}?position=hedge&since=&until=2025-12-31", **HTMX).content.decode()
    [line] = _cite_lines(html)
    assert 'hx-swap-oob="true"' in line
    assert f"{path}?position=hedge&amp;until=2025-12-31&amp;as_of={today}" in line
    assert "since=" not in line
    # The whole page has the line once, in place, not out of band.
    [line] = _cite_lines(client.get(f"{path}?position=hedge").content.decode())
    assert "hx-swap-oob" not in line and f"?position=hedge&amp;as_of={today}" in line
