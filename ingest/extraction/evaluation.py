"""Scoring extraction against gold claims, as ../shared/corpus/README.md defines it.

A claim is the triple (article, country, position); precision, recall and F1 over the
distinct triples, per position and micro overall. Actor, date and evidence are compared on
matched triples only.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.corpus import CorpusDocument

from . import EXTRACTOR_VERSION, analyse
from .dates import DAY
from .language import detect_language, is_read

POSITIONS = ("pledge", "hedge", "rejection")
_WORD = re.compile(r"\w+")


@dataclass
class Evaluation:
    corpus: str
    articles: int
    gold_claims: int
    predicted_claims: int
    micro: dict
    per_position: dict
    agreement: dict
    misses: list = field(default_factory=list)
    false_alarms: list = field(default_factory=list)
    extractor_version: str = EXTRACTOR_VERSION
    # Share of gold (article, country) pairs the pipeline put before a curator, as a claim or
    # as a candidate sentence: what extraction can at least not lose.
    candidate_recall: float = 0.0
    candidates: int = 0
    # Predicted pledge where the gold has a rejection for that (article, country), or the
    # reverse: the worst error a tracker can make.
    inverted: list = field(default_factory=list)
    by_article: list = field(default_factory=list)
    # Articles not read because they are not in a language extraction reads: their gold
    # claims count as misses.
    not_read: list = field(default_factory=list)
    # What is offered and on what conditions, on matched claims whose gold annotates them:
    # {"contributions": {"micro": scores, "per_kind": {kind: scores}}, "conditions": ...,
    #  "size": {"annotated": n, "agreed": n, "agreement": x}}.
    offers: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "extractor_version": self.extractor_version,
            "corpus": self.corpus,
            "articles": self.articles,
            "gold_claims": self.gold_claims,
            "predicted_claims": self.predicted_claims,
            "micro": self.micro,
            "per_position": self.per_position,
            "agreement": self.agreement,
            "offers": self.offers,
            "candidate_recall": self.candidate_recall,
            "candidates": self.candidates,
            "inverted_positions": len(self.inverted),
            "inverted": self.inverted,
            "by_article": self.by_article,
            "not_read": self.not_read,
            "misses": self.misses,
            "false_alarms": self.false_alarms,
        }


def gold_read(path: Path) -> list[dict]:
    rows = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not JSON: {exc}") from exc
        missing = {"article", "country", "position"} - set(row)
        if missing:
            raise ValueError(f"{path}:{number}: missing {', '.join(sorted(missing))}")
        rows.append(row)
    return rows


def _scores(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
            "tp": tp, "fp": fp, "fn": fn}


def evidence_overlaps(predicted: str, gold: str) -> bool:
    """The sentences share most of their words (more than half of the longer one's)."""
    a = set(_WORD.findall(predicted.lower()))
    b = set(_WORD.findall(gold.lower()))
    return bool(a and b) and len(a & b) > 0.5 * max(len(a), len(b))


def evaluate(documents: Iterable[CorpusDocument], gold: list[dict], *, corpus: str = "") \
        -> Evaluation:
    docs = list(documents)
    ids = {d.id for d in docs}
    gold_by: dict[tuple, list[dict]] = defaultdict(list)
    for row in gold:
        if row["article"] in ids:
            gold_by[(row["article"], row["country"], row["position"])].append(row)
    predicted_by: dict[tuple, list] = defaultdict(list)
    put_forward: set[tuple[str, str]] = set()  # (article, country) as claim or candidate
    candidate_count = 0
    not_read = []
    for doc in docs:
        # As for stored articles (ingest.services.article_extract): English only.
        language = detect_language(doc.text)
        if not is_read(language):
            not_read.append({"article": doc.id, "language": language})
            continue
        extraction = analyse(doc.text, doc.published)
        for claim in extraction.claims:
            predicted_by[(doc.id, claim.country, claim.position)].append(claim)
            put_forward.add((doc.id, claim.country))
        candidate_count += sum(len(cand.countries) for cand in extraction.candidates)
        put_forward.update((doc.id, c) for cand in extraction.candidates for c in cand.countries)

    gold_set, predicted_set = set(gold_by), set(predicted_by)
    matched = gold_set & predicted_set
    per_position = {}
    for position in POSITIONS:
        g = {t for t in gold_set if t[2] == position}
        p = {t for t in predicted_set if t[2] == position}
        per_position[position] = _scores(len(g & p), len(p - g), len(g - p))
    micro = _scores(len(matched), len(predicted_set - gold_set), len(gold_set - predicted_set))

    # On a matched triple, an attribute agrees when one of the predictions for it agrees with
    # one of the gold rows for it. A date only counts when stated (not the approximation by
    # the publication date, which the gold leaves null).
    actor = date = evidence = 0
    for triple in matched:
        rows, claims = gold_by[triple], predicted_by[triple]
        gold_actors = {r.get("actor") for r in rows}
        gold_dates = {r.get("date") for r in rows}
        actor += any(c.actor in gold_actors for c in claims)
        date += any(
            (c.date.isoformat() if c.date and c.date_precision == DAY else None) in gold_dates
            for c in claims
        )
        evidence += any(
            evidence_overlaps(c.sentence, r.get("evidence") or "") for c in claims for r in rows
        )
    offers = _offers_scores(matched, gold_by, predicted_by)
    n = len(matched)
    agreement = {
        "actor": round(actor / n, 3) if n else 0.0,
        "date": round(date / n, 3) if n else 0.0,
        "evidence": round(evidence / n, 3) if n else 0.0,
    }
    misses = [
        {"article": t[0], "country": t[1], "position": t[2],
         "sentences": [r.get("evidence") for r in gold_by[t]]}
        for t in sorted(gold_set - predicted_set)
    ]
    false_alarms = [
        {"article": t[0], "country": t[1], "position": t[2],
         "sentence": predicted_by[t][0].sentence}
        for t in sorted(predicted_set - gold_set)
    ]
    opposite = {"pledge": "rejection", "rejection": "pledge"}
    inverted = [
        f for f in false_alarms
        if f["position"] in opposite
        and (f["article"], f["country"], opposite[f["position"]]) in gold_set
    ]
    gold_pairs = {(t[0], t[1]) for t in gold_set}
    by_article = []
    for doc_id in sorted(ids):
        g = {t for t in gold_set if t[0] == doc_id}
        p = {t for t in predicted_set if t[0] == doc_id}
        by_article.append({"article": doc_id, **_scores(len(g & p), len(p - g), len(g - p))})
    return Evaluation(
        corpus=corpus,
        articles=len(docs),
        gold_claims=len(gold_set),
        predicted_claims=len(predicted_set),
        micro=micro,
        per_position=per_position,
        agreement=agreement,
        misses=misses,
        false_alarms=false_alarms,
        candidate_recall=round(len(gold_pairs & put_forward) / len(gold_pairs), 3)
        if gold_pairs else 0.0,
        candidates=candidate_count,
        inverted=inverted,
        by_article=by_article,
        offers=offers,
        not_read=not_read,
    )


def _offers_scores(matched: set, gold_by: dict, predicted_by: dict) -> dict:
    """Contributions and conditions over (article, country, position, kind) on matched
    claims, each claim taken as the union of its rows (README of the corpus); only claims
    whose gold rows carry the fields count. Size: on claims the gold gives one, whether a
    predicted size shares its number or unit word."""
    out: dict = {}
    for name in ("contributions", "conditions"):
        gold_set, predicted_set = set(), set()
        annotated = 0
        for triple in matched:
            rows = [r for r in gold_by[triple] if name in r]
            if not rows:
                continue
            annotated += 1
            gold_set |= {(*triple, k) for r in rows for k in r.get(name) or []}
            predicted_set |= {(*triple, k) for c in predicted_by[triple]
                              for k in getattr(c, name, ())}
        if not annotated:
            continue  # a gold without these fields scores positions only
        kinds = sorted({t[3] for t in gold_set | predicted_set})
        out[name] = {
            "micro": _scores(len(gold_set & predicted_set), len(predicted_set - gold_set),
                             len(gold_set - predicted_set)),
            "per_kind": {
                kind: _scores(
                    len({t for t in gold_set & predicted_set if t[3] == kind}),
                    len({t for t in predicted_set - gold_set if t[3] == kind}),
                    len({t for t in gold_set - predicted_set if t[3] == kind}),
                )
                for kind in kinds
            },
        }
    annotated = agreed = 0
    for triple in matched:
        sizes = {r["size"] for r in gold_by[triple] if r.get("size")}
        if not sizes:
            continue
        annotated += 1
        words = {w for size in sizes for w in _WORD.findall(size.lower())} - {
            "a", "of", "up", "to", "some", "about", "approximately"}
        agreed += any(words & set(_WORD.findall((c.size or "").lower()))
                      for c in predicted_by[triple])
    out["size"] = {"annotated": annotated, "agreed": agreed,
                   "agreement": round(agreed / annotated, 3) if annotated else 0.0}
    return out


def report_lines(result: Evaluation, *, by_article: bool = False) -> list[str]:
    """The evaluation as text; the last line is `micro F1: 0.xxx`."""
    lines = [
        f"extractor {result.extractor_version} on {result.corpus}: {result.articles} articles, "
        f"{result.gold_claims} gold claims, {result.predicted_claims} predicted",
        "",
        f"{'':<10} {'precision':>9} {'recall':>7} {'f1':>6} {'tp':>4} {'fp':>4} {'fn':>4}",
    ]
    for name, s in [*result.per_position.items(), ("micro", result.micro)]:
        lines.append(
            f"{name:<10} {s['precision']:>9.3f} {s['recall']:>7.3f} {s['f1']:>6.3f} "
            f"{s['tp']:>4} {s['fp']:>4} {s['fn']:>4}"
        )
    a = result.agreement
    lines += ["", f"agreement on matched claims: actor {a['actor']:.3f}, date {a['date']:.3f}, "
              f"evidence {a['evidence']:.3f}", ""]
    if by_article:
        lines.append("by article, worst first:")
        lines.append(f"  {'article':<24} {'f1':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
        for row in sorted(result.by_article, key=lambda r: (r["f1"], -r["fn"] - r["fp"])):
            lines.append(f"  {row['article']:<24} {row['f1']:>6.3f} {row['tp']:>4} "
                         f"{row['fp']:>4} {row['fn']:>4}")
        lines.append("")
    lines.append(f"misses ({len(result.misses)}):")
    for m in result.misses:
        lines.append(f"  {m['article']} {m['country']} {m['position']}")
        lines += [f"    | {s}" for s in m["sentences"] if s]
    lines.append(f"false alarms ({len(result.false_alarms)}):")
    for f in result.false_alarms:
        lines.append(f"  {f['article']} {f['country']} {f['position']}")
        lines.append(f"    | {f['sentence']}")
    if result.not_read:
        lines.append(f"not read, not in English ({len(result.not_read)}):")
        lines += [f"  {n['article']} {n['language']}" for n in result.not_read]
    lines.append(f"inverted positions ({len(result.inverted)}):")
    for f in result.inverted:
        lines.append(f"  {f['article']} {f['country']} {f['position']}")
        lines.append(f"    | {f['sentence']}")
    per_article = result.candidates / result.articles if result.articles else 0.0
    for name in ("contributions", "conditions"):
        scores = result.offers.get(name)
        if not scores:
            continue
        lines += ["", f"{name} (matched claims):",
                  f"  {'':<13} {'precision':>9} {'recall':>7} {'f1':>6} {'tp':>4} "
                  f"{'fp':>4} {'fn':>4}"]
        for kind, k in [*scores["per_kind"].items(), ("micro", scores["micro"])]:
            lines.append(f"  {kind:<13} {k['precision']:>9.3f} {k['recall']:>7.3f} "
                         f"{k['f1']:>6.3f} {k['tp']:>4} {k['fp']:>4} {k['fn']:>4}")
    size = result.offers.get("size", {})
    lines += [
        "",
        f"inverted positions: {len(result.inverted)}",
        f"candidates: {result.candidates} ({per_article:.1f} per article)",
        f"candidate recall: {result.candidate_recall:.3f}",
        *[f"{name} F1: {result.offers[name]['micro']['f1']:.3f}"
          for name in ("contributions", "conditions") if name in result.offers],
        *([f"size agreement: {size['agreement']:.3f} ({size['agreed']} of "
           f"{size['annotated']})"] if size.get("annotated") else []),
        f"micro F1: {result.micro['f1']:.3f}",
    ]
    return lines
