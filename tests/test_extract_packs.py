"""Loading the pattern packs: an install without the built-in packs is an error,
never an extraction that quietly finds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker import data
from checker.cli import app
from checker.errors import BuiltinPacksMissing
from checker.extract import packs
from checker.model.facttypes import FactType
from tests.conftest import CaseBuilder

TYPES = {t.type: t for t in (FactType.model_validate(raw) for raw in data.fact_types())}


@pytest.fixture
def no_builtin_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The built-in folder as a wheel built without its data files leaves it: empty."""
    empty = tmp_path / "installed" / "checker" / "data" / "patterns"
    empty.mkdir(parents=True)
    monkeypatch.setattr(packs, "BUILTIN_DIR", empty)
    return empty


def test_packs_builtin_folder_is_the_only_list_and_has_packs() -> None:
    assert sorted(packs.BUILTIN_DIR.glob("*.yaml"))
    assert {p.fact for p in packs.load_packs(TYPES)} <= set(TYPES)


def test_packs_missing_builtin_packs_is_an_error_that_says_reinstall(
    no_builtin_packs: Path, tmp_path: Path
) -> None:
    (tmp_path / "mine.yaml").write_text(
        "fact: meeting\npatterns:\n  - id: my-met\n    confidence: 0.5\n"
        "    match: [[{LOWER: met}]]\n    roles: {}\n"
    )
    # The case's own packs do not make up for the missing built-in ones.
    for dirs in ([], [tmp_path]):
        with pytest.raises(BuiltinPacksMissing) as err:
            packs.load_packs(TYPES, dirs)
        text = str(err.value)
        assert f"no *.yaml in {no_builtin_packs}" in text
        assert "Reinstall checker" in text


def test_packs_missing_builtin_packs_stop_checker_extract_with_the_error(
    no_builtin_packs: Path, make_case: CaseBuilder
) -> None:
    case = make_case()
    result = CliRunner().invoke(app, ["extract", str(case)])
    assert result.exit_code == 1, result.output
    assert "Error: checker's built-in pattern packs are missing" in result.output
    assert "Traceback" not in result.output
