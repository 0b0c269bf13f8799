"""Run a loaded case: derive facts, evaluate every claim, build citations and proofs."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from typing import Any

from checker.case import Case
from checker.casedocs import CaseDocuments
from checker.engine.evaluate import UNRESOLVED, Evaluator, Outcome
from checker.engine.match import membership_steps
from checker.engine.phrases import describe_doubt, describe_fact, show_value
from checker.engine.rules import Engine
from checker.ingest.document import Document
from checker.ingest.quoted import in_quoted
from checker.ingest.redactions import markers_near
from checker.ingest.threads import original_of
from checker.model.claims import Claim
from checker.model.facts import Fact, Passage
from checker.model.verdicts import CaseResult, Citation, ClaimResult


def _citation(fact: Fact | None, p: Passage) -> Citation:
    """A citation of passage `p`; `fact` None means a closed-world reason in case.yaml."""
    return Citation.model_validate(
        {
            "doc": p.doc,
            "quote": p.quote,
            "start": p.start,
            "end": p.end,
            "date": p.date,
            "from": p.sender,
            "to": list(p.recipients),
            "subject": p.subject,
            "fact": fact.id if fact else "closed_world",
            "status": fact.status if fact else "confirmed",
            "page": p.page,
            "bates": p.bates,
        }
    )


def citations(outcome: Outcome) -> list[Citation]:
    """Citations of the facts and closed-world reasons that decide `outcome`."""
    out: list[Citation] = []
    seen: set[tuple[str, int, int, str]] = set()
    leaves: list[tuple[Fact | None, Passage]] = [
        leaf for f in outcome.deciding_facts() for leaf in f.passages()
    ]
    leaves += [(None, c.citation) for c in outcome.closures() if c.citation]
    for fact, p in leaves:
        key = (p.doc, p.start, p.end, fact.id if fact else "closed_world")
        if key not in seen:
            seen.add(key)
            out.append(_citation(fact, p))
    return out


def structure_notes(cites: list[Citation], docs: Mapping[str, Document]) -> str:
    """Mark each citation that lies next to a redaction (`redacted_nearby`) or in
    quoted history with a known original (`original`); return the sentence to add
    to the claim's reason, or "" when no citation is next to a redaction."""
    markers: list[str] = []
    for c in cites:
        if c.fact == "closed_world":
            continue
        # The index's outline of a document says as much as the document does about
        # redactions and quotes; the text is read only for a passage in a quote.
        outline = docs.outline(c.doc) if isinstance(docs, CaseDocuments) else None
        doc = outline or docs.get(c.doc)
        if doc is None:
            continue
        near = markers_near(doc, c.start, c.end)
        if near:
            c.redacted_nearby = near
            markers += [m for m in near if m not in markers]
        full = docs.get(c.doc) if in_quoted(doc, c.start, c.end) else None
        if full is None:
            continue
        found, start, end = _attribute(docs, full, c.start, c.end)
        if found != doc.path or (start, end) != (c.start, c.end):
            c.original = {"doc": found, "start": start, "end": end}
    if not markers:
        return ""
    return (
        f" Note: a cited passage lies next to a redaction ({', '.join(markers)}); "
        "the withheld text may bear on it."
    )


ATTRIBUTE_BATCH = 16  # documents searched together for a quoted passage's original


def _words(passage: str, most: int = 4) -> list[str]:
    """Up to `most` of the longest words of `passage`, without leading quote
    markers: a document holding the passage as `original_of` looks for it (quote
    markers at line starts removed, white space folded) holds each verbatim."""
    words = {w.lstrip(">") for w in passage.split()} - {""}
    return sorted(words, key=lambda w: (-len(w), w))[:most]


def _attribute(
    docs: Mapping[str, Document], doc: Document, start: int, end: int
) -> tuple[str, int, int]:
    """`checker.ingest.threads.attribute` over the case's documents, as the path
    and offsets of the original: only documents holding the passage's longest
    words are read (by SQLite, when `docs` is the case index), a few at a time,
    keeping the best original so far, so memory does not grow with the number
    of replies that quote one message."""
    if not in_quoted(doc, start, end):
        return doc.path, start, end
    passage = doc.text[start:end]
    corpus: Iterable[Document] = (
        docs.containing(_words(passage)) if isinstance(docs, CaseDocuments) else docs.values()
    )
    best: tuple[Document, int, int] | None = None
    documents = iter(corpus)
    while batch := list(islice(documents, ATTRIBUTE_BATCH)):
        # The best so far stays in the running: the minimum over it and the batch
        # is the minimum over everything seen.
        best = original_of(passage, [best[0], *batch] if best else batch) or best
    return (best[0].path, best[1], best[2]) if best else (doc.path, start, end)


def _suggested_ids(facts: Iterable[Fact]) -> list[str]:
    ids: list[str] = []
    for f in facts:
        for leaf, _ in f.passages():
            if leaf.status == "suggested" and leaf.id not in ids:
                ids.append(leaf.id)
    return ids


def _all_facts(o: Outcome) -> Iterator[Fact]:
    """Every fact an outcome looked at: deciding, related and possible, in all parts."""
    yield from o.facts
    yield from o.related
    yield from (f for f, _ in o.possible)
    for child in o.children:
        yield from _all_facts(child)


def _what(ids: list[str]) -> str:
    return "machine-suggested facts" if len(ids) > 1 else "a machine-suggested fact"


def suggested_note(o: Outcome) -> tuple[str, list[str]]:
    """The sentence to add to a reason whose deciding facts include unreviewed
    extracted facts, and their ids; ("", []) when there are none."""
    ids = _suggested_ids(o.deciding_facts())
    if not ids:
        return "", []
    return f" This verdict rests on {_what(ids)} that nobody has reviewed: {', '.join(ids)}.", ids


def unsettled_note(o: Outcome, alone: str) -> tuple[str, list[str]]:
    """The sentence for an unresolved verdict that confirmed facts alone would
    settle as `alone`: unreviewed suggested facts unsettle it, and which."""
    ids = _suggested_ids(_all_facts(o))
    what = (
        "an unreviewed machine-suggested fact leaves"
        if len(ids) == 1
        else "unreviewed machine-suggested facts leave"
    )
    return (
        f" On confirmed facts alone it would be {alone}; {what} it "
        f"unresolved{': ' + ', '.join(ids) if ids else ''}.",
        ids,
    )


class Checker:
    """Derives a case's facts once and answers each of its claims."""

    def __init__(self, case: Case):
        self.case = case
        self.facts = Engine(case.rules, case.types, case.entities).run(case.facts)
        self.evaluator = Evaluator(self.facts, case.types, case.entities, case.closed_world)
        # Suggested (extracted, unreviewed) facts only count where they change a
        # verdict: each claim is also judged on confirmed facts alone, and when the
        # verdict is the same that judgement is given, exactly as without extraction.
        confirmed = [f for f in case.facts if f.status == "confirmed"]
        self.confirmed: Evaluator | None = None
        if len(confirmed) != len(case.facts):
            derived = Engine(case.rules, case.types, case.entities).run(confirmed)
            self.confirmed = Evaluator(derived, case.types, case.entities, case.closed_world)
        self.without_suggested: dict[str, str] = {}  # claim id -> verdict on confirmed facts

    def proof(self, fact: Fact) -> dict[str, Any]:
        """A fact as a proof tree node, down to its quotes."""
        ftype = self.case.types[fact.type]
        node: dict[str, Any] = {
            "fact": fact.id,
            "type": fact.type,
            "roles": {
                r: show_value(v, self.case.entities) if not isinstance(v, tuple) else list(v)
                for r, v in fact.roles.items()
            },
            "says": describe_fact(fact, ftype, self.case.entities),
            "status": fact.status,
            "origin": fact.origin,
        }
        if fact.source is not None:
            s = fact.source
            node["source"] = {"doc": s.doc, "quote": s.quote, "start": s.start, "end": s.end}
        if fact.rule:
            node["rule"] = fact.rule
            node["explanation"] = fact.explanation
            node["premises"] = [self.proof(p) for p in fact.premises]
        return node

    def derivation(self, o: Outcome) -> dict[str, Any]:
        ents = self.case.entities
        d: dict[str, Any] = {"form": o.form, "verdict": o.verdict, "reason": o.reason}
        if o.pattern is not None:
            d["pattern"] = {
                "fact": o.pattern.type,
                **{
                    r: (list(v) if isinstance(v, tuple) else str(v))
                    for r, v in o.pattern.roles.items()
                },
                **({o.pattern.scope.kind: str(o.pattern.scope)} if o.pattern.scope else {}),
            }
        if o.must is not None:
            d["must"] = {
                r: (list(v) if isinstance(v, tuple) else str(v)) for r, v in o.must.roles.items()
            }
        if o.facts:
            nodes = []
            for f in o.facts:
                node = self.proof(f)
                if o.pattern is not None:
                    steps = membership_steps(f, o.pattern, self.case.types[f.type], ents)
                    if steps:
                        node["membership"] = [f"{a} {rel} {b}" for a, rel, b in steps]
                nodes.append(node)
            d["facts"] = nodes
        if o.closure is not None:
            d["closed_world"] = {"reason": o.closure.reason, "entry": f"case.yaml:{o.closure.line}"}
        if o.related:
            d["related"] = [self.proof(f) for f in o.related]
        if o.possible:
            d["possible"] = [
                {
                    **self.proof(f),
                    "doubts": [describe_doubt(x, self.case.types, ents) for x in doubts],
                }
                for f, doubts in o.possible
            ]
        if o.missing:
            d["missing"] = o.missing
        if o.children:
            d["parts"] = [self.derivation(c) for c in o.children]
        return d

    def outcome(self, claim_id: str) -> tuple[Claim, Outcome]:
        for claim, prop in self.case.claims:
            if claim.id == claim_id:
                o = self.finalise(self.evaluator.evaluate(prop))
                if self.confirmed is not None:
                    alone = self.finalise(self.confirmed.evaluate(prop))
                    if alone.verdict == o.verdict:
                        return claim, alone
                    self.without_suggested[claim.id] = alone.verdict
                return claim, o
        raise KeyError(claim_id)

    @staticmethod
    def finalise(o: Outcome) -> Outcome:
        """No claim is supported or contradicted without a citation."""
        if o.verdict != UNRESOLVED and not citations(o):
            return Outcome(
                o.form,
                UNRESOLVED,
                "The verdict would rest on no citable passage, "
                "so it is left unresolved: " + o.reason,
                o.pattern,
                o.must,
                missing="a fact with a source quote",
                children=[o],
            )
        return o

    def result(self, claim: Claim, o: Outcome) -> ClaimResult:
        cites = citations(o)
        note = structure_notes(cites, self.case.documents)
        unreviewed, ids = suggested_note(o) if o.verdict != UNRESOLVED else ("", [])
        alone = self.without_suggested.get(claim.id)
        missing = o.missing if o.verdict == UNRESOLVED else None
        if ids and alone:
            unreviewed += f" On confirmed facts alone it would be {alone}."
        elif o.verdict == UNRESOLVED and alone:
            # Suggested facts can unsettle a verdict too; that is said as loudly.
            unreviewed, ids = unsettled_note(o, alone)
            review = (
                f"a review of {', '.join(ids)} (checker review)"
                if ids
                else "a review of the machine-suggested facts (checker review)"
            )
            missing = f"{missing}; {review}" if missing else review
        return ClaimResult(
            id=claim.id,
            speaker=claim.speaker,
            said_on=claim.said_on,
            quote=claim.quote,
            source=claim.source,
            verdict=o.verdict,
            reason=o.reason + note + unreviewed,
            missing=missing,
            citations=cites,
            derivation=self.derivation(o),
            suggested=bool(ids) or alone is not None,
        )

    def run(self) -> CaseResult:
        results = []
        for claim, _ in self.case.claims:
            results.append(self.result(*self.outcome(claim.id)))
        return CaseResult(case=self.case.title, claims=results)
