"""`checker explain`: a claim's proof in plain sentences, down to the quotes."""

from __future__ import annotations

from typing import Any

from checker.model.verdicts import ClaimResult
from checker.report.text import fold, where


def _fact(node: dict[str, Any], depth: int, out: list[str]) -> None:
    pad = "  " * depth
    origin = {
        "analyst": "coded by an analyst",
        "header": "from the email headers",
        "rule": "derived",
    }.get(node["origin"], node["origin"])
    out.append(f"{pad}- {node['says']} ({origin}, {node['status']}).")
    for step in node.get("membership", []):
        a, rel, b = step.split(" ")
        out.append(f"{pad}  Counts as {b} because entities.yaml gives {a} {rel}: {b}.")
    if "rule" in node:
        out.append(f"{pad}  Rule {node['rule']}: {node['explanation']} It rests on:")
        for p in node["premises"]:
            _fact(p, depth + 2, out)
    if "source" in node:
        s = node["source"]
        out.append(
            f"{pad}  Source: {where(s['doc'], s.get('index'))}, characters {s['start']}-{s['end']}:"
        )
        out.append(f'{pad}    "{fold(s["quote"])}"')


def _part(d: dict[str, Any], depth: int, out: list[str]) -> None:
    pad = "  " * depth
    out.append(f"{pad}[{d['form']}] {d['verdict'].upper()}: {d['reason']}")
    if "pattern" in d:
        out.append(
            f"{pad}  Pattern: {d['pattern']}" + (f"; must: {d['must']}" if "must" in d else "")
        )
    for node in d.get("facts", []):
        _fact(node, depth + 1, out)
    if "closed_world" in d:
        cw = d["closed_world"]
        out.append(f"{pad}  Closed world ({cw['entry']}): {cw['reason']}")
    if d.get("related"):
        out.append(f"{pad}  Related facts considered (they do not match the pattern):")
        for node in d["related"]:
            _fact(node, depth + 2, out)
    if d.get("possible"):
        out.append(f"{pad}  Facts that match only possibly (they decide nothing until settled):")
        for node in d["possible"]:
            _fact(node, depth + 2, out)
            for doubt in node["doubts"]:
                out.append(f"{pad}      Uncertain: {doubt}.")
    if "missing" in d and d["verdict"] == "unresolved":
        out.append(f"{pad}  What would resolve it: {d['missing']}")
    for child in d.get("parts", []):
        _part(child, depth + 1, out)


def render_explain(c: ClaimResult) -> str:
    out = [
        f"Claim {c.id}, by {c.speaker}"
        + (f" on {c.said_on}" if c.said_on else "")
        + (f" ({c.source})" if c.source else "")
        + ":",
        f'  "{fold(c.quote)}"',
        "",
        f"Verdict: {c.verdict.upper()}",
        f"Reason: {c.reason}",
        "",
        "Proof:",
    ]
    _part(c.derivation, 1, out)
    if c.citations:
        out += ["", "Citations:"]
        for i, cit in enumerate(c.citations, 1):
            out.append(
                f"  {i}. {where(cit.doc, cit.index)} [{cit.start}-{cit.end}] (fact {cit.fact}): "
                f'"{fold(cit.quote)}"'
            )
    return "\n".join(out) + "\n"
