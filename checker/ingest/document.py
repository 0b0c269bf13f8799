"""A document's text, the messages in it, and finding quotes in it.

Offsets always index `Document.text`, the text the checker extracted. A quote
is found after folding white space (runs of spaces and line breaks count as
one space), and the citation then gives the exact passage of the text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from checker.model.facts import Passage

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Message:
    """One message's span in a document's text and its header values.

    `date` is ISO 8601 in the case timezone, or None when missing or not
    trusted (an implausible date is kept in `date_raw` and named in the
    document's `warnings`). `quoted` lists spans of quoted history (earlier
    messages inside a reply); `attachments` the spans of attachment text.
    `to_line` spans the last of its To and Cc lines, so a header citation can
    quote from the From line to it. `bulk` says why the message is bulk mail (a
    newsletter, a mailing-list message, a mail-merge blast: `checker.ingest.bulk`),
    e.g. "List-Unsubscribe header"; None when nothing says so.
    """

    start: int
    end: int
    date: str | None = None
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    subject: str | None = None
    from_addr: tuple[str, str] | None = None  # (display name, address)
    to_addrs: tuple[tuple[str, str], ...] = ()  # To and Cc, (display name, address)
    from_line: tuple[int, int] | None = None  # offsets of the decoded "From: ..." line
    to_line: tuple[int, int] | None = None  # offsets of the last "To: ..."/"Cc: ..." line
    message_id: str | None = None
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    date_raw: str | None = None
    quoted: tuple[tuple[int, int], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    bulk: str | None = None


@dataclass(frozen=True)
class Attachment:
    """An attachment of a message: its name as sent (never used as a file name) and
    the span of its extracted text in the document (start == end when none)."""

    name: str
    content_type: str
    size: int
    start: int
    end: int
    note: str = ""  # e.g. "text not extracted: image/png"


@dataclass(frozen=True)
class Page:
    """One page of a paged document (PDF, printout): its span and Bates number."""

    number: int
    start: int
    end: int
    bates: str | None = None


@dataclass(frozen=True)
class Redaction:
    """A redacted span: the marker as printed, e.g. '(b)(6)', 'B6', '[REDACTED]', '███'."""

    start: int
    end: int
    marker: str


@dataclass
class Document:
    """The text of one evidence file, with its messages, pages and redactions.

    `id` is the SHA-256 of the file's bytes; identical files found at several
    paths are one document with several `locations` (the first is `path`).
    `cut` says what the per-file limits left unread, e.g. "read 5,000 of 20,000
    pages: the per-file page limit ...".
    """

    path: str
    text: str
    messages: list[Message] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # messages that could not be parsed
    id: str = ""
    kind: str = ""  # eml | mbox | maildir | msg | pdf | txt
    pages: list[Page] = field(default_factory=list)
    redactions: list[Redaction] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # what a per-file limit left out (checker.ingest.limits), also the first warnings
    cut: list[str] = field(default_factory=list)
    _folded: tuple[str, list[int]] | None = field(default=None, repr=False)
    # message starts for a binary search, and the message list they were made from
    _starts: tuple[object, list[int] | None] = field(
        default=(None, None), repr=False, compare=False
    )

    def _fold(self) -> tuple[str, list[int]]:
        """Folded text and, for each folded character, its offset in `text`."""
        if self._folded is None:
            chars: list[str] = []
            where: list[int] = []
            for m in re.finditer(r"\s+|\S+", self.text):
                if m.group().isspace():
                    if chars and chars[-1] != " ":
                        chars.append(" ")
                        where.append(m.start())
                else:
                    chars.append(m.group())
                    where.extend(range(m.start(), m.end()))
            self._folded = ("".join(chars), where)
        return self._folded

    def locate(self, quote: str) -> tuple[int, int] | None:
        """Offsets of the first passage equal to `quote` with white space folded."""
        needle = _WS.sub(" ", quote).strip()
        if not needle:
            return None
        folded, where = self._fold()
        i = folded.find(needle)
        if i < 0:
            return None
        return where[i], where[i + len(needle) - 1] + 1

    def locate_all(self, quote: str) -> list[tuple[int, int]]:
        """Offsets of every passage equal to `quote` with white space folded."""
        needle = _WS.sub(" ", quote).strip()
        if not needle:
            return []
        folded, where = self._fold()
        out, i = [], folded.find(needle)
        while i >= 0:
            out.append((where[i], where[i + len(needle) - 1] + 1))
            i = folded.find(needle, i + 1)
        return out

    def passage(self, start: int, end: int) -> Passage:
        """A citation-ready passage for `text[start:end]`, with its message's headers
        and the page and Bates number it starts on."""
        msg = self.message_at(start)
        page = self.page_at(start)
        return Passage(
            doc=self.path,
            quote=self.text[start:end],
            start=start,
            end=end,
            date=msg.date if msg else None,
            sender=msg.sender if msg else None,
            recipients=msg.recipients if msg else (),
            subject=msg.subject if msg else None,
            page=page.number if page else None,
            bates=page.bates if page else None,
        )

    def page_at(self, offset: int) -> Page | None:
        for page in self.pages:
            if page.start <= offset < page.end:
                return page
        return None

    def redactions_near(self, start: int, end: int, margin: int = 200) -> list[Redaction]:
        """Redactions inside or within `margin` characters of `text[start:end]`."""
        return [r for r in self.redactions if r.end >= start - margin and r.start <= end + margin]

    def message_at(self, offset: int) -> Message | None:
        """The first message whose span holds `offset`. An mbox holds thousands of
        messages, in order and apart: those are found by binary search."""
        msgs = self.messages
        key = (id(msgs), len(msgs))
        if self._starts[0] != key:
            apart = all(a.end <= b.start for a, b in zip(msgs, msgs[1:], strict=False))
            self._starts = (key, [m.start for m in msgs] if apart else None)
        starts = self._starts[1]
        if starts is not None:
            n = bisect_right(starts, offset) - 1
            return msgs[n] if n >= 0 and offset < msgs[n].end else None
        for msg in msgs:
            if msg.start <= offset < msg.end:
                return msg
        return None

    def nearest(self, quote: str) -> str | None:
        """The passage most like `quote`, for a 'did you mean' message."""
        folded, _ = self._fold()
        needle = _WS.sub(" ", quote).strip()
        if not needle or not folded:
            return None
        hit = fuzz.partial_ratio_alignment(needle, folded, score_cutoff=50)
        if hit is None:
            return None
        return folded[hit.dest_start : hit.dest_end]
