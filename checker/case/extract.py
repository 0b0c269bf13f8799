"""`checker extract` over a whole case in one streaming pass.

`extract_case` gives what `load_case(root, model=model, force_extraction=True)`
would report for `checker extract` (the same index, the same counts and
warnings) without holding the documents or the facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from checker.case.copies import Copies
from checker.case.meta import CaseMeta
from checker.case.stream import each_document, open_case, place
from checker.errors import CaseInvalid, Problem
from checker.extraction.counting import Counting, superseded
from checker.extraction.review import apply_review
from checker.extraction.settings import ExtractionRun
from checker.ingest.document import Document
from checker.model.facts import Fact


@dataclass
class ExtractSummary:
    """What `checker extract` reports, counted as the facts went by."""

    meta: CaseMeta
    run: ExtractionRun
    facts: int = 0  # extracted facts, after review
    suggested: int = 0
    used: int = 0  # suggested facts `check` counts (`checker.extraction.counting`)
    rejected: int = 0
    warnings: list[Problem] = field(default_factory=list)  # review decisions that did not apply

    def count(self, fact: Fact, superseded_by: str | None) -> None:
        """Count one extracted fact; `superseded_by`: the analyst or header fact
        that codes its passage, if any."""
        self.facts += 1
        if fact.status == "suggested":
            self.suggested += 1
            self.used += Counting(self.meta.extraction.threshold).counts(fact, superseded_by)
        elif fact.status == "rejected":
            self.rejected += 1


def extract_case(root: Path, *, model: str | None = None) -> ExtractSummary:
    """What `load_case(root, model=model, force_extraction=True)` does for
    `checker extract`, streaming: the same index and the same counts, without
    holding the documents or the facts.

    Analysts' quotes are checked against the documents they cite, each read from
    the index when cited (a few kept: `CaseDocuments`). Then every document is
    read once, in path order (`checker.case.stream`): its facts are counted with
    its header facts and the analysts' facts on it, and let go. Only facts that
    a review decision names are kept, to apply the decisions at the end. Memory
    grows with the number of files (their paths and keys), not with their text."""
    read, documents = open_case(root)
    try:
        summary = ExtractSummary(read.meta, ExtractionRun(True, True, None, 0.0))
        wanted = {e.decision.fact for e in read.decisions}
        coded: dict[str, list[Fact]] = {}  # analysts' facts by the document they quote
        for f in read.facts:
            if f.source is not None:
                coded.setdefault(f.source.doc, []).append(f)
        known = {f.id for f in read.facts}  # analyst and header ids, for review warnings
        held: list[tuple[Fact, str | None]] = []  # facts a decision names, and their coder
        places: list[tuple[str, int, str]] = []  # every extracted fact's, with decisions only

        copies = Copies(documents, remember=False)

        def each(doc: Document, headers: list[Fact], found: list[Fact]) -> None:
            known.update(f.id for f in headers if f.id in wanted)
            # A copy of an email already read adds no facts (as in load_case); a
            # fact a review decision names is kept for the decision.
            found = [f for f in found if f.id in wanted or copies.first([f])]
            mine = [f for loc in doc.locations or [doc.path] for f in coded.get(loc, [])]
            covered = superseded(found, mine + headers, copies.where)
            for f in found:
                if wanted:
                    places.append(place(f))
                if f.id in wanted:
                    held.append((f, covered.get(f.id)))
                else:
                    summary.count(f, covered.get(f.id))

        summary.run = each_document(
            read, documents, each, model=model, force=True, outlines=False
        )
    finally:
        documents.close()
    run = summary.run
    held.sort(key=lambda fc: place(fc[0]))
    ids = list(dict.fromkeys(fid for *_, fid in sorted(places)))
    reviewed, warnings = apply_review([f for f, _ in held], read.decisions, read.res, known, ids)
    coder = dict((f.id, by) for f, by in held)
    for f in reviewed:
        summary.count(f, coder.get(f.id))
    if run.enabled and run.available:  # else nothing was extracted, so no decision can apply
        summary.warnings = warnings
    if read.res.problems:
        raise CaseInvalid(read.res.problems)
    return summary
