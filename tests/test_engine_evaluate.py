"""Each proposition form and each of its three outcomes, end to end through `Checker`.

Facts are analyst facts, each sourced to its own line of evidence/notes.txt;
cases have no emails unless a test says so, so no header facts interfere.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.engine.evaluate import CONTRADICTED, SUPPORTED, UNRESOLVED, Outcome
from checker.errors import CaseInvalid
from checker.model.verdicts import ClaimResult

NOTES = "evidence/notes.txt"
CONTRACTS_CLOSED = "All contracts between Acme and Vendor were produced (letter of 2021-05-02)."
MEETINGS_CLOSED = "The calendars of Acme and Vendor were produced in full."


def note(fid: str) -> str:
    return f"Analyst note on {fid}."


def fact(fid: str, type_: str, **roles: Any) -> dict[str, Any]:
    return {"id": fid, "fact": type_, **roles}


def build(make_case: Any, asserts: dict[str, Any] | list[tuple[str, dict[str, Any]]],
          facts: list[dict[str, Any]] = (), closed: list[dict[str, Any]] = ()) -> Path:
    """A case with one claim (or several: a list of (id, asserts)), facts and closed_world."""
    items = asserts if isinstance(asserts, list) else [("c", asserts)]
    claims = [{"id": cid, "speaker": "acme", "quote": f"Statement {cid}.", "asserts": a}
              for cid, a in items]
    sourced = [{**f, "source": {"doc": NOTES, "quote": note(f["id"])}} for f in facts]
    meta = {"title": "Evaluate", "timezone": "UTC", **({"closed_world": list(closed)} if closed
                                                        else {})}
    return make_case(claims=yaml.safe_dump(claims, sort_keys=False),
                     facts=yaml.safe_dump(sourced, sort_keys=False) if sourced else "",
                     case=yaml.safe_dump(meta, sort_keys=False, width=1000), emails={},
                     files={NOTES: "\n".join(note(f["id"]) for f in facts) + "\nEnd of notes.\n"})


def verdicts(path: Path) -> dict[str, ClaimResult]:
    return {c.id: c for c in Checker(load_case(path)).run().claims}


def only(path: Path) -> ClaimResult:
    (result,) = verdicts(path).values()
    return result


def cited(result: ClaimResult) -> set[str]:
    return {c.fact for c in result.citations}


CONTRACTS = {"fact": "contract", "between": ["acme", "vendor"], "reason": CONTRACTS_CLOSED}
MEETINGS = {"fact": "meeting", "between": ["acme", "vendor"], "reason": MEETINGS_CLOSED}
SHARE = fact("f-share", "data_sharing", **{"from": "ann", "to": ["vendor"], "data": "rosters",
                                           "date": "2020-03-03"})
TRIAL = fact("f-trial", "contract", parties=["acme", "vendor"], kind="trial",
             **{"from": "2020-03", "to": "2020-06"})
PURCHASE = fact("f-purchase", "contract", parties=["acme-legal", "val"], kind="purchase",
                **{"from": "2020-07-01"})
M1 = fact("f-m1", "meeting", participants=["ann", "val"], topic="kickoff", date="2020-01-10")
M2 = fact("f-m2", "meeting", participants=["ann", "val"], topic="review", date="2020-02-10")
M2_AGAIN = fact("f-m2-recap", "meeting", participants=["val", "ann"], topic="review",
                date="2020-02-10")
DATA = {"fact": "data_sharing", "from": "acme", "to": "vendor"}
CONTRACT = {"fact": "contract", "parties": ["acme", "vendor"]}
MEETING = {"fact": "meeting", "participants": ["acme", "vendor"]}
DATA_CLOSED = {"fact": "data_sharing", "between": ["acme", "vendor"],
               "reason": "Every data transfer log was produced."}

# (form, asserts, facts, closed, verdict, what decides it: a fact id, "closed_world", or None)
TABLE = [
    ("none", {"none": DATA}, [SHARE], [], CONTRADICTED, {"f-share"}),
    ("none", {"none": DATA}, [], [DATA_CLOSED], SUPPORTED, {"closed_world"}),
    ("none", {"none": DATA}, [], [], UNRESOLVED, set()),
    ("some", {"some": DATA}, [SHARE], [], SUPPORTED, {"f-share"}),
    ("some", {"some": DATA}, [], [DATA_CLOSED], CONTRADICTED, {"closed_world"}),
    ("some", {"some": DATA}, [], [], UNRESOLVED, set()),
    ("every", {"every": CONTRACT, "must": {"kind": "trial"}}, [TRIAL, PURCHASE], [],
     CONTRADICTED, {"f-purchase"}),
    ("every", {"every": CONTRACT, "must": {"kind": "trial"}}, [TRIAL], [CONTRACTS], SUPPORTED,
     {"f-trial", "closed_world"}),
    ("every", {"every": CONTRACT, "must": {"kind": "trial"}}, [TRIAL], [], UNRESOLVED, set()),
    ("at_most", {"count": MEETING, "at_most": 1}, [M1, M2], [], CONTRADICTED, {"f-m1", "f-m2"}),
    ("at_most", {"count": MEETING, "at_most": 2}, [M1, M2], [MEETINGS], SUPPORTED,
     {"f-m1", "f-m2", "closed_world"}),
    ("at_most", {"count": MEETING, "at_most": 2}, [M1, M2], [], UNRESOLVED, set()),
    ("at_least", {"count": MEETING, "at_least": 2}, [M1, M2], [], SUPPORTED, {"f-m1", "f-m2"}),
    ("at_least", {"count": MEETING, "at_least": 3}, [M1, M2], [MEETINGS], CONTRADICTED,
     {"f-m1", "f-m2", "closed_world"}),
    ("at_least", {"count": MEETING, "at_least": 3}, [M1, M2], [], UNRESOLVED, set()),
]


@pytest.mark.parametrize(("form", "asserts", "facts", "closed", "verdict", "deciders"), TABLE,
                         ids=[f"{row[0]}-{row[4]}" for row in TABLE])
def test_evaluate_form_gives_each_outcome(make_case, form, asserts, facts, closed, verdict,
                                          deciders) -> None:
    result = only(build(make_case, asserts, facts, closed))
    assert result.verdict == verdict, result.reason
    assert cited(result) == deciders
    if verdict != UNRESOLVED:
        assert result.citations
    for fid in deciders - {"closed_world"}:
        assert f"[{fid}]" in result.reason or fid in str(result.derivation["facts"])
    if "closed_world" in deciders:
        reason = closed[0]["reason"]
        assert reason in result.reason
        assert result.derivation["closed_world"]["reason"] == reason
    if verdict == UNRESOLVED:
        assert result.missing and "closed_world" in result.missing


def test_evaluate_none_is_contradicted_by_any_match(make_case) -> None:
    result = only(build(make_case, {"none": DATA}, [SHARE], [DATA_CLOSED]))
    assert result.verdict == CONTRADICTED
    assert "[f-share]" in result.reason
    assert [f["fact"] for f in result.derivation["facts"]] == ["f-share"]


def test_evaluate_open_absence_proves_nothing(make_case) -> None:
    result = only(build(make_case, {"none": DATA}))
    assert result.verdict == UNRESOLVED
    assert "its absence proves nothing" in result.reason
    assert result.citations == []


def test_evaluate_every_without_match_is_unresolved_even_when_closed(make_case) -> None:
    result = only(build(make_case, {"every": CONTRACT, "must": {"kind": "trial"}}, [],
                        [CONTRACTS]))
    assert result.verdict == UNRESOLVED
    assert "nothing to hold to" in result.reason
    assert result.citations == []


def test_evaluate_every_cites_only_the_failing_facts(make_case) -> None:
    other = fact("f-pilot", "contract", parties=["acme", "vendor"], kind="pilot",
                 **{"from": "2021"})
    result = only(build(make_case, {"every": CONTRACT, "must": {"kind": "trial"}},
                        [TRIAL, PURCHASE, other], [CONTRACTS]))
    assert result.verdict == CONTRADICTED
    assert cited(result) == {"f-purchase", "f-pilot"}
    assert "(2 such facts)" in result.reason


@pytest.mark.parametrize(("bound", "verdict"), [
    ({"at_most": 1}, SUPPORTED), ({"at_least": 2}, CONTRADICTED), ({"at_least": 1}, SUPPORTED)])
def test_evaluate_count_counts_distinct_facts_once(make_case, bound, verdict) -> None:
    # f-m2 and f-m2-recap have one type, the same role values (in another order) and time.
    result = only(build(make_case, {"count": MEETING, **bound}, [M2, M2_AGAIN], [MEETINGS]))
    assert result.verdict == verdict, result.reason
    assert result.reason.startswith("1 distinct meeting fact match")
    assert len(result.derivation["facts"]) == 1


def test_evaluate_count_facts_differing_in_time_count_twice(make_case) -> None:
    later = {**M2_AGAIN, "date": "2020-02-11"}
    result = only(build(make_case, {"count": MEETING, "at_most": 1}, [M2, later]))
    assert result.verdict == CONTRADICTED
    assert result.reason.startswith("2 distinct meeting fact")


def test_evaluate_count_text_differing_only_in_case_counts_once(make_case) -> None:
    recap = {**M2_AGAIN, "topic": "  Review "}
    result = only(build(make_case, {"count": MEETING, "at_most": 1}, [M2, recap]))
    assert result.verdict != CONTRADICTED, result.reason


def test_evaluate_count_at_most_zero_closed_rests_on_closure_alone(make_case) -> None:
    result = only(build(make_case, {"count": MEETING, "at_most": 0}, [], [MEETINGS]))
    assert result.verdict == SUPPORTED
    assert cited(result) == {"closed_world"}


@pytest.mark.parametrize(("bounds", "closed", "verdict"), [
    ({"at_least": 1, "at_most": 2}, True, SUPPORTED), ({"at_least": 1, "at_most": 2}, False,
                                                       UNRESOLVED),
    ({"at_least": 3, "at_most": 5}, True, CONTRADICTED), ({"at_least": 0, "at_most": 1}, False,
                                                          CONTRADICTED)])
def test_evaluate_count_with_both_bounds(make_case, bounds, closed, verdict) -> None:
    result = only(build(make_case, {"count": MEETING, **bounds}, [M1, M2],
                        [MEETINGS] if closed else []))
    assert result.verdict == verdict, result.reason
    assert ("closed_world" in cited(result)) is (closed and verdict != UNRESOLVED)


# Parts: S is supported (a meeting is found), C contradicted (no contract, contracts
# closed), U unresolved (no payment, payments open).
PART = {
    "S": {"some": MEETING},
    "C": {"some": {**CONTRACT, "kind": "trial"}},
    "C2": {"some": {**CONTRACT, "kind": "purchase"}},
    "U": {"some": {"fact": "payment", "payer": "acme"}},
}
KLEENE = [
    ("all_of", ["S", "S"], SUPPORTED), ("all_of", ["S", "C"], CONTRADICTED),
    ("all_of", ["S", "U"], UNRESOLVED), ("all_of", ["U", "C"], CONTRADICTED),
    ("all_of", ["U", "U"], UNRESOLVED),
    ("any_of", ["C", "S"], SUPPORTED), ("any_of", ["C", "C2"], CONTRADICTED),
    ("any_of", ["C", "U"], UNRESOLVED), ("any_of", ["U", "S"], SUPPORTED),
    ("not", ["S"], CONTRADICTED), ("not", ["C"], SUPPORTED), ("not", ["U"], UNRESOLVED),
]


@pytest.mark.parametrize(("form", "parts", "verdict"), KLEENE,
                         ids=[f"{f}-{'+'.join(p)}" for f, p, _ in KLEENE])
def test_evaluate_combinations_follow_kleene_logic(make_case, form, parts, verdict) -> None:
    body = PART[parts[0]] if form == "not" else [PART[p] for p in parts]
    result = only(build(make_case, {form: body}, [M1], [CONTRACTS]))
    assert result.verdict == verdict, result.reason
    assert [p["verdict"] for p in result.derivation["parts"]] == [
        {"S": SUPPORTED, "C": CONTRADICTED, "C2": CONTRADICTED, "U": UNRESOLVED}[p] for p in parts]
    if verdict == UNRESOLVED:
        assert result.citations == []
        assert "unresolved" in result.reason
    else:
        assert result.citations
    # Only the parts that decide the verdict are cited (for `not`, the negated part).
    deciding = {p for p in parts if form == "not" or
                {"S": SUPPORTED, "U": UNRESOLVED}.get(p, CONTRADICTED) == verdict}
    want = ({"f-m1"} if "S" in deciding else set()) | (
        {"closed_world"} if deciding & {"C", "C2"} else set())
    assert cited(result) == (want if verdict != UNRESOLVED else set())


def test_evaluate_all_of_contradicted_cites_the_contradicting_part_only(make_case) -> None:
    result = only(build(make_case, {"all_of": [PART["S"], PART["C"]]}, [M1], [CONTRACTS]))
    assert result.reason.startswith("One part contradicted: ")
    assert cited(result) == {"closed_world"}


def test_evaluate_not_flips_and_cites_the_negated_part(make_case) -> None:
    result = only(build(make_case, {"not": {"none": DATA}}, [SHARE]))
    assert result.verdict == SUPPORTED
    assert result.reason.startswith("The negated proposition is contradicted: ")
    assert cited(result) == {"f-share"}


def test_evaluate_verdict_needs_a_citation_or_stays_unresolved(make_case) -> None:
    # YAML un-escapes '' to ', so the reason as loaded is not a passage of case.yaml's text:
    # the closure cannot be cited. Today the verdict falls back to unresolved; rejecting the
    # entry at load time, or citing the raw scalar, would also keep the guarantee.
    case = ("title: Escaped\nclosed_world:\n  - fact: data_sharing\n    between: [acme, vendor]\n"
            "    reason: 'The clerk''s letter lists every transfer.'\n")
    claims = [("c", {"none": DATA})]
    try:
        result = only(make_case(claims=yaml.safe_dump([
            {"id": c, "speaker": "acme", "quote": "Q.", "asserts": a} for c, a in claims]),
            case=case, emails={}))
    except CaseInvalid as err:
        assert "reason" in str(err)
        return
    if result.verdict == UNRESOLVED:
        assert result.reason.startswith("The verdict would rest on no citable passage")
        assert result.citations == []
    else:
        assert result.citations and result.citations[0].doc == "case.yaml"


@pytest.mark.parametrize("verdict", [SUPPORTED, CONTRADICTED])
def test_evaluate_finalise_refuses_an_uncited_verdict(verdict) -> None:
    out = Checker.finalise(Outcome("some", verdict, "Said so."))
    assert out.verdict == UNRESOLVED
    assert out.children[0].verdict == verdict
    assert out.missing == "a fact with a source quote"


def test_evaluate_every_decided_verdict_carries_citations(make_case) -> None:
    claims = [(f"{form}-{n}", asserts) for n, (form, asserts, *_rest) in enumerate(TABLE)]
    claims += [(f"k-{n}", {f: PART[p[0]] if f == "not" else [PART[x] for x in p]})
               for n, (f, p, _) in enumerate(KLEENE)]
    results = verdicts(build(make_case, claims, [SHARE, TRIAL, M1, M2], [CONTRACTS]))
    assert {r.verdict for r in results.values()} == {SUPPORTED, CONTRADICTED, UNRESOLVED}
    for r in results.values():
        assert (r.verdict == UNRESOLVED) or r.citations, r.id
