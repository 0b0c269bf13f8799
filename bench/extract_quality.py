"""Precision and recall of extraction per fact type, over the phrasing tables.

    python bench/extract_quality.py                  # every set: tables and false positives
    python bench/extract_quality.py --set dev        # the development tables only
    python bench/extract_quality.py --set heldout2   # one held-out set only (scores only)
    python bench/extract_quality.py --missed         # also the positives nothing matched

The development tables are `bench/phrasings/*.yaml` (see README.md there) and,
once it exists, `bench/phrasings/dev2/`; patterns are written against them. The
held-out sets, `bench/phrasings/heldout/` and `bench/phrasings/heldout2/`, each
have a world of their own and are a check: their false positives and misses are
listed only with `--heldout-details`, so that nobody writing patterns reads them
by accident. A set whose folder does not exist yet is skipped. Scoring is in
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
    BLIND,
    CATEGORIES,
    SETS,
    Entry,
    available_sets,
    describe,
    load_entries,
    load_world,
    run,
    score,
    table_names,
)

ROOT = Path(__file__).resolve().parent.parent


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


def report(name: str, tables_dir: Path, args: argparse.Namespace) -> None:
    """Print the score table of one set of tables, and (`details`) what went wrong."""
    entities, types = load_world(tables_dir)
    tables = table_names(tables_dir)
    entries = run(load_entries(tables, tables_dir), entities, types, model=args.model)
    scores = score(entries, types, entities)
    details = name not in BLIND or args.heldout_details

    print(f"## {name} ({tables_dir.relative_to(ROOT)})\n")
    pos = {t: sum(1 for e in entries if e.table == t and e.positive) for t in tables}
    neg = {t: sum(1 for e in entries if e.table == t and not e.positive) for t in tables}
    print("| type | positives | negatives | extracted | true | false | precision | recall "
          "| recall, type only |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in tables:
        s = scores[t]
        print(f"| {t} | {pos[t]} | {neg[t]} | {s.tp + s.fp} | {s.tp} | {s.fp} "
              f"| {_pct(s.precision)} | {_pct(s.recall)} ({s.found}/{s.expected}) "
              f"| {_pct(s.type_recall)} |")
    # every fact type, also those of no table here (a contract from a meeting sentence)
    tp = sum(s.tp for s in scores.values())
    fp = sum(s.fp for s in scores.values())
    found = sum(s.found for s in scores.values())
    expected = sum(s.expected for s in scores.values())
    print(f"| all | {sum(pos.values())} | {sum(neg.values())} | {tp + fp} | {tp} | {fp} "
          f"| {_pct(tp / (tp + fp) if tp + fp else None)} "
          f"| {_pct(found / expected if expected else None)} ({found}/{expected}) | |")
    print()
    print("\n".join(category_table(entries)))
    if not details:
        print(f"\n{fp} false positives, {expected - found} positives missed "
              "(listed with --heldout-details)\n")
        return

    print("\nFalse positives (extracted, matching no expectation of the sentence):")
    for s in scores.values():
        for entry, fact in s.false:
            tag = entry.category or "positive"
            print(f"  [{entry.table}#{entry.n} {tag}] {entry.text}\n      -> {describe(fact)}")
    if args.missed:
        print("\nPositives not found (expected -> extracted):")
        for s in scores.values():
            for entry in s.missed:
                got = "; ".join(describe(f) for f in entry.facts) or "nothing"
                print(f"  [{entry.table}#{entry.n}] {entry.text}\n"
                      f"      want {entry.expect}\n      got  {got}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=[*SETS, "all", "both"], default="all", dest="which",
                        help=f"which tables: {', '.join(SETS)}, or all (default; 'both' "
                        "is the same)")
    parser.add_argument("--missed", action="store_true", help="list positives not found")
    parser.add_argument("--heldout-details", action="store_true",
                        help="also list the held-out false positives (and misses with --missed)")
    parser.add_argument("--model", default=None, help="a spaCy model installed as a package")
    args = parser.parse_args()
    present = available_sets()
    for name, tables_dir in SETS.items():
        if args.which not in (name, "all", "both"):
            continue
        if name not in present:
            print(f"## {name}: no tables yet ({tables_dir.relative_to(ROOT)} does not exist), "
                  "skipped\n")
            continue
        report(name, tables_dir, args)


if __name__ == "__main__":
    main()
