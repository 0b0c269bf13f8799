"""PDF files to text with one `Page` span per page, through pypdfium2.

Pages are joined with "\\f\\n" (a form feed, as pdftotext marks a page break,
then a line break so every page starts a line); each `Page` spans its own
text, without the separator, so `text[page.start:page.end]` is that page.
Line ends are `\\n`. A PDF with no text at all is skipped as needing OCR; an
encrypted one is tried with the empty password and otherwise skipped as
needing the password. Email printouts in the text become messages. Pages
past `limits.MAX_PAGES`, or past `limits.MAX_TEXT_CHARS` of text, are not
read, and the document says so (`Document.cut`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium

from checker.ingest import bulk, limits
from checker.ingest.document import Document, Page
from checker.ingest.printout import split_within_limit
from checker.ingest.unreadable import SkippedEvidence, UnreadableEvidence

PAGE_BREAK = "\f\n"
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\f", "\n")


@dataclass(frozen=True)
class PdfText:
    """The text of each page read, the pages in the file, and what a limit left out."""

    pages: list[str]
    total: int
    cut: str = ""


def pdf_pages(source: bytes | Path) -> PdfText:
    """The text of each page, up to the per-file limits. Raises `SkippedEvidence` for
    an encrypted PDF whose password is not empty, `UnreadableEvidence` for a damaged one."""
    src = str(source) if isinstance(source, Path) else source
    try:
        pdf = pdfium.PdfDocument(src)
    except pdfium.PdfiumError as err:
        if getattr(err, "err_code", None) == _PASSWORD_ERROR or "password" in str(err).lower():
            raise SkippedEvidence("encrypted PDF: needs the password") from None
        raise UnreadableEvidence(f"damaged PDF: {err}") from None
    pages: list[str] = []
    chars, cut = 0, ""
    try:
        total = len(pdf)
        for i in range(total):
            if i >= limits.MAX_PAGES:
                cut = limits.cut_note(i, total, "page", "page")
                break
            text = _page_text(pdf, i)
            chars += len(text) + len(PAGE_BREAK)
            if chars > limits.MAX_TEXT_CHARS:
                rest = "" if i else "page 1 alone is longer: its start is read"
                cut = limits.cut_note(i or 1, total, "page", "text", rest)
                if not i:
                    pages.append(text[: limits.MAX_TEXT_CHARS])
                break
            pages.append(text)
    finally:
        pdf.close()
    return PdfText(pages, total, cut)


def _page_text(pdf: pdfium.PdfDocument, i: int) -> str:
    page = pdf[i]
    try:
        textpage = page.get_textpage()
        try:
            return _clean(textpage.get_text_range())
        finally:
            textpage.close()
    finally:
        page.close()


def join_pages(pages: list[str], offset: int = 0) -> tuple[str, list[Page]]:
    """The pages' texts joined with `PAGE_BREAK`, and their spans starting at `offset`."""
    spans: list[Page] = []
    pos = offset
    for number, text in enumerate(pages, 1):
        spans.append(Page(number, pos, pos + len(text)))
        pos += len(text) + len(PAGE_BREAK)
    return PAGE_BREAK.join(pages), spans


def blank_pages(pages: list[str]) -> list[int]:
    """Numbers of the pages with no text layer (nothing but white space)."""
    return [n for n, text in enumerate(pages, 1) if not text.strip()]


def read_pdf(path: Path, shown_as: str, tz: ZoneInfo) -> Document:
    """A PDF as a paged document; printed emails in it become messages."""
    read = pdf_pages(path)
    pages = read.pages
    blank = blank_pages(pages)
    if not pages or len(blank) == len(pages):
        raise SkippedEvidence(f"no text layer: needs OCR ({len(pages)} pages)")
    text, spans = join_pages(pages)
    messages, warnings, cut = split_within_limit(text, tz)
    messages = bulk.printed(text, messages)
    if blank:
        shown = ", ".join(map(str, blank[:10])) + (" ..." if len(blank) > 10 else "")
        warnings.insert(0, f"pages {shown} have no text layer: they need OCR")
    cut = [read.cut, *cut] if read.cut else cut
    return Document(
        shown_as, text, messages, kind="pdf", pages=spans, warnings=cut + warnings, cut=cut
    )
