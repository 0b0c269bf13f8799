"""Rules as data, and forward chaining to a fixpoint.

A rule derives one fact (`derive`) from facts matching every pattern in
`when`. Variables (`$x`) bind role values and carry them into `derive`; a
role the matched fact lacks binds to nothing and is left out. Every derived
fact keeps its rule id, the explanation sentence filled in, and its premises.

A premise that matches a `when` pattern only possibly (revision 2: a coarse
time against a scope, a fixed role the fact does not give, a parent entity)
still derives the fact, but as a possible one: it carries the doubts, so any
pattern it matches, it matches only possibly. Variables join on certain
equality only.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import permutations
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from checker.engine.match import Doubt, role_degree, role_matches, scope_degree
from checker.model.degree import Degree
from checker.model.entities import EntityIndex
from checker.model.facts import Fact, fact_interval, fact_key
from checker.model.facttypes import FactType
from checker.model.patterns import Pattern, Var

_UNSET = object()


class Rule(BaseModel):
    """One rule as written in checker/data/rules.yaml or a case's rules/*.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    when: list[dict[str, Any]] = Field(min_length=1)
    derive: dict[str, Any]
    explain: str
    note: str | None = None


@dataclass(frozen=True)
class CompiledRule:
    id: str
    body: tuple[Pattern, ...]
    head: Pattern
    explain: str
    where: str


def _vars(value: Any) -> list[str]:
    items = value if isinstance(value, tuple) else (value,)
    return [v.name for v in items if isinstance(v, Var)]


def unbound_variables(rule: CompiledRule) -> list[str]:
    """Variables in `derive` that no `when` pattern binds."""
    bound = {n for p in rule.body for v in p.roles.values() for n in _vars(v)}
    return sorted({n for v in rule.head.roles.values() for n in _vars(v)} - bound)


def _assign(
    env: dict[str, Any], name: str, value: Any, kind: Any, entities: EntityIndex
) -> dict[str, Any] | None:
    """`env` with `$name` bound to `value`, or None if it is bound to something else."""
    prior = env.get(name, _UNSET)
    if prior is _UNSET:
        return {**env, name: value}
    if prior is not None and not role_matches(kind, value, prior, entities):
        return None
    return env


def _binds(
    fact: Fact, pattern: Pattern, ftype: FactType, env: dict[str, Any], entities: EntityIndex
) -> Iterator[tuple[dict[str, Any], tuple[Doubt, ...]]]:
    """Every way `fact` matches `pattern`, as `env` extended with the variables bound,
    with the doubts of the parts it matches only possibly.

    A list such as `parties: [acme, $other]` needs each fixed entity matched and
    binds each variable to one of the role's other values, in every way possible.
    """
    if fact.type != pattern.type:
        return
    doubts: list[Doubt] = []
    if pattern.scope is not None:
        when = scope_degree(fact, pattern.scope)
        if when is Degree.NO:
            return
        if when is Degree.POSSIBLE:
            doubts.append(Doubt("time", fact, None, pattern.scope))
    envs = [dict(env)]
    for role, wanted in pattern.roles.items():
        have, kind = fact.roles.get(role), ftype.roles[role]
        nxt: list[dict[str, Any]] = []
        for cur in envs:
            if isinstance(wanted, Var):
                one = _assign(cur, wanted.name, have, kind, entities)
                nxt.extend([one] if one is not None else [])
            elif isinstance(wanted, tuple) and any(isinstance(w, Var) for w in wanted):
                fixed = tuple(w for w in wanted if not isinstance(w, Var))
                names = [w.name for w in wanted if isinstance(w, Var)]
                if have is None or (fixed and not role_matches(kind, have, fixed, entities)):
                    continue  # the variables need values to bind to
                values = have if isinstance(have, tuple) else (have,)
                rest = [v for v in values if not any(entities.within(v, f) for f in fixed)]
                for choice in permutations(rest, len(names)):
                    got: dict[str, Any] | None = cur
                    for name, value in zip(names, choice, strict=True):
                        if got is not None:
                            got = _assign(got, name, value, "entity", entities)
                    nxt.extend([got] if got is not None else [])
            else:
                fits = role_degree(kind, have, wanted, entities)
                if fits is not Degree.NO:
                    nxt.append(cur)
                if fits is Degree.POSSIBLE and not any(d.role == role for d in doubts):
                    doubts.append(_role_doubt(fact, role, kind, have, wanted, entities))
        envs = nxt
    for one in envs:
        yield one, tuple(doubts)


def _role_doubt(
    fact: Fact, role: str, kind: Any, have: Any, wanted: Any, entities: EntityIndex
) -> Doubt:
    if have is None:
        return Doubt("missing", fact, role, wanted)
    if kind in ("entity", "entities"):
        values = have if isinstance(have, tuple) else (have,)
        for w in wanted if isinstance(wanted, tuple) else (wanted,):
            if not any(entities.within(v, w) for v in values):
                parent = next((v for v in values if entities.within(w, v)), values[0])
                return Doubt("parent", fact, role, w, parent)
    return Doubt("date", fact, role, wanted, have)


def _instantiate(value: Any, env: dict[str, Any]) -> Any:
    if isinstance(value, Var):
        return env.get(value.name)
    if isinstance(value, tuple):
        flat: list[Any] = []
        for item in value:
            got = env.get(item.name) if isinstance(item, Var) else item
            for v in got if isinstance(got, tuple) else (got,):
                if v is not None and v not in flat:
                    flat.append(v)
        return tuple(flat) if flat else None
    return value


def _fill(template: str, env: dict[str, Any], entities: EntityIndex) -> str:
    def show(v: Any) -> str:
        if isinstance(v, tuple):
            names = [entities.name(x) for x in v]
            return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
        return entities.name(v) if isinstance(v, str) else str(v)

    filled = template
    for name, v in env.items():
        filled = filled.replace("{" + name + "}", show(v) if v is not None else "?")
    return filled


class Engine:
    """Forward chaining over a case's facts with its rules."""

    def __init__(
        self, rules: list[CompiledRule], types: dict[str, FactType], entities: EntityIndex
    ):
        self.rules = rules
        self.types = types
        self.entities = entities

    def _solutions(
        self,
        body: tuple[Pattern, ...],
        by_type: dict[str, list[Fact]],
        env: dict[str, Any],
        used: tuple[Fact, ...],
        bounds: tuple[tuple[int, int], ...] = (),
        fresh: bool = True,
        doubts: tuple[Doubt, ...] = (),
    ) -> Iterator[tuple[dict[str, Any], tuple[Fact, ...], tuple[Doubt, ...]]]:
        """Every way the facts match `body`, in the order of the facts (lexicographic).

        `bounds[i]` is (old, end) for pattern i: facts at positions below `end` take
        part (those added later wait for the next pass), and those below `old` were
        already there when the rule last ran. A combination of old facts only was
        derived then, so only combinations with at least one newer fact are made:
        `fresh` says whether an earlier pattern already took a newer fact.
        """
        if not body:
            yield env, used, doubts
            return
        first, rest = body[0], body[1:]
        ftype = self.types[first.type]
        facts = by_type.get(first.type, ())
        old, end = bounds[0] if bounds else (0, len(facts))
        # The last pattern, with only old facts before it: only its newer facts can add.
        start = old if not rest and not fresh else 0
        simple = _simple(first, ftype) if not env else None
        for i in range(start, end):
            fact = facts[i]
            if simple is not None:
                binds, flags = simple
                if fact.type != first.type:
                    continue
                if any(bool(fact.roles.get(role)) != want for role, want in flags):
                    continue
                one = {name: fact.roles.get(role) for role, name in binds}
                if rest:
                    yield from self._solutions(
                        rest, by_type, one, (*used, fact), bounds[1:], fresh or i >= old, doubts
                    )
                else:
                    yield one, (*used, fact), doubts
                continue
            for nxt, more in _binds(fact, first, ftype, env, self.entities):
                yield from self._solutions(
                    rest,
                    by_type,
                    nxt,
                    (*used, fact),
                    bounds[1:],
                    fresh or i >= old,
                    doubts + more,
                )

    def run(self, facts: list[Fact]) -> list[Fact]:
        """All facts, base and derived, once no rule adds anything new.

        Each pass runs every rule in order over the facts there are when the rule
        starts, facts derived earlier in the pass included. A rule only looks at
        combinations that include a fact added since it last ran (semi-naive
        evaluation): any other combination gave its fact then, and a fact already
        derived is not derived again, so the facts, their order and ids are the
        same as re-running every combination each pass.
        """
        # gc.freeze() after large runs would save ~4 s of collector passes at
        # 300,000 facts, but it changes the whole process for good (a library used
        # in a long-lived service must not do that); 1M facts stay under the 60 s
        # target without it.
        with no_gc():
            return self._run(facts)

    def _run(self, facts: list[Fact]) -> list[Fact]:
        by_type: dict[str, list[Fact]] = defaultdict(list)
        seen: set[tuple[Any, ...]] = set()
        for f in facts:
            if f.lead is None:  # a lead has no roles to derive from (it is only a pointer)
                by_type[f.type].append(f)
        derived: list[Fact] = []
        last: dict[int, dict[str, int]] = {}  # rule number -> type -> facts when it last ran
        changed = True
        while changed:
            changed = False
            for number, rule in enumerate(self.rules):
                ftype = self.types[rule.head.type]
                time_roles = ftype.time_roles()
                was = last.get(number, {})
                now = {p.type: len(by_type.get(p.type, ())) for p in rule.body}
                if all(now[t] == was.get(t, 0) for t in now):
                    continue  # nothing new for this rule since it last ran
                last[number] = now
                bounds = tuple((was.get(p.type, 0), now[p.type]) for p in rule.body)
                found = list(self._solutions(rule.body, by_type, {}, (), bounds, False))
                for env, premises, doubts in found:
                    roles = {r: _instantiate(v, env) for r, v in rule.head.roles.items()}
                    roles = {r: v for r, v in roles.items() if v is not None}
                    key = fact_key(rule.head.type, roles)
                    doubts += tuple(d for p in premises for d in p.doubts)
                    # A certain derivation is kept beside a possible one of the same fact.
                    if (rule.id, key, bool(doubts)) in seen:
                        continue
                    seen.add((rule.id, key, bool(doubts)))
                    fact = Fact(
                        id=f"{rule.id}({','.join(p.id for p in premises)})",
                        type=rule.head.type,
                        roles=roles,
                        status="suggested"
                        if any(p.is_suggested for p in premises)
                        else "confirmed",
                        origin="rule",
                        rule=rule.id,
                        explanation=_fill(rule.explain, env, self.entities),
                        premises=premises,
                        interval=fact_interval(roles, time_roles),
                        where=rule.where,
                        key=key,
                        doubts=doubts,
                    )
                    by_type[fact.type].append(fact)
                    derived.append(fact)
                    changed = True
        return [*facts, *derived]


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector. Chaining makes millions of objects and no
    cycles (premises point to older facts only), and with that many live objects
    the collector's passes took 70% of the time at 100,000 facts."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _simple(
    pattern: Pattern, ftype: FactType
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[str, bool], ...]] | None:
    """(role, variable) pairs and (role, true or false) conditions when `pattern` only
    binds distinct variables and fixes boolean roles, with no scope: then a fact of its
    type that meets the conditions matches in exactly one way, binding each variable to
    the role's value (None when the fact lacks the role), as `_binds` would; a boolean
    role matches certainly or not at all, a missing one being false."""
    if pattern.scope is not None:
        return None
    pairs = [(r, v.name) for r, v in pattern.roles.items() if isinstance(v, Var)]
    flags = [
        (r, bool(v))
        for r, v in pattern.roles.items()
        if ftype.roles.get(r) == "boolean" and isinstance(v, bool)
    ]
    if len(pairs) + len(flags) != len(pattern.roles) or len({n for _, n in pairs}) != len(pairs):
        return None
    return tuple(pairs), tuple(flags)
