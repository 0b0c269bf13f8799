"""A header fact's citation quotes the From line through the To (or Cc) line, the
half that shows who received it, exactly as the document's text has them (issue #10)."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.case.load import load_case
from checker.model.facts import Fact
from tests.conftest import DEFAULT_EMAIL, CaseBuilder
from tests.test_ingest_pdf_case import CLAIMS, printout_pdf


def header_facts(root: Path) -> tuple[dict[str, Fact], dict[str, str]]:
    case = load_case(root)
    facts = {f.id: f for f in case.facts if f.origin == "header"}
    texts = {path: doc.text for path, doc in case.documents.items()}
    return facts, texts


def quote_of(fact: Fact, texts: dict[str, str]) -> str:
    source = fact.source
    assert source is not None
    assert texts[source.doc][source.start : source.end] == source.quote
    return source.quote


MAIL = """\
From: Ann Lee <ann@acme.example.com>
To: Val Ortiz <val@vendor.example.org>
{cc}Date: Tue, 03 Mar 2020 10:00:00 +0000
Subject: Agreement

We signed the trial agreement today.
"""


@pytest.mark.parametrize(("cc", "last"), [
    ("", "To: Val Ortiz <val@vendor.example.org>"),
    ("Cc: Legal <ann@acme.example.com>, someone@vendor.example.org\n",
     "Cc: Legal <ann@acme.example.com>, someone@vendor.example.org"),
])
def test_header_citation_eml_quotes_from_through_to_or_cc(make_case: CaseBuilder, cc: str,
                                                          last: str) -> None:
    facts, texts = header_facts(make_case(emails={"m.eml": MAIL.format(cc=cc)}))
    quote = quote_of(facts["header:evidence/m.eml"], texts)
    assert quote.startswith("From: Ann Lee <ann@acme.example.com>\nTo: Val Ortiz")
    assert quote.endswith(last) and "Date:" not in quote


def test_header_citation_without_a_to_line_keeps_the_from_line(make_case: CaseBuilder) -> None:
    mail = "From: Ann Lee <ann@acme.example.com>\nSubject: Note to self\n\nRemember the pilot.\n"
    facts, texts = header_facts(make_case(emails={"m.eml": mail}))
    assert quote_of(facts["header:evidence/m.eml"], texts) == (
        "From: Ann Lee <ann@acme.example.com>")


def test_header_citation_mbox_quotes_each_message_own_lines(make_case: CaseBuilder) -> None:
    second = DEFAULT_EMAIL.replace("From: Ann Lee <ann@acme.example.com>\nTo: Val Ortiz",
                                   "From: Val Ortiz <val@vendor.example.org>\nTo: Ann Lee")
    second = second.replace("To: Ann Lee <val@vendor.example.org>", "To: Ann Lee "
                            "<ann@acme.example.com>").replace("<m1@", "<m2@")
    box = (f"From MAILER-DAEMON Tue Mar  3 10:00:00 2020\n{DEFAULT_EMAIL}\n"
           f"From MAILER-DAEMON Wed Mar  4 10:00:00 2020\n{second}")
    root = make_case(emails={"box.mbox": box})
    facts, texts = header_facts(root)
    first = quote_of(facts["header:evidence/box.mbox#1"], texts)
    other = quote_of(facts["header:evidence/box.mbox#2"], texts)
    assert first == "From: Ann Lee <ann@acme.example.com>\nTo: Val Ortiz <val@vendor.example.org>"
    assert other == "From: Val Ortiz <val@vendor.example.org>\nTo: Ann Lee <ann@acme.example.com>"
    src = facts["header:evidence/box.mbox#2"].source
    second_message = load_case(root).documents["evidence/box.mbox"].messages[1]
    assert src is not None and second_message.start <= src.start < src.end <= second_message.end


PRINTOUT = """\
UNCLASSIFIED U.S. Department of State Case No. F-2015-04841 Doc No. C05794191

From:            Ann Lee <ann@acme.example.com>
Sent:            Tuesday, March 3, 2020 10:00 AM
To:              Val Ortiz <val@vendor.example.org>;
                 Regulator Agency <desk@regulator.example.gov>
Cc:              B6
Subject:         Trial

We signed the trial agreement today.

From: Val Ortiz <val@vendor.example.org>
Subject: Re: Trial

Thanks.
"""


def test_header_citation_printout_quotes_the_block_through_wrapped_to_and_cc(
        make_case: CaseBuilder) -> None:
    root = make_case(emails={}, files={"evidence/print.txt": PRINTOUT})
    facts, texts = header_facts(root)
    first = quote_of(facts["header:evidence/print.txt#1"], texts)
    assert first.startswith("From:            Ann Lee <ann@acme.example.com>\nSent:")
    # the To list wraps onto a second line; the Cc line after it shows its recipients
    # were withheld (a B6 stamp), and is quoted with the rest
    assert ("To:              Val Ortiz <val@vendor.example.org>;\n"
            "                 Regulator") in first
    assert first.endswith("Cc:              B6") and "Subject:" not in first
    # the reply has no To line: its citation is its From line alone
    assert quote_of(facts["header:evidence/print.txt#2"], texts) == (
        "From: Val Ortiz <val@vendor.example.org>")


def test_header_citation_pdf_printout_quotes_from_and_to(make_case: CaseBuilder) -> None:
    root = make_case(claims=CLAIMS, emails={})
    printout_pdf(root / "evidence" / "production.pdf")
    facts, texts = header_facts(root)
    (fact,) = facts.values()
    quote = quote_of(fact, texts)
    assert quote.startswith("From: Ann Lee <ann@acme.example.com>")
    assert quote.endswith("To: Val Ortiz <val@vendor.example.org>")
    assert fact.source is not None and (fact.source.page, fact.source.bates) == (1, "ACME_000101")


def test_header_citation_printout_without_cc_ends_at_the_wrapped_to_line(
        make_case: CaseBuilder) -> None:
    root = make_case(emails={}, files={"evidence/print.txt": PRINTOUT.replace(
        "Cc:              B6\n", "")})
    facts, texts = header_facts(root)
    first = quote_of(facts["header:evidence/print.txt#1"], texts)
    assert first.endswith("To:              Val Ortiz <val@vendor.example.org>;\n"
                          "                 Regulator Agency <desk@regulator.example.gov>")
