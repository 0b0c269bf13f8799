"""Patterns: `fact: TYPE` plus role values and an optional time scope.

One shape serves claims, closed-world entries and rule bodies. Role values
are already resolved: an entity is its id, a list of entities a tuple of ids,
a date a `DateSpan`, a rule variable a `Var`; literals, text and numbers stay
as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.model.timespan import DateSpan


@dataclass(frozen=True)
class Var:
    """A rule variable (`$name` in YAML)."""

    name: str

    def __str__(self) -> str:
        return f"${self.name}"


@dataclass(frozen=True)
class Scope:
    """A time scope: `as_of D`, `during {from, to}`, `before D` or `after D`."""

    kind: str
    first: DateSpan
    last: DateSpan

    def __str__(self) -> str:
        if self.kind == "during":
            return f"during {self.first} to {self.last}"
        return f"{self.kind.replace('_', ' ')} {self.first}"

    def within(self, other: Scope) -> bool:
        """Every day this scope can ask about lies inside `other`'s days."""
        if other.kind not in ("as_of", "during") or self.kind not in ("as_of", "during"):
            return False
        return other.first.start <= self.first.start and self.last.end <= other.last.end


@dataclass(frozen=True)
class Pattern:
    """A resolved pattern, with where it was written for messages."""

    type: str
    roles: dict[str, Any] = field(default_factory=dict)
    scope: Scope | None = None
    where: str = ""

    def entity_values(self, kinds: dict[str, Any]) -> list[str]:
        """Every entity id the pattern fixes, in any role."""
        out: list[str] = []
        for role, value in self.roles.items():
            if kinds.get(role) in ("entity", "entities"):
                out.extend(value if isinstance(value, tuple) else [value])
        return [v for v in out if isinstance(v, str)]
