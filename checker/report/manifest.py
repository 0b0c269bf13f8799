"""`checker ingest`'s manifest: every file under evidence/ with what happened
to it (read, skipped or failed, and why), as JSON or a table with totals."""

from __future__ import annotations

import json

from checker.ingest.evidence import FileRecord

FIELDS = ("path", "status", "reason", "messages", "pages")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def totals(records: list[FileRecord]) -> dict[str, int]:
    """Files read, skipped and failed; messages and pages over the files read."""
    out = {"files": len(records), "read": 0, "skipped": 0, "failed": 0}
    for r in records:
        out[r.status] = out.get(r.status, 0) + 1
    out["messages"] = sum(r.messages for r in records)
    out["pages"] = sum(r.pages for r in records)
    return out


def render_manifest_json(records: list[FileRecord]) -> str:
    """A JSON list, one object per file with exactly path, status, reason, messages, pages."""
    rows = [{k: getattr(r, k) for k in FIELDS} for r in records]
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"


def render_manifest_table(records: list[FileRecord]) -> str:
    """One line per file (reason last, it is the longest), then the totals."""
    head = ("path", "status", "messages", "pages", "reason")
    rows = [(r.path, r.status, str(r.messages), str(r.pages), r.reason) for r in records]
    widths = [max([len(h)] + [len(row[i]) for row in rows]) for i, h in enumerate(head[:-1])]

    def line(cells: tuple[str, ...]) -> str:
        left = [
            c.rjust(w) if i in (2, 3) else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        ]
        return "  ".join(left + [cells[-1]]).rstrip()

    lines = [line(head), line(tuple("-" * w for w in widths) + ("------",))]
    lines += [line(row) for row in rows]
    t = totals(records)
    lines += [
        "",
        f"{_plural(t['files'], 'file')}: {t['read']} read, {t['skipped']} skipped, "
        f"{t['failed']} failed; {_plural(t['messages'], 'message')}, "
        f"{_plural(t['pages'], 'page')}",
    ]
    return "\n".join(lines) + "\n"
