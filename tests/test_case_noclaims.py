"""A case with no claims yet: a desk reads and codes a production before it writes any.

Every command that reads or codes the evidence works on such a case; `check` and
`explain` say there is nothing to check (exit 2, one line on stderr) before any
evidence is read. "No claims" is any of `LAYOUTS`; a claims file that is not a
list of claims is still a problem with its file and line. The extractor is the
fake from test_extract_review, so the texts are exact.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from checker.case.load import load_case
from checker.cli import app
from checker.errors import NoClaims
from tests.conftest import CaseBuilder
from tests.test_extract_review import SENTENCE, install

runner = CliRunner()


def invoke(*args: str | Path) -> Any:
    result = runner.invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def _no_folder(root: Path) -> None:
    shutil.rmtree(root / "claims")


def _empty_folder(root: Path) -> None:
    (root / "claims" / "claims.yaml").unlink()


def _writes(text: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        (root / "claims" / "claims.yaml").write_text(text)

    return write


def _production_only(root: Path) -> None:
    """A fresh production: entities.yaml and evidence/, nothing else."""
    shutil.rmtree(root / "claims")
    (root / "case.yaml").unlink()


#: Ways a case has no claims, each applied to a valid case from `make_case`.
LAYOUTS: dict[str, Callable[[Path], None]] = {
    "no-claims-folder": _no_folder,
    "empty-claims-folder": _empty_folder,
    "empty-file": _writes(""),
    "comments-only": _writes("# statements go here once the production is coded\n"),
    "empty-list": _writes("[]\n"),
    "production-only": _production_only,
}


@pytest.fixture(params=sorted(LAYOUTS))
def bare(request: pytest.FixtureRequest, make_case: CaseBuilder,
         monkeypatch: pytest.MonkeyPatch) -> Path:
    install(monkeypatch, confidence=0.9)
    root = make_case()
    LAYOUTS[request.param](root)
    return root


def nothing_to_check(root: Path) -> str:
    return (
        f"Error: {root}: nothing to check: the case has no claims yet. Write the statements "
        "to check in claims/*.yaml (docs/case-format.md, 'Claims'); until then ingest, "
        "docs, show, extract, facts and review work without them.\n"
    )


def _extracted_id(root: Path) -> str:
    listed = invoke("facts", root, "--origin", "extractor", "--format", "json")
    return str(json.loads(listed.stdout)[0]["id"])


# -- every command, on every layout ------------------------------------------
# (arguments before the case folder, exit code, text stdout must hold)
WORKS: dict[str, tuple[list[str], str]] = {
    "ingest": (["ingest"], "1 file: 1 read, 0 skipped, 0 failed; 1 message, 0 pages"),
    "docs": (["docs"], "\n1 record\n"),
    "show": (["show", "evidence/m1.eml"], SENTENCE),
    "extract": (["extract"], "1 facts: 1 suggested (1 at or above the threshold 0.7"),
    "facts": (["facts", "--status", "suggested"], f'"{SENTENCE}"'),
    "validate": (["validate"], " 2 facts, 6 entities, 1 evidence files read."),
}


@pytest.mark.parametrize("command", sorted(WORKS))
def test_case_noclaims_reading_commands_work(bare: Path, command: str) -> None:
    args, shown = WORKS[command]

    result = invoke(*args, bare)

    assert result.exit_code == 0, result.output
    assert shown in result.stdout
    assert "Error" not in result.stderr and "Warning" not in result.stderr


def test_case_noclaims_review_records_a_decision(bare: Path) -> None:
    fact_id = _extracted_id(bare)

    result = invoke("review", fact_id, bare, "--accept")

    assert result.exit_code == 0, result.output
    assert result.stdout == f"{fact_id}: confirmed (recorded in {bare / 'review.yaml'}).\n"
    confirmed = invoke("facts", bare, "--status", "confirmed", "--origin", "extractor",
                       "--format", "json")
    assert [f["id"] for f in json.loads(confirmed.stdout)] == [fact_id]


@pytest.mark.parametrize("args", [["check"], ["check", "--format", "json"],
                                  ["check", "--format", "html", "--out", "-"],
                                  ["explain", "placeholder"]],
                         ids=["check", "check-json", "check-html", "explain"])
def test_case_noclaims_judging_says_nothing_to_check_exit_2(bare: Path, args: list[str]) -> None:
    result = invoke(*args, bare)

    assert result.exit_code == 2, result.output
    assert result.stderr == nothing_to_check(bare)
    assert result.stdout == ""


def test_case_noclaims_check_stops_before_reading_evidence(bare: Path) -> None:
    result = invoke("check", bare)

    assert result.exit_code == 2
    assert not (bare / ".checker").exists(), "the evidence was indexed for nothing"


def test_case_noclaims_validate_says_no_claims_yet(bare: Path) -> None:
    result = invoke("validate", bare)

    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "OK: no claims yet, 2 facts, 6 entities, 1 evidence files read.\n"
        "  Write claims/*.yaml to check statements (docs/case-format.md, 'Claims').\n"
    )


# -- the library ---------------------------------------------------------------
def test_case_noclaims_loads_with_no_claims_and_its_facts(bare: Path) -> None:
    case = load_case(bare)
    try:
        assert case.claims == []
        assert [f.status for f in case.extracted] == ["suggested"]
    finally:
        case.close()


def test_case_noclaims_require_claims_raises_no_claims(bare: Path) -> None:
    with pytest.raises(NoClaims) as raised:
        load_case(bare, require_claims=True)

    assert raised.value.exit_code == 2
    assert str(raised.value) == nothing_to_check(bare).removeprefix("Error: ").rstrip("\n")


# -- what is still wrong --------------------------------------------------------
MALFORMED: dict[str, tuple[str, str]] = {
    # claims file text, the problem it gives
    "yaml-syntax": ("- id: c1\n  speaker: [acme\n",
                    "claims/claims.yaml:3: YAML syntax error: did not find expected ',' or ']'"),
    "a-mapping": ("id: c1\nspeaker: acme\n",
                  "claims/claims.yaml:1: expected a list of entries (each starting with '- ')"),
    "a-scalar": ("claims go here\n",
                 "claims/claims.yaml:1: expected a list of entries (each starting with '- ')"),
    "not-a-claim": ("- 42\n",
                    "claims/claims.yaml:1: expected a mapping of keys for claim, got int"),
}


@pytest.mark.parametrize("command", [["validate"], ["extract"], ["facts"], ["check"],
                                     ["explain", "c1"]], ids=lambda c: c[0])
@pytest.mark.parametrize("kind", sorted(MALFORMED))
def test_case_noclaims_malformed_claims_file_is_still_an_error(
    make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch, kind: str, command: list[str]
) -> None:
    install(monkeypatch)
    text, problem = MALFORMED[kind]
    root = make_case()
    (root / "claims" / "claims.yaml").write_text(text)

    result = invoke(*command, root)

    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: 1 problem in the case:\n" + problem), result.stderr
    assert "nothing to check" not in result.stderr


def test_case_noclaims_empty_file_beside_claims_is_not_a_problem(make_case: CaseBuilder) -> None:
    root = make_case(files={"claims/later.yaml": "# to write\n"})

    result = invoke("check", root, "--format", "json")

    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.stdout)["claims"]] == ["placeholder"]


@pytest.mark.parametrize("command", [["extract"], ["facts"], ["validate"], ["check"]],
                         ids=lambda c: c[0])
def test_case_noclaims_folder_without_entities_or_claims_is_not_a_case(
    make_case: CaseBuilder, command: list[str]
) -> None:
    root = make_case()
    _no_folder(root)
    (root / "entities.yaml").unlink()

    result = invoke(*command, root)

    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {root}: no entities.yaml and no claims/ folder here.")
