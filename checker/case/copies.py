"""The same email filed in several files is one record, and its facts count once.

A fact is placed by its record (`checker.ingest.records`): the record's id
and the fact's offsets in the record's text. Facts from a copy of a record
already read (same type, same place in the same email) are left out, so
verdicts, counts and questions speak of distinct emails. The documents are
read in path order, so the copy kept is the record's first location.
"""

from __future__ import annotations

from collections.abc import Iterable

from checker.case.documents import CaseDocuments
from checker.model.facts import Fact

Place = tuple[str, int, int]  # (record id, or the document's path; start; end)


class Copies:
    """Where facts are, by record, and which have been seen already."""

    def __init__(self, documents: CaseDocuments, remember: bool = True):
        self.documents = documents
        self.seen: set[tuple[str, str, Place]] = set()
        # Each fact's place, by fact id (ids are unique in a case): found once, while
        # its document's records are at hand, not again in each later pass. Without
        # `remember` (a pass that places each fact once) nothing is kept.
        self._places: dict[str, Place | None] = {}
        self.remember = remember
        # Only the facts of emails filed more than once can have copies to leave
        # out: only theirs are remembered in `seen`.
        self.copied: set[str] = documents.index.copied_records()

    def where(self, fact: Fact) -> Place | None:
        """The fact's record and offsets in it (its document's path and offsets
        when the index has no record there); None without a source."""
        if fact.id in self._places:
            return self._places[fact.id]
        s = fact.source
        place: Place | None = None
        if s is not None:
            part = self.documents.part_at(s.doc, s.start)
            if part is None or s.end > part.end:
                place = (s.doc, s.start, s.end)
            else:
                place = (part.key, s.start - part.start, s.end - part.start)
        if self.remember:
            self._places[fact.id] = place
        return place

    def _key(self, f: Fact) -> tuple[str, str, Place] | None:
        place = self.where(f)
        return None if place is None else (f.type, f.pattern or f.origin, place)

    def first(self, facts: Iterable[Fact]) -> list[Fact]:
        """`facts` without those a copy of their email already gave (for facts
        nobody reviews: header facts)."""
        out = []
        for f in facts:
            key = self._key(f)
            if key is None or key[2][0] not in self.copied:
                out.append(f)  # an email filed once: no copy can come later
            elif key not in self.seen:
                self.seen.add(key)
                out.append(f)
        return out

    def one_each(self, facts: list[Fact]) -> list[Fact]:
        """Extracted facts after review, one per place in an email: the copies of
        one extracted fact are one fact. A reviewer's decision on any copy
        decides for all: rejected wins (a fact rejected in one copy does not
        come back through another), then confirmed, then the first copy."""
        groups: dict[object, list[Fact]] = {}
        for f in facts:
            groups.setdefault(self._key(f) or id(f), []).append(f)
        rank = {"rejected": 0, "confirmed": 1}
        keep = {id(min(g, key=lambda f: rank.get(f.status, 2))) for g in groups.values()}
        return [f for f in facts if id(f) in keep]
