"""Every email is a record: its id, its place in its file (#N), copies merged,
and citations that count in the record's own text as `checker show` prints it."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.cli.app import app
from checker.errors import CaseInvalid
from checker.report.context import ReportContext
from checker.report.exhibits import exhibit_list
from checker.report.records import TEXT_END, TEXT_START
from tests.conftest import CaseBuilder

runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def mail(n: int, subject: str, body: str, *, mid: str | None = "", sender: str = "Ann Lee "
         "<ann@acme.example.com>", to: str = "Val Ortiz <val@vendor.example.org>",
         day: int = 3) -> str:
    """One RFC 822 message; `mid` None leaves the Message-ID out, "" makes one up."""
    head = [f"From: {sender}", f"To: {to}", f"Date: Tue, 0{day} Mar 2020 1{n}:00:00 +0000",
            f"Subject: {subject}"]
    if mid is not None:
        head.append(f"Message-ID: <{mid or f'm{n}-{day}'}@acme.example.com>")
    return "\n".join(head) + "\n\n" + body + "\n"


def mbox(*messages: str) -> str:
    return "".join(f"From ann@acme.example.com Tue Mar  3 10:00:00 2020\n{m}\n" for m in messages)


BOX = mbox(
    mail(1, "Hello", "Just saying hello."),
    mail(2, "Agreement", "We signed the trial agreement today."),
    mail(3, "Lunch", "Lunch is at noon."),
)
CLAIMS = """\
- id: no-contact
  speaker: acme
  quote: "Acme never wrote to the vendor."
  asserts:
    none: {fact: communication, from: acme, to: vendor}
"""


@pytest.fixture
def box_case(make_case: CaseBuilder) -> Path:
    return make_case(claims=CLAIMS, emails={"box.mbox": BOX})


def records(root: Path) -> list[dict]:
    result = invoke("docs", str(root), "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def shown_text(root: Path, ref: str) -> str:
    """The record's text as `checker show REF` prints it (between the markers)."""
    result = invoke("show", ref, str(root))
    assert result.exit_code == 0, result.output
    after = result.stdout.split(TEXT_START + "\n", 1)[1]
    return after.rsplit(TEXT_END, 1)[0]


def test_ingest_records_every_message_of_an_mbox_is_a_record(box_case: Path) -> None:
    rows = records(box_case)
    assert [(r["path"], r["index"], r["subject"]) for r in rows] == [
        ("evidence/box.mbox", 1, "Hello"),
        ("evidence/box.mbox", 2, "Agreement"),
        ("evidence/box.mbox", 3, "Lunch"),
    ]
    assert all(len(r["id"]) == 16 for r in rows) and len({r["id"] for r in rows}) == 3
    assert rows[1]["message_id"] == "m2-3@acme.example.com"
    assert records(box_case) == rows  # ids are stable across runs


def test_ingest_records_show_takes_id_prefix_path_n_and_message_id(box_case: Path) -> None:
    second = records(box_case)[1]
    by_ref = shown_text(box_case, "evidence/box.mbox#2")
    assert by_ref == shown_text(box_case, second["id"][:8])
    assert by_ref == shown_text(box_case, "<m2-3@acme.example.com>")
    assert by_ref == shown_text(box_case, "m2-3@acme.example.com")
    assert "We signed the trial agreement today." in by_ref
    assert "Hello" not in by_ref and "Lunch" not in by_ref


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        pytest.param("evidence/box.mbox#9", "Did you mean 'evidence/box.mbox#3'?", id="past-end"),
        pytest.param("m2-3@acme.example.con", "Did you mean 'm2-3@acme.example.com'?",
                     id="message-id-typo"),
        pytest.param("evidence/bx.mbox#2", "Did you mean 'evidence/box.mbox'?", id="file-typo"),
    ],
)
def test_ingest_records_unknown_reference_exits_3_with_did_you_mean(
    box_case: Path, ref: str, message: str
) -> None:
    result = invoke("show", ref, str(box_case))
    assert result.exit_code == 3
    assert result.stdout == ""
    assert message in result.stderr and result.stderr.startswith("Error: No record or file")


def test_ingest_records_show_of_a_many_message_file_lists_its_records(box_case: Path) -> None:
    listing = invoke("show", "evidence/box.mbox", str(box_case))
    assert listing.exit_code == 0
    assert listing.stdout.startswith("evidence/box.mbox: 3 messages.")
    whole = invoke("show", "evidence/box.mbox", str(box_case), "--all")
    assert "Lunch is at noon." in whole.stdout and "Just saying hello." in whole.stdout


def test_ingest_records_copies_in_other_files_are_one_record(make_case: CaseBuilder) -> None:
    """The same email filed twice, each copy with its own Message-ID (as CMU's
    Enron files are), is one record with two locations, and its header fact
    counts once."""
    body = "We signed the trial agreement today."
    root = make_case(claims=CLAIMS, emails={"other.eml": mail(4, "Other", "Something else.")},
                     files={"evidence/inbox/1.eml": mail(2, "Agreement", body, mid="copy-a"),
                            "evidence/sent/7.eml": mail(2, "Agreement", body, mid="copy-b")})
    rows = records(root)
    assert len(rows) == 2
    agreement = next(r for r in rows if r["subject"] == "Agreement")
    assert agreement["path"] == "evidence/inbox/1.eml"
    assert agreement["locations"] == ["evidence/sent/7.eml#1"]
    listing = invoke("docs", str(root))
    assert listing.stdout.rstrip().endswith("2 records (3 messages; 1 is a copy filed elsewhere)")

    case = load_case(root)
    try:
        comms = [f for f in case.facts if f.type == "communication" and f.origin == "header"]
        assert sorted(f.source.doc for f in comms if f.source) == [
            "evidence/inbox/1.eml", "evidence/other.eml"]
    finally:
        case.close()


def test_ingest_records_a_message_id_shared_by_different_emails_keeps_both(
    make_case: CaseBuilder,
) -> None:
    root = make_case(claims=CLAIMS, emails={"box.mbox": mbox(
        mail(1, "First", "One thing.", mid="same"),
        mail(2, "Second", "Another thing entirely.", mid="same"),
    )})
    rows = records(root)
    assert [r["subject"] for r in rows] == ["First", "Second"]
    result = invoke("show", "<same@acme.example.com>", str(root))
    assert result.exit_code == 3
    assert "matches 2 documents" in result.stderr or "matches 2" in result.stderr


def test_ingest_records_messages_without_message_id_are_told_apart(make_case: CaseBuilder) -> None:
    root = make_case(claims=CLAIMS, emails={"box.mbox": mbox(
        mail(1, "A", "First.", mid=None), mail(2, "B", "Second.", mid=None),
        mail(2, "B", "Second.", mid=None),  # the same email twice in one file: one record
    )})
    rows = records(root)
    assert [(r["index"], r["message_id"], r["locations"]) for r in rows] == [
        (1, None, []), (2, None, ["evidence/box.mbox#3"])]


def test_ingest_records_a_file_without_messages_is_one_record(make_case: CaseBuilder) -> None:
    root = make_case(claims=CLAIMS, files={"evidence/memo.txt": "A memo with no headers.\n"})
    memo = next(r for r in records(root) if r["path"] == "evidence/memo.txt")
    assert memo["index"] == 1 and memo["from"] is None
    assert shown_text(root, "evidence/memo.txt#1") == "A memo with no headers.\n"


PRINTOUT = (
    "From: Ann Lee <ann@acme.example.com>\nSent: Tuesday, March 3, 2020 10:00 AM\n"
    "To: Val Ortiz <val@vendor.example.org>\nSubject: First printed\n\nThe first printed email.\n\n"
    "From: Val Ortiz <val@vendor.example.org>\nSent: Tuesday, March 3, 2020 11:00 AM\n"
    "To: Ann Lee <ann@acme.example.com>\nSubject: Second printed\n\nThe second, same page.\n"
    "ACME_000101\n\f"
    "From: Ann Lee <ann@acme.example.com>\nSent: Wednesday, March 4, 2020 9:00 AM\n"
    "To: Val Ortiz <val@vendor.example.org>\nSubject: Third printed\n\nOn page two.\nACME_000102\n"
)


def test_ingest_records_each_printed_email_is_a_record_with_its_page(
    make_case: CaseBuilder,
) -> None:
    root = make_case(claims=CLAIMS, files={"evidence/printout.txt": PRINTOUT})
    rows = [r for r in records(root) if r["path"] == "evidence/printout.txt"]
    assert [(r["index"], r["subject"]) for r in rows] == [
        (1, "First printed"), (2, "Second printed"), (3, "Third printed")]
    second = shown_text(root, "evidence/printout.txt#2")
    assert "The second, same page." in second and "The first printed email." not in second


def test_ingest_records_citations_name_their_record_and_count_in_its_text(
    box_case: Path,
) -> None:
    case = load_case(box_case)
    try:
        result = Checker(case).run()
        (claim,) = result.claims
        assert claim.verdict == "contradicted"
        assert claim.citations
        for c in claim.citations:
            assert c.message and c.index and c.message_id
            text = shown_text(box_case, f"{c.doc}#{c.index}")
            assert text[c.start : c.end] == c.quote
            assert shown_text(box_case, c.message) == text
        exhibits = exhibit_list(result, ReportContext.of(case))
        assert len(exhibits) == len({c.message for c in claim.citations}) == 3
        assert [e.index for e in exhibits] == [1, 2, 3]
        assert all(e.message_id and e.record_sha256 and e.sha256 for e in exhibits)
    finally:
        case.close()


FACT_IN = """\
- id: f-agreement
  fact: contract
  parties: [acme, vendor]
  source: {{doc: {doc}, quote: "{quote}"}}
"""
TWICE = mbox(mail(1, "Ours", "We signed the trial agreement today."),
             mail(2, "Theirs", "They said: We signed the trial agreement today."))


@pytest.mark.parametrize(
    ("doc", "quote", "problem"),
    [
        pytest.param("evidence/box.mbox", "We signed the trial agreement today.",
                     "quote found in 2 different emails of evidence/box.mbox "
                     "(evidence/box.mbox#1, evidence/box.mbox#2); write doc: evidence/box.mbox#N",
                     id="two-emails"),
        pytest.param("evidence/box.mbox#5", "We signed", "has no message #5: it holds 2",
                     id="no-such-message"),
        pytest.param("evidence/box.mbox#1", "They said", "quote not found in evidence/box.mbox#1",
                     id="not-in-that-message"),
    ],
)
def test_ingest_records_analyst_quote_must_name_one_email(
    make_case: CaseBuilder, doc: str, quote: str, problem: str
) -> None:
    root = make_case(claims=CLAIMS, emails={"box.mbox": TWICE},
                     facts=FACT_IN.format(doc=doc, quote=quote))
    with pytest.raises(CaseInvalid) as err:
        load_case(root)
    assert "analyst.facts.yaml:" in str(err.value) and problem in str(err.value)


def test_ingest_records_analyst_doc_path_n_picks_the_email(make_case: CaseBuilder) -> None:
    root = make_case(claims=CLAIMS, emails={"box.mbox": TWICE}, facts=FACT_IN.format(
        doc="evidence/box.mbox#2", quote="We signed the trial agreement today."))
    case = load_case(root)
    try:
        (fact,) = [f for f in case.facts if f.id == "f-agreement"]
        assert fact.source is not None
        part = case.documents.part_at(fact.source.doc, fact.source.start)
        assert part is not None and part.n == 2
    finally:
        case.close()


def test_ingest_records_html_context_stays_inside_the_cited_email(box_case: Path) -> None:
    case = load_case(box_case)
    try:
        result = Checker(case).run()
        html = textwrap.dedent(
            __import__("checker.report.html", fromlist=["render_html"]).render_html(
                result, ReportContext.of(case)
            )
        )
    finally:
        case.close()
    second = html.split("evidence/box.mbox#2</code>", 1)[1].split("</li>", 1)[0]
    assert "Agreement" in second
    assert "Just saying hello" not in second and "Lunch is at noon" not in second


def test_ingest_records_pdf_printout_with_two_emails_on_a_page(make_case: CaseBuilder) -> None:
    """A Bates-stamped PDF printout: two printed emails on page 1, a third on page 2;
    each is a record that knows its page and Bates number."""
    from fpdf import FPDF

    pages = [PRINTOUT.split("\f")[0].replace("ACME_000101\n", ""),
             PRINTOUT.split("\f")[1].replace("ACME_000102\n", "")]
    root = make_case(claims=CLAIMS)
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.set_auto_page_break(False)
    for body, stamp in zip(pages, ("ACME_000101", "ACME_000102"), strict=True):
        pdf.add_page()
        pdf.multi_cell(0, 5, body)
        pdf.set_y(-20)
        pdf.cell(0, 6, stamp, align="R")
    pdf.output(str(root / "evidence" / "production.pdf"))
    rows = [r for r in records(root) if r["path"] == "evidence/production.pdf"]
    assert [(r["index"], r["subject"], r["page"], r["bates"]) for r in rows] == [
        (1, "First printed", "1", "ACME_000101"),
        (2, "Second printed", "1", "ACME_000101"),
        (3, "Third printed", "2", "ACME_000102"),
    ]
    assert "The second, same page." in shown_text(root, "evidence/production.pdf#2")


def test_ingest_records_exhibit_of_a_printed_email_gives_its_bates_range(
    make_case: CaseBuilder,
) -> None:
    """One printed email over two Bates-stamped pages: one exhibit, cited by Bates."""
    from fpdf import FPDF

    claims = """\
- id: no-agreement
  speaker: acme
  quote: "Acme never signed anything with the vendor."
  asserts:
    none: {fact: contract, parties: [acme, vendor]}
"""
    facts = """\
- id: f-signed
  fact: contract
  parties: [acme, vendor]
  source: {doc: evidence/production.pdf, quote: "We signed the trial agreement today."}
"""
    root = make_case(claims=claims, facts=facts)
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.set_auto_page_break(False)
    for body, stamp in (
        ("From: Ann Lee <ann@acme.example.com>\nSent: Tuesday, March 3, 2020 10:00 AM\n"
         "To: Val Ortiz <val@vendor.example.org>\nSubject: Trial\n\nA first page.", "ACME_000101"),
        ("We signed the trial agreement today.", "ACME_000102"),
    ):
        pdf.add_page()
        pdf.multi_cell(0, 5, body)
        pdf.set_y(-20)
        pdf.cell(0, 6, stamp, align="R")
    pdf.output(str(root / "evidence" / "production.pdf"))
    case = load_case(root)
    try:
        result = Checker(case).run()
        (exhibit,) = exhibit_list(result, ReportContext.of(case))
        assert (exhibit.ref, exhibit.bates_or_path) == (
            "evidence/production.pdf#1", "ACME_000101–ACME_000102")
        (cite,) = result.claims[0].citations
        assert cite.bates == "ACME_000102" and cite.index == 1
    finally:
        case.close()


def test_ingest_records_pdf_printout_without_a_header_block_is_one_record(
    make_case: CaseBuilder,
) -> None:
    from fpdf import FPDF

    root = make_case(claims=CLAIMS)
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    for body in ("A letter with no email headers at all.", "Its second page."):
        pdf.add_page()
        pdf.multi_cell(0, 5, body)
    pdf.output(str(root / "evidence" / "letter.pdf"))
    (row,) = [r for r in records(root) if r["path"] == "evidence/letter.pdf"]
    assert (row["index"], row["from"], row["subject"], row["page"]) == (1, None, None, "1-2")
    text = shown_text(root, row["id"])
    assert "no email headers" in text and "Its second page." in text


def _scan(parts, offset):
    """part_at as a plain scan: the holding record that starts last."""
    best = None
    for p in parts:
        if p.start <= offset < p.end or p.start == p.end == offset:
            if best is None or p.start >= best.start:
                best = p
    return best


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 15)), max_size=12),
       st.integers(0, 80))
def test_ingest_records_part_at_is_the_scan(spans: list[tuple[int, int]], offset: int) -> None:
    """The binary search finds what a scan finds, for records apart, touching,
    nested (an attached message inside its message) or empty."""
    from checker.ingest.records import Part, part_at

    parts = [Part("k", n, s, s + w, f"r{n}") for n, (s, w) in
             enumerate(sorted(spans), 1)]
    assert part_at(parts, offset) == _scan(parts, offset)


def test_ingest_records_maildir_copies_in_two_folders_are_one_record(
    make_case: CaseBuilder,
) -> None:
    """CMU-style maildir files (`1.`, no suffix): the same email in inbox and in
    all_documents, each under its own Message-ID, is one record."""
    body = "The quarterly numbers are attached."
    root = make_case(claims=CLAIMS, emails={}, files={
        "evidence/maildir/lay-k/inbox/1.": mail(2, "Numbers", body, mid="cmu-1"),
        "evidence/maildir/lay-k/all_documents/7.": mail(2, "Numbers", body, mid="cmu-7"),
    })
    (row,) = records(root)
    assert row["path"] == "evidence/maildir/lay-k/all_documents/7."
    assert row["locations"] == ["evidence/maildir/lay-k/inbox/1.#1"]
