"""Output formats: one function per format, each from the same `CaseResult`."""

from __future__ import annotations

from collections.abc import Callable

from checker.model.verdicts import CaseResult
from checker.report.jsonout import render_json
from checker.report.markdown import render_markdown
from checker.report.table import render_table

FORMATS: dict[str, Callable[[CaseResult], str]] = {
    "table": render_table,
    "json": render_json,
    "markdown": render_markdown,
}
