"""The report's timeline: an inline SVG of the dated facts behind the verdicts.

One row per fact that a verdict rests on (the quoted base facts of each
proof): an interval (`from`/`to`) is a solid bar, a fact on a known day a
dot, a fact dated only to a month or year a hollow bar over the days it may
fall on, and the date of each cited document a diamond. When each statement
was made (`said_on`) is a dashed vertical line, so a statement made while
the facts held shows at a glance. Pure text in, text out: no fonts, scripts
or links, and the same result gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from checker.model.timespan import DateSpan, parse_date
from checker.model.verdicts import CaseResult
from checker.report.context import ReportContext
from checker.report.htmlkit import esc

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WIDTH, X0, X1 = 960, 16, 944
ROW, LABEL_ROW, MAX_LABEL, LABEL_H = 44, 19, 112, 18
CHAR_W = 7.2  # mean advance of a 13px sans-serif character, for laying out labels
INK, SOFT, SAID = "#1f2937", "#64748b", "#1d4ed8"


@dataclass
class Row:
    """One fact on the timeline; `start`/`end` are inclusive days (end None: ongoing)."""

    fact: str
    label: str
    kind: str  # interval | day | vague | none
    start: date | None = None
    end: date | None = None
    docs: set[date] = field(default_factory=set)
    claims: list[str] = field(default_factory=list)


def _span(value: Any) -> DateSpan | None:
    try:
        return parse_date(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _time_roles(node: dict[str, Any], ctx: ReportContext | None) -> tuple[str, ...]:
    ftype = ctx.types.get(node["type"]) if ctx is not None else None
    if ftype is not None:
        return ftype.time_roles()
    roles = node.get("roles", {})
    if _span(roles.get("from")) or _span(roles.get("to")):
        return ("from", "to")
    return next(((r,) for r in ("date", "created") if _span(roles.get(r))), ())


def _place(row: Row, node: dict[str, Any], ctx: ReportContext | None) -> None:
    roles, when = node.get("roles", {}), _time_roles(node, ctx)
    if when == ("from", "to"):
        first, last = _span(roles.get("from")), _span(roles.get("to"))
        if first is not None:
            row.kind, row.start, row.end = "interval", first.start, last.end if last else None
            return
        span = last
    else:
        span = _span(roles.get(when[0])) if when else None
    if span is not None:
        row.kind = "day" if span.precision == "day" else "vague"
        row.start, row.end = span.start, span.end


def _base_facts(d: dict[str, Any]) -> list[dict[str, Any]]:
    """The quoted facts a derivation rests on (premises of derived facts included)."""
    out: list[dict[str, Any]] = []

    def walk(node: dict[str, Any]) -> None:
        if "source" in node:
            out.append(node)
        for p in node.get("premises", []):
            walk(p)

    for node in d.get("facts", []):
        walk(node)
    for child in d.get("parts", []):
        out += _base_facts(child)
    return out


def collect(result: CaseResult, ctx: ReportContext | None) -> list[Row]:
    """Every fact behind a verdict, once, with the claims that rest on it."""
    rows: dict[str, Row] = {}
    for c in result.claims:
        for node in _base_facts(c.derivation):
            row = rows.get(node["fact"])
            if row is None:
                says = node["says"].removesuffix(f" [{node['fact']}]")
                row = rows[node["fact"]] = Row(node["fact"], f"{node['fact']}: {says}", "none")
                _place(row, node, ctx)
            if c.id not in row.claims:
                row.claims.append(c.id)
        for cit in c.citations:
            row = rows.get(cit.fact)
            if row is not None and cit.date and _span(cit.date[:10]):
                row.docs.add(date.fromisoformat(cit.date[:10]))
    return list(rows.values())


class _Axis:
    def __init__(self, days: list[date]):
        lo, hi = min(days), max(days)
        pad = max(15, (hi - lo).days // 25)
        self.lo, self.hi = lo - timedelta(days=pad), hi + timedelta(days=pad)

    def x(self, d: date) -> float:
        span = (self.hi - self.lo).days
        return X0 + (d - self.lo).days / span * (X1 - X0)

    def ticks(self) -> list[tuple[float, str]]:
        months = (self.hi.year - self.lo.year) * 12 + self.hi.month - self.lo.month + 1
        step = next(s for s in (1, 2, 3, 6, 12, 24, 60, 120, 1200) if months / s <= 10)
        out: list[tuple[float, str]] = []
        y, m = self.lo.year, self.lo.month
        while date(y, m, 1) <= self.hi:
            if date(y, m, 1) >= self.lo and ((y * 12 + m - 1) % step == 0):
                label = (
                    str(y)
                    if step >= 12
                    else (f"{MONTHS[m - 1]} {y}" if m == 1 or not out else MONTHS[m - 1])
                )
                out.append((self.x(date(y, m, 1)), label))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out


def _f(v: float) -> str:
    return f"{v:.1f}"


def _said_groups(result: CaseResult) -> list[tuple[DateSpan, list[str]]]:
    groups: dict[str, list[str]] = {}
    for c in result.claims:
        if c.said_on and _span(c.said_on):
            groups.setdefault(c.said_on, []).append(c.id)
    return [(parse_date(k), v) for k, v in sorted(groups.items())]


def _place_labels(
    axis: _Axis, said: list[tuple[DateSpan, list[str]]]
) -> list[tuple[float, int, str, DateSpan]]:
    """Stack the statement labels so that none overlaps another or is crossed by the
    line of a label above it. A label sits right of its line in the left half of the
    plot and left of it in the right half; each half is laid out from its edge inward."""
    items = []
    for span, ids in said:
        x = axis.x(span.start)
        text = f"said {span}: {ids[0]}" if len(ids) == 1 else f"said {span}: {len(ids)} statements"
        w = CHAR_W * len(text) + 8
        right_half = x > (X0 + X1) / 2
        items.append((x, text, span, (x - w, x) if right_half else (x, x + w), right_half))
    items.sort(key=lambda it: (it[4], -it[0] if it[4] else it[0]))
    placed: list[tuple[float, int, str, DateSpan]] = []
    boxes: list[tuple[int, float, float, float]] = []  # level, left, right, line x
    for x, text, span, (left, right), _ in items:

        def clash(level: int, x: float = x, left: float = left, right: float = right) -> bool:
            return any(
                (lv == level and a < right and left < b)
                or (lv < level and left <= lx <= right)
                or (lv > level and a <= x <= b)
                for lv, a, b, lx in boxes
            )

        level = next((lv for lv in range(len(boxes) + 1) if not clash(lv)), len(boxes))
        boxes.append((level, left, right, x))
        placed.append((x, level, text, span))
    placed.sort(key=lambda p: (p[0], p[1]))
    return placed


def _svg(rows: list[Row], said: list[tuple[DateSpan, list[str]]]) -> str:
    days = [d for r in rows for d in (r.start, r.end, *r.docs) if d is not None]
    days += [d for s, _ in said for d in (s.start, s.end)]
    axis = _Axis(days)
    placed = _place_labels(axis, said)
    levels = 1 + max((lv for _, lv, _, _ in placed), default=-1)
    top = 8 + LABEL_H * levels
    plot_h = ROW * len(rows)
    axis_y = top + plot_h + 6
    height = axis_y + 58
    out = [
        f'<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}"'
        f' width="{WIDTH}" height="{height}" role="img" aria-labelledby="timeline-title">'
        '<title id="timeline-title">Timeline of the dated facts behind the verdicts, '
        "with the dates the statements were made</title>",
        f'<g font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"'
        f' font-size="13" fill="{INK}">',
    ]
    for x, label in axis.ticks():
        out.append(
            f'<line x1="{_f(x)}" y1="{top}" x2="{_f(x)}" y2="{axis_y}" stroke="#e5e7eb"/>'
            f'<text x="{_f(x)}" y="{axis_y + 16}" text-anchor="middle" fill="{SOFT}">'
            f"{esc(label)}</text>"
        )
    out.append(f'<line x1="{X0}" y1="{axis_y}" x2="{X1}" y2="{axis_y}" stroke="{SOFT}"/>')
    for i, r in enumerate(rows):
        y = top + i * ROW
        label = r.label if len(r.label) <= MAX_LABEL else r.label[: MAX_LABEL - 1] + "\u2026"
        used = "; used by " + ", ".join(r.claims)
        out.append(
            f"<g><title>{esc(r.label + used)}</title>"
            f'<text x="{X0}" y="{y + 14}">{esc(label)}</text>'
        )
        mid = y + LABEL_ROW + 10
        for d in sorted(r.docs):
            x = axis.x(d)
            out.append(
                f'<path d="M{_f(x)} {mid - 7} L{_f(x + 7)} {mid} L{_f(x)} {mid + 7} '
                f'L{_f(x - 7)} {mid} Z" fill="#fff" stroke="{SOFT}" stroke-width="1.5"/>'
            )
        if r.start is not None and r.kind in ("interval", "vague"):
            x1 = axis.x(r.start)
            x2 = axis.x(r.end + timedelta(days=1)) if r.end else X1
            w = max(3.0, x2 - x1)
            style = (
                f'fill="{INK}"'
                if r.kind == "interval"
                else f'fill="#e2e8f0" stroke="{INK}" stroke-dasharray="3 2"'
            )
            out.append(
                f'<rect x="{_f(x1)}" y="{mid - 6}" width="{_f(w)}" height="12" rx="2" {style}/>'
            )
            if r.end is None:
                out.append(
                    f'<path d="M{X1 - 2} {mid - 9} L{X1 + 6} {mid} L{X1 - 2} {mid + 9} Z" '
                    f'fill="{INK}"/>'
                )
        elif r.start is not None:
            out.append(f'<circle cx="{_f(axis.x(r.start))}" cy="{mid}" r="5" fill="{INK}"/>')
        out.append("</g>")
    for x, level, text, span in placed:
        if span.precision != "day":  # a month or year: shade the days it may be
            x2 = axis.x(span.end + timedelta(days=1))
            out.append(
                f'<rect x="{_f(x)}" y="{top}" width="{_f(x2 - x)}" height="{plot_h}" '
                f'fill="{SAID}" fill-opacity="0.08"/>'
            )
        ly = 6 + LABEL_H * level + 10
        anchor = "end" if x > (X0 + X1) / 2 else "start"
        tx = x - 4 if anchor == "end" else x + 4
        out.append(
            f'<line x1="{_f(x)}" y1="{ly - 10}" x2="{_f(x)}" y2="{axis_y}" stroke="{SAID}"'
            f' stroke-width="1.5" stroke-dasharray="5 3"/>'
            f'<text x="{_f(tx)}" y="{ly}" text-anchor="{anchor}" fill="{SAID}" '
            f'font-weight="600">{esc(text)}</text>'
        )
    out.append(_legend(axis_y + 40))
    out.append("</g></svg>")
    return "".join(out)


def _legend(y: int) -> str:
    items = [
        f'<rect x="0" y="{y - 6}" width="26" height="12" rx="2" fill="{INK}"/>',
        f'<rect x="0" y="{y - 6}" width="26" height="12" rx="2" fill="#e2e8f0" stroke="{INK}" '
        'stroke-dasharray="3 2"/>',
        f'<circle cx="13" cy="{y}" r="5" fill="{INK}"/>',
        f'<path d="M13 {y - 7} L20 {y} L13 {y + 7} L6 {y} Z" fill="#fff" stroke="{SOFT}" '
        'stroke-width="1.5"/>',
        f'<line x1="13" y1="{y - 9}" x2="13" y2="{y + 9}" stroke="{SAID}" stroke-width="1.5" '
        'stroke-dasharray="5 3"/>',
    ]
    names = [
        "held over a period",
        "some day in this month or year",
        "on this day",
        "cited document's date",
        "statement made",
    ]
    out, x = [], X0
    for shape, name in zip(items, names, strict=True):
        out.append(
            f'<g transform="translate({x} 0)">{shape}'
            f'<text x="32" y="{y + 4}" fill="{SOFT}">{esc(name)}</text></g>'
        )
        x += 32 + round(CHAR_W * len(name)) + 20
    return "".join(out)


def timeline_figure(result: CaseResult, ctx: ReportContext | None = None) -> str:
    """A `<figure>`: the SVG (when anything is dated) and a caption saying what is not shown."""
    rows = collect(result, ctx)
    dated = [r for r in rows if r.start is not None or r.docs]
    dated.sort(key=lambda r: (r.start or min(r.docs), r.end or date.max, r.fact))
    said = _said_groups(result)
    notes = []
    for span, ids in said:
        notes.append(f"Statements made {esc(span)}: {esc(', '.join(ids))}.")
    undated = [c.id for c in result.claims if not (c.said_on and _span(c.said_on))]
    if undated and len(undated) == len(result.claims):
        notes.append(
            "No statement in this case has a recorded date (<code>said_on</code>), "
            "so none is marked."
        )
    elif undated:
        notes.append(
            "These statements have no recorded date (<code>said_on</code>) and are "
            f"not marked: {esc(', '.join(undated))}."
        )
    loose = [r.fact for r in rows if r not in dated]
    if loose:
        notes.append(f"Facts behind the verdicts with no date, not drawn: {esc(', '.join(loose))}.")
    if not dated and not said:
        notes.insert(0, "No fact behind the verdicts carries a date.")
    svg = f'<div class="timeline-scroll">{_svg(dated, said)}</div>' if dated or said else ""
    caption = " ".join(notes)
    return f'<figure class="timeline-figure">{svg}<figcaption>{caption}</figcaption></figure>'
