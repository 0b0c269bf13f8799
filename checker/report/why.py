"""`checker why`: why extraction found what it found in one record, and not the rest.

`explain_record` runs the case's extractor on the record's message with a
trace (`Extractor.explain`, checker/extract/trace.py): the decisions the
pipeline itself makes, sentence by sentence, reported where it makes them.
Each fact it gives is then looked up in the loaded case, which says what
became of it: counted, below the threshold or superseded (`Counting.why_not`,
as `checker facts` says it), rejected or confirmed in review.yaml, or left
to a copy of the email filed elsewhere. The result is plain data, the JSON
form; the text form is rendered from the same data.

Every offset counts in the record's text as `checker show REF` prints it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from checker.case.copies import Copies
from checker.case.documents import CaseDocuments
from checker.case.meta import CaseMeta
from checker.extraction.counting import Counting
from checker.extraction.settings import ExtractionRun
from checker.ingest.lookup import SHORT_ID, Located
from checker.model.entities import EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.report.records import part_ref
from checker.report.text import fold

if TYPE_CHECKING:
    from checker.extract.trace import Attempt, MessageTrace, TracedSentence

NEAREST = 3  # patterns that lack words, shown per sentence in the text form

# The text form's label for each outcome (checker/extract/trace.py), most advanced first.
_LABELS = {
    "fired": "fired",
    "roles": "lost a role",
    "language": "dropped",
    "overlap": "overlap",
    "no match": "no match",
    "entity kind": "no entity",
    "quoted history": "not read",
}


class WhyCase(Protocol):
    """What `explain_record` needs of a loaded case (`checker.case.load.Case`)."""

    @property
    def root(self) -> Path: ...
    @property
    def meta(self) -> CaseMeta: ...
    @property
    def entities(self) -> EntityIndex: ...
    @property
    def types(self) -> dict[str, FactType]: ...
    @property
    def facts(self) -> list[Fact]: ...
    @property
    def extracted(self) -> list[Fact]: ...
    @property
    def superseded(self) -> dict[str, str]: ...
    @property
    def counting(self) -> Counting: ...
    @property
    def documents(self) -> CaseDocuments: ...
    @property
    def extraction(self) -> ExtractionRun | None: ...


def explain_record(case: WhyCase, found: Located, model: str | None = None) -> dict[str, Any]:
    """What extraction did with the record `found` and what became of its facts,
    as the JSON form gives it. `model` overrides case.yaml's, as for `extract`.
    Raises `ModelNotInstalled` for a model that is not installed."""
    from checker.extract.pipeline import Extractor  # spaCy: only when asked

    settings = case.meta.extraction
    model = model or settings.model
    packs = [case.root / p for p in settings.packs]
    doc = case.documents[found.entry.path]
    trace = Extractor(case.entities, case.types, model, packs).explain(doc, found.part.n)
    at = found.part.start
    judged = _Judge(case)
    facts = [judged.fact(f, at) for f in trace.facts]
    return {
        "record": _record(found),
        "extraction": {
            "enabled": settings.enabled,
            "model": model,
            "threshold": case.counting.threshold,
            "rule": case.counting.describe(),
        },
        "headers": {"start": 0, "end": trace.body - at} if trace.body > at else None,
        "quoted": [{"start": s - at, "end": e - at} for s, e in trace.quoted],
        "sentences": [_sentence(s, trace, at) for s in trace.sentences],
        "facts": facts,
    }


def _record(found: Located) -> dict[str, Any]:
    r, p = found.record, found.part
    return {
        "id": r.id,
        "ref": part_ref(found.entry.path, p),
        "message_id": p.message_id,
        "date": p.date,
        "from": p.sender,
        "subject": p.subject,
    }


class _Judge:
    """What the loaded case made of each fact the trace gave."""

    def __init__(self, case: WhyCase):
        self.case = case
        self.by_id = {f.id: f for f in case.extracted}
        self.used = {id(f) for f in case.facts}
        self.copies = Copies(case.documents)

    def _kept(self, fact: Fact) -> Fact | None:
        """The case's fact for `fact`: itself after review, or the copy of it that
        another location of the email gave (the case keeps one per place)."""
        if fact.id in self.by_id:
            return self.by_id[fact.id]
        # as `Copies` tells copies apart: type, pattern and place in the email
        key = (fact.type, fact.pattern, self.copies.where(fact))
        same = (f for f in self.case.extracted if (f.type, f.pattern, self.copies.where(f)) == key)
        return next(same, None)

    def fact(self, fact: Fact, at: int) -> dict[str, Any]:
        kept = self._kept(fact)
        s = fact.source
        out: dict[str, Any] = {
            "id": fact.id,
            "fact": fact.type,
            "pattern": fact.pattern,
            "confidence": fact.confidence,
            "roles": {r: _value(v) for r, v in fact.roles.items()},
            "start": s.start - at if s else None,
            "end": s.end - at if s else None,
            "status": kept.status if kept else fact.status,
            "used": kept is not None and id(kept) in self.used,
            "not_used": None,
        }
        if kept is not None and kept.id != fact.id:
            out["copy"] = {"id": kept.id, "doc": kept.source.doc if kept.source else None}
        out["not_used"] = self._why_not(fact, kept)
        return out

    def _why_not(self, fact: Fact, kept: Fact | None) -> str | None:
        """Why the fact does not count, in `Counting.why_not`'s words where it decides."""
        case = self.case
        if not case.meta.extraction.enabled:
            return "case.yaml has extraction: {enabled: false}, so check uses no extracted facts"
        if kept is None:
            return "the case's extracted facts do not hold it: run `checker extract`"
        if kept.status == "rejected":
            return "rejected in review.yaml"
        why = case.counting.why_not(kept, case.superseded.get(kept.id))
        if why is None and id(kept) not in self.used:
            return "not used"
        return why


def _value(v: Any) -> Any:
    if isinstance(v, (tuple, list)):
        return [_value(x) for x in v]
    if isinstance(v, str | int | float | bool) or v is None:
        return v
    return str(v)  # DateSpan: as written


def _sentence(s: TracedSentence, trace: MessageTrace, at: int) -> dict[str, Any]:
    from checker.extract.trace import OUTCOMES

    rank = {o: n for n, o in enumerate(reversed(OUTCOMES))}  # most advanced first
    attempts = sorted(s.attempts, key=lambda a: rank[a.outcome])
    return {
        "start": s.start - at,
        "end": s.end - at,
        "text": trace.doc.text[s.start : s.end],
        "read": not s.quoted,
        "quoted": s.quoted,
        "signature": s.signature,
        "entities": [
            {
                "id": e.eid,
                "kind": e.kind,
                "text": e.text,
                "start": e.start - at,
                "end": e.end - at,
                "near_miss": e.near_miss,
            }
            for e in s.entities
        ],
        "patterns": [_attempt(a, trace, at) for a in attempts],
        "nearest": [
            {"pattern": p.pattern, "fact": p.fact, "lacks": [list(ws) for ws in p.missing]}
            for p in s.partial
        ],
    }


def _attempt(a: Attempt, trace: MessageTrace, at: int) -> dict[str, Any]:
    from checker.extract.pipeline import ALLOWED_FACTOR, FUZZY_FACTOR

    out: dict[str, Any] = {
        "pattern": a.pattern,
        "fact": a.fact,
        "outcome": a.outcome,
        "reason": a.reason or None,
        "trigger": None,
        "phenomena": dict(a.cues),
        "allowed": list(a.allowed),
        "roles": {r: _value(v) for r, v in a.roles.items()},
        "confidence": None,
        "facts": [f.id for f in a.facts],
    }
    if a.trigger is not None:
        start, end = a.trigger
        out["trigger"] = {"start": start - at, "end": end - at, "text": trace.doc.text[start:end]}
    if a.base is not None and a.confidence is not None:
        factors = [f"{a.base:g}"]
        if a.near_miss:
            factors.append(f"{FUZZY_FACTOR:g} (a near-miss name)")
        factors += [f"{ALLOWED_FACTOR:g} ({p} allowed)" for p in a.allowed]
        out["confidence"] = {"value": a.confidence, "from": " × ".join(factors)}
    return out


# -- rendering -------------------------------------------------------------------
def render_why_json(why: dict[str, Any]) -> str:
    return json.dumps(why, indent=2, ensure_ascii=False) + "\n"


def render_why_table(why: dict[str, Any]) -> str:
    """The text form: the record, then each sentence with what every pattern did."""
    rec, ext = why["record"], why["extraction"]
    head = [f"Record {rec['id'][:SHORT_ID]}: {rec['ref']}"]
    about = [(rec["date"] or "")[:10], f"from {rec['from']}" if rec["from"] else ""]
    about.append(f'"{rec["subject"]}"' if rec["subject"] else "")
    if any(about):
        head.append("  " + ", ".join(b for b in about if b))
    rule = ext["rule"] if ext["enabled"] else "case.yaml disables extraction for check"
    head.append(f"Extraction: {ext['model'] or 'the pattern packs, no model'}; {rule}.")
    head.append(f"Offsets count in the record's text as `checker show {rec['ref']}` prints it.")
    out = ["\n".join(head)]
    if why["headers"]:
        h = why["headers"]
        out.append(f"[{h['start']}-{h['end']}] header block: not read as sentences")
    quoted = iter(why["quoted"])
    block = next(quoted, None)
    facts = {f["id"]: f for f in why["facts"]}
    for s in why["sentences"]:
        while block is not None and s["quoted"] and s["start"] >= block["start"]:
            out.append(
                f"--- quoted history [{block['start']}-{block['end']}]: an earlier message's "
                "text, not read for facts ---"
            )
            block = next(quoted, None)
        out.append(_sentence_text(s, facts))
    out.append(_facts_text(why["facts"]))
    return "\n\n".join(out) + "\n"


def _sentence_text(s: dict[str, Any], facts: Mapping[str, dict[str, Any]]) -> str:
    what = (
        " (signature block)"
        if s["signature"]
        else " (quoted history: not read)"
        if s["quoted"]
        else ""
    )
    lines = [f'[{s["start"]}-{s["end"]}]{what} "{fold(s["text"])}"']
    if s["entities"]:
        names = ", ".join(
            f'{e["id"]} [{e["start"]}-{e["end"]}] "{fold(e["text"])}"'
            + (" (near miss)" if e["near_miss"] else "")
            for e in s["entities"]
        )
        lines.append(f"  names: {names}")
    elif s["read"]:
        lines.append("  names: none from entities.yaml")
    for a in s["patterns"]:
        lines += _attempt_text(a, facts)
    if s["read"] and not s["signature"] and not s["patterns"]:
        lines.append(
            "  no pattern has all its required words here" + ("; nearest:" if s["nearest"] else "")
        )
        for p in s["nearest"][:NEAREST]:
            lacks = "; ".join(" | ".join(ws) for ws in p["lacks"])
            lines.append(f"    {p['pattern']} ({p['fact']}) lacks: {lacks}")
        if len(s["nearest"]) > NEAREST:
            lines.append(f"    and {len(s['nearest']) - NEAREST} more (--format json lists them)")
    return "\n".join(lines)


def _attempt_text(a: dict[str, Any], facts: Mapping[str, dict[str, Any]]) -> list[str]:
    label = _LABELS.get(a["outcome"], a["outcome"])
    line = f"  {label:<11} {a['pattern']} ({a['fact']})"
    if a["trigger"]:
        t = a["trigger"]
        line += f' on [{t["start"]}-{t["end"]}] "{fold(t["text"])}"'
    if a["reason"]:
        line += f": {a['reason']}"
    lines = [line]
    pad = " " * 14
    if a["allowed"]:
        shown = ", ".join(f"{p} ({a['phenomena'][p]!r})" for p in a["allowed"])
        lines.append(f"{pad}allowed by the pattern: {shown}")
    roles = _roles_text(a["roles"])
    if roles:
        lines.append(f"{pad}roles: {roles}")
    if a["confidence"] and a["facts"]:
        c = a["confidence"]
        extra = f" = {c['from']}" if "×" in c["from"] else ""
        lines.append(f"{pad}confidence {c['value']:g}{extra}")
    for fid in a["facts"]:
        f = facts[fid]
        lines.append(f"{pad}fact {fid}: {_fate(f)}")
    return lines


def _roles_text(roles: Mapping[str, Any]) -> str:
    shown = []
    for role, values in roles.items():
        if values in (None, [], ""):
            continue
        vals = values if isinstance(values, list) else [values]
        shown.append(f"{role}: {', '.join(str(v) for v in vals)}")
    return "; ".join(shown)


def _fate(f: dict[str, Any]) -> str:
    """What became of a fact: it counts, or why not; for a fact the case keeps from
    another copy of the email, that copy's fact."""
    fate = f"counts ({f['status']})" if f["used"] else f"not used: {f['not_used']}"
    if f["pattern"] == "lead" and f["used"]:
        fate = (
            f"a sentence that may state a {f['fact']} no pattern read: it keeps a verdict "
            "resting on absence unresolved until it is coded or rejected"
        )
    if f.get("copy"):
        copy = f["copy"]
        return f"the copy of this email at {copy['doc']} gives it as {copy['id']}, which {fate}"
    return fate


def _facts_text(facts: Sequence[dict[str, Any]]) -> str:
    if not facts:
        return "No facts from this record."
    used = sum(1 for f in facts if f["used"])
    lines = [f"Facts from this record: {len(facts)}, {used} used by `check`."]
    for f in facts:
        conf = f" {f['confidence']:.2f}" if f["confidence"] is not None else ""
        lines.append(
            f"  {f['id']}  {f['fact']}{conf}  [{f['start']}-{f['end']}]  pattern {f['pattern']}:"
            f" {_fate(f)}"
        )
    return "\n".join(lines)
