"""schema.org ClaimReview JSON-LD, one review per claim (`--format claimreview`).

The output is a JSON array of ClaimReview objects, each with its own
`@context`, ready to go one per `<script type="application/ld+json">` on the
page that publishes the verdicts.

Rating scale (`reviewRating`): a three-point scale, worst 1, best 3.

    ratingValue  alternateName
    1            Contradicted by the records
    2            Unresolved: the records do not settle it
    3            Supported by the records

The number only orders the verdicts for machines that need one; 2 does not
mean "half true". `alternateName` is the verdict readers see.

Publishing fields come from case.yaml and are never invented:

- `url` is case.yaml `url` + "#" + the claim id; omitted when `url` is unset.
  Every address published here (this one, the publisher's and a claim's own
  `url`) was checked at load to be http(s), never `javascript:` or `data:`.
- `author` is case.yaml `publisher` ({name, url}), the fact-checking
  organisation; omitted when unset. Google's fact-check markup requires
  `url` and expects `author`, so a newsroom must set both before publishing.
- `datePublished` is case.yaml `date_published`; omitted when unset (never
  the clock, so the same case gives the same bytes).

`itemReviewed` is the statement: a `Claim` whose `author` is the speaker
(a `Person` or `Organization`, named from entities.yaml), `datePublished`
its `said_on` when known, and `appearance` a `CreativeWork` named by the
claim's `source`, with the claim's `url` when it has one.
"""

from __future__ import annotations

import json
from typing import Any

from checker.model.verdicts import CaseResult, ClaimResult
from checker.report.context import ReportContext
from checker.report.text import fold

CONTEXT = "https://schema.org"

RATING: dict[str, tuple[int, str]] = {
    "contradicted": (1, "Contradicted by the records"),
    "unresolved": (2, "Unresolved: the records do not settle it"),
    "supported": (3, "Supported by the records"),
}
WORST, BEST = 1, 3


def _speaker(c: ClaimResult, ctx: ReportContext | None) -> dict[str, Any]:
    """The statement's author: a Person or an Organization (agencies too)."""
    entity = ctx.entity(c.speaker) if ctx else None
    kind = "Person" if entity is not None and entity.kind == "person" else "Organization"
    return {"@type": kind, "name": entity.name if entity else c.speaker}


def _appearance(c: ClaimResult, ctx: ReportContext | None) -> dict[str, Any] | None:
    """Where the statement was made, from the claim's `source` and `url`."""
    url = ctx.claim_urls.get(c.id) if ctx is not None else None
    if not c.source and not url:
        return None
    work: dict[str, Any] = {"@type": "CreativeWork"}
    if c.source:
        work["name"] = c.source
    if url:
        work["url"] = url
    return work


def claim_review(c: ClaimResult, ctx: ReportContext | None = None) -> dict[str, Any]:
    """One claim's ClaimReview, as a JSON-LD object."""
    value, words = RATING[c.verdict]
    item: dict[str, Any] = {"@type": "Claim", "author": _speaker(c, ctx)}
    if c.said_on:
        item["datePublished"] = c.said_on
    appearance = _appearance(c, ctx)
    if appearance is not None:
        item["appearance"] = appearance
    review: dict[str, Any] = {"@context": CONTEXT, "@type": "ClaimReview"}
    meta = ctx.meta if ctx is not None else None
    if meta is not None and meta.url:
        review["url"] = f"{meta.url}#{c.id}"
    review["claimReviewed"] = fold(c.quote)
    review["itemReviewed"] = item
    review["reviewRating"] = {
        "@type": "Rating",
        "ratingValue": value,
        "bestRating": BEST,
        "worstRating": WORST,
        "alternateName": words,
    }
    review["reviewBody"] = c.reason
    if meta is not None and meta.publisher is not None:
        author: dict[str, Any] = {"@type": "Organization", "name": meta.publisher.name}
        if meta.publisher.url:
            author["url"] = meta.publisher.url
        review["author"] = author
    if meta is not None and meta.date_published:
        review["datePublished"] = meta.date_published
    return review


# JSON-LD is pasted into <script type="application/ld+json">: a "</script>" (or
# "<!--") from a quote or an address must not end the element. The same JSON,
# with these characters as \u escapes.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def render_claimreview(result: CaseResult, ctx: ReportContext | None = None) -> str:
    """Every claim's ClaimReview as one JSON array, safe to embed in a script element."""
    reviews = [claim_review(c, ctx) for c in result.claims]
    return json.dumps(reviews, indent=2, ensure_ascii=False).translate(_SCRIPT_SAFE) + "\n"
