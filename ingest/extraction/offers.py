"""What a claim offers and on what conditions, from its sentence: the kinds of
data/offers.toml (a topic's own vocabulary; these are the reassurance force's)."""

from __future__ import annotations

import re
from functools import lru_cache

from .gazetteer import Gazetteer, gazetteer

# A quotation mark inside a phrase does not break it (one character for one).
_PLAIN = str.maketrans({'"': " "})


def offer_kinds(
    g: Gazetteer, text: str, *, refuses_troops: bool, force_by_default: bool = True
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Contributions and conditions a sentence states, in the vocabulary's order. Ground
    troops are not offered where the clause refuses them; with `force_by_default`, a claim
    that names no contribution offers the force itself (the vocabulary's first kind)."""
    lower = text.lower().translate(_PLAIN)
    named, conditions = map(list, _kinds(lower))
    if "ground" in named and "training" in named and _only_trainees(g, lower):
        named.remove("ground")  # "train Ukrainian soldiers": the soldiers are trained
    if "ground" in named and "logistics" in named and _only_served(g, lower):
        named.remove("ground")  # "a transit point for peacekeeping forces": others' troops
    if "training" in named and "logistics" in named and all(
            _FACILITY.match(lower, m.end()) for m in g.contributions["training"].finditer(lower)):
        named.remove("training")  # "training facilities": a place, not training given
    if not named and force_by_default:
        # Taking part in the force, with nothing else named: the force is troops.
        named = [next(iter(g.contributions))]
    # Leading and planning the force: the troops named are the coalition's, not the leader's.
    if "command" in named and "ground" in named:
        named.remove("ground")
    contributions = tuple(k for k in named if not (k == "ground" and refuses_troops))
    # "a UN mandate" is the UN's, not a mandate of its own.
    if "un_mandate" in conditions and "mandate" in conditions and not any(
            m for m in g.conditions["mandate"].finditer(lower)
            if "un" not in lower[max(0, m.start() - 12) : m.start()].split()):
        conditions.remove("mandate")
    return contributions, tuple(conditions)


@lru_cache(maxsize=2048)
def _kinds(lower: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The kinds named in a sentence: several claims of one sentence (a list of countries)
    ask for the same sentence, hence the cache."""
    g = gazetteer()
    return (tuple(kind for kind, cue in g.contributions.items() if cue.search(lower)),
            tuple(kind for kind, cue in g.conditions.items() if cue.search(lower)))


# A place for others' troops ("a hub for the troops", "a transit point for peacekeeping
# forces"), and a place for training ("training facilities").
_SERVED = re.compile(r"(?:hub|transit|bases?|point|route|corridor|facilities|staging area)"
                     r"(?:\s+[\w-]+){0,2}\s+for(?:\s+[\w-]+){0,3}\s+$")
_FACILITY = re.compile(r"\s+(?:facilit\w*|grounds?|ranges?|camps?|centres?|centers?|areas?)\b")


def _only_served(g: Gazetteer, lower: str) -> bool:
    """Is every mention of troops the troops a place of the country serves?"""
    return all(_SERVED.search(lower, max(0, m.start() - 80), m.start())
               for m in g.contributions["ground"].finditer(lower))


def _only_trainees(g: Gazetteer, lower: str) -> bool:
    """Is every mention of troops inside a phrase about training them?"""
    training = [m.span() for m in g.contributions["training"].finditer(lower)]
    return all(any(a <= m.start() and m.end() <= b for a, b in training)
               for m in g.contributions["ground"].finditer(lower))


def stated_size(g: Gazetteer, text: str) -> str | None:
    """The size as the sentence words it, or None."""
    if g.size_re is None:
        return None
    match = g.size_re.search(text.lower().translate(_PLAIN))
    return text[match.start() : match.end()] if match else None
