"""CSV for spreadsheets (`--format csv`): one row per claim.

Columns: id, speaker, said_on, verdict, reason, citations (how many),
first_citation (`doc [start-end]`), quote. White space in reason and quote is
folded to single spaces so each row is one line. Rows end in "\\n", not the
csv module's default "\\r\\n": the bytes are the same on every platform
(spreadsheets read both).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from checker.case import Case
from checker.model.verdicts import CaseResult
from checker.report.text import fold

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


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A header and rows as CSV text, quoted only where needed, lines ending in "\\n"."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return buf.getvalue()


def render_csv(result: CaseResult, case: Case | None = None) -> str:
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
                f"{first.doc} [{first.start}-{first.end}]" if first else "",
                fold(c.quote),
            )
        )
    return csv_text(COLUMNS, rows)
