"""Records in the case index: the `docs` listing by email and the `show` view
of one record.

A record is one email wherever it is filed (`checker.ingest.records`). `docs`
gives one row per record, copies merged, with the other places it is filed;
`show REF` prints one record: its headers, where it is, and its text exactly
as citations count it (`start`/`end` are offsets into that text).
`find_record` turns what a user typed (a record id prefix, `PATH#N`, a
Message-ID) into a record, or an `UnknownDocument` error that says what is
close; `locate_record` does all of it for a command that needs one record
(`checker why`), and finds the file it is in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from checker.errors import UnknownDocument
from checker.ingest.document import Document
from checker.ingest.index import DocumentEntry, Index
from checker.ingest.records import Part, Record
from checker.report.docs import cut, find_document, table
from checker.report.terminal import printable

SHORT_ID = 12
TEXT_START = "--- record text (citations count characters from the next line) ---"
TEXT_END = "--- end of record ---"


def record_row(r: Record) -> dict[str, Any]:
    """One record as the JSON listing gives it."""
    return {
        "id": r.id,
        "path": r.path,
        "index": r.n,
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


def find_record(records: Sequence[Record], wanted: str) -> Record | None:
    """The record `wanted` names by Message-ID or id prefix; None when it names
    none (then it may name a file). Several records under one Message-ID or
    id prefix are an `UnknownDocument` error listing them."""
    name = wanted.strip()
    mid = name.strip("<>")
    by_mid = [r for r in records if r.message_id and r.message_id.strip("<>") == mid]
    if len(by_mid) == 1:
        return by_mid[0]
    if len(by_mid) > 1:
        raise UnknownDocument(wanted, None, [f"{r.id[:SHORT_ID]} {r.ref}" for r in by_mid])
    low = name.lower()
    if len(low) >= 4 and all(ch in "0123456789abcdef" for ch in low):
        by_id = [r for r in records if r.id.startswith(low)]
        if len(by_id) == 1:
            return by_id[0]
        if len(by_id) > 1:
            raise UnknownDocument(wanted, None, [f"{r.id[:SHORT_ID]} {r.ref}" for r in by_id])
    return None


def unknown_record(wanted: str, records: Sequence[Record]) -> UnknownDocument:
    """The error for a Message-ID that no record has, with the closest one."""
    ids = sorted({r.message_id for r in records if r.message_id})
    name = wanted.strip().strip("<>")
    best = process.extractOne(name, ids, scorer=fuzz.ratio, score_cutoff=80) if ids else None
    return UnknownDocument(wanted, best[0] if best else None)


@dataclass(frozen=True)
class Located:
    """One record as a REF named it: the document it is read from (`entry`), its
    place there (`part`) and the record."""

    entry: DocumentEntry
    part: Part
    record: Record


def locate_record(index: Index, ref: str, root: Path) -> Located:
    """The one record `ref` names, read as `checker show` reads it: `PATH#N`, a
    record id (or its start) or Message-ID, or a file that holds one record.
    Else `UnknownDocument`, saying what is close; for a file of several records,
    the first of them."""
    entries = index.entries()
    records = index.records(entries)
    path, _, n = ref.rpartition("#")
    if path and n.isdigit():  # PATH#N
        entry = find_document(entries, path, root, index.manifest())
        parts = index.parts(entry.key)
        part = next((p for p in parts if p.n == int(n)), None)
        if part is None:
            raise UnknownDocument(ref, f"{entry.path}#{len(parts)}" if parts else None)
    elif (found := find_record(records, ref)) is not None:
        entry = find_document(entries, found.path, root)
        part = next(p for p in index.parts(entry.key) if p.n == found.n)
    elif "@" in ref:  # a Message-ID that no record has
        raise unknown_record(ref, records)
    else:
        entry = find_document(entries, ref, root, index.manifest())
        parts = index.parts(entry.key)
        if len(parts) != 1:
            shown = [f"{p.key[:SHORT_ID]} {part_ref(entry.path, p)}" for p in parts[:3]]
            if len(parts) > 3:
                shown.append(f"{len(parts) - 3} more (`checker show {entry.path}` lists them)")
            raise UnknownDocument(ref, None, shown)
        part = parts[0]
    record = next(r for r in records if r.id == part.key)
    return Located(entry, part, record)
