"""Closed world: which case.yaml entries close which claim patterns, and how it is cited.

No facts here (no emails either), so `none` is supported exactly when its
pattern is closed and unresolved otherwise; `some` is then contradicted.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.engine.closure import find_closure
from checker.model.patterns import Pattern, Scope
from checker.model.timespan import parse_date
from checker.model.verdicts import ClaimResult

CONTRACTS = "Records officer certified all contracts were produced (letter of 2021-05-02)."
SHARING = "The transfer logs of Acme and Vendor for 2019 and 2020 are complete."


def case_yaml(*entries: str) -> str:
    return "title: Closure\ntimezone: UTC\nclosed_world:\n" + "".join(entries)


def entry(fact: str, reason: str, **roles: Any) -> str:
    lines = [f"  - fact: {fact}\n"] + [f"    {k}: {json.dumps(v)}\n" for k, v in roles.items()]
    return "".join(lines) + f'    reason: "{reason}"\n'


def run(make_case: Any, case: str, claims: dict[str, dict[str, Any]], facts: str = "",
        files: dict[str, str] | None = None, name: str = "case") -> dict[str, ClaimResult]:
    body = [{"id": c, "speaker": "acme", "quote": "Q.", "asserts": a} for c, a in claims.items()]
    root: Path = make_case(claims=yaml.safe_dump(body), case=case, emails={}, facts=facts,
                           files=files or {}, name=name)
    return {c.id: c for c in Checker(load_case(root)).run().claims}


def none_verdict(make_case: Any, case: str, pattern: dict[str, Any], name: str = "case") -> str:
    return run(make_case, case, {"c": {"none": pattern}}, name=name)["c"].verdict


BETWEEN = entry("contract", CONTRACTS, between=["acme", "vendor"])
CLOSES = [
    ({"fact": "contract", "parties": ["acme", "vendor"]}, True),
    ({"fact": "contract", "parties": ["vendor", "acme"]}, True),
    ({"fact": "contract", "parties": ["acme-legal", "val"]}, True),  # members and sub-units
    ({"fact": "contract", "parties": ["ann", "vendor"]}, True),
    ({"fact": "contract", "parties": ["Acme", "the vendor"], "kind": "trial"}, True),  # aliases
    ({"fact": "contract", "parties": ["acme", "vendor", "regulator"]}, True),  # fixes more
    ({"fact": "contract", "parties": ["acme", "vendor"], "as_of": "2020-01-01"}, True),
    ({"fact": "contract", "parties": ["acme"]}, False),  # only one of the two
    ({"fact": "contract", "parties": ["acme", "regulator"]}, False),
    ({"fact": "contract"}, False),
    ({"fact": "payment", "payer": "acme", "payee": "vendor"}, False),  # another type
    ({"fact": "relationship", "parties": ["acme", "vendor"]}, False),
]


@pytest.mark.parametrize(("pattern", "closed"), CLOSES, ids=[str(p) for p, _ in CLOSES])
def test_closure_between_entry_closes_same_type_and_members(make_case, pattern, closed):
    verdict = none_verdict(make_case, case_yaml(BETWEEN), pattern)
    assert verdict == ("supported" if closed else "unresolved")


def test_closure_does_not_close_a_broader_entity(make_case):
    case = case_yaml(entry("contract", CONTRACTS, between=["acme-legal", "vendor"]))
    assert none_verdict(make_case, case, {"fact": "contract", "parties": ["acme", "vendor"]}) \
        == "unresolved"
    assert none_verdict(make_case, case, {"fact": "contract", "parties": ["ann", "vendor"]},
                        name="narrow") \
        == "supported"


@pytest.mark.parametrize(("pattern", "closed"), [
    ({"fact": "data_sharing", "from": "acme", "to": "vendor"}, True),
    ({"fact": "data_sharing", "from": "vendor", "to": "acme"}, True),
    ({"fact": "data_sharing", "from": "val", "to": ["regulator", "acme-legal"]}, True),
    ({"fact": "data_sharing", "from": "acme", "to": "regulator"}, False),
    ({"fact": "data_sharing", "from": "acme"}, False)])
def test_closure_between_takes_part_in_any_roles(make_case, pattern, closed):
    case = case_yaml(entry("data_sharing", SHARING, between=["acme", "vendor"]))
    assert none_verdict(make_case, case, pattern) == ("supported" if closed else "unresolved")


@pytest.mark.parametrize(("pattern", "closed"), [
    ({"fact": "data_sharing", "from": "acme"}, True),
    ({"fact": "data_sharing", "from": "ann", "to": "regulator"}, True),
    ({"fact": "data_sharing", "to": "acme"}, False),  # same entity, other role
    ({"fact": "data_sharing", "from": "vendor", "to": "acme"}, False),
    ({"fact": "data_sharing", "to": "vendor"}, False)])
def test_closure_role_values_must_be_fixed_in_the_same_role(make_case, pattern, closed):
    case = case_yaml(entry("data_sharing", SHARING, **{"from": "acme"}))
    assert none_verdict(make_case, case, pattern) == ("supported" if closed else "unresolved")


@pytest.mark.parametrize(("kind", "closed"), [("purchase", True), ("trial", False), (None, False)])
def test_closure_literal_in_entry_must_be_fixed_alike(make_case, kind, closed):
    case = case_yaml(entry("contract", CONTRACTS, between=["acme", "vendor"], kind="purchase"))
    pattern = {"fact": "contract", "parties": ["acme", "vendor"]} | ({"kind": kind} if kind else {})
    assert none_verdict(make_case, case, pattern) == ("supported" if closed else "unresolved")


@pytest.mark.parametrize(("scope", "closed"), [
    ({"as_of": "2019-06-15"}, True), ({"during": {"from": "2019-03", "to": "2020-12"}}, True),
    ({"as_of": "2021-01-01"}, False), ({"during": {"from": "2018", "to": "2019"}}, False),
    ({"before": "2020"}, False), ({}, False)])
def test_closure_scoped_entry_closes_only_patterns_scoped_inside(make_case, scope, closed):
    case = case_yaml(entry("data_sharing", SHARING, between=["acme", "vendor"],
                           during={"from": "2019", "to": "2020"}))
    pattern = {"fact": "data_sharing", "from": "acme", "to": "vendor", **scope}
    assert none_verdict(make_case, case, pattern) == ("supported" if closed else "unresolved")


def assert_cites_reason(root_text: str, result: ClaimResult, reason: str) -> None:
    (c,) = [c for c in result.citations if c.fact == "closed_world"]
    assert (c.doc, c.quote, c.status) == ("case.yaml", reason, "confirmed")
    assert root_text[c.start:c.end] == reason
    assert reason in result.reason
    assert result.derivation["closed_world"]["reason"] == reason


@pytest.mark.parametrize(("form", "verdict"), [("none", "supported"), ("some", "contradicted")])
def test_closure_verdict_cites_the_reason_in_case_yaml(make_case, form, verdict):
    case = case_yaml(entry("payment", "Ledger produced.", payer="acme"), BETWEEN)
    result = run(make_case, case, {"c": {form: {"fact": "contract",
                                                "parties": ["acme", "vendor"]}}})["c"]
    assert result.verdict == verdict
    assert_cites_reason(case, result, CONTRACTS)
    line = case.splitlines().index("  - fact: contract") + 1
    assert result.derivation["closed_world"]["entry"] == f"case.yaml:{line}"


def test_closure_count_and_every_verdicts_cite_the_reason(make_case):
    facts = """\
- id: f-trial
  fact: contract
  parties: [acme, vendor]
  kind: trial
  from: 2020-03
  source: {doc: evidence/notes.txt, quote: "Trial signed."}
"""
    case = case_yaml(BETWEEN)
    got = run(make_case, case, {
        "most": {"count": {"fact": "contract", "parties": "acme"}, "at_most": 1},
        "least": {"count": {"fact": "contract", "parties": ["acme", "vendor"]}, "at_least": 2},
        "every": {"every": {"fact": "contract", "parties": ["acme", "vendor"]},
                  "must": {"kind": "trial"}},
    }, facts, {"evidence/notes.txt": "Trial signed.\n"})
    assert got["most"].verdict == "unresolved"  # the pattern does not name Vendor: not closed
    for cid, verdict in (("least", "contradicted"), ("every", "supported")):
        assert got[cid].verdict == verdict
        assert {c.fact for c in got[cid].citations} == {"f-trial", "closed_world"}
        assert_cites_reason(case, got[cid], CONTRACTS)


def test_closure_reason_written_over_several_lines_is_still_located(make_case):
    case = ("closed_world:\n  - fact: contract\n    between: [acme, vendor]\n"
            "    reason: Records officer certified all contracts\n      were produced.\n")
    result = run(make_case, case, {"c": {"none": {"fact": "contract",
                                                  "parties": ["acme", "vendor"]}}})["c"]
    assert result.verdict == "supported"
    (c,) = result.citations
    assert c.quote == "Records officer certified all contracts\n      were produced."
    assert case[c.start:c.end] == c.quote


def test_closure_find_closure_picks_the_first_closing_entry(make_case):
    root = make_case(case=case_yaml(entry("payment", "Ledger.", payer="acme"), BETWEEN,
                                    entry("contract", "Second.", between=["acme", "vendor"])))
    case = load_case(root)
    ctype = case.types["contract"]
    pattern = Pattern("contract", {"parties": ("ann", "val")},
                      Scope("as_of", parse_date("2020"), parse_date("2020")))
    found = find_closure(case.closed_world, pattern, ctype, case.entities)
    assert found is not None and found.reason == CONTRACTS
    assert found.between == ("acme", "vendor")
    assert find_closure(case.closed_world, Pattern("contract", {"parties": ("ann",)}), ctype,
                        case.entities) is None


def test_closure_reason_with_yaml_escape_is_cited_from_its_raw_text(make_case: Any) -> None:
    case = ("title: Closure\ntimezone: UTC\nclosed_world:\n  - fact: contract\n"
            "    between: [acme, vendor]\n    reason: 'The clerk''s letter certifies it.'\n")
    got = run(make_case, case, {"c": {"none": {"fact": "contract", "parties": ["acme", "vendor"]}}})
    (cit,) = got["c"].citations
    assert got["c"].verdict == "supported"
    assert cit.fact == "closed_world" and cit.quote == "'The clerk''s letter certifies it.'"
    assert case[cit.start : cit.end] == cit.quote
