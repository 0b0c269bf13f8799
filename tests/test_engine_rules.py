"""Rules: the built-in derivations, case rules and types, chaining, and provenance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.case.load import Case, load_case
from checker.check.checker import Checker
from checker.engine.rules import Engine
from checker.errors import CaseInvalid
from checker.model.verdicts import ClaimResult
from tests.conftest import DEFAULT_ENTITIES

NOTES = "evidence/notes.txt"
ENTITIES = DEFAULT_ENTITIES + """
- {id: facecheck, name: FaceCheck, kind: product, part_of: vendor}
"""
INSPECTION_TYPE = """
- type: inspection
  roles: {by: entity, of: entity, site: text, date: date}
  describe: "{by} inspected {of} at {site} on {date}"
- type: finding
  roles: {by: entity, about: entity, date: date}
- type: dealing
  roles: {parties: entities}
"""
INSPECTION_RULE = """
- id: inspection-is-contact
  when:
    - {fact: inspection, by: $by, of: $of, date: $date}
  derive: {fact: contact, parties: [$by, $of], via: inspection, date: $date}
  explain: "An inspection of {of} by {by} is contact between them."
"""
INSPECTION = {"id": "f-inspect", "fact": "inspection", "by": "regulator", "of": "val",
              "site": "Vendor yard", "date": "2019-01-17"}


def note(fid: str) -> str:
    return f"Analyst note on {fid}."


def build(make_case: Any, claims: dict[str, dict[str, Any]], facts: list[dict[str, Any]] = (),
          rules: dict[str, str] | None = None, types: str | None = None,
          with_email: bool = False) -> Path:
    sourced = [{**f, "source": {"doc": NOTES, "quote": note(f["id"])}} for f in facts]
    body = [{"id": c, "speaker": "acme", "quote": "Q.", "asserts": a} for c, a in claims.items()]
    files = {NOTES: "\n".join(note(f["id"]) for f in facts) + "\n", **(rules or {})}
    if types:
        files["types.yaml"] = types
    return make_case(claims=yaml.safe_dump(body), facts=yaml.safe_dump(sourced) if facts else "",
                     entities=ENTITIES, files=files, emails=None if with_email else {})


def run(path: Path) -> tuple[Case, dict[str, ClaimResult]]:
    case = load_case(path)
    return case, {c.id: c for c in Checker(case).run().claims}


BUILT_IN = [
    ({"fact": "contract", "parties": ["acme", "vendor"], "kind": "purchase", "from": "2020-01",
      "to": "2020-12"}, {"fact": "relationship", "parties": ["acme", "vendor"], "kind": "formal"},
     "contract-is-formal-relationship",
     "A contract between Acme Corporation and Vendor Ltd is a formal relationship between them."),
    ({"fact": "account", "holder": "ann", "provider": "vendor", "kind": "trial login",
      "created": "2019-05"}, {"fact": "relationship", "parties": ["acme", "vendor"],
                              "kind": "informal", "during": {"from": "2019-05", "to": "2019-05"}},
     "account-is-informal-relationship",
     "An account that Vendor Ltd gave Ann Lee is an informal relationship between them."),
    ({"fact": "use", "user": "ann", "tool": "facecheck", "date": "2019-06-01"},
     {"fact": "relationship", "parties": ["acme-legal", "vendor"], "kind": "informal"},
     "use-is-informal-relationship", "Ann Lee using FaceCheck is an informal relationship "
     "between them."),
    ({"fact": "use", "user": "ann", "provider": "vendor", "date": "2019-06-01"},
     {"fact": "relationship", "parties": ["ann", "vendor"], "kind": "informal"},
     "use-of-provider-is-informal-relationship",
     "Ann Lee using a tool of Vendor Ltd is an informal relationship between them."),
    ({"fact": "referral", "by": "ann", "to": ["regulator"], "subject": "val", "date": "2019-07"},
     {"fact": "contact", "parties": ["acme", "regulator"], "via": "referral"},
     "referral-is-contact", "A referral by Ann Lee to Regulator Agency is contact between them."),
    ({"fact": "meeting", "participants": ["ann", "val"], "topic": "demo", "date": "2019-08-02"},
     {"fact": "contact", "parties": ["acme", "vendor"], "via": "meeting", "during": {
         "from": "2019-08", "to": "2019-09"}},
     "meeting-is-contact", "A meeting of Ann Lee and Val Ortiz is contact between them."),
]


@pytest.mark.parametrize(("fact", "pattern", "rule", "explanation"), BUILT_IN,
                         ids=[r[2] for r in BUILT_IN])
def test_rules_built_in_rule_derives_with_provenance(make_case, fact, pattern, rule, explanation):
    _, got = run(build(make_case, {"c": {"some": pattern}}, [{"id": "f-base", **fact}]))
    result = got["c"]
    assert result.verdict == "supported", result.reason
    (node,) = result.derivation["facts"]
    assert (node["rule"], node["explanation"], node["origin"]) == (rule, explanation, "rule")
    (premise,) = node["premises"]
    assert premise["fact"] == "f-base"
    assert premise["source"]["quote"] == note("f-base")
    assert [c.fact for c in result.citations] == ["f-base"]


def test_rules_communication_header_derives_contact(make_case):
    pattern = {"fact": "contact", "via": "communication", "parties": ["acme", "vendor"]}
    _, got = run(build(make_case, {"c": {"some": pattern}}, with_email=True))
    node = got["c"].derivation["facts"][0]
    assert node["rule"] == "communication-is-contact"
    assert node["explanation"] == "A message from Ann Lee to Val Ortiz is contact between them."
    assert node["premises"][0]["fact"] == "header:evidence/m1.eml"
    assert node["premises"][0]["source"]["quote"] == (
        "From: Ann Lee <ann@acme.example.com>\nTo: Val Ortiz <val@vendor.example.org>")
    assert got["c"].citations[0].doc == "evidence/m1.eml"


def test_rules_informal_use_is_not_a_formal_relationship(make_case):
    use = {"id": "f-use", "fact": "use", "user": "ann", "tool": "facecheck", "date": "2019-06-01"}
    _, got = run(build(make_case, {"c": {"some": {"fact": "relationship", "kind": "formal",
                                                  "parties": ["acme", "vendor"]}}}, [use]))
    assert got["c"].verdict == "unresolved"


@pytest.mark.parametrize(("as_of", "verdict"), [("2030-01-01", "supported"),
                                                 ("2019-12-31", "unresolved")])
def test_rules_contract_without_end_derives_an_open_relationship(make_case, as_of, verdict):
    contract = {"id": "f-c", "fact": "contract", "parties": ["acme", "vendor"], "kind": "license",
                "from": "2020"}
    case, got = run(build(make_case, {"c": {"some": {
        "fact": "relationship", "parties": ["acme", "vendor"], "as_of": as_of}}}, [contract]))
    assert got["c"].verdict == verdict
    (derived,) = [f for f in Checker(case).facts if f.rule == "contract-is-formal-relationship"]
    assert "to" not in derived.roles and derived.interval.end is None


def test_rules_case_rule_and_case_type_derive_a_fact_a_claim_uses(make_case):
    claims = {"no-contact": {"none": {"fact": "contact", "parties": ["regulator", "vendor"],
                                      "before": "2019-02"}},
              "inspected": {"some": {"fact": "inspection", "by": "regulator", "of": "vendor"}}}
    _, got = run(build(make_case, claims, [INSPECTION], {"rules/inspection.yaml": INSPECTION_RULE},
                       INSPECTION_TYPE))
    assert got["inspected"].verdict == "supported"
    result = got["no-contact"]
    assert result.verdict == "contradicted"
    node = result.derivation["facts"][0]
    assert node["rule"] == "inspection-is-contact"
    assert node["explanation"] == ("An inspection of Val Ortiz by Regulator Agency is contact "
                                   "between them.")
    assert node["membership"] == ["val member_of vendor"]
    assert node["premises"][0]["says"] == ("Regulator Agency inspected Val Ortiz at Vendor yard "
                                           "on 2019-01-17 [f-inspect]")
    assert [c.fact for c in result.citations] == ["f-inspect"]


CHAIN_RULES = {
    # Loaded in file order: the contact rule (a) runs before the finding it needs (b) exists.
    "rules/a-contact.yaml": """
- id: finding-is-contact
  when: [{fact: finding, by: $by, about: $about, date: $date}]
  derive: {fact: contact, parties: [$by, $about], via: finding, date: $date}
  explain: "A finding by {by} about {about} is contact between them."
- id: formal-relationship-is-dealing
  when: [{fact: relationship, parties: $p, kind: formal}]
  derive: {fact: dealing, parties: $p}
  explain: "A formal relationship between {p} is a dealing."
""",
    "rules/b-finding.yaml": """
- id: inspection-is-finding
  when: [{fact: inspection, by: $by, of: $of, date: $date}]
  derive: {fact: finding, by: $by, about: $of, date: $date}
  explain: "{by} inspecting {of} is a finding about {of}."
""",
}


def leaves(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node] if "premises" not in node else [x for p in node["premises"] for x in leaves(p)]


def test_rules_chain_to_a_fixpoint_through_case_rules(make_case):
    case, got = run(build(make_case, {"c": {"some": {"fact": "contact", "via": "finding",
                                                     "parties": "vendor"}}},
                          [INSPECTION], CHAIN_RULES, INSPECTION_TYPE))
    node = got["c"].derivation["facts"][0]
    assert node["rule"] == "finding-is-contact"
    assert node["premises"][0]["rule"] == "inspection-is-finding"
    assert node["premises"][0]["explanation"] == ("Regulator Agency inspecting Val Ortiz is a "
                                                  "finding about Val Ortiz.")
    (leaf,) = leaves(node)
    assert leaf["fact"] == "f-inspect" and leaf["origin"] == "analyst"
    text = case.documents[leaf["source"]["doc"]].text
    assert text[leaf["source"]["start"]:leaf["source"]["end"]] == leaf["source"]["quote"]


def test_rules_case_rule_chains_on_a_built_in_derivation(make_case):
    contract = {"id": "f-c", "fact": "contract", "parties": ["acme", "vendor"], "kind": "mou",
                "from": "2020-01", "to": "2020-02"}
    _, got = run(build(make_case, {"c": {"some": {"fact": "dealing", "parties": ["ann", "val"]}},
                                   "d": {"some": {"fact": "dealing", "parties": "acme"}}},
                       [contract], CHAIN_RULES, INSPECTION_TYPE))
    assert got["c"].verdict == "unresolved"  # the dealing is between Acme and Vendor, not members
    node = got["d"].derivation["facts"][0]
    assert [node["rule"], node["premises"][0]["rule"]] == [
        "formal-relationship-is-dealing", "contract-is-formal-relationship"]
    assert [leaf["fact"] for leaf in leaves(node)] == ["f-c"]
    assert [c.fact for c in got["d"].citations] == ["f-c"]


JOIN_RULE = """
- id: affiliate-at-meeting
  when:
    - {fact: affiliation, person: $p, organization: $o}
    - {fact: meeting, participants: $p, date: $d}
  derive: {fact: contact, parties: [$o, $p], via: affiliate meeting, date: $d}
  explain: "{p}, affiliated with {o}, met on {d}."
"""


def test_rules_variables_join_patterns_and_keep_every_premise(make_case):
    facts = [{"id": "f-aff", "fact": "affiliation", "person": "val", "organization": "regulator"},
             {"id": "f-m1", "fact": "meeting", "participants": ["ann", "val"], "date": "2019-03"},
             {"id": "f-m2", "fact": "meeting", "participants": ["ann"], "date": "2019-04"}]
    case, got = run(build(make_case, {"c": {"count": {"fact": "contact", "via":
                                                      "affiliate meeting"}, "at_least": 1}},
                          facts, {"rules/join.yaml": JOIN_RULE}))
    (derived,) = [f for f in Checker(case).facts if f.rule == "affiliate-at-meeting"]
    assert [p.id for p in derived.premises] == ["f-aff", "f-m1"]
    assert derived.roles["parties"] == ("regulator", "val")
    assert derived.explanation == "Val Ortiz, affiliated with Regulator Agency, met on 2019-03."
    assert got["c"].verdict == "supported"
    assert [c.fact for c in got["c"].citations] == ["f-aff", "f-m1"]


PAIR_RULE = """
- id: contract-pair
  when: [{fact: contract, parties: [acme, $other]}]
  derive: {fact: dealing, parties: [$other]}
  explain: "Acme dealt with {other}."
"""


def test_rules_variable_inside_a_when_list_is_not_silently_ignored(make_case):
    contract = {"id": "f-c", "fact": "contract", "parties": ["acme", "vendor"], "kind": "trial"}
    try:
        _, got = run(build(make_case, {"c": {"some": {"fact": "dealing", "parties": "vendor"}}},
                           [contract], {"rules/pair.yaml": PAIR_RULE}, INSPECTION_TYPE))
    except CaseInvalid:  # rejecting the rule with a message is as good as running it
        return
    assert got["c"].verdict == "supported", got["c"].reason


def test_rules_same_derived_fact_is_derived_once(make_case):
    meeting = {"fact": "meeting", "participants": ["ann", "val"], "date": "2019-03-01"}
    case = load_case(build(make_case, {"c": {"some": {"fact": "meeting"}}},
                           [{"id": "f-m1", **meeting}, {"id": "f-m2", **meeting}]))
    facts = Engine(case.rules, case.types, case.entities).run(case.facts)
    contacts = [f for f in facts if f.rule == "meeting-is-contact"]
    assert [f.id for f in contacts] == ["meeting-is-contact(f-m1)"]
    assert facts[: len(case.facts)] == case.facts


def test_rules_unbound_variable_in_derive_is_a_validation_error(make_case):
    bad = """
- id: bad
  when: [{fact: meeting, participants: $p}]
  derive: {fact: contact, parties: $q}
  explain: "x"
"""
    with pytest.raises(CaseInvalid, match=r"rule 'bad': derive uses \$q, which no 'when'"):
        load_case(build(make_case, {"c": {"some": {"fact": "meeting"}}}, [],
                        {"rules/bad.yaml": bad}))
