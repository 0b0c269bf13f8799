"""PDF files to text with one `Page` span per page, through pypdfium2.

Pages are joined with "\\f\\n" (a form feed, as pdftotext marks a page break,
then a line break so every page starts a line); each `Page` spans its own
text, without the separator, so `text[page.start:page.end]` is that page.
Line ends are `\\n`. A PDF with no text at all is skipped as needing OCR; an
encrypted one is tried with the empty password and otherwise skipped as
needing the password. Email printouts in the text become messages.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium

from checker.ingest.document import Document, Page
from checker.ingest.printout import split_printout
from checker.ingest.unreadable import SkippedEvidence, UnreadableEvidence

PAGE_BREAK = "\f\n"
_PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD


def _clean(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\f", "\n")


def pdf_pages(source: bytes | Path) -> list[str]:
    """The text of each page. Raises `SkippedEvidence` for an encrypted PDF whose
    password is not empty, `UnreadableEvidence` for a damaged one."""
    src = str(source) if isinstance(source, Path) else source
    try:
        pdf = pdfium.PdfDocument(src)
    except pdfium.PdfiumError as err:
        if getattr(err, "err_code", None) == _PASSWORD_ERROR or "password" in str(err).lower():
            raise SkippedEvidence("encrypted PDF: needs the password") from None
        raise UnreadableEvidence(f"damaged PDF: {err}") from None
    pages: list[str] = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            try:
                textpage = page.get_textpage()
                try:
                    pages.append(_clean(textpage.get_text_range()))
                finally:
                    textpage.close()
            finally:
                page.close()
    finally:
        pdf.close()
    return pages


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
    pages = pdf_pages(path)
    blank = blank_pages(pages)
    if not pages or len(blank) == len(pages):
        raise SkippedEvidence(f"no text layer: needs OCR ({len(pages)} pages)")
    text, spans = join_pages(pages)
    messages, warnings = split_printout(text, tz)
    if blank:
        shown = ", ".join(map(str, blank[:10])) + (" ..." if len(blank) > 10 else "")
        warnings.insert(0, f"pages {shown} have no text layer: they need OCR")
    return Document(shown_as, text, messages, kind="pdf", pages=spans, warnings=warnings)
