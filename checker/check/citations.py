"""Citations of the facts that decide a verdict, and what the documents say
around them: a redaction next to a cited passage, the original of a passage
cited inside quoted history.

The documents are the case index's (`checker.case.documents.CaseDocuments`):
its outline of each document answers "next to a redaction?" and "in a
quote?" without reading the text, and SQLite finds the few documents that
may hold a quoted passage's original."""

from __future__ import annotations

from itertools import islice
from typing import Any

from checker.case.documents import CaseDocuments
from checker.engine.evaluate import Outcome
from checker.ingest.document import Document
from checker.ingest.quoted import in_quoted
from checker.ingest.records import Part
from checker.ingest.redactions import markers_near
from checker.ingest.threads import original_of
from checker.model.facts import Fact, Passage
from checker.model.verdicts import Citation


def _citation(fact: Fact | None, p: Passage) -> Citation:
    """A citation of passage `p`; `fact` None means a closed-world reason in case.yaml."""
    return Citation.model_validate(
        {
            "doc": p.doc,
            "quote": p.quote,
            "start": p.start,
            "end": p.end,
            "date": p.date,
            "from": p.sender,
            "to": list(p.recipients),
            "subject": p.subject,
            "fact": fact.id if fact else "closed_world",
            "status": fact.status if fact else "confirmed",
            "page": p.page,
            "bates": p.bates,
        }
    )


def citations(outcome: Outcome) -> list[Citation]:
    """Citations of the facts and closed-world reasons that decide `outcome`."""
    out: list[Citation] = []
    seen: set[tuple[str, int, int, str]] = set()
    leaves: list[tuple[Fact | None, Passage]] = [
        leaf for f in outcome.deciding_facts() for leaf in f.passages()
    ]
    leaves += [(None, c.citation) for c in outcome.closures() if c.citation]
    for fact, p in leaves:
        key = (p.doc, p.start, p.end, fact.id if fact else "closed_world")
        if key not in seen:
            seen.add(key)
            out.append(_citation(fact, p))
    return out


def structure_notes(cites: list[Citation], docs: CaseDocuments) -> str:
    """Mark each citation that lies next to a redaction (`redacted_nearby`) or in
    quoted history with a known original (`original`); return the sentence to add
    to the claim's reason, or "" when no citation is next to a redaction."""
    markers: list[str] = []
    for c in cites:
        if c.fact == "closed_world":
            continue
        # The index's outline of a document says as much as the document does about
        # redactions and quotes; the text is read only for a passage in a quote.
        doc = docs.outline(c.doc) or docs.get(c.doc)
        if doc is None:
            continue
        near = markers_near(doc, c.start, c.end)
        if near:
            c.redacted_nearby = near
            markers += [m for m in near if m not in markers]
        full = docs.get(c.doc) if in_quoted(doc, c.start, c.end) else None
        if full is None:
            continue
        found, start, end = _attribute(docs, full, c.start, c.end)
        if found != doc.path or (start, end) != (c.start, c.end):
            c.original = {"doc": found, "start": start, "end": end}
    if not markers:
        return ""
    return (
        f" Note: a cited passage lies next to a redaction ({', '.join(markers)}); "
        "the withheld text may bear on it."
    )


def _in_record(docs: CaseDocuments, doc: str, start: int, end: int) -> tuple[Part, int, int] | None:
    """The record holding `doc[start:end]` and the passage's offsets in its text;
    None when the index has no record holding all of it."""
    part = docs.part_at(doc, start)
    if part is None or end > part.end:
        return None
    return part, start - part.start, end - part.start


def in_records(cites: list[Citation], docs: CaseDocuments) -> None:
    """Make each citation cite its record: `message` (the record's id, which
    `checker show` takes), `index` (`#N` in its file), `message_id`, and
    `start`/`end` counted in the record's text, as `checker show REF` prints
    it. The original of a quoted passage is given the same way. Run after
    `structure_notes`, which reads the documents at their own offsets."""
    for c in cites:
        if c.fact == "closed_world":
            continue
        found = _in_record(docs, c.doc, c.start, c.end)
        if found is not None:
            part, c.start, c.end = found
            c.message, c.index, c.message_id = part.key, part.n, part.message_id
        o = c.original
        if o is not None and (there := _in_record(docs, o["doc"], o["start"], o["end"])):
            part, start, end = there
            c.original = {
                "doc": o["doc"], "message": part.key, "index": part.n, "start": start, "end": end
            }


def record_source(p: Passage, docs: CaseDocuments) -> dict[str, Any]:
    """A proof's source of a fact, counted in its record as citations are."""
    found = _in_record(docs, p.doc, p.start, p.end)
    if found is None:
        return {"doc": p.doc, "quote": p.quote, "start": p.start, "end": p.end}
    part, start, end = found
    return {
        "doc": p.doc, "message": part.key, "index": part.n, "quote": p.quote,
        "start": start, "end": end,
    }


ATTRIBUTE_BATCH = 16  # documents searched together for a quoted passage's original


def _words(passage: str, most: int = 4) -> list[str]:
    """Up to `most` of the longest words of `passage`, without leading quote
    markers: a document holding the passage as `original_of` looks for it (quote
    markers at line starts removed, white space folded) holds each verbatim."""
    words = {w.lstrip(">") for w in passage.split()} - {""}
    return sorted(words, key=lambda w: (-len(w), w))[:most]


def _attribute(docs: CaseDocuments, doc: Document, start: int, end: int) -> tuple[str, int, int]:
    """`checker.ingest.threads.attribute` over the case's documents, as the path
    and offsets of the original: only documents holding the passage's longest
    words are read (SQLite finds them), a few at a time,
    keeping the best original so far, so memory does not grow with the number
    of replies that quote one message."""
    if not in_quoted(doc, start, end):
        return doc.path, start, end
    passage = doc.text[start:end]
    best: tuple[Document, int, int] | None = None
    documents = docs.containing(_words(passage))
    while batch := list(islice(documents, ATTRIBUTE_BATCH)):
        # The best so far stays in the running: the minimum over it and the batch
        # is the minimum over everything seen.
        best = original_of(passage, [best[0], *batch] if best else batch) or best
    return (best[0].path, best[1], best[2]) if best else (doc.path, start, end)
