"""Plain-English phrases for facts and patterns, used in reasons and proofs."""

from __future__ import annotations

import re
from typing import Any

from checker.model.entities import EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.model.patterns import Pattern

_SLOT = re.compile(r"\{(\w+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_SAME_SPAN = re.compile(r"\bfrom (\d{4}(?:-\d\d){0,2}) to \1\b")


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def show_value(value: Any, entities: EntityIndex, kind: Any = None) -> str:
    if isinstance(value, tuple):
        names = [show_value(v, entities, "entity") for v in value]
        return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
    if kind in ("entity", "entities") and isinstance(value, str):
        return entities.name(value)
    return str(value)


def _pairs(roles: dict[str, Any], ftype: FactType, entities: EntityIndex) -> str:
    return "; ".join(
        f"{r}: {show_value(v, entities, ftype.roles.get(r))}" for r, v in roles.items()
    )


def describe_fact(fact: Fact, ftype: FactType, entities: EntityIndex) -> str:
    """'Dana Kim shared ... with StudentWatch on 2020-10-05 [f-roster-export]'."""
    template = _OPTIONAL.sub(
        lambda m: m[1] if all(s in fact.roles for s in _SLOT.findall(m[1])) else "",
        ftype.describe or "",
    )
    if ftype.describe and all(s in fact.roles for s in _SLOT.findall(template)):
        text = _SLOT.sub(
            lambda m: show_value(fact.roles[m[1]], entities, ftype.roles.get(m[1])), template
        )
    else:
        text = f"{article(fact.type)} {fact.type} fact ({_pairs(fact.roles, ftype, entities)})"
    # "from 2020-02 to 2020-02" reads as "in 2020-02" (a day: "on 2020-02-03").
    text = _SAME_SPAN.sub(lambda m: f"{'on' if len(m[1]) == 10 else 'in'} {m[1]}", text)
    ids = [leaf.id for leaf, _ in fact.passages()] or [fact.id]
    return f"{text} [{', '.join(ids)}]"


def describe_pattern(
    p: Pattern, ftype: FactType, entities: EntityIndex, roles_only: bool = False
) -> str:
    """'data_sharing fact with from: NYPD; to: DHS, during 2020-01 to 2020-02'."""
    pairs = _pairs(p.roles, ftype, entities)
    scope = f", {p.scope}" if p.scope else ""
    if roles_only:
        return (pairs or "any") + scope
    return f"{p.type} fact" + (f" with {pairs}" if pairs else "") + scope
