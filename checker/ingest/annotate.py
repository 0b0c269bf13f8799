"""What every production shares, found once a document's text exists.

Run by `checker.ingest.evidence.read_one` on every document, whatever its
format: redaction markers, Bates numbers per page and quoted history per
message. Each step keeps what a reader already found (a PDF reader may know
a page's stamp or a drawn redaction box) and adds what the text shows.
Threads are not found here: they need all documents (`checker.ingest.threads`).
"""

from __future__ import annotations

from checker.ingest.bates import find_bates
from checker.ingest.document import Document
from checker.ingest.quoted import find_quoted
from checker.ingest.redactions import find_redactions


def annotate(doc: Document) -> Document:
    """Set `doc.redactions`, each page's `bates` and each message's `quoted`; returns `doc`."""
    find_redactions(doc)
    find_bates(doc)
    find_quoted(doc)
    return doc
