"""The file fingerprint the index keys on (SHA-256 of the bytes, read in
chunks), which for an mbox also counts its "From " separator lines, and the
manifest record of an mbox reconciled with it: messages read against
messages present. Rendering the manifest is `checker.report.manifest`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from checker.ingest.document import Document
from checker.ingest.evidence import FileRecord

CHUNK = 1 << 20
SEPARATOR = b"\nFrom "


@dataclass(frozen=True)
class Fingerprint:
    """A file's SHA-256 and, for an mbox, its separator count and whether
    anything but white space precedes the first separator (a reader skips it)."""

    sha256: str
    separators: int = 0
    preamble: bool = False


def fingerprint(path: Path, mbox: bool = False) -> Fingerprint:
    """Hash `path` in chunks (memory stays flat); count mbox separators on the way."""
    digest = hashlib.sha256()
    separators, preamble, started = 0, False, False
    tail = b"\n"  # the file's start counts as a line start
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            if not mbox:
                continue
            buf = tail + chunk
            # A separator is 6 bytes, the carried tail 5: none is counted twice.
            separators += buf.count(SEPARATOR)
            if not started:
                first = buf.find(SEPARATOR)
                # Without a separator yet, the tail may be one's start: look at it next time.
                before = buf[:first] if first >= 0 else buf[: -(len(SEPARATOR) - 1)]
                preamble = preamble or bool(before.strip())
                started = first >= 0
            tail = buf[-(len(SEPARATOR) - 1) :]
    if mbox and not started:
        preamble = preamble or bool(tail.strip())
    return Fingerprint(digest.hexdigest(), separators, preamble)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def reconcile(record: FileRecord, doc: Document | None, fp: Fingerprint) -> FileRecord:
    """An mbox record whose reason compares messages read with separators found,
    e.g. '2000 messages; 2000 separators', and says when they differ."""
    read = len(doc.messages) if doc else 0
    bad = len(doc.unreadable) if doc else 0
    bits = [f"{_plural(read, 'message')}; {_plural(fp.separators, 'separator')}"]
    if read != fp.separators:
        gap = fp.separators - read
        bits[0] += (
            f" ({gap} fewer messages than separators"
            if gap > 0
            else f" ({-gap} more messages than separators"
        )
        bits[0] += f", {bad} unreadable)" if bad else ")"
    if fp.preamble:
        bits.append("text before the first 'From ' line is not part of any message")
    if record.reason:
        bits.append(record.reason)
    return replace(record, reason="; ".join(bits))

