"""Threads across documents, and the original of a passage quoted in a reply.

`thread_ids(docs)` groups every message of a set of documents into threads:

1. by headers: Message-ID, In-Reply-To and References are joined with
   union-find, so two replies to a parent that was never produced still
   share a thread;
2. else by subject: a message whose headers do not say what it answers (no
   In-Reply-To, no References; a printout has none) joins the messages with
   the same normalised subject ("Re:", "Fw:", "Fwd:", "AW:", "WG:" prefixes,
   case and spacing removed) and the same set of participants (sender, To
   and Cc addresses, case folded). A message with an empty subject joins no
   one by subject.

A thread id is "thread-" and 12 hex digits of the SHA-256 of the group's
smallest label, so re-running on the same documents gives the same ids.

`attribute(docs, doc, start, end)` answers: this passage sits in quoted
history; where was it first written? It looks for the passage, with white
space folded and quote markers (">") removed, in the messages' own
(non-quoted) text, and returns that location, so one email quoted in five
replies is attributed to, and can be counted as, the one original.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from email.utils import getaddresses

from checker.ingest.document import Document, Message
from checker.ingest.quoted import in_quoted

Key = tuple[str, int]  # (doc.path, message index)

_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_QUOTE_MARKS = re.compile(r"^[ \t]*>[> \t]*", re.MULTILINE)


def normal_subject(subject: str | None) -> str:
    """'RE: Fwd:  The Pilot ' -> 'the pilot'."""
    return " ".join(_PREFIX.sub("", subject or "").casefold().split())


def participants(msg: Message) -> frozenset[str]:
    """Sender and recipient addresses, case folded."""
    pairs = ([msg.from_addr] if msg.from_addr else []) + list(msg.to_addrs)
    if not pairs:  # a reader that kept only display strings
        pairs = getaddresses([msg.sender or "", *msg.recipients])
    return frozenset(addr.casefold() for _, addr in pairs if addr)


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _id(value: str) -> str:
    return "id:" + value.strip().strip("<>").strip().casefold()


def thread_ids(docs: Iterable[Document]) -> dict[Key, str]:
    """Thread id of every message, keyed by (doc.path, message index)."""
    uf = _UnionFind()
    keys: list[Key] = []
    for doc in docs:
        for i, msg in enumerate(doc.messages):
            key: Key = (doc.path, i)
            keys.append(key)
            node = f"msg:{doc.path}#{i}"
            uf.find(node)
            if msg.message_id:
                uf.union(node, _id(msg.message_id))
            for ref in (msg.in_reply_to, *msg.references):
                if ref:
                    uf.union(node, _id(ref))
            subject = normal_subject(msg.subject)
            if subject and not msg.in_reply_to and not msg.references:
                who = ",".join(sorted(participants(msg)))
                uf.union(node, f"subject:{subject}|{who}")
    out: dict[Key, str] = {}
    for path, i in keys:
        label = uf.find(f"msg:{path}#{i}")  # a group's root is its smallest label
        out[(path, i)] = "thread-" + hashlib.sha256(label.encode()).hexdigest()[:12]
    return out


def own_parts(doc: Document) -> list[tuple[int, int]]:
    """Spans of `doc.text` that are no message's quoted history (the whole text
    when the document has no messages)."""
    if not doc.messages:
        return [(0, len(doc.text))]
    parts: list[tuple[int, int]] = []
    for msg in doc.messages:
        at = msg.start
        for s, e in sorted(msg.quoted):
            if s > at:
                parts.append((at, s))
            at = max(at, e)
        if msg.end > at:
            parts.append((at, msg.end))
    return parts


def _date_order(doc: Document, offset: int) -> tuple[int, str]:
    msg = doc.message_at(offset)
    return (0, msg.date) if msg and msg.date else (1, "")


def original_of(passage: str, corpus: Iterable[Document]) -> tuple[Document, int, int] | None:
    """The location of `passage` in some message's own text: the earliest dated
    such message, then by path and offset. None when no document has it."""
    needle = _QUOTE_MARKS.sub("", passage)
    if not needle.strip():
        return None
    hits: list[tuple[tuple[int, str], str, int, Document, int, int]] = []
    for doc in corpus:
        for s, e in own_parts(doc):
            found = Document(doc.path, doc.text[s:e]).locate(needle)
            if found:
                a, b = found[0] + s, found[1] + s
                hits.append((_date_order(doc, a), doc.path, a, doc, a, b))
    if not hits:
        return None
    _, _, _, doc, a, b = min(hits, key=lambda h: h[:3])
    return doc, a, b


def attribute(
    docs: Iterable[Document], doc: Document, start: int, end: int
) -> tuple[Document, int, int]:
    """Where `doc.text[start:end]` was first written, if it lies in quoted history
    and its original is among `docs`; else the input unchanged."""
    if not in_quoted(doc, start, end):
        return doc, start, end
    return original_of(doc.text[start:end], docs) or (doc, start, end)
