"""A PDF email printout with Bates stamps and a redaction, end to end (issue #3).

The production's pages become citations with page and Bates numbers, the
exhibit list cites by Bates, and a verdict resting next to a redaction says so.
"""

from __future__ import annotations

import json
from pathlib import Path

from fpdf import FPDF
from typer.testing import CliRunner

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.cli import app
from checker.report import FORMATS
from checker.report.context import ReportContext
from tests.conftest import CaseBuilder

PAGES = [
    ("From: Ann Lee <ann@acme.example.com>\nSent: Tuesday, March 3, 2020 10:00 AM\n"
     "To: Val Ortiz <val@vendor.example.org>\nSubject: Trial\n\n"
     "We signed the trial agreement today.", "ACME_000101"),
    ("Our staff used the vendor portal daily for the pilot schools.\n"
     "Contact (b)(6) for the signed copy.", "ACME_000102"),
]

CLAIMS = """\
- id: never-used
  speaker: acme
  quote: "Acme never used the vendor's portal."
  asserts:
    none: {fact: use, user: acme, tool: vendor}
"""

FACTS = """\
- id: f-use
  fact: use
  user: acme
  tool: vendor
  date: 2020-03
  source:
    doc: evidence/production.pdf
    quote: "Our staff used the vendor portal daily for the pilot schools."
"""


def printout_pdf(path: Path) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.set_auto_page_break(False)
    for body, stamp in PAGES:
        pdf.add_page()
        pdf.multi_cell(0, 6, body)
        pdf.set_y(-20)
        pdf.cell(0, 6, stamp, align="R")
    pdf.output(str(path))


def build(make_case: CaseBuilder) -> Path:
    root = make_case(claims=CLAIMS, facts=FACTS, emails={})
    printout_pdf(root / "evidence" / "production.pdf")
    return root


def test_ingest_pdf_printout_citation_has_page_and_bates(make_case: CaseBuilder) -> None:
    root = build(make_case)
    case = load_case(root)
    (claim,) = Checker(case).run().claims
    assert claim.verdict == "contradicted"
    (cite,) = claim.citations
    doc = case.documents["evidence/production.pdf"]
    assert doc.text[cite.start : cite.end] == cite.quote
    assert (cite.page, cite.bates) == (2, "ACME_000102")
    assert [p.bates for p in doc.pages] == ["ACME_000101", "ACME_000102"]


def test_ingest_pdf_printout_gives_a_header_fact_from_the_printed_from_line(
        make_case: CaseBuilder) -> None:
    case = load_case(build(make_case))
    (comm,) = [f for f in case.facts if f.type == "communication"]
    assert comm.roles["from"] == "ann" and comm.roles["to"] == ("val",)
    assert comm.source is not None and comm.source.quote.startswith("From: Ann Lee")
    assert (comm.source.page, comm.source.bates) == (1, "ACME_000101")


def test_ingest_pdf_printout_verdict_next_to_a_redaction_says_so(make_case: CaseBuilder) -> None:
    (claim,) = Checker(load_case(build(make_case))).run().claims
    assert claim.citations[0].redacted_nearby == ["(b)(6)"]
    assert "redaction" in claim.reason


def test_ingest_pdf_printout_exhibits_cite_by_bates(make_case: CaseBuilder) -> None:
    case = load_case(build(make_case))
    text = FORMATS["exhibits"](Checker(case).run(), ReportContext.of(case))
    assert "ACME_000101" in text and "at ACME_000102" in text


def test_ingest_pdf_printout_docs_lists_the_bates_range(make_case: CaseBuilder) -> None:
    root = build(make_case)
    result = CliRunner().invoke(app, ["docs", str(root), "--format", "json", "--files"])
    assert result.exit_code == 0, result.output
    (doc,) = [d for d in json.loads(result.stdout) if d["path"] == "evidence/production.pdf"]
    assert doc["pages"] == 2 and doc["bates"] == {"first": "ACME_000101", "last": "ACME_000102"}
    assert doc["redactions"] == 1
