"""The spec's JSON answer (`checker check --format json`)."""

from __future__ import annotations

import json

from checker.model.verdicts import CaseResult
from checker.report.context import ReportContext


def render_json(result: CaseResult, ctx: ReportContext | None = None) -> str:
    data = result.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
