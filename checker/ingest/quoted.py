"""Quoted history inside a message: earlier messages carried along in a reply.

In each message's body (after its own header block) these are quoted:

- lines starting with ">" at any depth ("> text", ">> text", "> > text");
- everything from a reply header to the end of the body, where a reply
  header is one of
  "-----Original Message-----",
  "---------- Forwarded message ---------" / "Begin forwarded message:" /
  Lotus Notes' "----- Forwarded by Name/ORG on 10/16/2000 01:42 PM -----",
  "On <date>, <name> wrote:" (it may wrap onto a second line), and
  a "From: ..." line followed within a few lines by "Sent:", "Date:" or
  "To:" (Outlook's header block; OCR may put a redaction code between).

Attachments that a reader rendered after the body are not searched.
A message's own header block is never quoted history: the body starts after
the first blank line when the message opens with header lines, or after the
header block at its decoded `From:` line. A printout (no header lines of its
own at the top) takes its first "From:/Sent:" block as its own header when
no prose comes before it, only production stamps and markings.
"""

from __future__ import annotations

import re
from dataclasses import replace

from checker.ingest.bates import stamps
from checker.ingest.document import Document, Message

_HEADER_LINE = re.compile(r"[A-Za-z][\w-]*:[ \t]")
_ANGLE = re.compile(r"^[ \t]*>[^\n]*(?:\n[ \t]*>[^\n]*)*", re.MULTILINE)
_REPLY_HEADERS = [
    # OCR may drop the dashes: "    Original Message" on a line of its own
    re.compile(
        r"^[ \t>]*(?:-{2,}[ \t]*Original Message[ \t]*-{2,}"
        r"|-*[ \t]*Original Message[ \t]*-*[ \t]*$)",
        re.MULTILINE | re.IGNORECASE,
    ),
    re.compile(r"^[ \t>]*-{2,}[ \t]*Forwarded message[ \t]*-{2,}", re.MULTILINE | re.IGNORECASE),
    re.compile(r"^[ \t>]*Begin forwarded message:", re.MULTILINE),
    re.compile(r"^[ \t]*-{2,}[ \t]*Forwarded by\b[^\n]*-{2,}", re.MULTILINE),
    # "On Tue, Mar 3, 2020 at 10:00 AM Ann Lee <ann@x> wrote:", possibly wrapped once
    re.compile(r"^[ \t>]*On\b[^\n]{0,300}(?:\n[^\n]{0,300})?\bwrote:[ \t]*$", re.MULTILINE),
    re.compile(r"^[ \t>]*Am\b[^\n]{0,300}(?:\n[^\n]{0,300})?\bschrieb[^\n]*:[ \t]*$", re.MULTILINE),
    re.compile(r"^[ \t>]*Le\b[^\n]{0,300}(?:\n[^\n]{0,300})?\ba écrit ?:[ \t]*$", re.MULTILINE),
]
# Outlook's block: From: then, within three lines, Sent:, Date: or To:
_OUTLOOK = re.compile(
    r"^[ \t>]*From[ \t]*:[^\n]*\n(?:[^\n]*\n){0,3}?[ \t>]*(?:Sent|Date|To)[ \t]*:",
    re.MULTILINE | re.IGNORECASE,
)


def _is_prose(line: str) -> bool:
    """A line of message text, not a header, a stamp or a marking."""
    s = line.strip()
    if not s or _HEADER_LINE.match(s) or stamps(s):
        return False
    # "U.S. Department of State Case No." is a marking; prose has lower-case words
    return sum(1 for w in s.split() if w.isalpha() and w.islower()) >= 3


def body_start(text: str, msg: Message, base: int) -> int:
    """Offset in `text` (the message's own text, which starts at document offset
    `base`) where the body starts, after the message's own header block."""
    lead = len(text) - len(text.lstrip("\n"))
    if _HEADER_LINE.match(text, lead):
        blank = text.find("\n\n", lead)
        return len(text) if blank < 0 else blank + 2
    if msg.from_line and msg.start <= msg.from_line[0] < msg.end:
        at = msg.from_line[0] - base
        blank = text.find("\n\n", at)
        return len(text) if blank < 0 else blank + 2
    first = _OUTLOOK.search(text)
    if first and not any(_is_prose(ln) for ln in text[: first.start()].splitlines()):
        m = re.search(r"\n[ \t]*\n", text[first.end() :])
        return len(text) if m is None else first.end() + m.end()
    return 0


def body_end(text: str, msg: Message) -> int:
    """Where the message's own text ends: before the line that introduces its first
    attachment ("[Attachment: ...]"), whose text is no quoted history."""
    starts = [a.start for a in msg.attachments if msg.start < a.start <= msg.end]
    if not starts:
        return msg.end
    first = min(starts)
    return max(msg.start, text.rfind("\n", msg.start, first - 1) + 1)


def quoted_spans(text: str, msg: Message) -> list[tuple[int, int]]:
    """Spans of quoted history in message `msg` of a document whose text is `text`,
    as offsets in the document."""
    base = msg.start
    own = text[base : body_end(text, msg)]
    start = body_start(own, msg, base)
    body = own[start:]
    spans: list[tuple[int, int]] = []
    headers = [m.start() for rx in (*_REPLY_HEADERS, _OUTLOOK) for m in [rx.search(body)] if m]
    cut = min(headers, default=len(body))
    if cut < len(body):
        # start at the line holding the reply header
        cut = body.rfind("\n", 0, cut) + 1
        spans.append((cut, len(body.rstrip()) if body[cut:].strip() else len(body)))
    for m in _ANGLE.finditer(body, 0, cut):
        spans.append((m.start(), m.end()))
    spans = [(s, e) for s, e in spans if e > s]
    return [(base + start + s, base + start + e) for s, e in _merged(spans)]


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(spans):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def find_quoted(doc: Document) -> None:
    """Set `quoted` on every message of `doc` (keeping spans a reader already set)."""
    msgs = []
    for msg in doc.messages:
        found = quoted_spans(doc.text, msg)
        spans = _merged(list(msg.quoted) + found)
        msgs.append(replace(msg, quoted=tuple(spans)) if spans != list(msg.quoted) else msg)
    doc.messages = msgs


def in_quoted(doc: Document, start: int, end: int) -> bool:
    """Whether `text[start:end]` lies wholly in one quoted span of its message."""
    msg = doc.message_at(start)
    return msg is not None and any(s <= start and end <= e for s, e in msg.quoted)
