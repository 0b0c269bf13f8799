"""The shared fixtures keep every run of checker off the originals (issue #12).

checker writes its index (CASE/.checker/) into the case it runs on, so the
spec's example case (../shared, read-only in CI) and the bundled case (the
repository root) are only ever checked as copies in pytest's temporary folder.
An audit hook records what this process writes, so other people's runs of
checker on the same files cannot confuse the test.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.cli import app
from tests.conftest import INDEX_FOLDER, ROOT, SHARED, copy_case

_RECORDERS: list[list[Path]] = []
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Note the paths this process opens for writing, makes, or opens as a database."""
    if not _RECORDERS:
        return
    path: Any = None
    if event == "open" and not isinstance(args[0], int) and args[0] is not None:
        mode, flags = args[1], args[2]
        if (isinstance(mode, str) and set(mode) & set("wax+")) or (
            isinstance(flags, int) and flags & _WRITE_FLAGS
        ):
            path = args[0]
    elif event == "sqlite3.connect" and args[0] not in (":memory:", b":memory:", ""):
        path = args[0]
    elif event in ("os.mkdir", "os.rename", "os.remove") and args[-1] is None:  # no dir_fd
        path = args[0]
    if isinstance(path, str | bytes | os.PathLike):
        _RECORDERS[-1].append(Path(os.path.abspath(os.fsdecode(path))))


_HOOKED: list[bool] = []


@contextmanager
def written() -> Iterator[list[Path]]:
    """The paths written in this process inside the `with` block."""
    if not _HOOKED:  # an audit hook cannot be removed: add one, once, that idles
        sys.addaudithook(_audit)
        _HOOKED.append(True)
    paths: list[Path] = []
    _RECORDERS.append(paths)
    try:
        yield paths
    finally:
        _RECORDERS.remove(paths)


def _outside(paths: list[Path], tmp: Path) -> list[Path]:
    """Those of `paths` in ../shared or the repository, where tests must not write."""
    return [
        p for p in paths
        if not p.is_relative_to(tmp) and (p.is_relative_to(SHARED) or p.is_relative_to(ROOT))
        and "__pycache__" not in p.parts
    ]


@pytest.mark.parametrize("fixture", ["bundled_case", "spec_case"])
def test_conftest_case_fixture_is_a_copy_in_the_temporary_folder(
    fixture: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    case: Path = request.getfixturevalue(fixture)
    assert case.is_relative_to(tmp_path_factory.getbasetemp())
    assert (case / "case.yaml").is_file() and (case / "claims").is_dir()


@pytest.mark.parametrize("fixture", ["bundled_case", "spec_case"])
def test_conftest_checking_a_case_fixture_writes_only_inside_the_copy(
    fixture: str, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> None:
    case: Path = request.getfixturevalue(fixture)
    with written() as paths:
        Checker(load_case(case)).run()
        result = CliRunner().invoke(app, ["check", str(case), "--format", "json"])
    assert result.exit_code == 0, result.output
    # The recorder sees the index being written, in the copy; nothing beside the originals.
    assert case / INDEX_FOLDER / "index.sqlite" in paths
    assert _outside(paths, tmp_path_factory.getbasetemp()) == []


def test_conftest_copy_case_leaves_out_the_index_and_what_is_asked(tmp_path: Path) -> None:
    src = tmp_path / "src"
    for rel in ("case.yaml", "claims/c.yaml", "evidence/a.eml", "evidence/analyst.facts.yaml",
                f"{INDEX_FOLDER}/index.sqlite", "notes.txt"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(rel)

    whole = copy_case(src, tmp_path / "whole", leave_out=("analyst.facts.yaml",))
    parts = copy_case(src, tmp_path / "parts", ("case.yaml", "claims", "evidence"))

    def listing(root: Path) -> list[str]:
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())

    assert listing(whole) == ["case.yaml", "claims/c.yaml", "evidence/a.eml", "notes.txt"]
    assert listing(parts) == ["case.yaml", "claims/c.yaml", "evidence/a.eml",
                              "evidence/analyst.facts.yaml"]
