"""What `checker check` answers: a verdict, a reason, citations and the proof."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Citation(BaseModel):
    """A pinpoint citation: `quote` is exactly the document's text at start:end."""

    model_config = ConfigDict(populate_by_name=True)

    doc: str
    quote: str
    start: int
    end: int
    date: str | None = None
    from_: str | None = Field(default=None, alias="from")
    to: list[str] = []
    subject: str | None = None
    fact: str
    status: str
    page: int | None = None
    bates: str | None = None
    redacted_nearby: list[str] | None = None  # markers within 200 characters, e.g. ["(b)(6)"]
    original: dict[str, Any] | None = None  # {doc, start, end} when quoted from another message


class ClaimResult(BaseModel):
    """One claim's answer, in the spec's JSON shape (plus `source` and `missing`)."""

    id: str
    speaker: str
    said_on: str | None
    quote: str
    source: str | None = None
    verdict: str
    reason: str
    missing: str | None = None
    citations: list[Citation]
    derivation: dict[str, Any]


class CaseResult(BaseModel):
    case: str
    claims: list[ClaimResult]
