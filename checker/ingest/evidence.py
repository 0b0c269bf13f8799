"""Walk `evidence/` and account for every file: read, skipped or failed.

Nothing is dropped silently: each file gets a `FileRecord` with its status
and reason, and one unreadable file never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable
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


def read_evidence(root: Path, tz: ZoneInfo) -> Evidence:
    """Read every file under `root/evidence` (any depth), in path order."""
    out = Evidence()
    folder = root / "evidence"
    if not folder.is_dir():
        return out
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        name = path.name.lower()
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            out.manifest.append(FileRecord(rel, "skipped", "hidden file"))
            continue
        if name.endswith(FACTS_SUFFIX):
            out.facts_files.append(path)
            out.manifest.append(FileRecord(rel, "read", "analyst facts"))
            continue
        reader: Reader | None = READERS.get(path.suffix.lower())
        if reader is None:
            why = (
                "documentation, not evidence"
                if path.suffix.lower() in (".md", ".rst")
                else f"format '{path.suffix or 'no extension'}' is not read yet"
            )
            out.manifest.append(FileRecord(rel, "skipped", why))
            continue
        try:
            doc = reader(path, rel, tz)
        except UnreadableEvidence as err:
            out.manifest.append(FileRecord(rel, "failed", str(err)))
            continue
        except Exception as err:  # noqa: BLE001 - hostile input: account for it, go on
            out.manifest.append(FileRecord(rel, "failed", f"{type(err).__name__}: {err}"))
            continue
        out.documents[rel] = doc
        note = ""
        if doc.unreadable:
            note = f"{len(doc.unreadable)} message(s) unreadable: " + "; ".join(doc.unreadable[:3])
        out.manifest.append(FileRecord(rel, "read", note, messages=len(doc.messages)))
    return out
