"""Pattern packs: YAML files of token patterns that propose facts of one type.

The format is documented in `checker/data/patterns/README.md`. Packs are
checked when loaded, every problem collected before raising once
(`CaseInvalid`, each problem as `file:line: message`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from spacy.errors import MatchPatternError
from spacy.matcher import DependencyMatcher, Matcher
from spacy.vocab import Vocab

from checker import data
from checker.errors import BuiltinPacksMissing, CaseInvalid, Problem, did_you_mean
from checker.model.facttypes import FactType
from checker.yamlfile import YamlError, line_of, load_yaml

BUILTIN_DIR = data.PATTERNS

#: Language phenomena a pattern may `allow` (see language.py).
PHENOMENA = ("negation", "modal", "future", "question", "reported")

#: Role sources written as a bare word.
SIMPLE_SOURCES = (
    "sender",
    "sender_org",
    "recipients",
    "recipient_orgs",
    "agent",
    "agent_org",
    "mentions",
    "date",
    "money",
    "message_date",
    "range_start",
    "range_end",
)
#: Entity kinds a `mentions` source may name, and the sides of the trigger.
ENTITY_KINDS = ("person", "organization", "agency", "product")
SIDES = ("before", "after", "match", "any")
#: Role sources written as a one-key mapping.
MAPPED_SOURCES = ("mentions", "keyword", "literal", "date", "text", "first")


class PackPattern(BaseModel):
    """One pattern of a pack (README: 'Keys of a pattern')."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    confidence: float = Field(ge=0, le=1)
    match: list[list[dict[str, Any]]] = []
    dependency: list[dict[str, Any]] = []
    needs: Literal["model"] | None = None
    scope: Literal["sentence", "signature"] = "sentence"
    roles: dict[str, Any]
    require: list[str] | None = None
    at_least: dict[str, int] = {}
    distinct: list[str] = []
    each: str | None = None
    allow: list[Literal["negation", "modal", "future", "question", "reported"]] = []

    @property
    def needs_model(self) -> bool:
        return self.needs == "model" or bool(self.dependency)


class Pack(BaseModel):
    """One pack file: a fact type and its patterns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fact: str
    patterns: list[PackPattern]
    path: str = ""


def _source_problems(src: Any, role: str) -> list[str]:
    """What is wrong with one role source (README: 'Role sources')."""
    if isinstance(src, str):
        if src in SIMPLE_SOURCES:
            return []
        return [f"role '{role}': unknown source '{src}'.{did_you_mean(src, SIMPLE_SOURCES)}"]
    if isinstance(src, list):
        return [p for s in src for p in _source_problems(s, role)]
    if not isinstance(src, dict) or len(src) != 1:
        return [f"role '{role}': a source is a word or a one-key mapping, not {src!r}"]
    ((key, value),) = src.items()
    if key not in MAPPED_SOURCES:
        return [f"role '{role}': unknown source '{key}'.{did_you_mean(key, MAPPED_SOURCES)}"]
    if key == "first":
        if not isinstance(value, list):
            return [f"role '{role}': 'first' takes a list of sources"]
        return [p for s in value for p in _source_problems(s, role)]
    if key == "keyword":
        if not (
            isinstance(value, dict) and all(isinstance(w, (list, str)) for w in value.values())
        ):
            return [f"role '{role}': 'keyword' maps each value to a list of words"]
        return [p for k, w in value.items() for p in _word_problems(w, role, f"keyword '{k}'")]
    if key == "date" and value != "now":
        return [f"role '{role}': the only mapped date source is {{date: now}}"]
    if key == "text":
        if not (isinstance(value, dict) and value.get("span") in ("after", "rest")):
            return [f"role '{role}': text needs {{span: after}} or {{span: rest}}"]
        extra = set(value) - {"span", "stop"}
        if extra:
            return [f"role '{role}': text takes span and stop, not {sorted(extra)}"]
        return _word_problems(value.get("stop", []), role, "stop")
    if key == "mentions":
        if not (isinstance(value, dict) and set(value) <= {"kind", "side", "start", "stop"}):
            return [f"role '{role}': mentions takes kind, side, start and stop"]
        out = []
        kinds = value.get("kind", [])
        for k in (
            [kinds] if isinstance(kinds, str) else kinds if isinstance(kinds, list) else [kinds]
        ):
            if k not in ENTITY_KINDS:
                out.append(
                    f"role '{role}': unknown kind {k!r}.{did_you_mean(str(k), ENTITY_KINDS)}"
                )
        if value.get("side", "any") not in SIDES:
            out.append(f"role '{role}': side is one of {', '.join(SIDES)}, not {value['side']!r}")
        for opt in ("start", "stop"):
            out += _word_problems(value.get(opt, []), role, opt)
        return out
    return []


def _word_problems(words: Any, role: str, what: str) -> list[str]:
    """A word list must hold words: YAML reads a bare on/off/yes/no as true/false."""
    words = [words] if isinstance(words, str) else words
    if not isinstance(words, list):
        return [f"role '{role}': {what} takes a list of words, not {words!r}"]
    out = []
    for w in words:
        if isinstance(w, bool):
            out.append(
                f"role '{role}': {what} has {w!r}, not a word: YAML reads a bare "
                f'on/off/yes/no as true/false; quote it ("on")'
            )
        elif not isinstance(w, str):
            out.append(f"role '{role}': {what} has {w!r}, not a word; quote it")
    return out


def _check(pack: Pack, types: dict[str, FactType]) -> list[tuple[int | None, str]]:
    """Problems of a parsed pack against the fact types, as (pattern index, message)."""
    ftype = types.get(pack.fact)
    if ftype is None:
        return [(None, f"unknown fact type '{pack.fact}'.{did_you_mean(pack.fact, list(types))}")]
    out: list[tuple[int | None, str]] = []
    for n, pat in enumerate(pack.patterns):
        if not pat.match and not pat.dependency and pat.scope != "signature":
            out.append((n, f"pattern '{pat.id}': needs `match` or `dependency`"))
        named = [*pat.roles, *(pat.require or []), *pat.at_least, *pat.distinct]
        named += [pat.each] if pat.each else []
        for role in named:
            if role not in ftype.roles:
                hint = did_you_mean(role, list(ftype.roles))
                out.append((n, f"pattern '{pat.id}': '{pack.fact}' has no role '{role}'.{hint}"))
        for role, src in pat.roles.items():
            out += [(n, f"pattern '{pat.id}': {m}") for m in _source_problems(src, role)]
        out += [(n, f"pattern '{pat.id}': {m}") for m in _spacy_problems(pat)]
    return out


def _spacy_problems(pat: PackPattern) -> list[str]:
    """spaCy's own check of the token / dependency patterns."""
    try:
        if pat.match:
            Matcher(Vocab(), validate=True).add(pat.id, pat.match)  # type: ignore[arg-type]
        if pat.dependency:
            DependencyMatcher(Vocab(), validate=True).add(pat.id, [pat.dependency])
    except (MatchPatternError, ValueError) as err:
        text = " ".join(str(err).split())
        return [f"bad spaCy pattern: {text}"]
    return []


def _pattern_line(raw: Any, n: int | None) -> int:
    """The line of pattern `n` in the pack file (the file's first line if unknown)."""
    pats = raw.get("patterns") if isinstance(raw, dict) else None
    lines = getattr(pats, "item_lines", None)
    if n is not None and lines and n < len(lines):
        return int(lines[n])
    return getattr(raw, "line", 1) or 1


def load_packs(types: dict[str, FactType], packs_dirs: Sequence[Path] = ()) -> list[Pack]:
    """The built-in packs, then every `*.yaml` in `packs_dirs`, checked.

    Raises `BuiltinPacksMissing` when the built-in folder has no pack: extracting
    without them would quietly find nothing."""
    if not any(BUILTIN_DIR.glob("*.yaml")):
        raise BuiltinPacksMissing(BUILTIN_DIR)
    problems: list[Problem] = []
    packs: list[Pack] = []
    seen: dict[str, str] = {}
    for folder in (BUILTIN_DIR, *packs_dirs):
        for path in sorted(Path(folder).glob("*.yaml")):
            shown = path.as_posix()
            try:
                raw = load_yaml(path, shown)
            except YamlError as err:
                problems.append(err.problem)
                continue
            if not raw:
                continue
            try:
                pack = Pack.model_validate({**raw, "path": shown})
            except ValidationError as err:
                for e in err.errors():
                    line = line_of(raw, tuple(e["loc"]))
                    where = " -> ".join(map(str, e["loc"]))
                    problems.append(Problem(shown, line, f"[{where}] {e['msg']}"))
                continue
            for n, msg in _check(pack, types):
                problems.append(Problem(shown, _pattern_line(raw, n), msg))
            for pat in pack.patterns:
                if pat.id in seen:
                    problems.append(
                        Problem(shown, 1, f"pattern id '{pat.id}' is also used in {seen[pat.id]}")
                    )
                seen[pat.id] = shown
            packs.append(pack)
    if problems:
        raise CaseInvalid(problems)
    return packs
