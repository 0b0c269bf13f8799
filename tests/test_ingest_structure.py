"""Structure every production shares: Bates numbers, redactions, quoted history,
threads, attribution of quoted passages, and the redaction note on verdicts."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.ingest.annotate import annotate
from checker.ingest.bates import find_bates, page_stamp, stamps
from checker.ingest.document import Attachment, Document, Message, Page, Redaction
from checker.ingest.evidence import read_one
from checker.ingest.quoted import find_quoted, in_quoted
from checker.ingest.redactions import find_markers, find_redactions, merge
from checker.ingest.threads import attribute, normal_subject, original_of, thread_ids
from tests.conftest import SHARED

CLINTON = SHARED / "corpora" / "clinton-ocr"
UTC = ZoneInfo("UTC")

# --- Bates numbers -------------------------------------------------------------------


def three_pages(stamps_: list[str], where: str = "bottom") -> Document:
    """A 3-page document; each page's stamp (or "" for none) at its top or bottom."""
    text, pages = "", []
    for n, stamp in enumerate(stamps_, 1):
        body = f"Page {n} text about the pilot.\nMore words on page {n}.\n"
        page = (f"{stamp}\n{body}" if where == "top" else f"{body}{stamp}\n") if stamp else body
        pages.append(Page(n, len(text), len(text) + len(page)))
        text += page
    return Document("production.pdf", text, pages=pages)


@pytest.mark.parametrize("stamp", ["NYPD_000123", "NYPD-000123", "ABC 0001234",
                                   "DOJ-OGR-00001234", "C05794191", "STATE-SCB0045500"])
@pytest.mark.parametrize("where", ["top", "bottom"])
def test_bates_each_stamp_form_is_found_per_page(stamp: str, where: str) -> None:
    doc = three_pages([stamp, "", "        " + stamp], where)
    find_bates(doc)
    assert [p.bates for p in doc.pages] == [stamp, None, stamp]


def test_bates_footer_stamp_beats_a_reference_in_the_body() -> None:
    text = "As shown at NYPD_000001, the trial began.\nMore text.\n\nNYPD_000045\n"
    assert page_stamp(text) == "NYPD_000045"


def test_bates_labelled_doc_number_wins_over_the_case_number() -> None:
    line = ("UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 "
            "Doc No. C05765907 Date: 08/31/2015")
    assert page_stamp(f"{line}\nbody text here\n{line}\n") == "C05765907"


@pytest.mark.parametrize("text", [
    "Call me at 212-555-0123 tomorrow.",
    "Meeting on 2020-03-04 at 10:00, or 03/04/2020.",
    "We will be in Room 204 on the 3rd floor.",
    "Budget for FY 2020 and FY-2021.",
    "1 Police Plaza, New York, NY 10007",
    "Cambridge, MA 02139-4307",
    "Case No. F-2014-20439",
    "Docket EPA-HQ-2020-001234 is open.",
    "Tracking AB-123 and item x000123456.",
    "COVID-19 update, HR 1234 passed.",
])
def test_bates_no_false_stamp_in_ordinary_text(text: str) -> None:
    assert stamps(text) == []
    doc = Document("letter.txt", f"{text}\nRegards,\n{text}\n")
    find_bates(doc)
    assert doc.pages == []


def test_bates_text_with_form_feeds_gets_a_page_per_feed() -> None:
    text = "first page\nAB_000001\n\fsecond page\nno stamp\n\fthird page\nAB_000003\n\f"
    doc = Document("printout.txt", text)
    find_bates(doc)
    assert [(p.number, p.bates) for p in doc.pages] == [(1, "AB_000001"), (2, None),
                                                        (3, "AB_000003")]
    assert doc.pages[-1].end == len(text)
    assert doc.passage(text.index("third"), text.index("third") + 5).bates == "AB_000003"


def test_bates_a_stamp_a_reader_set_is_kept() -> None:
    doc = three_pages(["NYPD_000123", "", ""])
    doc.pages[1] = Page(2, doc.pages[1].start, doc.pages[1].end, bates="FROM-READER-1")
    find_bates(doc)
    assert [p.bates for p in doc.pages] == ["NYPD_000123", "FROM-READER-1", None]


def test_bates_clinton_printouts_carry_their_doc_number() -> None:
    if not CLINTON.is_dir():
        pytest.skip(f"the Clinton OCR corpus is not at {CLINTON}")
    for name in ["Clinton_Email_August_Release__C05765907.txt",
                 "Clinton_Email_August_Release__C05766534.txt"]:
        doc = Document(name, (CLINTON / name).read_text(encoding="utf-8", errors="replace"))
        find_bates(doc)
        number = name.rsplit("__", 1)[1].removesuffix(".txt")
        assert doc.pages and all(p.bates == number for p in doc.pages)
        assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)


def test_annotate_a_clinton_printout_end_to_end() -> None:
    """C05794191: a B6 stamp between From: and Sent:, a release stamp, a quoted reply."""
    name = "HRCEmail_NovWeb__C05794191.txt"
    if not (CLINTON / name).is_file():
        pytest.skip(f"the Clinton OCR corpus is not at {CLINTON}")
    text = (CLINTON / name).read_text(encoding="utf-8", errors="replace")
    doc = annotate(Document(name, text, [Message(0, len(text))]))
    assert {p.bates for p in doc.pages} == {"C05794191"}
    first = doc.redactions[0]
    assert first.marker == "B6" and text.rindex("From:", 0, first.start) < text.index("Sent:")
    assert "RELEASE IN PART" not in text[first.start - 40 : first.start]
    (span,) = doc.messages[0].quoted
    assert text[span[0] : span[1]].strip().startswith("Original Message\nFrom: H")


# --- Redactions ----------------------------------------------------------------------


@pytest.mark.parametrize("marker", ["(b)(6)", "(b)(7)(C)", "(B)(6)", "B6", "B7(C)",
                                    "[REDACTED]", "[ redacted ]", "REDACTED", "█████", "■■■",
                                    "XXXXXXXX", "xxxx"])
def test_redactions_each_marker_form_is_a_span(marker: str) -> None:
    text = f"The contact is {marker}, see below."
    assert find_markers(text) == [Redaction(15, 15 + len(marker), marker)]


@pytest.mark.parametrize("text", ["Part AB6C arrived.", "Under (b) of the act.",
                                  "Take b6 and vitamin B12.", "Item B6-2 and 1.4(B).",
                                  "It was Redacted later.", "XXX marks and XXXXY.",
                                  "The redacted copy.", "■ A bullet point.",
                                  "RELEASE IN PART B5,B6", "RELEASE IN FULL",
                                  "       RELEASE\n            IN PART\n            B6\n"])
def test_redactions_no_marker_in_ordinary_text(text: str) -> None:
    assert find_markers(text) == []


def test_redactions_several_codes_in_a_row_are_separate_spans() -> None:
    text = "Withheld: B5,B6 and (b)(6), (b)(7)(C)"
    assert [r.marker for r in find_markers(text)] == ["B5", "B6", "(b)(6)", "(b)(7)(C)"]


def test_redactions_document_list_is_sorted_and_keeps_reader_spans() -> None:
    doc = Document("x.txt", "Name: ████ ████ (b)(6)\nPhone: XXXX-XXXX\n")
    doc.redactions = [Redaction(6, 15, "drawn box")]
    find_redactions(doc)
    assert [(r.start, r.marker) for r in doc.redactions] == [
        (6, "drawn box"), (16, "(b)(6)"), (30, "XXXX"), (35, "XXXX")]
    assert merge([Redaction(0, 4, "a")], [Redaction(2, 6, "b")]) == [Redaction(0, 4, "a")]


# --- Quoted history ------------------------------------------------------------------

HEAD = "From: Val Ortiz <val@vendor.example.org>\nTo: Ann <ann@acme.example.com>\n" \
       "Subject: Re: Agreement\n\n"
REPLY_STYLES = {
    "angle": ("Thanks, noted.\n\n", "> We signed it.\n>> > Deeper.\n", "Bye\n"),
    "original-message": ("Thanks, noted.\n\n",
                         "-----Original Message-----\nFrom: Ann\nSent: Monday\n\nWe signed it.",
                         "\n"),
    "on-wrote": ("Thanks, noted.\n\n",
                 "On Tue, Mar 3, 2020 at 10:00 AM Ann Lee <ann@acme.example.com>\nwrote:\n"
                 "> We signed it.", "\n"),
    "outlook-block": ("Thanks, noted.\n\n",
                      "From: Ann Lee\nB6\nSent: Monday, March 2, 2020 9:11 AM\nTo: Val\n"
                      "Subject: Agreement\n\nWe signed it.", "\n"),
    "forwarded": ("See below.\n\n",
                  "---------- Forwarded message ---------\nFrom: Ann\nDate: Mon, 2 Mar 2020\n\n"
                  "We signed it.", "\n"),
    "lotus-forwarded": ("See below.\n\n",
                        "---------------------- Forwarded by Ann Lee/ACME on 03/02/2020 09:11 AM"
                        " ---------------------------\n\nWe signed it.", "\n"),
}


@pytest.mark.parametrize("style", sorted(REPLY_STYLES))
def test_quoted_each_reply_style_is_found(style: str) -> None:
    before, quoted, after = REPLY_STYLES[style]
    text = HEAD + before + quoted + after
    doc = Document("r.eml", text, [Message(0, len(text))])
    find_quoted(doc)
    (span,) = doc.messages[0].quoted
    assert text[span[0] : span[1]].strip() == quoted.strip()
    assert 0 <= span[0] < span[1] <= len(text)


@pytest.mark.parametrize("text", [
    HEAD + "No history here.\nFrom now on we meet on Sundays.\n",
    "UNCLASSIFIED U.S. Department of State Case No. F-2014-20439 Doc No. C05765907\n\n"
    "RELEASE IN PART B6\nFrom:   Sullivan, Jacob J\nSent:   Friday, December 4, 2009\n"
    "To:\nSubject:   Iran\n\nThe EU meets in the coming days.\n",
])
def test_quoted_a_message_own_header_and_plain_body_are_not_history(text: str) -> None:
    doc = Document("m.txt", text, [Message(0, len(text))])
    find_quoted(doc)
    assert doc.messages[0].quoted == ()


def test_quoted_spans_stay_inside_each_message_of_an_mbox() -> None:
    first = HEAD + "Reply one.\n> old line\n"
    second = HEAD + "Reply two.\n-----Original Message-----\nold text\n"
    text = first + "\n" + second
    doc = Document("box.mbox", text, [Message(0, len(first)),
                                      Message(len(first) + 1, len(text))])
    find_quoted(doc)
    (a,), (b,) = (m.quoted for m in doc.messages)
    assert text[a[0] : a[1]] == "> old line"
    assert text[b[0] : b[1]] == "-----Original Message-----\nold text"
    assert in_quoted(doc, b[0] + 5, b[1]) and not in_quoted(doc, 0, 10)


def test_quoted_history_stops_before_the_attachments() -> None:
    body = HEAD + "See below.\n\n-----Original Message-----\nold text\n"
    line = "[Attachment: terms.txt (text/plain, 9 bytes)]\n"
    text = body + "\n" + line + "Terms: X\n"
    start = len(body) + 1 + len(line)
    att = Attachment("terms.txt", "text/plain", 9, start, start + 8)
    doc = Document("a.eml", text, [Message(0, len(text), attachments=(att,))])
    find_quoted(doc)
    (span,) = doc.messages[0].quoted
    assert text[span[0] : span[1]] == "-----Original Message-----\nold text"


# --- Threads and attribution ---------------------------------------------------------


def msg(sender: str, to: str, subject: str, mid: str | None = None,
        reply_to: str | None = None, refs: tuple[str, ...] = ()) -> Message:
    return Message(0, 1, subject=subject, from_addr=("", sender), to_addrs=(("", to),),
                   message_id=mid, in_reply_to=reply_to, references=refs)


def test_threads_by_message_id_in_reply_to_and_references() -> None:
    docs = [
        Document("a.eml", "x", [msg("a@x", "b@x", "Pilot", "<1@x>")]),
        Document("b.eml", "x", [msg("b@x", "a@x", "Re: Pilot", "<2@x>", "<1@x>")]),
        Document("c.eml", "x", [msg("c@x", "a@x", "Other words", "<3@x>", None,
                                    ("<1@x>", "<2@x>"))]),
        Document("d.eml", "x", [msg("a@x", "b@x", "Budget", "<4@x>")]),
        Document("e.mbox", "x", [msg("a@x", "b@x", "Re: Lost", "<5@x>", "<missing@x>"),
                                 msg("b@x", "a@x", "Re: Lost", "<6@x>", "<missing@x>")]),
    ]
    ids = thread_ids(docs)
    assert ids[("a.eml", 0)] == ids[("b.eml", 0)] == ids[("c.eml", 0)]
    assert ids[("d.eml", 0)] != ids[("a.eml", 0)]
    assert ids[("e.mbox", 0)] == ids[("e.mbox", 1)] != ids[("a.eml", 0)]
    assert thread_ids(docs) == ids  # same input, same ids
    assert all(v.startswith("thread-") and len(v) == 19 for v in ids.values())


@pytest.mark.parametrize("subject, sender, to, same", [
    ("RE: Fwd:  PILOT ", "b@x", "a@x", True),
    ("AW: WG: Pilot", "A@X", "b@x", True),
    ("Re: Pilot", "a@x", "c@x", False),       # other participants
    ("Re: Pilot plan", "b@x", "a@x", False),  # other subject
])
def test_threads_by_subject_and_participants(subject: str, sender: str, to: str,
                                             same: bool) -> None:
    docs = [Document("p1.txt", "x", [msg("a@x", "b@x", "Pilot")]),
            Document("p2.txt", "x", [msg(sender, to, subject)])]
    ids = thread_ids(docs)
    assert (ids[("p1.txt", 0)] == ids[("p2.txt", 0)]) is same


def test_threads_subject_normalisation() -> None:
    assert normal_subject("Re: RE:Fw: FWD[2]:  Roster   Export") == "roster export"
    assert normal_subject(None) == ""


ORIGINAL = """\
From: Ann Lee <ann@acme.example.com>
To: Val Ortiz <val@vendor.example.org>
Date: Tue, 03 Mar 2020 10:00:00 +0000
Subject: Agreement
Message-ID: <m1@acme.example.com>

We signed the trial agreement today. It runs through June.
Ann
"""
REPLY = """\
From: Val Ortiz <val@vendor.example.org>
To: Ann Lee <ann@acme.example.com>
Date: Wed, 04 Mar 2020 09:00:00 +0000
Subject: Re: Agreement
Message-ID: <m2@vendor.example.org>
In-Reply-To: <m1@acme.example.com>

Great news, thanks.

On Tue, 3 Mar 2020 at 10:00, Ann Lee <ann@acme.example.com> wrote:
> We signed the trial agreement today.
> It runs through June.
"""


def read(tmp_path: Path, name: str, text: str) -> Document:
    path = tmp_path / "evidence" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    record, doc = read_one(path, f"evidence/{name}", UTC)
    assert doc is not None, record
    return doc


def test_attribute_finds_the_original_of_a_quoted_passage(tmp_path: Path) -> None:
    original, reply = read(tmp_path, "m1.eml", ORIGINAL), read(tmp_path, "m2.eml", REPLY)
    start, end = reply.locate("We signed the trial agreement today.") or (0, 0)
    assert in_quoted(reply, start, end)
    found, a, b = attribute([reply, original], reply, start, end)
    assert found is original
    assert original.text[a:b] == "We signed the trial agreement today."
    assert original_of("> We signed the trial agreement today.", [reply]) is None
    # one thread, by headers once the email reader keeps them, else by subject and people
    ids = thread_ids([original, reply])
    assert ids[("evidence/m1.eml", 0)] == ids[("evidence/m2.eml", 0)]


def test_attribute_original_of_a_passage_wrapped_across_quote_markers(tmp_path: Path) -> None:
    original = read(tmp_path, "m1.eml", ORIGINAL)
    found = original_of(">> We signed the trial\n>> agreement today.", [original])
    assert found is not None and found[0] is original
    assert original.text[found[1] : found[2]] == "We signed the trial agreement today."


def test_attribute_leaves_an_unquoted_passage_alone(tmp_path: Path) -> None:
    original, reply = read(tmp_path, "m1.eml", ORIGINAL), read(tmp_path, "m2.eml", REPLY)
    start, end = reply.locate("Great news, thanks.") or (0, 0)
    assert attribute([reply, original], reply, start, end) == (reply, start, end)
    start, end = reply.locate("It runs through June.") or (0, 0)
    lone = annotate(Document("evidence/only.txt", reply.text, list(reply.messages)))
    assert attribute([lone], lone, start, end) == (lone, start, end)  # no original known


# --- Verdicts ------------------------------------------------------------------------

NEAR_REDACTION = ORIGINAL.replace("It runs through June.",
                                  "It runs through June. Contact: (b)(6)")
CLAIM = [{"id": "signed", "speaker": "acme", "quote": "We have a contract with the vendor.",
          "asserts": {"some": {"fact": "contract", "parties": ["acme", "vendor"]}}}]


def contract_fact(doc: str) -> str:
    return yaml.safe_dump([{"id": "f-trial", "fact": "contract", "parties": ["acme", "vendor"],
                            "kind": "trial", "source": {
                                "doc": doc, "quote": "We signed the trial agreement today."}}])


def test_verdicts_citation_next_to_a_redaction_carries_the_markers_and_a_note(
        make_case) -> None:
    root = make_case(claims=yaml.safe_dump(CLAIM), facts=contract_fact("evidence/m1.eml"),
                     emails={"m1.eml": NEAR_REDACTION})
    (result,) = Checker(load_case(root)).run().claims
    assert result.verdict == "supported"
    (cite,) = result.citations
    assert cite.redacted_nearby == ["(b)(6)"]
    assert result.reason.endswith(" Note: a cited passage lies next to a redaction ((b)(6)); "
                                  "the withheld text may bear on it.")
    assert cite.original is None


def test_verdicts_no_note_without_a_redaction_and_original_of_a_quote(make_case) -> None:
    root = make_case(claims=yaml.safe_dump(CLAIM), facts=contract_fact("evidence/m2.eml"),
                     emails={"m1.eml": ORIGINAL, "m2.eml": REPLY})
    case = load_case(root)
    (result,) = Checker(case).run().claims
    (cite,) = result.citations
    assert cite.redacted_nearby is None and "Note:" not in result.reason
    original = case.documents["evidence/m1.eml"]
    (part,) = case.documents.parts("evidence/m1.eml")
    assert part.start == 0  # one message: the record's text is the file's
    assert cite.original == {"doc": "evidence/m1.eml", "message": part.key, "index": 1,
                             "start": original.text.index("We signed"),
                             "end": original.text.index(" It runs")}
