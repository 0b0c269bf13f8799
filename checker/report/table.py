"""A plain-text table for the terminal: one block per claim."""

from __future__ import annotations

import textwrap

from checker.model.verdicts import CaseResult
from checker.report.context import ReportContext
from checker.report.text import fold, pinpoint

BADGE = {"supported": "SUPPORTED", "contradicted": "CONTRADICTED", "unresolved": "UNRESOLVED"}


def render_table(result: CaseResult, ctx: ReportContext | None = None) -> str:
    width = max((len(c.id) for c in result.claims), default=10)
    lines = [f"Case: {result.case}", ""]
    lines.append(f"{'claim'.ljust(width)}  {'verdict'.ljust(12)}  citations")
    lines.append(f"{'-' * width}  {'-' * 12}  ---------")
    for c in result.claims:
        lines.append(f"{c.id.ljust(width)}  {BADGE[c.verdict].ljust(12)}  {len(c.citations)}")
    for c in result.claims:
        lines += ["", f"{c.id}: {BADGE[c.verdict]}", f'  said: "{fold(c.quote)}"']
        lines += textwrap.wrap(c.reason, 96, initial_indent="  why: ", subsequent_indent="       ")
        if c.missing:
            lines += textwrap.wrap(
                c.missing, 96, initial_indent="  missing: ", subsequent_indent="           "
            )
        for cit in c.citations:
            lines.append(f"  - {pinpoint(cit)}")
            lines.append(f'    "{fold(cit.quote)}"')
    return "\n".join(lines) + "\n"
