"""Claims: a public statement and the proposition it asserts.

The statement's metadata is a pydantic model; `asserts` is parsed into the
proposition dataclasses below by `checker.model.resolve`, which knows the entities
and types needed to resolve patterns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from checker.model.patterns import Pattern
from checker.model.weburl import WebUrl

FORMS = ("none", "some", "every", "count", "all_of", "any_of", "not")


class Claim(BaseModel):
    """One public statement, as written in claims/*.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    speaker: str
    said_on: str | None = None
    source: str | None = None
    url: WebUrl | None = None
    quote: str
    asserts: dict[str, Any]
    note: str | None = None

    @field_validator("said_on", mode="before")
    @classmethod
    def _year_is_a_date(cls, value: object) -> object:
        # YAML reads `said_on: 2020` as a number; a year is a valid date here.
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


@dataclass(frozen=True)
class Quantified:
    """`none: P` or `some: P`."""

    form: str
    pattern: Pattern


@dataclass(frozen=True)
class Every:
    """`every: P` + `must: M`; `must` is P's type with M's roles added."""

    pattern: Pattern
    must: Pattern


@dataclass(frozen=True)
class Count:
    """`count: P` + `at_most: N` and/or `at_least: N`."""

    pattern: Pattern
    at_most: int | None
    at_least: int | None


@dataclass(frozen=True)
class Combined:
    """`all_of: [...]`, `any_of: [...]` or `not: P`."""

    form: str
    items: tuple[Proposition, ...]


Proposition = Quantified | Every | Count | Combined
