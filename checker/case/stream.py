"""One pass over a case's documents, shared by `load_case` and `extract_case`.

`open_case` reads and cross-checks the case with its documents in the case
index (refreshed first). `each_document` then reads every document once, in
path order, and hands it on with its header facts and its extracted facts
(from the index's cache, or from the extractor, a few documents at a time
with the workers), so a few documents are in memory at a time whatever the
corpus size. What to keep is the caller's: `load_case` keeps facts,
`extract_case` only counts them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

from checker.case.documents import CaseDocuments, open_documents
from checker.case.read import ReadCase, read_case
from checker.extraction.run import stream_extraction
from checker.extraction.settings import ExtractionRun
from checker.ingest.document import Document
from checker.ingest.headers import header_facts
from checker.ingest.index import PROGRESS, open_index
from checker.model.facts import Fact

# One document, its header facts and its extracted facts (before review).
Each = Callable[[Document, list[Fact], list[Fact]], None]


def open_case(root: Path, *, require_claims: bool = False) -> tuple[ReadCase, CaseDocuments]:
    """The case at `root` read and cross-checked (`CaseInvalid` lists every
    problem; `require_claims`: `NoClaims` when it has none, as `read_case`), and
    its documents, read from the case index as they are looked up. The caller
    closes the documents."""
    opened: list[CaseDocuments] = []

    def sources(root: Path, tz: ZoneInfo) -> tuple[CaseDocuments, list[Path]]:
        docs = open_documents(root, tz, PROGRESS.get())  # the case index, refreshed first
        opened.append(docs)
        return docs, docs.facts_files()

    try:
        read = read_case(root, sources, require_claims=require_claims)
    except BaseException:
        for docs in opened:
            docs.close()
        raise
    (documents,) = opened
    return read, documents


def place(fact: Fact) -> tuple[str, int, str]:
    """Where a listing of extracted facts puts one: by document, offset and id."""
    return (fact.source.doc, fact.source.start, fact.id) if fact.source else ("", 0, fact.id)


def each_document(
    read: ReadCase,
    documents: CaseDocuments,
    each: Each,
    *,
    model: str | None = None,
    force: bool = False,
    outlines: bool = True,
) -> ExtractionRun:
    """Call `each(document, header_facts, extracted_facts)` once for every
    document of the case, in path order (extracted facts are [] when extraction
    is disabled, not installed, or failed on that document: the run's warnings
    say which). `model` overrides case.yaml's; `force` extracts even when
    case.yaml disables it. `outlines` False (for `checker extract`, which cites
    nothing) keeps no outlines. Otherwise, afterwards `documents.outline` answers for every
    document."""
    entries = sorted(documents.entries, key=lambda e: e.path)  # the order extraction runs in
    headers: dict[str, list[Fact]] = {}

    def reading() -> Iterator[Document]:
        for doc in documents.survey(entries) if outlines else documents.read(entries):
            headers[doc.path] = header_facts(doc, read.entities)
            yield doc

    def extracted(doc: Document, facts: list[Fact]) -> None:
        each(doc, headers.pop(doc.path), facts)

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
            extracted,
            model,
            force,
        )
    for doc in docs:  # extraction disabled or not installed: the header facts still
        extracted(doc, [])
    documents.checkpoint()
    return run
