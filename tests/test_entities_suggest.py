"""`checker entities`: the entities.yaml entities with the records naming them, and
with --suggest the people and organisations the headers name that entities.yaml
lacks, with a YAML block that, pasted, validates and names them in header facts.

A small mbox of our own, and Ken Lay's 2,000-message Enron mbox
(../shared/corpora/enron-mbox, test input only, copied into the test's folder)."""

from __future__ import annotations

import collections
import json
import mailbox
import shutil
from email.utils import getaddresses
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from checker.case.load import load_case
from checker.case.suggest import (
    FREEMAIL,
    free_mail_provider,
    name_from_address,
    person_name,
    registered,
    slug,
)
from checker.cli.app import app
from checker.report.entities import scalar
from checker.yamlfile import load_value
from tests.conftest import SHARED, CaseBuilder, need_shared

runner = CliRunner()
MBOX = SHARED / "corpora" / "enron-mbox" / "lay-k-sample-2000.mbox"


def _message(sender: str, to: str, subject: str, body: str, day: int = 3,
             extra: str = "") -> str:
    return (
        f"From MAILER-DAEMON Tue Mar {day:2d} 10:00:00 2020\n"
        f"From: {sender}\nTo: {to}\n{extra}"
        f"Date: Tue, {day:02d} Mar 2020 10:00:00 +0000\nSubject: {subject}\n"
        'Content-Type: text/plain; charset="utf-8"\n\n'
        f"{body}\n\n"
    )


LAY = '"Lay, Kenneth" <kenneth.lay@enron.com>'
MAILBOX = "".join([
    _message(LAY, "Ann Lee <ann@acme.example.com>", "Board", "See you at the board.", 3),
    _message(LAY, "ann@acme.example.com", "Agenda", "The agenda is attached.", 4),
    _message("rosalee.fleming@enron.com", "kenneth.lay@enron.com", "Calls", "Three calls.", 5),
    _message("rosalee.fleming@enron.com", "klay@enron.com", "Calls", "Two calls.", 6),
    _message("Pat Doe <pat.doe@gmail.com>", "ann@acme.example.com", "Hello", "Hi Ann.", 7),
    _message("Pat Doe <pat.doe@gmail.com>", "ann@acme.example.com", "Again", "Hi again.", 8),
    _message("bob@acme.example.com", "val@vendor.example.org", "Invoice", "Attached.", 9,
             "Cc: Bob Two <bob@acme.example.com>\n"),
    _message("bob@acme.example.com", "val@vendor.example.org", "Invoice 2", "Again.", 10),
    _message("tom.kalb@kalbco.example.com", "ann@acme.example.com", "Offer",
             "Here is our offer.\n\nTom Kalb\nDirector, Kalb Company", 11),
    _message("tom.kalb@kalbco.example.com", "ann@acme.example.com", "Offer 2",
             "A better offer.\n\nTom Kalb\nDirector, Kalb Company", 12),
    _message("once@rare.example.net", "ann@acme.example.com", "Once", "Only once.", 13),
])
# The first message again, filed in another folder: a copy, counted once.
COPY = _message(LAY, "Ann Lee <ann@acme.example.com>", "Board", "See you at the board.", 3)


@pytest.fixture
def small(make_case: CaseBuilder) -> Path:
    return make_case(emails={"inbox.mbox": MAILBOX}, files={"evidence/sent/board.mbox": COPY})


def _invoke(*args: object) -> Result:
    return runner.invoke(app, [str(a) for a in args])


def _json(*args: object) -> dict:
    result = _invoke(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _people(found: dict) -> dict[str, dict]:
    return {p["emails"][0] if p["emails"] else p["name"]: p for p in found["people"]}


def _paste(root: Path, block: str) -> None:
    with (root / "entities.yaml").open("a", encoding="utf-8") as out:
        out.write(block)


def _header_facts(root: Path) -> list:
    case = load_case(root)
    try:
        return [f for f in case.facts if f.origin == "header"]
    finally:
        case.close()


# -- what it lists ------------------------------------------------------------------


def test_entities_suggest_lists_senders_and_recipients_entities_yaml_lacks(small: Path) -> None:
    found = _json("entities", small, "--suggest")
    people = _people(found)
    assert set(people) == {
        "kenneth.lay@enron.com", "rosalee.fleming@enron.com", "pat.doe@gmail.com",
        "bob@acme.example.com", "tom.kalb@kalbco.example.com",
    }  # not ann or val (listed), not klay or once@ (one record each)
    lay = people["kenneth.lay@enron.com"]
    # two sent (the copy in sent/ counts once), one received
    assert (lay["records"], lay["sent"], lay["received"]) == (3, 2, 1)
    assert (lay["id"], lay["name"], lay["name_from"]) == ("kenneth-lay", "Kenneth Lay", "header")
    assert lay["aliases"] == ["Lay, Kenneth"]
    assert people["bob@acme.example.com"]["member_of"] == "acme"  # acme.example.com is Acme's


def test_entities_suggest_groups_people_under_an_organisation_by_domain(small: Path) -> None:
    found = _json("entities", small, "--suggest")
    orgs = {o["id"]: o for o in found["organizations"]}
    assert orgs["enron"]["domains"] == ["enron.com"]
    assert orgs["enron"]["name"] == "Enron" and orgs["enron"]["name_from"] == "domain"
    assert orgs["enron"]["people"] == 2
    people = _people(found)
    assert people["kenneth.lay@enron.com"]["member_of"] == "enron"
    assert people["rosalee.fleming@enron.com"]["member_of"] == "enron"


def test_entities_suggest_free_mail_never_makes_an_organisation(small: Path) -> None:
    found = _json("entities", small, "--suggest", "--min", "1")
    pat = _people(found)["pat.doe@gmail.com"]
    assert pat["member_of"] is None and pat["free_mail"] == "gmail"
    assert not any("gmail.com" in o["domains"] for o in found["organizations"])


def test_entities_suggest_no_organisation_for_a_domain_of_listed_people_alone(
    make_case: CaseBuilder,
) -> None:
    """Ann's home address (entities.yaml lists it) is hers: mail.example.net is no
    organisation that entities.yaml lacks."""
    mbox = "".join(
        _message("ann.home@mail.example.net", "val@vendor.example.org", f"S{d}", "x", d)
        for d in (3, 4)
    )
    found = _json("entities", make_case(emails={"a.mbox": mbox}), "--suggest", "--min", "1")
    assert found["people"] == [] and found["organizations"] == []


def test_entities_suggest_names_an_address_from_its_local_part_as_a_guess(small: Path) -> None:
    rosalee = _people(_json("entities", small, "--suggest"))["rosalee.fleming@enron.com"]
    assert (rosalee["name"], rosalee["name_from"]) == ("Rosalee Fleming", "address")
    block = _invoke("entities", small, "--suggest", "--format", "yaml").stdout
    line = next(ln for ln in block.splitlines() if "name: Rosalee Fleming" in ln)
    assert "# a guess from the address rosalee.fleming@enron.com" in line
    enron = next(ln for ln in block.splitlines() if "name: Enron" in ln)
    assert "# a guess from the domain enron.com" in enron


def test_entities_suggest_takes_a_signed_name_that_fits_the_address(small: Path) -> None:
    found = _json("entities", small, "--suggest")
    assert found["signatures"] is True
    tom = _people(found)["tom.kalb@kalbco.example.com"]
    assert (tom["name"], tom["name_from"]) == ("Tom Kalb", "signature")


def test_entities_suggest_min_and_limit(small: Path) -> None:
    everyone = _people(_json("entities", small, "--suggest", "--min", "1"))
    assert {"klay@enron.com", "once@rare.example.net"} <= set(everyone)
    top = _json("entities", small, "--suggest", "--min", "1", "--limit", "2")
    # most records first, then by address: bob@ before the others in two records
    assert [p["emails"][0] for p in top["people"]] == [
        "kenneth.lay@enron.com", "bob@acme.example.com"]
    assert top["candidates"] == len(everyone)
    # the organisation its people belong to is kept whatever the limit
    assert "enron" in {o["id"] for o in top["organizations"]}
    assert len(top["organizations"]) <= 3


def test_entities_suggest_a_known_name_is_a_hint_not_a_new_entity(make_case: CaseBuilder) -> None:
    mbox = "".join(
        _message("Ann Lee <ann.lee@home.example.net>", "val@vendor.example.org", f"S{d}", "x", d)
        for d in (3, 4)
    )
    root = make_case(emails={"a.mbox": mbox})
    found = _json("entities", root, "--suggest")
    assert "ann.lee@home.example.net" not in _people(found)
    assert found["known"] == [{"entity": "ann", "address": "ann.lee@home.example.net",
                               "name": "Ann Lee", "name_from": "header", "records": 2,
                               "key": "emails"}]


def test_entities_suggest_ids_never_collide_with_existing_or_each_other(
    make_case: CaseBuilder,
) -> None:
    entities = "- {id: kenneth-lay, name: KL Holdings, kind: organization}\n" \
               "- {id: other, name: Other, kind: organization, aliases: [enron]}\n"
    mbox = "".join(
        _message(sender, "x@acme.example.com", f"S{d}{sender}", "x", d)
        for d in (3, 4)
        for sender in (LAY, "Pat Doe <pat.doe@gmail.com>", "Pat Doe <pat.doe@yahoo.com>")
    )
    root = make_case(entities=entities, emails={"a.mbox": mbox},
                     claims="- {id: c, speaker: other, quote: q, asserts: "
                            "{some: {fact: communication, from: enron}}}\n")
    found = _json("entities", root, "--suggest")
    people = _people(found)
    assert people["kenneth.lay@enron.com"]["id"] == "kenneth-lay-2"
    assert {people["pat.doe@gmail.com"]["id"], people["pat.doe@yahoo.com"]["id"]} == {
        "pat-doe", "pat-doe-2"}
    assert people["pat.doe@yahoo.com"]["same_name_as"] == "pat-doe"
    # "Enron" is an alias of `other`: a hint to add the domain there, not a second Enron
    assert {"entity": "other", "address": "enron.com", "key": "domains"}.items() <= next(
        k for k in found["known"] if k["key"] == "domains").items()
    assert people["kenneth.lay@enron.com"]["member_of"] == "other"
    _paste(root, _invoke("entities", root, "--suggest", "-f", "yaml").stdout)
    result = _invoke("validate", root)
    assert result.exit_code == 0, result.output


# -- the block to paste -----------------------------------------------------------------


def test_entities_suggest_yaml_block_validates_and_header_facts_name_the_new_entities(
    small: Path,
) -> None:
    result = _invoke("entities", small, "--suggest", "--min", "1", "--format", "yaml")
    assert result.exit_code == 0, result.output
    block = result.stdout
    entries = yaml.safe_load(block)
    assert {e["id"] for e in entries} >= {"enron", "kenneth-lay", "rosalee-fleming", "pat-doe"}
    _paste(small, block)
    valid = _invoke("validate", small)
    assert valid.exit_code == 0, valid.output
    facts = _header_facts(small)
    senders = collections.Counter(f.roles.get("from") for f in facts)
    assert senders["kenneth-lay"] == 2  # the copy is its own file, one record
    assert senders["rosalee-fleming"] == 2 and senders["pat-doe"] == 2
    assert senders["bob-two"] == 2 and senders["tom-kalb"] == 2  # Bob's name from a Cc line
    assert any("klay" in f.roles.get("to", ()) for f in facts)
    # after pasting, nothing is left to suggest
    again = _json("entities", small, "--suggest", "--min", "1")
    assert again["people"] == [] and again["organizations"] == []


def test_entities_suggest_name_without_address_from_a_printout(make_case: CaseBuilder) -> None:
    printout = "".join(
        f"From: Kim, Dana\nSent: Tuesday, March {d}, 2020 10:00 AM\nTo: Ann Lee\n"
        f"Subject: Note {d}\n\nA note.\n\n"
        for d in (3, 4)
    )
    root = make_case(emails={"printout.txt": printout})
    found = _json("entities", root, "--suggest")
    dana = _people(found)["Dana Kim"]
    assert (dana["emails"], dana["aliases"], dana["records"]) == ([], ["Kim, Dana"], 2)
    _paste(root, _invoke("entities", root, "--suggest", "-f", "yaml").stdout)
    assert _invoke("validate", root).exit_code == 0
    senders = {f.roles.get("from") for f in _header_facts(root)}
    assert senders == {"dana-kim"}  # found by the alias "Kim, Dana"


HOSTILE = '"Evil: {x} #y" <a@b.c>'
ANSI = '"\x1b[31mRed\x1b[0m Herring" <red@herring.example>'


def test_entities_suggest_hostile_display_names_are_quoted_and_escaped(
    make_case: CaseBuilder,
) -> None:
    mbox = "".join([
        _message(HOSTILE, "ann@acme.example.com", "Hi", "x", 3),
        _message(ANSI, "ann@acme.example.com", "Hi", "x", 4),
        _message('"Yes" <yes@b.c>', "ann@acme.example.com", "Hi", "x", 5),
    ])
    root = make_case(emails={"a.mbox": mbox})
    for fmt in ("table", "json", "yaml"):
        out = _invoke("entities", root, "--suggest", "--min", "1", "-f", fmt).stdout
        assert "\x1b" not in out, fmt
    block = _invoke("entities", root, "--suggest", "--min", "1", "-f", "yaml").stdout
    assert 'name: "Evil: {x} #y"' in block
    names = {e["name"] for e in yaml.safe_load(block)}
    assert {"Evil: {x} #y", "Red Herring", "Yes"} <= names  # "Yes" stays a string
    _paste(root, block)
    result = _invoke("validate", root)
    assert result.exit_code == 0, result.output
    senders = {f.roles.get("from") for f in _header_facts(root)}
    assert {"evil-x-y", "red-herring", "yes"} <= senders


@pytest.mark.parametrize("text", [
    "Kenneth Lay", "O'Brien", "Yes", "null", "2000", "1e3", "Evil: {x} #y", "#y", "- a",
    "a, b", "[x]", "it's: here", " lead", "trail ", "a\u2028b", "x\x85y", "\u202eevil",
    "say \"hi\"", "back\\slash", "tab\there",
])
def test_entities_suggest_yaml_scalars_read_back_as_written(text: str) -> None:
    assert load_value(scalar(text)) == text
    assert yaml.safe_load(f"k: [{scalar(text)}]") == {"k": [text]}  # in a flow list too


@pytest.mark.parametrize(("display", "name"), [
    ("Lay, Kenneth", "Kenneth Lay"),
    ("Lay, Kenneth L.", "Kenneth L. Lay"),
    ("Kenneth Lay, Jr.", "Kenneth Lay, Jr."),
    ("'Kenneth Lay'", "Kenneth Lay"),
    ("  Kenneth   Lay ", "Kenneth Lay"),
    ("kenneth.lay@enron.com", None),
    ("'kenneth.lay@enron.com'", None),
    ("", None),
    ("12345", None),
    ("\x1b[31mRed\x1b[0m", "Red"),
])
def test_entities_suggest_display_names_become_names(display: str, name: str | None) -> None:
    assert person_name(display) == name


@pytest.mark.parametrize(("address", "name"), [
    ("rosalee.fleming@enron.com", "Rosalee Fleming"),
    ("brown_mary_jo@lilly.com", "Brown Mary Jo"),
    ("k.lay@enron.com", "K. Lay"),
    ("klay2@enron.com", "Klay"),
    ("jane+news@example.org", "Jane"),
])
def test_entities_suggest_guesses_a_name_from_the_local_part(address: str, name: str) -> None:
    assert name_from_address(address) == name


@pytest.mark.parametrize(("domain", "reg"), [
    ("enron.com", "enron.com"),
    ("ect.enron.com", "enron.com"),
    ("mail.bbc.co.uk", "bbc.co.uk"),
    ("puc.state.pa.us", "puc.state.pa.us"),
    ("ci.riverton.ca.us", "riverton.ca.us"),
])
def test_entities_suggest_organisation_domain_is_the_registered_one(domain: str, reg: str) -> None:
    assert registered(domain) == reg


@pytest.mark.parametrize(("text", "eid"), [
    ("Kenneth Lay", "kenneth-lay"), ("José Núñez", "jose-nunez"), ("Evil: {x} #y", "evil-x-y"),
    ("张伟", ""),
])
def test_entities_suggest_ids_are_slugs(text: str, eid: str) -> None:
    assert slug(text) == eid


def test_entities_suggest_free_mail_list_is_data_with_unique_ids() -> None:
    providers = yaml.safe_load(FREEMAIL.read_text(encoding="utf-8"))
    ids = [p["id"] for p in providers]
    domains = [d for p in providers for d in p["domains"]]
    assert len(ids) == len(set(ids)) and len(domains) == len(set(domains))
    assert all(d == d.lower() and "." in d for d in domains)
    assert {"gmail.com", "yahoo.com", "aol.com", "hotmail.com"} <= set(domains)
    assert free_mail_provider("email.msn.com") == "microsoft"  # subdomains too
    assert free_mail_provider("enron.com") is None


# -- without --suggest ------------------------------------------------------------------


def test_entities_lists_entities_with_the_records_naming_them(small: Path) -> None:
    rows = {r["id"]: r for r in _json("entities", small)}
    assert list(rows) == ["acme", "acme-legal", "ann", "vendor", "val", "regulator"]
    # Ann: every message except rosalee's two and bob's two, the copy once
    assert (rows["ann"]["records"], rows["ann"]["sent"], rows["ann"]["received"]) == (7, 0, 7)
    # bob@acme.example.com is Acme's, by its domain
    assert (rows["acme"]["sent"], rows["val"]["received"]) == (2, 2)
    assert rows["regulator"]["records"] == 0
    table = _invoke("entities", small).stdout
    assert "ann" in table and "Ann Lee" in table


def test_entities_yaml_format_needs_suggest(small: Path) -> None:
    result = _invoke("entities", small, "--format", "yaml")
    assert result.exit_code == 2
    assert "Invalid value for --format" in result.output
    assert "without --suggest" in result.output


def test_entities_suggest_reports_a_broken_entities_yaml(small: Path) -> None:
    (small / "entities.yaml").write_text("- {id: Bad Id, name: X, kind: person}\n")
    result = _invoke("entities", small, "--suggest")
    assert result.exit_code == 2
    assert "entities.yaml:1:" in result.stderr


def test_entities_suggest_works_before_entities_yaml_exists(small: Path) -> None:
    (small / "entities.yaml").unlink()
    people = _people(_json("entities", small, "--suggest"))
    assert {"ann@acme.example.com", "kenneth.lay@enron.com"} <= set(people)


# -- the Enron mailbox --------------------------------------------------------------------


@pytest.fixture(scope="module")
def enron(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not MBOX.is_file():
        need_shared(f"the shared corpora are not at {MBOX.parent}")
    root = tmp_path_factory.mktemp("enron") / "case"
    (root / "evidence").mkdir(parents=True)
    shutil.copyfile(MBOX, root / "evidence" / MBOX.name)  # a copy: never into the repo
    (root / "entities.yaml").write_text(
        "- {id: enron, name: Enron, kind: organization, domains: [enron.com]}\n")
    (root / "case.yaml").write_text("title: Enron\nextraction: {enabled: false}\n")
    return root


def _top_addresses(n: int) -> list[tuple[str, int]]:
    """The `n` addresses in the most distinct emails, counted with the stdlib alone:
    a message filed twice (same sender, recipients, date, subject, body) once."""
    emails: dict[tuple, set[str]] = {}
    for m in mailbox.mbox(str(MBOX)):
        sender = [a.casefold() for _, a in getaddresses(m.get_all("From", [])) if a]
        to = [a.casefold() for _, a in getaddresses(m.get_all("To", []) + m.get_all("Cc", []))
              if a]
        body = m.get_payload(decode=True)
        body = body if isinstance(body, bytes) else b""
        key = (tuple(sender), tuple(sorted(to)), m["Date"], " ".join((m["Subject"] or "").split()),
               b" ".join(body.split()))
        emails[key] = set(sender) | set(to)
    counts = collections.Counter(a for addresses in emails.values() for a in addresses)
    return counts.most_common(n)


def test_entities_suggest_enron_lists_the_frequent_correspondents(enron: Path) -> None:
    found = _json("entities", enron, "--suggest", "--limit", "10")
    people = _people(found)
    top = _top_addresses(5)
    assert top[0][0] == "kenneth.lay@enron.com"
    for address, count in top:
        assert people[address]["records"] == count, address
        assert people[address]["member_of"] == "enron"
    assert people["rosalee.fleming@enron.com"]["name"] == "Rosalee Fleming"
    assert found["records"] == 1667  # 2,000 messages, 333 of them copies
    orgs = {o["id"] for o in found["organizations"]}
    assert "compaq" in orgs and not orgs & {"msn", "yahoo", "hotmail", "aol"}


def test_entities_suggest_enron_block_validates_and_names_the_senders(
    enron: Path, tmp_path: Path
) -> None:
    case = tmp_path / "case"
    shutil.copytree(enron, case)  # with its index: no second ingest
    result = _invoke("entities", case, "--suggest", "--limit", "30", "-f", "yaml")
    assert result.exit_code == 0, result.output
    _paste(case, result.stdout)
    valid = _invoke("validate", case)
    assert valid.exit_code == 0, valid.output
    senders = collections.Counter(f.roles.get("from") for f in _header_facts(case))
    assert senders["rosalee-fleming"] == 200
