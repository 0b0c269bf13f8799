"""`checker search`'s answer: a ranked list for people, or JSON with exact offsets.

The text form gives each record on three or four lines: its rank and subject;
its id, `FILE#N`, date and correspondents; a snippet of its text around its
first hit below the header lines (else its first hit), white space folded,
the hits between `[[` and `]]` when `mark` is set (on a terminal); and the
other places it is filed. JSON gives per record the reference a citation
has (`message`, `doc`, `index`, `message_id`, `date`, `from`, `to`,
`subject`) and each hit's `start`, `end` and `quote`, counted in the
record's text as `checker show` prints it, so `text[start:end] == quote`.
"""

from __future__ import annotations

import json
import re
from typing import Any

from checker.case.query import Hit, SearchResult
from checker.ingest.records import body
from checker.report.docs import cut
from checker.report.records import SHORT_ID, headers_row
from checker.report.terminal import printable

MARKS = ("[[", "]]")
BEFORE = 60  # characters of context before the first hit in a snippet
WIDTH = 220  # characters a snippet covers, at least
_WS = re.compile(r"\s+")


def hit_row(rank: int, hit: Hit) -> dict[str, Any]:
    """One record found, as `--format json` gives it."""
    r = hit.record
    return {
        "rank": rank,
        "score": round(hit.score, 6),
        "message": r.id,
        "doc": r.path,
        "index": r.n,
        **headers_row(r),
        "snippet": snippet(hit.text, hit.spans),
        "matches": [
            {"start": s, "end": e, "quote": hit.text[s:e]} for s, e in hit.spans
        ],
    }


def render_search_json(result: SearchResult) -> str:
    """`{query, total, results}`: the records found, best first."""
    out = {
        "query": result.query,
        "total": result.total,
        "results": [hit_row(n, h) for n, h in enumerate(result.hits, 1)],
    }
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def render_search_text(result: SearchResult, mark: bool = False) -> str:
    """The records found, best first, each with a snippet (hits marked with `mark`)."""
    if not result.hits:
        return "No record matches.\n"
    lines: list[str] = []
    for n, hit in enumerate(result.hits, 1):
        r = hit.record
        lines.append(f"{n}. {cut(r.subject, 100) or '(no subject)'}")
        who = f"{cut(r.sender, 50) or '?'} → {cut(', '.join(r.recipients), 60) or '?'}"
        head = [r.id[:SHORT_ID], printable(r.ref), (r.date or "undated")[:10], who]
        lines.append("   " + "  ".join(head))
        lines.append("   " + snippet(hit.text, hit.spans, MARKS if mark else None))
        others = [loc for loc in r.locations if loc != r.ref]
        if others:
            lines.append("   also filed at: " + cut(", ".join(others), 120))
        lines.append("")
    shown = len(result.hits)
    total = result.total
    if shown == total:
        lines.append("1 record matches." if total == 1 else f"{total} records match.")
    else:
        best = f"the best {shown} {'is' if shown == 1 else 'are'} shown"
        lines.append(f"{total} records match; {best} (--limit for more).")
    return "\n".join(lines) + "\n"


def snippet(text: str, spans: tuple[tuple[int, int], ...],
            marks: tuple[str, str] | None = None) -> str:
    """The text around the first hits on one line, control characters shown,
    each hit between `marks` (when given)."""
    if not spans:
        start, end = 0, min(len(text), WIDTH)
    else:
        # Around the first hit in the body: a subject's words say less than a sentence.
        head = len(text) - len(body(text))
        first = next((s for s in spans if s[0] >= head), spans[0])
        start = max(0, first[0] - BEFORE)
        end = max(start + WIDTH, first[1])
        start, end = _word_start(text, start), _word_end(text, min(len(text), end))
    pieces: list[str] = []
    at = start
    for s, e in spans:
        if e <= start:
            continue
        if s >= end:
            break
        s = max(s, start)
        e = max(e, s)
        pieces.append(_plain(text[at:s]))
        hit = _plain(text[s:e])
        pieces.append(f"{marks[0]}{hit}{marks[1]}" if marks else hit)
        at = e
        end = max(end, e)
    pieces.append(_plain(text[at:end]))
    line = _WS.sub(" ", "".join(pieces)).strip()
    return ("…" if start > 0 else "") + line + ("…" if end < len(text) else "")


def _plain(text: str) -> str:
    """`text` on one line (white space folded), its control characters shown."""
    return printable(_WS.sub(" ", text))


def _word_start(text: str, i: int) -> int:
    """`i`, moved forward to the start of a word when it falls inside one."""
    if i == 0 or text[i - 1].isspace():
        return i
    j = i
    while j < len(text) and not text[j].isspace() and j - i < 30:
        j += 1
    return j if j - i < 30 else i


def _word_end(text: str, i: int) -> int:
    """`i`, moved forward to the end of the word it falls inside."""
    j = i
    while j < len(text) and not text[j].isspace() and j - i < 30:
        j += 1
    return j
