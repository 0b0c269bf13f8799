"""`checker facts`: the case's base facts with their quotes, for review.

JSON gives per fact the spec's fact shape (`id`, `fact`, the roles) plus
`status` (confirmed | suggested | rejected), `origin` (analyst | header |
extractor), `confidence`, `pattern`, `used` (whether verdicts may rest on
it under the current threshold and --confirmed-only) and `citation`
`{doc, quote, start, end, page, bates}`; an extracted fact whose passage an
analyst fact of the same type already codes has `superseded_by` (its id).
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

from checker.case.load import Case
from checker.model.facts import Fact
from checker.report.text import fold


def listed_facts(
    case: Case, type_: str | None = None, status: str | None = None, origin: str | None = None
) -> list[Fact]:
    """Analyst and header facts in case order, then every extracted fact (rejected
    ones too), filtered by type, status and origin."""
    extracted = {id(f) for f in case.extracted}
    base = [f for f in case.facts if f.rule is None and id(f) not in extracted]
    out = []
    for f in base + case.extracted:
        if type_ and f.type != type_ or status and f.status != status:
            continue
        if origin and f.origin != origin:
            continue
        out.append(f)
    return out


def _value(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_value(x) for x in v]
    if isinstance(v, str | int | float | bool) or v is None:
        return v
    return str(v)  # DateSpan: as written


def fact_record(f: Fact, used: bool, superseded_by: str | None = None) -> dict[str, Any]:
    """One fact in the listing's JSON shape."""
    rec: dict[str, Any] = {"id": f.id, "fact": f.type}
    rec.update({r: _value(v) for r, v in f.roles.items()})
    rec.update(
        status=f.status, origin=f.origin, confidence=f.confidence, pattern=f.pattern, used=used
    )
    if superseded_by:
        rec["superseded_by"] = superseded_by
    s = f.source
    rec["citation"] = (
        {
            "doc": s.doc,
            "quote": s.quote,
            "start": s.start,
            "end": s.end,
            "page": s.page,
            "bates": s.bates,
        }
        if s
        else None
    )
    return rec


def render_facts_json(facts: list[Fact], case: Case) -> str:
    used = {id(f) for f in case.facts}
    return (
        json.dumps(
            [fact_record(f, id(f) in used, case.superseded.get(f.id)) for f in facts],
            indent=2,
            ensure_ascii=False,
        )
        + "\n"
    )


def render_facts_table(facts: list[Fact], case: Case) -> str:
    used = {id(f) for f in case.facts}
    run = case.extraction
    lines = []
    if run is not None and run.enabled and run.available:
        rule = case.counting.describe()
        lines += [f"Extraction: {run.model or 'pattern packs, no model'}; {rule}.", ""]
    for f in facts:
        head = f"{f.id}  {f.type}  {f.status}"
        if f.confidence is not None:
            head += f" {f.confidence:.2f}"
        if f.pattern:
            head += f"  pattern {f.pattern}"
        why = case.counting.why_not(f, case.superseded.get(f.id))
        if why is not None:
            head += f"  (not used: {why})"
        elif f.status == "suggested" and id(f) not in used:
            head += "  (not used)"
        lines.append(head)
        roles = "; ".join(f"{r}: {_show(v)}" for r, v in f.roles.items())
        lines += textwrap.wrap(roles, 96, initial_indent="  ", subsequent_indent="  ")
        if f.source:
            s = f.source
            where = f"{s.doc} [{s.start}-{s.end}]" + (f", {s.bates}" if s.bates else "")
            lines += [f"  - {where}", f'    "{fold(s.quote)}"']
    if not facts:
        lines.append("No facts match.")
    return "\n".join(lines) + "\n"


def _show(v: Any) -> str:
    value = _value(v)
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
