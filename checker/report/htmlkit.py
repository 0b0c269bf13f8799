"""Escaping and anchor ids shared by the HTML report's modules.

Evidence text is hostile: every value that reaches the page goes through
`esc` (text and attribute values alike), and the only links the report
makes are fragment links to ids built here from sanitised claim ids.
"""

from __future__ import annotations

import html
import re

from checker.report.context import ReportContext

VERDICTS = ("contradicted", "supported", "unresolved")
BADGE_TEXT = {"supported": "Supported", "contradicted": "Contradicted", "unresolved": "Unresolved"}
BADGE_MARK = {"supported": "\u2713", "contradicted": "\u2717", "unresolved": "?"}

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


def esc(value: object) -> str:
    """Text or attribute value, escaped (quotes included)."""
    return html.escape(str(value), quote=True)


def badge(verdict: str, small: bool = False) -> str:
    """The verdict as text, symbol and colour (never colour alone)."""
    v = verdict if verdict in BADGE_TEXT else "unresolved"
    size = " badge-small" if small else ""
    return (
        f'<span class="badge badge-{v}{size}"><span aria-hidden="true">{BADGE_MARK[v]}</span> '
        f"{esc(BADGE_TEXT[v])}</span>"
    )


class Anchors:
    """Fragment ids for claims and their citations, unique within one page.

    Ids keep only letters, digits, '-' and '_' of the claim id, so a link
    built from them can never be anything but `#...` on this page.
    """

    def __init__(self, claim_ids: list[str]):
        self.claim: dict[str, str] = {}
        taken: set[str] = set()
        for cid in claim_ids:
            base = _UNSAFE.sub("-", cid).strip("-") or "claim"
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            taken.add(slug)
            self.claim[cid] = slug

    def of_claim(self, cid: str) -> str:
        return f"claim-{self.claim[cid]}"

    def of_citation(self, cid: str, n: int) -> str:
        return f"cite-{self.claim[cid]}-{n}"


def entity_name(ctx: ReportContext | None, eid: str) -> str:
    return ctx.name(eid) if ctx is not None else eid
