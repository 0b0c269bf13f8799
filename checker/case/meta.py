"""case.yaml: the case's title, timezone, closed-world declarations, publishing
fields and extraction settings, checked when read (`extra="forbid"`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, field_validator

from checker.extraction.settings import ExtractionSettings
from checker.model.timespan import parse_date
from checker.model.weburl import WebUrl
from checker.yamlfile import load_yaml


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
    (see `checker.extraction.settings.ExtractionSettings`)."""

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


def case_timezone(root: Path) -> ZoneInfo:
    """The case's timezone as `load_case` takes it (UTC when case.yaml has none or
    is invalid), for the commands that read only the evidence."""
    try:
        raw = load_yaml(root / "case.yaml", "case.yaml") if (root / "case.yaml").is_file() else {}
        return ZoneInfo(CaseMeta.model_validate(raw or {}).timezone)
    except Exception:  # noqa: BLE001 - load_case reports what is wrong; the index uses UTC
        return ZoneInfo("UTC")
