"""Who is who: entities, their names, addresses, and membership.

`member_of` and `part_of` are one relation here ("is inside"), transitive,
for entities of every kind: a person in a section in a department counts as
the department. References by id, name or alias are resolved in one place
(`EntityIndex.resolve`), with a near-miss suggestion when they fail.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from rapidfuzz import fuzz, process

EntityKind = Literal["organization", "person", "agency", "product"]


def _as_list(value: object) -> object:
    if value is None:
        return []
    return [value] if isinstance(value, str) else value


class Entity(BaseModel):
    """One organisation, person, agency or product, as written in entities.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    name: str
    kind: EntityKind
    aliases: list[str] = []
    domains: list[str] = []
    emails: list[str] = []
    member_of: list[str] = []
    part_of: list[str] = []
    role: str | None = None
    note: str | None = None

    _lists = field_validator("aliases", "domains", "emails", "member_of", "part_of", mode="before")(
        _as_list
    )

    @property
    def parents(self) -> list[str]:
        return [*self.member_of, *self.part_of]


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


class EntityIndex:
    """Lookups over a case's entities: references, addresses, membership."""

    def __init__(self, entities: list[Entity]):
        self.by_id: dict[str, Entity] = {e.id: e for e in entities}
        self._names: dict[str, set[str]] = {}
        for e in entities:
            for label in (e.id, e.name, *e.aliases):
                self._names.setdefault(_key(label), set()).add(e.id)
        self._emails = {addr.casefold(): e.id for e in entities for addr in e.emails}
        self._domains = {
            d.casefold().lstrip("@"): e.id
            for e in entities
            if e.kind != "person"
            for d in e.domains
        }
        self._ancestors: dict[str, tuple[str, ...]] = {}

    # -- references ---------------------------------------------------------
    def resolve(self, ref: object) -> str | None:
        """The id that `ref` (an id, name or alias) names, or None."""
        if not isinstance(ref, str):
            return None
        if ref in self.by_id:
            return ref
        ids = self._names.get(_key(ref), set())
        return next(iter(ids)) if len(ids) == 1 else None

    def ambiguous(self, ref: str) -> list[str]:
        """Ids sharing the name or alias `ref`, when more than one does."""
        ids = self._names.get(_key(ref), set())
        return sorted(ids) if len(ids) > 1 else []

    def suggest(self, ref: str) -> str | None:
        """'id' (Name) of the closest known entity, for an error message."""
        choices = {label: ids for label, ids in self._names.items() if len(ids) == 1}
        best = process.extractOne(_key(ref), list(choices), scorer=fuzz.WRatio, score_cutoff=60)
        if not best:
            return None
        eid = next(iter(choices[best[0]]))
        return f"'{eid}' ({self.by_id[eid].name})"

    def unknown_message(self, ref: object) -> str:
        if isinstance(ref, str) and self.ambiguous(ref):
            return f"'{ref}' names several entities ({', '.join(self.ambiguous(ref))}); use the id"
        hint = self.suggest(str(ref)) if isinstance(ref, str) else None
        tail = f". Did you mean {hint}?" if hint else "; add it to entities.yaml"
        return f"unknown entity '{ref}'{tail}"

    def name(self, eid: str) -> str:
        e = self.by_id.get(eid)
        return e.name if e else eid

    # -- addresses ----------------------------------------------------------
    def person_for_address(self, address: str) -> str | None:
        return self._emails.get(address.casefold())

    def organisation_for_domain(self, domain: str) -> str | None:
        domain = domain.casefold()
        while domain:
            if domain in self._domains:
                return self._domains[domain]
            domain = domain.partition(".")[2]
        return None

    def domains_within(self, eid: str) -> set[str]:
        """Domains of every organisation `eid` belongs to, directly or transitively."""
        out: set[str] = set()
        for anc in (eid, *self.ancestors(eid)):
            e = self.by_id.get(anc)
            if e and e.kind != "person":
                out.update(d.casefold().lstrip("@") for d in e.domains)
        return out

    # -- membership -----------------------------------------------------------
    def ancestors(self, eid: str) -> tuple[str, ...]:
        """Every entity `eid` is transitively member_of or part_of, nearest first."""
        if eid not in self._ancestors:
            seen: list[str] = []
            frontier = list(self.by_id[eid].parents) if eid in self.by_id else []
            while frontier:
                nxt = frontier.pop(0)
                if nxt in seen or nxt == eid or nxt not in self.by_id:
                    continue
                seen.append(nxt)
                frontier.extend(self.by_id[nxt].parents)
            self._ancestors[eid] = tuple(seen)
        return self._ancestors[eid]

    def within(self, eid: str, container: str) -> bool:
        """`eid` is `container` or transitively a member or sub-unit of it."""
        return eid == container or container in self.ancestors(eid)

    def chain(self, eid: str, container: str) -> list[tuple[str, str, str]]:
        """The membership steps from `eid` up to `container`: (child, relation, parent)."""
        if eid == container:
            return []
        paths: list[tuple[str, list[tuple[str, str, str]]]] = [(eid, [])]
        seen = {eid}
        while paths:
            node, path = paths.pop(0)
            e = self.by_id.get(node)
            if not e:
                continue
            for rel, parents in (("member_of", e.member_of), ("part_of", e.part_of)):
                for p in parents:
                    step = [*path, (node, rel, p)]
                    if p == container:
                        return step
                    if p not in seen:
                        seen.add(p)
                        paths.append((p, step))
        return []

    def cycles(self) -> list[list[str]]:
        """Membership cycles (each as the ids around it), for validation."""
        found: list[list[str]] = []
        done: set[str] = set()

        def visit(node: str, stack: list[str]) -> None:
            if node in stack:
                cycle = stack[stack.index(node) :]
                if not any(set(cycle) == set(c) for c in found):
                    found.append(cycle)
                return
            if node in done or node not in self.by_id:
                return
            for parent in self.by_id[node].parents:
                visit(parent, [*stack, node])
            done.add(node)

        for eid in self.by_id:
            visit(eid, [])
        return found
