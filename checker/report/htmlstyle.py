"""The HTML report's stylesheet: system fonts, one column, and a print layout.

Verdicts are told by text and symbol first; colour only repeats them. Print
keeps the highlight and badge colours, opens every proof and drops the
page background.
"""

CSS = """
:root {
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
    "Liberation Sans", sans-serif;
  --serif: Georgia, Cambria, "Times New Roman", "Liberation Serif", serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  --ink: #1f2937; --soft: #5b6473; --rule: #d9dde3; --paper: #ffffff; --desk: #f3f2ee;
  --red: #a4161a; --red-bg: #fbe9e9; --green: #1e6b34; --green-bg: #e6f4ea;
  --amber: #7a5200; --amber-bg: #fdf3d7; --mark: #ffe45c; --link: #1d4ed8;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--desk); color: var(--ink);
  font: 17px/1.55 var(--serif); }
main { max-width: 980px; margin: 0 auto; background: var(--paper);
  padding: 40px 56px 48px; border-left: 1px solid var(--rule);
  border-right: 1px solid var(--rule); }
h1, h2, h3, .kicker, .label, .meta, table, figcaption, .cite-head, .cite-meta, summary,
.badge, .part-head, .origin, footer, .note { font-family: var(--sans); }
a { color: var(--link); }
code { font: 0.86em var(--mono); overflow-wrap: anywhere; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: 13px;
  font-weight: 700; color: var(--soft); margin: 0 0 6px; }
h1 { font: 700 38px/1.15 var(--serif); margin: 0 0 12px; letter-spacing: -.01em; }
.dek { font-size: 19px; color: #374151; margin: 0 0 8px; }
.masthead { border-bottom: 3px double var(--ink); padding-bottom: 18px; margin-bottom: 28px; }
h2.section { font-size: 14px; text-transform: uppercase; letter-spacing: .08em;
  color: var(--soft); border-bottom: 1px solid var(--rule); padding-bottom: 6px;
  margin: 36px 0 14px; }
table.summary { width: 100%; border-collapse: collapse; font-size: 15px; }
table.summary th { text-align: left; font-size: 12px; text-transform: uppercase;
  letter-spacing: .06em; color: var(--soft); border-bottom: 1px solid var(--ink);
  padding: 6px 8px; }
table.summary td { border-bottom: 1px solid var(--rule); padding: 8px; vertical-align: top; }
table.summary td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; white-space: nowrap; font-weight: 700; font-size: 13px;
  letter-spacing: .05em; text-transform: uppercase; padding: 3px 9px 2px; border-radius: 3px;
  border: 1.5px solid currentColor; line-height: 1.4; }
.badge-small { font-size: 11px; padding: 1px 6px 0; }
.badge-contradicted { color: var(--red); background: var(--red-bg); }
.badge-supported { color: var(--green); background: var(--green-bg); }
.badge-unresolved { color: var(--amber); background: var(--amber-bg); }
.claim { border-top: 1px solid var(--rule); padding-top: 26px; margin-top: 34px; }
h2.section + .claim { border-top: 0; padding-top: 4px; margin-top: 0; }
table.summary time { white-space: nowrap; }
.claim-head { display: flex; gap: 14px; align-items: baseline; justify-content: space-between;
  flex-wrap: wrap; }
.claim-head h2 { font-size: 15px; font-weight: 600; color: var(--soft); margin: 0; }
.claim-head .badge { font-size: 15px; padding: 4px 12px 3px; }
.statement { margin: 14px 0 10px; padding: 2px 0 2px 22px; border-left: 4px solid var(--ink);
  font-size: 23px; line-height: 1.4; }
.statement p { margin: 0; }
.meta { font-size: 14px; color: var(--soft); margin: 0 0 14px; }
.meta strong { color: var(--ink); font-weight: 600; }
.why { font-size: 17px; margin: 14px 0; padding: 12px 16px; background: #f7f7f5;
  border-left: 4px solid var(--soft); }
.why-contradicted { border-left-color: var(--red); }
.why-supported { border-left-color: var(--green); }
.why-unresolved { border-left-color: var(--amber); }
.label { font-size: 12px; font-weight: 700; text-transform: uppercase; letter-spacing: .06em;
  color: var(--soft); margin-right: 6px; }
h3 { font-size: 14px; text-transform: uppercase; letter-spacing: .06em; color: var(--soft);
  margin: 22px 0 8px; }
ol.citations { list-style: none; padding: 0; margin: 0; }
.citation { border: 1px solid var(--rule); border-radius: 4px; padding: 12px 16px 4px;
  margin: 0 0 14px; background: var(--paper); scroll-margin-top: 16px; }
.citation:target { outline: 3px solid var(--link); outline-offset: 2px; }
.citation-closed { background: #f8fafc; }
.cite-head { margin: 0 0 6px; font-size: 14px; }
.cite-n { font-weight: 700; text-decoration: none; margin-right: 4px; }
.offsets { color: var(--soft); font-size: 13px; }
.cite-meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px;
  font-size: 13px; margin: 0 0 10px; color: #374151; }
.cite-meta dt { color: var(--soft); font-weight: 600; }
.cite-meta dd { margin: 0; overflow-wrap: anywhere; }
blockquote.context { margin: 0 0 10px; padding: 10px 14px; background: #fbfaf7;
  border-left: 3px solid var(--rule); white-space: pre-wrap; overflow-wrap: anywhere;
  font: 14.5px/1.6 var(--serif); color: #4b5563; }
mark { background: var(--mark); color: #111; padding: 1px 0; box-decoration-break: clone;
  -webkit-box-decoration-break: clone; box-shadow: inset 0 -2px 0 #c9a400; }
.elide { color: var(--soft); }
.note { font-size: 13px; color: var(--soft); }
.warn { color: var(--red); }
.none { font-family: var(--sans); font-size: 14px; color: var(--soft); }
details.proof { margin: 18px 0 0; border: 1px solid var(--rule); border-radius: 4px;
  padding: 0 16px; background: #fcfcfb; }
details.proof > summary { padding: 10px 0; font-weight: 600; font-size: 14px; cursor: pointer; }
details.proof[open] > summary { border-bottom: 1px solid var(--rule); margin-bottom: 8px; }
details.related > summary { font-size: 13px; color: var(--soft); cursor: pointer; margin: 6px 0; }
.part { font-size: 15px; margin: 6px 0 10px; }
.part-head { margin: 6px 0 2px; font-size: 14px; }
.part-reason { margin: 2px 0 6px; }
.pattern, .closed, .missing, .rule, .source { margin: 4px 0; }
.missing { background: var(--amber-bg); padding: 6px 10px; border-radius: 3px; }
ol.parts { padding-left: 22px; border-left: 2px solid var(--rule); margin: 8px 0 0 4px; }
ul.facts { list-style: none; padding-left: 18px; margin: 6px 0;
  border-left: 2px solid var(--rule); }
li.fact { margin: 6px 0 10px; }
li.fact > p { margin: 2px 0; }
.fid { color: var(--soft); }
.origin { font-size: 12px; color: var(--soft); }
ul.membership { font-size: 14px; margin: 2px 0; padding-left: 20px; color: #374151; }
q { font-style: italic; }
.timeline-figure { margin: 0; }
.timeline-scroll { overflow-x: auto; border: 1px solid var(--rule); border-radius: 4px;
  padding: 12px 8px 4px; background: var(--paper); }
svg.timeline { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 13.5px; color: var(--soft); margin-top: 8px; line-height: 1.5; }
footer { margin-top: 44px; border-top: 3px double var(--ink); padding-top: 14px;
  font-size: 13.5px; color: var(--soft); }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; }
footer dt { font-weight: 700; }
footer dd { margin: 0; }
@media (max-width: 700px) { main { padding: 24px 18px; } h1 { font-size: 30px; }
  .statement { font-size: 20px; } }
@media print {
  body { background: #fff; font-size: 11pt; }
  main { max-width: none; padding: 0; border: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
  .claim { break-before: page; border-top: 0; margin-top: 0; }
  .citation, li.fact, .timeline-figure { break-inside: avoid; }
  details::details-content { content-visibility: visible; display: contents; }
  details > summary { list-style: none; }
  .timeline-scroll { overflow: visible; border: 0; }
}
"""
