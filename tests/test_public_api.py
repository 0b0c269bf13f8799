"""`import checker`: the one public face (load a case, check it, render it)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import checker
from checker.check.checker import Checker
from checker.report import FORMATS
from checker.report.context import ReportContext
from tests.conftest import ROOT


def test_public_api_checks_and_renders_the_bundled_case_as_the_cli_does(bundled_case: Path) -> None:
    case = checker.load_case(bundled_case)
    try:
        result = checker.check_case(case)
        assert result == Checker(case).run()
        for fmt, render in FORMATS.items():
            assert checker.render(result, case, fmt) == render(result, ReportContext.of(case))
    finally:
        case.close()
    assert checker.FORMATS is FORMATS
    assert set(checker.__all__) <= set(dir(checker)) | {"Case", "CaseInvalid", "CaseResult",
                                                        "CheckerError", "FORMATS"}


def test_public_api_unknown_format_says_which_exist(bundled_case: Path) -> None:
    case = checker.load_case(bundled_case)
    try:
        with pytest.raises(checker.CheckerError, match="Did you mean 'json'.*Formats: claimreview"):
            checker.render(checker.check_case(case), case, "jsno")
    finally:
        case.close()


def test_public_api_invalid_case_is_one_error_listing_problems(tmp_path: Path) -> None:
    with pytest.raises(checker.CaseInvalid) as err:
        (tmp_path / "claims").mkdir()
        checker.load_case(tmp_path)
    assert "entities.yaml" in str(err.value)


def test_public_api_importing_a_stage_does_not_load_the_rest() -> None:
    """Worker processes import checker.ingest or checker.extract alone: the
    package's face must not pull in the case layer, the reports or spaCy."""
    code = (
        "import sys, checker.ingest.email; "
        "print(sorted(m for m in sys.modules if m.startswith(('checker.case', "
        "'checker.report', 'checker.check', 'spacy'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_public_api_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        checker.nothing  # noqa: B018
