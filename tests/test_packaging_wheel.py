"""What users install: a wheel of this tree, installed apart from it, works like the tree
(issue #12).

The rest of the suite imports the editable install, which reads checker/data from the
tree and so cannot see a data file the wheel leaves out. Here the wheel is built once
(offline: `--no-build-isolation --no-index`, from a copy of the sources so the tree gets
no build/ folder), installed with `pip install --target`, and its `checker` is run from a
folder outside the repository on a copy of the bundled case, beside the tree's own.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import BUNDLED_PARTS, ROOT, copy_case

DATA = ROOT / "checker" / "data"
#: The files a build reads besides checker/ (pyproject's `readme`).
BUILD_INPUTS = ("pyproject.toml", "README.md")
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
TREE_CHECKER = Path(sys.executable).parent / "checker"


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None,
         timeout: int = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, (
        f"{' '.join(cmd)} exited {done.returncode} in {cwd}:\n"
        f"{done.stderr[-3000:]}\nstdout:\n{done.stdout[-2000:]}"
    )
    return done


def data_files() -> list[str]:
    """Every file under checker/data, as its path in the wheel: the folder is the list."""
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in DATA.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel of this working tree, built once for the module."""
    have = metadata.version("setuptools")
    if tuple(int(n) for n in have.split(".")[:2]) < (70, 1):
        pytest.fail(f"setuptools {have} cannot build a wheel without the `wheel` package; "
                    "`make install` (pip install -e '.[dev]') brings setuptools>=70.1")
    src = tmp_path_factory.mktemp("source")
    for name in BUILD_INPUTS:
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "checker", src / "checker",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheel")
    # Offline: no isolated build environment to download. .venv's setuptools builds
    # it (the dev extra asks for one that builds wheels by itself).
    _run([*PIP, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", str(out), str(src)], cwd=src)
    (built,) = out.glob("checker-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder the wheel is installed into (its dependencies are .venv's)."""
    target = tmp_path_factory.mktemp("site")
    _run([*PIP, "install", "--no-deps", "--no-index", "-q", "--target", str(target),
          str(wheel)], cwd=target)
    return target


@pytest.fixture(scope="module")
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder outside the repository, so nothing is imported from it."""
    return tmp_path_factory.mktemp("elsewhere")


def _env(site: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    if site is not None:
        env["PYTHONPATH"] = str(site)
    env["PYTHONNOUSERSITE"] = "1"
    return env


def _where(site: Path | None, cwd: Path) -> dict[str, str]:
    """Where `checker` and its built-in packs are imported from, with `site` first."""
    code = ("import json, checker, checker.extract.packs as p; "
            "print(json.dumps({'module': checker.__file__, 'packs': str(p.BUILTIN_DIR)}))")
    done = _run([sys.executable, "-c", code], cwd=cwd, env=_env(site))
    return dict(json.loads(done.stdout))


def _results(command: Path, site: Path | None, cwd: Path, case: Path) -> dict[str, Any]:
    """`checker extract`, its facts and `check --format json` on `case`, with `command`."""
    env = _env(site)
    extract = _run([str(command), "extract", str(case)], cwd=cwd, env=env)
    facts = _run([str(command), "facts", str(case), "--origin", "extractor",
                  "--format", "json"], cwd=cwd, env=env)
    check = _run([str(command), "check", str(case), "--format", "json"], cwd=cwd, env=env)
    return {"extract": extract.stdout, "facts": json.loads(facts.stdout),
            "check": json.loads(check.stdout)}


@pytest.fixture(scope="module")
def from_wheel(installed: Path, outside: Path) -> dict[str, Any]:
    case = copy_case(ROOT, outside / "wheel-case", BUNDLED_PARTS)
    return _results(installed / "bin" / "checker", installed, outside, case)


@pytest.fixture(scope="module")
def from_tree(outside: Path) -> dict[str, Any]:
    case = copy_case(ROOT, outside / "tree-case", BUNDLED_PARTS)
    return _results(TREE_CHECKER, None, outside, case)


def test_packaging_wheel_ships_every_data_file(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    expected = data_files()
    assert any(name.startswith("checker/data/patterns/") for name in expected)
    assert [name for name in expected if name not in names] == []


def test_packaging_wheel_install_holds_every_data_file(installed: Path) -> None:
    assert [name for name in data_files() if not (installed / name).is_file()] == []


def test_packaging_wheel_is_what_the_install_imports(installed: Path, outside: Path) -> None:
    where = _where(installed, outside)
    assert Path(where["module"]).is_relative_to(installed), where
    assert Path(where["packs"]).is_relative_to(installed), where
    assert not Path(where["module"]).is_relative_to(ROOT), where
    # And the comparison is with the tree: the editable install imports from ROOT.
    assert Path(_where(None, outside)["module"]).is_relative_to(ROOT)


def test_packaging_wheel_extracts_the_facts_the_tree_extracts(
    from_wheel: dict[str, Any], from_tree: dict[str, Any]
) -> None:
    ids = sorted(f["id"] for f in from_wheel["facts"])
    assert ids, f"the installed checker extracted no facts:\n{from_wheel['extract']}"
    assert ids == sorted(f["id"] for f in from_tree["facts"])
    assert from_wheel["facts"] == from_tree["facts"]


def test_packaging_wheel_check_gives_the_verdicts_the_tree_gives(
    from_wheel: dict[str, Any], from_tree: dict[str, Any]
) -> None:
    def verdicts(report: dict[str, Any]) -> dict[str, str]:
        return {c["id"]: c["verdict"] for c in report["claims"]}

    assert verdicts(from_wheel["check"]) == verdicts(from_tree["check"])
    assert verdicts(from_tree["check"])
    assert from_wheel["check"] == from_tree["check"]
