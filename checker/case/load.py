"""Load a case for the engine: read and cross-check it, add header and extracted
facts, apply review decisions, and keep the facts that count.

Reading and cross-checking is `checker.case.read` (every problem listed at
once, `CaseInvalid`). The documents stay in the case index
(`checker.case.documents.CaseDocuments`): one pass (`checker.case.stream`)
reads each document once, for its header facts and its extracted facts, and
afterwards `Case.documents` reads a document only when a citation, a report
or an analyst's quote needs it. Memory grows with the number of files and
facts, not with the documents' text. Which facts count is
`checker.extraction.counting`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from checker.case.copies import Copies
from checker.case.documents import CaseDocuments
from checker.case.meta import CaseMeta
from checker.case.read import ReadCase
from checker.case.stream import each_document, open_case, place
from checker.engine.closure import ClosedScope
from checker.engine.rules import CompiledRule
from checker.errors import CaseInvalid, Problem
from checker.extraction.counting import Counting
from checker.extraction.review import apply_review
from checker.extraction.settings import ExtractionRun
from checker.ingest.document import Document
from checker.ingest.evidence import FileRecord
from checker.model.claims import Claim, Proposition
from checker.model.entities import EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType


@dataclass
class Case:
    """A loaded, cross-checked case, ready for the engine.

    `documents` maps every location to its document, read from the case index
    when looked up (`CaseDocuments`); `close()` closes the index once the case's
    reports are written (garbage collection does it otherwise)."""

    root: Path
    meta: CaseMeta
    entities: EntityIndex
    types: dict[str, FactType]
    rules: list[CompiledRule]
    claims: list[tuple[Claim, Proposition]]
    facts: list[Fact]  # the facts that count (`counting`)
    documents: CaseDocuments
    closed_world: list[ClosedScope]
    manifest: list[FileRecord] = field(default_factory=list)
    # Extraction: every extracted fact after review (rejected ones with status
    # 'rejected'), what the run did, and warnings (review decisions on facts
    # that were not extracted).
    extracted: list[Fact] = field(default_factory=list)
    extraction: ExtractionRun | None = None
    warnings: list[Problem] = field(default_factory=list)
    counting: Counting = field(default_factory=Counting)
    superseded: dict[str, str] = field(default_factory=dict)  # extracted id -> analyst fact id

    @property
    def title(self) -> str:
        return self.meta.title or self.root.resolve().name

    @property
    def confirmed_only(self) -> bool:
        return self.counting.confirmed_only

    def close(self) -> None:
        """Close the case index the documents are read from."""
        if isinstance(self.documents, CaseDocuments):
            self.documents.close()


def load_case(
    root: Path,
    *,
    model: str | None = None,
    confirmed_only: bool = False,
    force_extraction: bool = False,
    keep_unused: bool = True,
    require_claims: bool = False,
) -> Case:
    """Read and cross-check the case at `root`; raise `CaseInvalid` listing every problem.

    After the analyst and header facts, facts are extracted from the documents'
    text (case.yaml `extraction`; `model` overrides its model; `force_extraction`
    runs even when it is disabled) and review.yaml's decisions are applied;
    `Case.facts` then holds the facts that count (`checker.extraction.counting`:
    suggested ones at or above the threshold, none with `confirmed_only`, none
    whose passage an analyst fact codes), and `Case.extracted` every extracted
    fact, for review. With `keep_unused` False (for `check` and `explain`),
    extracted facts that can never count and that no review decision names are
    dropped as they are read instead of kept in `Case.extracted`: the verdicts
    are the same. `Case.documents` reads documents from the index as they are
    looked up. A case needs no claims to be loaded; with `require_claims` (for
    judging them) one that has none raises `NoClaims` before any evidence is read.
    """
    read, documents = open_case(root, require_claims=require_claims)
    try:
        return _load(read, documents, model, confirmed_only, force_extraction, keep_unused)
    except BaseException:
        documents.close()
        raise


def _load(
    read: ReadCase,
    documents: CaseDocuments,
    model: str | None,
    confirmed_only: bool,
    force_extraction: bool,
    keep_unused: bool,
) -> Case:
    """Header and extracted facts in one pass over the documents, then review."""
    counting = Counting(read.meta.extraction.threshold, confirmed_only)
    copies = Copies(documents)
    headers: dict[str, list[Fact]] = {}
    found: list[tuple[str, list[Fact]]] = []
    wanted = {e.decision.fact for e in read.decisions}
    places: list[tuple[str, int, str]] = []

    def keep(doc: Document, header: list[Fact], extracted: list[Fact]) -> None:
        headers[doc.path] = copies.first(header)
        if not keep_unused:
            # Every extracted id, for review's "did you mean", when a decision may need them.
            if wanted:
                places.extend(place(f) for f in extracted)
            extracted = [f for f in extracted if f.id in wanted or counting.usable(f)]
        for f in extracted:
            copies.where(f)  # placed now, while this document's records are at hand
        found.append((f"{doc.id}:{doc.path}", extracted))

    run = each_document(read, documents, keep, model=model, force=force_extraction)
    in_key_order = (f for _, mine in sorted(found, key=lambda kf: kf[0]) for f in mine)
    run.facts = sorted(in_key_order, key=place)
    ids = list(dict.fromkeys(fid for *_, fid in sorted(places))) if places else None

    coded = read.facts
    # A duplicate file's paths all map to one Document: its header facts once,
    # in the order of the documents' first paths.
    for entry in documents.entries:
        coded.extend(headers.pop(entry.path, []))

    known = {f.id for f in coded}
    extracted, warnings = apply_review(run.facts, read.decisions, read.res, known, ids)
    extracted = copies.one_each(extracted)
    if not (run.enabled and run.available):
        warnings = []  # nothing was extracted, so no decision can apply
    if read.res.problems:
        raise CaseInvalid(read.res.problems)
    facts, covered = counting.select(coded, extracted, copies.where)
    return Case(
        read.root,
        read.meta,
        read.entities,
        read.types,
        read.rules,
        read.claims,
        facts,
        documents,
        read.closed,
        documents.manifest(),
        extracted,
        run,
        warnings,
        counting,
        covered,
    )
