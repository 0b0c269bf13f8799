"""CSV for spreadsheets (`--format csv`): one row per claim.

Columns: id, speaker, said_on, verdict, reason, citations (how many),
first_citation (`doc [start-end]`), quote. White space in reason and quote is
folded to single spaces so each row is one line. Rows end in "\\n", not the
csv module's default "\\r\\n": the bytes are the same on every platform
(spreadsheets read both).

Cells come from evidence (an email subject, a sender), and a spreadsheet runs
a cell that starts with `=`, `+`, `-` or `@` as a formula (some also after a
tab or carriage return). Following OWASP's advice on CSV injection, a text
cell that starts with any of these six is written with a `'` in front, which
spreadsheets show as text; numbers (`-3`, `+1.5`) are left as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

from checker.model.verdicts import CaseResult
from checker.report.context import ReportContext
from checker.report.text import fold, where

COLUMNS = (
    "id",
    "speaker",
    "said_on",
    "verdict",
    "reason",
    "citations",
    "first_citation",
    "quote",
)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: object) -> object:
    """A value as a CSV cell: None is empty, and text a spreadsheet would run as a
    formula gets a leading `'` (numbers, and text that is just a number, do not)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        if not _NUMBER.fullmatch(value):
            return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header and rows as CSV text, quoted only where needed, lines ending in "\\n";
    every cell made safe for spreadsheets (`cell`)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([cell(h) for h in header])
    writer.writerows([cell(v) for v in row] for row in rows)
    return buf.getvalue()


def render_csv(result: CaseResult, ctx: ReportContext | None = None) -> str:
    """One row per claim, in the order of the claims files."""
    rows = []
    for c in result.claims:
        first = c.citations[0] if c.citations else None
        rows.append(
            (
                c.id,
                c.speaker,
                c.said_on,
                c.verdict,
                fold(c.reason),
                len(c.citations),
                f"{where(first.doc, first.index)} [{first.start}-{first.end}]" if first else "",
                fold(c.quote),
            )
        )
    return csv_text(COLUMNS, rows)
