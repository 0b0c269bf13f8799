"""More rows of the revision-2 table (certain and possible matches), end to end:
`every` with an unknown `must`, `count` with possible extras on either side,
day-dated facts against month scopes, one-ended intervals; and the reason
wording for facts that lasted."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from checker.case.load import load_case
from checker.check.checker import Checker

NOTES = "evidence/notes.txt"
LINES = [f"Note {n}." for n in range(1, 8)]
OPEN = "title: T\ntimezone: UTC\n"


def closed(fact: str) -> str:
    return (OPEN + "closed_world:\n"
            f"  - fact: {fact}\n    between: [acme, vendor]\n    reason: \"All produced.\"\n")


M = {"fact": "meeting", "participants": ["ann", "val"]}
MP = {"fact": "meeting", "participants": ["acme", "vendor"]}
USE = {"fact": "use", "tool": "vendor"}
C = {"fact": "contract", "parties": ["acme", "vendor"]}


def run(make_case: Any, facts: list[dict[str, Any]], case: str, asserts: dict[str, Any]) -> Any:
    coded = [{"id": f"f-{n}", **f, "source": {"doc": NOTES, "quote": LINES[n - 1]}}
             for n, f in enumerate(facts, start=1)]
    claims = [{"id": "c", "speaker": "acme", "quote": "Q.", "asserts": asserts}]
    root = make_case(claims=yaml.safe_dump(claims), facts=yaml.safe_dump(coded), case=case,
                     emails={}, files={NOTES: "\n".join(LINES) + "\n"})
    loaded = load_case(root)
    try:
        (r,) = Checker(loaded).run().claims
    finally:
        loaded.close()
    return r


ROWS = [
    # every: a CERTAIN match whose `must` is unknown (role missing, confirmed fact) -> unresolved
    ("every-certain-match-with-unknown-must",
     [M | {"date": "2020-03-02", "topic": "kickoff"}, M | {"date": "2020-03-02"}],
     closed("meeting"),
     {"every": MP, "must": {"topic": "kickoff"}}, "unresolved", "the topic of the meeting [f-2]"),
    # every: C non-empty, a POSSIBLE match whose must is unknown -> unresolved
    ("every-possible-match-with-unknown-must",
     [USE | {"user": "ann", "purpose": "research", "date": "2020-02-03"},
      USE | {"user": "acme", "date": "2020-02-04"}], closed("use"),
     {"every": USE | {"user": "acme-legal"}, "must": {"purpose": "research"}}, "unresolved",
     "which part of Acme Corporation"),
    # count at_most: closed, C=0, P=1 <= 1 -> supported
    ("at-most-supported-with-only-possible-matches",
     [M | {"date": "2020-03"}], closed("meeting"),
     {"count": MP | {"during": {"from": "2020-03-20", "to": "2020-03-31"}}, "at_most": 1},
     "supported", None),
    # count at_most: C=2 > 1 with an extra possible -> contradicted
    ("at-most-contradicted-with-extra-possible",
     [M | {"date": "2020-03-02"}, M | {"date": "2020-03-03"}, M | {"date": "2020-03"}], OPEN,
     {"count": MP | {"during": {"from": "2020-03-01", "to": "2020-03-10"}}, "at_most": 1},
     "contradicted", None),
    # count at_least: C=2 >= 2 with an extra possible, open -> supported
    ("at-least-supported-with-extra-possible",
     [M | {"date": "2020-03-02"}, M | {"date": "2020-03-03"}, M | {"date": "2020"}], OPEN,
     {"count": MP | {"during": {"from": "2020-03-01", "to": "2020-03-10"}}, "at_least": 2},
     "supported", None),
    # issue bullet "both ways": a DAY-dated event against a MONTH scope
    ("day-dated-event-inside-month-scope-contradicts-none",
     [USE | {"user": "ann", "date": "2020-03-25"}], OPEN,
     {"none": USE | {"user": "acme", "during": {"from": "2020-03", "to": "2020-03"}}},
     "contradicted", None),
    # year-dated event vs a month scope, closed -> unresolved
    ("year-dated-event-vs-month-scope-closed-none",
     [M | {"date": "2019"}], closed("meeting"),
     {"none": MP | {"during": {"from": "2019-06", "to": "2019-06"}}}, "unresolved",
     "a day for the meeting of 2019"),
    # contract with only `from` (still in force), as_of inside the from-month -> unresolved
    ("from-only-contract-as-of-inside-start-month",
     [C | {"from": "2021-03"}], closed("contract"),
     {"none": C | {"as_of": "2021-03-10"}}, "unresolved", "[f-1]"),
    # contract with only `to`, as_of after the end month, closed -> supported
    ("to-only-contract-as-of-after-end-supports-none",
     [C | {"to": "2020-03"}], closed("contract"),
     {"none": C | {"as_of": "2020-04-15"}}, "supported", None),
    # undated contract with closed `some ... as_of` must not be contradicted
    ("undated-contract-vs-closed-some-as-of",
     [C | {"kind": "purchase"}], closed("contract"),
     {"some": C | {"as_of": "2020-06-15"}}, "unresolved", "a date for the contract [f-1]"),
]


@pytest.mark.parametrize(("facts", "case", "asserts", "verdict", "missing"),
                         [pytest.param(*r[1:], id=r[0]) for r in ROWS])
def test_engine_uncertainty_rows_give_the_tables_verdict(
    make_case: Any, facts: Any, case: str, asserts: Any, verdict: str, missing: str | None
) -> None:
    r = run(make_case, facts, case, asserts)
    assert r.verdict == verdict, r.reason
    if missing:
        assert missing in (r.missing or ""), r.missing


@pytest.mark.parametrize(
    ("fact", "as_of", "said"),
    [
        pytest.param({"to": "2020-03"}, "2010-01-15",
                     "ran from an unknown start to 2020-03, which may or may not cover 2010-01-15",
                     id="only-an-end"),
        pytest.param({"from": "2021-03"}, "2021-03-10",
                     "ran from 2021-03, with no end on record, which may or may not cover "
                     "2021-03-10", id="only-a-start"),
    ],
)
def test_engine_uncertainty_rows_one_ended_interval_says_which_end_is_unknown(
    make_case: Any, fact: dict[str, str], as_of: str, said: str
) -> None:
    r = run(make_case, [C | fact], closed("contract"), {"none": C | {"as_of": as_of}})
    assert r.verdict == "unresolved"
    assert said in r.reason, r.reason


def test_engine_uncertainty_rows_interval_before_a_day_reads_right(make_case: Any) -> None:
    r = run(make_case, [C | {"from": "2020-03", "to": "2020-06"}], closed("contract"),
            {"some": C | {"before": "2020-06-15"}})
    assert r.verdict == "unresolved"
    assert "ran from 2020-03 to 2020-06, which may or may not have run before 2020-06-15" \
        in r.reason, r.reason
