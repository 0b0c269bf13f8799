"""Citations in the HTML report: the quoted passage marked in its surrounding text.

Each citation shows up to `CONTEXT` characters of the document's text on
either side of the passage, with the passage in `<mark>`, and every
pinpoint the citation has (document, offsets, date, sender, recipients,
subject, page, Bates number, fact and its status).
"""

from __future__ import annotations

import re

from checker.model.verdicts import Citation
from checker.report.context import ReportContext
from checker.report.htmlkit import esc
from checker.report.text import where

CONTEXT = 300
_SNAP = 40  # how far to look for a word boundary when cutting the context
_SPACE = re.compile(r"\s")
_LAST_SPACE = re.compile(r"\s\S*\Z")


def record_text(ctx: ReportContext | None, c: Citation) -> str | None:
    """The text of the record `c` cites (case.yaml's for closed-world reasons):
    the context shown around a passage never leaves its email."""
    return ctx.record_text(c.doc, c.index) if ctx is not None else None


def show_date(iso: str) -> str:
    """'2020-10-05T14:03:00-05:00' -> '2020-10-05 14:03 (UTC-05:00)'."""
    if len(iso) < 16 or iso[10] != "T":
        return iso
    zone = iso[19:]
    zone = "UTC" if zone in ("Z", "+00:00") else f"UTC{zone}" if zone else ""
    return f"{iso[:10]} {iso[11:16]}" + (f" ({zone})" if zone else "")


_EDGE = (
    '<span class="elide" title="the text {side} is not part of the cited message">{label}</span>'
)


def context(text: str | None, c: Citation, opens: str = "", closes: str = "") -> str:
    """The passage marked in ±CONTEXT characters of its record's text, escaped.
    Where the context reaches the record's edge and the file goes on with other
    emails, the edge is labelled (`opens`, `closes`: '[start of message 2 of
    3]'), so nothing of a neighbouring email passes for this one's."""
    if text is None or text[c.start : c.end] != c.quote:
        return (
            f"<mark>{esc(c.quote)}</mark>"
            '<span class="note"> (the document text is not available here; '
            "this is the quoted passage alone)</span>"
        )
    lo, hi = max(0, c.start - CONTEXT), min(len(text), c.end + CONTEXT)
    before, after = text[lo : c.start], text[c.end : hi]
    if lo > 0:  # start on a word, if one begins soon
        m = _SPACE.search(before[:_SNAP])
        before = before[m.end() :] if m else before
    if hi < len(text):  # end on a word, if one ended shortly before
        tail = after[-_SNAP:]
        m = _LAST_SPACE.search(tail)
        after = after[: len(after) - len(tail) + m.start()] if m else after
    lead = '<span class="elide" title="text before omitted">\u2026</span>' if lo > 0 else ""
    tail = '<span class="elide" title="text after omitted">\u2026</span>' if hi < len(text) else ""
    if lo == 0 and opens:
        lead = _EDGE.format(side="before", label=esc(opens)) + "\n"
    if hi == len(text) and closes:
        tail = ("" if after.endswith("\n") else "\n") + _EDGE.format(
            side="after", label=esc(closes)
        )
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
    opens, closes = ctx.record_edges(c.doc, c.index) if ctx is not None else ("", "")
    passage = context(record_text(ctx, c), c, opens, closes)
    kind = " citation-closed" if closed else ""
    return (
        f'<li class="citation{kind}" id="{esc(anchor)}">'
        f'<p class="cite-head"><a class="cite-n" href="#{esc(anchor)}">[{n}]</a> '
        f"<code>{esc(where(c.doc, c.index))}</code> "
        f'<span class="offsets">characters {c.start}\u2013{c.end}</span></p>'
        f'<dl class="cite-meta">{"".join(rows)}</dl>'
        f'<blockquote class="context">{passage}</blockquote></li>'
    )
