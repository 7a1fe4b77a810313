"""The position colours: readable with white text (WCAG AA, 4.5:1) and distinct from one
another for the three common colour-vision deficiencies (simulated with colorspacious,
Machado et al. 2009, full severity). Colour is never the only carrier of a position (marks
and labels go with it), but where it is used it must still tell them apart."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE
from django.conf import settings

CSS = Path(settings.BASE_DIR) / "static" / "css" / "app.css"
POSITIONS = ("pledge", "hedge", "rejection")
# CIEDE2000 of at least 10 between any two simulated colours: plainly different swatches.
DISTINCT = 10.0


def _colours() -> dict[str, np.ndarray]:
    root = re.search(r":root\s*\{([^}]*)\}", CSS.read_text()).group(1)
    found = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root))
    return {name: np.array([int(found[name][i:i + 2], 16) / 255 for i in (1, 3, 5)])
            for name in (*POSITIONS, "none")}


def _luminance(rgb: np.ndarray) -> float:
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2])


def _contrast(a: np.ndarray, b: np.ndarray) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", [*POSITIONS, "none"])
def test_white_text_on_each_colour_meets_aa(name):
    assert _contrast(_colours()[name], np.ones(3)) >= 4.5


@pytest.mark.parametrize("deficiency", ["deuteranomaly", "protanomaly", "tritanomaly"])
def test_the_positions_stay_distinct_under_colour_vision_deficiency(deficiency):
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    colours = _colours()
    seen = {p: np.clip(cspace_convert(colours[p], space, "sRGB1"), 0, 1) for p in POSITIONS}
    for a, b in itertools.combinations(POSITIONS, 2):
        assert deltaE(seen[a], seen[b], input_space="sRGB1") >= DISTINCT, (a, b)


def test_the_positions_are_distinct_for_everyone_else_too():
    colours = _colours()
    for a, b in itertools.combinations(POSITIONS, 2):
        assert deltaE(colours[a], colours[b], input_space="sRGB1") >= DISTINCT, (a, b)
