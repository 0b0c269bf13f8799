"""The claimreview, exhibits, exhibits-csv, questions and csv formats.

Golden files for the bundled case and the spec example are checked by
tests/test_report.py (every format in FORMATS); these tests check what each
format promises on a small case built here.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, Literal, Namespace
from typer.testing import CliRunner

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.cli import app
from checker.errors import CaseInvalid
from checker.model.verdicts import CaseResult, Citation
from checker.report import FORMATS
from checker.report.claimreview import RATING
from checker.report.context import ReportContext
from checker.report.exhibits import cite, exhibit_list
from tests.conftest import DEFAULT_EMAIL, CaseBuilder

SDO = Namespace("https://schema.org/")
NEW_FORMATS = ("claimreview", "exhibits", "exhibits-csv", "questions", "csv")

PUBLISHED = """\
title: Acme and Vendor
timezone: UTC
url: https://factcheck.example.org/acme
publisher: {name: Example Fact Desk, url: "https://factcheck.example.org"}
date_published: 2021-02-01
"""

CLAIMS = """\
- id: no-contract
  speaker: acme
  said_on: 2021-01-10
  source: Acme press release
  url: https://acme.example.com/press/1
  quote: "Acme has never contracted with Vendor."
  asserts:
    none: {fact: contract, parties: [acme, vendor]}
- id: paid-vendor
  speaker: ann
  quote: "We paid Vendor."
  asserts:
    some: {fact: payment, payer: acme, payee: vendor}
- id: no-sharing-h1
  speaker: acme
  quote: "We shared nothing with the regulator in the first half of 2020."
  asserts:
    none:
      fact: data_sharing
      from: acme
      to: regulator
      during: {from: 2020-01, to: 2020-06}
- id: paid-and-no-sharing
  speaker: acme
  quote: "We paid Vendor and shared no data with it."
  asserts:
    all_of:
      - some: {fact: payment, payer: acme, payee: vendor}
      - none: {fact: data_sharing, from: acme, to: vendor}
"""

FACTS = """\
- id: f-trial
  fact: contract
  parties: [acme, vendor]
  kind: trial
  from: 2020-03-03
  source: {doc: evidence/m1.eml, quote: "We signed the trial agreement today."}
- id: f-paid
  fact: payment
  payer: acme
  payee: vendor
  date: 2020-05-01
  source: {doc: evidence/m2.eml, quote: "The first payment went out today."}
"""


def email(date: str | None, subject: str, body: str, sender: str = "Ann Lee") -> str:
    """A small email from Ann (or Val) with an optional Date header."""
    address = "ann@acme.example.com" if sender == "Ann Lee" else "val@vendor.example.org"
    dated = f"Date: {date}\n" if date else ""
    return (
        f"From: {sender} <{address}>\nTo: Val Ortiz <val@vendor.example.org>\n{dated}"
        f'Subject: {subject}\nContent-Type: text/plain; charset="utf-8"\n\n{body}\n'
    )


MAY_1, SEP_1 = "Fri, 01 May 2020 09:00:00 +0000", "Tue, 01 Sep 2020 12:00:00 +0000"
EMAILS = {
    "m1.eml": DEFAULT_EMAIL,
    "m2.eml": email(MAY_1, "Payment", "The first payment went out today."),
}


def run(root: Path) -> tuple[CaseResult, ReportContext]:
    case = load_case(root)
    return Checker(case).run(), ReportContext.of(case)


@pytest.fixture
def published(make_case: CaseBuilder) -> Path:
    return make_case(claims=CLAIMS, facts=FACTS, case=PUBLISHED, emails=EMAILS)


def test_report_formats_are_registered() -> None:
    assert set(NEW_FORMATS) <= set(FORMATS)


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_report_formats_same_case_gives_same_bytes(fmt: str, published: Path) -> None:
    assert FORMATS[fmt](*run(published)) == FORMATS[fmt](*run(published))


@pytest.mark.parametrize("fmt", NEW_FORMATS)
def test_report_formats_cli_prints_the_format(fmt: str, published: Path) -> None:
    out = CliRunner().invoke(app, ["check", str(published), "--format", fmt])
    assert out.exit_code == 0, out.stderr
    assert out.stdout == FORMATS[fmt](*run(published))


# -- claimreview ---------------------------------------------------------------


def test_report_claimreview_has_googles_required_and_recommended_properties(
    published: Path,
) -> None:
    result, ctx = run(published)
    reviews = json.loads(FORMATS["claimreview"](result, ctx))
    assert [r["url"] for r in reviews] == [
        f"https://factcheck.example.org/acme#{c.id}" for c in result.claims
    ]
    for review, claim in zip(reviews, result.claims, strict=True):
        assert review["@context"] == "https://schema.org"
        assert review["@type"] == "ClaimReview"
        assert review["claimReviewed"] == claim.quote
        assert review["author"] == {
            "@type": "Organization",
            "name": "Example Fact Desk",
            "url": "https://factcheck.example.org",
        }
        assert review["datePublished"] == "2021-02-01"
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating"
        assert (rating["ratingValue"], rating["alternateName"]) == RATING[claim.verdict]
        assert (rating["worstRating"], rating["bestRating"]) == (1, 3)
        item = review["itemReviewed"]
        assert item["@type"] == "Claim"
        assert item["author"]["name"] in ("Acme Corporation", "Ann Lee")
        if claim.source:
            assert item["appearance"]["name"] == claim.source
        else:  # nothing says where the statement appeared: nothing is invented
            assert "appearance" not in item
    first = reviews[0]["itemReviewed"]
    assert first["datePublished"] == "2021-01-10"
    assert first["author"] == {"@type": "Organization", "name": "Acme Corporation"}
    assert first["appearance"] == {
        "@type": "CreativeWork",
        "name": "Acme press release",
        "url": "https://acme.example.com/press/1",
    }
    assert reviews[1]["itemReviewed"]["author"] == {"@type": "Person", "name": "Ann Lee"}
    assert [r["reviewRating"]["ratingValue"] for r in reviews] == [1, 3, 2, 2]


def test_report_claimreview_never_invents_publishing_fields(bundled_case: Path) -> None:
    case = load_case(bundled_case)  # the bundled case sets no url, publisher or date_published
    for review in json.loads(FORMATS["claimreview"](Checker(case).run(), ReportContext.of(case))):
        assert not {"url", "author", "datePublished"} & set(review)
        assert "datePublished" not in review["itemReviewed"]  # no said_on in the bundled case


def _properties(node: Any) -> int:
    """How many triples a JSON-LD object gives: one per property (and per @type)."""
    if not isinstance(node, dict):
        return 0
    return sum(1 + _properties(v) for k, v in node.items() if k != "@context")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own ConjunctiveGraph
def test_report_claimreview_parses_as_json_ld_without_loss(published: Path) -> None:
    reviews = json.loads(FORMATS["claimreview"](*run(published)))
    # The schema.org context inline (no network): every term is a schema.org IRI.
    local = [{**r, "@context": {"@vocab": str(SDO)}} for r in reviews]
    graph = Graph().parse(data=json.dumps(local), format="json-ld")
    assert len(graph) == sum(_properties(r) for r in reviews)
    assert len(list(graph.subjects(RDF.type, SDO.ClaimReview))) == len(reviews)
    quotes = {str(o) for o in graph.objects(None, SDO.claimReviewed)}
    assert quotes == {r["claimReviewed"] for r in reviews}
    assert (None, SDO.alternateName, Literal("Contradicted by the records")) in graph


@pytest.mark.parametrize(
    "meta, message",
    [
        ("publisher: {nam: Desk}\n", "unknown key 'nam'"),
        ("date_published: 2021-13-01\n", "not a real date"),
        ("date_published: last week\n", "is not a date"),
    ],
)
def test_report_claimreview_case_yaml_fields_are_checked(
    make_case: CaseBuilder, meta: str, message: str
) -> None:
    with pytest.raises(CaseInvalid) as err:
        load_case(make_case(case="title: T\n" + meta))
    assert message in str(err.value) and "case.yaml" in str(err.value)


# -- exhibits ------------------------------------------------------------------

LATER_CLAIM = """\
- id: never-met
  speaker: acme
  quote: "Acme never met Vendor."
  asserts:
    none: {fact: meeting, participants: [acme, vendor]}
"""

LATER_FACTS = """\
- id: f-met
  fact: meeting
  participants: [ann, val]
  date: 2020-09-01
  source: {doc: evidence/m3.eml, quote: "Good to meet you today."}
- id: f-met-undated
  fact: meeting
  participants: [ann, val]
  source: {doc: evidence/a-undated.eml, quote: "As discussed in person."}
"""


def test_report_exhibits_numbered_by_date_then_path_undated_last(make_case: CaseBuilder) -> None:
    emails = {
        **EMAILS,
        "m3.eml": email(SEP_1, "Met", "Good to meet you today."),
        "a-undated.eml": email(None, "Notes", "As discussed in person.", sender="Val Ortiz"),
    }
    root = make_case(claims=CLAIMS + LATER_CLAIM, facts=FACTS + LATER_FACTS, emails=emails)
    exhibits = exhibit_list(*run(root))
    assert [e.path.removeprefix("evidence/") for e in exhibits] == [
        "m1.eml",
        "m2.eml",
        "m3.eml",
        "a-undated.eml",
    ]
    assert [e.number for e in exhibits] == [1, 2, 3, 4]
    first = exhibits[0]
    assert (first.description, first.date, first.sender) == (
        "Agreement",
        "2020-03-03T10:00:00+00:00",
        "Ann Lee <ann@acme.example.com>",
    )
    assert first.recipients == ("Val Ortiz <val@vendor.example.org>",)
    assert exhibits[-1].date is None and exhibits[-1].description == "Notes"


def test_report_exhibits_numbers_are_stable_when_a_later_document_is_added(
    make_case: CaseBuilder,
) -> None:
    before = exhibit_list(*run(make_case(claims=CLAIMS, facts=FACTS, emails=EMAILS)))
    emails = {**EMAILS, "m3.eml": email(SEP_1, "Met", "Good to meet you today.")}
    later = make_case(
        claims=CLAIMS + LATER_CLAIM,
        facts=FACTS + LATER_FACTS.split("- id: f-met-undated")[0],
        emails=emails,
        name="later",
    )
    after = exhibit_list(*run(later))
    assert [(e.number, e.path, e.sha256) for e in before] == [
        (e.number, e.path, e.sha256) for e in after[: len(before)]
    ]
    assert [e.number for e in after] == [1, 2, 3]


def test_report_exhibits_sha256_is_of_the_file_bytes(published: Path) -> None:
    for e in exhibit_list(*run(published)):
        assert e.sha256 == hashlib.sha256((published / e.path).read_bytes()).hexdigest()


def test_report_exhibits_bates_range_and_pinpoint(published: Path) -> None:
    """Without Bates numbers an exhibit is named by its place, FILE#N (a PDF
    printout's Bates ranges: tests/test_ingest_records.py)."""
    result, ctx = run(published)
    exhibits = {e.path: e for e in exhibit_list(result, ctx)}
    assert exhibits["evidence/m1.eml"].bates_or_path == "evidence/m1.eml#1"
    assert exhibits["evidence/m2.eml"].bates_or_path == "evidence/m2.eml#1"
    c = result.claims[0].citations[0]
    numbers = {c.message or "": exhibits[c.doc].number}
    assert cite(c, numbers) == f"Ex. 1, chars {c.start}–{c.end}"
    assert cite(c.model_copy(update={"bates": "ACME_000102"}), numbers) == "Ex. 1 at ACME_000102"
    closed = Citation(
        doc="case.yaml", quote="q", start=5, end=6, fact="closed_world", status="confirmed"
    )
    assert cite(closed, numbers) == "case.yaml (closed-world declaration), chars 5–6"


def test_report_exhibits_markdown_lists_exhibits_and_citations(published: Path) -> None:
    text = FORMATS["exhibits"](*run(published))
    assert "| Ex. 1 | Agreement | 2020-03-03 |" in text
    assert "| Ex. 2 | Payment | 2020-05-01 |" in text
    assert re.search(r'1\. Ex\. 1, chars \d+–\d+: "We signed the trial agreement today\."', text)
    assert "> Acme has never contracted with Vendor." in text


def test_report_exhibits_csv_has_one_row_per_exhibit(published: Path) -> None:
    result, ctx = run(published)
    rows = list(csv.DictReader(io.StringIO(FORMATS["exhibits-csv"](result, ctx))))
    assert list(rows[0]) == [
        "number",
        "description",
        "date",
        "from",
        "to",
        "bates_or_path",
        "file",
        "index",
        "message_id",
        "sha256",
        "record_sha256",
    ]
    assert [(r["number"], r["description"]) for r in rows] == [("1", "Agreement"), ("2", "Payment")]
    assert rows[0]["sha256"] == exhibit_list(result, ctx)[0].sha256


# -- questions -----------------------------------------------------------------


def _section(text: str, claim_id: str) -> str:
    return text.split(f"## {claim_id}: ")[1].split("\n## ")[0]


def test_report_questions_contradicted_asks_for_an_explanation(published: Path) -> None:
    section = _section(FORMATS["questions"](*run(published)), "no-contract")
    assert section.startswith("contradicted")
    assert "**Statement.** Acme Corporation, 2021-01-10, Acme press release:" in section
    assert "evidence/m1.eml#1 [" in section and "> We signed the trial agreement today." in section
    assert '**Question.** Please explain how the statement "Acme has never contracted' in section


def test_report_questions_supported_is_a_note_without_question(published: Path) -> None:
    section = _section(FORMATS["questions"](*run(published)), "paid-vendor")
    assert "**Note.** The records support this statement" in section
    assert "No question drafted." in section and "**Question.**" not in section


def test_report_questions_unresolved_is_a_records_request(published: Path) -> None:
    section = _section(FORMATS["questions"](*run(published)), "no-sharing-h1")
    assert "**Records of** `data_sharing` with from: Acme Corporation; to: Regulator Agency" in (
        section
    )
    assert "Between: Acme Corporation and Regulator Agency" in section
    assert "Period: during 2020-01 to 2020-06" in section
    assert "Draft request: Please produce all data sharing records" in section
    assert "certification that the production of such records is complete" in section


def test_report_questions_requests_only_the_unresolved_parts(published: Path) -> None:
    section = _section(FORMATS["questions"](*run(published)), "paid-and-no-sharing")
    assert section.count("**Records of**") == 1
    assert "`data_sharing` with from: Acme Corporation; to: Vendor Ltd" in section
    assert "Period: at any time" in section


# -- csv -----------------------------------------------------------------------


def test_report_csv_has_one_row_per_claim(published: Path) -> None:
    result, ctx = run(published)
    text = FORMATS["csv"](result, ctx)
    assert "\r" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "id",
        "speaker",
        "said_on",
        "verdict",
        "reason",
        "citations",
        "first_citation",
        "quote",
    ]
    assert [r["id"] for r in rows] == [c.id for c in result.claims]
    first = rows[0]
    assert (first["speaker"], first["said_on"], first["verdict"]) == (
        "acme",
        "2021-01-10",
        "contradicted",
    )
    assert re.fullmatch(r"evidence/m1\.eml#1 \[\d+-\d+\]", first["first_citation"])
    assert rows[2]["citations"] == "0" and rows[2]["first_citation"] == ""


def test_report_csv_keeps_commas_quotes_and_newlines_in_one_field(make_case: CaseBuilder) -> None:
    claims = textwrap.dedent("""\
        - id: tricky
          speaker: acme
          quote: "We said \\"no\\", twice,\\nand meant it."
          asserts:
            some: {fact: communication, from: acme}
        """)
    rows = list(csv.reader(io.StringIO(FORMATS["csv"](*run(make_case(claims=claims))))))
    assert rows[1][-1] == 'We said "no", twice, and meant it.'
