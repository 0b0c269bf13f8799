"""What extraction is asked to do (case.yaml `extraction`) and what a run did
(`ExtractionRun`). Which extracted facts verdicts may use is
`checker.extraction.counting`."""

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
