"""What `checker check` answers: a verdict, a reason, citations and the proof."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SerializationInfo, model_serializer


class Citation(BaseModel):
    """A pinpoint citation of one record (one email): `quote` is exactly the
    record's text at start:end, as `checker show MESSAGE` prints it. `doc` is
    the file, `index` the record's position in it (`#N`, from 1); a file
    without messages is one record, `#1`, whose text is the whole file's."""

    model_config = ConfigDict(populate_by_name=True)

    doc: str
    message: str | None = None  # the record's id
    index: int | None = None  # its position in `doc`, from 1
    message_id: str | None = None
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
    # True when the verdict rests on extracted facts nobody has reviewed; written
    # to JSON only then, so a case of confirmed facts keeps the spec's shape.
    suggested: bool = False

    @model_serializer(mode="wrap")
    def _drop_unsuggested(self, handler: Any, info: SerializationInfo) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if not self.suggested:
            data.pop("suggested", None)
        return data


class CaseResult(BaseModel):
    case: str
    claims: list[ClaimResult]
