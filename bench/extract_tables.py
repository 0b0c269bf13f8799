"""The extraction phrasing tables (bench/phrasings/*.yaml): load, run, score.

Shared by `bench/extract_quality.py` (prints precision and recall per type)
and `tests/test_extract_phrasings.py` (asserts them). Each table entry becomes
one email (`build_document`); quoted entries sit below an Outlook
"-----Original Message-----" block of a reply, so they are quoted history.

Scoring. Recall: an expected fact is found when some extracted fact of its type
has every role the expectation lists, each matching (`roles_match`). Precision:
an extracted fact is true when its sentence expects a fact of its type that it
does not contradict: every listed role the fact fills matches, and a role it
leaves empty is incomplete, not false (no pack can fill `amount` yet, for one).
Anything else is a false positive, among them every fact from a negative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

from checker import data
from checker.ingest.annotate import annotate
from checker.ingest.document import Document
from checker.ingest.email import read_message
from checker.model.entities import Entity, EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.model.timespan import DateSpan, parse_date

HERE = Path(__file__).resolve().parent
TABLES = HERE / "phrasings"
#: The held-out tables (phrasings/heldout/README.md): their own world, a few types.
HELDOUT = TABLES / "heldout"
#: The second held-out set (phrasings/heldout2/README.md, issue #11): every type.
HELDOUT2 = TABLES / "heldout2"
#: The sets of tables by name: development (patterns are written against them) and
#: held-out. A set whose folder does not exist yet (dev2, until its tables land) is
#: skipped by every consumer: see `available_sets`.
SETS = {"dev": TABLES, "dev2": TABLES / "dev2", "heldout": HELDOUT, "heldout2": HELDOUT2}
#: Sets nobody writing patterns may read the failures of (only scores are printed).
BLIND = ("heldout", "heldout2")
#: The types the built-in packs propose, read from checker/data (the only list of them).
FACT_TYPES = data.extracted_types()
#: Negative categories that must never yield a fact of their table's type.
STRICT = ("negated", "conditional", "question", "future", "reported", "quoted")
CATEGORIES = (*STRICT, "near_miss")
#: A forwarded block written into an entry's text ("---------- Forwarded message
#: ---------", Apple Mail's "Begin forwarded message:"): what follows is quoted history.
FORWARDED = re.compile(r"^-{2,} ?Forwarded message ?-{2,}\s*$|^Begin forwarded message:",
                       re.MULTILINE | re.IGNORECASE)
TZ = ZoneInfo("UTC")
#: Roles that stand for each other when scoring (types.yaml: use has "tool (or provider)").
INTERCHANGEABLE = {("use", "tool"): ("tool", "provider"), ("use", "provider"): ("tool", "provider")}


@dataclass
class Entry:
    """One table row: the sentence, its message headers and what it states."""

    table: str
    n: int
    text: str
    sender: str
    to: list[str]
    day: date
    expect: list[dict[str, Any]]
    category: str | None = None
    quoted: bool = False
    facts: list[Fact] = field(default_factory=list)
    group: str = "dev"  # the set of tables, a key of SETS

    @property
    def path(self) -> str:
        return f"phrasings/{self.group}/{self.table}/{self.n:03d}.eml"

    @property
    def positive(self) -> bool:
        return bool(self.expect)

    @property
    def forwarded(self) -> bool:
        """The text carries its own forwarded block (its quoted history)."""
        return FORWARDED.search(self.text) is not None


def available_sets() -> dict[str, Path]:
    """The sets of `SETS` whose folder exists, in `SETS` order."""
    return {k: v for k, v in SETS.items() if v.is_dir()}


def load_world(tables_dir: Path = TABLES) -> tuple[EntityIndex, dict[str, FactType]]:
    """The entities of the tables in `tables_dir` and the built-in fact types."""
    entities = [Entity(**e) for e in yaml.safe_load((tables_dir / "entities.yaml").read_text())]
    types = {t.type: t for t in (FactType.model_validate(raw) for raw in data.fact_types())}
    return EntityIndex(entities), types


def table_names(tables_dir: Path = TABLES) -> tuple[str, ...]:
    """The fact types that have a table in `tables_dir`, in FACT_TYPES order."""
    return tuple(t for t in FACT_TYPES if (tables_dir / f"{t}.yaml").is_file())


def load_entries(tables: tuple[str, ...] | None = None, tables_dir: Path = TABLES) -> list[Entry]:
    """Every entry of the named tables (default: all in `tables_dir`), in file order."""
    name = next((k for k, v in SETS.items() if v == tables_dir), tables_dir.name)
    out = []
    for table in table_names(tables_dir) if tables is None else tables:
        for n, raw in enumerate(yaml.safe_load((tables_dir / f"{table}.yaml").read_text())):
            out.append(Entry(table, n, raw["text"], raw["sender"], list(raw["to"]),
                             raw["date"], list(raw["expect"]), raw.get("category"),
                             bool(raw.get("quoted", False)), group=name))
    return out


def _message(sender: str, to: list[str], day: date, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = format_datetime(_noon(day))
    msg["Subject"] = subject
    msg.set_content(body)
    return msg


def _noon(day: date) -> Any:
    from datetime import datetime

    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=TZ)


def build_document(entry: Entry) -> Document:
    """The entry as an email read by the ingest reader (quoted history found as usual)."""
    if entry.quoted:
        # A reply from the first recipient; the sentence is in the quoted original.
        original = _message(entry.sender, entry.to, entry.day, "Update", entry.text)
        body = ("Noted, thanks.\n\n-----Original Message-----\n"
                f"From: {entry.sender}\nSent: {original['Date']}\nTo: {original['To']}\n"
                f"Subject: Update\n\n{entry.text}\n")
        msg = _message(entry.to[0], [entry.sender], entry.day, "RE: Update", body)
    else:
        msg = _message(entry.sender, entry.to, entry.day, "Update", entry.text + "\n")
    doc = read_message(bytes(msg), entry.path, TZ, "eml")
    return annotate(doc)


def run(entries: list[Entry], entities: EntityIndex, types: dict[str, FactType],
        model: str | None = None) -> list[Entry]:
    """Extract facts from every entry's email (one extract_facts call); fills `facts`."""
    from checker.extract import extract_facts

    by_path = {e.path: e for e in entries}
    docs = [build_document(e) for e in entries]
    for fact in extract_facts(docs, entities, types, model=model):
        if fact.lead is not None:
            continue  # a lead is a pointer for review, not a proposed fact
        assert fact.source is not None
        by_path[fact.source.doc].facts.append(fact)
    return entries


# -- scoring -----------------------------------------------------------------------
def _entity_ok(got: Any, want: str, entities: EntityIndex) -> bool:
    return isinstance(got, str) and (got == want or entities.within(got, want))


def _role_ok(fact: Fact, role: str, want: Any, types: dict[str, FactType],
             entities: EntityIndex, partial: bool = False) -> bool:
    names = INTERCHANGEABLE.get((fact.type, role), (role,))
    if partial and all(fact.roles.get(r) is None for r in names):
        return True
    return any(_one_role_ok(fact, r, want, types, entities) for r in names)


def _one_role_ok(fact: Fact, role: str, want: Any, types: dict[str, FactType],
                 entities: EntityIndex) -> bool:
    got = fact.roles.get(role)
    if got is None:
        return False
    kind = types[fact.type].roles[role]
    if kind == "entities":
        values = got if isinstance(got, tuple) else (got,)
        wants = want if isinstance(want, list) else [want]
        return all(any(_entity_ok(v, w, entities) for v in values) for w in wants)
    if kind == "entity":
        return _entity_ok(got, str(want), entities)
    if kind == "date":
        span = parse_date(want)
        return isinstance(got, DateSpan) and span.start <= got.start and got.end <= span.end
    if kind == "number":
        try:
            return float(got) == float(want)
        except (TypeError, ValueError):
            return False
    if kind == "text":
        a, b = " ".join(str(got).casefold().split()), " ".join(str(want).casefold().split())
        return b in a or a in b
    return str(got) == str(want)  # a literal


def roles_match(fact: Fact, expected: dict[str, Any], types: dict[str, FactType],
                entities: EntityIndex, partial: bool = False) -> bool:
    """`fact` is of the expected type and has every listed role, matching; with
    `partial`, roles the fact leaves empty are passed over (it is incomplete)."""
    if fact.type != expected["fact"]:
        return False
    return all(_role_ok(fact, r, v, types, entities, partial)
               for r, v in expected.items() if r != "fact")


@dataclass
class Score:
    """Counts for one fact type over all tables."""

    tp: int = 0  # extracted facts consistent with an expectation of their sentence
    fp: int = 0  # extracted facts consistent with none
    expected: int = 0
    found: int = 0  # expected facts matched by some extracted fact
    typed: int = 0  # expected facts with some extracted fact of their type (roles aside)
    false: list[tuple[Entry, Fact]] = field(default_factory=list)
    missed: list[Entry] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.found / self.expected if self.expected else None

    @property
    def type_recall(self) -> float | None:
        return self.typed / self.expected if self.expected else None


def score(entries: list[Entry], types: dict[str, FactType],
          entities: EntityIndex) -> dict[str, Score]:
    """Precision and recall per fact type (see the module docstring)."""
    out = {t: Score() for t in FACT_TYPES}
    for e in entries:
        for fact in e.facts:
            s = out.setdefault(fact.type, Score())
            if any(roles_match(fact, x, types, entities, partial=True) for x in e.expect):
                s.tp += 1
            else:
                s.fp += 1
                s.false.append((e, fact))
        for x in e.expect:
            s = out.setdefault(x["fact"], Score())
            s.expected += 1
            if any(roles_match(f, x, types, entities) for f in e.facts):
                s.found += 1
            else:
                s.missed.append(e)
            if any(f.type == x["fact"] for f in e.facts):
                s.typed += 1
    return out


def describe(fact: Fact) -> str:
    """`type(role=value, ...) [pattern]`, for printing."""
    roles = ", ".join(f"{k}={'+'.join(v) if isinstance(v, tuple) else v}"
                      for k, v in fact.roles.items())
    return f"{fact.type}({roles}) [{fact.pattern}]"
