"""Does a fact match a pattern? Membership-aware, time-scoped, and explained.

An entity in a pattern matches that entity and everything transitively
`member_of`/`part_of` it; a list in a pattern matches when each listed
entity is matched by some value of the role; literals and text match
exactly (text ignores case and spacing); a date in a pattern matches a
fact date inside it. A fact with no time never matches a time-scoped pattern.
"""

from __future__ import annotations

from typing import Any

from checker.model.entities import EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.model.patterns import Pattern, Scope
from checker.model.timespan import DateSpan


def _values(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def role_matches(kind: Any, fact_value: Any, wanted: Any, entities: EntityIndex) -> bool:
    """One role: does `fact_value` satisfy the pattern's `wanted`?"""
    if fact_value is None:
        return False
    if kind in ("entity", "entities"):
        have = _values(fact_value)
        return all(any(entities.within(v, w) for v in have) for w in _values(wanted))
    if kind == "date":
        return (
            isinstance(wanted, DateSpan)
            and wanted.start <= fact_value.start
            and fact_value.end <= wanted.end
        )
    if kind == "text":
        return " ".join(str(fact_value).casefold().split()) == " ".join(
            str(wanted).casefold().split()
        )
    return bool(fact_value == wanted)


def scope_matches(fact: Fact, scope: Scope) -> bool:
    t = fact.interval
    if t is None:
        return False
    if scope.kind == "as_of":
        return t.contains(scope.first)
    if scope.kind == "during":
        return t.overlaps(scope.first, scope.last)
    if scope.kind == "before":
        return t.ends_before(scope.first)
    return t.begins_after(scope.first)


def matches(fact: Fact, pattern: Pattern, ftype: FactType, entities: EntityIndex) -> bool:
    """Whether `fact` satisfies every role and the time scope of `pattern`."""
    if fact.type != pattern.type:
        return False
    for role, wanted in pattern.roles.items():
        if not role_matches(ftype.roles[role], fact.roles.get(role), wanted, entities):
            return False
    return pattern.scope is None or scope_matches(fact, pattern.scope)


def membership_steps(
    fact: Fact, pattern: Pattern, ftype: FactType, entities: EntityIndex
) -> list[tuple[str, str, str]]:
    """The member_of/part_of steps that made `fact`'s entities match `pattern`."""
    steps: list[tuple[str, str, str]] = []
    for role, wanted in pattern.roles.items():
        if ftype.roles[role] not in ("entity", "entities"):
            continue
        for w in _values(wanted):
            if w in _values(fact.roles.get(role)):
                continue  # matched directly: no membership step needed
            for v in _values(fact.roles.get(role)):
                if v != w and entities.within(v, w):
                    for step in entities.chain(v, w):
                        if step not in steps:
                            steps.append(step)
                    break
    return steps
