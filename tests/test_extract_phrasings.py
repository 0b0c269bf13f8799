"""Extraction over the phrasing tables (bench/phrasings/*.yaml): no fact from a
negated, conditional, questioned, future, reported or quoted sentence, and a
recall floor per type.

The tables were written before the packs, from general language, and are not
tuned to them; the held-out tables (bench/phrasings/heldout/) were written before
issue #4's patterns and never used to write them, and bench/phrasings/heldout2/
before issue #11's; both get the same checks with their own floors.
`bench/extract_quality.py` prints the full precision/recall table, and every
development false positive. Scoring is in `bench/extract_tables.py`.
"""

from __future__ import annotations

import pytest

from bench.extract_tables import (
    CATEGORIES,
    FACT_TYPES,
    SETS,
    STRICT,
    Entry,
    available_sets,
    describe,
    load_entries,
    load_world,
    run,
    score,
    table_names,
)
from checker.model.entities import EntityIndex
from checker.model.facttypes import FactType

# Recall floors: (strict recall, recall by type only), measured 2026-11-26 (bench/README.md
# "Extraction") and set a little below. Strict recall counts a fact only with every role
# the table lists.
RECALL_FLOORS = {
    "contract": (0.8, 0.8),
    "account": (0.6, 0.6),
    "meeting": (0.85, 0.85),
    "use": (0.8, 0.8),
    "referral": (0.85, 0.85),
    "data_sharing": (0.75, 0.80),
    "payment": (0.8, 0.8),
    "affiliation": (0.7, 0.7),
}
# The held-out tables (bench/phrasings/heldout/README.md), measured after issue #4's
# patterns were written against the development tables only: a floor, never a target.
HELDOUT_RECALL_FLOORS = {
    "contract": (0.35, 0.35),
    "meeting": (0.5, 0.5),
    "use": (0.5, 0.5),
}
PRECISION_FLOOR = 0.9  # per type
# Held-out negatives that still give a fact, for want of a language.py change (not this
# module's to make): "Reportedly, X met with Y" (no "reportedly" among reported speech).
#: held-out sentences known to give a false fact, by table (none now: 'Reportedly,'
#: is read as reported speech since language.py learned it)
HELDOUT_KNOWN_FALSE: dict[str, str] = {}

# The second held-out set (bench/phrasings/heldout2/README.md, issue #11), measured
# 2026-12-04 with the packs as they were before issue #11's pattern work, rounded down:
# (precision, strict recall, recall by type only). A floor, never a target: the target
# is recall >= 0.75 at precision >= 0.95 per type, reached by general patterns written
# against the development tables, never by reading these sentences.
HELDOUT2_FLOORS = {
    "meeting": (0.80, 0.15, 0.45),
    "contract": (0.80, 0.00, 0.23),
    "account": (1.00, 0.16, 0.25),
    "use": (0.91, 0.20, 0.45),
    "referral": (0.91, 0.31, 0.63),
    "data_sharing": (1.00, 0.10, 0.15),
    "affiliation": (1.00, 0.26, 0.26),
    "payment": (0.87, 0.23, 0.38),
}
#: heldout2 negatives of the strict categories that the packs measured above already
#: turn into a fact of their table's type, by row ("table#n"): strict xfails, so that
#: the fix shows (XPASS fails) and the mark is then removed.
HELDOUT2_KNOWN_FALSE = {
    "meeting#30": "reported speech opened by 'Per <name>,' is read as the sender's own",
}


@pytest.fixture(scope="module")
def world() -> tuple[EntityIndex, dict[str, FactType]]:
    return load_world()


@pytest.fixture(scope="module")
def entries(world: tuple[EntityIndex, dict[str, FactType]]) -> list[Entry]:
    entities, types = world
    return run(load_entries(), entities, types)


@pytest.fixture(scope="module")
def heldout_world() -> tuple[EntityIndex, dict[str, FactType]]:
    return load_world(SETS["heldout"])


@pytest.fixture(scope="module")
def heldout_entries(heldout_world: tuple[EntityIndex, dict[str, FactType]]) -> list[Entry]:
    entities, types = heldout_world
    return run(load_entries(None, SETS["heldout"]), entities, types)


@pytest.fixture(scope="module")
def heldout2_world() -> tuple[EntityIndex, dict[str, FactType]]:
    return load_world(SETS["heldout2"])


@pytest.fixture(scope="module")
def heldout2_entries(heldout2_world: tuple[EntityIndex, dict[str, FactType]]) -> list[Entry]:
    entities, types = heldout2_world
    return run(load_entries(None, SETS["heldout2"]), entities, types)


@pytest.mark.parametrize("which", sorted(available_sets()))
def test_tables_are_complete_and_well_formed(which: str) -> None:
    """Development and held-out tables alike: 15 positives and 15 negatives per
    table, every negative category, known roles and entities of their own world."""
    entities, types = load_world(SETS[which])
    problems = []
    tables = table_names(SETS[which])
    if which in ("dev", "heldout2") and tables != FACT_TYPES:
        problems.append(f"{which} tables {tables}, want one per type {FACT_TYPES}")
    for table in tables:
        rows = load_entries((table,), SETS[which])
        pos = [e for e in rows if e.positive]
        neg = [e for e in rows if not e.positive]
        if len(pos) < 15 or len(neg) < 15:
            problems.append(f"{table}: {len(pos)} positives, {len(neg)} negatives (15 each)")
        missing = set(CATEGORIES) - {e.category for e in neg}
        if missing:
            problems.append(f"{table}: no negative of category {sorted(missing)}")
        for e in rows:
            where = f"{table}#{e.n}"
            if e.positive and e.category:
                problems.append(f"{where}: a positive has a category")
            if not e.positive and e.category not in CATEGORIES:
                problems.append(f"{where}: category {e.category!r}")
            if e.quoted and e.category != "quoted":
                problems.append(f"{where}: quoted: true goes with category quoted")
            if e.category == "quoted" and not (e.quoted or e.forwarded):
                problems.append(f"{where}: category quoted wants quoted: true "
                                "or a forwarded block in its text")
            for x in e.expect:
                ftype = types.get(x["fact"])
                if ftype is None:
                    problems.append(f"{where}: unknown type {x['fact']}")
                    continue
                for role, value in x.items():
                    kind = ftype.roles.get(role) if role != "fact" else "type"
                    if kind is None:
                        problems.append(f"{where}: {x['fact']} has no role {role}")
                    elif kind in ("entity", "entities"):
                        for v in value if isinstance(value, list) else [value]:
                            if v not in entities.by_id:
                                problems.append(f"{where}: unknown entity {v}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("table", FACT_TYPES)
def test_no_fact_from_negated_conditional_question_future_reported_or_quoted(
    entries: list[Entry],
    table: str,
) -> None:
    """A false fact is the worst bug: these sentences give no fact of their type."""
    wrong = _false_facts(entries, table)
    assert not wrong, "\n".join(wrong)


def _false_facts(entries: list[Entry], table: str) -> list[str]:
    """Facts of `table`'s type from its negated, conditional, ... sentences."""
    return [
        f"[{e.category}] {e.text!r} -> {describe(f)}"
        for e in entries
        if e.table == table and e.category in STRICT
        for f in e.facts
        if f.type == table
    ]


def test_every_type_the_packs_propose_has_a_recall_floor() -> None:
    """A new pattern pack is measured: without a floor here nothing would check
    its recall (and its precision)."""
    assert sorted(RECALL_FLOORS) == sorted(FACT_TYPES)


@pytest.mark.parametrize("fact_type", sorted(RECALL_FLOORS))
def test_precision_and_recall_floor(
    entries: list[Entry],
    world: tuple[EntityIndex, dict[str, FactType]],
    fact_type: str,
) -> None:
    entities, types = world
    s = score(entries, types, entities)[fact_type]
    strict, typed = RECALL_FLOORS[fact_type]
    false = "\n".join(f"{e.text!r} -> {describe(f)}" for e, f in s.false)
    assert s.precision is not None and s.precision >= PRECISION_FLOOR, false
    assert s.recall is not None and s.recall >= strict, f"{s.found}/{s.expected}"
    assert s.type_recall is not None and s.type_recall >= typed, f"{s.typed}/{s.expected}"


@pytest.mark.parametrize(
    "table",
    [
        pytest.param(t, marks=pytest.mark.xfail(strict=True, reason=HELDOUT_KNOWN_FALSE[t]))
        if t in HELDOUT_KNOWN_FALSE
        else t
        for t in table_names(SETS["heldout"])
    ],
)
def test_heldout_no_fact_from_negated_conditional_question_future_reported_or_quoted(
    heldout_entries: list[Entry],
    table: str,
) -> None:
    wrong = _false_facts(heldout_entries, table)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("fact_type", sorted(HELDOUT_RECALL_FLOORS))
def test_heldout_precision_and_recall_floor(
    heldout_entries: list[Entry],
    heldout_world: tuple[EntityIndex, dict[str, FactType]],
    fact_type: str,
) -> None:
    entities, types = heldout_world
    s = score(heldout_entries, types, entities)[fact_type]
    strict, typed = HELDOUT_RECALL_FLOORS[fact_type]
    assert s.precision is not None and s.precision >= PRECISION_FLOOR, f"{s.tp}/{s.tp + s.fp}"
    assert s.recall is not None and s.recall >= strict, f"{s.found}/{s.expected}"
    assert s.type_recall is not None and s.type_recall >= typed, f"{s.typed}/{s.expected}"


def _heldout2_strict_rows() -> list[object]:
    """Every heldout2 negative of the strict categories, one test param per row."""
    rows = [e for e in load_entries(None, SETS["heldout2"]) if e.category in STRICT]
    return [
        pytest.param(f"{e.table}#{e.n}", id=f"{e.table}#{e.n}-{e.category}",
                     marks=pytest.mark.xfail(strict=True,
                                             reason=HELDOUT2_KNOWN_FALSE[f"{e.table}#{e.n}"]))
        if f"{e.table}#{e.n}" in HELDOUT2_KNOWN_FALSE
        else pytest.param(f"{e.table}#{e.n}", id=f"{e.table}#{e.n}-{e.category}")
        for e in rows
    ]


@pytest.mark.parametrize("row", _heldout2_strict_rows())
def test_heldout2_no_fact_from_negated_conditional_question_future_reported_or_quoted(
    heldout2_entries: list[Entry],
    row: str,
) -> None:
    """Row by row, so that a known false fact (an xfail) hides no other row's."""
    table, n = row.split("#")
    entry = next(e for e in heldout2_entries if e.table == table and e.n == int(n))
    wrong = [describe(f) for f in entry.facts if f.type == table]
    assert not wrong, f"[{entry.category}] {entry.text!r} -> {wrong}"


def test_heldout2_floors_cover_every_type() -> None:
    assert sorted(HELDOUT2_FLOORS) == sorted(FACT_TYPES)


@pytest.mark.parametrize("fact_type", sorted(HELDOUT2_FLOORS))
def test_heldout2_precision_and_recall_floor(
    heldout2_entries: list[Entry],
    heldout2_world: tuple[EntityIndex, dict[str, FactType]],
    fact_type: str,
) -> None:
    """Today's heldout2 scores may not fall (counts only: the sentences stay unread)."""
    entities, types = heldout2_world
    s = score(heldout2_entries, types, entities)[fact_type]
    precision, strict, typed = HELDOUT2_FLOORS[fact_type]
    assert s.precision is not None and s.precision >= precision, f"{s.tp}/{s.tp + s.fp}"
    assert s.recall is not None and s.recall >= strict, f"{s.found}/{s.expected}"
    assert s.type_recall is not None and s.type_recall >= typed, f"{s.typed}/{s.expected}"


def test_extract_quality_prints_both_sets_and_hides_heldout_failures(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`bench/extract_quality.py` scores the development and held-out tables; held-out
    failures are listed only on request, so that nobody writing patterns reads them."""
    from bench import extract_quality

    monkeypatch.setattr("sys.argv", ["extract_quality.py"])
    extract_quality.main()
    out = capsys.readouterr().out
    sections = {part.split()[0].rstrip(":"): part for part in out.split("## ")[1:]}
    dev, heldout, heldout2 = sections["dev"], sections["heldout"], sections["heldout2"]
    assert out.startswith("## dev") and "| contract |" in dev and "| affiliation |" in dev
    assert "| contract |" in heldout and "| affiliation |" not in heldout
    assert "| affiliation |" in heldout2 and "| payment |" in heldout2
    assert "False positives" in dev
    for blind in (heldout, heldout2):
        assert "(listed with --heldout-details)" in blind and "False positives" not in blind


def test_extract_quality_scores_one_set_and_skips_a_set_not_written_yet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--set heldout2` prints that set's scores only; a set whose folder does not
    exist (dev2 until its tables land) is skipped with a line saying so."""
    from bench import extract_quality

    monkeypatch.setattr("sys.argv", ["extract_quality.py", "--set", "heldout2"])
    extract_quality.main()
    out = capsys.readouterr().out
    assert out.startswith("## heldout2") and "## dev" not in out and "False positives" not in out

    monkeypatch.setitem(SETS, "dev2", extract_quality.ROOT / "bench" / "phrasings" / "no-such")
    monkeypatch.setattr("sys.argv", ["extract_quality.py", "--set", "dev2"])
    extract_quality.main()
    assert "## dev2: no tables yet" in capsys.readouterr().out
    assert "dev2" not in available_sets()
