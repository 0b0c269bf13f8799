"""Run the extractor for a case: settings from case.yaml, a cache in the index, thresholds.

The extractor itself lives in `checker.extract` (spaCy is imported only
there). This module decides what it reads and what verdicts may use:

- case.yaml `extraction: {enabled, model, threshold, packs}` (all optional);
  `--model` on the command line overrides `model`.
- Extracted facts are cached in the case index per document (id and path)
  and *extraction version*: a digest of the extractor's code, the model's
  name and installed version, the pattern packs, entities.yaml and the fact
  types. `check` re-extracts only new or changed documents, and everything
  when any of those inputs changes.
- Documents are extracted by a `checker.parallel.Runner` (this process, a pool
  of workers with one spaCy pipeline each, or a Dask cluster); a document the
  extractor fails on is a warning in the run and is tried again next time.
- `stream_extraction` makes one pass over the documents, reading each as the
  work reaches it and handing its facts to a callback, so `checker extract`
  holds a few documents at a time; `run_extraction` (for `check`) collects
  the facts of documents it already holds.
- A suggested fact is used for verdicts when its confidence is at or above
  the threshold (default 0.7) and `--confirmed-only` is not given; reviewed
  facts (`checker review`) are confirmed and always used.
"""

from __future__ import annotations

import hashlib
import importlib
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field

from checker.errors import CheckerError
from checker.ingest.document import Document
from checker.ingest.index import Index, open_index
from checker.model.entities import EntityIndex
from checker.model.facts import Fact, Passage, fact_interval, fact_key
from checker.model.facttypes import FactType
from checker.model.timespan import DateSpan, parse_date
from checker.parallel import RUNNER, Runner

DEFAULT_THRESHOLD = 0.7
DATA = Path(__file__).parent / "data"

Extractor = Callable[..., list[Fact]]


class ExtractionSettings(BaseModel):
    """case.yaml `extraction`: whether to extract facts from document text, with
    which statistical model (an installed package name, e.g. en_core_web_sm;
    none: the pattern packs alone), the confidence at or above which a
    suggested fact may decide a verdict, and extra pattern-pack folders (paths
    from the case root)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    model: str | None = None
    threshold: float = Field(default=DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    packs: list[str] = []


@dataclass
class ExtractionRun:
    """What one extraction did, for `checker extract` and the reports."""

    enabled: bool
    available: bool  # False when checker.extract is not installed
    model: str | None
    threshold: float
    documents: int = 0
    read: int = 0  # documents extracted in this run
    cached: int = 0  # documents whose facts came from the index
    facts: list[Fact] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # documents extraction failed on


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


def usable(fact: Fact, threshold: float, confirmed_only: bool) -> bool:
    """Whether verdicts may rest on `fact` (any origin) under these settings."""
    if fact.status == "confirmed":
        return True
    if fact.status != "suggested" or confirmed_only:
        return False
    return (fact.confidence or 0.0) >= threshold


def superseded(extracted: list[Fact], coded: list[Fact]) -> dict[str, str]:
    """Extracted facts whose passage an analyst already coded as a fact of the same
    type (overlapping quote in the same document), mapped to that fact's id. The
    analyst's coding wins, so one event is never counted twice (e.g. a meeting
    the extractor saw with fewer participants)."""
    spans: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for f in coded:
        if f.source is not None and f.origin != "extractor":
            spans.setdefault((f.type, f.source.doc), []).append(
                (f.source.start, f.source.end, f.id)
            )
    out: dict[str, str] = {}
    for f in extracted:
        if f.source is None:
            continue
        for start, end, fid in spans.get((f.type, f.source.doc), []):
            if start < f.source.end and f.source.start < end:
                out[f.id] = fid
                break
    return out


# -- the extraction version --------------------------------------------------
def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def extraction_version(root: Path, model: str | None, packs: Sequence[Path]) -> str:
    """A digest of everything extraction depends on besides the document itself."""
    digest = hashlib.sha256(b"checker-extraction-1")
    installed = ""
    if model:
        try:
            installed = metadata.version(model)
        except metadata.PackageNotFoundError:
            installed = "not installed"
    digest.update(f"{model}\0{installed}\0".encode())
    inputs = _files(Path(__file__).parent / "extract") + _files(DATA / "patterns")
    inputs += [DATA / "types.yaml", root / "entities.yaml", root / "types.yaml"]
    for folder in packs:
        inputs += _files(folder)
    for path in inputs:
        if path.is_file():
            digest.update(str(path.name).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


# -- facts to and from the cache ----------------------------------------------
def _enc(value: Any) -> Any:
    if isinstance(value, DateSpan):
        return {"date": value.text}
    if isinstance(value, tuple):
        return [_enc(v) for v in value]
    return value


def _dec(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"date"}:
        return parse_date(value["date"])
    if isinstance(value, list):
        return tuple(_dec(v) for v in value)
    return value


def dump_facts(facts: Iterable[Fact]) -> str:
    """Suggested base facts as JSON for the index (derived facts are never cached)."""
    rows = []
    for f in facts:
        source = asdict(f.source) if f.source else None
        rows.append(
            {
                "id": f.id,
                "type": f.type,
                "roles": {k: _enc(v) for k, v in f.roles.items()},
                "status": f.status,
                "origin": f.origin,
                "source": source,
                "confidence": f.confidence,
                "pattern": f.pattern,
                "where": f.where,
            }
        )
    return json.dumps(rows, ensure_ascii=False, sort_keys=True)


def load_facts(text: str, types: dict[str, FactType]) -> list[Fact]:
    """The facts `dump_facts` wrote, with time and identity recomputed."""
    out = []
    for row in json.loads(text):
        roles = {k: _dec(v) for k, v in row["roles"].items()}
        src = row["source"]
        passage = Passage(**{**src, "recipients": tuple(src["recipients"])}) if src else None
        ftype = types.get(row["type"])
        if ftype is None:  # cannot happen for one version; skip rather than guess
            continue
        out.append(
            Fact(
                id=row["id"],
                type=row["type"],
                roles=roles,
                status=row["status"],
                origin=row["origin"],
                source=passage,
                interval=fact_interval(roles, ftype.time_roles()),
                where=row["where"],
                key=fact_key(row["type"], roles),
                confidence=row["confidence"],
                pattern=row["pattern"],
            )
        )
    return out


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


def run_extraction(
    root: Path,
    tz: ZoneInfo,
    documents: dict[str, Document],
    entities: EntityIndex,
    types: dict[str, FactType],
    settings: ExtractionSettings,
    model: str | None = None,
    force: bool = False,
    runner: Runner[ExtractJob] | None = None,
) -> ExtractionRun:
    """Suggested facts for the case's documents, from the index where it holds
    them for this extraction version, else from the extractor (and stored).
    `force` runs even when case.yaml says `enabled: false`. `runner` says where
    documents are extracted (default: the one in `RUNNER`, else this process);
    a document the extractor fails on is a warning in the run, not an error.
    `stream_extraction` does the same without holding documents or facts."""
    docs = sorted({id(d): d for d in documents.values()}.values(), key=lambda d: d.path)
    found: list[tuple[str, list[Fact]]] = []

    def keep(doc: Document, facts: list[Fact]) -> None:
        found.append((f"{doc.id}:{doc.path}", facts))

    with open_index(root, tz) as index:
        ids = [(d.id, d.path) for d in docs]
        run = stream_extraction(
            index, ids, docs, entities, types, settings, keep, model, force, runner
        )
    facts = [f for _, mine in sorted(found, key=lambda kf: kf[0]) for f in mine]
    run.facts = sorted(
        facts, key=lambda f: (f.source.doc, f.source.start, f.id) if f.source else ("", 0, f.id)
    )
    return run


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
    extract = extractor()
    if not run.enabled or extract is None:
        run.available = extract is not None
        return run
    packs = [index.root / p for p in settings.packs]
    version = extraction_version(index.root, model, packs)
    keys = [f"{doc_id}:{path}" for doc_id, path in ids]
    run.documents = len(keys)
    cached = index.extracted_keys(version)
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
