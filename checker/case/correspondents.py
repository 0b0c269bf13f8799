"""Who the records' headers name: each sender and recipient with the records it
is in, and the entities of entities.yaml that the header facts name.

One pass over the case index, a document at a time; an email filed in several
places is one record and counts once (`ingest/records.py`). Names are kept as
the headers write them; `checker.case.suggest` decides what to make of them.
A record's signature block (`extract/signatures.py`: two regular expressions,
no model) gives the name its sender signs with, when the extractor is
installed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.case.crosscheck import entity_index
from checker.errors import CaseInvalid, Problem
from checker.ingest.document import Document, Message
from checker.ingest.headers import communication_fact
from checker.ingest.index import Index, Progress
from checker.model.entities import Entity, EntityIndex
from checker.schema import validate
from checker.yamlfile import YamlError, load_yaml

SignatureName = Callable[[Document, Message], str | None]


@dataclass
class Correspondent:
    """One address (casefolded; "" for a name a printout shows without one) and
    the records it is in, as sender and as recipient, by record id."""

    address: str
    names: Counter[str] = field(default_factory=Counter)  # display names, as written
    signatures: Counter[str] = field(default_factory=Counter)  # name lines it signed with
    sent: set[str] = field(default_factory=set)
    received: set[str] = field(default_factory=set)
    example: str = ""  # the first record it is in, as PATH#N

    @property
    def records(self) -> set[str]:
        return self.sent | self.received


@dataclass
class Correspondents:
    """Everyone the headers name: by address, and by name alone (no address)."""

    by_address: dict[str, Correspondent] = field(default_factory=dict)
    by_name: dict[str, Correspondent] = field(default_factory=dict)
    records: int = 0  # records with a header block
    signatures: bool = False  # whether signature blocks were read


@dataclass(frozen=True)
class EntityRecords:
    """An entity of entities.yaml and how many records' header facts name it."""

    id: str
    kind: str
    name: str
    sent: int
    received: int
    records: int


def read_entities(root: Path) -> EntityIndex:
    """entities.yaml alone, checked as `checker validate` checks it (every problem
    in one `CaseInvalid`); none at all when the case has no entities.yaml yet."""
    path = root / "entities.yaml"
    if not path.is_file():
        return EntityIndex([])
    problems: list[Problem] = []
    try:
        raw = load_yaml(path, "entities.yaml")
    except YamlError as err:
        raise CaseInvalid([err.problem]) from None
    if raw is not None and not isinstance(raw, list):
        line = getattr(raw, "line", 1) or 1
        raise CaseInvalid([Problem("entities.yaml", line, "expected a list of entries")])
    items: list[tuple[Entity, Any]] = []
    for item in raw or []:
        e = validate(Entity, item, "entities.yaml", problems)
        if e is not None:
            items.append((e, item))
    index = entity_index(items, set(), problems)
    if problems:
        raise CaseInvalid(problems)
    return index


def _messages(
    index: Index, tick: Progress | None
) -> Iterator[tuple[str, str, Document, int, Message]]:
    """(record id, PATH#N, document, the message's place in it from 0, message) of
    every record with a header block, each record once, at its first location."""
    seen: set[str] = set()
    entries = index.entries()
    for done, entry in enumerate(entries, 1):
        parts = index.parts(entry.key)
        for doc in index.read([entry]):
            for part in parts:
                if part.key in seen or not 0 < part.n <= len(doc.messages):
                    continue
                seen.add(part.key)
                msg = doc.messages[part.n - 1]
                if msg.from_line is not None:
                    yield part.key, f"{entry.path}#{part.n}", doc, part.n - 1, msg
        if tick is not None:
            tick(done, len(entries), entry.path)


def _signature_reader() -> SignatureName | None:
    """The name line of a message's signature block, or None without the extractor."""
    try:
        from checker.extract.segments import segments
        from checker.extract.signatures import signature_index
    except ImportError:  # the extractor (spaCy) is optional
        return None

    def name(doc: Document, msg: Message) -> str | None:
        segs = segments(doc, msg)
        i = signature_index(doc.text, segs)
        if i is None:
            return None
        return doc.text[segs[i].raw_start : segs[i].raw_end].strip().splitlines()[0].strip()

    return name


def _one(found: dict[str, Correspondent], key: str, address: str, ref: str) -> Correspondent:
    if key not in found:
        found[key] = Correspondent(address, example=ref)
    return found[key]


def correspondents(index: Index, tick: Progress | None = None) -> Correspondents:
    """Every sender and recipient of the case's records (To and Cc), with their
    display names, signature names and records."""
    out = Correspondents()
    signature = _signature_reader()
    out.signatures = signature is not None
    for rid, ref, doc, _, msg in _messages(index, tick):
        out.records += 1
        pairs = [(msg.from_addr, True)] if msg.from_addr else []
        pairs += [(pair, False) for pair in msg.to_addrs]
        for (name, address), sent in pairs:
            address = address.strip().casefold()
            if address:
                who = _one(out.by_address, address, address, ref)
            elif name.strip():
                who = _one(out.by_name, " ".join(name.casefold().split()), "", ref)
            else:
                continue
            if name.strip():
                who.names[name.strip()] += 1
            (who.sent if sent else who.received).add(rid)
            if sent and signature is not None:
                signed = signature(doc, msg)
                if signed:
                    who.signatures[signed] += 1
    return out


def entity_records(
    index: Index, entities: EntityIndex, tick: Progress | None = None
) -> list[EntityRecords]:
    """Every entity of entities.yaml, in its order, with the records whose header
    facts name it as sender (`from`) or recipient (`to`)."""
    sent: dict[str, set[str]] = {eid: set() for eid in entities.by_id}
    received: dict[str, set[str]] = {eid: set() for eid in entities.by_id}
    for rid, _, doc, n, msg in _messages(index, tick):
        fact = communication_fact(doc, n, msg, entities)
        if fact is None:
            continue
        sender = fact.roles.get("from")
        if isinstance(sender, str) and sender in sent:
            sent[sender].add(rid)
        for eid in fact.roles.get("to", ()):  # type: ignore[attr-defined]
            if eid in received:
                received[eid].add(rid)
    return [
        EntityRecords(
            e.id, e.kind, e.name, len(sent[e.id]), len(received[e.id]),
            len(sent[e.id] | received[e.id]),
        )
        for e in entities.by_id.values()
    ]
