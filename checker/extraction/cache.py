"""Extracted facts in the case index: the extraction version they are cached
under, and the facts to JSON and back.

The *extraction version* is a digest of the extractor's code, the model's
name and installed version, the pattern packs, entities.yaml and the fact
types: a document's cached facts are used only under the same version.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from checker import data
from checker.model.facts import Fact, Passage, fact_interval, fact_key
from checker.model.facttypes import FactType
from checker.model.timespan import DateSpan, parse_date

# The extractor's code (its folder is read, not imported: that would load spaCy).
EXTRACTOR = Path(__file__).resolve().parent.parent / "extract"


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
    inputs = _files(EXTRACTOR) + _files(data.PATTERNS)
    inputs += [data.TYPES, root / "entities.yaml", root / "types.yaml"]
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


# A case's extracted facts repeat the same few strings (types, statuses,
# patterns, document paths, senders, entity ids) and dates: each is held once,
# not once per fact, as `check` holds every fact.
def _shared(value: Any) -> Any:
    return sys.intern(value) if type(value) is str else value


_date = lru_cache(maxsize=65_536)(parse_date)  # DateSpan is frozen: one object per date


def _dec(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"date"}:
        return _date(value["date"])
    if isinstance(value, list):
        return tuple(_dec(v) for v in value)
    return _shared(value)


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
                "lead": list(f.lead) if f.lead is not None else None,
            }
        )
    return json.dumps(rows, ensure_ascii=False, sort_keys=True)


def load_facts(text: str, types: dict[str, FactType]) -> list[Fact]:
    """The facts `dump_facts` wrote, with time and identity recomputed."""
    out = []
    for row in json.loads(text):
        roles = {_shared(k): _dec(v) for k, v in row["roles"].items()}
        src = row["source"]
        passage = None
        if src:
            shared = {k: v if k == "quote" else _shared(v) for k, v in src.items()}
            passage = Passage(**{**shared, "recipients": tuple(map(_shared, src["recipients"]))})
        ftype = types.get(row["type"])
        if ftype is None:  # cannot happen for one version; skip rather than guess
            continue
        out.append(
            Fact(
                id=row["id"],
                type=_shared(row["type"]),
                roles=roles,
                status=_shared(row["status"]),
                origin=_shared(row["origin"]),
                source=passage,
                interval=fact_interval(roles, ftype.time_roles()),
                where=row["where"],
                key=fact_key(row["type"], roles),
                confidence=row["confidence"],
                pattern=_shared(row["pattern"]),
                lead=None if row.get("lead") is None else tuple(map(_shared, row["lead"])),
            )
        )
    return out
