"""Matching under uncertainty (revision 2 of the case format), end to end.

Each row is a fact on record, a closed-world declaration or none, a claim and
the verdict the contract gives, with the words the reason and `missing` must
hold. The first rows are the overclaims the issue found: each gave
supported or contradicted where the records do not know.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.engine.match import role_degree
from checker.model.degree import Degree
from checker.model.entities import Entity, EntityIndex
from checker.model.facts import Fact
from checker.report.explain import render_explain

NOTES = "evidence/notes.txt"
LINES = [f"Note {n}." for n in range(1, 6)]


def closed(fact: str, reason: str = "The records officer certified all were produced.") -> str:
    return (
        "title: Test case\ntimezone: UTC\nclosed_world:\n"
        f"  - fact: {fact}\n    between: [acme, vendor]\n    reason: \"{reason}\"\n"
    )


OPEN = "title: Test case\ntimezone: UTC\n"
MEETING = {"fact": "meeting", "participants": ["ann", "val"]}
CONTRACT = {"fact": "contract", "parties": ["acme", "vendor"]}
USE = {"fact": "use", "tool": "vendor"}

# (id, facts, case.yaml, asserts, verdict, in the reason, in `missing`)
ROWS: list[tuple[str, list[dict[str, Any]], str, dict[str, Any], str, str, str]] = [
    ("month-dated-meeting-vs-none-in-late-march",
     [MEETING | {"date": "2020-03"}], closed("meeting"),
     {"none": MEETING | {"during": {"from": "2020-03-22", "to": "2020-03-31"}}},
     "unresolved",
     "is dated 2020-03, which may or may not fall in 2020-03-22 to 2020-03-31",
     "a day for the meeting of 2020-03 [f-1]"),
    ("month-dated-meeting-vs-some-in-first-week",
     [MEETING | {"date": "2020-03"}], OPEN,
     {"some": MEETING | {"during": {"from": "2020-03-01", "to": "2020-03-07"}}},
     "unresolved", "may or may not fall in 2020-03-01 to 2020-03-07",
     "a day for the meeting of 2020-03"),
    ("undated-contract-vs-closed-none-as-of",
     [CONTRACT | {"kind": "purchase"}], closed("contract"),
     {"none": CONTRACT | {"as_of": "2020-06-15"}},
     "unresolved", "has no date, so it may or may not fall on 2020-06-15",
     "a date for the contract [f-1]"),
    ("contract-with-only-an-end-month-vs-closed-none-as-of",
     [CONTRACT | {"to": "2020-03"}], closed("contract"),
     {"none": CONTRACT | {"as_of": "2020-01-15"}},
     "unresolved", "may or may not cover 2020-01-15", "began and ended [f-1]"),
    ("use-by-parent-vs-every-use-by-sub-unit",
     [USE | {"user": "acme", "date": "2020-02-03"}], closed("use"),
     {"every": USE, "must": {"user": "acme-legal"}},
     "unresolved",
     "names Acme Corporation as user, and Acme Legal Department is part of Acme Corporation",
     "which part of Acme Corporation was the user of the use [f-1]"),
    ("parent-entity-vs-none-for-the-sub-unit",
     [USE | {"user": "acme", "date": "2020-02-03"}], closed("use"),
     {"none": {"fact": "use", "user": "acme-legal", "tool": "vendor"}},
     "unresolved", "it may or may not have been Acme Legal Department", "which part of"),
    ("role-the-fact-does-not-give-vs-closed-none",
     [CONTRACT | {"from": "2020-01-01"}], closed("contract"),
     {"none": CONTRACT | {"kind": "nda"}},
     "unresolved", "does not say its kind, which the statement fixes to nda",
     "the kind of the contract [f-1]"),
    ("closed-scope-never-turns-possible-into-certain",
     [MEETING | {"date": "2020"}], closed("meeting"),
     {"some": MEETING | {"as_of": "2020-05-05"}},
     "unresolved", "declared complete for it, but that cannot settle", "a day for the meeting"),
    ("count-at-most-with-a-possible-extra",
     [MEETING | {"date": "2020-03-02"}, MEETING | {"date": "2020-03"}], closed("meeting"),
     {"count": MEETING | {"during": {"from": "2020-03-01", "to": "2020-03-15"}}, "at_most": 1},
     "unresolved", "1 distinct meeting fact match", "a day for the meeting of 2020-03 [f-2]"),
    ("count-at-least-with-a-possible-extra",
     [MEETING | {"date": "2020-03-02"}, MEETING | {"date": "2020-03"}], closed("meeting"),
     {"count": MEETING | {"during": {"from": "2020-03-01", "to": "2020-03-15"}}, "at_least": 2},
     "unresolved", "2 at least possibly", "a day for the meeting of 2020-03 [f-2]"),
    # What stays decided: a certain fact decides; no fact even possibly, closed, decides.
    ("day-dated-meeting-in-scope-contradicts-none",
     [MEETING | {"date": "2020-03-25"}], OPEN,
     {"none": MEETING | {"during": {"from": "2020-03-22", "to": "2020-03-31"}}},
     "contradicted", "", ""),
    ("month-dated-meeting-inside-scope-supports-some",
     [MEETING | {"date": "2020-03"}], OPEN,
     {"some": MEETING | {"during": {"from": "2020-02-15", "to": "2020-04-15"}}},
     "supported", "", ""),
    ("month-dated-meeting-outside-scope-closed-supports-none",
     [MEETING | {"date": "2020-03"}], closed("meeting"),
     {"none": MEETING | {"during": {"from": "2020-04-01", "to": "2020-04-30"}}},
     "supported", "declared complete", ""),
    ("different-literal-is-no-match",
     [CONTRACT | {"kind": "purchase", "from": "2020-01-01"}], closed("contract"),
     {"none": CONTRACT | {"kind": "nda"}},
     "supported", "declared complete", ""),
    ("possible-use-certainly-failing-must-is-not-a-contradiction",
     [USE | {"user": "acme", "purpose": "marketing", "date": "2020-02-03"}], closed("use"),
     {"every": USE | {"user": "acme-legal"}, "must": {"purpose": "research"}},
     "unresolved", "may or may not be one that meets 'purpose: research'", "which part of"),
    ("possible-use-certainly-meeting-must-does-not-unsettle-every",
     [USE | {"user": "ann", "purpose": "research", "date": "2020-02-03"},
      USE | {"user": "acme", "purpose": "research", "date": "2020-02-04"}], closed("use"),
     {"every": USE | {"user": "acme-legal"}, "must": {"purpose": "research"}},
     "supported", "declared complete", ""),
    ("only-possible-matches-leave-every-unresolved-even-closed",
     [USE | {"user": "acme", "purpose": "research", "date": "2020-02-04"}], closed("use"),
     {"every": USE | {"user": "acme-legal"}, "must": {"purpose": "research"}},
     "unresolved", "No use fact with tool: Vendor Ltd; user: Acme Legal Department is "
     "certainly on record", "which part of"),
    ("certain-use-failing-must-contradicts-every",
     [USE | {"user": "ann", "purpose": "marketing", "date": "2020-02-03"}], OPEN,
     {"every": USE | {"user": "acme-legal"}, "must": {"purpose": "research"}},
     "contradicted", "does not meet 'purpose: research'", ""),
    ("count-closed-fewer-even-with-possible-contradicts-at-least",
     [MEETING | {"date": "2020-03-02"}, MEETING | {"date": "2020-03"}], closed("meeting"),
     {"count": MEETING | {"during": {"from": "2020-03-01", "to": "2020-03-15"}}, "at_least": 3},
     "contradicted", "fewer than the at least 3", ""),
]


def run(make_case: Any, facts: list[dict[str, Any]], case: str, asserts: dict[str, Any]) -> Any:
    coded = [
        {"id": f"f-{n}", **f, "source": {"doc": NOTES, "quote": LINES[n - 1]}}
        for n, f in enumerate(facts, start=1)
    ]
    claims = [{"id": "c", "speaker": "acme", "quote": "Q.", "asserts": asserts}]
    root = make_case(claims=yaml.safe_dump(claims), facts=yaml.safe_dump(coded), case=case,
                     emails={}, files={NOTES: "\n".join(LINES) + "\n"})
    (result,) = Checker(load_case(root)).run().claims
    return result


@pytest.mark.parametrize(("facts", "case", "asserts", "verdict", "reason", "missing"),
                         [pytest.param(*row[1:], id=row[0]) for row in ROWS])
def test_engine_uncertainty_revision_2_table(make_case, facts, case, asserts, verdict, reason,
                                             missing):
    result = run(make_case, facts, case, asserts)
    assert result.verdict == verdict, result.reason
    assert reason in result.reason
    if verdict == "unresolved":
        assert result.citations == []
        assert missing and missing in (result.missing or ""), result.missing
    else:
        assert result.citations


def test_engine_uncertainty_possible_facts_are_in_the_proof(make_case):
    result = run(make_case, [MEETING | {"date": "2020-03"}], OPEN,
                 {"none": MEETING | {"during": {"from": "2020-03-22", "to": "2020-03-31"}}})
    (node,) = result.derivation["possible"]
    assert node["fact"] == "f-1" and node["source"]["quote"] == "Note 1."
    assert node["doubts"] == ["the meeting [f-1] is dated 2020-03, which may or may not fall "
                              "in 2020-03-22 to 2020-03-31"]
    text = render_explain(result)
    assert "Facts that match only possibly" in text
    assert ("Uncertain: the meeting [f-1] is dated 2020-03, which may or may not fall in "
            "2020-03-22 to 2020-03-31.") in text


PARENT = EntityIndex([Entity(id="acme", name="Acme", kind="organization"),
                      Entity(id="legal", name="Legal", kind="organization", part_of="acme"),
                      Entity(id="other", name="Other", kind="organization")])


@pytest.mark.parametrize(("have", "wanted", "expected"), [
    pytest.param("legal", "acme", Degree.CERTAIN, id="sub-unit-matches-its-parent"),
    pytest.param("acme", "legal", Degree.POSSIBLE, id="parent-possibly-matches-sub-unit"),
    pytest.param("other", "legal", Degree.NO, id="unrelated-does-not-match"),
    pytest.param(("other", "acme"), "legal", Degree.POSSIBLE, id="best-of-several-values"),
    pytest.param(("legal",), ("legal", "other"), Degree.NO, id="each-listed-entity-needed"),
    pytest.param(None, "legal", Degree.POSSIBLE, id="role-not-given-is-possible"),
])
def test_engine_uncertainty_entity_degrees(have, wanted, expected):
    assert role_degree("entities", have, wanted, PARENT) is expected


def test_engine_uncertainty_rule_on_possible_premise_derives_possible_fact(make_case):
    rules = """\
- id: nda-is-contact
  when: [{fact: contract, parties: $p, kind: nda}]
  derive: {fact: contact, parties: $p, via: nda}
  explain: "An NDA between {p} is contact between them."
"""
    facts = [{"id": "f-1", **CONTRACT, "from": "2020-01-01",
              "source": {"doc": NOTES, "quote": "Note 1."}}]
    claims = [{"id": "c", "speaker": "acme", "quote": "Q.",
               "asserts": {"none": {"fact": "contact", "parties": ["acme", "vendor"],
                                    "via": "nda"}}}]
    case = closed("contact")
    root = make_case(claims=yaml.safe_dump(claims), facts=yaml.safe_dump(facts), case=case,
                     emails={}, files={NOTES: "Note 1.\n", "rules/nda.yaml": rules})
    checker = Checker(load_case(root))
    derived = [f for f in checker.facts if f.rule == "nda-is-contact"]
    assert len(derived) == 1 and isinstance(derived[0], Fact) and derived[0].doubts
    (result,) = checker.run().claims
    assert result.verdict == "unresolved", result.reason
    assert "does not say its kind, which the statement fixes to nda" in result.reason


USE_EMAIL = """\
From: Ann Lee <ann@acme.example.com>
To: Val Ortiz <val@vendor.example.org>
Date: Tue, 03 Mar 2020 10:00:00 +0000
Subject: Trial
Message-ID: <m1@acme.example.com>

Ann Lee used Vendor Ltd to process 212 applications in March.
Ann
"""


def test_engine_uncertainty_suggested_fact_that_unsettles_a_verdict_says_so(make_case):
    """One suggested use without `purpose` turns an analyst-supported `every ... must
    {purpose: research}` into unresolved: the reason and `missing` say so."""
    facts = [USE | {"id": "f-use", "user": "ann", "date": "2020-02", "purpose": "research",
                    "source": {"doc": NOTES, "quote": "Note 1."}}]
    claims = [{"id": "c", "speaker": "acme", "quote": "Q.",
               "asserts": {"every": USE | {"user": "acme"}, "must": {"purpose": "research"}}}]
    case = closed("use") + "extraction:\n  threshold: 0.6\n"
    root = make_case(claims=yaml.safe_dump(claims), facts=yaml.safe_dump(facts), case=case,
                     emails={"m1.eml": USE_EMAIL}, files={NOTES: "Note 1.\n"})
    loaded = load_case(root)
    suggested = [f for f in loaded.facts if f.status == "suggested" and f.type == "use"]
    assert len(suggested) == 1 and "purpose" not in suggested[0].roles, loaded.facts
    (result,) = Checker(loaded).run().claims
    sid = suggested[0].id
    assert result.verdict == "unresolved"
    assert (f"On confirmed facts alone it would be supported; an unreviewed "
            f"machine-suggested fact leaves it unresolved: {sid}.") in result.reason
    assert result.missing and f"a review of {sid} (checker review)" in result.missing
    assert result.suggested is True
