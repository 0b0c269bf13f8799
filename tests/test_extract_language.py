"""What language does to extracted facts, on small synthetic messages (issue #4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import spacy
import yaml

from checker.errors import CaseInvalid
from checker.extract import extract_facts
from checker.extract.language import phenomena
from checker.extract.money import find_amounts
from checker.extract.packs import load_packs
from checker.extract.when import date_range, find_dates
from checker.ingest.document import Document, Message
from checker.model.entities import Entity, EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType

TYPES = {
    t["type"]: FactType.model_validate(t)
    for t in yaml.safe_load(
        (Path(__file__).resolve().parent.parent / "checker/data/types.yaml").read_text()
    )
}
ENTITIES = EntityIndex(
    [
        Entity(
            id="acme",
            name="Acme Analytics",
            kind="organization",
            aliases=["Acme"],
            domains=["acme.test"],
        ),
        Entity(
            id="city",
            name="Springfield City Council",
            kind="organization",
            aliases=["the Council"],
            domains=["city.test"],
        ),
        Entity(id="parks", name="Parks Department", kind="organization", part_of=["city"]),
        Entity(
            id="ann", name="Ann Lee", kind="person", member_of=["city"], emails=["ann@city.test"]
        ),
        Entity(id="bo", name="Bo Chen", kind="person", member_of=["acme"], emails=["bo@acme.test"]),
        Entity(id="cy", name="Cy Diaz", kind="person", member_of=["parks"]),
    ]
)


def message_doc(
    body: str,
    *,
    quoted: str = "",
    date_: str = "2021-03-04T10:00:00-05:00",
    sender: tuple[str, str] = ("Ann Lee", "ann@city.test"),
    to: tuple[tuple[str, str], ...] = (("Bo Chen", "bo@acme.test"),),
) -> Document:
    head = f"From: {sender[0]} <{sender[1]}>\nTo: {to[0][0]} <{to[0][1]}>\nSubject: x\n\n"
    text = head + body + ("\n\n" + quoted if quoted else "") + "\n"
    q = ((text.index(quoted), len(text)),) if quoted else ()
    msg = Message(
        start=0,
        end=len(text),
        date=date_,
        from_addr=sender,
        to_addrs=to,
        from_line=(0, text.index("\n")),
        quoted=q,
    )
    return Document(path="evidence/m.eml", text=text, messages=[msg], id="doc1")


def facts_of(body: str, **kw: object) -> list[Fact]:
    return extract_facts([message_doc(body, **kw)], ENTITIES, TYPES)  # type: ignore[arg-type]


def of_type(facts: list[Fact], type_: str) -> list[Fact]:
    return [f for f in facts if f.type == type_]


def test_extract_first_person_belongs_to_sender_and_its_organisation() -> None:
    [c] = of_type(facts_of("I signed the license agreement this morning."), "contract")
    assert c.roles["parties"] == ("city", "acme")  # sender's org, recipient's org
    assert c.roles["kind"] == "license"
    assert c.status == "suggested" and c.origin == "extractor"
    assert c.pattern == "contract-signed-agreement" and 0 < (c.confidence or 0) <= 1


@pytest.mark.parametrize(
    "body",
    [
        "We have not signed the license agreement.",  # negation
        "I never signed the agreement with Acme.",  # negation
        "We could sign the pilot agreement next week.",  # proposal
        "If you want, I can sign the agreement.",  # condition
        "I will sign the agreement on Monday.",  # future
        "Did you sign the agreement?",  # question
        "Bo said that they signed the agreement.",  # reported speech
    ],
)
def test_extract_language_drops_facts_that_did_not_happen(body: str) -> None:
    assert of_type(facts_of(body), "contract") == []


def test_extract_negation_after_the_trigger_drops_use() -> None:
    assert of_type(facts_of("Acme uses no Council data in that tool."), "use") == []


def test_extract_quoted_history_is_not_the_replying_sender() -> None:
    quoted = "> I signed the license agreement this morning."
    facts = facts_of("Thanks, noted.", quoted=quoted)
    assert of_type(facts, "contract") == []


def test_extract_relative_dates_resolve_against_the_message_date() -> None:
    [m] = of_type(
        facts_of("Confirming our planning meeting on Thursday, March 11 at 2pm."), "meeting"
    )
    assert str(m.roles["date"]) == "2021-03-11"
    assert set(m.roles["participants"]) == {"ann", "bo"}
    [u] = of_type(facts_of("I ran the budget report today and it works."), "use")
    assert str(u.roles["date"]) == "2021-03-04"
    assert u.roles["user"] == "ann" and u.roles["tool"] == "acme"
    assert u.roles["purpose"] == "budget report"


@pytest.mark.parametrize(
    ("text", "ref", "want"),
    [
        ("this morning", date(2020, 8, 27), "2020-08-27"),
        ("yesterday", date(2020, 8, 27), "2020-08-26"),
        ("Thursday, September 3", date(2020, 8, 31), "2020-09-03"),
        ("we met on Monday", date(2020, 9, 3), "2020-08-31"),
        ("in December 2018", None, "2018-12"),
    ],
)
def test_extract_when_resolves_dates(text: str, ref: date | None, want: str) -> None:
    assert str(find_dates(text, ref)[0].span) == want


def test_extract_when_ranges_take_the_year_of_their_end() -> None:
    found = find_dates("runs from September 1 through December 31, 2020.", date(2020, 8, 27))
    assert [str(d) for d in date_range(found)] == ["2020-09-01", "2020-12-31"]
    found = find_dates("in December 2018, which lasted until the following March", None)
    assert [str(d) for d in date_range(found)] == ["2018-12", "2019-03"]


def test_extract_contract_dates_from_the_next_sentence_extend_the_quote() -> None:
    doc = message_doc("I signed the pilot agreement. It runs from May 1 through June 30, 2021.")
    [c] = of_type(extract_facts([doc], ENTITIES, TYPES), "contract")
    assert (str(c.roles["from"]), str(c.roles["to"])) == ("2021-05-01", "2021-06-30")
    assert c.source is not None and c.source.quote.endswith("2021.")


def test_extract_signature_gives_affiliation() -> None:
    facts = facts_of("See you then.\n\nCy Diaz\nGroundskeeper, Parks Department")
    [a] = of_type(facts, "affiliation")
    assert (a.roles["person"], a.roles["organization"]) == ("cy", "parks")
    assert a.pattern == "affiliation-signature"


def test_extract_fuzzy_near_miss_names_an_entity_at_lower_confidence() -> None:
    who = {"sender": ("Bo Chen", "bo@acme.test"), "to": (("Dee", "dee@elsewhere.test"),)}
    exact = of_type(
        facts_of("I signed the contract with Springfield City Council.", **who), "contract"
    )
    fuzzy = of_type(
        facts_of("I signed the contract with Springfeild City Councel.", **who), "contract"
    )
    assert exact and fuzzy
    assert set(fuzzy[0].roles["parties"]) == {"city", "acme"}
    assert (fuzzy[0].confidence or 0) < (exact[0].confidence or 0)


def test_extract_accounts_one_per_person_created_now() -> None:
    facts = facts_of(
        "Logins are now active for Ann Lee and Cy Diaz.",
        sender=("Bo Chen", "bo@acme.test"),
        to=(("Ann Lee", "ann@city.test"),),
    )
    accounts = of_type(facts, "account")
    assert sorted(a.roles["holder"] for a in accounts) == ["ann", "cy"]
    assert {a.roles["provider"] for a in accounts} == {"acme"}
    assert {str(a.roles["created"]) for a in accounts} == {"2021-03-04"}
    assert len({a.id for a in accounts}) == 2


def test_extract_quote_is_exactly_the_text_at_its_offsets_and_ids_are_stable() -> None:
    body = (
        "I signed the pilot agreement this morning. It runs from May 1\nthrough June 30, 2021."
        "\n\nConfirming our review meeting on Friday.\n\nAnn Lee\nClerk, Springfield City Council"
    )
    doc = message_doc(body)
    first = extract_facts([doc], ENTITIES, TYPES)
    assert first
    for f in first:
        assert f.source is not None
        assert doc.text[f.source.start : f.source.end] == f.source.quote
        assert f.where == f"{doc.path}:{f.source.start}"
        assert f.id.startswith("x-")
    again = extract_facts([message_doc(body)], ENTITIES, TYPES)
    assert [f.id for f in again] == [f.id for f in first]


# -- regressions from the phrasing tables (bench/README.md "Extraction") ----------
@pytest.mark.parametrize(
    "body",
    [
        "Our meeting with Acme is scheduled for after the audit.",
        "Our upcoming call with Bo Chen is on the agenda.",
        "The meeting with Acme will be on Friday.",
        "Our meeting with the Council is set for next month.",
        "The call with Acme is planned for the spring.",
    ],
)
def test_extract_meeting_still_to_come_gives_no_fact(body: str) -> None:
    """Scheduled, planned, upcoming, 'is set for', 'will be': the meeting has not happened."""
    assert of_type(facts_of(body), "meeting") == []


def test_extract_meeting_that_happened_still_gives_a_fact() -> None:
    (fact,) = of_type(facts_of("Per our meeting with Acme on March 2, we agreed."), "meeting")
    assert set(fact.roles["participants"]) == {"city", "acme"}


def test_extract_use_tool_is_the_entity_named_after_the_trigger() -> None:
    """'used Acme's database': the tool is Acme, never the recipients' organisation."""
    to = (("Cy Diaz", "cy@parks.test"),)
    (fact,) = of_type(facts_of("The Council used Acme's database to check the list.", to=to), "use")
    assert fact.roles["user"] == "city"
    assert fact.roles["tool"] == "acme"  # not parks, the recipient's organisation


def test_extract_use_tool_falls_back_to_recipients_only_when_none_is_named() -> None:
    (fact,) = of_type(facts_of("I ran the report for the quarter."), "use")
    assert fact.roles["tool"] == "acme"  # Bo Chen's organisation, the message's recipient


def test_extract_passive_referral_by_is_the_referrer_not_a_recipient() -> None:
    """'X was recommended to Y by Z': to is Y alone, by is Z, the subject X."""
    body = "Acme was recommended to the Parks Department by Bo Chen."
    (fact,) = of_type(facts_of(body), "referral")
    assert fact.roles["to"] == ("parks",)
    assert fact.roles["by"] == "bo"
    assert fact.roles["subject"] == "acme"


def test_extract_referral_subject_is_the_entity_inside_the_match() -> None:
    (fact,) = of_type(facts_of("I referred Acme to the Parks Department."), "referral")
    assert (fact.roles["by"], fact.roles["to"], fact.roles["subject"]) == (
        "ann",
        ("parks",),
        "acme",
    )


def test_extract_distinct_is_checked_on_the_value_a_single_role_keeps() -> None:
    """payee keeps its first value (Acme); the Council later in the sentence, the
    payer's own organisation, must not drop the fact."""
    (fact,) = of_type(facts_of("I paid Acme Analytics $1,200 for the Council."), "payment")
    assert (fact.roles["payer"], fact.roles["payee"]) == ("ann", "acme")
    assert fact.roles["amount"] == 1200


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("paid $12,500 to", [12500]),
        ("USD 4,000 was wired", [4000]),
        ("a fee of 12.500,00 EUR", [12500]),
        ("4.000 EUR", [4000]),
        ("$12.50 and £7,500.25", [12.5, 7500.25]),
        ("$1.5 million", [1500000]),
        ("900 dollars", [900]),
        ("212 applications on 9/14, inv #4471", []),
        ("paid 2 $5,000 checks", [5000]),
    ],
)
def test_extract_money_amounts(text: str, want: list[float]) -> None:
    assert [a.value for a in find_amounts(text)] == want


@pytest.mark.parametrize("word", ["on", "no", "off", "yes"])
def test_extract_pack_unquoted_yaml_boolean_in_a_word_list_is_a_load_error(
    tmp_path: Path, word: str
) -> None:
    """YAML reads a bare on/no as true/false: reported with file:line and pattern id
    when the pack loads, not a crash when it runs."""
    (tmp_path / "mine.yaml").write_text(
        "fact: data_sharing\n"
        "patterns:\n"
        "  - id: my-shared\n"
        "    confidence: 0.5\n"
        "    match: [[{LOWER: shared}]]\n"
        "    roles:\n"
        f"      data: {{text: {{span: after, stop: [to, {word}]}}}}\n"
        f"      to: {{mentions: {{side: after, stop: [{word}]}}}}\n"
    )
    with pytest.raises(CaseInvalid) as err:
        load_packs(TYPES, [tmp_path])
    text = str(err.value)
    assert f"{tmp_path.as_posix()}/mine.yaml:3: pattern 'my-shared': role 'data'" in text
    assert "role 'to'" in text
    assert 'quote it ("on")' in text


@pytest.mark.parametrize(
    ("body", "person", "org"),
    [
        ("Bo Chen works for Acme Analytics.", "bo", "acme"),
        ("Cy Diaz has joined the Parks Department.", "cy", "parks"),
        ("Bo Chen was hired by Acme in 2019.", "bo", "acme"),
        ("Bo Chen is the head of sales at Acme.", "bo", "acme"),
        ("Cy Diaz, an analyst with the Parks Department, called.", "cy", "parks"),
    ],
)
def test_extract_affiliation_from_general_phrasings(body: str, person: str, org: str) -> None:
    facts = of_type(facts_of(body), "affiliation")
    assert [(f.roles["person"], f.roles["organization"]) for f in facts] == [(person, org)]


def test_extract_account_opened_for_someone_else_is_theirs_not_the_openers() -> None:
    """'I opened an Acme account for Cy Diaz': Cy holds it; the writer holds nothing."""
    facts = of_type(facts_of("I opened an Acme account for Cy Diaz."), "account")
    assert [(f.roles["holder"], f.roles["provider"]) for f in facts] == [("cy", "acme")]


def test_extract_account_held_with_a_provider() -> None:
    (fact,) = of_type(facts_of("The Parks Department has an account with Acme."), "account")
    assert (fact.roles["holder"], fact.roles["provider"]) == ("parks", "acme")



_BLANK = spacy.blank("en")
_BLANK.add_pipe("sentencizer")


@pytest.mark.parametrize(
    ("sentence", "trigger", "shows"),
    [
        ("We declined to sign the NDA with Acme.", "sign", "negation"),
        ("They refused to share the files with Acme.", "share", "negation"),
        ("Reportedly, the City signed the NDA with Acme.", "signed", "reported"),
        ("Apparently the City met with Acme.", "met", "reported"),
        ("An NDA signed with Acme would be binding.", "signed", "modal"),
        ("I requested a meeting with Acme.", "meeting", "modal"),
        ("We agreed to meet with Acme.", "meet", "modal"),
        ("Looking forward to our meeting with Acme.", "meeting", "future"),
        ("See you at the meeting with Acme.", "meeting", "future"),
        ("The City meets with Acme tomorrow.", "meets", "future"),
    ],
)
def test_extract_language_refusals_hearsay_requests_and_plans(
    sentence: str, trigger: str, shows: str
) -> None:
    assert shows in _phenomena_at(sentence, trigger)


@pytest.mark.parametrize(
    "sentence",
    ["I signed the license agreement with Acme this morning.", "The City met with Acme."],
)
def test_extract_language_plain_past_shows_nothing(sentence: str) -> None:
    trigger = "signed" if "signed" in sentence else "met"
    assert _phenomena_at(sentence, trigger) == set()


def _phenomena_at(sentence: str, trigger: str) -> set[str]:
    """What language.py finds in one sentence around the token `trigger`."""
    doc = _BLANK(sentence)
    [sent] = list(doc.sents)
    [tok] = [t for t in doc if t.text == trigger]
    return phenomena(sent, doc[tok.i : tok.i + 1])
