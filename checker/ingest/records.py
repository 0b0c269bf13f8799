"""Records: every email is one, wherever it is stored.

A document (one evidence file) holds one record per message in it: the
messages of an mbox, each printed email of a PDF or OCR printout, the one
message of an .eml; a file with no messages (a memo, a plain text file) is
one record. A record's position in its file is `#N`, from 1. Its text is the
document's text over the message's span, and that is what `checker show
REF` prints and what citations index.

The same email filed in several files or folders is one record with several
locations. Two messages are the same email when their *content key* is the
same: sender, recipients, date to the minute, subject and body text (white
space folded). A shared Message-ID alone does not make two messages one:
productions hold different emails under one id, and copies under different
ids (CMU gave each Enron file its own). A record's id is a digest of its
content key, so copies share it and it stays the same across re-ingests.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from checker.ingest.document import Document, Message, Page

ID_LENGTH = 16
# Header lines at a record's top, as the readers render them and printouts print them.
_HEADER = re.compile(
    r"\A(?:[ \t>]*(?:From|To|Cc|Bcc|Sent|Date|Subject|Importance|Attachments)\b[^\n]*\n"
    r"(?:[ \t]+\S[^\n]*\n)*|[ \t]*\n)+",
    re.I,
)


@dataclass(frozen=True, slots=True)
class Part:
    """One record as one file holds it: its position `n` (from 1) and span there."""

    doc_key: str
    n: int
    start: int
    end: int
    key: str  # the record's id (a digest of its content key)
    message_id: str | None = None
    date: str | None = None
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    subject: str | None = None
    page: str | None = None  # "3" or "3-4": the printout pages it is on
    bates: str | None = None  # "ACME_000101" or "ACME_000101–ACME_000102"


@dataclass(frozen=True)
class Record:
    """One email (or one file without messages), with every place it is filed.

    `path`, `n`, `start`, `end` are its first location (in path order);
    `locations` lists all as `PATH#N`."""

    id: str
    path: str
    n: int
    start: int
    end: int
    message_id: str | None
    date: str | None
    sender: str | None
    recipients: tuple[str, ...]
    subject: str | None
    page: str | None
    bates: str | None
    locations: tuple[str, ...]

    @property
    def ref(self) -> str:
        """`PATH#N`: the record's first location."""
        return f"{self.path}#{self.n}"


def _fold(text: str) -> str:
    return " ".join(text.split())  # white space folded (str.split: several times faster than re)


def body(text: str) -> str:
    """A record's text without the header lines at its top."""
    m = _HEADER.match(text)
    return text[m.end() :] if m else text


def _address(sender: str | None, addr: tuple[str, str] | None) -> str:
    if addr is not None and addr[1]:
        return addr[1].casefold()
    return _fold(sender or "").casefold()


def _minute(iso: str | None) -> str:
    """The date to the minute in UTC, so that the key does not hang on the case's timezone."""
    if not iso:
        return ""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:16]
    if when.tzinfo is not None:
        when = when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M")


def content_key(doc: Document, msg: Message | None, n: int) -> str:
    """The key two copies of one email share (see the module's docstring)."""
    if msg is None:  # a file without messages: itself, never merged with another
        return f"file\0{doc.id}\0{n}"
    text = doc.text[msg.start : msg.end]
    recipients = sorted(
        (a[1] or a[0]).casefold() for a in msg.to_addrs
    ) or sorted(r.casefold() for r in msg.recipients)
    parts = [
        _address(msg.sender, msg.from_addr),
        "\x1f".join(recipients),
        _minute(msg.date),
        _fold(msg.subject or "").casefold(),
        _fold(body(text)),
    ]
    if not any(parts):  # nothing to tell it apart: its own place
        return f"empty\0{doc.id}\0{n}"
    return "\0".join(parts)


def record_id(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:ID_LENGTH]


def _pages(pages: Sequence[Page], start: int, end: int) -> tuple[str | None, str | None]:
    on = [p for p in pages if p.start < max(end, start + 1) and start < p.end]
    if not on:
        return None, None
    first, last = on[0], on[-1]
    page = str(first.number) if first is last else f"{first.number}-{last.number}"
    marks = [p.bates for p in on if p.bates]
    bates = None
    if marks:
        bates = marks[0] if marks[0] == marks[-1] else f"{marks[0]}–{marks[-1]}"
    return page, bates


def parts_of(doc_key: str, doc: Document) -> list[Part]:
    """The records of one document, in the order of its messages."""
    if not doc.messages:
        page, bates = _pages(doc.pages, 0, len(doc.text))
        key = record_id(content_key(doc, None, 1))
        return [Part(doc_key, 1, 0, len(doc.text), key, page=page, bates=bates)]
    out = []
    for n, m in enumerate(doc.messages, 1):
        page, bates = _pages(doc.pages, m.start, m.end)
        out.append(
            Part(
                doc_key,
                n,
                m.start,
                m.end,
                record_id(content_key(doc, m, n)),
                m.message_id,
                m.date,
                m.sender,
                tuple(m.recipients),
                m.subject,
                page,
                bates,
            )
        )
    return out


def _holds(p: Part, offset: int) -> bool:
    return p.start <= offset < p.end or p.start == p.end == offset


def outline(parts: Sequence[Part]) -> tuple[list[int], list[int]]:
    """For `part_at`'s binary search: the parts' starts, and how far the parts up to
    each reach (the running maximum of their ends)."""
    starts, reach, far = [], [], 0
    for p in parts:
        starts.append(p.start)
        far = max(far, p.end)
        reach.append(far)
    return starts, reach


def part_at(
    parts: Sequence[Part],
    offset: int,
    index: tuple[Sequence[int], Sequence[int]] | None = None,
) -> Part | None:
    """The innermost record whose span holds `offset` (an attached message lies
    inside the message it came with). `parts` are in order of their starts;
    `index` (their `outline`, kept by the caller) makes it a binary search, for
    files of thousands of messages."""
    starts, reach = outline(parts) if index is None else index
    # The last record starting at or before `offset`, then back to one holding it;
    # none before a record whose predecessors all end before `offset` can.
    n = bisect_right(starts, offset) - 1
    while n >= 0 and (reach[n] > offset or starts[n] == offset):
        if _holds(parts[n], offset):
            return parts[n]
        n -= 1
    return None


def merge(located: Iterable[tuple[str, Part]]) -> list[Record]:
    """Records from (path, part) pairs given in path order: parts with one key
    are one record, located first where it is first found."""
    groups: dict[str, list[tuple[str, Part]]] = {}
    for path, part in located:
        groups.setdefault(part.key, []).append((path, part))
    out = []
    for key, where in groups.items():
        path, p = where[0]
        locations = tuple(dict.fromkeys(f"{loc}#{q.n}" for loc, q in where))
        out.append(
            Record(
                key, path, p.n, p.start, p.end, p.message_id, p.date, p.sender,
                p.recipients, p.subject, p.page, p.bates, locations,
            )
        )
    return out
