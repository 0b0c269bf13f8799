"""Markdown for a desk memo or an issue: a summary table, then each claim.

Every value from the case goes through `mdkit` (evidence cannot become HTML,
links or images when the Markdown is rendered)."""

from __future__ import annotations

from checker.model.verdicts import CaseResult
from checker.report.context import ReportContext
from checker.report.mdkit import md, md_cell, md_code
from checker.report.text import pinpoint


def render_markdown(result: CaseResult, ctx: ReportContext | None = None) -> str:
    out = [f"# {md(result.case)}", "", "| claim | speaker | verdict |", "| --- | --- | --- |"]
    out += [
        f"| {md_cell(c.id)} | {md_cell(c.speaker)} | **{md_cell(c.verdict)}** |"
        for c in result.claims
    ]
    for c in result.claims:
        out += ["", f"## {md(c.id)}: {md(c.verdict)}", "", f"> {md_cell(c.quote)}", ""]
        if c.source or c.said_on:
            out += [f"*{', '.join(md(x) for x in (c.source, c.said_on) if x)}*", ""]
        out += [f"**Why.** {md(c.reason)}", ""]
        if c.missing:
            out += [f"**What would resolve it.** {md(c.missing)}", ""]
        for i, cit in enumerate(c.citations, 1):
            out.append(f"{i}. {pinpoint(cit, md)} (fact {md_code(cit.fact)}, {md(cit.status)}):")
            out.append(f"   > {md_cell(cit.quote)}")
    return "\n".join(out) + "\n"
