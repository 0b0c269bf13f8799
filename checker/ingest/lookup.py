"""What a user typed, turned into a record or a file of the case index.

`checker show REF` and `checker facts add --doc REF` take the same references:
a record's id (or the start of it), `PATH#N`, a Message-ID, or a file by its
path from the case root (or as typed in the shell), its name, or the start of
its document id. `find_ref` resolves one; anything it cannot resolve is an
`UnknownDocument` that says what is close.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from rapidfuzz import fuzz, process

from checker.errors import UnknownDocument
from checker.ingest.evidence import FileRecord
from checker.ingest.index import DocumentEntry, Index
from checker.ingest.records import Part, Record

SHORT_ID = 12  # the start of an id that listings show and users type


@dataclass(frozen=True)
class Found:
    """What a reference names: a document, the path it was named by, and, when it
    names one record, that record (`part` its place in this file)."""

    entry: DocumentEntry
    location: str  # one of `entry.locations`
    parts: list[Part]  # the file's records, in order
    part: Part | None = None  # None: the reference names the whole file
    record: Record | None = None  # the record `part` is, with all its locations


def find_ref(index: Index, ref: str, root: Path) -> Found:
    """The record or file `ref` names (see the module's docstring), or
    `UnknownDocument`. Reads no document's text."""
    entries = index.entries()
    records = index.records(entries)
    path, _, n = ref.rpartition("#")
    if path and n.isdigit():  # PATH#N
        entry = find_document(entries, path, root, index.manifest())
        parts = index.parts(entry.key)
        part = next((p for p in parts if p.n == int(n)), None)
        if part is None:
            raise UnknownDocument(ref, f"{entry.path}#{len(parts)}" if parts else None)
        return Found(entry, _location(entry, path, root), parts, part, _record(records, part))
    found = find_record(records, ref)
    if found is not None:
        entry = find_document(entries, found.path, root)
        parts = index.parts(entry.key)
        part = next(p for p in parts if p.n == found.n)
        return Found(entry, found.path, parts, part, found)
    if "@" in ref:  # a Message-ID that no record has
        raise unknown_record(ref, records)
    entry = find_document(entries, ref, root, index.manifest())
    return Found(entry, _location(entry, ref, root), index.parts(entry.key))


@dataclass(frozen=True)
class Located:
    """One record as a REF named it: the document it is read from (`entry`), its
    place there (`part`) and the record."""

    entry: DocumentEntry
    part: Part
    record: Record


def locate_record(index: Index, ref: str, root: Path) -> Located:
    """The one record `ref` names, read as `find_ref` reads it; a file of
    several records is an `UnknownDocument` listing the first of them."""
    found = find_ref(index, ref, root)
    part, parts = found.part, found.parts
    if part is None:
        if len(parts) != 1:
            shown = [f"{p.key[:SHORT_ID]} {found.entry.path}#{p.n}" for p in parts[:3]]
            if len(parts) > 3:
                more = len(parts) - 3
                shown.append(f"{more} more (`checker show {found.entry.path}` lists them)")
            raise UnknownDocument(ref, None, shown)
        part = parts[0]
    record = found.record or _record(index.records(), part)
    return Located(found.entry, part, record)


def _record(records: Sequence[Record], part: Part) -> Record:
    return next(r for r in records if r.id == part.key)


def _typed(wanted: str, root: Path) -> tuple[str, str | None]:
    """`wanted` as a path from the case root: as given, and as typed in the shell
    (my-case/evidence/x.eml), None when it is not inside the case."""
    try:
        rel = Path(wanted).resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        rel = None
    return wanted.removeprefix("./"), rel


def _location(entry: DocumentEntry, wanted: str, root: Path) -> str:
    """The path of `entry` that `wanted` names (its first path when it names it
    another way: by file name or id)."""
    return next((p for p in _typed(wanted, root) if p in entry.locations), entry.path)


class Listed(Protocol):
    """What `find_document` needs of a document: a `Document`, or the index's
    `DocumentEntry` (no text), so that the text is read only once found."""

    @property
    def id(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def locations(self) -> Sequence[str]: ...


D = TypeVar("D", bound=Listed)


def find_document(
    docs: Sequence[D], wanted: str, root: Path, manifest: list[FileRecord] | None = None
) -> D:
    """The document `wanted` names: a path from the case root (or from here), a
    file name found once, or the start of a document id; else `UnknownDocument`
    (saying why, when the path is a file that was skipped or failed)."""
    by_path = {loc: d for d in docs for loc in d.locations}
    name, rel = _typed(wanted, root)
    for path in (name, rel):
        if path in by_path:
            return by_path[path]
    for record in manifest or []:
        if record.path in (name, rel):
            why = f"{record.status}: {record.reason}" if record.reason else record.status
            raise UnknownDocument(wanted, None, not_read=why)
    by_id = [d for d in docs if name and d.id.startswith(name.lower())]
    if len(by_id) == 1:
        return by_id[0]
    if len(by_id) > 1:
        raise UnknownDocument(wanted, None, [f"{d.id[:SHORT_ID]} {d.path}" for d in by_id])
    by_name = {id(d): d for loc, d in by_path.items() if loc.endswith("/" + name)}
    if len(by_name) == 1:
        return next(iter(by_name.values()))
    if len(by_name) > 1:
        raise UnknownDocument(wanted, None, sorted(d.path for d in by_name.values()))
    best = process.extractOne(name, sorted(by_path), scorer=fuzz.WRatio, score_cutoff=60)
    raise UnknownDocument(wanted, best[0] if best else None)


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
