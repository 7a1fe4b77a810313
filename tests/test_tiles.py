"""The tile-grid map keeps its geography and fits what it shows: a group of a few
neighbours is a small map, not the whole of Europe with most of it empty."""

from __future__ import annotations

from stances.summaries import CountryRow
from stances.tiles import TILE, WIDTH, tiles


def _rows(*codes: str, position: str = "pledge") -> list[CountryRow]:
    return [CountryRow(iso2=code, name=code, position=position) for code in codes]


def _label(row: CountryRow) -> str:
    return row.name


def test_every_country_of_the_grid_keeps_its_place():
    placed, height = tiles(_rows("IS", "CY", "FR"), _label)
    where = {t.iso2: (t.x, t.y) for t in placed}
    assert where["IS"] == (0, 0)  # the top row
    assert where["CY"] == (7 * TILE, 7 * TILE)  # the bottom row
    assert where["FR"] == (1 * TILE, 3 * TILE)
    assert height == 8 * TILE


def test_a_group_of_neighbours_is_drawn_without_the_empty_rows_around_it():
    # The Baltic states sit on the grid's second and third rows.
    placed, height = tiles(_rows("EE", "LV", "LT"), _label)
    where = {t.iso2: (t.x, t.y) for t in placed}
    assert where == {"EE": (6 * TILE, 0), "LV": (6 * TILE, TILE), "LT": (5 * TILE, TILE)}
    assert height == 2 * TILE
    # Rows between the countries shown stay, so the shape is still the map's.
    placed, height = tiles(_rows("NO", "DK", "IT"), _label)
    assert {t.iso2: t.y for t in placed} == {"NO": 0, "DK": TILE, "IT": 5 * TILE}
    assert height == 6 * TILE


def test_countries_off_the_grid_join_rows_below_or_stand_alone():
    placed, height = tiles(_rows("FI", "US", "CA", "JP"), _label)
    below = sorted((t.iso2, t.x, t.y) for t in placed if t.iso2 != "FI")
    # One empty row under Finland's, then the others by name.
    assert below == [("CA", 0, 2 * TILE), ("JP", TILE, 2 * TILE), ("US", 2 * TILE, 2 * TILE)]
    assert height == 3 * TILE
    placed, height = tiles(_rows("US", "JP"), _label)
    assert sorted((t.iso2, t.y) for t in placed) == [("JP", 0), ("US", 0)]
    assert height == TILE and all(t.x < WIDTH for t in placed)


def test_an_empty_map_still_has_a_height():
    assert tiles([], _label) == ([], TILE)
