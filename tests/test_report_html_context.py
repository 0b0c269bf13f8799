"""The HTML report's context around a cited passage stays inside the passage's record.

A record is the message that holds the passage (an mbox holds many), or, in a
file with no messages, the whole text. Context is clipped at the record's edges
and the edge is marked, so a reader never takes the tail of the previous email
for part of the cited one; inside a record, an ellipsis still means "more of
the same record".
"""

from __future__ import annotations

import re

import pytest

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.report.context import ReportContext
from checker.report.html import render_html
from tests.conftest import CaseBuilder


def _message(n: int, sender: str, to: str, body: str) -> str:
    return (
        f"From {sender.split('<')[1].rstrip('>')} Tue Mar  {n} 10:00:00 2020\n"
        f"From: {sender}\nTo: {to}\nDate: Tue, 0{n} Mar 2020 10:00:00 +0000\n"
        f"Subject: Message {n}\nMessage-ID: <m{n}@example.com>\n\n{body}\n\n"
    )


ANN = "Ann Lee <ann@acme.example.com>"
VAL = "Val Ortiz <val@vendor.example.org>"
OUTSIDER = "Sam Doe <sam@elsewhere.example.net>"
FIRST = "FIRST-MESSAGE the tail of an unrelated email, " * 3
THIRD = "THIRD-MESSAGE the head of another unrelated email, " * 3
#: Three messages; only the second is from the vendor to Acme, so only its
#: header is cited. The others are short, so ±CONTEXT characters would reach them.
MBOX = (
    _message(1, ANN, OUTSIDER, FIRST.strip())
    + _message(2, VAL, ANN, "SECOND-MESSAGE Thanks, noted.")
    + _message(3, OUTSIDER, ANN, THIRD.strip())
)
CLAIM = """\
- id: vendor-wrote
  speaker: acme
  quote: "The vendor wrote to us."
  asserts:
    some: {fact: communication, from: vendor, to: acme}
"""


def _contexts(html: str) -> list[str]:
    return re.findall(r'<blockquote class="context">(.*?)</blockquote>', html, re.S)


@pytest.fixture
def mbox_html(make_case: CaseBuilder) -> str:
    root = make_case(claims=CLAIM, emails={"box.mbox": MBOX})
    case = load_case(root)
    try:
        result = Checker(case).run()
        return render_html(result, ReportContext.of(case))
    finally:
        case.close()


def test_report_html_context_header_citation_stays_in_its_message(mbox_html: str) -> None:
    (shown,) = _contexts(mbox_html)

    assert "<mark>From: Val Ortiz &lt;val@vendor.example.org&gt;\nTo: " in shown
    assert "SECOND-MESSAGE" in shown
    assert "FIRST-MESSAGE" not in shown and "Message 1" not in shown
    assert "THIRD-MESSAGE" not in shown and "Message 3" not in shown


def test_report_html_context_marks_the_record_edges_not_an_ellipsis(mbox_html: str) -> None:
    (shown,) = _contexts(mbox_html)

    assert shown.startswith(
        '<span class="elide" title="the text before is not part of the cited message">'
        "[start of message 2 of 3]</span>\n<mark>From: "
    )
    assert shown.endswith(
        'Thanks, noted.\n<span class="elide" '
        'title="the text after is not part of the cited message">[end of message 2 of 3]</span>'
    )
    assert "\u2026" not in shown  # nothing of this record is left out


#: An OCR printout: a cover line, then two printed emails; the second is cited.
PRINTOUT = (
    "RELEASED UNDER FOIA - CASE 2020-0042\n\n"
    f"From: {ANN}\nSent: Sunday, March 1, 2020 10:00 AM\nTo: {OUTSIDER}\n"
    f"Subject: Message 1\n\n{FIRST.strip()}\n\n"
    f"From: {VAL}\nSent: Monday, March 2, 2020 10:00 AM\nTo: {ANN}\n"
    "Subject: Message 2\n\nSECOND-MESSAGE Thanks, noted.\n"
)


def test_report_html_context_printed_email_stays_in_its_message(make_case: CaseBuilder) -> None:
    root = make_case(claims=CLAIM, emails={"printout.txt": PRINTOUT})
    case = load_case(root)
    try:
        html = render_html(Checker(case).run(), ReportContext.of(case))
    finally:
        case.close()

    (shown,) = _contexts(html)
    assert shown.startswith(
        '<span class="elide" title="the text before is not part of the cited message">'
        "[start of message 2 of 2]</span>\n<mark>From: Val Ortiz"
    )
    assert shown.endswith("SECOND-MESSAGE Thanks, noted.")
    assert "FIRST-MESSAGE" not in shown and "FOIA" not in shown


def test_report_html_context_single_message_eml_is_unchanged(make_case: CaseBuilder) -> None:
    root = make_case(claims=CLAIM.replace("from: vendor, to: acme", "from: acme, to: vendor"))
    case = load_case(root)
    try:
        html = render_html(Checker(case).run(), ReportContext.of(case))
    finally:
        case.close()

    (shown,) = _contexts(html)
    assert shown.startswith("<mark>From: Ann Lee &lt;ann@acme.example.com&gt;\n"
                            "To: Val Ortiz &lt;val@vendor.example.org&gt;</mark>\n")
    assert shown.endswith("We signed the trial agreement today. It runs through June.\nAnn\n")
    assert "elide" not in shown
