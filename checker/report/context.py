"""What a report may know of a case besides its verdicts: the small contract
every renderer is written against.

A renderer is `render(result, context)`: the `CaseResult` (verdicts,
citations, proofs) and a `ReportContext` (or None, to render from the
verdicts alone). The context gives names for entity ids, fact types' roles,
case.yaml's publishing fields, each claim's own url, and the cited records'
text and bytes, and nothing else of the loaded case: a renderer cannot reach
facts, rules or the index, so a new format needs only this module to learn.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from checker.ingest.document import Document
from checker.ingest.records import Part
from checker.model.entities import Entity, EntityIndex
from checker.model.facttypes import FactType

if TYPE_CHECKING:
    from checker.case.load import Case
    from checker.case.meta import CaseMeta


class Records(Protocol):
    """The cited documents, by location (a path from the case root), and the
    records (emails) in each."""

    def get(self, location: str, /) -> Document | None: ...

    def parts(self, location: str, /) -> list[Part]: ...


@dataclass(frozen=True)
class ReportContext:
    """A case as reports see it (`ReportContext.of(case)`)."""

    root: Path
    meta: CaseMeta
    entities: EntityIndex
    types: Mapping[str, FactType]
    records: Records
    claim_urls: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, case: Case) -> ReportContext:
        """The context of a loaded case."""
        urls = {claim.id: claim.url for claim, _ in case.claims if claim.url}
        return cls(case.root, case.meta, case.entities, case.types, case.documents, urls)

    def name(self, eid: str) -> str:
        """The entity's display name; the id itself when it is no entity."""
        return self.entities.name(eid)

    def entity(self, eid: str) -> Entity | None:
        """The entity with id `eid`, or None."""
        return self.entities.by_id.get(eid)

    def text(self, location: str) -> str | None:
        """The text the checker read from `location` (case.yaml's own text for
        closed-world declarations), or None."""
        if location == "case.yaml":
            path = self.root / "case.yaml"
            return path.read_text(encoding="utf-8") if path.is_file() else None
        found = self.records.get(location)  # every location of a document is a key
        return found.text if found is not None else None

    def record(self, location: str, index: int | None) -> Part | None:
        """Record `#index` of the file at `location`, or None."""
        if index is None:
            return None
        return next((p for p in self.records.parts(location) if p.n == index), None)

    def record_text(self, location: str, index: int | None) -> str | None:
        """The text of record `#index` of `location`, as citations count in it;
        the file's text when `index` is None (case.yaml, a file the index has no
        records for)."""
        if index is None:
            return self.text(location)
        part = self.record(location, index)
        doc = self.records.get(location) if part is not None else None
        return doc.text[part.start : part.end] if doc is not None and part is not None else None

    def record_edges(self, location: str, index: int | None) -> tuple[str, str]:
        """Labels for the edges of record `#index` where the file goes on past
        them with other text: ('[start of message 2 of 3]', '[end of message 2
        of 3]'), '' for an edge that is the file's own."""
        part = self.record(location, index)
        doc = self.records.get(location) if part is not None else None
        if part is None or doc is None:
            return "", ""
        total = len(self.records.parts(location))
        of = f"message {part.n} of {total}"
        before = doc.text[: part.start].strip()
        after = doc.text[part.end :].strip()
        return (f"[start of {of}]" if before else "", f"[end of {of}]" if after else "")

    def sha256(self, location: str) -> str:
        """The SHA-256 of the file at `location` ("" when there is none)."""
        doc = self.records.get(location)
        if doc is not None and doc.id:
            return doc.id
        file = self.root / location
        if not file.is_file():
            return ""
        return hashlib.sha256(file.read_bytes()).hexdigest()
