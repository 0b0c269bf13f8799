"""Phase two of loading a case: resolve and cross-check what phase one read.

Each function takes raw YAML items (with line numbers) and returns resolved
objects, appending a `Problem` for everything wrong instead of raising, so
one run reports every problem in a case.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker.case.documents import CaseDocuments
from checker.engine.closure import ClosedScope
from checker.engine.rules import CompiledRule, Rule, unbound_variables
from checker.errors import Problem, did_you_mean
from checker.ingest.document import Document
from checker.ingest.records import part_at
from checker.model.claims import Claim, Proposition
from checker.model.entities import Entity, EntityIndex
from checker.model.facts import Fact, fact_interval, fact_key
from checker.model.facttypes import FactType
from checker.model.patterns import Pattern
from checker.model.resolve import Resolver
from checker.schema import validate
from checker.yamlfile import LineDict


def _line(raw: Any) -> int:
    return getattr(raw, "line", 1) or 1


def entity_index(
    items: list[tuple[Entity, Any]], unreported: set[str], problems: list[Problem]
) -> EntityIndex:
    seen: dict[str, int] = {}
    entities = [e for e, _ in items]
    lines = {id(e): _line(raw) for e, raw in items}
    for e, raw in items:
        line = _line(raw)
        if e.id in seen:
            problems.append(
                Problem(
                    "entities.yaml",
                    line,
                    f"duplicate entity id '{e.id}' "
                    f"(first on line {seen[e.id]}); ids must be unique",
                )
            )
        seen.setdefault(e.id, line)
    index = EntityIndex(entities)
    fixed: list[Entity] = []
    for e, raw in items:
        update = {}
        for rel in ("member_of", "part_of"):
            ids = []
            for ref in getattr(e, rel):
                eid = index.resolve(ref)
                if eid is not None:
                    ids.append(eid)
                elif str(ref).casefold() not in unreported:
                    line = raw.key_lines.get(rel, _line(raw)) if isinstance(raw, LineDict) else 1
                    problems.append(
                        Problem(
                            "entities.yaml", line, f"{e.id}: {rel}: " + index.unknown_message(ref)
                        )
                    )
            update[rel] = ids
        fixed.append(e.model_copy(update=update))
    index = EntityIndex(fixed)
    for cycle in index.cycles():
        first = cycle[0]
        line = next((lines[id(e)] for e in entities if e.id == first), 1)
        problems.append(
            Problem(
                "entities.yaml",
                line,
                "membership cycle: "
                + " -> ".join([*cycle, first])
                + "; member_of/part_of must not lead back to an entity",
            )
        )
    return index


def fact_types(
    items: list[tuple[str, Any]], builtin: set[Any], problems: list[Problem]
) -> dict[str, FactType]:
    out: dict[str, FactType] = {}
    for shown, raw in items:
        t = validate(FactType, raw, shown, problems)
        if t is None:
            continue
        if t.type in out:
            what = "a built-in type" if t.type in builtin else "defined twice"
            problems.append(
                Problem(shown, _line(raw), f"fact type '{t.type}' is {what}; choose another name")
            )
            continue
        out[t.type] = t
    return out


def compile_rules(items: list[tuple[str, Any]], res: Resolver) -> list[CompiledRule]:
    out: list[CompiledRule] = []
    seen: set[str] = set()
    for shown, raw in items:
        rule = validate(Rule, raw, shown, res.problems)
        if rule is None:
            continue
        if rule.id in seen:
            res.problem(shown, _line(raw), f"duplicate rule id '{rule.id}'")
            continue
        seen.add(rule.id)
        maybe = [res.pattern(p, shown, allow_vars=True) for p in raw["when"]]
        head = res.pattern(raw["derive"], shown, allow_vars=True)
        body = tuple(p for p in maybe if p is not None)
        if head is None or len(body) != len(maybe):
            continue
        compiled = CompiledRule(rule.id, body, head, rule.explain, f"{shown}:{_line(raw)}")
        unbound = unbound_variables(compiled)
        if unbound:
            res.problem(
                shown,
                _line(raw),
                f"rule '{rule.id}': derive uses "
                f"{', '.join('$' + u for u in unbound)}, which no 'when' pattern binds",
            )
            continue
        out.append(compiled)
    return out


def resolve_claims(items: list[tuple[str, Any]], res: Resolver) -> list[tuple[Claim, Proposition]]:
    out: list[tuple[Claim, Proposition]] = []
    seen: dict[str, str] = {}
    for shown, raw in items:
        claim = validate(Claim, raw, shown, res.problems)
        if claim is None:
            continue
        where = f"{shown}:{_line(raw)}"
        if claim.id in seen:
            res.problem(
                shown, _line(raw), f"duplicate claim id '{claim.id}' (first at {seen[claim.id]})"
            )
            continue
        seen[claim.id] = where
        speaker = res.entity(claim.speaker, shown, raw.key_lines.get("speaker", _line(raw)))
        if speaker is not None:
            claim = claim.model_copy(update={"speaker": speaker})
        if claim.said_on is not None:
            res.date(claim.said_on, shown, raw.key_lines.get("said_on", _line(raw)))
        prop = res.proposition(raw["asserts"], shown)
        if prop is not None:
            out.append((claim, prop))
    return out


def analyst_facts(
    items: list[tuple[str, Any]], res: Resolver, docs: CaseDocuments
) -> list[Fact]:
    out: list[Fact] = []
    seen: dict[str, str] = {}
    for shown, raw in items:
        line = _line(raw)
        if not isinstance(raw, dict):
            res.problem(shown, line, "expected a fact: {id, fact, roles..., source: {doc, quote}}")
            continue
        fid, src = raw.get("id"), raw.get("source")
        if not isinstance(fid, str) or not fid:
            res.problem(shown, line, "fact has no 'id'; give every fact a unique id")
            continue
        if fid in seen:
            res.problem(shown, line, f"duplicate fact id '{fid}' (first at {seen[fid]})")
            continue
        seen[fid] = f"{shown}:{line}"
        pattern = res.pattern(raw, shown, extra=("id", "source", "note"))
        passage = _source(src, shown, raw, res, docs)
        if pattern is None or passage is None:
            continue
        if pattern.scope is not None:
            res.problem(
                shown,
                line,
                f"fact '{fid}' has '{pattern.scope.kind}'; a fact states "
                "its time in its date roles, not with a time scope",
            )
            continue
        ftype = res.types[pattern.type]
        first, last = pattern.roles.get("from"), pattern.roles.get("to")
        if ftype.is_interval() and first and last and last.end < first.start:
            res.problem(
                shown,
                line,
                f"fact '{fid}' ends ({last}) before it begins ({first}); check the from/to dates",
            )
            continue
        out.append(
            Fact(
                id=fid,
                type=pattern.type,
                roles=pattern.roles,
                status="confirmed",
                origin="analyst",
                source=passage,
                interval=fact_interval(pattern.roles, ftype.time_roles()),
                where=f"{shown}:{line}",
                key=fact_key(pattern.type, pattern.roles),
            )
        )
    return out


def _source(src: Any, shown: str, raw: Any, res: Resolver, docs: CaseDocuments) -> Any:
    line = raw.key_lines.get("source", _line(raw)) if isinstance(raw, LineDict) else _line(raw)
    if not isinstance(src, dict) or set(src) - {"doc", "quote"} or not {"doc", "quote"} <= set(src):
        res.problem(shown, line, "'source' takes exactly {doc: PATH, quote: \"exact passage\"}")
        return None
    doc_path, quote = str(src["doc"]), str(src["quote"])
    doc_path = doc_path.removeprefix("./")  # "./evidence/x.eml" names evidence/x.eml
    path, _, n = doc_path.rpartition("#")
    index = int(n) if path and n.isdigit() else None
    doc_path = path if index is not None else doc_path
    doc = docs.get(doc_path)
    if doc is None:
        known = sorted(docs)
        res.problem(
            shown,
            line,
            f"document '{doc_path}' was not read (missing, or not a "
            f"readable format); doc is a path from the case root." + did_you_mean(doc_path, known),
        )
        return None
    parts = docs.parts(doc_path)
    if index is not None and not any(p.n == index for p in parts):
        res.problem(
            shown,
            line,
            f"'{doc_path}' has no message #{index}: it holds {len(parts)} "
            f"(#1 to #{len(parts)}); `checker show {doc_path}` lists them.",
        )
        return None
    hits = [
        (start, end, part_at(parts, start))
        for start, end in doc.locate_all(quote)
        if index is None or (p := part_at(parts, start)) is not None and p.n == index
    ]
    if not hits:
        near = doc.nearest(quote)
        hint = f' Nearest passage: "{near}"' if near else ""
        where = f"{doc_path}#{index}" if index is not None else doc_path
        res.problem(shown, line, f"quote not found in {where} (white space folded).{hint}")
        return None
    start, end, part = hits[0]
    emails = {p.key: p for _, _, p in hits if p is not None}  # copies in one file are one
    if len(emails) > 1:
        refs = ", ".join(f"{doc_path}#{p.n}" for p in emails.values())
        res.problem(
            shown,
            line,
            f"quote found in {len(emails)} different emails of {doc_path} ({refs}); "
            f"write doc: {doc_path}#N to say which (or quote more of the passage).",
        )
        return None
    if part is not None and end > part.end:
        res.problem(
            shown,
            line,
            f"quote runs past the end of {doc_path}#{part.n} into the next email; "
            "quote a passage within one email.",
        )
        return None
    return doc.passage(start, end)


def closed_world(raw: Any, res: Resolver, root: Path) -> list[ClosedScope]:
    entries = raw.get("closed_world", []) if isinstance(raw, dict) else []
    if not isinstance(entries, list):  # the schema has already reported it
        return []
    out: list[ClosedScope] = []
    text = (
        (root / "case.yaml").read_text(encoding="utf-8") if (root / "case.yaml").is_file() else ""
    )
    case_doc = Document("case.yaml", text)
    for entry in entries or []:
        line = _line(entry)
        if not isinstance(entry, dict):
            res.problem("case.yaml", line, "a closed_world entry is {fact: TYPE, ..., reason: ...}")
            continue
        reason = entry.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            res.problem(
                "case.yaml",
                line,
                "closed_world entry needs 'reason': why the evidence "
                "is complete, as an attorney would cite it",
            )
            continue
        pattern = res.pattern(entry, "case.yaml", extra=("between", "reason"))
        between = entry.get("between", [])
        if not isinstance(between, list):
            res.problem("case.yaml", line, "'between' takes a list of entities: [A, B]")
            continue
        bline = entry.key_lines.get("between", line) if isinstance(entry, LineDict) else line
        ids = [res.entity(ref, "case.yaml", bline) for ref in between]
        if pattern is None or any(i is None for i in ids):
            continue
        # The reason as loaded, else its raw text in the file (YAML escapes such as '' differ).
        found = case_doc.locate(reason) or (
            entry.value_spans.get("reason") if isinstance(entry, LineDict) else None
        )
        out.append(
            ClosedScope(
                Pattern(pattern.type, pattern.roles, pattern.scope, f"case.yaml:{line}"),
                tuple(ids),  # type: ignore[arg-type]
                reason,
                case_doc.passage(*found) if found else None,
                line,
            )
        )
    return out
