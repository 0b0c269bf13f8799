"""Coding an analyst fact from a passage: `checker facts add`.

An analyst names a record (as `checker show` takes it: an id or its start,
`PATH#N`, a Message-ID, or the path of a file that holds one record), quotes
a passage of it and gives the roles. `add_fact` checks everything the way
loading the case does, and only then appends the fact to a facts file under
evidence/ (`evidence/analyst.facts.yaml` unless told otherwise):

- the quote must be in the record's text as `checker show` prints it, white
  space folded; if it is not, the error shows the record's nearest passage;
- each role must be one of the fact type's, and each value of its kind:
  an entity by id, name or alias (written as its id), a date as `YYYY`,
  `YYYY-MM` or `YYYY-MM-DD`, a list of entities with commas (`acme,vendor`);
- the id (`f-<type>-<digest of the source and quote>` unless one is given)
  must be new in the case;
- the entry, as the new file would hold it, is read back and cross-checked by
  `crosscheck.analyst_facts`, the very check `load_case` makes, so nothing is
  written that validation would reject.

The source is written `{doc: PATH#N, quote: ...}` (just `PATH` for a file of
one record), with the quote exactly as given. The file keeps its comments and
layout (`checker.yamledit`); it is changed under CASE/.checker/facts.lock and
replaced at once, as `checker review` changes review.yaml.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from checker.case.crosscheck import analyst_facts
from checker.case.documents import CaseDocuments
from checker.case.read import ReadCase
from checker.case.stream import open_case
from checker.errors import CaseInvalid, FactNotAdded, FactsNotWritable, Problem, UnknownDocument
from checker.ingest.document import Document
from checker.ingest.evidence import FACTS_SUFFIX
from checker.ingest.lookup import find_ref
from checker.ingest.records import part_at
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.model.resolve import Resolver
from checker.model.timespan import DateSpan
from checker.yamledit import append_entry, flow, locked, quoted, replace_file
from checker.yamlfile import LineList, load_value

DEFAULT_FILE = "evidence/analyst.facts.yaml"
LOCK_FILE = Path(".checker") / "facts.lock"
HEADER = "# Facts coded by an analyst (`checker facts add` appends here; edit by hand too).\n"
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DIGEST = 8  # hexadecimal characters of a default id's digest


@dataclass(frozen=True)
class Coded:
    """A fact `add_fact` wrote: as validation built it, the file it is in (a path
    from the case root) and its source's `doc` as written (PATH#N, or PATH for a
    file of one record)."""

    fact: Fact
    file: str
    doc: str


def add_fact(
    root: Path,
    type_: str,
    ref: str,
    quote: str,
    roles: Mapping[str, Any],
    *,
    fact_id: str | None = None,
    file: str | None = None,
    note: str | None = None,
) -> Coded:
    """Code a `type_` fact from `quote` in the record `ref` names, with `roles` (role
    to value: text as typed, or a list for a list of entities), and append it to
    `file` (default `evidence/analyst.facts.yaml`). Raises `FactNotAdded` (listing
    every problem), `UnknownDocument` for a reference that names nothing,
    `CaseInvalid` when the case does not validate as it is, `FactsNotWritable`
    when the file cannot be written; nothing is written then."""
    root = Path(root)
    shown = facts_file(root, file)
    target = root / shown
    check_writable(root, target)  # cheap, before the case is read
    read, documents = open_case(root)
    try:
        return _add(read, documents, shown, type_, ref, quote, roles, fact_id, note)
    finally:
        documents.close()


def default_id(type_: str, doc: str, quote: str) -> str:
    """`f-<type>-<digest>`: the same source and quote (white space folded) always
    give the same id, so coding one passage twice as one type is caught."""
    folded = " ".join(quote.split())
    digest = hashlib.sha256(f"{doc}\n{folded}".encode()).hexdigest()[:DIGEST]
    return f"f-{type_}-{digest}"


def facts_file(root: Path, file: str | None) -> str:
    """The facts file `file` names, as a path from the case root: one under
    evidence/ whose name ends in .facts.yaml, given from the case root or as typed
    in the shell. Raises `FactNotAdded` for any other."""
    if file is None:
        return DEFAULT_FILE
    rel = PurePosixPath(Path(file).as_posix())
    try:  # as typed in the shell: my-case/evidence/x.facts.yaml
        typed = PurePosixPath(Path(file).resolve().relative_to(root.resolve()).as_posix())
    except (OSError, ValueError):
        typed = None
    if (not rel.parts or rel.parts[0] != "evidence") and typed is not None:
        rel = typed
    why = None
    if rel.is_absolute() or not rel.parts or rel.parts[0] != "evidence" or len(rel.parts) < 2:
        why = "is not under evidence/ (give a path from the case root: evidence/NAME.facts.yaml)"
    elif ".." in rel.parts or any(p.startswith(".") for p in rel.parts[1:]):
        why = "is not a path the case reads (no '..' and no hidden folders or files)"
    elif not rel.name.endswith(FACTS_SUFFIX) or rel.name == FACTS_SUFFIX:
        why = f"does not end in {FACTS_SUFFIX}, so the case would not read it"
    else:
        path = root / rel
        inside = os.path.realpath(root / "evidence")
        if path.is_symlink() or not os.path.realpath(path).startswith(inside + os.sep):
            why = "leads outside evidence/ (a symbolic link); name the file itself"
        elif path.exists() and not path.is_file():
            why = "is not a file"
    if why:
        raise FactNotAdded([f"--file {file}: {why}."])
    return rel.as_posix()


def check_writable(root: Path, target: Path) -> None:
    """Raise `FactsNotWritable` unless `target` can be replaced (it and its folder,
    or the nearest folder above it that exists, are writable) and the lock taken."""
    if target.exists() and not os.access(target, os.W_OK):
        raise FactsNotWritable(target, "the file is read-only")
    folder = target.parent
    while not folder.exists() and folder != root:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FactsNotWritable(target, f"the folder {folder} is read-only")
    lock = root / LOCK_FILE
    where = lock.parent if lock.parent.exists() else root
    if not os.access(where, os.W_OK | os.X_OK):
        raise FactsNotWritable(target, f"the folder {where} is read-only (it holds the lock)")


def _add(
    read: ReadCase,
    documents: CaseDocuments,
    shown: str,
    type_: str,
    ref: str,
    quote: str,
    roles: Mapping[str, Any],
    fact_id: str | None,
    note: str | None,
) -> Coded:
    res = Resolver(read.entities, read.types)
    ftype = res.fact_type(type_, "TYPE", 1)
    doc, problem = _source(documents, read.root, ref, quote)
    problems = [problem] if problem else []
    values = _roles(ftype, roles, res) if ftype is not None else {}
    fid = fact_id if fact_id is not None else default_id(type_, doc, quote)
    problems += _id_problems(fid, fact_id is not None, read.facts)
    problems += [f"{p.path}: {p.message}" for p in res.problems]
    if problems or ftype is None:
        raise FactNotAdded(problems)
    entry: dict[str, Any] = {"id": fid, "fact": type_, **values}
    entry["source"] = {"doc": doc, "quote": quoted(quote)}
    if note:
        entry["note"] = note
    order = ("id", "fact", *ftype.roles, "source", "note")
    target = read.root / shown
    try:
        with locked(read.root / LOCK_FILE):
            text, data = _read_for_edit(target, shown)
            if any(isinstance(e, dict) and e.get("id") == fid for e in data or []):
                raise FactNotAdded(_id_problems(fid, fact_id is not None, [], shown))
            new = append_entry(text, data, entry, order, HEADER)
            fact = _validate(new, fid, shown, read, documents)
            target.parent.mkdir(parents=True, exist_ok=True)
            replace_file(target, new)
    except OSError as err:
        raise FactsNotWritable(target, err.strerror or str(err)) from None
    return Coded(fact, shown, doc)


def _source(documents: CaseDocuments, root: Path, ref: str, quote: str) -> tuple[str, str | None]:
    """The source's `doc` as written (PATH#N, or PATH for a file of one record),
    and the problem with the quote, if any. A reference that names nothing raises
    `UnknownDocument`; one that names a file of many records, `FactNotAdded`."""
    found = find_ref(documents.index, ref, root)
    parts = found.parts
    if found.part is None and len(parts) > 1:
        raise FactNotAdded(
            [
                f"--doc {ref}: {found.location} holds {len(parts)} records; name one, as "
                f"{found.location}#N (#1 to #{len(parts)}) or by its id "
                f"(`checker show {found.location}` lists them)."
            ]
        )
    part = found.part or parts[0]
    doc = f"{found.location}#{part.n}" if len(parts) > 1 else found.location
    try:
        whole = documents.load(found.entry)
    except KeyError:  # another process removed it since it was listed
        raise UnknownDocument(ref, None) from None
    if not quote.strip():
        return doc, "--quote: give the passage the fact rests on, as the record has it."
    record = Document(doc, whole.text[part.start : part.end])
    if record.locate(quote) is not None:
        return doc, None
    near = record.nearest(quote)
    hint = f' Nearest passage in it: "{near}".' if near else ""
    others = sorted(
        {p.n for start, _ in whole.locate_all(quote) if (p := part_at(parts, start)) is not None}
    )
    if others:  # in another email of the same file
        refs = ", ".join(f"{found.location}#{n}" for n in others)
        hint += f" The quote is in {refs}: give {'that' if len(others) == 1 else 'one'} as --doc."
    return doc, f"--quote: not found in {doc} (white space folded).{hint}"


def _roles(ftype: FactType, roles: Mapping[str, Any], res: Resolver) -> dict[str, Any]:
    """The roles as they are written (entities as ids), in the type's order; problems
    go to `res.problems`."""
    out: dict[str, Any] = {}
    for role, raw in roles.items():
        shown = f"--set {role}"
        if role not in ftype.roles:
            res.unknown_role(ftype, role, shown, 1)
            continue
        kind = ftype.roles[role]
        parsed = _parse(kind, raw)
        if parsed in ("", []):
            res.problem(
                shown, 1, "give a value (leave the role out when the record does not say it)"
            )
            continue
        value = res.value(ftype, role, parsed, shown, 1, allow_vars=False)
        if value is not None:
            out[role] = _written(value)
    return {r: out[r] for r in ftype.roles if r in out}


def _parse(kind: Any, raw: Any) -> Any:
    """A value typed on the command line, read by its role's kind: a list of
    entities split at commas (`acme,vendor`, or `[acme, vendor]`), a number as a
    number; anything else as the text it is."""
    if not isinstance(raw, str):
        return raw  # a library caller's list or number
    text = raw.strip()
    if kind == "entities":
        inner = text[1:-1] if text.startswith("[") and text.endswith("]") else text
        return [item.strip() for item in inner.split(",") if item.strip()]
    if kind == "number":
        for number in (int, float):
            try:
                return number(text)
            except ValueError:
                pass
    return text


def _written(value: Any) -> Any:
    """A resolved role value as a person would write it in the file."""
    if isinstance(value, tuple):
        return flow(list(value))
    if isinstance(value, DateSpan):  # 2020, 2020-03 and 2020-03-03, unquoted
        if value.precision == "year":
            return int(value.text)
        return value.start if value.precision == "day" else value.text
    return value


def _id_problems(fid: str, given: bool, facts: list[Fact], file: str | None = None) -> list[str]:
    """What is wrong with the id `fid` (`given` with --id) among `facts`, or in
    `file` (another `facts add` may have written it meanwhile)."""
    if given and not _ID.match(fid):
        return [
            f"--id {fid}: a fact id is letters, digits, '.', '_' and '-', "
            "starting with a letter or digit."
        ]
    where = file or next((f.where for f in facts if f.id == fid), None)
    if where is None:
        return []
    if given:
        return [f"--id {fid}: the case already has a fact '{fid}' ({where}); choose another id."]
    return [
        f"this passage is already coded as this type of fact, '{fid}' ({where}); "
        "give --id to code it again."
    ]


def _read_for_edit(path: Path, shown: str) -> tuple[str, LineList | None]:
    """The facts file's text and its entries, parsed from that very text ("" and
    None when there is no file yet)."""
    if not path.is_file():
        return "", None
    text = path.read_text(encoding="utf-8")
    try:
        data = load_value(text)
    except yaml.YAMLError as err:
        raise CaseInvalid([Problem(shown, 1, f"cannot be read now ({err}); fix it")]) from None
    if data is not None and not isinstance(data, LineList):
        raise CaseInvalid([Problem(shown, 1, "expected a list of facts (each starting '- ')")])
    return text, data


def _validate(new: str, fid: str, shown: str, read: ReadCase, documents: CaseDocuments) -> Fact:
    """The new entry, read back from the new text and cross-checked as loading the
    case would; `FactNotAdded` with what validation says otherwise."""
    items = load_value(new)
    raw = next(e for e in reversed(items) if isinstance(e, dict) and e.get("id") == fid)
    res = Resolver(read.entities, read.types)
    facts = analyst_facts([(shown, raw)], res, documents)
    if res.problems or not facts:
        raise FactNotAdded([str(p) for p in res.problems] or [f"{shown}: the fact did not load."])
    return facts[0]
