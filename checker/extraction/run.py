"""Run the extractor over a case's documents, with the index as its cache.

The extractor itself lives in `checker.extract` (spaCy is imported only
there); what extraction is asked to do and which facts verdicts may use is
`checker.extraction.settings` and `checker.extraction.counting`; the cache's
version and format are `checker.extraction.cache`. This module runs it:

- Extracted facts are cached in the case index per document (id and path)
  and extraction version. `check` re-extracts only new or changed documents,
  and everything when the version changes.
- Documents are extracted by a `checker.parallel.Runner` (this process, a pool
  of workers with one spaCy pipeline each, or a Dask cluster); a document the
  extractor fails on is a warning in the run and is tried again next time.
- `stream_extraction` makes one pass over the documents, reading each as the
  work reaches it and handing its facts to a callback, so a few documents are
  in memory at a time (`checker.case.stream` uses it).
"""

from __future__ import annotations

import importlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.errors import CheckerError
from checker.extraction.cache import dump_facts, extraction_version, load_facts
from checker.extraction.settings import ExtractionRun, ExtractionSettings
from checker.ingest.document import Document
from checker.ingest.index import Index
from checker.model.entities import EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.parallel import RUNNER, Runner

Extractor = Callable[..., list[Fact]]


def extractor() -> Extractor | None:
    """`checker.extract.extract_facts`, or None when the extractor is not installed.
    Tests replace this function to supply a fake extractor."""
    try:
        module = importlib.import_module("checker.extract")
    except ImportError as err:
        if err.name == "checker.extract":
            return None
        raise
    found: Extractor | None = getattr(module, "extract_facts", None)  # None: not complete yet
    return found


# -- one document, in whichever process runs it ---------------------------------
@dataclass(frozen=True)
class ExtractJob:
    """What every document's extraction shares; sent to each worker once."""

    extract: Extractor
    entities: EntityIndex
    types: dict[str, FactType]
    model: str | None
    packs: tuple[Path, ...]
    version: str


# This process's pipeline, for the job it was built for (a worker gets its job
# once, so it builds the pipeline once). The job is kept so that ids stay unique.
Pipe = Callable[[list[Document]], list[Fact]]
_PIPELINE: dict[tuple[Any, ...], tuple[ExtractJob, Pipe]] = {}


def _qualname(fn: Any) -> str:
    return f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', '')}"


def _pipeline(job: ExtractJob) -> Pipe:
    """Facts from a few documents, with the spaCy pipeline built once per process."""
    key = (job.version, id(job.extract), id(job.entities), id(job.types))
    if key in _PIPELINE:
        return _PIPELINE[key][1]
    pipe: Pipe
    if _qualname(job.extract) == "checker.extract.pipeline.extract_facts":
        from checker.extract.pipeline import Extractor as Pipeline

        built = Pipeline(job.entities, job.types, job.model, job.packs)

        def pipe(docs: list[Document]) -> list[Fact]:
            return sorted(built.documents(docs), key=_order)  # as extract_facts sorts

    else:  # a stand-in (tests)

        def pipe(docs: list[Document]) -> list[Fact]:
            return job.extract(docs, job.entities, job.types, model=job.model, packs_dirs=job.packs)

    _PIPELINE.clear()  # one case at a time: never hold two pipelines
    _PIPELINE[key] = (job, pipe)
    return pipe


def _cached_only(*_: Any, **__: Any) -> list[Fact]:
    """The extractor of a run with nothing to extract: never called."""
    raise AssertionError("every document's facts are in the cache")


def _text_size(doc: Document) -> int:
    return len(doc.text)


def _order(fact: Fact) -> tuple[str, int, str, str]:
    """The order extract_facts gives."""
    path, _, at = fact.where.rpartition(":")
    return (path, int(at), fact.pattern or "", fact.id)


def _extract_batch(job: ExtractJob, docs: list[Document]) -> list[tuple[str, str | None]]:
    """Each document's facts as the index stores them, or a warning where the
    extractor failed on it. A batch that fails is done again one document at a
    time, so one bad document costs only its own facts. A `CheckerError` (a bad
    pack, a missing model) is the case's fault, not a document's, and is raised."""
    pipe = _pipeline(job)
    try:
        found = pipe(docs)
    except CheckerError:
        raise
    except Exception as err:  # noqa: BLE001 - one bad document must not stop the rest
        if len(docs) > 1:
            return [r for doc in docs for r in _extract_batch(job, [doc])]
        return [
            (
                "",
                f"extraction failed on {docs[0].path} ({type(err).__name__}: {err}); "
                "its facts are missing, and it is tried again on the next run.",
            )
        ]
    by_doc: dict[str, list[Fact]] = {}
    for fact in found:
        by_doc.setdefault(fact.source.doc if fact.source else "", []).append(fact)
    out: list[tuple[str, str | None]] = []
    for doc in docs:
        mine = [f for p in [doc.path, *doc.locations] for f in by_doc.pop(p, [])]
        out.append((dump_facts(mine), None))
    return out


# -- running -------------------------------------------------------------------
Each = Callable[[Document, list[Fact]], None]


def stream_extraction(
    index: Index,
    ids: Sequence[tuple[str, str]],
    documents: Iterable[Document],
    entities: EntityIndex,
    types: dict[str, FactType],
    settings: ExtractionSettings,
    each: Each,
    model: str | None = None,
    force: bool = False,
    runner: Runner[ExtractJob] | None = None,
) -> ExtractionRun:
    """Extract `documents` (each document once, sorted by path; `ids` lists
    their (id, path) in the same order, so nothing is read to plan the run),
    in one pass: `each(document, facts)` is called once per document with its
    facts, cached or new, and the documents are read from `documents` only as
    the work needs them, so a few are in memory at a time whatever the corpus
    size. The index's cache ends up holding every document's facts for this
    extraction version, in key order. `run.facts` stays empty: `each` decides
    what to keep. Nothing is read when extraction is disabled or not installed."""
    model = model or settings.model
    run = ExtractionRun(settings.enabled or force, True, model, settings.threshold)
    if not run.enabled:
        run.available = extractor() is not None
        return run
    packs = [index.root / p for p in settings.packs]
    version = extraction_version(index.root, model, packs)
    keys = [f"{doc_id}:{path}" for doc_id, path in ids]
    cached = index.extracted_keys(version)
    # The extractor (spaCy) is imported only when a document is left to extract:
    # a run whose facts all come from the cache does without it. The version
    # digests checker/extract's files, so a cache exists only where they do.
    extract = extractor() if not set(keys) <= cached else _cached_only
    if extract is None:
        run.available = False
        return run
    run.documents = len(keys)
    # A document whose bytes another one has too (another reader) is read once,
    # the last of them in path order: the same passages would give facts with
    # the same ids. The others get no facts.
    last: dict[str, str] = {}
    for (doc_id, path), key in zip(ids, keys, strict=True):
        if key not in cached:
            last[doc_id or path] = key
    chosen = set(last.values())
    todo = sum(1 for k in keys if k not in cached)
    run.cached = len(keys) - todo
    sent: deque[Document] = deque()  # documents with the runner, in order

    def to_extract() -> Iterator[Document]:
        """The documents to extract; the rest are done on the way."""
        for doc in documents:
            key = f"{doc.id}:{doc.path}"
            if key in cached:
                row = index.extracted(key, version)
                each(doc, load_facts(row, types) if row is not None else [])
            elif key in chosen:
                sent.append(doc)
                yield doc
            else:
                index.add_extracted(key, "[]")
                run.read += 1
                each(doc, [])

    job = ExtractJob(extract, entities, types, model, tuple(packs), version)
    runner = runner or RUNNER.get() or Runner()
    try:
        results = runner.map_batches(
            _extract_batch, to_extract(), job, ["checker.extract"], weight=_text_size
        )
        for found, warning in results:
            doc = sent.popleft()
            if warning is not None:  # not cached: tried again next time
                run.warnings.append(warning)
                each(doc, [])
            else:
                index.add_extracted(f"{doc.id}:{doc.path}", found)
                run.read += 1
                each(doc, load_facts(found, types))
        if todo or not cached <= set(keys):
            index.keep_extracted(version, keys)
    finally:
        index.drop_extracted()
    return run
