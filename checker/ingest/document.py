"""A document's text, the messages in it, and finding quotes in it.

Offsets always index `Document.text`, the text the checker extracted. A quote
is found after folding white space (runs of spaces and line breaks count as
one space), and the citation then gives the exact passage of the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from checker.model.facts import Passage

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Message:
    """One message's span in a document's text and its header values."""

    start: int
    end: int
    date: str | None = None
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    subject: str | None = None
    from_addr: tuple[str, str] | None = None  # (display name, address)
    to_addrs: tuple[tuple[str, str], ...] = ()  # To and Cc, (display name, address)
    from_line: tuple[int, int] | None = None  # offsets of the decoded "From: ..." line


@dataclass
class Document:
    """The text of one evidence file, with its messages (none for plain text)."""

    path: str
    text: str
    messages: list[Message] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # messages that could not be parsed
    _folded: tuple[str, list[int]] | None = field(default=None, repr=False)

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

    def passage(self, start: int, end: int) -> Passage:
        """A citation-ready passage for `text[start:end]`, with its message's headers."""
        msg = self.message_at(start)
        return Passage(
            doc=self.path,
            quote=self.text[start:end],
            start=start,
            end=end,
            date=msg.date if msg else None,
            sender=msg.sender if msg else None,
            recipients=msg.recipients if msg else (),
            subject=msg.subject if msg else None,
        )

    def message_at(self, offset: int) -> Message | None:
        for msg in self.messages:
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
