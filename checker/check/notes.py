"""The sentences a verdict's reason gains when unreviewed machine-suggested
facts decide it, or unsettle what confirmed facts alone would decide
(`checker.extraction.counting` says which facts count)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from checker.engine.evaluate import Outcome
from checker.model.facts import Fact


def _suggested_ids(facts: Iterable[Fact]) -> list[str]:
    ids: list[str] = []
    for f in facts:
        for leaf, _ in f.passages():
            if leaf.status == "suggested" and leaf.id not in ids:
                ids.append(leaf.id)
    return ids


def _all_facts(o: Outcome) -> Iterator[Fact]:
    """Every fact an outcome looked at: deciding, related and possible, in all parts."""
    yield from o.facts
    yield from o.related
    yield from (f for f, _ in o.possible)
    for child in o.children:
        yield from _all_facts(child)


def _what(ids: list[str]) -> str:
    return "machine-suggested facts" if len(ids) > 1 else "a machine-suggested fact"


def suggested_note(o: Outcome) -> tuple[str, list[str]]:
    """The sentence to add to a reason whose deciding facts include unreviewed
    extracted facts, and their ids; ("", []) when there are none."""
    ids = _suggested_ids(o.deciding_facts())
    if not ids:
        return "", []
    return f" This verdict rests on {_what(ids)} that nobody has reviewed: {', '.join(ids)}.", ids


def unsettled_note(o: Outcome, alone: str) -> tuple[str, list[str]]:
    """The sentence for an unresolved verdict that confirmed facts alone would
    settle as `alone`: unreviewed suggested facts unsettle it, and which."""
    ids = _suggested_ids(_all_facts(o))
    what = (
        "an unreviewed machine-suggested fact leaves"
        if len(ids) == 1
        else "unreviewed machine-suggested facts leave"
    )
    return (
        f" On confirmed facts alone it would be {alone}; {what} it "
        f"unresolved{': ' + ', '.join(ids) if ids else ''}.",
        ids,
    )
