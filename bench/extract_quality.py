"""Precision and recall of extraction per fact type, over the phrasing tables.

    python bench/extract_quality.py            # the table and every false positive
    python bench/extract_quality.py --missed   # also the positives nothing matched

The tables are `bench/phrasings/*.yaml` (see README.md there); scoring is in
`bench/extract_tables.py`: a true positive is an extracted fact of the expected
type whose listed roles match. "recall, type only" counts an expected fact as
found when any fact of its type came out of its sentence, roles aside.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` and `checker` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.extract_tables import (  # noqa: E402
    CATEGORIES,
    FACT_TYPES,
    Entry,
    describe,
    load_entries,
    load_world,
    run,
    score,
)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def category_table(entries: list[Entry]) -> list[str]:
    """Per negative category: sentences, and how many gave a fact of their table's type."""
    lines = ["| category | sentences | gave a fact of their type | gave any fact |",
             "|---|---:|---:|---:|"]
    for cat in CATEGORIES:
        group = [e for e in entries if e.category == cat]
        own = sum(any(f.type == e.table for f in e.facts) for e in group)
        anyf = sum(bool(e.facts) for e in group)
        lines.append(f"| {cat} | {len(group)} | {own} | {anyf} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--missed", action="store_true", help="list positives not found")
    parser.add_argument("--model", default=None, help="a spaCy model installed as a package")
    args = parser.parse_args()

    entities, types = load_world()
    entries = run(load_entries(), entities, types, model=args.model)
    scores = score(entries, types, entities)

    pos = {t: sum(1 for e in entries if e.table == t and e.positive) for t in FACT_TYPES}
    neg = {t: sum(1 for e in entries if e.table == t and not e.positive) for t in FACT_TYPES}
    print("| type | positives | negatives | extracted | true | false | precision | recall "
          "| recall, type only |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in FACT_TYPES:
        s = scores[t]
        print(f"| {t} | {pos[t]} | {neg[t]} | {s.tp + s.fp} | {s.tp} | {s.fp} "
              f"| {_pct(s.precision)} | {_pct(s.recall)} ({s.found}/{s.expected}) "
              f"| {_pct(s.type_recall)} |")
    tp = sum(s.tp for s in scores.values())
    fp = sum(s.fp for s in scores.values())
    found = sum(s.found for s in scores.values())
    expected = sum(s.expected for s in scores.values())
    print(f"| all | {sum(pos.values())} | {sum(neg.values())} | {tp + fp} | {tp} | {fp} "
          f"| {_pct(tp / (tp + fp) if tp + fp else None)} "
          f"| {_pct(found / expected if expected else None)} ({found}/{expected}) | |")
    print()
    print("\n".join(category_table(entries)))

    print("\nFalse positives (extracted, matching no expectation of the sentence):")
    for t in FACT_TYPES:
        for entry, fact in scores[t].false:
            tag = entry.category or "positive"
            print(f"  [{entry.table}#{entry.n} {tag}] {entry.text}\n      -> {describe(fact)}")
    if args.missed:
        print("\nPositives not found (expected -> extracted):")
        for t in FACT_TYPES:
            for entry in scores[t].missed:
                got = "; ".join(describe(f) for f in entry.facts) or "nothing"
                print(f"  [{entry.table}#{entry.n}] {entry.text}\n"
                      f"      want {entry.expect}\n      got  {got}")


if __name__ == "__main__":
    main()
