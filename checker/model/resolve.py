"""Turn raw YAML (with line numbers) into resolved patterns, propositions and facts.

Every problem is appended to `Resolver.problems` as `file:line: message`
with a suggestion where one is close; nothing raises, so one run reports
everything wrong with a case.
"""

from __future__ import annotations

from typing import Any

from checker.errors import Problem, did_you_mean
from checker.model.claims import FORMS, Combined, Count, Every, Proposition, Quantified
from checker.model.entities import EntityIndex
from checker.model.facttypes import TIME_SCOPES, FactType
from checker.model.patterns import Pattern, Scope, Var
from checker.model.timespan import DateSpan, parse_date
from checker.yamlfile import LineDict


def _line(raw: Any, key: str | None = None) -> int:
    if isinstance(raw, LineDict):
        return raw.key_lines.get(key, raw.line) if key else raw.line
    return getattr(raw, "line", 1) or 1


class Resolver:
    """Resolves references against one case's entities and fact types."""

    def __init__(
        self, entities: EntityIndex, types: dict[str, FactType], unreported: set[str] | None = None
    ):
        self.entities = entities
        self.types = types
        self.problems: list[Problem] = []
        # Names of entities already reported as invalid ("*" when entities.yaml itself
        # is missing or broken): references to them are not reported a second time.
        self.unreported = unreported or set()

    def problem(self, path: str, line: int, message: str) -> None:
        self.problems.append(Problem(path, line, message))

    # -- values -------------------------------------------------------------
    def entity(self, ref: Any, path: str, line: int) -> str | None:
        eid = self.entities.resolve(ref)
        if eid is None and not ({"*", str(ref).casefold()} & self.unreported):
            self.problem(path, line, self.entities.unknown_message(ref))
        return eid

    def date(self, raw: Any, path: str, line: int) -> DateSpan | None:
        try:
            return parse_date(raw)
        except ValueError as err:
            self.problem(path, line, str(err))
            return None

    def value(
        self, ftype: FactType, role: str, raw: Any, path: str, line: int, allow_vars: bool
    ) -> Any:
        """One role value resolved by its kind; None (and a problem) when invalid."""
        if allow_vars and isinstance(raw, str) and raw.startswith("$"):
            return Var(raw[1:])
        kind = ftype.roles[role]
        if kind in ("entity", "entities"):
            items = raw if isinstance(raw, list) else [raw]
            if kind == "entity" and isinstance(raw, list) and not allow_vars:
                self.problem(
                    path, line, f"role '{role}' of '{ftype.type}' takes one entity, not a list"
                )
                return None
            out: list[Any] = []
            for item in items:
                if allow_vars and isinstance(item, str) and item.startswith("$"):
                    out.append(Var(item[1:]))
                else:
                    out.append(self.entity(item, path, line))
            if any(v is None for v in out):
                return None
            return tuple(out) if isinstance(raw, list) else out[0]
        if kind == "date":
            return self.date(raw, path, line)
        if kind == "boolean":
            if not isinstance(raw, bool):
                self.problem(path, line, f"role '{role}' takes true or false, got '{raw}'")
                return None
            return raw
        if kind == "number":
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                self.problem(path, line, f"role '{role}' takes a number, got '{raw}'")
                return None
            return raw
        if isinstance(kind, list):
            if raw not in kind:
                self.problem(
                    path,
                    line,
                    f"'{raw}' is not allowed for role '{role}' of "
                    f"'{ftype.type}'; use one of: {', '.join(kind)}."
                    + did_you_mean(str(raw), kind),
                )
                return None
            return raw
        if not isinstance(raw, str | int | float):
            self.problem(path, line, f"role '{role}' takes text, got a {type(raw).__name__}")
            return None
        return str(raw)

    def fact_type(self, raw: Any, path: str, line: int) -> FactType | None:
        if not isinstance(raw, str) or raw not in self.types:
            self.problem(
                path,
                line,
                f"unknown fact type '{raw}'."
                + did_you_mean(str(raw), list(self.types))
                + " Add it to types.yaml if it is new.",
            )
            return None
        return self.types[raw]

    def unknown_role(
        self, ftype: FactType, key: str, path: str, line: int, extra: tuple[str, ...] = ()
    ) -> None:
        known = [*ftype.roles, *extra]
        self.problem(
            path,
            line,
            f"unknown role '{key}' for fact type '{ftype.type}'."
            + did_you_mean(key, known)
            + f" Roles: {', '.join(known)}.",
        )

    # -- patterns -----------------------------------------------------------
    def scope(self, raw: dict[str, Any], key: str, path: str) -> Scope | None:
        line = _line(raw, key)
        value = raw[key]
        if key == "during":
            if not isinstance(value, dict) or set(value) != {"from", "to"}:
                self.problem(path, line, "'during' takes {from: DATE, to: DATE}")
                return None
            first, last = self.date(value["from"], path, line), self.date(value["to"], path, line)
            if first and last and last.end < first.start:
                self.problem(path, line, f"'during' ends ({last}) before it begins ({first})")
                return None
            return Scope(key, first, last) if first and last else None
        when = self.date(value, path, line)
        return Scope(key, when, when) if when else None

    def pattern(
        self,
        raw: Any,
        path: str,
        *,
        allow_vars: bool = False,
        default_type: str | None = None,
        extra: tuple[str, ...] = (),
    ) -> Pattern | None:
        """A pattern from `{fact: TYPE, role: value, ..., [one time scope]}`."""
        if not isinstance(raw, dict):
            self.problem(
                path,
                _line(raw),
                f"expected a pattern like {{fact: TYPE, role: value}}, got {type(raw).__name__}",
            )
            return None
        type_name = raw.get("fact", default_type)
        if type_name is None:
            self.problem(path, _line(raw), "pattern has no 'fact:' (the fact type)")
            return None
        ftype = self.fact_type(type_name, path, _line(raw, "fact"))
        if ftype is None:
            return None
        roles: dict[str, Any] = {}
        scopes: list[Scope] = []
        ok = True
        for key, value in raw.items():
            line = _line(raw, key)
            if key == "fact" or key in extra:
                continue
            if key in TIME_SCOPES:
                sc = self.scope(raw, key, path)
                ok = ok and sc is not None
                if sc:
                    scopes.append(sc)
            elif key not in ftype.roles:
                self.unknown_role(ftype, key, path, line, TIME_SCOPES + extra)
                ok = False
            else:
                v = self.value(ftype, key, value, path, line, allow_vars)
                ok = ok and v is not None
                roles[key] = v
        if len(scopes) > 1:
            self.problem(
                path, _line(raw), "a pattern takes one time scope; combine scopes with all_of"
            )
            ok = False
        if scopes and not ftype.time_roles():
            self.problem(
                path,
                _line(raw),
                f"fact type '{ftype.type}' has no time, so it cannot take '{scopes[0].kind}'",
            )
            ok = False
        if not ok:
            return None
        return Pattern(ftype.type, roles, scopes[0] if scopes else None, f"{path}:{_line(raw)}")

    # -- propositions ---------------------------------------------------------
    def proposition(self, raw: Any, path: str) -> Proposition | None:
        line = _line(raw)
        if not isinstance(raw, dict) or not raw:
            self.problem(path, line, f"a proposition is a mapping with one of: {', '.join(FORMS)}")
            return None
        forms = [k for k in raw if k in FORMS]
        if len(forms) != 1:
            unknown = [k for k in raw if k not in FORMS + ("must", "at_most", "at_least")]
            hint = did_you_mean(unknown[0], FORMS) if unknown else ""
            self.problem(
                path,
                line,
                f"a proposition takes exactly one of {', '.join(FORMS)}; "
                f"found {', '.join(map(str, raw)) or 'nothing'}.{hint}",
            )
            return None
        form = forms[0]
        allowed = {"every": {"every", "must"}, "count": {"count", "at_most", "at_least"}}.get(
            form, {form}
        )
        for key in raw:
            if key not in allowed:
                self.problem(
                    path,
                    _line(raw, key),
                    f"'{key}' does not go with '{form}'; "
                    f"'{form}' takes: {', '.join(sorted(allowed))}."
                    + did_you_mean(str(key), sorted(allowed)),
                )
                return None
        body = raw[form]
        if form in ("none", "some"):
            p = self.pattern(body, path)
            return Quantified(form, p) if p else None
        if form == "every":
            p = self.pattern(body, path)
            if "must" not in raw:
                self.problem(
                    path,
                    line,
                    "'every' needs 'must: {role: value}' (what every "
                    "matching fact must also satisfy)",
                )
                return None
            m = self.pattern(raw["must"], path, default_type=p.type if p else None)
            if p and m and m.type != p.type:
                self.problem(
                    path,
                    _line(raw, "must"),
                    f"'must' is about '{p.type}' facts; remove 'fact: {m.type}'",
                )
                return None
            return Every(p, m) if p and m else None
        if form == "count":
            p = self.pattern(body, path)
            bounds = {}
            for key in ("at_most", "at_least"):
                if key in raw:
                    n = raw[key]
                    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                        self.problem(path, _line(raw, key), f"'{key}' takes a whole number >= 0")
                        return None
                    bounds[key] = n
            if not bounds:
                self.problem(path, line, "'count' needs 'at_most: N' or 'at_least: N'")
                return None
            return Count(p, bounds.get("at_most"), bounds.get("at_least")) if p else None
        if form == "not":
            inner = self.proposition(body, path)
            return Combined("not", (inner,)) if inner else None
        if not isinstance(body, list) or not body:
            self.problem(path, _line(raw, form), f"'{form}' takes a list of propositions")
            return None
        items = [self.proposition(item, path) for item in body]
        if any(i is None for i in items):
            return None
        return Combined(form, tuple(items))  # type: ignore[arg-type]
