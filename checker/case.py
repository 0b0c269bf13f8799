"""Load a case for the engine: read and cross-check it, add header and extracted
facts, apply review decisions.

Reading and cross-checking is `checker.caseread` (every problem listed at
once, `CaseInvalid`). The documents stay in the case index
(`checker.casedocs.CaseDocuments`): one pass reads each document once, for its
header facts and its extracted facts (from the index's cache, or extracted
now), and afterwards `Case.documents` reads a document only when a citation,
a report or an analyst's quote needs it. Memory grows with the number of
files and facts, not with the documents' text (issue #6). `checker extract`
streams the same way without keeping the facts: `checker.caseextract`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from checker.casedocs import CaseDocuments, open_documents
from checker.caseextract import ExtractSummary, extract_case, place
from checker.casemeta import CaseMeta, Publisher
from checker.caseread import ReadCase, read_case
from checker.engine.closure import ClosedScope
from checker.engine.rules import CompiledRule
from checker.errors import CaseInvalid, Problem
from checker.extraction import stream_extraction
from checker.extractsettings import ExtractionRun, superseded, usable
from checker.ingest.document import Document
from checker.ingest.evidence import FileRecord
from checker.ingest.headers import header_facts
from checker.ingest.index import PROGRESS, open_index
from checker.model.claims import Claim, Proposition
from checker.model.entities import EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.review import apply_review

__all__ = [  # what moved to the modules split from this one is still importable here
    "Case",
    "CaseMeta",
    "ExtractSummary",
    "Publisher",
    "extract_case",
    "load_case",
]


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
    facts: list[Fact]
    documents: Mapping[str, Document]
    closed_world: list[ClosedScope]
    manifest: list[FileRecord] = field(default_factory=list)
    # Extraction: every extracted fact after review (rejected ones with status
    # 'rejected'; `facts` holds only those verdicts may use), what the run did,
    # and warnings (review decisions on facts that were not extracted).
    extracted: list[Fact] = field(default_factory=list)
    extraction: ExtractionRun | None = None
    warnings: list[Problem] = field(default_factory=list)
    confirmed_only: bool = False
    superseded: dict[str, str] = field(default_factory=dict)  # extracted id -> analyst fact id

    @property
    def title(self) -> str:
        return self.meta.title or self.root.resolve().name

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
) -> Case:
    """Read and cross-check the case at `root`; raise `CaseInvalid` listing every problem.

    After the analyst and header facts, facts are extracted from the documents'
    text (case.yaml `extraction`; `model` overrides its model; `force_extraction`
    runs even when it is disabled), review.yaml's decisions are applied, and
    suggested facts below the threshold, or all of them when `confirmed_only`,
    are kept out of `Case.facts` (they stay in `Case.extracted` for review), as are
    extracted facts whose passage an analyst fact of the same type already codes.
    With `keep_unused` False (for `check` and `explain`), extracted facts that
    verdicts can never use (below the threshold, or suggested with
    `confirmed_only`, and named by no review decision) are dropped as they are
    read instead of kept in `Case.extracted`: the verdicts are the same.
    `Case.documents` reads documents from the index as they are looked up.
    """
    opened: list[CaseDocuments] = []

    def sources(root: Path, tz: ZoneInfo) -> tuple[Mapping[str, Document], list[Path]]:
        docs = open_documents(root, tz, PROGRESS.get())  # the case index, refreshed first
        opened.append(docs)
        return docs, docs.facts_files()

    try:
        read = read_case(root, sources)
        (documents,) = opened
        return _load(read, documents, model, confirmed_only, force_extraction, keep_unused)
    except BaseException:
        for docs in opened:
            docs.close()
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
    unused = None if keep_unused else confirmed_only
    headers, run, ids = _one_pass(read, documents, model, force_extraction, unused)
    facts = read.facts
    # A duplicate file's paths all map to one Document: its header facts once,
    # in the order of the documents' first paths.
    for entry in documents.entries:
        facts.extend(headers.pop(entry.path, []))

    # -- review decisions ------------------------------------------------------
    known = {f.id for f in facts}
    extracted, warnings = apply_review(run.facts, read.decisions, read.res, known, ids)
    if not (run.enabled and run.available):
        warnings = []  # nothing was extracted, so no decision can apply
    if read.res.problems:
        raise CaseInvalid(read.res.problems)
    threshold = read.meta.extraction.threshold
    covered = superseded(extracted, facts)
    facts.extend(
        f for f in extracted if f.id not in covered and usable(f, threshold, confirmed_only)
    )
    if confirmed_only:  # an analyst file could hold no suggested facts; headers neither
        facts = [f for f in facts if f.status == "confirmed"]
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
        confirmed_only,
        covered,
    )


def _one_pass(
    read: ReadCase,
    documents: CaseDocuments,
    model: str | None,
    force: bool,
    drop_unused: bool | None = None,
) -> tuple[dict[str, list[Fact]], ExtractionRun, list[str] | None]:
    """Each document read once: its header facts (by document path) and its
    extracted facts (in `run.facts`, by document, offset and id), from the
    index's cache or the extractor. Nothing else is kept. `drop_unused` (the
    value of confirmed_only; None: keep every fact) drops the extracted facts
    verdicts cannot use as they come; the ids of all of them, for review's "did
    you mean", are then returned too (when a decision may need them)."""
    headers: dict[str, list[Fact]] = {}
    found: list[tuple[str, list[Fact]]] = []
    entries = sorted(documents.entries, key=lambda e: e.path)  # the order extraction runs in
    wanted = {e.decision.fact for e in read.decisions}
    threshold = read.meta.extraction.threshold
    places: list[tuple[str, int, str]] = []

    def reading() -> Iterator[Document]:
        for doc in documents.survey(entries):
            headers[doc.path] = header_facts(doc, read.entities)
            yield doc

    def keep(doc: Document, facts: list[Fact]) -> None:
        if drop_unused is not None:
            if wanted:
                places.extend(place(f) for f in facts)
            facts = [f for f in facts if f.id in wanted or usable(f, threshold, drop_unused)]
        found.append((f"{doc.id}:{doc.path}", facts))

    docs = reading()
    # The cache is written through a connection of its own: `documents` keeps
    # its snapshot of the index.
    with open_index(read.root, read.tz) as cache:
        run = stream_extraction(
            cache,
            [(e.id, e.path) for e in entries],
            docs,
            read.entities,
            read.types,
            read.meta.extraction,
            keep,
            model,
            force,
        )
    for _ in docs:  # extraction disabled or not installed: the header facts still
        pass
    documents.checkpoint()
    facts = [f for _, mine in sorted(found, key=lambda kf: kf[0]) for f in mine]
    run.facts = sorted(facts, key=place)
    ids = list(dict.fromkeys(fid for *_, fid in sorted(places))) if places else None
    return headers, run, ids
