"""A message's own text, as paragraphs ready for spaCy, with a way back to offsets.

The body starts after the message's header block. Quoted history belongs to
an earlier message, so it is cut out. A paragraph ends at a blank line or at
a line ending with ':' (a quote or list introduced on the next line). Inside
a paragraph every run of white space becomes one space, so that a name
wrapped across lines ("Lincoln\\nElementary") is still one name;
`Segment.span` maps characters back to offsets in `Document.text`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from checker.ingest.document import Document, Message

_BREAK = re.compile(r"\n[ \t]*\n\s*|(?<=:)[ \t]*\n\s*")
_HEADER_END = re.compile(r"\n[ \t]*\n")
_WORD = re.compile(r"\S+")
_RUN = re.compile(r"\s{2,}")


@dataclass(frozen=True)
class Segment:
    """One paragraph of a message: folded `text`, from `source[raw_start:raw_end]`
    (the document's text) with every run of white space made one space.

    Where each word starts, in `text` and in the document, is worked out only
    when an offset is asked for: most paragraphs give no fact."""

    text: str
    source: str = field(repr=False, compare=False)
    raw_start: int
    raw_end: int

    @cached_property
    def _shifts(self) -> tuple[list[int], list[int]]:
        """Where folding shortened the text: for each run of two or more white
        space characters, the folded offset after its one space, and how many
        characters were dropped up to and including that run."""
        after: list[int] = []
        dropped: list[int] = []
        total = 0
        for m in _RUN.finditer(self.source, self.raw_start, self.raw_end):
            after.append(m.start() - self.raw_start - total + 1)
            total += m.end() - m.start() - 1
            dropped.append(total)
        return after, dropped

    def at(self, char: int) -> int:
        """Offset in the document of folded character `char` (a joining space maps
        to the first white space character after its word)."""
        after, dropped = self._shifts
        n = bisect_right(after, char)
        return self.raw_start + char + (dropped[n - 1] if n else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the document of folded characters `start:end`."""
        return self.at(start), self.at(end - 1) + 1


def body_start(doc: Document, msg: Message) -> int:
    """Offset where the message's body starts (after its header block)."""
    if msg.from_line is None:
        return msg.start
    m = _HEADER_END.search(doc.text, msg.from_line[0], msg.end)
    return m.end() if m else msg.end


def _fold(text: str, start: int, end: int) -> Segment | None:
    words = text[start:end].split()
    if not words:
        return None
    first = _WORD.search(text, start, end)
    assert first is not None
    raw_start = first.start()
    raw_end = text.rindex(words[-1], raw_start, end) + len(words[-1])
    return Segment(" ".join(words), text, raw_start, raw_end)


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


def quoted_spans(doc: Document, msg: Message) -> list[tuple[int, int]]:
    """The quoted history in the message body, as document offsets, in order: what
    `own_spans` leaves out."""
    start = body_start(doc, msg)
    out: list[tuple[int, int]] = []
    for qs, qe in sorted(msg.quoted):
        qs, qe = max(qs, start), min(qe, msg.end)
        if qs >= qe:
            continue
        if out and qs <= out[-1][1]:  # spans that overlap or touch are one
            out[-1] = (out[-1][0], max(out[-1][1], qe))
        else:
            out.append((qs, qe))
    return out


def segments(doc: Document, msg: Message) -> list[Segment]:
    """The message's own paragraphs, in order."""
    return paragraphs(doc, own_spans(doc, msg))


def paragraphs(doc: Document, spans: list[tuple[int, int]]) -> list[Segment]:
    """The paragraphs of the document's text over `spans`, in order."""
    out: list[Segment] = []
    for s, e in spans:
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
