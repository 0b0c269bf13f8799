"""Load a case for the engine: read and cross-check it, add header and extracted
facts, apply review decisions.

Reading and cross-checking is `checker.caseread` (every problem listed at
once, `CaseInvalid`); case.yaml is `checker.casemeta`; `checker extract`'s
streaming pass over the documents is `checker.caseextract`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from checker.caseextract import ExtractSummary, extract_case
from checker.casemeta import CaseMeta, Publisher
from checker.caseread import read_case
from checker.engine.closure import ClosedScope
from checker.engine.rules import CompiledRule
from checker.errors import CaseInvalid, Problem
from checker.extraction import run_extraction
from checker.extractsettings import ExtractionRun, superseded, usable
from checker.ingest.document import Document
from checker.ingest.evidence import Evidence, FileRecord
from checker.ingest.headers import header_facts
from checker.ingest.index import load_evidence
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
    """A loaded, cross-checked case, ready for the engine."""

    root: Path
    meta: CaseMeta
    entities: EntityIndex
    types: dict[str, FactType]
    rules: list[CompiledRule]
    claims: list[tuple[Claim, Proposition]]
    facts: list[Fact]
    documents: dict[str, Document]
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


def load_case(
    root: Path,
    *,
    model: str | None = None,
    confirmed_only: bool = False,
    force_extraction: bool = False,
) -> Case:
    """Read and cross-check the case at `root`; raise `CaseInvalid` listing every problem.

    After the analyst and header facts, facts are extracted from the documents'
    text (case.yaml `extraction`; `model` overrides its model; `force_extraction`
    runs even when it is disabled), review.yaml's decisions are applied, and
    suggested facts below the threshold, or all of them when `confirmed_only`,
    are kept out of `Case.facts` (they stay in `Case.extracted` for review), as are
    extracted facts whose passage an analyst fact of the same type already codes.
    `Case.documents` holds every document: `extract_case` is the streaming path.
    """
    evidence = Evidence()

    def sources(root: Path, tz: ZoneInfo) -> tuple[Mapping[str, Document], list[Path]]:
        nonlocal evidence
        evidence = load_evidence(root, tz)  # the case index, refreshed first
        return evidence.documents, evidence.facts_files

    read = read_case(root, sources)
    facts = read.facts
    # A duplicate file's paths all map to one Document: its header facts once.
    for doc in {id(d): d for d in evidence.documents.values()}.values():
        facts.extend(header_facts(doc, read.entities))

    # -- extraction, then review decisions ------------------------------------
    run = run_extraction(
        read.root,
        read.tz,
        evidence.documents,
        read.entities,
        read.types,
        read.meta.extraction,
        model=model,
        force=force_extraction,
    )
    known = {f.id for f in facts}
    extracted, warnings = apply_review(run.facts, read.decisions, read.res, known)
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
        evidence.documents,
        read.closed,
        evidence.manifest,
        extracted,
        run,
        warnings,
        confirmed_only,
        covered,
    )
