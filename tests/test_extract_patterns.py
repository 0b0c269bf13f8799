"""The built-in pattern packs on single sentences (issue #4: wider packs, no false facts).

Each sentence is one email in the development tables' world
(`bench/phrasings/entities.yaml`), from Nora Blake (Brookhaven) to Iris Chen
(Lumenfield) on 15 June 2022, unless the case says otherwise. The phrasing
tables measure recall; these pin the false facts found while widening the
packs, each of which a pattern now refuses.
"""

from __future__ import annotations

from datetime import date

import pytest

from bench.extract_tables import Entry, describe, load_world, run
from checker.model.entities import EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType

SENDER = "nblake@bha.example.org"
TO = ["ichen@lumenfield.example.com"]


@pytest.fixture(scope="module")
def world() -> tuple[EntityIndex, dict[str, FactType]]:
    return load_world()


def _facts(world: tuple[EntityIndex, dict[str, FactType]], text: str,
           to: list[str] = TO) -> list[Fact]:
    entities, types = world
    (entry,) = run([Entry("probe", 0, text, SENDER, to, date(2022, 6, 15), [])], entities, types)
    return entry.facts


@pytest.mark.parametrize(
    "text",
    [
        "I requested a meeting with Ken Adair.",
        "Looking forward to our meeting next Tuesday.",
        "See you at our meeting on Friday.",
        "Please bring the files to our meeting on 20 June.",
        "Ken Adair asked to meet with Gus Varga.",
        "Gus Varga agreed to meet with Ken Adair.",
        "Ken Adair is meeting with Gus Varga tomorrow.",
        "Thanks for scheduling the meeting with Ken Adair.",
        "Thanks for the invitation to the call.",
        "Gus Varga and Ken Adair had to cancel.",
        "Ken Adair met Gus Varga's deadline.",
        "Ferncastle and the Fraud Unit met this deadline.",
        "Gus Varga and Ken Adair met in the middle on price.",
        "Paul Mbeki visited the Ferncastle website.",
        "Ferncastle hosted Brookhaven's data.",
    ],
)
def test_meeting_pack_no_fact_for_a_meeting_asked_for_to_come_or_another_sense(
    world: tuple[EntityIndex, dict[str, FactType]], text: str
) -> None:
    got = [describe(f) for f in _facts(world, text) if f.type == "meeting"]
    assert not got, got


@pytest.mark.parametrize(
    "text",
    [
        "An agreement signed with Ferncastle would be binding.",
        "Any contract signed with Ferncastle needs board approval.",
        "Our draft agreement with Ferncastle starts in May.",
        "Thank you for sending the unsigned agreement.",
        "Brookhaven and Ferncastle signed off on the plan.",
        "We signed the visitor log at the Ferncastle office.",
        "The house is under contract.",
        # the bare verb: found by the held-out table (language.py has no "declined to")
        "Brookhaven declined to sign Ferncastle's NDA.",
        "We refused to sign the Ferncastle contract.",
        "Ferncastle asked us to sign the NDA.",
        "We agreed to enter into an agreement with Ferncastle.",
    ],
)
def test_contract_pack_no_fact_for_a_hypothetical_draft_or_another_sense(
    world: tuple[EntityIndex, dict[str, FactType]], text: str
) -> None:
    got = [describe(f) for f in _facts(world, text) if f.type == "contract"]
    assert not got, got


def test_contract_pack_party_named_inside_the_trigger_before_the_recipient(
    world: tuple[EntityIndex, dict[str, FactType]],
) -> None:
    """'we signed ferncastle's NDA' written to Lumenfield: the party is Ferncastle, not
    the organisation written to (the recipients are the fallback when nobody is named)."""
    facts = _facts(world, "we signed ferncastle's NDA yesterday")
    (fact,) = [f for f in facts if f.type == "contract"]
    assert set(fact.roles["parties"]) == {"brookhaven", "ferncastle"}


@pytest.mark.parametrize(
    "text",
    [
        "Ken Adair decided to use the Ferncastle portal.",
        "Please use Atlas for all new cases.",
        "Ferncastle used Lumenfield's logo without asking.",
        "Ken Adair used Atlas's export feature.",
        "Ken Adair signed on to the Ferncastle letter.",
        "The Fraud Unit relies on Brookhaven for referrals.",
        "Used Atlas licences are for sale.",
        "We checked the invoice against Lumenfield's quote.",
        "Ken Adair ran into Iris Chen at the station.",
        "The Fraud Unit used Ferncastle as a reference.",
    ],
)
def test_use_pack_no_fact_for_an_instruction_a_plan_or_another_sense(
    world: tuple[EntityIndex, dict[str, FactType]], text: str
) -> None:
    got = [describe(f) for f in _facts(world, text) if f.type == "use"]
    assert not got, got


@pytest.mark.parametrize(
    ("fact_type", "text"),
    [
        ("account", "Once your account is live, log in."),
        ("account", "Your account has been suspended."),
        ("account", "Your Ferncastle account is not active."),
        ("account", "Your account request has been received."),
        ("affiliation", "Ken Adair is a threat to Ferncastle."),
        ("affiliation", "Omar Price was a party to the Ferncastle deal."),
        ("affiliation", "Omar Price is not a Ferncastle employee."),
        ("affiliation", "Is Omar Price a Ferncastle employee?"),
    ],
)
def test_account_and_affiliation_packs_no_fact_for_these(
    world: tuple[EntityIndex, dict[str, FactType]], fact_type: str, text: str
) -> None:
    got = [describe(f) for f in _facts(world, text) if f.type == fact_type]
    assert not got, got


@pytest.mark.parametrize(
    "text",
    ["Before we met with Ferncastle, Ken Adair prepared notes.",
     "After Ken Adair left, we met with Ferncastle."],
)
def test_roles_mentions_stay_on_the_trigger_side_of_an_opening_clause(
    world: tuple[EntityIndex, dict[str, FactType]], text: str
) -> None:
    """Ken Adair, named across the comma of an opening 'Before/After ...,' clause,
    was not at the meeting."""
    (fact,) = [f for f in _facts(world, text) if f.type == "meeting"]
    assert set(fact.roles["participants"]) == {"brookhaven", "ferncastle"}


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Ken Adair met with Iris Chen on 20 June.", "2021-06-20"),  # after 15 June: last year
        ("Ken Adair met with Iris Chen on 10 June.", "2022-06-10"),
        ("Ken Adair met with Iris Chen on 20 June 2022.", "2022-06-20"),  # the year as written
        ("Confirming our meeting on 20 June.", "2022-06-20"),  # still to come: no past trigger
    ],
)
def test_roles_date_without_a_year_is_not_after_the_message_for_a_past_trigger(
    world: tuple[EntityIndex, dict[str, FactType]], text: str, want: str
) -> None:
    (fact,) = [f for f in _facts(world, text) if f.type == "meeting"]
    assert str(fact.roles["date"]) == want
