"""Walk `evidence/` and account for every file: read, skipped or failed.

Nothing is dropped silently: each file gets a `FileRecord` with its status
and reason, and one unreadable file never stops the others. Which entries are
read at all (symbolic links only inside the case) is `checker.ingest.walk`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from checker.ingest import bulk, limits
from checker.ingest.charset import decode_body
from checker.ingest.document import Document, Page
from checker.ingest.email import read_eml, read_mbox
from checker.ingest.htmltext import html_to_text, meta_charset
from checker.ingest.maildir import read_maildir
from checker.ingest.msg import read_msg
from checker.ingest.pdf import read_pdf
from checker.ingest.printout import split_within_limit
from checker.ingest.unreadable import SkippedEvidence, UnreadableEvidence
from checker.ingest.walk import walk_evidence

FACTS_SUFFIX = ".facts.yaml"
MAILDIR_FOLDERS = ("cur", "new", "tmp")


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


def _pages(text: str) -> list[Page]:
    """Pages of a text whose page breaks are form feeds (pdftotext output)."""
    if "\f" not in text:
        return []
    pages: list[Page] = []
    pos = 0
    for number, chunk in enumerate(text.split("\f"), 1):
        if chunk or pos < len(text):
            pages.append(Page(number, pos, pos + len(chunk)))
        pos += len(chunk) + 1
    return pages


def _head(path: Path) -> tuple[bytes, list[str]]:
    """The file's bytes up to `limits.MAX_TEXT_CHARS` (cut at a line end), and what
    the limit left out. A character takes a byte or more: the text fits the limit."""
    size = path.stat().st_size
    cap = limits.MAX_TEXT_CHARS
    with path.open("rb") as fh:
        data = fh.read(cap + 1 if size > cap else -1)
    if len(data) <= cap:
        return data, []
    data = data[: data.rfind(b"\n", 0, cap) + 1 or cap]
    return data, [limits.cut_note(len(data), size, "byte", "text")]


def _decoded(data: bytes, what: str, declared: str | None = None) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableEvidence(f"binary content in a {what} file")
    return decode_body(data, declared).removeprefix("\ufeff")


def _text_document(shown_as: str, text: str, tz: ZoneInfo, kind: str, cut: list[str]) -> Document:
    messages, warnings, more = split_within_limit(text, tz)
    messages = bulk.printed(text, messages)
    if not text.strip():
        warnings.append("no text: the file is blank (a blank scan needs OCR or the original)")
    cut = cut + more
    return Document(
        shown_as, text, messages, kind=kind, pages=_pages(text), warnings=cut + warnings, cut=cut
    )


def read_text(path: Path, shown_as: str, tz: ZoneInfo) -> Document:
    """A .txt file (plain text or an OCR printout): decoded, paged at form feeds, and
    split into messages where it holds printed email header blocks."""
    data, cut = _head(path)
    return _text_document(shown_as, _decoded(data, ".txt"), tz, "txt", cut)


def read_html(path: Path, shown_as: str, tz: ZoneInfo) -> Document:
    """An .html/.htm file as the text a reader sees (printed emails split as in .txt)."""
    data, cut = _head(path)
    text = html_to_text(_decoded(data, "HTML", meta_charset(data[:4096])))
    return _text_document(shown_as, text, tz, "html", cut)


Reader = Callable[[Path, str, ZoneInfo], Document]
READERS: dict[str, Reader] = {
    ".eml": read_eml,
    ".mbox": read_mbox,
    ".msg": read_msg,
    ".pdf": read_pdf,
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
    "": read_maildir,  # maildir: "1." (CMU Enron) or cur/new/tmp files have no suffix
    ".": read_maildir,
}


def evidence_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every file under `root/evidence` to read, any depth, in path order, as (path,
    relative path); entries not read (links out of the case, pipes) are left out:
    `walk_evidence` gives those too, with the reason."""
    for found in walk_evidence(root):
        if not found.status:
            yield found.path, found.rel


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
    if reader is None and path.parent.name in MAILDIR_FOLDERS:
        reader = read_maildir  # classic maildir names hold dots: 1600000000.M1P1.host:2,S
    if reader is None:
        why = (
            "documentation, not evidence"
            if path.suffix.lower() in (".md", ".rst")
            else f"format '{path.suffix}' is not read yet (evidence formats: "
            + " ".join(k for k in READERS if len(k) > 1)
            + ", maildir files)"
        )
        return FileRecord(rel, "skipped", why), None
    try:
        if path.stat().st_size == 0:
            return FileRecord(rel, "failed", "empty file"), None
        doc = reader(path, rel, tz)
        annotate(doc)
    except SkippedEvidence as err:
        return FileRecord(rel, "skipped", str(err)), None
    except UnreadableEvidence as err:
        return FileRecord(rel, "failed", str(err)), None
    except Exception as err:  # noqa: BLE001 - hostile input: account for it, go on
        return FileRecord(rel, "failed", f"{type(err).__name__}: {err}"[:300]), None
    notes = list(doc.cut)  # in full: the manifest accounts for what was left out
    if doc.unreadable:
        notes.append(
            f"{len(doc.unreadable)} message(s) unreadable: " + "; ".join(doc.unreadable[:3])
        )
    warnings = [w for w in doc.warnings if w not in doc.cut]
    if warnings:
        more = f" (+{len(warnings) - 1} more)" if len(warnings) > 1 else ""
        notes.append(f"warning: {warnings[0]}{more}")
    note = "; ".join(notes)
    return FileRecord(rel, "read", note, messages=len(doc.messages), pages=len(doc.pages)), doc


def annotate(doc: Document) -> None:
    """Find what every format shares once a document's text exists (redactions, Bates
    numbers, quoted history): see checker.ingest.annotate."""
    from checker.ingest.annotate import annotate as find_structure

    find_structure(doc)


def read_evidence(root: Path, tz: ZoneInfo) -> Evidence:
    """Read every file under `root/evidence` (any depth), in path order."""
    out = Evidence()
    for found in walk_evidence(root):
        if found.status:
            out.manifest.append(FileRecord(found.rel, found.status, found.reason))
            continue
        path, rel = found.path, found.rel
        record, doc = read_one(path, rel, tz)
        out.manifest.append(record)
        if record.reason == "analyst facts":
            out.facts_files.append(path)
        if doc is not None:
            out.documents[rel] = doc
    return out
