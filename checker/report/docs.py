"""Documents in the case index: the `docs` listing and the `show` view.

`docs` gives one row per document (identical files are one document, their
other paths listed); `show` prints one document's text with page markers
("--- page 3 (Bates NYPD_000125) ---") and its redactions. `find_document`
turns what a user typed (a path, a file name, an id prefix) into a document,
or an `UnknownDocument` error with the closest path.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from rapidfuzz import fuzz, process

from checker.errors import UnknownDocument
from checker.ingest.document import Document, Page
from checker.ingest.evidence import FileRecord
from checker.report.terminal import printable

SHORT_ID = 12
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


class Listed(Protocol):
    """What `find_document` needs of a document: a `Document`, or the index's
    `DocumentEntry` (no text), so that the text is read only once found."""

    @property
    def id(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def locations(self) -> Sequence[str]: ...


D = TypeVar("D", bound=Listed)


def find_document(
    docs: Sequence[D], wanted: str, root: Path, manifest: list[FileRecord] | None = None
) -> D:
    """The document `wanted` names: a path from the case root (or from here), a
    file name found once, or the start of a document id; else `UnknownDocument`
    (saying why, when the path is a file that was skipped or failed)."""
    by_path = {loc: d for d in docs for loc in d.locations}
    name = wanted.removeprefix("./")
    try:  # a path as typed in the shell, e.g. my-case/evidence/x.eml
        rel = Path(wanted).resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        rel = None
    for path in (name, rel):
        if path in by_path:
            return by_path[path]
    for record in manifest or []:
        if record.path in (name, rel):
            why = f"{record.status}: {record.reason}" if record.reason else record.status
            raise UnknownDocument(wanted, None, not_read=why)
    by_id = [d for d in docs if name and d.id.startswith(name.lower())]
    if len(by_id) == 1:
        return by_id[0]
    if len(by_id) > 1:
        raise UnknownDocument(wanted, None, [f"{d.id[:SHORT_ID]} {d.path}" for d in by_id])
    by_name = {id(d): d for loc, d in by_path.items() if loc.endswith("/" + name)}
    if len(by_name) == 1:
        return next(iter(by_name.values()))
    if len(by_name) > 1:
        raise UnknownDocument(wanted, None, sorted(d.path for d in by_name.values()))
    best = process.extractOne(name, sorted(by_path), scorer=fuzz.WRatio, score_cutoff=60)
    raise UnknownDocument(wanted, best[0] if best else None)
