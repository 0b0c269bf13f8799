"""A message's own text, as paragraphs ready for spaCy, with a way back to offsets.

The body starts after the message's header block. Quoted history belongs to
an earlier message, so it is cut out. A paragraph ends at a blank line or at
a line ending with ':' (a quote or list introduced on the next line). Inside
a paragraph every run of white space becomes one space, so that a name
wrapped across lines ("Lincoln\\nElementary") is still one name; `where`
maps each character back to its offset in `Document.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.ingest.document import Document, Message

_BREAK = re.compile(r"\n[ \t]*\n\s*|(?<=:)[ \t]*\n\s*")
_HEADER_END = re.compile(r"\n[ \t]*\n")


@dataclass(frozen=True)
class Segment:
    """One paragraph of a message: folded `text` and each character's `where`."""

    text: str
    where: tuple[int, ...]
    raw_start: int
    raw_end: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the document of folded characters `start:end`."""
        return self.where[start], self.where[end - 1] + 1


def body_start(doc: Document, msg: Message) -> int:
    """Offset where the message's body starts (after its header block)."""
    if msg.from_line is None:
        return msg.start
    m = _HEADER_END.search(doc.text, msg.from_line[0], msg.end)
    return m.end() if m else msg.end


def _fold(text: str, start: int, end: int) -> Segment | None:
    chars: list[str] = []
    where: list[int] = []
    for m in re.finditer(r"\s+|\S+", text[start:end]):
        if m.group().isspace():
            if chars:
                chars.append(" ")
                where.append(start + m.start())
        else:
            chars.append(m.group())
            where.extend(range(start + m.start(), start + m.end()))
    while chars and chars[-1] == " ":
        chars.pop()
        where.pop()
    if not chars:
        return None
    return Segment("".join(chars), tuple(where), where[0], where[-1] + 1)


def own_spans(doc: Document, msg: Message) -> list[tuple[int, int]]:
    """The message body minus quoted history, as document offsets."""
    spans = [(body_start(doc, msg), msg.end)]
    for qs, qe in sorted(msg.quoted):
        out = []
        for s, e in spans:
            if qe <= s or qs >= e:
                out.append((s, e))
                continue
            if s < qs:
                out.append((s, qs))
            if qe < e:
                out.append((qe, e))
        spans = out
    return spans


def segments(doc: Document, msg: Message) -> list[Segment]:
    """The message's own paragraphs, in order."""
    out: list[Segment] = []
    for s, e in own_spans(doc, msg):
        cut = s
        for m in _BREAK.finditer(doc.text, s, e):
            seg = _fold(doc.text, cut, m.start())
            if seg:
                out.append(seg)
            cut = m.end()
        seg = _fold(doc.text, cut, e)
        if seg:
            out.append(seg)
    return out
