"""Read a case folder in two phases: read every file, then cross-check.

Phase one reads case.yaml, entities.yaml, types, rules, claims and evidence,
collecting syntax and schema problems. Phase two resolves every reference
(entities, fact types, roles, documents, quotes) and collects those
problems too. If anything is wrong, `CaseInvalid` lists it all at once.
Where the evidence comes from (the documents by location, the facts files)
is the caller's choice: `Sources`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from checker import data
from checker.case.crosscheck import (
    analyst_facts,
    closed_world,
    compile_rules,
    entity_index,
    fact_types,
    resolve_claims,
)
from checker.case.documents import CaseDocuments
from checker.case.meta import CaseMeta
from checker.engine.closure import ClosedScope
from checker.engine.rules import CompiledRule
from checker.errors import CaseInvalid, CaseNotFound, NoClaims, Problem, did_you_mean
from checker.extraction.review import Entry, read_review
from checker.model.claims import Claim, Proposition
from checker.model.entities import Entity, EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.model.resolve import Resolver
from checker.schema import validate
from checker.yamlfile import LineDict, YamlError, load_yaml


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
        if path.is_relative_to(self.root) and not path.resolve().is_relative_to(
            self.root.resolve()
        ):
            # A case file that links out of the case (claims/x.yaml -> /elsewhere) would
            # make the case depend on, and read, files nobody sees in its folder.
            self.problems.append(
                Problem(
                    shown,
                    1,
                    "is a link to a file outside the case folder; copy the file into the case",
                )
            )
            return [] if want_list else None
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


# Where `read_case` gets the evidence, once it knows the case's timezone: the
# documents by location (for checking analysts' quotes) and the facts files.
Sources = Callable[[Path, ZoneInfo], tuple["CaseDocuments", list[Path]]]


@dataclass
class ReadCase:
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


def read_case(root: Path, sources: Sources, *, require_claims: bool = False) -> ReadCase:
    """Phases one and two: read every file, then cross-check; `CaseInvalid` lists
    every problem.

    A case needs no claims to be read: a desk ingests, extracts and reviews a
    production before it writes any. `require_claims` is for judging them
    (`check`, `explain`): a case whose claims/ holds no claim, in files that are
    themselves well formed, raises `NoClaims` before the evidence is read."""
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

    type_items = r.items(data.TYPES, "checker/data/types.yaml")
    builtin_types = {t.get("type") for _, t in type_items if isinstance(t, dict)}
    if (root / "types.yaml").is_file():
        type_items += r.items(root / "types.yaml")
    rule_items = r.items(data.RULES, "checker/data/rules.yaml")
    for path in sorted((root / "rules").glob("*.yaml")) if (root / "rules").is_dir() else []:
        rule_items += r.items(path)
    # No claims is a case still being read and coded, not a problem; checking
    # one is (`require_claims`). A claims file that is not a list is a problem.
    claim_items: list[tuple[str, Any]] = []
    claim_files = sorted((root / "claims").glob("*.yaml")) if (root / "claims").is_dir() else []
    before = len(r.problems)
    for path in claim_files:
        claim_items += r.items(path)
    if require_claims and not claim_items and len(r.problems) == before:
        raise NoClaims(root)  # before the evidence is read: there is nothing to check
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
    return ReadCase(root, meta, tz, index, types, res, rules, claims, facts, closed, decisions)
