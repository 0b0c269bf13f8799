"""Output formats: one function per format, all from the same verdicts.

Each renderer takes the `CaseResult` (verdicts, citations, proofs) and a
`ReportContext` (`checker.report.context`: names, case.yaml's publishing
fields, the cited records; or None) and returns the whole output as text.
Output is deterministic: the same case gives the same bytes. A new format is
a module here with one `render_*` function, added to `FORMATS`.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.model.verdicts import CaseResult
from checker.report.claimreview import render_claimreview
from checker.report.context import ReportContext
from checker.report.csvout import render_csv
from checker.report.exhibits import render_exhibits, render_exhibits_csv
from checker.report.html import render_html
from checker.report.jsonout import render_json
from checker.report.markdown import render_markdown
from checker.report.questions import render_questions
from checker.report.table import render_table

Renderer = Callable[[CaseResult, ReportContext | None], str]

FORMATS: dict[str, Renderer] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
    "html": render_html,
    "claimreview": render_claimreview,
    "exhibits": render_exhibits,
    "exhibits-csv": render_exhibits_csv,
    "questions": render_questions,
    "csv": render_csv,
}
JSON_FORMATS = frozenset({"json", "claimreview"})
"""The formats whose output is JSON (control characters are escaped the JSON way)."""
