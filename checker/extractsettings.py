"""What extraction is asked to do, what a run did, and which extracted facts
verdicts may use: case.yaml `extraction`, `ExtractionRun`, the confidence
threshold (`usable`) and the analyst's coding winning over the extractor's
(`superseded`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict, Field

from checker.model.facts import Fact

DEFAULT_THRESHOLD = 0.7


class ExtractionSettings(BaseModel):
    """case.yaml `extraction`: whether to extract facts from document text, with
    which statistical model (an installed package name, e.g. en_core_web_sm;
    none: the pattern packs alone), the confidence at or above which a
    suggested fact may decide a verdict, and extra pattern-pack folders (paths
    from the case root)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    model: str | None = None
    threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    packs: list[str] = []


@dataclass
class ExtractionRun:
    """What one extraction did, for `checker extract` and the reports."""

    enabled: bool
    available: bool  # False when checker.extract is not installed
    model: str | None
    threshold: float
    documents: int = 0
    read: int = 0  # documents extracted in this run
    cached: int = 0  # documents whose facts came from the index
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # documents extraction failed on


def usable(fact: Fact, threshold: float, confirmed_only: bool) -> bool:
    """Whether verdicts may rest on `fact` (any origin) under these settings."""
    if fact.status == "confirmed":
        return True
    if fact.status != "suggested" or confirmed_only:
        return False
    return (fact.confidence or 0.0) >= threshold


def superseded(extracted: list[Fact], coded: list[Fact]) -> dict[str, str]:
    """Extracted facts whose passage an analyst already coded as a fact of the same
    type (overlapping quote in the same document), mapped to that fact's id. The
    analyst's coding wins, so one event is never counted twice (e.g. a meeting
    the extractor saw with fewer participants)."""
    spans: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for f in coded:
        if f.source is not None and f.origin != "extractor":
            spans.setdefault((f.type, f.source.doc), []).append(
                (f.source.start, f.source.end, f.id)
            )
    out: dict[str, str] = {}
    for f in extracted:
        if f.source is None:
            continue
        for start, end, fid in spans.get((f.type, f.source.doc), []):
            if start < f.source.end and f.source.start < end:
                out[f.id] = fid
                break
    return out
