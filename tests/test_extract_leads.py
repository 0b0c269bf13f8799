"""Leads: a sentence that may state a fact no pattern read keeps an absence unshown.

A closed scope says the production is complete, not that extraction read all
of it. These tests pin what a lead may and may not do: it turns a verdict that
would rest on absence into unresolved (naming the sentence), it never settles
a verdict, it matches only claims whose entities its sentence or headers name,
and it holds nothing where an analyst codes the type or a reviewer rejects it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.case.load import Case, load_case
from checker.check.checker import Checker
from checker.engine.evaluate import Outcome
from checker.extract.leads import LEAD
from tests.conftest import CaseBuilder

CLOSED = """\
title: Test case
timezone: UTC
closed_world:
  - fact: referral
    between: [acme, vendor]
    reason: "The agency certified every recommendation was produced."
"""

NONE_CLAIM = """\
- id: never-recommended
  speaker: acme
  quote: "Acme never recommended the vendor."
  asserts:
    none: {fact: referral, by: acme, subject: vendor}
"""

SOME_CLAIM = """\
- id: recommended
  speaker: acme
  quote: "Acme recommended the vendor."
  asserts:
    some: {fact: referral, by: acme, subject: vendor}
"""


def _email(body: str) -> str:
    return (
        "From: Ann Lee <ann@acme.example.com>\nTo: Board <board@regulator.example.gov>\n"
        "Date: Tue, 03 Mar 2020 10:00:00 +0000\nSubject: Bidders\n"
        "Message-ID: <b1@acme.example.com>\n\n" + body + "\n"
    )


# A sentence no referral pattern reads ("invite X to bid" is no referral wording
# the packs know), but that a reader sees may be a recommendation of the vendor.
UNREAD = "I recommend that you invite Vendor Ltd to bid on the new contract."


def _verdict(root: Path, claim: str = "never-recommended") -> tuple[Outcome, Case]:
    case = load_case(root, force_extraction=True)
    return Checker(case).outcome(claim)[1], case


def test_extract_leads_unread_sentence_keeps_a_closed_absence_unresolved(
    make_case: CaseBuilder,
) -> None:
    root = make_case(claims=NONE_CLAIM, case=CLOSED, emails={"m.eml": _email(UNREAD)})
    outcome, case = _verdict(root)
    leads = [f for f in case.extracted if f.lead is not None and f.type == "referral"]
    assert [f.pattern for f in leads] == [LEAD]
    assert outcome.verdict == "unresolved"
    assert leads[0].id in outcome.reason and "could not read" in outcome.reason
    assert "invite Vendor Ltd to bid" in outcome.reason
    assert outcome.missing and "review.yaml" in outcome.missing
    src = leads[0].source
    assert src is not None
    assert case.documents[src.doc].text[src.start : src.end] == src.quote


def test_extract_leads_without_a_lead_the_closed_absence_still_supports(
    make_case: CaseBuilder,
) -> None:
    body = "The board will review the bids next week."
    root = make_case(claims=NONE_CLAIM, case=CLOSED, emails={"m.eml": _email(body)})
    outcome, _ = _verdict(root)
    assert outcome.verdict == "supported"


def test_extract_leads_never_settle_a_some_claim(make_case: CaseBuilder) -> None:
    root = make_case(claims=SOME_CLAIM, case=CLOSED, emails={"m.eml": _email(UNREAD)})
    outcome, _ = _verdict(root, "recommended")
    assert outcome.verdict == "unresolved"


@pytest.mark.parametrize(
    "body",
    [
        "I did not recommend Vendor Ltd to anyone.",  # negated
        "Should we recommend Vendor Ltd to the board?",  # a question
        "I will recommend Vendor Ltd next week.",  # future
        "I recommend that you invite the new bidders to the meeting.",  # names no entity
    ],
)
def test_extract_leads_not_from_negated_question_future_or_unnamed(
    make_case: CaseBuilder, body: str
) -> None:
    root = make_case(claims=NONE_CLAIM, case=CLOSED, emails={"m.eml": _email(body)})
    outcome, case = _verdict(root)
    assert not [f for f in case.extracted if f.lead is not None and f.type == "referral"]
    assert outcome.verdict == "supported"


def test_extract_leads_match_only_claims_about_entities_they_name(
    make_case: CaseBuilder,
) -> None:
    claims = NONE_CLAIM.replace("subject: vendor", "subject: regulator").replace(
        "never-recommended", "never-recommended-regulator"
    )
    case_yaml = CLOSED.replace("[acme, vendor]", "[acme, regulator]")
    body = "I recommend that you invite Vendor Ltd to bid."
    mail = _email(body).replace("board@regulator.example.gov", "val@vendor.example.org")
    root = make_case(claims=claims, case=case_yaml, emails={"m.eml": mail})
    outcome, _ = _verdict(root, "never-recommended-regulator")
    assert outcome.verdict == "supported"  # the lead names Acme and the vendor, not the regulator


def test_extract_leads_hold_nothing_where_an_analyst_codes_the_type(
    make_case: CaseBuilder,
) -> None:
    facts = """\
    - id: f-other
      fact: referral
      by: ann
      to: [val]
      subject: regulator
      date: 2020-03-03
      source:
        doc: evidence/m.eml
        quote: "Subject: Bidders"
    """
    root = make_case(claims=NONE_CLAIM, case=CLOSED, facts=facts,
                     emails={"m.eml": _email(UNREAD)})
    outcome, case = _verdict(root)
    lead = next(f for f in case.extracted if f.lead is not None and f.type == "referral")
    assert case.superseded[lead.id] == "f-other"
    assert outcome.verdict == "supported"


def test_extract_leads_rejected_in_review_hold_nothing(make_case: CaseBuilder) -> None:
    root = make_case(claims=NONE_CLAIM, case=CLOSED, emails={"m.eml": _email(UNREAD)})
    _, case = _verdict(root)
    lead = next(f for f in case.extracted if f.lead is not None and f.type == "referral")
    (root / "review.yaml").write_text(
        f"- fact: {lead.id}\n  decision: reject\n  note: \"read it: an invitation to bid\"\n"
    )
    outcome, _ = _verdict(root)
    assert outcome.verdict == "supported"
