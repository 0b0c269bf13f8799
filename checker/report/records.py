"""Records in the case index: the `docs` listing by email and the `show` view
of one record.

A record is one email wherever it is filed (`checker.ingest.records`). `docs`
gives one row per record, copies merged, with the other places it is filed;
`show REF` prints one record: its headers, where it is, and its text exactly
as citations count it (`start`/`end` are offsets into that text). What a
user typed is turned into a record by `checker.ingest.lookup`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from checker.ingest.document import Document
from checker.ingest.lookup import SHORT_ID
from checker.ingest.records import Part, Record
from checker.report.docs import cut, table
from checker.report.terminal import printable

TEXT_START = "--- record text (citations count characters from the next line) ---"
TEXT_END = "--- end of record ---"


def record_row(r: Record) -> dict[str, Any]:
    """One record as the JSON listing gives it."""
    return {
        "id": r.id,
        "path": r.path,
        "index": r.n,
        **headers_row(r),
    }


def headers_row(r: Record) -> dict[str, Any]:
    """A record's headers, pages and other places, as JSON listings give them."""
    return {
        "message_id": r.message_id,
        "date": r.date,
        "from": r.sender,
        "to": list(r.recipients),
        "subject": r.subject,
        "page": r.page,
        "bates": r.bates,
        "locations": [loc for loc in r.locations if loc != r.ref],
    }


def render_records_json(records: Sequence[Record]) -> str:
    """A JSON list, one object per record."""
    rows = [record_row(r) for r in records]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def render_records_table(records: Sequence[Record], messages: int | None = None) -> str:
    """One line per record; `messages` (all messages, copies counted) for the total line."""
    head = ("id", "file#n", "date", "from", "to", "subject", "bates", "also at")
    rows = [
        (
            r.id[:SHORT_ID],
            printable(r.ref),
            (r.date or "")[:10],
            cut(r.sender),
            cut(", ".join(r.recipients)),
            cut(r.subject),
            r.bates or "",
            printable(", ".join(loc for loc in r.locations if loc != r.ref)),
        )
        for r in records
    ]
    total = f"{len(rows)} record{'s' if len(rows) != 1 else ''}"
    if messages is not None and messages != len(rows):
        copies = messages - len(rows)
        total += f" ({messages} messages; {copies} {'is a copy' if copies == 1 else 'are copies'}"
        total += " filed elsewhere)"
    return table(head, rows, numeric=set()) + f"\n{total}\n"


def record_text(doc: Document, part: Part) -> str:
    """The record's text: what `show` prints and citations index."""
    return doc.text[part.start : part.end]


def render_record(record: Record, part: Part, doc: Document) -> str:
    """One record: id, where it is filed, its headers, then its exact text."""
    out = [f"Record {record.id}: {part_ref(doc.path, part)}"]
    others = [loc for loc in record.locations if loc != part_ref(doc.path, part)]
    if others:
        out.append(f"Also filed at: {', '.join(others)}")
    out.append(f"File: {doc.path} (document {doc.id[:SHORT_ID]}, {len(doc.messages)} messages)")
    for label, value in (
        ("Message-ID", part.message_id),
        ("Date", part.date),
        ("From", part.sender),
        ("To", ", ".join(part.recipients) or None),
        ("Subject", part.subject),
        ("Pages", part.page),
        ("Bates", part.bates),
    ):
        if value:
            out.append(f"{label}: {value}")
    inside = [r for r in doc.redactions if part.start <= r.start < part.end]
    if inside:
        out.append(
            "Redactions: "
            + ", ".join(f"[{r.start - part.start}-{r.end - part.start}] {r.marker}" for r in inside)
        )
    text = record_text(doc, part)
    out += [TEXT_START, text + ("" if text.endswith("\n") else "\n") + TEXT_END]
    return "\n".join(out) + "\n"


def part_ref(path: str, part: Part) -> str:
    return f"{path}#{part.n}"


def render_file_records(doc: Document, parts: Sequence[Part]) -> str:
    """A many-message file: its records, one line each (`show --all` prints the file)."""
    head = ("#", "id", "date", "from", "subject")
    rows = [
        (str(p.n), p.key[:SHORT_ID], (p.date or "")[:10], cut(p.sender), cut(p.subject))
        for p in parts
    ]
    intro = (
        f"{doc.path}: {len(parts)} messages. Show one with `checker show {doc.path}#N` "
        "or its id; `--all` prints the whole file.\n\n"
    )
    return intro + table(head, rows, numeric={0}) + "\n"
