"""Walk `evidence/` and account for every file: read, skipped or failed.

Nothing is dropped silently: each file gets a `FileRecord` with its status
and reason, and one unreadable file never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from checker.ingest.document import Document
from checker.ingest.email import UnreadableEvidence, read_eml, read_mbox

FACTS_SUFFIX = ".facts.yaml"


@dataclass(frozen=True)
class FileRecord:
    """What happened to one file under evidence/."""

    path: str
    status: str  # read | skipped | failed
    reason: str = ""
    messages: int = 0
    pages: int = 0


@dataclass
class Evidence:
    documents: dict[str, Document] = field(default_factory=dict)
    facts_files: list[Path] = field(default_factory=list)
    manifest: list[FileRecord] = field(default_factory=list)


def _read_text(path: Path, shown_as: str) -> Document:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise UnreadableEvidence("binary content in a .txt file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return Document(shown_as, text)


Reader = Callable[[Path, str, ZoneInfo], Document]
READERS: dict[str, Reader] = {
    ".eml": read_eml,
    ".mbox": read_mbox,
    ".txt": lambda p, s, _: _read_text(p, s),
}


def evidence_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every file under `root/evidence`, any depth, in path order, as (path, relative path)."""
    folder = root / "evidence"
    if folder.is_dir():
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            yield path, path.relative_to(root).as_posix()


def read_one(path: Path, rel: str, tz: ZoneInfo) -> tuple[FileRecord, Document | None]:
    """Read one evidence file; never raises. The record says read, skipped or failed, and why.

    Analyst facts files come back as read with no document: the case loader reads them.
    """
    name = path.name.lower()
    if any(part.startswith(".") for part in Path(rel).parts[1:]):
        return FileRecord(rel, "skipped", "hidden file"), None
    if name.endswith(FACTS_SUFFIX):
        return FileRecord(rel, "read", "analyst facts"), None
    reader: Reader | None = READERS.get(path.suffix.lower())
    if reader is None:
        why = (
            "documentation, not evidence"
            if path.suffix.lower() in (".md", ".rst")
            else f"format '{path.suffix or 'no extension'}' is not read yet"
        )
        return FileRecord(rel, "skipped", why), None
    try:
        doc = reader(path, rel, tz)
        annotate(doc)
    except UnreadableEvidence as err:
        return FileRecord(rel, "failed", str(err)), None
    except Exception as err:  # noqa: BLE001 - hostile input: account for it, go on
        return FileRecord(rel, "failed", f"{type(err).__name__}: {err}"[:300]), None
    note = ""
    if doc.unreadable:
        note = f"{len(doc.unreadable)} message(s) unreadable: " + "; ".join(doc.unreadable[:3])
    return FileRecord(rel, "read", note, messages=len(doc.messages), pages=len(doc.pages)), doc


def annotate(doc: Document) -> None:
    """Find what every format shares once a document's text exists (redactions, Bates
    numbers, quoted history). Filled in by checker.ingest's structure modules."""


def read_evidence(root: Path, tz: ZoneInfo) -> Evidence:
    """Read every file under `root/evidence` (any depth), in path order."""
    out = Evidence()
    for path, rel in evidence_files(root):
        record, doc = read_one(path, rel, tz)
        out.manifest.append(record)
        if record.reason == "analyst facts":
            out.facts_files.append(path)
        if doc is not None:
            out.documents[rel] = doc
    return out
