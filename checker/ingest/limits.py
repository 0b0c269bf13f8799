"""How much of one evidence file is read: pages, messages and characters.

A small file can stand for an enormous document: a PDF whose 20,000 pages
share one content stream is 3 MB, and a `From:` line of 30 bytes is a whole
printed message. Without limits such a file took minutes and gigabytes.
Each reader stops at these limits and says what it left out in `Document.cut`,
which the manifest shows in full ("read 5,000 of 20,000 pages: the per-file
page limit; ..."). What was read is kept and cited as usual.

The limits are read when a file is read (`limits.MAX_PAGES`, not a copy), so a
test or a deployment may change them.
"""

from __future__ import annotations

MAX_PAGES = 5_000  # pages of one PDF (an evidence file or an attachment)
MAX_MESSAGES = 100_000  # messages of one file: an mbox, or printed emails in a PDF or text
MAX_TEXT_CHARS = 100_000_000  # characters of text from one file (an mbox: past it, no more)

_SPLIT = {
    "page": "split the PDF into parts (e.g. qpdf --split-pages) to read the rest",
    "message": "split the file into parts to read the rest",
    "text": "split the file into parts to read the rest",
}


def cut_note(kept: int, total: int, unit: str, limit: str, rest: str = "") -> str:
    """What a limit left out, for the manifest: `kept` of `total` `unit`s were read
    before the `limit` (page, message or text) stopped the reader; `rest` says what
    became of the rest (by default: how to read it)."""
    size = {"page": MAX_PAGES, "message": MAX_MESSAGES, "text": MAX_TEXT_CHARS}[limit]
    what = "characters" if limit == "text" else f"{limit}s"
    return (
        f"read {kept:,} of {total:,} {unit}s: the per-file {limit} limit ({size:,} {what}); "
        f"{rest or _SPLIT[limit]}"
    )
