"""The proof of a verdict as an expandable tree (`<details>`), down to the quotes.

The tree follows the derivation dict (checker.check.checker): each part
with its verdict and reason, the pattern looked for, the facts found (with
the rule that derived each and the facts it rests on, the membership steps
that make an entity count, and the quoted source, linked to its citation),
the closed-world reason used, related facts, and what is missing.
"""

from __future__ import annotations

import re
from typing import Any

from checker.model.verdicts import Citation
from checker.report.context import ReportContext
from checker.report.htmlkit import badge, entity_name, esc
from checker.report.text import where

FORMS = {
    "none": "Nothing like this happened",
    "some": "This happened",
    "every": "Every such fact meets a condition",
    "count": "How many such facts",
    "all_of": "All of these hold",
    "any_of": "At least one of these holds",
    "not": "The opposite holds",
}
ORIGINS = {
    "analyst": "coded by an analyst",
    "header": "from the email headers",
    "rule": "derived by a rule",
}
RELATIONS = {"member_of": "a member of", "part_of": "part of"}
_TRAILING_ID = re.compile(r"\s*\[([^\[\]]+)\]\s*$")

CiteKey = tuple[str, int, int, str]


class ProofWriter:
    """Writes one claim's proof; `cites` maps (doc, start, end, fact) to (number, anchor)."""

    def __init__(self, citations: list[Citation], anchors: list[str], ctx: ReportContext | None):
        self.ctx = ctx
        self.cites: dict[CiteKey, tuple[int, str]] = {
            (c.doc, c.start, c.end, c.fact): (n, a)
            for n, (c, a) in enumerate(zip(citations, anchors, strict=True), 1)
        }
        self.closed = [
            (n, a, " ".join(c.quote.split()))
            for n, (c, a) in enumerate(zip(citations, anchors, strict=True), 1)
            if c.fact == "closed_world"
        ]

    def _name(self, value: object) -> str:
        if isinstance(value, list):
            return ", ".join(self._name(v) for v in value)
        text = str(value)
        if self.ctx is not None and text in self.ctx.entities.by_id:
            return entity_name(self.ctx, text)
        return text

    def _link(self, n: int, anchor: str) -> str:
        return f'<a class="cite-ref" href="#{esc(anchor)}">[{n}]</a>'

    def _pattern(self, d: dict[str, Any]) -> str:
        p = dict(d["pattern"])
        fact = p.pop("fact", "")
        roles = "; ".join(f"{esc(r)}: {esc(self._name(v))}" for r, v in p.items())
        text = f"a <code>{esc(fact)}</code> fact" + (f" with {roles}" if roles else "")
        if "must" in d:
            need = "; ".join(f"{esc(r)}: {esc(self._name(v))}" for r, v in d["must"].items())
            text += f", each of which must have {need}"
        return f'<p class="pattern"><span class="label">Looked for</span> {text}</p>'

    def fact(self, node: dict[str, Any]) -> str:
        says = node["says"]
        m = _TRAILING_ID.search(says)
        if m and m.group(1) in node["fact"]:
            says = says[: m.start()]
        origin = ORIGINS.get(node["origin"], node["origin"])
        status = esc(node["status"])
        if node["status"] != "confirmed":
            status = f'<strong class="warn">{status}</strong>'
        out = [
            f'<li class="fact"><p><span class="says">{esc(says)}</span> '
            f'<code class="fid">{esc(node["fact"])}</code> '
            f'<span class="origin">{esc(origin)}, {status}</span></p>'
        ]
        steps = node.get("membership", [])
        if steps:
            out.append('<ul class="membership">')
            for step in steps:
                a, rel, b = step.split(" ")
                out.append(
                    f"<li>Counts as {esc(self._name(b))}: entities.yaml gives "
                    f"{esc(self._name(a))} as {esc(RELATIONS.get(rel, rel))} "
                    f"{esc(self._name(b))} (<code>{esc(rel)}</code>).</li>"
                )
            out.append("</ul>")
        if "rule" in node:
            out.append(
                f'<p class="rule"><span class="label">Rule</span> '
                f"<code>{esc(node['rule'])}</code>: "
                f"{esc(node.get('explanation') or '')} It rests on:</p>"
            )
            out.append('<ul class="facts">')
            out += [self.fact(p) for p in node.get("premises", [])]
            out.append("</ul>")
        if "source" in node:
            s = node["source"]
            hit = self.cites.get((s["doc"], s["start"], s["end"], node["fact"]))
            link = self._link(*hit) + " " if hit else ""
            shown = esc(where(s["doc"], s.get("index")))
            out.append(
                f'<p class="source"><span class="label">Source</span> {link}'
                f"<code>{shown}</code> [{s['start']}\u2013{s['end']}]: "
                f"<q>{esc(' '.join(s['quote'].split()))}</q></p>"
            )
        out.append("</li>")
        return "".join(out)

    def part(self, d: dict[str, Any]) -> str:
        form = FORMS.get(d["form"], d["form"])
        out = [
            '<div class="part">',
            f'<p class="part-head">{badge(d["verdict"], small=True)} '
            f'<span class="form">{esc(form)} (<code>{esc(d["form"])}</code>)</span></p>',
            f'<p class="part-reason">{esc(d["reason"])}</p>',
        ]
        if "pattern" in d:
            out.append(self._pattern(d))
        if d.get("facts"):
            out.append('<ul class="facts">' + "".join(self.fact(f) for f in d["facts"]) + "</ul>")
        if "closed_world" in d:
            cw = d["closed_world"]
            reason = " ".join(str(cw["reason"]).split())
            hit = next(
                ((n, a) for n, a, q in self.closed if q == reason or reason in q),
                self.closed[0][:2] if len(self.closed) == 1 else None,
            )
            link = " " + self._link(*hit) if hit else ""
            out.append(
                f'<p class="closed"><span class="label">Closed world</span> '
                f"<code>{esc(cw['entry'])}</code> says the evidence is complete: "
                f"<q>{esc(reason)}</q>{link}</p>"
            )
        if d.get("related"):
            out.append(
                '<details class="related"><summary>Related facts considered '
                f"({len(d['related'])}; they do not match)</summary>"
                '<ul class="facts">'
                + "".join(self.fact(f) for f in d["related"])
                + "</ul></details>"
            )
        if d.get("missing") and d["verdict"] == "unresolved":
            out.append(
                f'<p class="missing"><span class="label">What would resolve it</span> '
                f"{esc(d['missing'])}</p>"
            )
        if d.get("parts"):
            out.append('<ol class="parts">')
            out += [f"<li>{self.part(child)}</li>" for child in d["parts"]]
            out.append("</ol>")
        out.append("</div>")
        return "".join(out)


def proof(
    derivation: dict[str, Any],
    citations: list[Citation],
    anchors: list[str],
    ctx: ReportContext | None,
) -> str:
    """The whole proof, closed by default, as one `<details>` element."""
    body = ProofWriter(citations, anchors, ctx).part(derivation)
    return (
        '<details class="proof"><summary>Proof: how the verdict follows from the evidence'
        f"</summary>{body}</details>"
    )
