"""Output formats: one function per format, all from the same verdicts.

Each renderer takes the `CaseResult` (verdicts, citations, proofs) and the
loaded `Case` (documents, entities, case.yaml) and returns the whole output
as text. Output is deterministic: the same case gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.case import Case
from checker.model.verdicts import CaseResult
from checker.report.jsonout import render_json
from checker.report.markdown import render_markdown
from checker.report.table import render_table

Renderer = Callable[[CaseResult, Case], str]

FORMATS: dict[str, Renderer] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
}
