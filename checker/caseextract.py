"""`checker extract` over a whole case in one streaming pass (issue #6).

`extract_case` gives what `load_case(root, model=model, force_extraction=True)`
would report for `checker extract` (the same index, the same counts and
warnings) without holding the documents or the facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from checker.casedocs import CaseDocuments
from checker.casemeta import CaseMeta
from checker.caseread import read_case
from checker.errors import CaseInvalid, Problem
from checker.extraction import stream_extraction
from checker.extractsettings import ExtractionRun, superseded, usable
from checker.ingest.document import Document
from checker.ingest.headers import header_facts
from checker.ingest.index import PROGRESS, open_index
from checker.model.facts import Fact
from checker.review import apply_review


@dataclass
class ExtractSummary:
    """What `checker extract` reports, counted as the facts went by."""

    meta: CaseMeta
    run: ExtractionRun
    facts: int = 0  # extracted facts, after review
    suggested: int = 0
    used: int = 0  # suggested facts `check` uses (at or above the threshold, not superseded)
    rejected: int = 0
    warnings: list[Problem] = field(default_factory=list)  # review decisions that did not apply

    def count(self, fact: Fact, covered: bool) -> None:
        """Count one extracted fact; `covered`: an analyst or header fact codes its passage."""
        self.facts += 1
        if fact.status == "suggested":
            self.suggested += 1
            threshold = self.meta.extraction.threshold
            self.used += not covered and usable(fact, threshold, confirmed_only=False)
        elif fact.status == "rejected":
            self.rejected += 1


def place(fact: Fact) -> tuple[str, int, str]:
    """Where `Case.extracted` puts a fact: by document, offset and id."""
    return (fact.source.doc, fact.source.start, fact.id) if fact.source else ("", 0, fact.id)


def extract_case(root: Path, *, model: str | None = None) -> ExtractSummary:
    """What `load_case(root, model=model, force_extraction=True)` does for
    `checker extract`, streaming: the same index and the same counts, without
    holding the documents or the facts.

    Analysts' quotes are checked against the documents they cite, each read from
    the index when cited (a few kept: `CaseDocuments`). Then every document is
    read once, in path order: its facts are taken from the index or extracted (a
    few documents at a time go to the workers), then counted with its header
    facts and the analysts' facts on it, and let go. Only facts that a review
    decision names are kept, to apply the decisions at the end. Memory grows with
    the number of files (their paths and keys), not with their text."""
    with ExitStack() as stack:
        opened: list[CaseDocuments] = []

        def sources(root: Path, tz: ZoneInfo) -> tuple[Mapping[str, Document], list[Path]]:
            index = stack.enter_context(open_index(root, tz))
            index.update(PROGRESS.get())  # the case index, refreshed first
            opened.append(CaseDocuments(index))  # analysts' documents: a few kept
            return opened[0], index.facts_files()

        read = read_case(root, sources)
        (documents,) = opened
        index = documents.index
        summary = ExtractSummary(read.meta, ExtractionRun(True, True, None, 0.0))
        wanted = {e.decision.fact for e in read.decisions}
        coded: dict[str, list[Fact]] = {}  # analysts' facts by the document they quote
        for f in read.facts:
            if f.source is not None:
                coded.setdefault(f.source.doc, []).append(f)
        known = {f.id for f in read.facts}  # analyst and header ids, for review warnings
        held: list[tuple[Fact, bool]] = []  # facts a decision names, and whether covered
        places: list[tuple[str, int, str]] = []  # every extracted fact's, with decisions only

        def each(doc: Document, found: list[Fact]) -> None:
            headers = header_facts(doc, read.entities)
            known.update(f.id for f in headers if f.id in wanted)
            mine = [f for loc in doc.locations or [doc.path] for f in coded.get(loc, [])]
            covered = superseded(found, mine + headers)
            for f in found:
                if wanted:
                    places.append(place(f))
                if f.id in wanted:
                    held.append((f, f.id in covered))
                else:
                    summary.count(f, f.id in covered)

        entries = sorted(documents.entries, key=lambda e: e.path)  # by path, as extraction runs
        summary.run = stream_extraction(
            index,
            [(e.id, e.path) for e in entries],
            index.read(entries),
            read.entities,
            read.types,
            read.meta.extraction,
            each,
            model=model,
            force=True,
        )
    run = summary.run
    held.sort(key=lambda fc: place(fc[0]))
    ids = list(dict.fromkeys(fid for *_, fid in sorted(places)))
    reviewed, warnings = apply_review([f for f, _ in held], read.decisions, read.res, known, ids)
    covered = {f.id for f, c in held if c}
    for f in reviewed:
        summary.count(f, f.id in covered)
    if run.enabled and run.available:  # else nothing was extracted, so no decision can apply
        summary.warnings = warnings
    if read.res.problems:
        raise CaseInvalid(read.res.problems)
    return summary
