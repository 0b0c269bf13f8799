"""`checker facts add`: code an analyst fact from a passage of one record.

The quote must be in the record named; roles are checked against the fact type
with "did you mean"; the id is new; the fact is appended with the file's
comments and layout kept, and the case validates with it and gives the verdict
it should. Whatever is refused writes nothing. `checker facts [CASE]` still
lists facts.
"""

from __future__ import annotations

import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.case.coding import DEFAULT_FILE, HEADER, add_fact, default_id
from checker.case.load import load_case
from checker.cli import app
from checker.errors import FactNotAdded
from checker.yamledit import append_entry
from checker.yamlfile import load_value, load_yaml
from tests.conftest import DEFAULT_EMAIL, CaseBuilder
from tests.test_ingest_records import mail, mbox, records
from tests.test_report_hostile import read_only

runner = CliRunner()

NO_EXTRACTION = "title: Test case\ntimezone: UTC\nextraction: {enabled: false}\n"
NO_CONTRACT = """\
- id: no-contract
  speaker: acme
  quote: "Acme never had a contract with the vendor."
  asserts:
    none: {fact: contract, parties: [acme, vendor]}
"""
SIGNED = "We signed the trial agreement today."
# A hand-edited facts file: a header, comments between and inside entries, a blank
# line between entries, a flow entry and a comment after the last one.
HAND_CODED = """\
# Coded by jb from the March production.

- id: f-hello   # the first email
  fact: communication
  from: acme
  to: [vendor]
  source:
    doc: evidence/m1.eml
    quote: "We signed"

# one line each works as well:
- {id: f-lunch, fact: meeting, participants: [ann, val],
   source: {doc: evidence/m1.eml, quote: "It runs through June."}}
# end of jb's batch
"""


def invoke(*args: str | Path):
    result = runner.invoke(app, [str(a) for a in args], prog_name="checker")
    assert "Traceback" not in result.output, result.output
    return result


def add(case: Path, *args: str):
    return invoke("facts", "add", *args[:1], case, *args[1:])


def verdicts(case: Path) -> dict[str, str]:
    result = invoke("check", case, "--format", "json")
    assert result.exit_code == 0, result.output
    return {c["id"]: c["verdict"] for c in json.loads(result.stdout)["claims"]}


def facts_text(case: Path, name: str = DEFAULT_FILE) -> str | None:
    path = case / name
    return path.read_text(encoding="utf-8") if path.exists() else None


@pytest.fixture
def case(make_case: CaseBuilder) -> Path:
    return make_case(claims=NO_CONTRACT, case=NO_EXTRACTION, facts=HAND_CODED)


BOX = mbox(
    mail(1, "Hello", "Just saying hello. See you soon."),
    mail(2, "Agreement", SIGNED),
    mail(3, "Lunch", "Lunch is at noon. See you soon."),
)


@pytest.fixture
def box_case(make_case: CaseBuilder) -> Path:
    return make_case(claims=NO_CONTRACT, case=NO_EXTRACTION, emails={"box.mbox": BOX})


# -- a good passage --------------------------------------------------------------------
def test_facts_add_appends_the_fact_keeps_the_file_and_changes_the_verdict(case: Path) -> None:
    assert verdicts(case) == {"no-contract": "unresolved"}

    result = add(case, "contract", "--doc", "evidence/m1.eml", "--quote", SIGNED,
                 "--set", "parties=Acme Corporation, the vendor", "--set", "kind=trial",
                 "--set", "from=2020-03-03", "--set", "to=2020-06")

    assert result.exit_code == 0, result.output
    fid = default_id("contract", "evidence/m1.eml", SIGNED)
    assert result.stdout == (
        f"{fid}: contract fact from evidence/m1.eml added to {DEFAULT_FILE}.\n"
    )
    last = HAND_CODED.index("# end of jb's batch")
    assert facts_text(case) == HAND_CODED[:last] + (
        f"\n- id: {fid}\n"
        "  fact: contract\n"
        "  parties: [acme, vendor]\n"
        "  kind: trial\n"
        "  from: 2020-03-03\n"
        "  to: 2020-06\n"
        "  source:\n"
        "    doc: evidence/m1.eml\n"
        f'    quote: "{SIGNED}"\n'
    ) + HAND_CODED[last:]
    assert invoke("validate", case).exit_code == 0
    assert verdicts(case) == {"no-contract": "contradicted"}


def test_facts_add_library_gives_the_fact_load_case_loads(case: Path) -> None:
    coded = add_fact(case, "contract", "evidence/m1.eml", SIGNED,
                     {"parties": ["acme", "Vendor Ltd"]}, fact_id="f-trial", note="page 1")

    loaded = load_case(case)
    try:
        fact = next(f for f in loaded.facts if f.id == "f-trial")
    finally:
        loaded.close()
    assert (coded.file, coded.doc) == (DEFAULT_FILE, "evidence/m1.eml")
    assert (fact.id, fact.roles, fact.source, fact.where) == (
        coded.fact.id, coded.fact.roles, coded.fact.source, coded.fact.where)
    assert fact.roles["parties"] == ("acme", "vendor")
    assert fact.source is not None and fact.source.quote == SIGNED
    lines = (facts_text(case) or "").splitlines()
    assert fact.where == f"{DEFAULT_FILE}:{lines.index('- id: f-trial') + 1}"


def test_facts_add_starts_a_new_file_with_a_header(make_case: CaseBuilder) -> None:
    root = make_case(claims=NO_CONTRACT, case=NO_EXTRACTION)
    name = "evidence/coded/ann.facts.yaml"

    result = add(root, "contract", "--doc", "m1.eml", "--quote", SIGNED,
                 "--set", "parties=acme,vendor", "--file", name, "--id", "f-one")

    assert result.exit_code == 0, result.output
    assert facts_text(root, name) == HEADER + (
        "- id: f-one\n  fact: contract\n  parties: [acme, vendor]\n  source:\n"
        f'    doc: evidence/m1.eml\n    quote: "{SIGNED}"\n'
    )
    assert facts_text(root) is None
    assert verdicts(root) == {"no-contract": "contradicted"}


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("- a: 1\n- a: 2\n", "- a: 1\n- a: 2\n- a: 9\n", id="close-together"),
        pytest.param("- a: 1\n\n- a: 2\n", "- a: 1\n\n- a: 2\n\n- a: 9\n", id="set-apart"),
        pytest.param("- a: 1\n\n- a: 2\n- a: 3\n# end\n",
                     "- a: 1\n\n- a: 2\n- a: 3\n- a: 9\n# end\n", id="like-the-last-one"),
        pytest.param("# nothing yet\n", "# nothing yet\n- a: 9\n", id="only-comments"),
    ],
)
def test_facts_add_new_entry_is_laid_out_like_the_last_one(text: str, expected: str) -> None:
    assert append_entry(text, load_value(text), {"a": 9}, ["a"]) == expected


# -- the quote -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "doc, quote, hint",
    [
        pytest.param("evidence/m1.eml", "We signed the trail agreement today.",
                     f' Nearest passage in it: "{SIGNED}".', id="misspelt"),
        pytest.param("evidence/box.mbox#2", "We signed the agreement",
                     ' Nearest passage in it: "signed the trial agreem".', id="words-left-out"),
        pytest.param("evidence/box.mbox#2", "See you soon.",
                     " The quote is in evidence/box.mbox#1, evidence/box.mbox#3: give one as "
                     "--doc.",
                     id="in-other-records-of-the-file"),
    ],
)
def test_facts_add_quote_not_in_the_record_writes_nothing_and_shows_the_nearest_passage(
    make_case: CaseBuilder, doc: str, quote: str, hint: str
) -> None:
    emails = {"m1.eml": DEFAULT_EMAIL, "box.mbox": BOX}
    root = make_case(claims=NO_CONTRACT, case=NO_EXTRACTION, emails=emails, facts=HAND_CODED)

    result = add(root, "contract", "--doc", doc, "--quote", quote, "--set", "parties=acme,vendor")

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: --quote: not found in {doc} (white space folded).{hint} Nothing was written.\n"
    )
    assert facts_text(root) == HAND_CODED


def test_facts_add_white_space_in_the_quote_is_folded(case: Path) -> None:
    quote = "We signed  the trial\n   agreement today."

    result = add(case, "contract", "--doc", "evidence/m1.eml", "--quote", quote,
                 "--set", "parties=acme,vendor", "--id", "f-folded")

    assert result.exit_code == 0, result.output
    written = load_yaml(case / DEFAULT_FILE, DEFAULT_FILE)[-1]
    assert written["source"] == {"doc": "evidence/m1.eml", "quote": quote}
    assert verdicts(case) == {"no-contract": "contradicted"}


# -- roles, values, type and id --------------------------------------------------------
@pytest.mark.parametrize(
    "args, message",
    [
        pytest.param(["--set", "partys=acme,vendor"],
                     "--set partys: unknown role 'partys' for fact type 'contract'. "
                     "Did you mean 'parties'? Roles: parties, kind, from, to, value.",
                     id="unknown-role"),
        pytest.param(["--set", "parties=acme,vendr"],
                     "--set parties: unknown entity 'vendr'. Did you mean 'vendor' (Vendor Ltd)?",
                     id="unknown-entity"),
        pytest.param(["--set", "parties=acme,vendor", "--set", "kind=trail"],
                     "--set kind: 'trail' is not allowed for role 'kind' of 'contract'; use one "
                     "of: trial, pilot, purchase, license, nda, mou. Did you mean 'trial'?",
                     id="unknown-literal"),
        pytest.param(["--set", "parties=acme,vendor", "--set", "from=2020-13-01"],
                     "--set from: '2020-13-01' is not a real date (month must be in 1..12)",
                     id="bad-date"),
        pytest.param(["--set", "parties=acme,vendor", "--set", "to=next June"],
                     "--set to: 'next June' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY",
                     id="not-a-date"),
        pytest.param(["--set", "parties=acme,vendor", "--set", "value=lots"],
                     "--set value: role 'value' takes a number, got 'lots'", id="not-a-number"),
        pytest.param(["--set", "parties="],
                     "--set parties: give a value (leave the role out when the record does not "
                     "say it)", id="empty-value"),
        pytest.param(["--set", "parties=acme,vendor", "--set", "from=2020-06",
                      "--set", "to=2020-03"],
                     "ends (2020-03) before it begins (2020-06); check the from/to dates",
                     id="ends-before-it-begins"),
        pytest.param(["--set", "parties=acme,vendor", "--id", "f-hello"],
                     "--id f-hello: the case already has a fact 'f-hello' "
                     f"({DEFAULT_FILE}:3); choose another id.", id="duplicate-id"),
        pytest.param(["--set", "parties=acme,vendor", "--id", "my fact"],
                     "--id my fact: a fact id is letters, digits, '.', '_' and '-', starting "
                     "with a letter or digit.", id="bad-id"),
    ],
)
def test_facts_add_bad_roles_values_and_ids_write_nothing(
    case: Path, args: list[str], message: str
) -> None:
    result = add(case, "contract", "--doc", "evidence/m1.eml", "--quote", SIGNED, *args)

    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert message in result.stderr
    assert result.stderr.endswith("Nothing was written.\n")
    assert facts_text(case) == HAND_CODED


def test_facts_add_unknown_type_suggests_the_closest(case: Path) -> None:
    result = add(case, "contrakt", "--doc", "evidence/m1.eml", "--quote", SIGNED)

    assert result.exit_code == 2
    assert result.stderr == (
        "Error: TYPE: unknown fact type 'contrakt'. Did you mean 'contract'? Add it to "
        "types.yaml if it is new. Nothing was written.\n"
    )


def test_facts_add_lists_every_problem_at_once(case: Path) -> None:
    result = add(case, "contract", "--doc", "evidence/m1.eml", "--quote", "Nothing like it",
                 "--set", "partys=acme", "--set", "from=soon")

    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "Error: 3 problems with the fact; nothing was written:"
    assert [ln.split(":")[0] for ln in lines[1:]] == ["  --quote", "  --set partys",
                                                      "  --set from"]


def test_facts_add_the_same_passage_twice_is_refused(case: Path) -> None:
    args = ("contract", "--doc", "evidence/m1.eml", "--quote", SIGNED, "--set",
            "parties=acme,vendor")
    assert add(case, *args).exit_code == 0
    once = facts_text(case)

    again = add(case, *args[:4], " We signed the trial\nagreement today. ", *args[5:])

    assert again.exit_code == 2
    fid = default_id("contract", "evidence/m1.eml", SIGNED)
    line = (once or "").splitlines().index(f"- id: {fid}") + 1
    assert again.stderr == (
        f"Error: this passage is already coded as this type of fact, '{fid}' "
        f"({DEFAULT_FILE}:{line}); give --id to code it again. Nothing was written.\n"
    )
    assert facts_text(case) == once
    assert add(case, *args, "--id", "f-again").exit_code == 0


# -- which record ----------------------------------------------------------------------
def test_facts_add_path_n_in_a_many_message_mbox_picks_that_record(box_case: Path) -> None:
    """"See you soon." is in #1 and #3: `doc: evidence/box.mbox` alone would be
    refused by validation as ambiguous; #3 cites the third email."""
    result = add(box_case, "meeting", "--doc", "evidence/box.mbox#3", "--quote", "See you soon.",
                 "--set", "participants=ann,val", "--id", "f-lunch")

    assert result.exit_code == 0, result.output
    loaded = load_case(box_case)
    try:
        (fact,) = [f for f in loaded.facts if f.id == "f-lunch"]
        part = loaded.documents.part_at("evidence/box.mbox", fact.source.start)  # type: ignore[union-attr]
    finally:
        loaded.close()
    assert part is not None and part.n == 3 and part.subject == "Lunch"


@pytest.mark.parametrize(
    "ref",
    [
        pytest.param("evidence/box.mbox#2", id="path-n"),
        pytest.param("box.mbox#2", id="file-name-n"),
        pytest.param("<m2-3@acme.example.com>", id="message-id"),
        pytest.param("ID", id="id-prefix"),
    ],
)
def test_facts_add_names_a_record_as_show_does(box_case: Path, ref: str) -> None:
    if ref == "ID":
        ref = records(box_case)[1]["id"][:8]

    result = add(box_case, "contract", "--doc", ref, "--quote", SIGNED,
                 "--set", "parties=acme,vendor", "--id", "f-signed")

    assert result.exit_code == 0, result.output
    written = load_yaml(box_case / DEFAULT_FILE, DEFAULT_FILE)
    assert written[0]["source"] == {"doc": "evidence/box.mbox#2", "quote": SIGNED}
    assert verdicts(box_case) == {"no-contract": "contradicted"}


@pytest.mark.parametrize(
    "ref, code, message",
    [
        pytest.param("evidence/box.mbox", 2,
                     "Error: --doc evidence/box.mbox: evidence/box.mbox holds 3 records; name "
                     "one, as evidence/box.mbox#N (#1 to #3) or by its id (`checker show "
                     "evidence/box.mbox` lists them). Nothing was written.\n",
                     id="file-of-many-records"),
        pytest.param("evidence/box.mbox#9", 3, "Did you mean 'evidence/box.mbox#3'?",
                     id="past-the-end"),
        pytest.param("evidence/bx.mbox", 3, "Did you mean 'evidence/box.mbox'?", id="file-typo"),
    ],
)
def test_facts_add_a_reference_that_names_no_one_record_is_refused(
    box_case: Path, ref: str, code: int, message: str
) -> None:
    result = add(box_case, "contract", "--doc", ref, "--quote", SIGNED,
                 "--set", "parties=acme,vendor")

    assert result.exit_code == code
    assert message in result.stderr
    assert facts_text(box_case) is None


# -- hostile input ---------------------------------------------------------------------
HOSTILE = "He wrote: \"don't #1 {x} [y] & *z\" -- 'ok'?\n  next: line\\n %TAG !"


def test_facts_add_hostile_quote_round_trips_exactly(make_case: CaseBuilder) -> None:
    body = f"Before.\n{HOSTILE}\nAfter."
    emails = {"m1.eml": DEFAULT_EMAIL, "odd.eml": mail(1, "Odd: {chars} #", body)}
    root = make_case(claims=NO_CONTRACT, case=NO_EXTRACTION, facts=HAND_CODED, emails=emails)

    result = add(root, "contract", "--doc", "evidence/odd.eml", "--quote", HOSTILE,
                 "--set", "parties=acme,vendor", "--note", "yes: # {it} is", "--id", "f-odd")

    assert result.exit_code == 0, result.output
    written = load_yaml(root / DEFAULT_FILE, DEFAULT_FILE)
    assert written[-1]["source"]["quote"] == HOSTILE
    assert written[-1]["note"] == "yes: # {it} is"
    assert written[:-1] == load_value(HAND_CODED)
    assert invoke("validate", root).exit_code == 0
    assert verdicts(root) == {"no-contract": "contradicted"}


# -- the facts file --------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, why",
    [
        pytest.param("notes.facts.yaml", "is not under evidence/", id="outside-evidence"),
        pytest.param("evidence/notes.yaml", "does not end in .facts.yaml", id="wrong-suffix"),
        pytest.param("evidence/../x.facts.yaml", "no '..'", id="dot-dot"),
        pytest.param("evidence/.hidden/x.facts.yaml", "hidden", id="hidden-folder"),
    ],
)
def test_facts_add_file_must_be_a_facts_file_the_case_reads(
    case: Path, name: str, why: str
) -> None:
    result = add(case, "contract", "--doc", "evidence/m1.eml", "--quote", SIGNED,
                 "--set", "parties=acme,vendor", "--file", name)

    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: --file {name}: ") and why in result.stderr
    assert facts_text(case) == HAND_CODED


@pytest.mark.parametrize(
    "locked, why",
    [
        pytest.param("evidence", "the folder {case}/evidence is read-only", id="evidence-folder"),
        pytest.param(DEFAULT_FILE, "the file is read-only", id="facts-file"),
    ],
)
def test_facts_add_read_only_case_is_a_one_line_error(case: Path, locked: str, why: str) -> None:
    with read_only(case / locked):
        result = add(case, "contract", "--doc", "evidence/m1.eml", "--quote", SIGNED,
                     "--set", "parties=acme,vendor")

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot add the fact to {case / DEFAULT_FILE}: {why.format(case=case)}. Make "
        "it writable (or code the fact in a writable copy of the case); nothing was written.\n"
    )
    assert facts_text(case) == HAND_CODED


def test_facts_add_library_refuses_without_writing(case: Path) -> None:
    with pytest.raises(FactNotAdded) as err:
        add_fact(case, "contract", "evidence/m1.eml", "Not in it.", {"parties": "acme"})

    assert err.value.problems[0].startswith("--quote: not found in evidence/m1.eml")
    assert facts_text(case) == HAND_CODED


def _code(root: str, day: int) -> str:
    coded = add_fact(Path(root), "meeting", "evidence/m1.eml", "We signed",
                     {"participants": "ann,val", "date": f"2020-03-{day:02d}"}, fact_id=f"f-{day}")
    return coded.fact.id


def test_facts_add_analysts_at_once_all_keep_their_facts(case: Path) -> None:
    days = range(1, 5)
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(days), mp_context=context) as pool:
        done = sorted(pool.map(_code, [str(case)] * len(days), days))

    assert done == [f"f-{d}" for d in days]
    ids = [e["id"] for e in load_yaml(case / DEFAULT_FILE, DEFAULT_FILE)]
    assert ids[:2] == ["f-hello", "f-lunch"] and sorted(ids[2:]) == done
    assert (facts_text(case) or "").startswith(HAND_CODED[: HAND_CODED.index("# end")])


# -- `checker facts` still lists -------------------------------------------------------
@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["facts", "CASE"], id="case"),
        pytest.param(["facts", "CASE", "--origin", "analyst"], id="case-then-option"),
        pytest.param(["facts", "--origin", "analyst", "CASE"], id="option-then-case"),
        pytest.param(["facts", "CASE", "--format", "json"], id="json"),
        pytest.param(["facts"], id="current-folder"),
    ],
)
def test_facts_add_leaves_the_listing_as_it_was(
    case: Path, args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case)

    result = invoke(*[str(case) if a == "CASE" else a for a in args])

    assert result.exit_code == 0, result.output
    assert "f-hello" in result.stdout and "f-lunch" in result.stdout
    if "json" in args:
        assert {f["id"] for f in json.loads(result.stdout)} >= {"f-hello", "f-lunch"}


def test_facts_add_listing_refuses_extra_words_and_unknown_options(case: Path) -> None:
    extra = invoke("facts", case, "more")
    assert extra.exit_code == 2 and "unexpected extra argument" in extra.stderr.lower()
    unknown = invoke("facts", case, "--doc", "x")
    assert unknown.exit_code == 2 and "No such option: --doc" in unknown.stderr


@pytest.mark.parametrize(
    "args, usage",
    [
        pytest.param(["facts", "--help"], "Usage: checker facts [OPTIONS] [case]", id="listing"),
        pytest.param(["facts", "add", "--help"], "Usage: checker facts add [OPTIONS] {type} [case]",
                     id="add"),
    ],
)
def test_facts_add_help_shows_both_forms(args: list[str], usage: str) -> None:
    result = invoke(*args)

    assert result.exit_code == 0
    assert usage in " ".join(result.stdout.split())
    assert "Example:" in result.stdout and "checker facts add" in result.stdout


def test_facts_add_needs_doc_and_quote(case: Path) -> None:
    result = invoke("facts", "add", "contract", case, "--quote", SIGNED)

    assert result.exit_code == 2
    assert "Missing option '--doc'" in result.stderr
    assert "checker facts add" in result.stderr
    assert facts_text(case) == HAND_CODED


@pytest.mark.parametrize("pair", ["parties", "=acme"])
def test_facts_add_set_takes_role_equals_value(case: Path, pair: str) -> None:
    result = add(case, "contract", "--doc", "evidence/m1.eml", "--quote", SIGNED, "--set", pair)

    assert result.exit_code == 2
    assert f"'{pair}': write ROLE=VALUE" in result.stderr
