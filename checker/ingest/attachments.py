"""An attachment as the text of its message shows it, built only in memory.

Each attachment is one line, `[Attachment: NAME (TYPE, N bytes)]`, and for
text, CSV, HTML and PDF attachments up to `MAX_ATTACHMENT_BYTES` the text
extracted from it below that line. Nothing is ever written to disk or run.
The name as sent is display text only: control and bidi-override characters
are replaced, and it is never used as a path or to choose how to read the
bytes (the declared type and the bytes' own signature decide that).
"""

from __future__ import annotations

import re

from checker.ingest.charset import decode_body
from checker.ingest.htmltext import html_to_text, meta_charset
from checker.ingest.pdf import blank_pages, join_pages, pdf_pages
from checker.ingest.unreadable import UnreadableEvidence

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_NAME = 200
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_name(name: object) -> str:
    """An attachment name fit to print: control characters become '?', white space is
    folded, length capped; '(unnamed)' when there is none."""
    text = " ".join(_UNSAFE.sub("?", str(name or "")).split())
    if len(text) > MAX_NAME:
        text = text[: MAX_NAME - 3] + "..."
    return text or "(unnamed)"


def attachment_line(name: str, content_type: str, size: int) -> str:
    """The line that stands for an attachment in its message's text."""
    return f"[Attachment: {safe_name(name)} ({safe_name(content_type)}, {size} bytes)]"


def _kind(content_type: str, data: bytes) -> str | None:
    ctype = content_type.lower()
    if ctype == "application/pdf" or data[:5] == b"%PDF-":
        return "pdf"
    if ctype in ("text/html", "application/xhtml+xml"):
        return "html"
    if ctype.startswith("text/") or ctype in ("application/csv", "application/json"):
        return "text"
    return None


def _pdf_text(data: bytes) -> tuple[str, str]:
    try:
        read = pdf_pages(data)
    except UnreadableEvidence as err:
        return "", f"text not extracted: {err}"
    pages = read.pages
    if len(blank_pages(pages)) == len(pages):
        return "", f"text not extracted: no text layer: needs OCR ({len(pages)} pages)"
    return join_pages(pages)[0].strip("\n"), read.cut


def extract_text(content_type: str, data: bytes, charset: str | None = None) -> tuple[str, str]:
    """The attachment's text and a note (empty when text was extracted). Never raises."""
    if len(data) > MAX_ATTACHMENT_BYTES:
        return "", f"text not extracted: over {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB"
    kind = _kind(content_type, data)
    try:
        if kind == "pdf":
            return _pdf_text(data)
        if kind == "html":
            return html_to_text(decode_body(data, charset or meta_charset(data))), ""
        if kind == "text":
            return decode_body(data, charset).strip("\n"), ""
    except Exception as err:  # noqa: BLE001 - hostile attachment: note it, go on
        return "", f"text not extracted: {type(err).__name__}"
    return "", f"text not extracted: {safe_name(content_type)}"
