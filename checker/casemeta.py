"""case.yaml: the case's title, timezone, closed-world declarations, publishing
fields and extraction settings, checked when read (`extra="forbid"`)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator

from checker.extractsettings import ExtractionSettings
from checker.model.timespan import parse_date
from checker.model.weburl import WebUrl


class Publisher(BaseModel):
    """case.yaml `publisher`: the fact-checking organisation that publishes the verdicts
    (the ClaimReview `author`)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    url: WebUrl | None = None


class CaseMeta(BaseModel):
    """case.yaml. `url`, `publisher` and `date_published` are for published
    reports (ClaimReview): where the verdicts appear, who publishes them, and when.
    `extraction` (optional) sets how facts are extracted from document text:
    `{enabled: true, model: null, threshold: 0.7, packs: []}` by default
    (see `checker.extractsettings.ExtractionSettings`)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    timezone: str = "UTC"
    description: str | None = None
    url: WebUrl | None = None
    publisher: Publisher | None = None
    date_published: str | None = None
    closed_world: list[dict[str, Any]] = []
    extraction: ExtractionSettings = ExtractionSettings()

    @field_validator("date_published", mode="before")
    @classmethod
    def _a_date(cls, value: object) -> object:
        # YAML reads `2024` as a number; a year is a valid date here.
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(text, str):
            parse_date(text)  # ValueError says how to write a date
        return text
