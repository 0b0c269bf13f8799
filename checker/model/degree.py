"""How well a fact matches a pattern: certainly, possibly, or not (revision 2).

A pattern matches certainly when every part does, not at all when any part
does not, and possibly otherwise: the parts combine with `min`, alternatives
(several values of a role, any of which may match) with `max`.
"""

from __future__ import annotations

from enum import IntEnum


class Degree(IntEnum):
    """NO < POSSIBLE < CERTAIN, so `min` is "and" and `max` is "or" (Kleene)."""

    NO = 0
    POSSIBLE = 1
    CERTAIN = 2


def degree(certain: bool, possible: bool) -> Degree:
    """The degree of a judgement that holds for all (`certain`) or some (`possible`)
    of the ways the record could be."""
    if certain:
        return Degree.CERTAIN
    return Degree.POSSIBLE if possible else Degree.NO
