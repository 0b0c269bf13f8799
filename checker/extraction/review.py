"""Review decisions on extracted facts: CASE/review.yaml.

A list of decisions, one per fact id, written by `checker review` or by hand:

```yaml
- fact: x-3f2a9c01            # the id `checker facts` shows
  decision: correct           # accept | reject | correct
  roles: {to: ice}            # correct only: these roles replace the extracted ones
  note: "The referral was to ICE, not DHS as a whole."
  reviewer: jb                # optional
```

`accept` makes the suggested fact confirmed; `correct` replaces the named
roles (a role given as null is removed), checks them against the fact's type
like any analyst fact, and confirms it; `reject` drops it. Extracted ids are
stable across re-extraction, so decisions survive `checker extract`; a
decision whose fact is no longer extracted is a warning, not an error.

`checker review` edits the file in place (`checker.yamledit`): the reviewer's
comments, order and layout stay, and a new fact goes where its id sorts. It
holds CASE/.checker/review.lock while it reads, changes and writes the file,
and writes a new file that it renames over the old one, so two reviewers at
once both keep their decisions and nobody reads half a file.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict

from checker.errors import Problem, ReviewNotWritable, did_you_mean
from checker.model.facts import Fact, fact_interval, fact_key
from checker.model.resolve import Resolver
from checker.schema import validate
from checker.yamledit import locked, replace_file, set_entry
from checker.yamlfile import LineDict, YamlError, load_value, load_yaml

REVIEW_FILE = "review.yaml"
HEADER = """\
# Review decisions on extracted facts (written by `checker review`; editable by hand).
# One entry per fact id, sorted by id: decision accept | reject | correct (with roles).
"""


class Decision(BaseModel):
    """One review decision."""

    model_config = ConfigDict(extra="forbid")

    fact: str
    decision: Literal["accept", "reject", "correct"]
    roles: dict[str, Any] | None = None
    note: str | None = None
    reviewer: str | None = None


@dataclass
class Entry:
    """A decision and where it is written (its line, its raw roles with lines)."""

    decision: Decision
    line: int
    raw: Any


def read_review(root: Path, problems: list[Problem]) -> list[Entry]:
    """CASE/review.yaml's decisions (none when the file is absent); problems appended."""
    path = root / REVIEW_FILE
    if not path.is_file():
        return []
    try:
        data = load_yaml(path, REVIEW_FILE)
    except YamlError as err:
        problems.append(err.problem)
        return []
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(
            Problem(
                REVIEW_FILE,
                getattr(data, "line", 1) or 1,
                "expected a list of decisions (- fact: ID, decision: accept|reject|correct)",
            )
        )
        return []
    out: list[Entry] = []
    seen: dict[str, int] = {}
    lines = getattr(data, "item_lines", [1] * len(data))
    for raw, line in zip(data, lines, strict=True):
        d = validate(Decision, raw, REVIEW_FILE, problems)
        if d is None:
            continue
        if d.fact in seen:
            problems.append(
                Problem(
                    REVIEW_FILE,
                    line,
                    f"a second decision for fact '{d.fact}' "
                    f"(the first is at {REVIEW_FILE}:{seen[d.fact]}); keep one",
                )
            )
            continue
        seen[d.fact] = line
        if d.decision == "correct" and not d.roles:
            problems.append(
                Problem(
                    REVIEW_FILE,
                    line,
                    f"decision 'correct' for fact '{d.fact}' "
                    "needs roles: {ROLE: VALUE, ...}, the corrected values",
                )
            )
            continue
        if d.decision != "correct" and d.roles:
            problems.append(
                Problem(
                    REVIEW_FILE,
                    line,
                    f"roles are only for decision 'correct'; "
                    f"fact '{d.fact}' is marked '{d.decision}'",
                )
            )
            continue
        out.append(Entry(d, line, raw))
    return out


def correct(fact: Fact, roles: dict[str, Any], res: Resolver, shown: str, line: int) -> Fact | None:
    """`fact` with `roles` replaced (None removes a role) and confirmed, or None with
    the problems in `res.problems`."""
    ftype = res.types[fact.type]
    new = dict(fact.roles)
    ok = True
    for role, raw in roles.items():
        where = raw_line(roles, role, line)
        if role not in ftype.roles:
            res.unknown_role(ftype, role, shown, where)
            ok = False
        elif raw is None:
            new.pop(role, None)
        else:
            value = res.value(ftype, role, raw, shown, where, allow_vars=False)
            ok = ok and value is not None
            new[role] = value
    if not ok:
        return None
    interval = fact_interval(new, ftype.time_roles())
    if interval is not None and interval.start and interval.end:
        if interval.end < interval.start:
            res.problem(
                shown,
                line,
                f"corrected fact '{fact.id}' ends before it begins; check the from/to dates",
            )
            return None
    # A corrected lead is a fact like any other: the reviewer gave its roles.
    return replace(
        fact, roles=new, status="confirmed", interval=interval, key=fact_key(fact.type, new),
        lead=None,
    )


def raw_line(raw: Any, key: str, default: int) -> int:
    return raw.key_lines.get(key, default) if isinstance(raw, LineDict) else default


def apply_review(
    extracted: list[Fact],
    entries: list[Entry],
    res: Resolver,
    other_ids: set[str],
    extracted_ids: Sequence[str] | None = None,
) -> tuple[list[Fact], list[Problem]]:
    """The extracted facts with decisions applied (rejected ones get status
    'rejected'), and warnings for decisions on facts that were not extracted.
    Role problems go to `res.problems`. `extracted_ids`: every id extracted,
    for "did you mean" (default: those of `extracted`), when `extracted` holds
    only the facts that decisions name."""
    by_id = {f.id: f for f in extracted}
    candidates = list(by_id) if extracted_ids is None else list(extracted_ids)
    decided: dict[str, Fact] = {}
    warnings: list[Problem] = []
    for e in entries:
        d, fact = e.decision, by_id.get(e.decision.fact)
        if fact is None:
            why = (
                "is an analyst or header fact; review decides extracted facts only"
                if d.fact in other_ids
                else "was not extracted this time; the decision has no effect (delete it, or "
                "check the id with `checker facts`)." + did_you_mean(d.fact, candidates)
            )
            warnings.append(Problem(REVIEW_FILE, e.line, f"fact '{d.fact}' {why}"))
            continue
        if d.decision == "accept" and fact.lead is not None:
            warnings.append(Problem(
                REVIEW_FILE, e.line,
                f"fact '{d.fact}' is a lead (a sentence no pattern read), with no roles to "
                "accept: use `decision: correct` with its roles, or `reject`",
            ))
        elif d.decision == "accept":
            decided[fact.id] = replace(fact, status="confirmed")
        elif d.decision == "reject":
            decided[fact.id] = replace(fact, status="rejected")
        else:
            raw_roles = e.raw.get("roles") if isinstance(e.raw, dict) else d.roles
            fixed = correct(
                fact, raw_roles or {}, res, REVIEW_FILE, raw_line(e.raw, "roles", e.line)
            )
            if fixed is not None:
                decided[fact.id] = fixed
    return [decided.get(f.id, f) for f in extracted], warnings


# -- writing -------------------------------------------------------------------
LOCK_FILE = Path(".checker") / "review.lock"


def check_writable(root: Path) -> None:
    """Raise `ReviewNotWritable` unless a decision can be recorded in `root`: the
    folder is writable (the file is replaced by renaming a new one over it) and so
    is review.yaml, if it is there. Cheap: call it before the work. A folder that
    is not there passes: loading the case says what is wrong with it."""
    path = root / REVIEW_FILE
    if not root.is_dir():
        return
    if path.exists() and not os.access(path, os.W_OK):
        raise ReviewNotWritable(path, "the file is read-only")
    if not os.access(root, os.W_OK | os.X_OK):
        raise ReviewNotWritable(path, f"the folder {root} is read-only")


def _read_for_edit(path: Path) -> tuple[str, Any]:
    """review.yaml's text and what it holds, parsed from that very text ("" and None
    when there is no file). Raises YamlError for a file `read_review` would refuse."""
    if not path.is_file():
        return "", None
    data = load_yaml(path, REVIEW_FILE)  # size, syntax and alias checks, with file:line
    if data is not None and not isinstance(data, list):
        raise YamlError(
            Problem(
                REVIEW_FILE,
                getattr(data, "line", 1) or 1,
                "expected a list of decisions; fix or "
                "delete the file, then run `checker review` again",
            )
        )
    text = path.read_text(encoding="utf-8")
    try:  # the text edited must be the text parsed, even if a hand edit came between
        again = load_value(text)
    except yaml.YAMLError:
        again = object()
    if again != data:
        raise YamlError(
            Problem(
                REVIEW_FILE, 1, "the file changed while it was read; run `checker review` again"
            )
        )
    return text, again


def write_decision(root: Path, decision: Decision) -> Path:
    """Record `decision` in CASE/review.yaml, replacing any earlier one for the same
    fact (a new fact goes where its id sorts). The reviewer's own comments, order and
    layout are kept. Raises YamlError when the file is unreadable, ReviewNotWritable
    when it cannot be written."""
    path = root / REVIEW_FILE
    check_writable(root)
    try:
        with locked(root / LOCK_FILE):
            text, data = _read_for_edit(path)
            new = set_entry(
                text,
                data,
                decision.model_dump(exclude_none=True),
                same=lambda e: isinstance(e, dict) and e.get("fact") == decision.fact,
                after=lambda e: isinstance(e, dict) and str(e.get("fact", "")) > decision.fact,
                order=tuple(Decision.model_fields),
                header=HEADER,
            )
            replace_file(path, new)
    except OSError as err:
        raise ReviewNotWritable(path, err.strerror or str(err)) from None
    return path
