"""`checker why REF`: what extraction did with each sentence of one record, and why.

The command runs the real pipeline with a trace (`Extractor.explain`), so the
first test holds the trace to the facts extraction gives without one; the
rest run the CLI on small cases from `make_case` (spacy.blank, the packs
alone: nothing downloads).
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.corpus import write_case
from bench.extract_speed import load
from checker.cli import app
from checker.extract.pipeline import Extractor
from checker.extraction.cache import dump_facts
from tests.conftest import CaseBuilder

runner = CliRunner()

HEAD = """\
From: Ann Lee <ann@acme.example.com>
To: Val Ortiz <val@vendor.example.org>
Date: Tue, 10 Mar 2020 10:00:00 +0000
Subject: Agreement
Message-ID: <m1@acme.example.com>
Content-Type: text/plain; charset="utf-8"

"""
NEGATED = "We have not signed the agreement with Vendor."
QUESTIONED = "Has Acme signed the agreement with Vendor?"
FOUND = "Acme signed the trial agreement with Vendor on March 3."


def email(*paragraphs: str) -> str:
    return HEAD + "\n\n".join(paragraphs) + "\n"


def invoke(*args: str) -> Any:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def why(root: Path, ref: str = "evidence/m1.eml", *more: str) -> Any:
    result = invoke("why", ref, str(root), *more)
    assert result.exit_code == 0, result.output
    return result


def blocks(text: str) -> dict[str, str]:
    """The text form's paragraphs, by the sentence each one opens with."""
    out = {}
    for block in text.split("\n\n"):
        m = re.match(r'\[\d+-\d+\](?: \([^)]*\))? "(.*)"', block)
        if m:
            out[m.group(1)] = block
    return out


def record_text(root: Path, ref: str) -> str:
    """The record's text exactly as `checker show REF` prints it."""
    shown = invoke("show", ref, str(root)).stdout
    start = shown.index("\n", shown.index("--- record text")) + 1
    return shown[start : shown.rindex("--- end of record ---")]


# -- the trace is the pipeline --------------------------------------------------------


def test_why_traced_run_gives_the_facts_extraction_gives(tmp_path: Path) -> None:
    """Message by message, `explain` gives exactly the facts `documents` gives
    for the whole document: mboxes, threads with quoted history, attachments."""
    write_case(tmp_path / "case", 300, 7)
    docs, entities, types = load(tmp_path / "case")
    extractor = Extractor(entities, types)
    found = 0
    for doc in docs:
        traced = [f for n in range(1, len(doc.messages or [doc]) + 1)
                  for f in extractor.explain(doc, n).facts]
        assert dump_facts(traced) == dump_facts(extractor.document(doc)), doc.path
        found += len(traced)
    assert found > 50  # the corpus has facts to compare


# -- outcomes -------------------------------------------------------------------------


@pytest.fixture
def three(make_case: CaseBuilder) -> Path:
    return make_case(emails={"m1.eml": email(f"{NEGATED} {QUESTIONED} {FOUND}")})


def test_why_names_negation_question_and_the_fact_found(three: Path) -> None:
    got = blocks(why(three).stdout)

    assert "dropped     contract-signed-agreement (contract)" in got[NEGATED]
    assert "\"signed the agreement\": negation ('not')" in got[NEGATED]
    assert "dropped     contract-signed-agreement (contract)" in got[QUESTIONED]
    assert "question ('?')" in got[QUESTIONED]
    assert "fired       contract-signed-agreement (contract)" in got[FOUND]
    assert "roles: parties: acme, vendor; kind: trial" in got[FOUND]
    assert re.search(r"fact x-[0-9a-f]{12}: counts \(suggested\)", got[FOUND])


def test_why_bare_verb_sentences_lack_the_patterns_words(make_case: CaseBuilder) -> None:
    """"did not sign" and "Did Acme sign" never reach the negation and question
    filters: every contract pattern needs a past form ("signed"), and why says so."""
    negated = "We did not sign the agreement with Vendor."
    questioned = "Did Acme sign the agreement with Vendor?"
    root = make_case(emails={"m1.eml": email(f"{negated} {questioned} {FOUND}")})

    got = blocks(why(root).stdout)

    for sentence in (negated, questioned):
        assert "no pattern has all its required words here; nearest:" in got[sentence]
        assert ("contract-signed-agreement (contract) lacks: countersigned | executed | signed"
                in got[sentence])
    assert "fired       contract-signed-agreement" in got[FOUND]


def test_why_marks_quoted_history_as_not_read(make_case: CaseBuilder) -> None:
    quoted = "> Acme signed the pilot agreement with Vendor yesterday."
    root = make_case(emails={"m1.eml": email(
        "Thanks, noted.", "On Mon, 9 Mar 2020, Val Ortiz wrote:\n" + quoted)})

    out = why(root).stdout
    data = json.loads(why(root, "evidence/m1.eml", "--format", "json").stdout)

    assert "--- quoted history [" in out and "not read for facts ---" in out
    block = blocks(out)[quoted]
    assert block.split("\n")[0].endswith(f'(quoted history: not read) "{quoted}"')
    assert "not read    contract-signed-agreement (contract): quoted history" in block
    (sent,) = [s for s in data["sentences"] if s["text"] == quoted]
    assert sent["read"] is False and sent["quoted"] is True
    assert {p["outcome"] for p in sent["patterns"]} == {"quoted history"}
    assert data["facts"] == []
    assert "No facts from this record." in out


def test_why_below_threshold_names_the_threshold(make_case: CaseBuilder) -> None:
    root = make_case(case="title: T\ntimezone: UTC\nextraction: {threshold: 0.9}\n",
                     emails={"m1.eml": email(FOUND)})

    out = why(root).stdout

    assert "suggested facts used at confidence 0.9 or above." in out
    assert re.search(r"fact x-[0-9a-f]{12}: not used: below the threshold 0.9", out)


def test_why_superseded_by_an_analyst_fact(make_case: CaseBuilder) -> None:
    facts = f"""\
    - id: f-trial
      fact: contract
      parties: [acme, vendor]
      source:
        doc: evidence/m1.eml
        quote: "{FOUND}"
    """
    root = make_case(facts=facts, emails={"m1.eml": email(FOUND)})

    assert "not used: the analyst fact f-trial codes this passage" in why(root).stdout


def test_why_rejected_in_review(make_case: CaseBuilder) -> None:
    root = make_case(emails={"m1.eml": email(FOUND)})
    (fact,) = json.loads(why(root, "evidence/m1.eml", "--format", "json").stdout)["facts"]
    (root / "review.yaml").write_text(f"- fact: {fact['id']}\n  decision: reject\n")

    assert f"fact {fact['id']}: not used: rejected in review.yaml" in why(root).stdout


def test_why_a_copy_filed_elsewhere_names_the_fact_the_case_keeps(
    make_case: CaseBuilder,
) -> None:
    """The same email in two files is one record: its facts count once, from the
    copy read first (path order), and why on the other copy says so."""
    text = email(FOUND)
    root = make_case(emails={"m1.eml": text}, files={
        "evidence/copy/m1-again.eml": text.replace("<m1@", "<m1b@")})
    kept = json.loads(why(root, "evidence/copy/m1-again.eml", "--format", "json").stdout)

    out = why(root).stdout

    (fact,) = kept["facts"]
    assert f"the copy of this email at evidence/copy/m1-again.eml gives it as {fact['id']}, " \
           "which counts (suggested)" in out


def test_why_extraction_disabled_says_check_uses_no_extracted_facts(
    make_case: CaseBuilder,
) -> None:
    root = make_case(case="title: T\ntimezone: UTC\nextraction: {enabled: false}\n",
                     emails={"m1.eml": email(FOUND)})

    out = why(root).stdout

    assert "Extraction: the pattern packs, no model; case.yaml disables extraction" in out
    assert "fired       contract-signed-agreement" in out
    assert "not used: case.yaml has extraction: {enabled: false}" in out


def test_why_lost_a_role_names_the_role(make_case: CaseBuilder) -> None:
    """One party named and nobody written to: at_least asks for two."""
    text = email("Acme signed the trial agreement today.").replace(
        "Val Ortiz <val@vendor.example.org>", "Someone <someone@elsewhere.example.net>")
    root = make_case(emails={"m1.eml": text})

    block = blocks(why(root).stdout)["Acme signed the trial agreement today."]

    assert "lost a role contract-signed-agreement (contract)" in block
    assert "at_least: 'parties' needs 2 distinct, found 1 (acme)" in block
    assert "roles: parties: acme; kind: trial" in block


def test_why_distinct_roles_naming_one_entity_are_named(make_case: CaseBuilder) -> None:
    sentence = "Acme shared the roster with Acme Corporation."
    root = make_case(emails={"m1.eml": email(sentence)})

    block = blocks(why(root).stdout)[sentence]

    assert "lost a role data-sharing-verb-to (data_sharing)" in block
    assert "distinct: 'from' and 'to' name the same entity" in block
    assert block.count("data-sharing-verb-to") == 1


# -- the JSON form --------------------------------------------------------------------


def test_why_json_has_the_same_content_with_offsets_in_the_record(three: Path) -> None:
    data = json.loads(why(three, "evidence/m1.eml", "--format", "json").stdout)
    text = record_text(three, data["record"]["ref"])

    assert data["record"]["ref"] == "evidence/m1.eml#1"
    assert data["extraction"] == {"enabled": True, "model": None, "threshold": 0.7,
                                  "rule": "suggested facts used at confidence 0.7 or above"}
    assert text[: data["headers"]["end"]].startswith("From: Ann Lee")
    by_text = {s["text"]: s for s in data["sentences"]}
    assert set(by_text) == {NEGATED, QUESTIONED, FOUND}
    for s in data["sentences"]:
        assert text[s["start"] : s["end"]] == s["text"]
        for e in s["entities"]:
            assert text[e["start"] : e["end"]] == e["text"]
        for p in s["patterns"]:
            if p["trigger"]:
                assert text[p["trigger"]["start"] : p["trigger"]["end"]] == p["trigger"]["text"]
    first = {s: by_text[s]["patterns"][0] for s in by_text}
    assert first[NEGATED]["outcome"] == "language"
    assert first[NEGATED]["phenomena"] == {"negation": "not"}
    assert first[QUESTIONED]["phenomena"] == {"question": "?"}
    assert first[FOUND]["outcome"] == "fired"
    assert first[FOUND]["confidence"] == {"value": 0.75, "from": "0.75"}
    # "Vendor" is no name in entities.yaml ("the vendor" is): the party is the recipient's
    assert [e["id"] for e in by_text[FOUND]["entities"]] == ["acme"]
    (fact,) = data["facts"]
    assert first[FOUND]["facts"] == [fact["id"]]
    assert (fact["used"], fact["not_used"], fact["status"]) == (True, None, "suggested")
    assert text[fact["start"] : fact["end"]] == FOUND
    assert fact["roles"] == {"parties": ["acme", "vendor"], "kind": "trial"}


def test_why_a_record_by_id_and_by_file_agree(three: Path) -> None:
    data = json.loads(why(three, "evidence/m1.eml", "--format", "json").stdout)

    by_id = why(three, data["record"]["id"][:8], "--format", "json").stdout

    assert json.loads(by_id) == data


# -- naming the record ----------------------------------------------------------------


def test_why_unknown_ref_exits_3_with_did_you_mean(three: Path) -> None:
    result = invoke("why", "evidence/m2.eml", str(three))

    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: No record or file 'evidence/m2.eml' in this case. "
        "Did you mean 'evidence/m1.eml'?")


def test_why_a_file_of_several_records_lists_them(make_case: CaseBuilder) -> None:
    mbox = "".join(
        "From ann@acme.example.com Tue Mar 10 10:00:00 2020\n"
        + email(FOUND).replace("<m1@", f"<m{n}@").replace("Agreement", f"Agreement {n}")
        + "\n"
        for n in (1, 2)
    )
    root = make_case(emails={"box.mbox": mbox})

    result = invoke("why", "evidence/box.mbox", str(root))
    second = why(root, "evidence/box.mbox#2").stdout

    assert result.exit_code == 3
    assert "evidence/box.mbox#1; " in result.stderr and "evidence/box.mbox#2" in result.stderr
    assert second.startswith("Record ") and "evidence/box.mbox#2" in second.split("\n")[0]


def test_why_shows_control_characters_from_evidence_escaped(make_case: CaseBuilder) -> None:
    root = make_case(emails={"m1.eml": email("Acme signed the \x1b[31mtrial agreement today.")})

    result = why(root)
    data = why(root, "evidence/m1.eml", "--format", "json").stdout

    assert "\x1b" not in result.stdout and "\\x1b[31m" in result.stdout
    assert "\x1b" not in data and "\\u001b[31m" in data


def test_why_help_says_what_it_shows() -> None:
    result = invoke("why", "--help")

    assert result.exit_code == 0
    help_text = textwrap.dedent(result.stdout)
    for word in ("negation", "threshold", "Quoted history", "checker why"):
        assert word in help_text
