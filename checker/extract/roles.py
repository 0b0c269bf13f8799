"""Filling a fact's roles from a matched sentence (README: 'Role sources').

The message is context: its sender and recipients (resolved from the header
addresses as header facts are), and its date, against which relative dates
resolve. First person belongs to the sender ("I" -> the sender, "we"/"our"
-> the sender's organisation), second person to the recipients.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.tokens import Span

from checker.extract.context import Sentence
from checker.extract.money import find_amounts
from checker.extract.when import date_range, find_dates
from checker.model.timespan import DateSpan, day_span, parse_date

_FIRST_SINGULAR = {"i", "me", "my"}
_FIRST_PLURAL = {"we", "us", "our"}
_SECOND = {"you", "your"}
_THIRD = {"he", "she", "they", "it", "them", "his", "her", "their"}
_NOW = re.compile(r"\b(?:now|today|this morning|just|created|set up)\b", re.IGNORECASE)
_ARTICLES = {"the", "a", "an", "this", "that", "these", "those", "our", "my", "your", "their"}
_DEFAULT_STOP = ["and", "but", "because", "which", "that", "so"]
# A trigger that says it was done: "met", "signed", "paid", "per our meeting"
_PAST_WORDS = {"met", "ran", "sat", "had", "held", "paid", "sent", "took", "went", "spoke", "gave",
               "put", "did", "was", "were", "per", "following", "since", "yesterday", "last"}
_BACK_REFERENCE = re.compile(r"^(?:it|this|that|the \w+)\b", re.IGNORECASE)
# Words that open a sentence with a subordinate clause: "Before we met with X, Ken ..."
_SUBORDINATORS = {
    "before", "after", "when", "whenever", "since", "once", "while", "as", "although",
    "though", "because", "if", "unless", "until", "whereas",
}  # fmt: skip


def _agent(s: Sentence) -> list[str]:
    """Who does the trigger: the nearest pronoun or entity before it in the clause."""
    doc = s.sent.doc
    by_token = {i: m for m in s.mentions for i in range(m.start, m.end)}
    for i in range(s.trigger.start - 1, s.sent.start - 1, -1):
        word = doc[i].lower_
        if doc[i].text in (";", ":"):
            break
        if i in by_token:
            s.used_fuzzy |= by_token[i].fuzzy
            return [by_token[i].eid]
        if word in _FIRST_SINGULAR:
            return [s.ctx.sender] if s.ctx.sender else []
        if word in _FIRST_PLURAL:
            return s.ctx.orgs([s.ctx.sender]) if s.ctx.sender else []
        if word in _SECOND:
            return list(s.ctx.recipients)
        if word in _THIRD:
            return []
    return []


def _mentions(s: Sentence, opts: dict[str, Any]) -> list[str]:
    kinds = opts.get("kind")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    side = opts.get("side", "any")
    found: list[tuple[int, str]] = []
    lo, hi = _bounds(s, opts)
    if s.ctx.sender and (not kinds or "person" in kinds):
        # "with Marcus and me": an object first-person pronoun is the sender
        for tok in s.sent.doc[lo:hi]:
            if tok.lower_ in ("me", "myself") and _on_side(tok.i, tok.i + 1, s.trigger, side):
                found.append((tok.i, s.ctx.sender))
    for m in s.mentions:
        if m.start < s.sent.start or m.end > s.sent.end:
            continue
        if m.start < lo or m.end > hi:
            continue
        if kinds and m.kind not in kinds:
            continue
        if not _on_side(m.start, m.end, s.trigger, side):
            continue
        s.used_fuzzy |= m.fuzzy
        found.append((m.start, m.eid))
    return [eid for _, eid in sorted(found, key=lambda f: f[0])]


def _bounds(s: Sentence, opts: dict[str, Any]) -> tuple[int, int]:
    """Token range `start`/`stop` leave of the sentence: after the first `start`
    word that follows the trigger ("... to Y by Z": Z), before the first `stop`
    word that follows it ("... to Y by Z": Y)."""
    doc = s.sent.doc
    lo, hi = _trigger_clause(s)
    for key in ("start", "stop"):
        words = {str(w).casefold() for w in opts.get(key, ())}
        if not words:
            continue
        at = next((t.i for t in doc[s.trigger.end : s.sent.end] if t.lower_ in words), None)
        if key == "start":
            lo = at + 1 if at is not None else s.sent.end
        elif at is not None:
            hi = at
    return lo, hi


def _trigger_clause(s: Sentence) -> tuple[int, int]:
    """The sentence, or, when it opens with a subordinate clause ("Before we met with
    Ferncastle, Ken Adair prepared notes"), the side of that clause's comma the
    trigger is on: Ken Adair was not at the meeting."""
    doc = s.sent.doc
    lo, hi = s.sent.start, s.sent.end
    if doc[lo].lower_ not in _SUBORDINATORS:
        return lo, hi
    comma = next((t.i for t in doc[lo:hi] if t.text == ","), None)
    if comma is None:
        return lo, hi
    if s.trigger.end <= comma:
        return lo, comma
    if s.trigger.start > comma:
        return comma + 1, hi
    return lo, hi


def _on_side(start: int, end: int, trigger: Span, side: str) -> bool:
    """Tokens `start:end` lie on `side` of the trigger (before, after, match, any)."""
    if side == "after":
        return start >= trigger.end
    if side == "before":
        return end <= trigger.start
    if side == "match":
        return end > trigger.start and start < trigger.end
    return True


def _keyword(s: Sentence, table: dict[str, Any]) -> list[str]:
    text = s.text.casefold()
    best: tuple[int, str] | None = None
    for value, words in table.items():
        for w in [words] if isinstance(words, str) else words:
            m = re.search(rf"\b{re.escape(str(w).casefold())}\b", text)
            if m and (best is None or m.start() < best[0]):
                best = (m.start(), value)
    return [best[1]] if best else []


def _text(s: Sentence, opts: dict[str, Any]) -> list[str]:
    doc = s.sent.doc
    start = s.trigger.end if opts["span"] == "after" else s.trigger.start + 1
    stop = {w.casefold() for w in opts.get("stop", _DEFAULT_STOP)}
    date_at = {i for f in s.dates() for i in range(f.start, f.end)}
    toks = []
    depth = 0
    for tok in doc[start : s.sent.end]:
        depth += tok.text == "("
        depth -= tok.text == ")"
        at = tok.idx - s.sent.start_char
        if depth <= 0 and tok.text != ")" and (tok.lower_ in stop or tok.text in (",", ";", ".")):
            break
        if at in date_at or tok.lower_ in ("today", "yesterday", "tonight"):
            break
        toks.append(tok)
    while toks and toks[0].lower_ in _ARTICLES:
        toks.pop(0)
    if not toks:
        return []
    return [doc[toks[0].i : toks[-1].i + 1].text]


def _first_date(s: Sentence) -> list[DateSpan]:
    """The sentence's first date. A date written without a year takes the message's
    year; when that puts it after the message and the trigger says the thing was done
    ("met with X on 20 June" written on 15 June), it is the year before."""
    found = s.dates()[:1]
    if not found:
        return []
    f = found[0]
    day = s.ctx.day
    if not (f.yearless and day and f.span.start > day and _past_trigger(s.trigger)):
        return [f.span]
    try:
        return [parse_date(f"{f.span.start.year - 1}{f.span.text[4:]}")]
    except ValueError:  # 29 February: no date rather than a wrong one
        return []


def _past_trigger(trigger: Span) -> bool:
    return any(
        t.lower_ in _PAST_WORDS or (len(t.lower_) > 4 and t.lower_.endswith("ed"))
        for t in trigger
    )


def _range(s: Sentence, end: bool) -> list[DateSpan]:
    first, last = date_range(s.dates())
    if first is None and s.next_sent is not None and _BACK_REFERENCE.match(s.next_sent.text):
        first, last = date_range(find_dates(s.next_sent.text, s.ctx.day))
        if first is not None:
            s.used_next = True
    value = last if end else first
    return [value] if value is not None else []


def fill(src: Any, s: Sentence) -> list[Any]:
    """The values one role source gives for sentence `s` (empty when none)."""
    ctx = s.ctx
    if isinstance(src, list):
        return [v for part in src for v in fill(part, s)]
    if isinstance(src, dict):
        ((key, opts),) = src.items()
        if key == "first":
            for part in opts:
                got = fill(part, s)
                if got:
                    return got
            return []
        if key == "mentions":
            return _mentions(s, opts or {})
        if key == "keyword":
            return _keyword(s, opts)
        if key == "literal":
            return [opts]
        if key == "date":  # {date: now}
            return [day_span(ctx.day)] if ctx.day and _NOW.search(s.text) else []
        if key == "text":
            return _text(s, opts)
        return []
    return list(_SIMPLE[src](s))


def _sender(s: Sentence) -> list[Any]:
    return [s.ctx.sender] if s.ctx.sender else []


def _sender_org(s: Sentence) -> list[Any]:
    return s.ctx.orgs([s.ctx.sender]) if s.ctx.sender else []


def _message_date(s: Sentence) -> list[Any]:
    return [day_span(s.ctx.day)] if s.ctx.day else []


#: The role sources written as a bare word (packs.SIMPLE_SOURCES), built once.
_SIMPLE: dict[str, Callable[[Sentence], list[Any]]] = {
    "sender": _sender,
    "sender_org": _sender_org,
    "recipients": lambda s: list(s.ctx.recipients),
    "recipient_orgs": lambda s: s.ctx.orgs(s.ctx.recipients),
    "agent": _agent,
    "agent_org": lambda s: s.ctx.orgs(_agent(s)),
    "mentions": lambda s: _mentions(s, {}),
    "date": lambda s: _first_date(s),
    "money": lambda s: [a.value for a in find_amounts(s.text)[:1]],
    "message_date": _message_date,
    "range_start": lambda s: _range(s, end=False),
    "range_end": lambda s: _range(s, end=True),
}
