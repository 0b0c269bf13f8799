"""The spec's JSON answer (`checker check --format json`)."""

from __future__ import annotations

import json

from checker.case import Case
from checker.model.verdicts import CaseResult


def render_json(result: CaseResult, case: Case | None = None) -> str:
    data = result.model_dump(mode="json", by_alias=True)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
