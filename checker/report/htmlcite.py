"""Citations in the HTML report: the quoted passage marked in its surrounding text.

Each citation shows up to `CONTEXT` characters of text on either side of the
passage, with the passage in `<mark>`, and every pinpoint the citation has
(document, offsets, date, sender, recipients, subject, page, Bates number,
fact and its status). The context never leaves the passage's record
(`record_of`): the message that holds it, or the whole text of a file with no
messages. Where the context reaches a record's edge inside the file, a marker
says so ("[start of message 2 of 3]"); an ellipsis means only that more of the
same record is left out.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from operator import attrgetter

from checker.ingest.document import Document
from checker.model.verdicts import Citation
from checker.report.context import ReportContext
from checker.report.htmlkit import esc

CONTEXT = 300
_SNAP = 40  # how far to look for a word boundary when cutting the context
_SPACE = re.compile(r"\s")
_LAST_SPACE = re.compile(r"\s\S*\Z")
_START = attrgetter("start")
_TEXT = re.compile(r"\S")


@dataclass(frozen=True)
class RecordSpan:
    """The span of a document's text that a passage belongs to, and what its edges
    are called where the file goes on past them ("" at the file's own edges)."""

    start: int
    end: int
    opens: str = ""  # e.g. "[start of message 2 of 3]"
    closes: str = ""  # e.g. "[end of message 2 of 3]"
    message: bool = False  # a message, rather than text outside every message


def record_of(doc: Document, offset: int) -> RecordSpan:
    """The record holding `offset`: the message whose span holds it; else, in a
    file with messages, the text between the messages around it (a printout's
    cover page); else the whole text. Messages are in text order, as every
    reader in `checker.ingest` gives them."""
    msgs, text = doc.messages, doc.text
    if not msgs:
        return RecordSpan(0, len(text))
    n = len(msgs)
    msg = doc.message_at(offset)
    if msg is not None:
        i = bisect_right(msgs, msg.start, key=_START) - 1
        if not 0 <= i < n or msgs[i] is not msg:
            i = next(k for k, m in enumerate(msgs) if m is msg)
        start, end, opens, closes = msg.start, msg.end, "start", "end"
        n_opens = n_closes = i + 1
    else:
        i = bisect_right(msgs, offset, key=_START)  # msgs[:i] start at or before offset
        start = min(msgs[i - 1].end, offset) if i else 0
        end = max(msgs[i].start, offset) if i < n else len(text)
        opens, closes, n_opens, n_closes = "end", "start", i, i + 1
    # An edge is named only where the file goes on past it with more than white space.
    return RecordSpan(
        start,
        end,
        f"[{opens} of message {n_opens} of {n}]" if _TEXT.search(text, 0, start) else "",
        f"[{closes} of message {n_closes} of {n}]" if _TEXT.search(text, end) else "",
        message=msg is not None,
    )


def cited(ctx: ReportContext | None, c: Citation) -> tuple[str | None, RecordSpan | None]:
    """The text `c` cites in (case.yaml's for closed-world reasons) and the record
    holding the passage (None: the whole text)."""
    if ctx is None:
        return None, None
    doc = ctx.document(c.doc)
    if doc is None:
        return ctx.text(c.doc), None
    return doc.text, record_of(doc, c.start)


def show_date(iso: str) -> str:
    """'2020-10-05T14:03:00-05:00' -> '2020-10-05 14:03 (UTC-05:00)'."""
    if len(iso) < 16 or iso[10] != "T":
        return iso
    zone = iso[19:]
    zone = "UTC" if zone in ("Z", "+00:00") else f"UTC{zone}" if zone else ""
    return f"{iso[:10]} {iso[11:16]}" + (f" ({zone})" if zone else "")


def _edge(label: str, before: bool, message: bool) -> str:
    side = "before" if before else "after"
    what = "not part of the cited message" if message else "another message"
    return f'<span class="elide" title="the text {side} is {what}">{esc(label)}</span>'


def context(text: str | None, c: Citation, record: RecordSpan | None = None) -> str:
    """The passage marked in up to ±CONTEXT characters of its record (`record`;
    None: the whole text), escaped, with the record's edges marked where the
    context reaches them."""
    if text is None or text[c.start : c.end] != c.quote:
        return (
            f"<mark>{esc(c.quote)}</mark>"
            '<span class="note"> (the document text is not available here; '
            "this is the quoted passage alone)</span>"
        )
    rec = record or RecordSpan(0, len(text))
    first, last = min(rec.start, c.start), max(rec.end, c.end)
    lo, hi = max(first, c.start - CONTEXT), min(last, c.end + CONTEXT)
    before, after = text[lo : c.start], text[c.end : hi]
    if lo > first:  # start on a word, if one begins soon
        m = _SPACE.search(before[:_SNAP])
        before = before[m.end() :] if m else before
    if hi < last:  # end on a word, if one ended shortly before
        last_bit = after[-_SNAP:]
        m = _LAST_SPACE.search(last_bit)
        after = after[: len(after) - len(last_bit) + m.start()] if m else after
    lead = tail = ""
    if lo > first:
        lead = '<span class="elide" title="text before omitted">\u2026</span>'
    elif rec.opens:
        lead = _edge(rec.opens, True, rec.message) + "\n"
    if hi < last:
        tail = '<span class="elide" title="text after omitted">\u2026</span>'
    elif rec.closes and c.end <= rec.end:  # else the edge lies inside the quote itself
        ends_line = (after or c.quote).endswith("\n")
        tail = ("" if ends_line else "\n") + _edge(rec.closes, False, rec.message)
    return f"{lead}{esc(before)}<mark>{esc(c.quote)}</mark>{esc(after)}{tail}"


def _row(label: str, value: str) -> str:
    return f"<dt>{esc(label)}</dt><dd>{value}</dd>"


def citation_item(c: Citation, n: int, anchor: str, ctx: ReportContext | None) -> str:
    """One `<li>` with id `anchor`: pinpoints, then the passage in context."""
    closed = c.fact == "closed_world"
    rows: list[str] = []
    if c.page is not None:
        rows.append(_row("Page", esc(c.page)))
    if c.bates:
        rows.append(_row("Bates", esc(c.bates)))
    if c.date:
        rows.append(_row("Date", f'<time datetime="{esc(c.date)}">{esc(show_date(c.date))}</time>'))
    if c.from_:
        rows.append(_row("From", esc(c.from_)))
    if c.to:
        rows.append(_row("To", "<br>".join(esc(t) for t in c.to)))
    if c.subject:
        rows.append(_row("Subject", esc(c.subject)))
    if closed:
        rows.append(
            _row(
                "Basis",
                "closed-world declaration: the case says this evidence is "
                "complete, for the reason quoted",
            )
        )
    else:
        status = esc(c.status)
        if c.status != "confirmed":
            status = f'<strong class="warn">{status} (not confirmed by an analyst)</strong>'
        rows.append(_row("Fact", f"<code>{esc(c.fact)}</code>, {status}"))
    text, record = cited(ctx, c)
    passage = context(text, c, record)
    kind = " citation-closed" if closed else ""
    return (
        f'<li class="citation{kind}" id="{esc(anchor)}">'
        f'<p class="cite-head"><a class="cite-n" href="#{esc(anchor)}">[{n}]</a> '
        f"<code>{esc(c.doc)}</code> "
        f'<span class="offsets">characters {c.start}\u2013{c.end}</span></p>'
        f'<dl class="cite-meta">{"".join(rows)}</dl>'
        f'<blockquote class="context">{passage}</blockquote></li>'
    )
