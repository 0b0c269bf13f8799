"""Draft questions for oversight staff (`--format questions`), one section per claim.

- Contradicted: the statement (speaker, date, source, quote), what the
  records show and the records themselves with pinpoint citations, then a
  question asking the speaker to explain the difference.
- Supported: a short note with the supporting record; no question.
- Unresolved: a records request for what would settle it, built from the
  proof's unresolved pattern(s): the kind of record (fact type and role
  values), between whom (the entities the pattern names), in what period
  (the claim's time scope, if any), plus the records already on hand that
  were considered and do not settle it. When the checker says a declaration
  that the production is complete would also settle it, the request asks
  for that certification too.

Every sentence comes from the case's data (verdicts, proofs, entities,
fact types); nothing here knows about any particular case. Every value from
the case goes through `mdkit`, so evidence cannot become HTML, links or images.
"""

from __future__ import annotations

from typing import Any

from checker.model.facttypes import TIME_SCOPES
from checker.model.verdicts import CaseResult, Citation, ClaimResult
from checker.report.context import ReportContext
from checker.report.mdkit import md, md_code
from checker.report.text import pinpoint, where

MAX_RELATED = 5  # records on hand listed under a request; the rest are counted


def _names(ids: list[str], ctx: ReportContext | None) -> str:
    names = [md(ctx.name(i) if ctx else i) for i in ids]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _speaker(c: ClaimResult, ctx: ReportContext | None) -> str:
    return md(ctx.name(c.speaker) if ctx else c.speaker)


def _record(cit: Citation) -> str:
    where = pinpoint(cit, md) + (f", Bates {md(cit.bates)}" if cit.bates else "")
    if cit.fact == "closed_world":
        where += " (the case's declaration that the production is complete)"
    return f"{where}:\n   > {md(cit.quote)}"


def _when(c: ClaimResult, ctx: ReportContext | None) -> str:
    """Who made the statement, when and where: 'Riverton USD, 2021-04-12, Board minutes'."""
    bits = [_speaker(c, ctx), md(c.said_on) if c.said_on else "date not recorded"]
    return ", ".join([*bits, md(c.source)] if c.source else bits)


def _statement(c: ClaimResult, ctx: ReportContext | None) -> list[str]:
    return [f"**Statement.** {_when(c, ctx)}:", "", f"> {md(c.quote)}", ""]


def _roles(values: dict[str, Any], ftype: str, ctx: ReportContext | None) -> tuple[str, list[str]]:
    """'from: NYPD; to: DHS; purpose: ...' and the entity ids among the values."""
    kinds = ctx.types[ftype].roles if ctx and ftype in ctx.types else {}
    pairs, ids = [], []
    for role, value in values.items():
        if role == "fact" or role in TIME_SCOPES:
            continue
        entity = kinds.get(role) in ("entity", "entities")
        vals = value if isinstance(value, list) else [value]
        if entity:
            ids += [str(v) for v in vals if str(v) not in ids]
            pairs.append(f"{md(role)}: {_names([str(v) for v in vals], ctx)}")
        else:
            pairs.append(f"{md(role)}: {', '.join(md(v) for v in vals)}")
    return "; ".join(pairs), ids


def _leaves(d: dict[str, Any]) -> list[dict[str, Any]]:
    """The unresolved parts of a proof that carry a pattern (what is left to settle)."""
    if d.get("verdict") != "unresolved":
        return []
    found = [leaf for part in d.get("parts", []) for leaf in _leaves(part)]
    return found or ([d] if "pattern" in d else [])


def _request(leaf: dict[str, Any], n: int, ctx: ReportContext | None) -> list[str]:
    pattern = leaf["pattern"]
    ftype = str(pattern["fact"])
    roles, ids = _roles(pattern, ftype, ctx)
    scope = next((md(pattern[k]) for k in TIME_SCOPES if k in pattern), None)
    period = scope or "at any time (the statement names no period)"
    what = f"{md(ftype.replace('_', ' '))} records" + (f" ({roles})" if roles else "")
    out = [
        f"{n}. **Records of** {md_code(ftype)}" + (f" with {roles}" if roles else ""),
    ]
    if ctx is not None:  # without the case, entity roles cannot be told from others
        out.append(f"   - Between: {_names(ids, ctx) if ids else 'any parties (none named)'}")
    out.append(f"   - Period: {period}")
    ask = f"Please produce all {what}, {scope or 'at any time'}"
    if "must" in leaf:
        must, _ = _roles(leaf["must"], ftype, ctx)
        out.append(f"   - For each, whether it meets: {must}")
        ask += f", showing for each whether it meets {must}"
    related = leaf.get("related", [])
    if related:
        out.append("   - Already in the records, without settling it:")
        for node in related[:MAX_RELATED]:
            src = node.get("source")
            out.append(
                f"     - {md(node['says'])}"
                + (
                    f" ({md(where(src['doc'], src.get('index')))} [{src['start']}-{src['end']}])"
                    if src
                    else ""
                )
            )
        if len(related) > MAX_RELATED:
            out.append(f"     - and {len(related) - MAX_RELATED} more")
    if "closed_world" in (leaf.get("missing") or ""):
        ask += (
            "; or, if none exist or all have been produced, a certification that the "
            "production of such records is complete, with its basis"
        )
    out.append(f"   - Draft request: {ask}.")
    return out


def _contradicted(c: ClaimResult, ctx: ReportContext | None) -> list[str]:
    out = [f"**What the records show.** {md(c.reason)}", "", "**Records.**", ""]
    out += [f"{i}. {_record(cit)}" for i, cit in enumerate(c.citations, 1)]
    these = "this record" if len(c.citations) == 1 else f"these {len(c.citations)} records"
    out += [
        "",
        f'**Question.** Please explain how the statement "{md(c.quote)}" '
        f"({_when(c, ctx)}) is consistent with {these} cited above, and, if it is not, "
        "whether it will be corrected.",
    ]
    return out


def _supported(c: ClaimResult) -> list[str]:
    out = [f"**Note.** The records support this statement: {md(c.reason)}", ""]
    out += [f"{i}. {_record(cit)}" for i, cit in enumerate(c.citations, 1)]
    return out + ["", "No question drafted."]


def _unresolved(c: ClaimResult, ctx: ReportContext | None) -> list[str]:
    out = [f"**Why it is open.** {md(c.reason)}", "", "**Records that would resolve it.**", ""]
    leaves = _leaves(c.derivation)
    for n, leaf in enumerate(leaves, 1):
        out += _request(leaf, n, ctx)
    if not leaves:
        out.append(f"1. {md(c.missing or 'Records bearing on the statement.')}")
    return out


def render_questions(result: CaseResult, ctx: ReportContext | None = None) -> str:
    """Markdown: per claim, a question, a note or a records request."""
    counts = {
        v: sum(c.verdict == v for c in result.claims)
        for v in ("contradicted", "unresolved", "supported")
    }
    out = [
        f"# Draft questions: {md(result.case)}",
        "",
        f"{counts['contradicted']} statement(s) the records contradict (questions), "
        f"{counts['unresolved']} the records do not settle (records requests), "
        f"{counts['supported']} they support (notes). Check each cited record before use.",
    ]
    for c in result.claims:
        out += ["", f"## {md(c.id)}: {md(c.verdict)}", ""] + _statement(c, ctx)
        if c.verdict == "contradicted":
            out += _contradicted(c, ctx)
        elif c.verdict == "supported":
            out += _supported(c)
        else:
            out += _unresolved(c, ctx)
    return "\n".join(out) + "\n"
