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
from dataclasses import dataclass

from checker.ingest.document import Document, Message

_BREAK = re.compile(r"\n[ \t]*\n\s*|(?<=:)[ \t]*\n\s*")
_HEADER_END = re.compile(r"\n[ \t]*\n")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Segment:
    """One paragraph of a message: folded `text` and where each of its words starts,
    in `text` (`starts`) and in the document (`raw`); one space joins two words."""

    text: str
    starts: tuple[int, ...]
    raw: tuple[int, ...]
    raw_start: int
    raw_end: int

    def at(self, char: int) -> int:
        """Offset in the document of folded character `char` (a joining space maps
        to the white space after its word)."""
        n = bisect_right(self.starts, char) - 1
        word_end = self.starts[n + 1] - 1 if n + 1 < len(self.starts) else len(self.text)
        if char < word_end:
            return self.raw[n] + char - self.starts[n]
        return self.raw[n] + word_end - self.starts[n]

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
    words: list[str] = []
    starts: list[int] = []
    raw: list[int] = []
    at = 0
    for m in _WORD.finditer(text, start, end):
        word = m.group()
        words.append(word)
        starts.append(at)
        raw.append(m.start())
        at += len(word) + 1
    if not words:
        return None
    raw_end = raw[-1] + len(words[-1])
    return Segment(" ".join(words), tuple(starts), tuple(raw), raw[0], raw_end)


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
