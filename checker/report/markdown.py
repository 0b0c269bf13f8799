"""Markdown for a desk memo or an issue: a summary table, then each claim."""

from __future__ import annotations

from checker.case import Case
from checker.model.verdicts import CaseResult
from checker.report.text import fold, pinpoint


def _cell(text: str) -> str:
    return fold(text).replace("|", "\\|")


def render_markdown(result: CaseResult, case: Case | None = None) -> str:
    out = [f"# {result.case}", "", "| claim | speaker | verdict |", "| --- | --- | --- |"]
    out += [f"| {c.id} | {c.speaker} | **{c.verdict}** |" for c in result.claims]
    for c in result.claims:
        out += ["", f"## {c.id}: {c.verdict}", "", f"> {_cell(c.quote)}", ""]
        if c.source or c.said_on:
            out += [f"*{', '.join(x for x in (c.source, c.said_on) if x)}*", ""]
        out += [f"**Why.** {fold(c.reason)}", ""]
        if c.missing:
            out += [f"**What would resolve it.** {fold(c.missing)}", ""]
        for i, cit in enumerate(c.citations, 1):
            out.append(f"{i}. {pinpoint(cit)} (fact `{cit.fact}`, {cit.status}):")
            out.append(f"   > {_cell(cit.quote)}")
    return "\n".join(out) + "\n"
