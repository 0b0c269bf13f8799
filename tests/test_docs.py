"""The documentation tells the truth: README.md and docs/case-format.md.

- Every `checker COMMAND` and every `--option` they show exists in the typer
  app, and every `make TARGET` in the Makefile.
- Every command their `sh` blocks run on `my-case` succeeds on a copy of the
  spec's example case (a line that cannot run here is skipped with its reason).
- Every YAML and JSON block parses. In docs/case-format.md the comment before
  each YAML block says what to do with it: `example: PATH` blocks are written
  into a copy of the example case, which must validate and give the verdicts
  the comment expects; `planned: PATH` blocks (revision 3) must still be
  rejected; `not-runnable: WHY` blocks are counted and left alone. An
  `output: CLAIM_ID` JSON block must be what `checker check --format json`
  prints for that claim.
- Its tables of fact types, rules, the example case's verdicts and exit codes
  match the catalogue, the rules, the checker and the CLI.

Every failure names the file and line of the documentation it comes from.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from typer.testing import CliRunner

from checker.cli import app
from tests.conftest import ROOT, SPEC_CASE, copy_case

README = ROOT / "README.md"
CASE_FORMAT = ROOT / "docs" / "case-format.md"
DOCS = (README, CASE_FORMAT)
DATA = ROOT / "checker" / "data"
SHELL = ("sh", "bash", "shell", "console")

runner = CliRunner()


# -- reading the documentation ------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A fenced block, the line its fence opens on, and the HTML comment before it."""

    doc: Path
    line: int
    lang: str
    text: str
    marker: str | None

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"


FENCE = re.compile(r"^(\s*)```\s*([\w-]*)\s*$")
COMMENT = re.compile(r"^\s*<!--\s*(.*?)\s*-->\s*$")


def fenced_blocks(doc: Path) -> list[Block]:
    lines = doc.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang, start = m[1], m[2], i
        body: list[str] = []
        i += 1
        while i < len(lines) and lines[i].strip() != "```":
            body.append(lines[i].removeprefix(indent))
            i += 1
        before = next((ln for ln in reversed(lines[:start]) if ln.strip()), "")
        mark = COMMENT.match(before)
        out.append(Block(doc, start + 1, lang, "\n".join(body) + "\n", mark[1] if mark else None))
        i += 1
    return out


def prose(doc: Path) -> str:
    """The text a reader sees outside fenced blocks and HTML comments, lines kept."""
    text = doc.read_text(encoding="utf-8")
    text = re.sub(r"<!--.*?-->", lambda m: "\n" * m[0].count("\n"), text, flags=re.S)
    kept, fenced = [], False
    for ln in text.split("\n"):
        if FENCE.match(ln):  # opens or closes a block
            fenced = not fenced
            kept.append("")
        else:
            kept.append("" if fenced else ln)
    return "\n".join(kept)


INLINE = re.compile(r"`((?:[^`\n]|\n(?!\s*\n))+)`")


def inline_code(doc: Path) -> Iterator[tuple[int, str]]:
    """(line, code) for every inline code span; a span may wrap onto the next line."""
    text = prose(doc)
    for m in INLINE.finditer(text):
        yield text.count("\n", 0, m.start()) + 1, " ".join(m[1].split())


def words(code: str) -> list[str]:
    try:
        return shlex.split(code, comments=True)
    except ValueError:  # an unbalanced quote in prose: plain words will do
        return code.split()


@dataclass(frozen=True)
class Call:
    """`checker COMMAND ...` as the documentation shows it."""

    where: str
    text: str
    args: tuple[str, ...]  # what follows `checker`
    shell: bool  # from a fenced shell block, not inline code

    @property
    def command(self) -> str:
        return self.args[0] if self.args and not self.args[0].startswith("-") else ""

    @property
    def options(self) -> list[str]:
        return [opt for a in self.args if (opt := option_name(a))]


def option_name(word: str) -> str | None:
    """`--out` from `--out`, `[--out` or `--set=x`; None for anything else."""
    m = re.match(r"^\[?(--?[a-z][a-z0-9-]*)", word)
    return m[1] if m else None


def is_checker(word: str) -> bool:
    return word == "checker" or word.endswith("/checker")


def command_lines(doc: Path) -> Iterator[tuple[str, str, list[str], bool]]:
    """(where, text, words, from a shell block) for each line of a fenced shell
    block and each inline code span."""
    where = doc.relative_to(ROOT)
    for block in fenced_blocks(doc):
        if block.lang in SHELL:
            for n, line in enumerate(block.text.splitlines(), start=block.line + 1):
                yield f"{where}:{n}", line.split(" #")[0].strip(), words(line), True
    for n, code in inline_code(doc):
        yield f"{where}:{n}", code, words(code), False


def calls_in(doc: Path) -> list[Call]:
    out: list[Call] = []
    for where, text, w, shell in command_lines(doc):
        at = next((i for i, x in enumerate(w) if is_checker(x)), None)
        if at is not None and (shell or len(w) > at + 1):  # prose may say just `checker`
            out.append(Call(where, text, tuple(w[at + 1:]), shell))
    return out


def bare_options_in(doc: Path) -> list[tuple[str, str]]:
    """Inline code that is an option on its own (`--workers N`): (where, option)."""
    return [(where, opt) for where, _, w, shell in command_lines(doc)
            if not shell and w and (opt := option_name(w[0]))]


def make_targets_in(doc: Path) -> list[tuple[str, str]]:
    return [(where, w[1]) for where, _, w, _ in command_lines(doc)
            if len(w) > 1 and w[0] == "make"]


CALLS = [c for doc in DOCS for c in calls_in(doc)]
BARE_OPTIONS = [o for doc in DOCS for o in bare_options_in(doc)]
MAKE_TARGETS = [t for doc in DOCS for t in make_targets_in(doc)]
BLOCKS = [b for doc in DOCS for b in fenced_blocks(doc)]


# -- what exists ----------------------------------------------------------------------


def cli_options() -> dict[str, set[str]]:
    """Each command's options, from the typer app itself."""
    group: Any = typer.main.get_command(app)  # typer's own click: no isinstance here

    def options(cmd: Any) -> set[str]:
        return {o for p in cmd.params for o in (*p.opts, *p.secondary_opts) if o.startswith("-")}

    # `checker facts add ...` is a call of `facts`: its options count as facts' own.
    return {
        name: {"--help"} | options(cmd)
        | {o for sub in getattr(cmd, "subcommands", dict)().values() for o in options(sub)}
        for name, cmd in group.commands.items()
    }


OPTIONS = cli_options()


def test_docs_found_what_they_show():
    """The parsing below finds the documentation's commands and examples: a test
    that finds nothing passes for nothing."""
    by_doc = {doc: [c for c in CALLS if c.where.startswith(str(doc.relative_to(ROOT)))]
              for doc in DOCS}
    assert len(by_doc[README]) > 20, [c.where for c in by_doc[README]]
    assert len(by_doc[CASE_FORMAT]) > 5, [c.where for c in by_doc[CASE_FORMAT]]
    assert sum(len(c.options) for c in CALLS) + len(BARE_OPTIONS) > 25
    assert len(MAKE_TARGETS) > 3
    assert len(RUNS) > 12
    assert len(EXAMPLES) > 10 and len(PLANNED) == 5 and len(OUTPUTS) == 1
    # Most examples run; each that cannot says why, and they stay few.
    assert len(NOT_RUNNABLE) <= 2, [b.where for b, _ in NOT_RUNNABLE]


def test_docs_show_every_command():
    shown = {c.command for c in CALLS}
    assert not set(OPTIONS) - shown, f"not in the documentation: {set(OPTIONS) - shown}"


@pytest.mark.parametrize("call", CALLS, ids=lambda c: f"{c.where} {c.command}")
def test_docs_checker_commands_exist(call: Call):
    assert call.command in OPTIONS, (
        f"{call.where}: `{call.text}`: `checker {call.command}` is not a command; "
        f"the commands are {', '.join(OPTIONS)}"
    )


@pytest.mark.parametrize("call", [c for c in CALLS if c.options and c.command in OPTIONS],
                         ids=lambda c: f"{c.where} {c.command}")
def test_docs_options_exist_on_their_command(call: Call):
    unknown = [o for o in call.options if o not in OPTIONS[call.command]]
    assert not unknown, (
        f"{call.where}: `{call.text}`: `checker {call.command}` has no {', '.join(unknown)}; "
        f"its options are {', '.join(sorted(OPTIONS[call.command]))}"
    )


@pytest.mark.parametrize(("where", "option"), BARE_OPTIONS, ids=[w for w, _ in BARE_OPTIONS])
def test_docs_bare_options_exist_on_some_command(where: str, option: str):
    assert any(option in opts for opts in OPTIONS.values()), (
        f"{where}: `{option}` is not an option of any checker command"
    )


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, flags=re.M))


@pytest.mark.parametrize(("where", "target"), MAKE_TARGETS, ids=[w for w, _ in MAKE_TARGETS])
def test_docs_make_targets_exist(where: str, target: str):
    assert target in makefile_targets(), f"{where}: `make {target}` is not a Makefile target"


# -- running the commands -----------------------------------------------------------

#: Lines that cannot run in a test, by a part of the line, with the reason.
CANNOT_RUN = {
    "--dask": "needs a running Dask cluster (dask scheduler and workers)",
}
#: Words that stand for something the reader supplies, and what stands in for them here.
PLACEHOLDERS = {
    "CLAIM_ID": "no-data-shared",
    "evidence/x.pdf": "evidence/2020-10-05-roster-export.eml",  # the example case has no PDF
}

RUNS = [c for c in CALLS if c.shell and "my-case" in c.args]


def invoke(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(cwd)
    result = runner.invoke(app, args)
    assert "Traceback" not in result.output, result.output
    return result


@pytest.mark.parametrize("call", RUNS, ids=lambda c: f"{c.where} {c.command}")
def test_docs_shell_commands_run_on_the_example_case(call: Call, spec_case: Path,
                                                     tmp_path: Path, monkeypatch):
    reason = next((why for part, why in CANNOT_RUN.items() if part in call.args), None)
    if reason:
        pytest.skip(f"{call.where}: `{call.text}` {reason}")
    args = [PLACEHOLDERS.get(a, a) for a in call.args]
    left = [a for a in args if re.fullmatch(r"[A-Z][A-Z_]+", a)]
    assert not left, (f"{call.where}: `{call.text}`: placeholder {left} has no stand-in; "
                      "add one to PLACEHOLDERS")
    copy_case(spec_case, tmp_path / "my-case")
    result = invoke(args, tmp_path, monkeypatch)
    assert result.exit_code == 0, (
        f"{call.where}: `{call.text}` exited {result.exit_code}:\n{result.output}"
    )
    if "--out" in args:
        out = tmp_path / args[args.index("--out") + 1]
        assert out.is_file() and out.stat().st_size, f"{call.where}: `{call.text}` wrote nothing"
    else:
        assert result.output.strip(), f"{call.where}: `{call.text}` printed nothing"


# -- YAML and JSON examples ---------------------------------------------------------


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.lang in ("yaml", "json")],
                         ids=lambda b: b.where)
def test_docs_examples_parse(block: Block):
    try:
        json.loads(block.text) if block.lang == "json" else yaml.safe_load(block.text)
    except (ValueError, yaml.YAMLError) as err:
        pytest.fail(f"{block.where}: the {block.lang} example does not parse: {err}")


@dataclass(frozen=True)
class Marker:
    kind: str  # example | planned | output | not-runnable
    value: str  # PATH, CLAIM_ID or the reason
    group: str = ""
    expect: dict[str, str] = field(default_factory=dict)


def marker(block: Block) -> Marker | None:
    if block.marker is None or ":" not in block.marker:
        return None
    head, *rest = (part.strip() for part in block.marker.split(";"))
    kind, _, value = head.partition(":")
    extra = dict(part.partition(":")[::2] for part in rest)
    expect = dict(pair.split("=", 1) for pair in extra.get("expect", "").split())
    return Marker(kind.strip(), value.strip(), extra.get("group", "").strip(), expect)


DOC_BLOCKS = [b for b in BLOCKS if b.doc == CASE_FORMAT]
MARKED = [(b, marker(b)) for b in DOC_BLOCKS]
EXAMPLES = [(b, m) for b, m in MARKED if m and m.kind == "example"]
PLANNED = [(b, m) for b, m in MARKED if m and m.kind == "planned"]
OUTPUTS = [(b, m) for b, m in MARKED if m and m.kind == "output"]
NOT_RUNNABLE = [(b, m) for b, m in MARKED if m and m.kind == "not-runnable"]


@pytest.mark.parametrize("block", [b for b in DOC_BLOCKS if b.lang in ("yaml", "json")],
                         ids=lambda b: b.where)
def test_docs_every_case_format_example_says_how_it_is_checked(block: Block):
    m = marker(block)
    kinds = ("example", "planned", "not-runnable") if block.lang == "yaml" else (
        "output", "not-runnable")
    assert m and m.kind in kinds and m.value, (
        f"{block.where}: put <!-- {' | '.join(k + ': ...' for k in kinds)} --> "
        "on the line before this block"
    )


def write_example(case: Path, path: str, text: str) -> None:
    """entities.yaml is merged by id and case.yaml by key (other files refer to them);
    any other file is written as the block shows it."""
    target = case / path
    target.parent.mkdir(parents=True, exist_ok=True)
    new = yaml.safe_load(text)
    if path == "entities.yaml":
        old = yaml.safe_load(target.read_text(encoding="utf-8"))
        ids = {e["id"]: e for e in new}
        entities = [ids.pop(e["id"], e) for e in old] + list(ids.values())
        target.write_text(yaml.safe_dump(entities, sort_keys=False), encoding="utf-8")
    elif path == "case.yaml" and target.is_file():
        meta = {**(yaml.safe_load(target.read_text(encoding="utf-8")) or {}), **new}
        target.write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
    else:
        target.write_text(text, encoding="utf-8")


def groups() -> list[list[tuple[Block, Marker]]]:
    """Blocks that share a `group:` go into one copy of the case; others alone."""
    out: dict[str, list[tuple[Block, Marker]]] = {}
    for b, m in EXAMPLES:
        out.setdefault(m.group or b.where, []).append((b, m))
    return list(out.values())


def verdicts(case: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    result = invoke(["check", str(case), "--format", "json"], case.parent, monkeypatch)
    assert result.exit_code == 0, result.output
    return {c["id"]: c for c in json.loads(result.stdout)["claims"]}


@pytest.mark.parametrize("group", groups(), ids=lambda g: "+".join(b.where for b, _ in g))
def test_docs_examples_validate_in_the_example_case(group, spec_case: Path, tmp_path: Path,
                                                     monkeypatch):
    case = copy_case(spec_case, tmp_path / "my-case")
    where = ", ".join(b.where for b, _ in group)
    for block, m in group:
        write_example(case, m.value, block.text)
    result = invoke(["validate", str(case)], tmp_path, monkeypatch)
    assert result.exit_code == 0, f"{where}: the example does not validate:\n{result.output}"
    expect = {cid: v for _, m in group for cid, v in m.expect.items()}
    if expect:
        got = verdicts(case, monkeypatch)
        for cid, verdict in expect.items():
            assert cid in got, f"{where}: no claim '{cid}' in the checker's answer"
            assert got[cid]["verdict"] == verdict, (
                f"{where}: the page says {cid} is {verdict}; the checker says "
                f"{got[cid]['verdict']}: {got[cid]['reason']}"
            )


@pytest.mark.parametrize(("block", "mark"), PLANNED, ids=[b.where for b, _ in PLANNED])
def test_docs_planned_examples_are_still_rejected(block: Block, mark: Marker, spec_case: Path,
                                                  tmp_path: Path, monkeypatch):
    case = copy_case(spec_case, tmp_path / "my-case")
    write_example(case, mark.value, block.text)
    result = invoke(["validate", str(case)], tmp_path, monkeypatch)
    assert result.exit_code == 2, (
        f"{block.where}: this revision-3 example now validates: move it out of 'Planned' "
        "in docs/case-format.md and document it as accepted"
    )
    assert f"{mark.value}:" in result.output, (
        f"{block.where}: rejected, but not for a problem in the example itself:\n{result.output}"
    )


@pytest.mark.parametrize(("block", "mark"), OUTPUTS, ids=[b.where for b, _ in OUTPUTS])
def test_docs_json_example_is_what_check_prints(block: Block, mark: Marker, spec_case: Path,
                                                tmp_path: Path, monkeypatch):
    shown = json.loads(block.text)
    case = copy_case(spec_case, tmp_path / "my-case")
    result = invoke(["check", str(case), "--format", "json"], tmp_path, monkeypatch)
    real = json.loads(result.stdout)
    assert shown["case"] == real["case"], f"{block.where}: case"
    (claim,) = shown["claims"]
    assert claim["id"] == mark.value, f"{block.where}: shows {claim['id']}, not {mark.value}"
    (same,) = [c for c in real["claims"] if c["id"] == mark.value]
    for key in sorted(set(claim) | set(same)):
        assert claim.get(key) == same.get(key), (
            f"{block.where}: '{key}' differs from `checker check --format json`; "
            f"it prints:\n{json.dumps(same.get(key), indent=2)}"
        )


# -- tables ---------------------------------------------------------------------------


def table_after(mark: str) -> tuple[int, list[list[str]]]:
    """The line of, and the body rows of, the table right after `<!-- mark -->`."""
    lines = CASE_FORMAT.read_text(encoding="utf-8").splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.strip() == f"<!-- {mark} -->")
    rows = []
    for ln in lines[at + 3:]:  # the marker, the header, the rule
        if not ln.startswith("|"):
            break
        rows.append([cell.strip() for cell in ln.strip().strip("|").split(" | ")])
    return at + 1, rows


def kind_of(text: str) -> Any:
    text = re.sub(r"\(.*?\)", "", text).strip()
    if text in ("entity", "entities", "text", "number", "date", "boolean"):
        return text
    return sorted(set(re.findall(r"[a-z_]+", text)) - {"one", "of", "or"})


def test_docs_fact_type_table_matches_the_catalogue():
    line, rows = table_after("catalogue: checker/data/types.yaml")
    shown = {row[0].strip("`"): {role: kind_of(kind) for role, kind in
                                 re.findall(r"`(\w+)`: ([^;]+)", row[1])} for row in rows}
    catalogue = {t["type"]: {role: kind if isinstance(kind, str) else sorted(kind)
                             for role, kind in t["roles"].items()}
                 for t in yaml.safe_load((DATA / "types.yaml").read_text(encoding="utf-8"))}
    assert len(catalogue) > 8
    assert shown == catalogue, f"docs/case-format.md:{line}: the table is not the catalogue"


def test_docs_rule_table_matches_the_builtin_rules():
    line, rows = table_after("catalogue: checker/data/rules.yaml")
    rules = [r["id"] for r in yaml.safe_load((DATA / "rules.yaml").read_text(encoding="utf-8"))]
    assert [row[0].strip("`") for row in rows] == rules, (
        f"docs/case-format.md:{line}: the table does not list checker/data/rules.yaml"
    )


def test_docs_example_case_verdicts_are_the_checkers(spec_case: Path, tmp_path: Path,
                                                     monkeypatch):
    line, rows = table_after("verdicts: example case")
    shown = {row[0].strip("`"): row[2] for row in rows}
    expected = yaml.safe_load((SPEC_CASE / "expected.yaml").read_text(encoding="utf-8"))
    assert shown == expected, f"docs/case-format.md:{line}: the table is not expected.yaml"
    got = verdicts(copy_case(spec_case, tmp_path / "my-case"), monkeypatch)
    assert {cid: c["verdict"] for cid, c in got.items()} == shown, (
        f"docs/case-format.md:{line}: the checker's verdicts differ from the table"
    )


BROKEN_CLAIM = """\
- id: broken
  speaker: rusd
  quote: "Q."
  asserts:
    none: {fact: data_sharin, from: rusd}
"""

#: A command that ends with each documented exit code, on a copy of the example case.
EXIT_CODES = {
    0: ["validate", "my-case"],
    1: ["check", "my-case", "--out", "no-such-folder/report.html"],
    2: ["validate", "my-case"],  # after BROKEN_CLAIM is added
    3: ["explain", "no-such-claim", "my-case"],
}


@pytest.mark.parametrize("code", sorted(EXIT_CODES))
def test_docs_exit_codes_are_the_clis(code: int, spec_case: Path, tmp_path: Path, monkeypatch):
    line, rows = table_after("exit-codes")
    assert sorted(int(row[0]) for row in rows) == sorted(EXIT_CODES), (
        f"docs/case-format.md:{line}: documented exit codes differ from the ones tested here"
    )
    case = copy_case(spec_case, tmp_path / "my-case")
    if code == 2:
        (case / "claims" / "broken.yaml").write_text(BROKEN_CLAIM, encoding="utf-8")
    result = invoke(EXIT_CODES[code], tmp_path, monkeypatch)
    assert result.exit_code == code, (
        f"docs/case-format.md:{line}: `checker {' '.join(EXIT_CODES[code])}` exited "
        f"{result.exit_code}, not {code}:\n{result.output}"
    )
