"""Run a loaded case: derive facts, evaluate every claim, build citations and proofs."""

from __future__ import annotations

from typing import Any

from checker.case.load import Case
from checker.check.citations import citations, in_records, record_source, structure_notes
from checker.check.notes import suggested_note, unsettled_note
from checker.engine.evaluate import UNRESOLVED, Evaluator, Outcome
from checker.engine.match import membership_steps
from checker.engine.phrases import describe_doubt, describe_fact, show_value
from checker.engine.rules import Engine
from checker.extraction.counting import confirmed
from checker.model.claims import Claim
from checker.model.facts import Fact
from checker.model.verdicts import CaseResult, ClaimResult


class Checker:
    """Derives a case's facts once and answers each of its claims."""

    def __init__(self, case: Case):
        self.case = case
        self.facts = Engine(case.rules, case.types, case.entities).run(case.facts)
        self.evaluator = Evaluator(self.facts, case.types, case.entities, case.closed_world)
        # Suggested (extracted, unreviewed) facts only count where they change a
        # verdict: each claim is also judged on confirmed facts alone, and when the
        # verdict is the same that judgement is given, exactly as without extraction.
        alone = confirmed(case.facts)
        self.confirmed: Evaluator | None = None
        if len(alone) != len(case.facts):
            derived = Engine(case.rules, case.types, case.entities).run(alone)
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
            node["source"] = record_source(fact.source, self.case.documents)
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
        in_records(cites, self.case.documents)
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
