"""A tile-grid map: each country one square, placed roughly where it lies. Europe and its
neighbours are laid out by hand; any other country with a position joins rows below."""

from __future__ import annotations

from dataclasses import dataclass

# Rows of the grid, ".." for sea. Kept in text so the layout can be read and edited.
GRID = """
IS .. .. .. NO SE FI .. ..
IE GB .. DK .. .. EE RU ..
.. .. NL DE PL LT LV BY ..
.. FR BE LU CZ SK UA MD ..
PT ES CH AT HU RO .. GE ..
.. .. IT SI HR RS BG AM AZ
.. .. MT .. BA ME MK TR ..
.. .. .. .. .. AL GR CY ..
"""
COLUMNS = 9
TILE = 46  # px per square, gap included
WIDTH = COLUMNS * TILE

LAYOUT: dict[str, tuple[int, int]] = {
    code: (col, row)
    for row, line in enumerate(GRID.strip().splitlines())
    for col, code in enumerate(line.split())
    if code != ".."
}


@dataclass
class Tile:
    iso2: str
    name: str
    position: str
    label: str
    x: int
    y: int

    @property
    def cx(self) -> int:
        return self.x + TILE // 2 - 2

    @property
    def code_y(self) -> int:
        return self.y + 19

    @property
    def icon_y(self) -> int:
        return self.y + 36


def tiles(rows: list, label) -> tuple[list[Tile], int]:
    """Tiles for the grid countries and for any other country that has a position, and
    the SVG height they need. `rows` are CountryRow-like; `label(row)` is the tile's name."""
    placed: list[Tile] = []
    by_iso = {r.iso2: r for r in rows}
    on_grid = [(iso2, col, row) for iso2, (col, row) in LAYOUT.items() if iso2 in by_iso]
    # A group or a filter may leave only a few rows of the grid: drop the empty sea above
    # and below them, keeping the rows between so neighbours stay where they are.
    first = min((row for _iso2, _col, row in on_grid), default=0)
    last = max((row for _iso2, _col, row in on_grid), default=-1)
    for iso2, col, row in on_grid:
        r = by_iso[iso2]
        placed.append(Tile(iso2, r.name, r.position, label(r), col * TILE, (row - first) * TILE))
    grid_rows = last - first + 1
    elsewhere = sorted(
        (r for r in rows if r.position and r.iso2 not in LAYOUT), key=lambda r: r.name
    )
    # One empty row between Europe and the rest, when there is a Europe to set apart.
    top = (grid_rows + 1) * TILE if grid_rows else 0
    for i, r in enumerate(elsewhere):
        col, row = i % COLUMNS, i // COLUMNS
        placed.append(Tile(r.iso2, r.name, r.position, label(r), col * TILE, top + row * TILE))
    extra_rows = (len(elsewhere) + COLUMNS - 1) // COLUMNS
    height = top + extra_rows * TILE if extra_rows else grid_rows * TILE
    return placed, max(height, TILE)
