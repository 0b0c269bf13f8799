"""Plain-English phrases for facts and patterns, used in reasons and proofs."""

from __future__ import annotations

import re
from typing import Any

from checker.engine.match import Doubt
from checker.model.entities import EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.model.patterns import Pattern, Scope
from checker.model.timespan import DateSpan

_SLOT = re.compile(r"\{(\w+)\}")
_OPTIONAL = re.compile(r"\[([^\[\]]*)\]")
_SAME_SPAN = re.compile(r"\bfrom (\d{4}(?:-\d\d){0,2}) to \1\b")


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def show_value(value: Any, entities: EntityIndex, kind: Any = None) -> str:
    if isinstance(value, bool):  # as YAML writes it, and a case file takes it
        return "true" if value else "false"
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
    if fact.lead is not None:
        return f"a sentence that may state {article(fact.type)} {fact.type} [{fact.id}]"
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


def _when(fact: Fact) -> str:
    """The time a fact gives, as written: '2020-03', 'from 2020-02 to an unknown end'."""
    dated = [(r, v) for r, v in fact.roles.items() if isinstance(v, DateSpan)]
    if not dated:
        return ""
    if len(dated) == 1:
        role, value = dated[0]
        if fact.interval is not None and not fact.interval.point:
            # One end of something that lasted: say which end is not known.
            if role == "to":
                return f"from an unknown start to {value}"
            if role == "from":
                return f"from {value}, with no end on record"
        return str(value)
    first, last = fact.roles.get("from"), fact.roles.get("to")
    if first is not None and str(first) == str(last):
        return f"in {first}" if len(str(first)) < 10 else f"on {first}"
    if first is not None or last is not None:
        return f"from {first or 'an unknown start'} to {last or 'an unknown end'}"
    return ", ".join(str(v) for _, v in dated)


def _scope_words(scope: Scope) -> str:
    if scope.kind == "during":
        return f"in {scope.first} to {scope.last}"
    if scope.kind == "as_of":
        return f"on {scope.first}"
    return f"{scope.kind} {scope.first}"


def describe_doubt(doubt: Doubt, types: dict[str, FactType], entities: EntityIndex) -> str:
    """Why a fact matches only possibly: 'the meeting [f-3] is dated 2020-03, which
    may or may not fall in 2020-03-22 to 2020-03-31'."""
    f = doubt.fact
    ids = ", ".join(leaf.id for leaf, _ in f.passages()) or f.id
    it = f"the {f.type} [{ids}]"
    if doubt.kind == "time":
        when = _when(f)
        if not when:
            return f"{it} has no date, so it may or may not fall {_scope_words(doubt.wanted)}"
        lasted = f.interval is not None and not f.interval.point
        ran = when if when.split(" ", 1)[0] in ("from", "in", "on") else f"in {when}"
        if lasted and doubt.wanted.kind in ("during", "as_of"):
            return (
                f"{it} ran {ran}, which may or may not cover "
                f"{_scope_words(doubt.wanted).split(' ', 1)[1]}"
            )
        if lasted:
            return f"{it} ran {ran}, which may or may not have run {_scope_words(doubt.wanted)}"
        return f"{it} is dated {when}, which may or may not fall {_scope_words(doubt.wanted)}"
    if doubt.kind == "unread":
        quote = " ".join(f.source.quote.split()) if f.source else ""
        return f'extraction could not read it: "{quote}"'
    if doubt.kind == "missing":
        want = show_value(doubt.wanted, entities, types[f.type].roles.get(doubt.role or ""))
        return f"{it} does not say its {doubt.role}, which the statement fixes to {want}"
    if doubt.kind == "parent":
        whole, part = entities.name(doubt.have), entities.name(doubt.wanted)
        return (
            f"{it} names {whole} as {doubt.role}, and {part} is part of {whole}: "
            f"it may or may not have been {part}"
        )
    return (
        f"{it} gives {doubt.role} {doubt.have}, which may or may not fall in {doubt.wanted}"
    )


def settle_doubt(doubt: Doubt, types: dict[str, FactType], entities: EntityIndex) -> str:
    """What would settle a doubt: 'a day for the meeting of 2020-03 [f-3]'."""
    f = doubt.fact
    ids = ", ".join(leaf.id for leaf, _ in f.passages()) or f.id
    if doubt.kind == "time":
        when = _when(f)
        if not when:
            return f"a date for the {f.type} [{ids}]"
        if f.interval is not None and not f.interval.point:
            return f"the days the {f.type} {when} began and ended [{ids}]"
        return f"a day for the {f.type} of {when} [{ids}]"
    if doubt.kind == "unread":
        return (
            f"a reading of the sentence [{f.id}]: code the {f.type} it states "
            "(`checker facts add`), or reject the lead in review.yaml"
        )
    if doubt.kind == "missing":
        return f"the {doubt.role} of the {f.type} [{ids}]"
    if doubt.kind == "parent":
        return (
            f"which part of {entities.name(doubt.have)} was the {doubt.role} "
            f"of the {f.type} [{ids}]"
        )
    return f"a more exact {doubt.role} for the {f.type} [{ids}]"


def _names(ids: list[str], entities: EntityIndex) -> str:
    names = [entities.name(i) for i in ids]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def bulk_note(p: Pattern, facts: list[Fact], ftype: FactType, entities: EntityIndex) -> str:
    """The sentence for a reason about `contact` that met bulk mail among the facts
    on record for the same entities (`facts`): the built-in rule
    communication-is-contact skips a `communication` with `bulk: true`, and the
    reader should know why those messages did not count. "" when there is none.

    ' The only communications on record between Kudlow & Co. and Ken Lay are bulk
    mail (a newsletter, a mailing list or a mail-merge blast: header:a, header:b),
    which is not contact.'"""
    if p.type != "contact":
        return ""
    comms = [f for f in facts if f.type == "communication"]
    bulk = [f for f in comms if f.roles.get("bulk") is True]
    if not bulk:
        return ""
    ids = [leaf.id for f in bulk for leaf, _ in f.passages()] or [f.id for f in bulk]
    shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
    wanted = p.entity_values(ftype.roles)
    who = (
        f" between {_names(wanted, entities)}"
        if len(wanted) > 1
        else f" involving {_names(wanted, entities)}"
        if wanted
        else ""
    )
    verb = "is" if len(bulk) == 1 else "are"
    if len(bulk) == len(comms):
        lead = f"The only {'communication' if len(bulk) == 1 else 'communications'}"
        lead += f" on record{who} {verb}"
    else:
        lead = f"Of the {plural(len(comms), 'communication')} on record{who}, {len(bulk)} {verb}"
    return (
        f" {lead} bulk mail (a newsletter, a mailing list or a mail-merge blast: {shown}), "
        "which is not contact."
    )
