"""Claims to verdicts, with the three-valued semantics of the spec's table.

`none`, `some`, `every`+`must`, `count`+`at_most`/`at_least` look at the
facts that match a pattern certainly (C) and at least possibly (P, revision 2)
and at whether the scope is closed (case.yaml); `all_of`, `any_of` and `not`
combine verdicts in Kleene logic. Absence of evidence is never evidence of
absence unless a closed-world entry says so, and a closed scope never turns
a possible match into a certain one.
A verdict other than unresolved always has the facts (or closed-world
reason) that decide it; `finalise` refuses one that would have no citation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from checker.engine.closure import ClosedScope, find_closure
from checker.engine.match import Doubt, match, membership_steps
from checker.engine.phrases import (
    article,
    bulk_note,
    describe_doubt,
    describe_fact,
    describe_pattern,
    plural,
    settle_doubt,
)
from checker.model.claims import Combined, Count, Every, Proposition, Quantified
from checker.model.degree import Degree
from checker.model.entities import EntityIndex
from checker.model.facts import Fact
from checker.model.facttypes import FactType
from checker.model.patterns import Pattern

SUPPORTED, CONTRADICTED, UNRESOLVED = "supported", "contradicted", "unresolved"
_ENTITY_KINDS = ("entity", "entities")
_ABSENT = object()  # index key of the facts that do not give a role
MAX_DOUBTS = 3  # doubts named in one reason or `missing`


@dataclass
class Found:
    """The facts that match a pattern: certainly, and only possibly (with why)."""

    certain: list[Fact]
    possible: list[tuple[Fact, list[Doubt]]]

    def any(self) -> list[Fact]:
        """P: every fact that matches at least possibly."""
        return [*self.certain, *(f for f, _ in self.possible)]


@dataclass
class Outcome:
    """The verdict of one proposition and everything that decided it."""

    form: str
    verdict: str
    reason: str
    pattern: Pattern | None = None
    must: Pattern | None = None
    facts: list[Fact] = field(default_factory=list)  # the deciding facts, cited
    closure: ClosedScope | None = None
    missing: str | None = None
    related: list[Fact] = field(default_factory=list)
    children: list[Outcome] = field(default_factory=list)
    # Facts that match only possibly (revision 2), each with what makes it so.
    possible: list[tuple[Fact, list[Doubt]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Names ending in a full stop ("Inc.") must not end a sentence with "..".
        self.reason = re.sub(r"\.\.(?=\s|$)", ".", self.reason)

    def deciding_facts(self) -> list[Fact]:
        out = list(self.facts)
        have = {id(f) for f in out}  # facts compare by identity
        for child in self.children:
            if child.verdict == self.verdict or self.form == "not":
                for f in child.deciding_facts():
                    if id(f) not in have:
                        have.add(id(f))
                        out.append(f)
        return out

    def closures(self) -> list[ClosedScope]:
        out = [self.closure] if self.closure else []
        for child in self.children:
            if child.verdict == self.verdict or self.form == "not":
                out.extend(c for c in child.closures() if c not in out)
        return out


def _then(sentence: str, note: str) -> str:
    """`sentence` followed by `note`, with a full stop between when it needs one."""
    if not note or sentence.rstrip().endswith((".", "!", "?")):
        return sentence + note
    return sentence + "." + note


class Evaluator:
    """Evaluates propositions against one case's full set of facts.

    Facts are found through indexes built on first use: for each fact type (and
    role) the positions of the facts naming each entity. A pattern entity E
    matches the facts naming E or anything inside E, so its candidates are the
    union of the positions of E's descendants, in fact order; each candidate is
    then checked with `matches` as before, so results and their order are those
    of a scan over all facts of the type.
    """

    def __init__(
        self,
        facts: list[Fact],
        types: dict[str, FactType],
        entities: EntityIndex,
        closed_world: list[ClosedScope],
    ):
        self.types = types
        self.entities = entities
        self.closed_world = closed_world
        self.by_type: dict[str, list[Fact]] = {}
        for f in facts:
            self.by_type.setdefault(f.type, []).append(f)
        self._index: dict[tuple[str, str], dict[Any, list[int]]] = {}
        self._positions: dict[tuple[str, str | None, str, bool], list[int]] = {}
        self._inside: dict[str, set[str]] | None = None

    def _inside_of(self, eid: str) -> set[str]:
        """`eid` and every entity transitively member_of or part_of it."""
        if self._inside is None:
            inside: dict[str, set[str]] = {}
            for e in self.entities.by_id:
                for anc in self.entities.ancestors(e):
                    inside.setdefault(anc, set()).add(e)
            self._inside = inside
        return {eid} | self._inside.get(eid, set())

    def _entity_index(self, type_name: str, role: str) -> dict[Any, list[int]]:
        """Entity -> positions (ascending) of the facts of `type_name` naming it in `role`."""
        key = (type_name, role)
        if key not in self._index:
            index: dict[Any, list[int]] = {}
            for i, f in enumerate(self.by_type.get(type_name, [])):
                v = f.roles.get(role)
                for x in (_ABSENT,) if v is None else v if isinstance(v, tuple) else (v,):
                    got = index.setdefault(x, [])
                    if not got or got[-1] != i:
                        got.append(i)
            self._index[key] = index
        return self._index[key]

    def _candidates(
        self, type_name: str, role: str | None, eid: str, possible: bool = False
    ) -> list[int]:
        """Positions of the facts of `type_name` with a value within `eid` (in `role`,
        or in any entity role when `role` is None), ascending. `possible` adds the
        facts that may match: naming a parent of `eid`, or not giving `role`."""
        key = (type_name, role, eid, possible)
        if key not in self._positions:
            if role is None:
                kinds = self.types[type_name].roles
                roles = [r for r, k in kinds.items() if k in _ENTITY_KINDS]
                lists = [self._candidates(type_name, r, eid, possible) for r in roles]
            else:
                index = self._entity_index(type_name, role)
                keys: set[Any] = set(self._inside_of(eid))
                if possible:
                    keys |= {*self.entities.ancestors(eid), _ABSENT}
                lists = [index[e] for e in keys if e in index]
            if len(lists) == 1:
                self._positions[key] = lists[0]
            else:
                self._positions[key] = sorted({i for lst in lists for i in lst})
        return self._positions[key]

    def matching(self, pattern: Pattern) -> Found:
        """The facts that match `pattern` certainly, and those that match only possibly."""
        ftype = self.types[pattern.type]
        facts = self.by_type.get(pattern.type, [])
        best: list[int] | None = None
        for role, wanted in pattern.roles.items():
            if ftype.roles.get(role) not in _ENTITY_KINDS:
                continue
            for w in wanted if isinstance(wanted, tuple) else (wanted,):
                if isinstance(w, str):
                    got = self._candidates(pattern.type, role, w, possible=True)
                    if best is None or len(got) < len(best):
                        best = got
        pool = facts if best is None else [facts[i] for i in best]
        found = Found([], [])
        for f in pool:
            degree, doubts = match(f, pattern, ftype, self.entities)
            if degree is Degree.CERTAIN:
                found.certain.append(f)
            elif degree is Degree.POSSIBLE:
                found.possible.append((f, doubts))
        return found

    def closure(self, pattern: Pattern) -> ClosedScope | None:
        return find_closure(self.closed_world, pattern, self.types[pattern.type], self.entities)

    def related(self, pattern: Pattern) -> list[Fact]:
        """Facts of other types that involve every entity the pattern names."""
        wanted = pattern.entity_values(self.types[pattern.type].roles)
        if not wanted:
            return []
        out: list[tuple[bool, int, str, Fact]] = []
        for type_name, facts in sorted(self.by_type.items()):
            if type_name == pattern.type:
                continue
            kinds = self.types[type_name].roles
            # Only facts naming something within every wanted entity can qualify.
            pool: list[int] | None = None
            for w in wanted:
                got = self._candidates(type_name, None, w)
                pool = got if pool is None else sorted(set(pool).intersection(got))
            for f in [facts[i] for i in pool or ()]:
                values = [
                    x
                    for r, v in f.roles.items()
                    if kinds.get(r) in ("entity", "entities")
                    for x in (v if isinstance(v, tuple) else (v,))
                ]
                if all(any(self.entities.within(x, w) for x in values) for w in wanted):
                    exact = sum(1 for w in wanted if w in values)
                    out.append((f.origin == "rule", -exact, f.id, f))
        # Closest first: stated before derived, then naming the pattern's own entities.
        return [f for *_, f in sorted(out, key=lambda row: row[:3])]

    def _describe(self, p: Pattern) -> str:
        return describe_pattern(p, self.types[p.type], self.entities)

    def _fact(self, f: Fact) -> str:
        return describe_fact(f, self.types[f.type], self.entities)

    def _via(self, f: Fact, p: Pattern) -> str:
        """' (Dana Kim is member of RUSD Central Office, part of RUSD)': why `f` counts."""
        steps = membership_steps(f, p, self.types[f.type], self.entities)
        if not steps:
            return ""
        name = self.entities.name
        chains: list[str] = []
        for child, rel, parent in steps:
            link = f"{'a member of' if rel == 'member_of' else 'part of'} {name(parent)}"
            if chains and chains[-1].endswith(name(child)):
                chains[-1] += f", {link}"
            else:
                chains.append(f"{name(child)} is {link}")
        return f" ({'; '.join(chains)})"

    def _missing(self, p: Pattern, what: str) -> str:
        return (
            f"{what}, or a closed_world entry in case.yaml for {p.type} facts "
            f"(with the reason the evidence is complete)"
        )

    def _bulk(self, p: Pattern, related: list[Fact]) -> str:
        """Why the bulk mail on record between the same parties did not count."""
        return bulk_note(p, related, self.types[p.type], self.entities)

    def _open(self, form: str, p: Pattern, lead: str) -> Outcome:
        related = self.related(p)
        note = ""
        if related:
            r = related[0]
            note = (
                f" On record instead: {self._fact(r)}, {article(r.type)} {r.type} fact, not "
                f"{article(p.type)} {p.type} fact"
                f"{f' ({len(related) - 1} more)' if len(related) > 1 else ''}."
            ) + self._bulk(p, related)
        return Outcome(
            form,
            UNRESOLVED,
            lead + note,
            p,
            related=related,
            missing=self._missing(p, f"{article(p.type).title()} {self._describe(p)}"),
        )

    def _maybe(self, possible: list[tuple[Fact, list[Doubt]]], p: Pattern, what: str) -> str:
        """'X may or may not be one (2 more such facts): the meeting [f-3] is dated ...'."""
        f, doubts = possible[0]
        more = f" ({plural(len(possible) - 1, 'more such fact')})" if len(possible) > 1 else ""
        why = "; ".join(describe_doubt(d, self.types, self.entities) for d in doubts[:MAX_DOUBTS])
        said = f"{self._fact(f)}{self._via(f, p)}"
        return f"{said[:1].upper()}{said[1:]} may or may not {what}{more}: {why}."

    def _settle(self, possible: list[tuple[Fact, list[Doubt]]]) -> str:
        """`missing` for possible matches: what would settle each doubt."""
        asks: list[str] = []
        for _, doubts in possible:
            for d in doubts:
                ask = settle_doubt(d, self.types, self.entities)
                if ask not in asks:
                    asks.append(ask)
        shown = "; ".join(asks[:MAX_DOUBTS])
        return shown + (f"; and {len(asks) - MAX_DOUBTS} more" if len(asks) > MAX_DOUBTS else "")

    def _only_possible(
        self,
        form: str,
        p: Pattern,
        possible: list[tuple[Fact, list[Doubt]]],
        closed: ClosedScope | None,
        lead: str,
        what: str = "be one",
    ) -> Outcome:
        """Unresolved because facts on record match only possibly."""
        reason = f"{lead} {self._maybe(possible, p, what)}"
        if closed:
            reason += (
                " The evidence is declared complete for it, but that cannot settle "
                "what the record leaves uncertain."
            )
        return Outcome(
            form, UNRESOLVED, reason, p, possible=possible, missing=self._settle(possible)
        )

    def evaluate(self, prop: Proposition) -> Outcome:
        if isinstance(prop, Quantified):
            return self._quantified(prop)
        if isinstance(prop, Every):
            return self._every(prop)
        if isinstance(prop, Count):
            return self._count(prop)
        return self._combined(prop)

    def _quantified(self, prop: Quantified) -> Outcome:
        p, found = prop.pattern, self.matching(prop.pattern)
        certain = found.certain
        closed = self.closure(p)
        want = self._describe(p)
        if certain:
            first = self._fact(certain[0]) + self._via(certain[0], p)
            more = (
                f" ({plural(len(certain), 'matching fact')} in all)" if len(certain) > 1 else ""
            )
            if prop.form == "none":
                return Outcome(
                    "none",
                    CONTRADICTED,
                    f"The evidence records that {first}{more}, which the statement denies.",
                    p,
                    facts=certain,
                )
            return Outcome(
                "some", SUPPORTED, f"The evidence records that {first}{more}.", p, facts=certain
            )
        if found.possible:
            out = self._only_possible(
                prop.form, p, found.possible, closed, f"No {want} is certainly on record."
            )
            out.reason = _then(out.reason, self._bulk(p, self.related(p)))
            return out
        if closed:
            verdict = SUPPORTED if prop.form == "none" else CONTRADICTED
            return Outcome(
                prop.form,
                verdict,
                _then(
                    f"No {want} is on record, and the evidence is "
                    f"declared complete for it: {closed.reason}",
                    self._bulk(p, self.related(p)),
                ),
                p,
                closure=closed,
            )
        return self._open(
            prop.form,
            p,
            f"No {want} was found, but the evidence is not declared "
            "complete for it, so its absence proves nothing.",
        )

    def _every(self, prop: Every) -> Outcome:
        p, m = prop.pattern, prop.must
        found = self.matching(p)
        ftype = self.types[p.type]
        certain = {id(f) for f in found.certain}  # facts compare by identity
        doubts_of = {id(f): ds for f, ds in found.possible}
        failing: list[Fact] = []
        # Facts that may count against `must`: failing it while in the pattern only
        # possibly, or meeting it only possibly (a role it fixes is not given, a
        # coarse time). A fact that certainly meets `must` cannot count against it.
        unsettled: list[tuple[Fact, list[Doubt]]] = []
        for f in found.any():
            meets, why = match(f, m, ftype, self.entities)
            if meets is Degree.NO and id(f) in certain:
                failing.append(f)
            elif meets is not Degree.CERTAIN:
                unsettled.append((f, doubts_of.get(id(f), []) + why))
        want, need = self._describe(p), describe_pattern(m, ftype, self.entities, roles_only=True)
        if failing:
            return Outcome(
                "every",
                CONTRADICTED,
                f"The evidence records that {self._fact(failing[0])}{self._via(failing[0], p)},"
                f" which does not meet '{need}'"
                f"{f' ({len(failing)} such facts)' if len(failing) > 1 else ''}.",
                p,
                m,
                facts=failing,
            )
        if not found.certain and not found.possible:
            out = self._open(
                "every", p, f"No {want} was found, so there is nothing to hold to '{need}'."
            )
            out.must = m
            return out
        if unsettled or not found.certain:
            lead = (
                f"No {want} is certainly on record."
                if not found.certain
                else f"{plural(len(found.certain), 'matching fact')} on record, but "
                f"{plural(len(unsettled), 'fact')} may or may not count against '{need}'."
            )
            unsettled = unsettled or found.possible
            first = unsettled[0][0]
            what = f"meet '{need}'" if id(first) in certain else f"be one that meets '{need}'"
            out = self._only_possible("every", p, unsettled, None, lead, what)
            out.must = m
            return out
        closed = self.closure(p)
        n = len(found.certain)
        if closed:
            return Outcome(
                "every",
                SUPPORTED,
                f"All {plural(n, 'matching fact')} meet "
                f"'{need}', and the evidence is declared complete: {closed.reason}",
                p,
                m,
                facts=found.certain,
                closure=closed,
            )
        return Outcome(
            "every",
            UNRESOLVED,
            f"All {plural(n, 'matching fact')} meet "
            f"'{need}', but the evidence is not declared complete, so others may not.",
            p,
            m,
            facts=[],
            related=found.certain,
            missing=self._missing(p, f"{article(p.type).title()} {want} that fails '{need}'"),
        )

    @staticmethod
    def _distinct(facts: list[Fact]) -> list[Fact]:
        """Facts of one type with the same role values and time count once."""
        out: list[Fact] = []
        keys: set[Any] = set()
        for f in facts:
            if f.key not in keys:
                keys.add(f.key)
                out.append(f)
        return out

    def _count(self, prop: Count) -> Outcome:
        p = prop.pattern
        found = self.matching(p)
        distinct = self._distinct(found.certain)
        keys = {f.key for f in distinct}
        extra = self._distinct([f for f, _ in found.possible if f.key not in keys])
        possible = [(f, ds) for f, ds in found.possible if any(f is e for e in extra)]
        n, n_any, closed = len(distinct), len(distinct) + len(extra), self.closure(p)
        want = self._describe(p)
        got = f"{plural(n, 'distinct ' + p.type + ' fact')} match {want}"
        if extra:
            got += f" certainly, {n_any} at least possibly"
        lo, hi = prop.at_least, prop.at_most
        if hi is not None and n > hi:
            return Outcome(
                "count",
                CONTRADICTED,
                f"{got}: more than the at most {hi} claimed.",
                p,
                facts=distinct,
            )
        if closed and lo is not None and n_any < lo:
            return Outcome(
                "count",
                CONTRADICTED,
                f"{got}: fewer than the at least {lo} "
                f"claimed, and the evidence is declared complete: {closed.reason}",
                p,
                facts=distinct,
                closure=closed,
            )
        enough = lo is None or n >= lo
        not_too_many = hi is None or (closed is not None and n_any <= hi)
        if enough and not_too_many:
            if lo is not None and hi is not None:
                assert closed is not None
                reason = (
                    f"{got}: between {lo} and {hi}, and the evidence is declared complete: "
                    f"{closed.reason}"
                )
            elif lo is not None:
                reason = f"{got}: at least {lo}, as claimed."
            else:
                assert closed is not None
                reason = (
                    f"{got}: at most {hi}, and the evidence is declared complete: "
                    f"{closed.reason}"
                )
            return Outcome(
                "count",
                SUPPORTED,
                reason,
                p,
                facts=distinct,
                closure=closed if hi is not None else None,
            )
        if closed:
            # Closed, yet neither side holds for every way the uncertain facts could go.
            bound = f"at most {hi}" if hi is not None and n_any > hi else f"at least {lo}"
            return self._only_possible(
                "count", p, possible, closed, f"{got}: whether that is {bound} turns on them.",
                "count",
            )
        out = self._open(
            "count",
            p,
            f"{got} so far, but the evidence is not declared complete, "
            "so the true number may be higher.",
        )
        out.related = distinct + out.related
        if possible:
            out.possible = possible
            out.reason += " " + self._maybe(possible, p, "count")
            out.missing = f"{out.missing}; {self._settle(possible)}"
        return out

    def _combined(self, prop: Combined) -> Outcome:
        kids = [self.evaluate(p) for p in prop.items]
        verdicts = [k.verdict for k in kids]
        if prop.form == "not":
            flip = {SUPPORTED: CONTRADICTED, CONTRADICTED: SUPPORTED}.get(verdicts[0], UNRESOLVED)
            return Outcome(
                "not",
                flip,
                f"The negated proposition is {verdicts[0]}: {kids[0].reason}",
                children=kids,
                missing=kids[0].missing,
            )
        decisive, absorbing = (
            (CONTRADICTED, SUPPORTED) if prop.form == "all_of" else (SUPPORTED, CONTRADICTED)
        )
        if decisive in verdicts:
            verdict = decisive
            why = [k.reason for k in kids if k.verdict == decisive]
            lead = f"{'One part' if len(why) == 1 else str(len(why)) + ' parts'} {decisive}: "
        elif all(v == absorbing for v in verdicts):
            verdict, why, lead = absorbing, [k.reason for k in kids], f"Every part {absorbing}: "
        else:
            verdict = UNRESOLVED
            why = [k.reason for k in kids if k.verdict == UNRESOLVED]
            lead = f"{plural(len(why), 'part')} unresolved: "
        missing = "; ".join(k.missing for k in kids if k.verdict == UNRESOLVED and k.missing)
        return Outcome(
            prop.form, verdict, lead + " ".join(why), children=kids, missing=missing or None
        )
