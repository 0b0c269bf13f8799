"""`checker check --format html`: one self-contained page a fact-checker can read.

The page has no scripts and loads nothing (a Content-Security-Policy says
so to the browser too): CSS and the timeline SVG are inline, the proofs
are `<details>` elements. For each statement it gives the speaker, date,
venue and quote, the verdict as a badge, the reason, every citation with
its passage marked in the surrounding text (anchor `#cite-CLAIM-N`), and
the proof. Every value from the case is escaped; the only links are
fragment links to ids built from sanitised claim ids (see htmlkit).
"""

from __future__ import annotations

from checker.model.verdicts import CaseResult, ClaimResult
from checker.report.context import ReportContext
from checker.report.htmlcite import citation_item
from checker.report.htmlkit import VERDICTS, Anchors, badge, entity_name, esc
from checker.report.htmlproof import proof
from checker.report.htmlstyle import CSS
from checker.report.timeline import timeline_figure

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'"
EXCERPT = 110
DOT = " \u00b7 "
NOT_RECORDED = '<span class="note">not recorded</span>'

READING = (
    (
        "Contradicted",
        "the cited passages show that the statement, as the case encodes it, does not hold.",
    ),
    (
        "Supported",
        "the cited passages show that it holds; a statement that something never "
        "happened is supported only where case.yaml declares the evidence complete, "
        "and that declaration is cited.",
    ),
    (
        "Unresolved",
        "the evidence does not settle it: absence of evidence is not evidence of "
        "absence. The report says what would resolve it.",
    ),
    (
        "Quotations",
        "every marked passage is exactly the document's text at the character "
        "offsets given, shown with up to 300 characters on either side.",
    ),
    (
        "Proof",
        "open it under each statement: the facts, the rules that derive others from "
        "them, and why an entity counts as part of another, down to the quotes.",
    ),
)


def _said(c: ClaimResult) -> str:
    return f'<time datetime="{esc(c.said_on)}">{esc(c.said_on)}</time>' if c.said_on else ""


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "\u2026"


def _summary(result: CaseResult, anchors: Anchors, ctx: ReportContext | None) -> str:
    rows = []
    for c in result.claims:
        rows.append(
            f'<tr><td><a href="#{esc(anchors.of_claim(c.id))}"><code>{esc(c.id)}</code></a><br>'
            f"<span>{esc(_excerpt(c.quote))}</span></td>"
            f"<td>{esc(entity_name(ctx, c.speaker))}</td>"
            f"<td>{_said(c) or NOT_RECORDED}</td>"
            f'<td>{badge(c.verdict)}</td><td class="num">{len(c.citations)}</td></tr>'
        )
    return (
        '<table class="summary"><thead><tr><th scope="col">Statement</th>'
        '<th scope="col">Speaker</th><th scope="col">Said</th><th scope="col">Verdict</th>'
        '<th scope="col" class="num">Citations</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _claim(c: ClaimResult, anchors: Anchors, ctx: ReportContext | None) -> str:
    meta = [f"<strong>{esc(entity_name(ctx, c.speaker))}</strong>"]
    meta.append(f"said {_said(c)}" if c.said_on else "date not recorded")
    if c.source:
        meta.append(esc(c.source))
    cite_ids = [anchors.of_citation(c.id, n) for n in range(1, len(c.citations) + 1)]
    out = [
        f'<article class="claim" id="{esc(anchors.of_claim(c.id))}">',
        f'<div class="claim-head"><h2>Statement <code>{esc(c.id)}</code></h2>'
        f"{badge(c.verdict)}</div>",
        f'<blockquote class="statement"><p>{esc(" ".join(c.quote.split()))}</p></blockquote>',
        f'<p class="meta">{DOT.join(meta)}</p>',
        f'<p class="why why-{esc(c.verdict)}"><span class="label">Why</span>{esc(c.reason)}</p>',
    ]
    if c.missing:
        out.append(
            f'<p class="why missing"><span class="label">What would resolve it</span>'
            f"{esc(c.missing)}</p>"
        )
    out.append(f"<h3>Evidence cited ({len(c.citations)})</h3>")
    if c.citations:
        items = [
            citation_item(cit, n, a, ctx)
            for n, (cit, a) in enumerate(zip(c.citations, cite_ids, strict=True), 1)
        ]
        out.append(f'<ol class="citations">{"".join(items)}</ol>')
    else:
        out.append(
            '<p class="none">No passage decides this statement; the proof below lists '
            "what was looked for and what was found instead.</p>"
        )
    out.append(proof(c.derivation, c.citations, cite_ids, ctx))
    out.append("</article>")
    return "\n".join(out)


def _dek(result: CaseResult) -> str:
    n = len(result.claims)
    counts = [(sum(c.verdict == v for c in result.claims), v) for v in VERDICTS]
    parts = ", ".join(f"{k} {v}" for k, v in counts if k)
    noun = "statement" if n == 1 else "statements"
    return f"{n} public {noun} checked against the public-records evidence" + (
        f": {parts}." if parts else "."
    )


def render_html(result: CaseResult, ctx: ReportContext | None = None) -> str:
    """The whole report as one HTML document (deterministic: no dates, no randomness)."""
    anchors = Anchors([c.id for c in result.claims])
    head = [
        '<p class="kicker">Fact-check report</p>',
        f"<h1>{esc(result.case)}</h1>",
        f'<p class="dek">{esc(_dek(result))}</p>',
    ]
    if ctx is not None and ctx.meta.description:
        head.append(f'<p class="meta">{esc(ctx.meta.description)}</p>')
    if ctx is not None and ctx.meta.url:  # shown, never linked: it is the case's text
        head.append(f'<p class="meta">Case source: <code>{esc(ctx.meta.url)}</code></p>')
    reading = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in READING)
    body = [
        f'<header class="masthead">{"".join(head)}</header>',
        '<section aria-labelledby="h-summary"><h2 class="section" id="h-summary">Verdicts</h2>',
        _summary(result, anchors, ctx),
        "</section>",
        '<section aria-labelledby="h-timeline"><h2 class="section" id="h-timeline">Timeline</h2>',
        timeline_figure(result, ctx),
        "</section>",
        '<section aria-labelledby="h-claims"><h2 class="section" id="h-claims">'
        "The statements and the evidence</h2>",
        *(_claim(c, anchors, ctx) for c in result.claims),
        "</section>",
        f"<footer><p><strong>How to read this report.</strong></p><dl>{reading}</dl>"
        "<p>Made by <code>checker</code> from the case folder; "
        "the same case gives the same report.</p></footer>",
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="generator" content="checker">\n'
        f"<title>{esc(result.case)}: fact-check report</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        + "\n".join(body)
        + "\n</main>\n</body>\n</html>\n"
    )
