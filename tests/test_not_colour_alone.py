"""Never colour alone (WCAG 1.4.1): wherever colour carries a position on a country's
timeline, text or a pattern carries it too."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from .factories import make_actor, make_stance

pytestmark = pytest.mark.django_db

TIMELINE = "/t/ukraine-troop-deployment/de/"
SYMBOLS = {"pledge": "✔", "hedge": "◐", "rejection": "✖"}


@pytest.fixture
def changing(db):
    make_stance("DE", "rejection", date=dt.date(2025, 2, 16))
    make_stance("DE", "hedge", date=dt.date(2025, 6, 1))
    make_stance("DE", "pledge", date=dt.date(2025, 11, 20))
    make_stance("DE", "rejection", actor=make_actor("Alice W", "DE", official=False))


def test_it_names_each_band_in_text(client, changing):
    html = client.get(TIMELINE).content.decode()
    bands = re.findall(r'<rect class="band band-(\w+)"[^>]*><title>(\w+) from ', html)
    assert [b for b, _ in bands] == ["rejection", "hedge", "pledge"]
    assert all(drawn == named for drawn, named in bands)
    # Wide enough to carry their symbol and word on the bar itself.
    labels = re.findall(r'<text class="band-label band-label-(\w+)"[^>]*>([^<]+)</text>', html)
    assert labels == [(p, f"{SYMBOLS[p]} {p}") for p in ("rejection", "hedge", "pledge")]
    # Hatched and cross-hatched fills tell hedge and rejection apart without colour.
    assert 'id="band-fill-hedge"' in html and 'id="band-fill-rejection"' in html
    # And the list under the bar gives each period's position as a word.
    listed = html[html.index('class="band-list"') : html.index("</ol>", html.index("band-list"))]
    assert re.findall(r'class="pos pos-(\w+)">(.) (\w+)<', listed) == [
        (p, SYMBOLS[p], p) for p in ("rejection", "hedge", "pledge")
    ]


def test_it_writes_each_statements_position_on_its_card(client, changing):
    html = client.get(TIMELINE).content.decode()
    cards = re.findall(r'<li class="stance-(\w+)">(.*?)</article>', html, re.S)
    assert len(cards) == 4
    for position, card in cards:
        header = card[: card.index("</header>")]
        assert f'<span class="pos pos-{position}">{SYMBOLS[position]} {position}</span>' in header
