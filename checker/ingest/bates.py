"""Bates numbers: the production stamp printed on each page.

Stamps look like `NYPD_000123`, `NYPD-000123`, `ABC 0001234`,
`DOJ-OGR-00001234`, or a State Department document number such as
`C05794191` (one capital letter and eight digits, printed in the header and
footer line "... Case No. F-2014-20439 Doc No. C05765907 Date: 08/31/2015").

A page's stamp is looked for on its first and last lines, where productions
print it; elsewhere on the page only a stamp standing alone on its line
counts, because a number inside a sentence is usually a reference to
*another* page. Nothing is invented: a page without a stamp keeps None.

To keep ordinary text from passing for a stamp, the prefix must be two or
more capital letters (or the one letter of a State Department number), the
number 4 to 10 digits, zero-padded or at least 6 digits long, and a prefix
separated by a space needs at least 6 digits ("FY 2020", "NY 10007" and
"Room 204" are not stamps). A stamp like "ABC 01234" is therefore missed;
that is the price of not reading ZIP codes as page numbers.

Documents without pages (plain text from a printout) get pages here only
when a stamp is found: the text is split at form feeds (`\\f`, how
`pdftotext` marks page breaks), or kept as ONE page when it has none, and
each page carries its own stamp. We chose real pages over exposing a bare
document number because citations already carry `page` and `bates`
(`Document.passage`), so a quote in a Clinton printout cites
"C05765907" with no other change, and the page number is true whenever the
text kept its page breaks.
"""

from __future__ import annotations

import re
from dataclasses import replace

from checker.ingest.document import Document, Page

# "DOJ-OGR-00001234", "NYPD_000123", "ABC 0001234", "ABC0001234"
_PREFIXED = re.compile(
    r"(?<![A-Za-z0-9_./-])"
    r"(?P<prefix>[A-Z]{2,}(?:[-_][A-Z]{2,})*)(?P<sep>[-_ ]?)(?P<num>\d{4,10})"
    r"(?![A-Za-z0-9_]|[-/.,:]\d)"
)
# State Department document number: "C05794191"
_DOC_NO = re.compile(r"(?<![A-Za-z0-9_./-])[A-Z]\d{8}(?![A-Za-z0-9_]|[-/.,:]\d)")
_LABELLED = re.compile(r"\bDoc(?:ument)?\.?\s*No\.?\s*:?\s*(?P<no>[A-Z]\d{8})\b")

EDGE_LINES = 3  # how many non-blank lines at the top and bottom of a page count as its edges


def _plausible(m: re.Match[str]) -> bool:
    num = m.group("num")
    padded = num.startswith("0")
    if m.group("sep") == " ":
        return len(num) >= 6
    return padded or len(num) >= 6


def stamps(line: str) -> list[tuple[int, int, str]]:
    """Every stamp in one line, as (start, end, stamp) within the line, in order."""
    out = [(m.start(), m.end(), m.group()) for m in _PREFIXED.finditer(line) if _plausible(m)]
    out += [
        (m.start(), m.end(), m.group())
        for m in _DOC_NO.finditer(line)
        if not any(s <= m.start() < e for s, e, _ in out)
    ]
    return sorted(out)


def _line_stamp(line: str) -> str | None:
    """The stamp a line carries: a labelled "Doc No. C05765907" first (the line may
    hold other codes), else its last stamp (Bates stamps sit at the right-hand end)."""
    labelled = _LABELLED.search(line)
    if labelled:
        return labelled.group("no")
    found = stamps(line)
    return found[-1][2] if found else None


def page_stamp(text: str, anywhere: bool = True) -> str | None:
    """The Bates number of one page's text, or None.

    The bottom lines are read first (bottom up), then the top lines (top down);
    then, if `anywhere`, any line that is nothing but a stamp.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in lines[::-1][:EDGE_LINES] + lines[:EDGE_LINES]:
        stamp = _line_stamp(line)
        if stamp:
            return stamp
    if anywhere:
        for line in lines:
            found = stamps(line)
            if len(found) == 1 and found[0][2] == line:
                return line
    return None


def split_pages(text: str) -> list[Page]:
    """Pages of a plain text at its form feeds (one page when there are none).

    Each page ends after its form feed; a last page holding only white space
    (`pdftotext` ends its output with a form feed) is dropped.
    """
    pages: list[Page] = []
    start = 0
    for m in re.finditer("\f", text):
        pages.append(Page(len(pages) + 1, start, m.end()))
        start = m.end()
    if text[start:].strip() or not pages:
        pages.append(Page(len(pages) + 1, start, len(text)))
    return pages


def find_bates(doc: Document) -> None:
    """Set `bates` on each of `doc.pages`; give a page-less document pages when it
    carries a stamp (see the module docstring). Keeps a stamp a reader already set."""
    if not doc.pages:
        pages = split_pages(doc.text)
        # without page breaks the middle of the text is no page's edge: read edges only
        anywhere = len(pages) > 1
        stamped = [replace(p, bates=page_stamp(doc.text[p.start : p.end], anywhere)) for p in pages]
        if any(p.bates for p in stamped):
            doc.pages = stamped
        return
    doc.pages = [
        p if p.bates else replace(p, bates=page_stamp(doc.text[p.start : p.end])) for p in doc.pages
    ]


def document_number(doc: Document) -> str | None:
    """The stamp of a document's first stamped page, e.g. 'C05765907', or None."""
    return next((p.bates for p in doc.pages if p.bates), None)
