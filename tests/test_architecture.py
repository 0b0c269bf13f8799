"""The package's shape, as docs/architecture.md draws it: stages that import
only the stages below them, no import cycle, spaCy only in extract/, and the
data folder as the only list of fact types."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

from checker import data
from tests.conftest import ROOT

PACKAGE = ROOT / "checker"

# The stages from the bottom up: a module may import its own stage, the shared
# utilities, and any stage of a lower rank (docs/architecture.md).
UTILITIES = {"errors", "yamlfile", "yamledit", "schema", "parallel", "data"}
RANK = {
    "model": 0,
    "engine": 1,
    "ingest": 1,
    "extract": 2,
    "extraction": 3,
    "case": 4,
    "check": 5,
    "report": 6,
    "cli": 7,
}


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every module of checker/ and the checker modules it imports (anywhere in
    it: at the top, in a function, or for type checking only)."""
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            found: list[str] = []
            if isinstance(node, ast.Import):
                found = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    up = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(up + ([node.module] if node.module else []))
                # `from checker import data` imports checker.data, not checker itself
                subs = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in modules]
                found = subs if len(subs) == len(node.names) else [base, *subs]
            graph[name].update(m for m in found if m in modules and m != name)
    return graph


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                out.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_architecture_has_no_import_cycle() -> None:
    assert _cycles(_imports()) == []


def test_architecture_every_module_is_in_a_stage_or_a_utility() -> None:
    loose = [
        m
        for m in _imports()
        if m != "checker" and _stage(m) not in RANK and _stage(m) not in UTILITIES
    ]
    assert loose == [], "add the module to a stage (and to docs/architecture.md)"


def test_architecture_stages_import_only_the_stages_below() -> None:
    wrong = []
    for module, imported in sorted(_imports().items()):
        mine = _stage(module)
        if mine not in RANK:
            continue
        for other in sorted(imported):
            theirs = _stage(other)
            if theirs in RANK and theirs != mine and RANK[theirs] >= RANK[mine]:
                wrong.append(f"{module} imports {other}")
    assert wrong == []


def test_architecture_the_engine_depends_on_the_model_only() -> None:
    graph = _imports()
    outside = sorted(
        f"{m} imports {o}"
        for m, imported in graph.items()
        if _stage(m) == "engine"
        for o in imported
        if _stage(o) not in ("engine", "model")
    )
    assert outside == []


def test_architecture_reports_never_take_the_whole_case() -> None:
    """Renderers see a ReportContext; only the context (for `ReportContext.of`)
    and the facts listing, which is about the loaded case's facts, know `Case`."""
    graph = _imports()
    users = sorted(
        m
        for m, imported in graph.items()
        if _stage(m) == "report" and "checker.case.load" in imported
    )
    assert users == ["checker.report.context", "checker.report.facts"]


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: _module(p))
def test_architecture_spacy_is_imported_only_in_extract(path: Path) -> None:
    if _module(path).startswith("checker.extract."):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = (
            [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        )
        assert not any(n == "spacy" or n.startswith("spacy.") for n in names)


def test_architecture_the_data_folder_is_the_only_list_of_fact_types() -> None:
    """Every type a pattern pack proposes has development phrasing tables, read
    from the data folder: a new type cannot go without a quality check."""
    from bench.extract_tables import FACT_TYPES, TABLES, table_names

    assert FACT_TYPES == data.extracted_types()
    assert table_names(TABLES) == data.extracted_types()
    assert set(data.extracted_types()) <= set(data.fact_type_names())


def test_architecture_note_names_only_paths_that_exist() -> None:
    """docs/architecture.md sends people to files: each one it names is there,
    and it draws every stage."""
    import re

    note = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:checker|tests|bench)/[\w/.<>-]+)`", note))
    missing = sorted(p for p in named if "<" not in p and not (ROOT / p).exists())
    assert missing == []
    drawn = set(re.findall(r"^\s*(\w+)/ ", note, re.M)) | set(re.findall(r"\b(\w+)/\s{2,}", note))
    assert set(RANK) <= drawn
