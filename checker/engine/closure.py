"""Closed-world declarations: where `case.yaml` says the evidence is complete.

An entry closes a pattern when both name the same fact type and every value
the entry fixes is fixed by the pattern to that entity or a member or
sub-unit of it; `between: [A, B]` asks that A and B both take part, in any
roles; an entry with a time scope closes only patterns scoped inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.model.entities import EntityIndex
from checker.model.facts import Passage
from checker.model.facttypes import FactType
from checker.model.patterns import Pattern


@dataclass(frozen=True)
class ClosedScope:
    """One `closed_world` entry, with its reason located in case.yaml."""

    pattern: Pattern
    between: tuple[str, ...]
    reason: str
    citation: Passage | None
    line: int


def _fixed(pattern: Pattern, role: str) -> tuple[Any, ...]:
    v = pattern.roles.get(role)
    return () if v is None else (v if isinstance(v, tuple) else (v,))


def closes(entry: ClosedScope, pattern: Pattern, ftype: FactType, entities: EntityIndex) -> bool:
    if entry.pattern.type != pattern.type:
        return False
    kinds = ftype.roles
    for role, value in entry.pattern.roles.items():
        fixed = _fixed(pattern, role)
        if kinds[role] in ("entity", "entities"):
            for want in value if isinstance(value, tuple) else (value,):
                if not any(entities.within(v, want) for v in fixed):
                    return False
        elif fixed != (value,):
            return False
    everywhere = pattern.entity_values(kinds)
    for want in entry.between:
        if not any(entities.within(v, want) for v in everywhere):
            return False
    if entry.pattern.scope is not None:
        return pattern.scope is not None and pattern.scope.within(entry.pattern.scope)
    return True


def find_closure(
    entries: list[ClosedScope], pattern: Pattern, ftype: FactType, entities: EntityIndex
) -> ClosedScope | None:
    return next((e for e in entries if closes(e, pattern, ftype, entities)), None)
