"""Extraction time against article length, from 10k to 200k characters: the curve must be
linear (time per 10k characters flat). Two shapes of hostile text: many sentences that each
list thirty countries, and one sentence that lists countries for its whole length (where a
per-mention look at the text before it would make the work grow with the square)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.extraction import analyse  # noqa: E402

COUNTRIES = [
    "France", "Germany", "Poland", "Italy", "Spain", "Sweden", "Norway", "Denmark", "Finland",
    "Estonia", "Latvia", "Lithuania", "Belgium", "the Netherlands", "Portugal", "Greece",
    "Romania", "Bulgaria", "Hungary", "Slovakia", "Czechia", "Austria", "Ireland", "Canada",
    "Japan", "Australia", "Turkey", "Croatia", "Slovenia", "Luxembourg",
]
SIZES = (10_000, 25_000, 50_000, 100_000, 200_000)


def many_lists(size: int) -> str:
    sentence = ", ".join(COUNTRIES) + " said they would send troops to Ukraine. "
    return (sentence * (size // len(sentence) + 1))[:size]


def one_sentence(size: int) -> str:
    words = " and ".join(COUNTRIES[i % len(COUNTRIES)] for i in range(size // 8))
    return words[:size] + " will send troops to Ukraine."


def main() -> None:
    analyse(many_lists(2_000))  # read the language data once, outside the timings
    worst = 0.0
    for name, make in (("30 countries per sentence", many_lists),
                       ("one sentence", one_sentence)):
        print(f"{name}:")
        per_10k = []
        for size in SIZES:
            text = make(size)
            start = time.perf_counter()
            analyse(text)
            took = time.perf_counter() - start
            per_10k.append(took / (len(text) / 10_000))
            print(f"  {len(text):>7} chars  {took:6.2f} s  "
                  f"{per_10k[-1] * 1000:6.1f} ms per 10k chars")
        # Linear: the cost per 10k characters at 200k is within 2x of the cost at 10k.
        worst = max(worst, per_10k[-1] / per_10k[0])
    print(f"growth of cost per character from 10k to 200k: x{worst:.2f} "
          f"({'linear' if worst < 2 else 'NOT linear'})")


if __name__ == "__main__":
    main()
