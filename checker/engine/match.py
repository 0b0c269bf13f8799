"""Does a fact match a pattern? Certainly, possibly or not, and why (revision 2).

- An entity in a pattern matches that entity and everything transitively
  `member_of`/`part_of` it certainly; a *parent* of it (the fact says `acme`,
  the pattern asks for `acme-legal`) possibly; anything else not at all.
  A list in a pattern needs each listed entity matched by some value.
- Literals and text match exactly (text ignores case and spacing).
- A boolean role the fact does not give is false, so it matches certainly
  or not at all: `bulk: false` holds for mail that says nothing of bulk.
- A date role in a pattern matches a fact date inside it certainly, one
  overlapping it possibly.
- A role the pattern fixes but the fact does not give matches possibly.
- A time scope is judged over every time the fact could have had; a fact
  with no time is unknown against any scope.
- A lead (a sentence no extraction pattern read, `Fact.lead`) matches
  possibly when the sentence or its headers name every entity the pattern
  fixes, else not at all.

A pattern matches certainly when every part does, not at all when any part
does not, and possibly otherwise. Each part that is only possible leaves a
`Doubt`, which reasons name and `missing` asks to settle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.model.degree import Degree, degree
from checker.model.entities import EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.model.patterns import Pattern, Scope
from checker.model.timespan import DateSpan

_ENTITY_KINDS = ("entity", "entities")


@dataclass(frozen=True, slots=True)
class Doubt:
    """Why one part of a pattern matches a fact only possibly.

    kind: `time` (a coarse or missing time against a scope), `missing` (the
    fact does not give a role the pattern fixes), `parent` (the fact names an
    entity that the pattern's entity is part of), `date` (a coarse date role),
    `premise` (a derived fact rests on a premise that matched only possibly),
    `unread` (the fact is a lead: a sentence that may state one, unread).
    """

    kind: str
    fact: Fact
    role: str | None = None
    wanted: Any = None  # the pattern's value (a Scope for `time`)
    have: Any = None  # the fact's value that only possibly matches


def _values(v: Any) -> tuple[Any, ...]:
    return v if isinstance(v, tuple) else (v,)


def entity_degree(have: Any, wanted: Any, entities: EntityIndex) -> Degree:
    """One entity value against one wanted entity."""
    if entities.within(have, wanted):
        return Degree.CERTAIN
    if isinstance(have, str) and isinstance(wanted, str) and entities.within(wanted, have):
        return Degree.POSSIBLE
    return Degree.NO


def role_degree(kind: Any, fact_value: Any, wanted: Any, entities: EntityIndex) -> Degree:
    """One role: how far does `fact_value` satisfy the pattern's `wanted`?"""
    if kind == "boolean":
        return Degree.CERTAIN if bool(fact_value) == bool(wanted) else Degree.NO
    if fact_value is None:
        return Degree.POSSIBLE
    if kind in _ENTITY_KINDS:
        have = _values(fact_value)
        return min(
            (max(entity_degree(v, w, entities) for v in have) for w in _values(wanted)),
            default=Degree.CERTAIN,
        )
    if kind == "date":
        if not isinstance(wanted, DateSpan):
            return Degree.NO
        inside = wanted.start <= fact_value.start and fact_value.end <= wanted.end
        apart = fact_value.end < wanted.start or wanted.end < fact_value.start
        return degree(inside, not apart)
    if kind == "text":
        same = " ".join(str(fact_value).casefold().split()) == " ".join(
            str(wanted).casefold().split()
        )
        return Degree.CERTAIN if same else Degree.NO
    return Degree.CERTAIN if fact_value == wanted else Degree.NO


def role_matches(kind: Any, fact_value: Any, wanted: Any, entities: EntityIndex) -> bool:
    """One role certainly satisfies the pattern's `wanted` (rules bind on this)."""
    return fact_value is not None and (
        role_degree(kind, fact_value, wanted, entities) is Degree.CERTAIN
    )


def scope_degree(fact: Fact, scope: Scope) -> Degree:
    """The time scope over every time `fact` could have had; no time: possibly."""
    t = fact.interval
    if t is None:
        return Degree.POSSIBLE
    if scope.kind == "as_of":
        return t.contains(scope.first)
    if scope.kind == "during":
        return t.overlaps(scope.first, scope.last)
    if scope.kind == "before":
        return t.ends_before(scope.first)
    return t.begins_after(scope.first)


def scope_matches(fact: Fact, scope: Scope) -> bool:
    """The time scope certainly holds for `fact`."""
    return scope_degree(fact, scope) is Degree.CERTAIN


def match(
    fact: Fact, pattern: Pattern, ftype: FactType, entities: EntityIndex
) -> tuple[Degree, list[Doubt]]:
    """How `fact` matches `pattern`, and the doubts of every part matched only
    possibly (empty unless the degree is POSSIBLE)."""
    if fact.type != pattern.type:
        return Degree.NO, []
    if fact.lead is not None:
        return _lead(fact, pattern, ftype, entities)
    doubts: list[Doubt] = []
    for role, wanted in pattern.roles.items():
        kind, have = ftype.roles[role], fact.roles.get(role)
        got = role_degree(kind, have, wanted, entities)
        if got is Degree.NO:
            return Degree.NO, []
        if got is Degree.POSSIBLE:
            if have is None:
                doubts.append(Doubt("missing", fact, role, wanted))
            elif kind in _ENTITY_KINDS:
                for w in _values(wanted):
                    if not any(entities.within(v, w) for v in _values(have)):
                        parent = next(v for v in _values(have) if entities.within(w, v))
                        doubts.append(Doubt("parent", fact, role, w, parent))
            else:
                doubts.append(Doubt("date", fact, role, wanted, have))
    if pattern.scope is not None:
        got = scope_degree(fact, pattern.scope)
        if got is Degree.NO:
            return Degree.NO, []
        if got is Degree.POSSIBLE:
            doubts.append(Doubt("time", fact, None, pattern.scope))
    doubts.extend(fact.doubts)
    return (Degree.POSSIBLE if doubts else Degree.CERTAIN), doubts


def _lead(
    fact: Fact, pattern: Pattern, ftype: FactType, entities: EntityIndex
) -> tuple[Degree, list[Doubt]]:
    """A lead (a sentence no pattern read) matches possibly when every entity the
    pattern fixes is named in its sentence or headers (or is part of, or holds,
    one named there), and not at all otherwise: it never matches certainly."""
    named = fact.lead or ()
    for role, wanted in pattern.roles.items():
        if ftype.roles[role] not in _ENTITY_KINDS:
            continue
        for w in _values(wanted):
            if not any(entities.within(v, w) or entities.within(w, v) for v in named):
                return Degree.NO, []
    return Degree.POSSIBLE, [Doubt("unread", fact)]


def matches(fact: Fact, pattern: Pattern, ftype: FactType, entities: EntityIndex) -> bool:
    """Whether `fact` certainly satisfies every role and the time scope of `pattern`."""
    return match(fact, pattern, ftype, entities)[0] is Degree.CERTAIN


def membership_steps(
    fact: Fact, pattern: Pattern, ftype: FactType, entities: EntityIndex
) -> list[tuple[str, str, str]]:
    """The member_of/part_of steps that made `fact`'s entities match `pattern`."""
    steps: list[tuple[str, str, str]] = []
    for role, wanted in pattern.roles.items():
        if ftype.roles[role] not in _ENTITY_KINDS:
            continue
        for w in _values(wanted):
            if w in _values(fact.roles.get(role)):
                continue  # matched directly: no membership step needed
            for v in _values(fact.roles.get(role)):
                if v is not None and v != w and entities.within(v, w):
                    for step in entities.chain(v, w):
                        if step not in steps:
                            steps.append(step)
                    break
    return steps
