"""Load a case folder in two phases: read every file, then cross-check.

Phase one reads case.yaml, entities.yaml, types, rules, claims and evidence,
collecting syntax and schema problems. Phase two resolves every reference
(entities, fact types, roles, documents, quotes) and collects those
problems too. If anything is wrong, `CaseInvalid` lists it all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import BaseModel, ConfigDict, field_validator

from checker.crosscheck import (
    analyst_facts,
    closed_world,
    compile_rules,
    entity_index,
    fact_types,
    resolve_claims,
)
from checker.engine.closure import ClosedScope
from checker.engine.rules import CompiledRule
from checker.errors import CaseInvalid, CaseNotFound, Problem, did_you_mean
from checker.extraction import (
    ExtractionRun,
    ExtractionSettings,
    run_extraction,
    stream_extraction,
    superseded,
    usable,
)
from checker.ingest.document import Document
from checker.ingest.evidence import Evidence, FileRecord
from checker.ingest.headers import header_facts
from checker.ingest.index import PROGRESS, Index, load_evidence, open_index
from checker.model.claims import Claim, Proposition
from checker.model.entities import Entity, EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.model.timespan import parse_date
from checker.resolve import Resolver
from checker.review import Entry, apply_review, read_review
from checker.schema import validate
from checker.yamlfile import LineDict, YamlError, load_yaml

DATA = Path(__file__).parent / "data"


class Publisher(BaseModel):
    """case.yaml `publisher`: the fact-checking organisation that publishes the verdicts
    (the ClaimReview `author`)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    url: str | None = None


class CaseMeta(BaseModel):
    """case.yaml. `url`, `publisher` and `date_published` are for published
    reports (ClaimReview): where the verdicts appear, who publishes them, and when.
    `extraction` (optional) sets how facts are extracted from document text:
    `{enabled: true, model: null, threshold: 0.7, packs: []}` by default
    (see `checker.extraction.ExtractionSettings`)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    timezone: str = "UTC"
    description: str | None = None
    url: str | None = None
    publisher: Publisher | None = None
    date_published: str | None = None
    closed_world: list[dict[str, Any]] = []
    extraction: ExtractionSettings = ExtractionSettings()

    @field_validator("date_published", mode="before")
    @classmethod
    def _a_date(cls, value: object) -> object:
        # YAML reads `2024` as a number; a year is a valid date here.
        text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
        if isinstance(text, str):
            parse_date(text)  # ValueError says how to write a date
        return text


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


class _Reader:
    """Collects raw files and problems for one case folder."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[Problem] = []

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def yaml(self, path: Path, shown_as: str | None = None, want_list: bool = False) -> Any:
        shown = shown_as or self.rel(path)
        try:
            data = load_yaml(path, shown)
        except YamlError as err:
            self.problems.append(err.problem)
            return None
        if want_list and data is not None and not isinstance(data, list):
            self.problems.append(
                Problem(
                    shown,
                    getattr(data, "line", 1) or 1,
                    "expected a list of entries (each starting with '- ')",
                )
            )
            return None
        return data or ([] if want_list else None)

    def items(self, path: Path, shown_as: str | None = None) -> list[tuple[str, Any]]:
        shown = shown_as or self.rel(path)
        return [(shown, item) for item in self.yaml(path, shown, want_list=True) or []]


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

    read = _read_case(root, sources)
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


# Where `_read_case` gets the evidence, once it knows the case's timezone: the
# documents by location (for checking analysts' quotes) and the facts files.
Sources = Callable[[Path, ZoneInfo], tuple[Mapping[str, Document], list[Path]]]


@dataclass
class _Read:
    """A case read and cross-checked, before any extraction."""

    root: Path
    meta: CaseMeta
    tz: ZoneInfo
    entities: EntityIndex
    types: dict[str, FactType]
    res: Resolver
    rules: list[CompiledRule]
    claims: list[tuple[Claim, Proposition]]
    facts: list[Fact]  # the analysts' facts
    closed: list[ClosedScope]
    decisions: list[Entry]


def _read_case(root: Path, sources: Sources) -> _Read:
    """Phases one and two: read every file, then cross-check; `CaseInvalid` lists
    every problem."""
    root = Path(root)
    if not root.is_dir():
        raise CaseNotFound(root, "no such folder")
    if not (root / "entities.yaml").is_file() and not (root / "claims").is_dir():
        raise CaseNotFound(root, "no entities.yaml and no claims/ folder here")
    r = _Reader(root)

    # -- phase one: read everything ----------------------------------------
    meta_raw = r.yaml(root / "case.yaml") if (root / "case.yaml").is_file() else LineDict()
    meta = validate(CaseMeta, meta_raw or LineDict(), "case.yaml", r.problems) or CaseMeta()
    try:
        tz = ZoneInfo(meta.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.problems.append(
            Problem(
                "case.yaml",
                getattr(meta_raw, "key_lines", {}).get("timezone", 1),
                f"unknown timezone '{meta.timezone}'; use an IANA name such as "
                "America/New_York or UTC." + did_you_mean(meta.timezone, available_timezones()),
            )
        )
        tz = ZoneInfo("UTC")

    if not (root / "entities.yaml").is_file():
        r.problems.append(
            Problem(
                "entities.yaml",
                1,
                "missing; every case needs entities.yaml listing who is who (see the README)",
            )
        )
    entities: list[tuple[Entity, Any]] = []
    unreported: set[str] = set()  # names of entities already reported as invalid
    n_problems = len(r.problems)
    entity_items = r.items(root / "entities.yaml") if (root / "entities.yaml").is_file() else []
    if len(r.problems) > n_problems or not (root / "entities.yaml").is_file():
        unreported.add("*")  # no usable entities.yaml: one problem, not one per reference
    for shown, raw in entity_items:
        e = validate(Entity, raw, shown, r.problems)
        if e:
            entities.append((e, raw))
        elif isinstance(raw, dict):
            labels = [raw.get("id"), raw.get("name"), *(raw.get("aliases") or [])]
            unreported.update(str(x).casefold() for x in labels if x)

    type_items = r.items(DATA / "types.yaml", "checker/data/types.yaml")
    builtin_types = {t.get("type") for _, t in type_items if isinstance(t, dict)}
    if (root / "types.yaml").is_file():
        type_items += r.items(root / "types.yaml")
    rule_items = r.items(DATA / "rules.yaml", "checker/data/rules.yaml")
    for path in sorted((root / "rules").glob("*.yaml")) if (root / "rules").is_dir() else []:
        rule_items += r.items(path)
    claim_items: list[tuple[str, Any]] = []
    claim_files = sorted((root / "claims").glob("*.yaml")) if (root / "claims").is_dir() else []
    if not claim_files:
        r.problems.append(
            Problem(
                "claims/", 1, "no claims: add claims/*.yaml with at least one statement to check"
            )
        )
    for path in claim_files:
        before, items = len(r.problems), r.items(path)
        if not items and len(r.problems) == before:
            r.problems.append(
                Problem(
                    r.rel(path),
                    1,
                    "no claims in this file; write a list of "
                    "claims (- id: ..., speaker: ..., quote: ..., asserts: ...)",
                )
            )
        claim_items += items
    documents, facts_files = sources(root, tz)
    fact_items: list[tuple[str, Any]] = []
    for path in facts_files:
        fact_items += r.items(path)
    decisions = read_review(root, r.problems)

    # -- phase two: cross-check ----------------------------------------------
    index = entity_index(entities, unreported, r.problems)
    types = fact_types(type_items, builtin_types, r.problems)
    res = Resolver(index, types, unreported)
    rules = compile_rules(rule_items, res)
    claims = resolve_claims(claim_items, res)
    facts = analyst_facts(fact_items, res, documents)
    closed = closed_world(meta_raw, res, root)
    for pack in meta.extraction.packs:
        if not (root / pack).is_dir():
            res.problem(
                "case.yaml",
                getattr(meta_raw, "key_lines", {}).get("extraction", 1),
                f"extraction pack folder '{pack}' does not exist (paths are from the case root)",
            )
    problems = r.problems + res.problems
    if problems:
        raise CaseInvalid(problems)
    return _Read(root, meta, tz, index, types, res, rules, claims, facts, closed, decisions)


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


def _place(fact: Fact) -> tuple[str, int, str]:
    """Where `Case.extracted` puts a fact: by document, offset and id."""
    return (fact.source.doc, fact.source.start, fact.id) if fact.source else ("", 0, fact.id)


def extract_case(root: Path, *, model: str | None = None) -> ExtractSummary:
    """What `load_case(root, model=model, force_extraction=True)` does for
    `checker extract`, streaming: the same index and the same counts, without
    holding the documents or the facts.

    Analysts' quotes are checked against the documents they cite, each read from
    the index when cited. Then every document is read once, in path order: its
    facts are taken from the index or extracted (a few documents at a time go to
    the workers), then counted with its header facts and the analysts' facts on
    it, and let go. Only facts that a review decision names are kept, to apply
    the decisions at the end. Memory grows with the number of files (their paths
    and keys), not with their text."""
    with ExitStack() as stack:
        opened: list[Index] = []

        def sources(root: Path, tz: ZoneInfo) -> tuple[Mapping[str, Document], list[Path]]:
            index = stack.enter_context(open_index(root, tz))
            opened.append(index)
            index.update(PROGRESS.get())  # the case index, refreshed first
            return index.cited(), index.facts_files()

        read = _read_case(root, sources)
        (index,) = opened
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
                    places.append(_place(f))
                if f.id in wanted:
                    held.append((f, f.id in covered))
                else:
                    summary.count(f, f.id in covered)

        entries = sorted(index.entries(), key=lambda e: e.path)  # as run_extraction sorts
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
    held.sort(key=lambda fc: _place(fc[0]))
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
