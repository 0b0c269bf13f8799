"""Evidence formats as a public-records production has them: charsets, dates, attachments,
nested messages, maildir, Outlook .msg, PDFs (paged, scanned, encrypted) and printouts.

Binary inputs are built here in `tmp_path` (PDFs with fpdf2, mail with the stdlib);
`tests/fixtures/ingest/` holds only small hand-written text. Tests on the real corpora
in ../shared/corpora skip when it is absent.
"""

from __future__ import annotations

import base64
import io
import os
import re
import struct
import sys
import zlib
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from checker.ingest.dates import parse_date
from checker.ingest.document import Document
from checker.ingest.email import read_eml, read_mbox
from checker.ingest.evidence import read_evidence, read_one
from checker.ingest.maildir import read_maildir
from checker.ingest.msg import NEEDS_EXTRA, read_msg
from checker.ingest.pdf import read_pdf
from checker.ingest.printout import split_printout
from tests.conftest import ROOT, SHARED

NY = ZoneInfo("America/New_York")
FIXTURES = ROOT / "tests" / "fixtures" / "ingest"
CORPORA = SHARED / "corpora"


def well_formed(doc: Document) -> Document:
    """The citation invariants every reader keeps: spans inside the text, in order, and
    each From line quoting a line that starts with "From:"."""
    for msg in doc.messages:
        assert 0 <= msg.start < msg.end <= len(doc.text), msg
        if msg.from_line is not None:
            assert doc.text[msg.from_line[0] : msg.from_line[1]].startswith("From:"), msg
        for att in msg.attachments:
            assert msg.start <= att.start <= att.end <= msg.end, att
    for page in doc.pages:
        assert 0 <= page.start <= page.end <= len(doc.text), page
    return doc


def mail(body: bytes, ctype: str = "text/plain; charset=utf-8", extra: bytes = b"",
         cte: bytes = b"8bit") -> bytes:
    return (b"From: Ann Lee <ann@acme.example.com>\nTo: val@vendor.example.org\n"
            b"Date: Tue, 03 Mar 2020 10:00:00 +0000\nSubject: Test\n" + extra
            + b"MIME-Version: 1.0\nContent-Type: " + ctype.encode()
            + b"\nContent-Transfer-Encoding: " + cte + b"\n\n" + body + b"\n")


def read_bytes(tmp_path: Path, data: bytes, name: str = "m.eml") -> Document:
    path = tmp_path / name
    path.write_bytes(data)
    return well_formed(read_eml(path, name, NY))


def pdf_bytes(pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)  # 2x2 grey
    pixels = zlib.compress(b"\x00\x80\x80\x00\x80\x80")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(
        b"IEND", b"")


# --- charsets --------------------------------------------------------------------------------

@pytest.mark.parametrize(("body", "ctype", "expected"), [
    ("Le café est prêt.".encode("latin-1"), "text/plain; charset=iso-8859-1", "café est prêt"),
    ("We didn’t “share” data – ever.".encode("cp1252"), "text/plain; charset=windows-1252",
     "didn’t “share” data – ever"),
    ("我們沒有分享資料".encode("gbk"), "text/plain; charset=gb2312", "我們沒有分享資料"),  # GBK
    ("Réunion à Genève".encode(), "text/plain; charset=iso-8859-1", "Réunion à Genève"),
    ("没有共享数据".encode(), "text/plain; charset=GB2312", "没有共享数据"),  # really UTF-8
    ("Señor Müller".encode("cp1252"), "text/plain", "Señor Müller"),  # undeclared 8-bit
    (("Тест " * 40).encode()[:-3] + b"\xff", "text/plain; charset=utf-8", "Тест Тест"),
], ids=["latin-1", "windows-1252", "gb2312-really-gbk", "utf8-declared-latin1",
        "utf8-declared-gb2312", "undeclared-8bit", "utf8-one-corrupt-byte"])
def test_ingest_charset_body_decodes_declared_misdeclared_and_undeclared(
        tmp_path: Path, body: bytes, ctype: str, expected: str) -> None:
    doc = read_bytes(tmp_path, mail(body, ctype))
    assert expected in doc.text


def test_ingest_charset_leftover_quoted_printable_is_undone(tmp_path: Path) -> None:
    body = (b"The district will not share student data with the vendor under any=\n"
            b" circumstances,=20\nsaid the caf=E9 manager.\nSee https://x.example/?id=3D=20\n")
    doc = read_bytes(tmp_path, mail(body, "text/plain; charset=iso-8859-1", cte=b"7bit"))
    assert "vendor under any circumstances," in doc.text and "café manager" in doc.text
    assert doc.locate("with the vendor under any circumstances") is not None


def test_ingest_charset_equals_signs_that_are_not_qp_are_kept(tmp_path: Path) -> None:
    body = b"LoginID= brapp\nDate of Move=10/22\n==========\nhttp://x.example/a?q=20&r=3D\n"
    doc = read_bytes(tmp_path, mail(body, "text/plain; charset=us-ascii", cte=b"7bit"))
    assert "Date of Move=10/22" in doc.text and "q=20&r=3D" in doc.text


def test_ingest_charset_rfc2047_and_raw_8bit_headers_decode(tmp_path: Path) -> None:
    data = (b"From: =?utf-8?B?Sm9zw6kgUMOpcmV6?= <jose@vendor.example.org>\n"
            b"To: J\xfcrgen Beil <jurgen@acme.example.com>\n"
            b"Subject: =?iso-8859-1?Q?R=E9union_=E0_Gen=E8ve?=\n"
            b"Date: Tue, 03 Mar 2020 10:00:00 +0000\nContent-Type: text/plain\n\nHi.\n")
    doc = read_bytes(tmp_path, data)
    assert "From: José Pérez <jose@vendor.example.org>" in doc.text
    assert "To: Jürgen Beil <jurgen@acme.example.com>" in doc.text
    assert doc.messages[0].subject == "Réunion à Genève"


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "iso"), [
    ("Mon, 14 May 2001 16:39:00 -0700 (PDT)", "2001-05-14T19:39:00-04:00"),
    ("Monday, August 21, 2000 9:35 AM", "2000-08-21T09:35:00-04:00"),
    ("8/21/2000", "2000-08-21T00:00:00-04:00"),
    ("Friday, March 5, 2010 10:22 PM", "2010-03-05T22:22:00-05:00"),
    ("Tue Jul 01 18:52:18 2010", "2010-07-01T18:52:18-04:00"),
    ("Sunday, January 27, 2013 07:31 PM Eastern Standard Time", "2013-01-27T19:31:00-05:00"),
    ("Thursday, August 25, 20111:56 PM", "2011-08-25T13:56:00-04:00"),  # OCR lost a space
])
def test_ingest_dates_real_formats_parse_into_the_case_timezone(raw: str, iso: str) -> None:
    parsed = parse_date(raw, NY)
    assert (parsed.iso, parsed.problem) == (iso, None)


@pytest.mark.parametrize(("raw", "problem"), [
    ("Thu, 01 Jan 1970 00:00:00 +0000", "before 1980"),
    ("Mon, 31 Dec 1979 16:00:00 -0800 (PST)", "before 1980"),  # CMU's null date
    ("Wed, 01 Jan 2098 10:00:00 +0000", "future"),
    ("March 2010", "no day"),
    ("Sent from my iPad", "not a date"),
])
def test_ingest_dates_untrusted_dates_are_flagged(raw: str, problem: str) -> None:
    parsed = parse_date(raw, NY)
    assert parsed.when is None and problem in (parsed.problem or "")


def test_ingest_dates_implausible_1970_email_date_is_kept_raw_and_warned(tmp_path: Path) -> None:
    data = mail(b"Hello.").replace(b"Tue, 03 Mar 2020 10:00:00 +0000",
                                   b"Thu, 01 Jan 1970 00:00:00 +0000")
    doc = read_bytes(tmp_path, data)
    msg = doc.messages[0]
    assert msg.date is None and msg.date_raw == "Thu, 01 Jan 1970 00:00:00 +0000"
    assert any("1970" in w and "before 1980" in w for w in doc.warnings)


# --- email structure -------------------------------------------------------------------------

def test_ingest_email_ids_and_threading_headers_are_filled(tmp_path: Path) -> None:
    extra = (b"Message-ID: <b2@acme.example.com>\nIn-Reply-To: <a1@vendor.example.org>\n"
             b"References: <a0@vendor.example.org>\n <a1@vendor.example.org>\n")
    msg = read_bytes(tmp_path, mail(b"Reply.", extra=extra)).messages[0]
    assert msg.message_id == "b2@acme.example.com"
    assert msg.in_reply_to == "a1@vendor.example.org"
    assert msg.references == ("a0@vendor.example.org", "a1@vendor.example.org")


def test_ingest_email_html_only_body_drops_script_and_style(tmp_path: Path) -> None:
    html = (b"<html><head><style>p {color: red}</style></head><body><p>Signed the "
            b"<b>trial</b>.</p><script>alert(1)</script></body></html>")
    doc = read_bytes(tmp_path, mail(html, "text/html; charset=utf-8"))
    assert "Signed the trial." in doc.text and "color" not in doc.text and "alert" not in doc.text


def test_ingest_email_attachment_name_is_only_text_and_nothing_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = (b"From: a@b.example\nTo: c@d.example\nSubject: x\nMIME-Version: 1.0\n"
            b'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\n'
            b"See attached.\n--B\nContent-Type: text/plain\n"
            b'Content-Disposition: attachment; filename="../../etc/passwd\x07\x1b[2J"\n\n'
            b"root:x:0:0:root:/root:/bin/bash\n--B--\n")
    (tmp_path / "m.eml").write_bytes(data)
    before = sorted(p.as_posix() for p in tmp_path.rglob("*"))
    passwd = Path("/etc/passwd").stat().st_mtime if Path("/etc/passwd").exists() else None
    doc = well_formed(read_eml(tmp_path / "m.eml", "m.eml", NY))
    assert sorted(p.as_posix() for p in tmp_path.rglob("*")) == before
    assert (Path("/etc/passwd").stat().st_mtime if passwd is not None else None) == passwd
    att = doc.messages[0].attachments[0]
    assert att.name == "../../etc/passwd??[2J"  # control characters shown as '?'
    assert "[Attachment: ../../etc/passwd??[2J (text/plain, 31 bytes)]" in doc.text
    assert doc.text[att.start : att.end] == "root:x:0:0:root:/root:/bin/bash"
    assert not any(ch in doc.text for ch in "\x07\x1b")


def test_ingest_email_html_and_pdf_attachments_have_their_text_extracted(tmp_path: Path) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@b.example", "c@d.example", "Files"
    msg.set_content("Two files.")
    msg.add_attachment("<p>Board <b>approved</b> the contract.</p><script>x()</script>",
                       subtype="html", filename="minutes.html")
    msg.add_attachment(pdf_bytes(["Memo: the data sharing agreement is signed."]),
                       maintype="application", subtype="pdf", filename="memo.pdf")
    msg.add_attachment(tiny_png(), maintype="image", subtype="png", filename="logo.png")
    doc = read_bytes(tmp_path, bytes(msg))
    html, pdf, png = doc.messages[0].attachments
    assert doc.text[html.start : html.end] == "Board approved the contract."
    assert "data sharing agreement is signed" in doc.text[pdf.start : pdf.end]
    assert png.start == png.end and png.note == "text not extracted: image/png"
    assert re.search(r"\[Attachment: memo\.pdf \(application/pdf, \d+ bytes\)\]", doc.text)


def test_ingest_email_nested_messages_render_and_stop_at_ten_deep(tmp_path: Path) -> None:
    inner = EmailMessage()
    inner["From"], inner["Subject"] = "deep@x.example", "level 15"
    inner.set_content("the bottom")
    for level in range(14, -1, -1):
        outer = EmailMessage()
        outer["From"], outer["To"] = f"l{level}@x.example", "c@d.example"
        outer["Subject"] = f"level {level}"
        outer.set_content(f"wrapper {level}")
        outer.add_attachment(inner)
        inner = outer
    doc = read_bytes(tmp_path, bytes(inner))
    assert len(doc.messages) == 1
    assert "wrapper 10" in doc.text and "wrapper 11" not in doc.text
    assert "nested more than 10 deep" in doc.text
    nested = doc.messages[0].attachments[0]
    assert nested.content_type == "message/rfc822"
    assert doc.text[nested.start :].startswith("From: l1@x.example")


def test_ingest_email_mbox_from_escapes_are_undone(tmp_path: Path) -> None:
    box = tmp_path / "b.mbox"
    box.write_bytes(b"From x Tue Mar  3 10:00:00 2020\n" + mail(b"line\n>From here on, no.")
                    + b"\n")
    doc = well_formed(read_mbox(box, "b.mbox", NY))
    assert "\nFrom here on, no." in doc.text


# --- maildir ---------------------------------------------------------------------------------

def test_ingest_maildir_files_without_extension_are_messages(tmp_path: Path) -> None:
    cmu = tmp_path / "evidence" / "maildir" / "lee-a" / "sent"
    classic = tmp_path / "evidence" / "box" / "cur"
    for folder in (cmu, classic):
        folder.mkdir(parents=True)
    (cmu / "1.").write_bytes(mail(b"CMU layout."))
    (classic / "1600000000.M1P1.host:2,S").write_bytes(mail(b"Classic maildir."))
    (classic / "notes").write_bytes(b"just some notes, not mail\n")
    out = read_evidence(tmp_path, NY)
    status = {r.path.rsplit("/", 1)[-1]: (r.status, r.reason) for r in out.manifest}
    assert status["1."][0] == "read" and status["1600000000.M1P1.host:2,S"][0] == "read"
    assert status["notes"] == ("skipped", "no extension and not an email message "
                                          "(does not start with RFC 822 headers)")
    docs = [well_formed(d) for d in out.documents.values()]
    assert {d.kind for d in docs} == {"maildir"}
    assert any("CMU layout." in d.text for d in docs)


@pytest.mark.skipif(not (CORPORA / "enron-maildir").is_dir(), reason="corpora absent")
def test_ingest_maildir_enron_non_utf8_decodes_its_latin1_byte() -> None:
    doc = well_formed(read_maildir(CORPORA / "enron-maildir" / "non_utf8", "non_utf8", NY))
    assert "helge-jürgen.beil@enron.com" in doc.text and "\ufffd" not in doc.text


@pytest.mark.skipif(not (CORPORA / "enron-maildir").is_dir(), reason="corpora absent")
def test_ingest_maildir_enron_null_date_is_flagged() -> None:
    path = CORPORA / "enron-maildir" / "maildir" / "whalley-g" / "notes_inbox" / "1."
    doc = well_formed(read_maildir(path, "1.", NY))
    assert doc.messages[0].date is None and "1979" in (doc.messages[0].date_raw or "")
    assert doc.warnings


# --- Outlook .msg ----------------------------------------------------------------------------

MSG = CORPORA / "parser-torture" / "mail_outlook_1.msg"


@pytest.mark.skipif(not MSG.is_file(), reason="corpora absent")
def test_ingest_msg_outlook_file_reads_like_email() -> None:
    pytest.importorskip("extract_msg")
    doc = well_formed(read_msg(MSG, "mail_outlook_1.msg", NY))
    msg = doc.messages[0]
    assert doc.kind == "msg" and doc.text.startswith("From: ")
    assert msg.date == "2017-09-18T06:00:18-04:00" and msg.message_id
    assert len(msg.attachments) == 5 and "[Attachment: newsletter.png (image/png," in doc.text


def test_ingest_msg_without_the_extra_is_skipped_with_the_install_hint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "extract_msg", None)  # import now raises ImportError
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "a.msg").write_bytes(b"\xd0\xcf\x11\xe0not really")
    record, doc = read_one(tmp_path / "evidence" / "a.msg", "evidence/a.msg", NY)
    assert (record.status, record.reason, doc) == ("skipped", NEEDS_EXTRA, None)
    assert NEEDS_EXTRA == "Outlook .msg needs the optional extra: pip install 'checker[msg]'"


# --- PDF -------------------------------------------------------------------------------------

def test_ingest_pdf_pages_are_spans_of_the_stored_text(tmp_path: Path) -> None:
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_bytes(["First page text.", "Second page text.", "Third page text."]))
    doc = well_formed(read_pdf(path, "p.pdf", NY))
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert [doc.text[p.start : p.end] for p in doc.pages] == [
        "First page text.", "Second page text.", "Third page text."]
    assert doc.text.count("\f\n") == 2 and doc.messages == []


@pytest.mark.parametrize("content", ["image", "drawing"])
def test_ingest_pdf_without_text_layer_needs_ocr(tmp_path: Path, content: str) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        if content == "image":
            pdf.image(io.BytesIO(tiny_png()), x=10, y=10, w=100)
        else:
            pdf.rect(20, 20, 120, 80, style="F")
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "scan.pdf").write_bytes(bytes(pdf.output()))
    record, _ = read_one(tmp_path / "evidence" / "scan.pdf", "evidence/scan.pdf", NY)
    assert (record.status, record.reason) == ("skipped", "no text layer: needs OCR (2 pages)")


def test_ingest_pdf_encrypted_needs_the_password_unless_it_is_empty(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    (tmp_path / "evidence").mkdir()
    for name, user in (("locked.pdf", "secret"), ("open.pdf", "")):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["Signed today."]))))
        writer.encrypt(user_password=user, owner_password="owner")
        buf = io.BytesIO()
        writer.write(buf)
        (tmp_path / "evidence" / name).write_bytes(buf.getvalue())
    out = read_evidence(tmp_path, NY)
    status = {r.path: (r.status, r.reason) for r in out.manifest}
    assert status["evidence/locked.pdf"] == ("skipped", "encrypted PDF: needs the password")
    assert status["evidence/open.pdf"][0] == "read"
    assert "Signed today." in out.documents["evidence/open.pdf"].text


def test_ingest_pdf_email_printout_gives_its_messages(tmp_path: Path) -> None:
    page1 = ("From: Ann Lee <ann@acme.example.com>\nSent: Monday, August 21, 2000 9:35 AM\n"
             "To: Val Ortiz <val@vendor.example.org>\nSubject: Trial\n\nWe signed the trial.")
    page2 = ("From: Val Ortiz <val@vendor.example.org>\nDate: 8/22/2000\nTo: Ann Lee\n"
             "Subject: RE: Trial\n\nGood news.")
    path = tmp_path / "print.pdf"
    path.write_bytes(pdf_bytes([page1, page2]))
    doc = well_formed(read_pdf(path, "print.pdf", NY))
    first, second = doc.messages
    assert first.from_addr == ("Ann Lee", "ann@acme.example.com")
    assert first.date == "2000-08-21T09:35:00-04:00" and first.subject == "Trial"
    assert second.to_addrs == (("Ann Lee", ""),) and second.date == "2000-08-22T00:00:00-04:00"
    assert doc.message_at(doc.text.index("Good news")) is second


# --- printouts and text ----------------------------------------------------------------------

def test_ingest_printout_fixture_splits_every_header_block() -> None:
    text = (FIXTURES / "printout.txt").read_text()
    messages, warnings = split_printout(text, NY)
    first, quoted, minutes = messages
    assert first.sender == "Lee, Ann <ann@acme.example.com>"
    assert first.to_addrs == (("Ortiz, Val", ""), ("Board Office", "board@acme.example.com"),
                              ("Pat Doe", ""))
    assert first.date == "2010-03-05T22:22:00-05:00" and first.subject == "Re: Vendor trial"
    assert quoted.from_addr == ("Ortiz, Val", "val@vendor.example.org")
    assert quoted.subject == "Vendor trial" and quoted.date == "2010-03-05T20:15:00-05:00"
    assert minutes.date is None and minutes.date_raw and "1979" in warnings[0]
    assert first.end == quoted.start < quoted.end == minutes.start


def test_ingest_printout_txt_file_has_pages_and_messages(tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "p.txt").write_bytes((FIXTURES / "printout.txt").read_bytes())
    (tmp_path / "evidence" / "plain.txt").write_bytes("Notes: café, no headers.\n".encode("cp1252"))
    (tmp_path / "evidence" / "page.html").write_text(
        "<html><body><p>From: Ann Lee &lt;ann@acme.example.com&gt;</p><p>To: Val</p>"
        "<p>Subject: Hi</p><p>Body text.</p></body></html>")
    out = read_evidence(tmp_path, NY)
    doc = well_formed(out.documents["evidence/p.txt"])
    assert len(doc.messages) == 3 and len(doc.pages) == 2
    assert doc.text[doc.pages[1].start :].lstrip().startswith("UNCLASSIFIED")
    plain = well_formed(out.documents["evidence/plain.txt"])
    assert plain.messages == [] and "café" in plain.text
    html = well_formed(out.documents["evidence/page.html"])
    assert html.messages[0].from_addr == ("Ann Lee", "ann@acme.example.com")


def test_ingest_unknown_suffix_is_skipped_naming_the_format(tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "deck.pptx").write_bytes(b"PK\x03\x04")
    record, _ = read_one(tmp_path / "evidence" / "deck.pptx", "evidence/deck.pptx", NY)
    assert record.status == "skipped" and "'.pptx'" in record.reason


CLINTON = CORPORA / "clinton-ocr"


def _header_blocks(text: str) -> int:
    """`From:` lines followed within seven lines by another header label."""
    lines = text.split("\n")
    label = re.compile(r"^\s*(Sent|Date|To|Subject|Cc)\b", re.I)
    return sum(1 for i, line in enumerate(lines) if line.startswith("From:")
               and any(label.match(x) for x in lines[i + 1 : i + 8]))


@pytest.mark.skipif(not CLINTON.is_dir(), reason="corpora absent")
def test_ingest_printout_clinton_ocr_finds_every_header_block() -> None:
    total = 0
    for path in sorted(CLINTON.glob("*.txt")):
        doc = well_formed(read_one(path, f"evidence/{path.name}", NY)[1] or Document("", ""))
        blocks = _header_blocks(path.read_text(encoding="utf-8"))
        assert len(doc.messages) >= blocks, path.name
        total += blocks
    assert total > 700
    banda = read_one(CLINTON / "HRCEmail_Jan29thWeb__C05796118.txt", "evidence/x.txt", NY)[1]
    assert banda is not None
    top = banda.messages[0]
    assert top.from_addr == ("Hanley, Monica R", "HanleyMR@state.gov")
    assert top.to_addrs == (("Huma Abedin", ""),)  # the classification marking is cut off
    assert top.subject == "Re: Call to President Banda" and top.date == "2012-04-09T06:43:00-04:00"


@pytest.mark.skipif(not CORPORA.is_dir(), reason="corpora absent")
def test_ingest_formats_every_corpus_file_is_read_with_citable_spans(tmp_path: Path) -> None:
    (tmp_path / "evidence").symlink_to(CORPORA, target_is_directory=True)
    before = set(os.listdir(tmp_path))
    out = read_evidence(tmp_path, NY)
    assert set(os.listdir(tmp_path)) == before
    unread = [r for r in out.manifest if r.status != "read" and not r.path.endswith(".md")
              and not r.path.endswith("manifest.json")]
    assert unread == []
    for doc in out.documents.values():
        well_formed(doc)
        assert not re.search("[\udc80-\udcff]", doc.text), doc.path


def test_ingest_formats_attachment_bytes_never_reach_the_file_system(tmp_path: Path) -> None:
    """A base64 attachment whose name is an absolute path is still only text."""
    payload = base64.b64encode(b"#!/bin/sh\necho pwned\n").decode()
    data = (f"From: a@b.example\nTo: c@d.example\nSubject: x\nMIME-Version: 1.0\n"
            f'Content-Type: multipart/mixed; boundary="B"\n\n--B\nContent-Type: text/plain\n\n'
            f"Body.\n--B\nContent-Type: application/x-sh\nContent-Transfer-Encoding: base64\n"
            f'Content-Disposition: attachment; filename="{tmp_path}/pwned.sh"\n\n{payload}\n'
            f"--B--\n").encode()
    doc = read_bytes(tmp_path, data)
    assert not (tmp_path / "pwned.sh").exists()
    assert f"[Attachment: {tmp_path}/pwned.sh (application/x-sh, 21 bytes)]" in doc.text
