"""Membership: member_of/part_of chains, several-valued roles, lists in patterns.

A nurse is member_of cardiology, part_of a hospital, part_of a health system;
an officer is member_of a field office, part_of ICE, part_of DHS.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.errors import CaseInvalid
from checker.model.entities import Entity, EntityIndex
from checker.model.verdicts import ClaimResult

NOTES = "evidence/notes.txt"

ENTITIES = """
- {id: system, name: Northwind Health System, kind: organization, aliases: [Northwind]}
- {id: hospital, name: Northwind General Hospital, kind: organization, part_of: system}
- {id: other-hospital, name: Northwind East Hospital, kind: organization, part_of: system}
- {id: cardiology, name: Cardiology Department, kind: organization, part_of: hospital}
- {id: nurse, name: Nora Quinn, kind: person, member_of: cardiology}
- {id: broker, name: Databroker Inc, kind: organization}
- {id: broker-rep, name: Bo Rep, kind: person, member_of: broker}
- {id: dhs, name: Department of Homeland Security, kind: agency}
- {id: ice, name: Immigration and Customs Enforcement, kind: agency, part_of: dhs}
- {id: ero, name: ERO Field Office, kind: agency, part_of: ice}
- {id: officer, name: Olly Officer, kind: person, member_of: ero}
- {id: acme, name: Acme, kind: organization}
"""

SHARE = {"id": "f-share", "fact": "data_sharing", "from": "nurse", "to": ["broker"],
         "data": "patient list", "date": "2021-05-04"}
MEETING = {"id": "f-meet", "fact": "meeting", "participants": ["nurse", "broker-rep", "officer"],
           "topic": "records", "date": "2021-06-01"}
REFERRAL = {"id": "f-refer", "fact": "referral", "by": "officer", "to": ["broker"],
            "subject": "nurse", "date": "2021-07-01"}


def note(fid: str) -> str:
    return f"Analyst note on {fid}."


def run(make_case: Any, claims: dict[str, dict[str, Any]], facts: list[dict[str, Any]] = (
        SHARE, MEETING, REFERRAL)) -> dict[str, ClaimResult]:
    """Verdicts of claims {id: asserts} over `facts` (each sourced to notes.txt)."""
    sourced = [{**f, "source": {"doc": NOTES, "quote": note(f["id"])}} for f in facts]
    body = [{"id": cid, "speaker": "system", "quote": "Q.", "asserts": a}
            for cid, a in claims.items()]
    root: Path = make_case(claims=yaml.safe_dump(body), facts=yaml.safe_dump(sourced),
                           entities=ENTITIES, emails={},
                           files={NOTES: "\n".join(note(f["id"]) for f in facts) + "\n"})
    return {c.id: c for c in Checker(load_case(root)).run().claims}


def verdict_of(make_case: Any, asserts: dict[str, Any]) -> ClaimResult:
    return run(make_case, {"c": asserts})["c"]


@pytest.mark.parametrize(("sender", "verdict"), [
    ("system", "supported"), ("Northwind", "supported"), ("hospital", "supported"),
    ("cardiology", "supported"), ("nurse", "supported"), ("other-hospital", "unresolved"),
    ("broker", "unresolved")])
def test_membership_act_of_a_member_is_an_act_of_every_container(make_case, sender, verdict):
    result = verdict_of(make_case, {"some": {"fact": "data_sharing", "from": sender,
                                             "to": "broker"}})
    assert result.verdict == verdict, result.reason
    assert [c.fact for c in result.citations] == (["f-share"] if verdict == "supported" else [])


def test_membership_does_not_reach_down_from_the_container(make_case):
    by_system = {**SHARE, "id": "f-sys", "from": "system"}
    result = run(make_case, {"c": {"some": {"fact": "data_sharing", "from": "nurse"}}},
                 [by_system])["c"]
    assert result.verdict == "unresolved"


def test_membership_none_naming_the_system_is_contradicted_by_the_nurse(make_case):
    result = verdict_of(make_case, {"none": {"fact": "data_sharing", "from": "system",
                                             "to": "broker"}})
    assert result.verdict == "contradicted"
    assert "[f-share]" in result.reason


def test_membership_derivation_names_every_step(make_case):
    result = verdict_of(make_case, {"some": {"fact": "data_sharing", "from": "system",
                                             "to": "broker"}})
    (node,) = result.derivation["facts"]
    assert node["fact"] == "f-share"
    for step in ("Cardiology Department", "Northwind General Hospital"):
        assert step in result.reason  # the reason says why the nurse's act counts
    assert node["membership"] == ["nurse member_of cardiology", "cardiology part_of hospital",
                                  "hospital part_of system"]


def test_membership_direct_match_has_no_membership_steps(make_case):
    result = verdict_of(make_case, {"some": {"fact": "data_sharing", "from": "nurse",
                                             "to": "broker"}})
    assert "membership" not in result.derivation["facts"][0]


@pytest.mark.parametrize(("participants", "verdict"), [
    ("system", "supported"), ("broker", "supported"), ("dhs", "supported"),
    ("acme", "unresolved"), (["system", "broker"], "supported"),
    (["system", "broker", "dhs"], "supported"), (["system", "acme"], "unresolved"),
    (["other-hospital", "broker"], "unresolved")])
def test_membership_several_valued_role_and_pattern_lists(make_case, participants, verdict):
    result = verdict_of(make_case, {"some": {"fact": "meeting", "participants": participants}})
    assert result.verdict == verdict, result.reason
    assert bool(result.citations) is (verdict == "supported")


def test_membership_direct_value_among_several_needs_no_steps(make_case):
    meeting = {**MEETING, "participants": ["nurse", "system"]}
    result = run(make_case, {"c": {"some": {"fact": "meeting", "participants": "system"}}},
                 [meeting])["c"]
    assert result.verdict == "supported"
    assert "membership" not in result.derivation["facts"][0]


def test_membership_list_steps_name_each_matched_entity(make_case):
    result = verdict_of(make_case, {"some": {"fact": "meeting",
                                             "participants": ["hospital", "broker", "dhs"]}})
    steps = result.derivation["facts"][0]["membership"]
    assert steps == ["nurse member_of cardiology", "cardiology part_of hospital",
                     "broker-rep member_of broker", "officer member_of ero",
                     "ero part_of ice", "ice part_of dhs"]


@pytest.mark.parametrize(("by", "verdict"), [
    ("dhs", "contradicted"), ("ice", "contradicted"), ("ero", "contradicted"),
    ("officer", "contradicted"), ("system", "unresolved")])
def test_membership_agency_sub_units_count_as_the_agency(make_case, by, verdict):
    result = verdict_of(make_case, {"none": {"fact": "referral", "by": by, "to": "broker"}})
    assert result.verdict == verdict, result.reason
    if verdict == "contradicted":
        assert result.citations[0].fact == "f-refer"


def test_membership_agency_chain_in_derivation(make_case):
    result = verdict_of(make_case, {"some": {"fact": "referral", "by": "dhs",
                                             "subject": "system"}})
    assert result.verdict == "supported"
    assert result.derivation["facts"][0]["membership"] == [
        "officer member_of ero", "ero part_of ice", "ice part_of dhs",
        "nurse member_of cardiology", "cardiology part_of hospital", "hospital part_of system"]


def test_membership_cycle_is_a_validation_error(make_case):
    cyclic = ENTITIES + "- {id: a, name: A, kind: organization, part_of: b}\n" \
                        "- {id: b, name: B, kind: organization, member_of: a}\n"
    with pytest.raises(CaseInvalid, match="membership cycle: a -> b -> a"):
        load_case(make_case(entities=cyclic))


# -- EntityIndex --------------------------------------------------------------------

def index() -> EntityIndex:
    raw = yaml.safe_load(ENTITIES) + [
        {"id": "dual", "name": "Dual Person", "kind": "person", "member_of": ["broker", "ero"]}]
    return EntityIndex([Entity(**e) for e in raw])


@pytest.mark.parametrize(("eid", "container", "expected"), [
    ("nurse", "nurse", True), ("nurse", "cardiology", True), ("nurse", "system", True),
    ("cardiology", "system", True), ("system", "nurse", False),
    ("nurse", "other-hospital", False), ("hospital", "other-hospital", False),
    ("officer", "dhs", True), ("ice", "ero", False), ("dual", "broker", True),
    ("dual", "dhs", True), ("unknown", "system", False), ("unknown", "unknown", True)])
def test_membership_within(eid, container, expected):
    assert index().within(eid, container) is expected


def test_membership_ancestors_nearest_first():
    ix = index()
    assert ix.ancestors("nurse") == ("cardiology", "hospital", "system")
    assert ix.ancestors("dual") == ("broker", "ero", "ice", "dhs")
    assert ix.ancestors("system") == ()
    assert ix.ancestors("nobody") == ()


def test_membership_chain_gives_the_steps():
    ix = index()
    assert ix.chain("nurse", "hospital") == [("nurse", "member_of", "cardiology"),
                                             ("cardiology", "part_of", "hospital")]
    assert ix.chain("dual", "dhs") == [("dual", "member_of", "ero"), ("ero", "part_of", "ice"),
                                       ("ice", "part_of", "dhs")]
    assert ix.chain("nurse", "nurse") == []
    assert ix.chain("nurse", "broker") == []


def test_membership_cycles_are_found():
    ix = EntityIndex([Entity(id="a", name="A", kind="agency", part_of=["b"]),
                      Entity(id="b", name="B", kind="agency", part_of=["c"]),
                      Entity(id="c", name="C", kind="agency", part_of=["a"]),
                      Entity(id="d", name="D", kind="agency", part_of=["a"])])
    assert [sorted(c) for c in ix.cycles()] == [["a", "b", "c"]]
    assert set(ix.ancestors("d")) == {"a", "b", "c"}
