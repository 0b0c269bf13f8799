"""Documents in the case index: the `docs` listing and the `show` view.

`docs` gives one row per document (identical files are one document, their
other paths listed); `show` prints one document's text with page markers
("--- page 3 (Bates NYPD_000125) ---") and its redactions. What a user typed
is turned into a document by `checker.ingest.lookup`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from checker.ingest.document import Document, Page
from checker.ingest.lookup import SHORT_ID
from checker.report.terminal import printable

CUT = 32  # longest from/to/subject shown in the table


def bates_range(doc: Document) -> tuple[str, str] | None:
    """The first and last page Bates numbers, or None when no page has one."""
    stamps = [p.bates for p in doc.pages if p.bates]
    return (stamps[0], stamps[-1]) if stamps else None


def summary(doc: Document) -> dict[str, Any]:
    """One document as the JSON listing gives it."""
    msg = doc.messages[0] if doc.messages else None
    span = bates_range(doc)
    return {
        "id": doc.id,
        "path": doc.path,
        "locations": [p for p in doc.locations if p != doc.path],
        "kind": doc.kind,
        "date": msg.date if msg else None,
        "from": msg.sender if msg else None,
        "to": list(msg.recipients) if msg else [],
        "subject": msg.subject if msg else None,
        "messages": len(doc.messages),
        "pages": len(doc.pages),
        "bates": {"first": span[0], "last": span[1]} if span else None,
        "redactions": len(doc.redactions),
    }


def render_docs_json(docs: Iterable[Document]) -> str:
    """A JSON list, one object per document (read one at a time)."""
    return json.dumps([summary(d) for d in docs], indent=2, ensure_ascii=False) + "\n"


def cut(text: str | None, width: int = CUT) -> str:
    """`text` on one line, escapes shown, cut to `width` with an ellipsis."""
    text = " ".join(printable(text or "").split())  # escapes shown before columns are laid out
    return text if len(text) <= width else text[: width - 1] + "…"


def table(head: tuple[str, ...], rows: Sequence[tuple[str, ...]], numeric: set[int]) -> str:
    """Columns padded to their widest cell (`numeric` ones right-aligned), under a rule."""
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(head)]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.rjust(w) if i in numeric else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    lines = [line(head), line(tuple("-" * w for w in widths))]
    lines += [line(r) for r in rows]
    return "\n".join(lines) + "\n"


def render_docs_table(docs: Iterable[Document]) -> str:
    """One line per file (identical files are one document); long sender,
    recipient and subject cut short. The documents are read one at a time:
    only their rows are kept."""
    head = (
        "id",
        "path",
        "messages",
        "date",
        "from",
        "to",
        "subject",
        "pages",
        "bates",
        "redactions",
        "also at",
    )
    rows = []
    for doc in docs:
        s = summary(doc)
        bates = f"{s['bates']['first']}–{s['bates']['last']}" if s["bates"] else ""
        rows.append(
            (
                doc.id[:SHORT_ID],
                printable(doc.path),
                str(s["messages"]),
                (s["date"] or "")[:10],
                cut(s["from"]),
                cut(", ".join(s["to"])),
                cut(s["subject"]),
                str(s["pages"]),
                bates,
                str(s["redactions"]),
                printable(", ".join(s["locations"])),
            )
        )
    numeric = {head.index("messages"), head.index("pages"), head.index("redactions")}
    total = f"{len(rows)} document{'s' if len(rows) != 1 else ''}"
    return table(head, rows, numeric) + f"\n{total}\n"


def _marker(page: Page) -> str:
    bates = f" (Bates {page.bates})" if page.bates else ""
    return f"--- page {page.number}{bates} ---\n"


def _with_page_markers(doc: Document) -> str:
    """The text with a marker line where each page begins."""
    body: list[str] = []
    pos, tail = 0, ""
    for page in sorted(doc.pages, key=lambda p: p.start):
        chunk = doc.text[pos : page.start]
        body.append(chunk)
        tail = chunk or tail
        if tail and not tail.endswith("\n"):
            body.append("\n")  # a marker is a line of its own
        body.append(_marker(page))
        pos, tail = page.start, "\n"
    body.append(doc.text[pos:])
    text = "".join(body)
    return text if text.endswith("\n") else text + "\n"


def render_show(doc: Document) -> str:
    """A document's header, its text with page markers, and its redactions."""
    out = [f"Document {doc.id}" + (f" ({doc.kind})" if doc.kind else ""), f"Path: {doc.path}"]
    others = [p for p in doc.locations if p != doc.path]
    if others:
        out.append(f"Also at: {', '.join(others)}")
    out += [f"Warning: {w}" for w in doc.warnings]
    out += ["", _with_page_markers(doc)]
    if not doc.redactions:
        out.append("Redactions: none")
    else:
        out.append(f"Redactions ({len(doc.redactions)}):")
        for r in doc.redactions:
            page = doc.page_at(r.start)
            where = ", " + _marker(page).strip(" -\n") if page is not None else ""
            out.append(f"  [{r.start}-{r.end}]{where}: {r.marker}")
    return "\n".join(out) + "\n"
