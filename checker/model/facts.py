"""Facts: typed records with provenance.

A fact comes from an analyst file, a document header, or a rule. Base facts
carry the `Passage` they rest on; derived facts carry the rule id and the
facts they came from, so any verdict can be followed down to quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from checker.model.timespan import DateSpan, Interval


@dataclass(frozen=True, slots=True)
class Passage:
    """A located quote: `text[start:end] == quote` in the document at `doc`."""

    doc: str
    quote: str
    start: int
    end: int
    date: str | None = None
    sender: str | None = None
    recipients: tuple[str, ...] = ()
    subject: str | None = None
    page: int | None = None
    bates: str | None = None


@dataclass(frozen=True, eq=False, slots=True)
class Fact:
    """One fact. `roles` hold resolved values (entity ids, tuples, DateSpans...)."""

    id: str
    type: str
    roles: dict[str, Any]
    status: str = "confirmed"  # confirmed | suggested (extracted, not yet reviewed)
    origin: str = "analyst"  # analyst | header | rule | extractor
    source: Passage | None = None
    rule: str | None = None
    explanation: str | None = None
    premises: tuple[Fact, ...] = ()
    interval: Interval | None = None
    where: str = ""
    key: tuple[Any, ...] = field(default=(), compare=False)
    confidence: float | None = None  # extractor's confidence in a suggested fact
    pattern: str | None = None  # id of the extraction pattern that proposed it
    # A derived fact whose premises matched its rule only possibly is itself only
    # possible: the doubts (engine.match.Doubt) that any match of it inherits.
    doubts: tuple[Any, ...] = ()
    # A lead (checker/extract/leads.py): a sentence that may state a fact of this
    # type but that no pattern could read. It has no roles; `lead` holds the
    # entities its sentence and message headers name. It only ever matches a
    # pattern possibly (engine/match.py), so it can keep a verdict unresolved
    # (an absence under a closed scope is not shown while it is unread), never
    # settle one. None for every other fact.
    lead: tuple[str, ...] | None = None

    def passages(self) -> list[tuple[Fact, Passage]]:
        """The (base fact, passage) leaves this fact rests on, in order, without repeats."""
        if self.source is not None:
            return [(self, self.source)]
        out: list[tuple[Fact, Passage]] = []
        for p in self.premises:
            for leaf in p.passages():
                if leaf not in out:
                    out.append(leaf)
        return out

    @property
    def is_suggested(self) -> bool:
        return self.status != "confirmed"


def fact_key(type_: str, roles: dict[str, Any]) -> tuple[Any, ...]:
    """Identity for counting and de-duplication: type, role values and time."""

    def norm(v: Any) -> Any:
        if isinstance(v, tuple):
            return tuple(sorted(map(str, v)))
        if isinstance(v, DateSpan):
            return (v.start, v.end)
        if isinstance(v, str):  # as text matches: case and spacing do not count
            return " ".join(v.casefold().split())
        return v

    return (type_, tuple(sorted((k, norm(v)) for k, v in roles.items())))


def fact_interval(roles: dict[str, Any], time_roles: tuple[str, ...]) -> Interval | None:
    """When a fact held, from its type's time roles (see FactType.time_roles).

    An event's date says it happened on some day of that date. An interval
    began on some day of its `from` and ended on some day of its `to`; without
    `to` it is still in force; without `from` it began at an unknown time, at
    the latest its `to`. No time role at all: None, an unknown time.
    """
    if not time_roles:
        return None
    if time_roles == ("from", "to"):
        first, last = roles.get("from"), roles.get("to")
        if first is None and last is None:
            return None
        if first is None:
            assert last is not None
            return Interval(None, last.end, latest_start=last.end, earliest_end=last.start)
        if last is None:
            return Interval(first.start, None, latest_start=first.end)
        return Interval(first.start, last.end, latest_start=first.end, earliest_end=last.start)
    span = roles.get(time_roles[0])
    if span is None:
        return None
    return Interval(
        span.start, span.end, latest_start=span.end, earliest_end=span.start, point=True
    )
