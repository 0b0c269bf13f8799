"""The extraction commands: `checker extract`, `checker facts`, `checker review`, and
`check`/`explain` with --confirmed-only and --model. The extractor is the fake from
test_extract_review, so exit codes and texts are exact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from checker.case.load import load_case
from checker.cli import app
from tests.test_extract_review import CLAIMS, SENTENCE, install

runner = CliRunner()


def invoke(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def case(make_case: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    install(monkeypatch, confidence=0.9)
    root: Path = make_case(claims=CLAIMS)
    return root


def _fid(case: Path) -> str:
    out = invoke("facts", case, "--origin", "extractor", "--format", "json")
    return str(json.loads(out.stdout)[0]["id"])


def test_cli_extract_reports_what_it_read_then_uses_the_cache(case: Path) -> None:
    first = invoke("extract", case)
    second = invoke("extract", case)

    assert first.exit_code == 0, first.output
    assert "1 documents (1 read now, 0 from the index)" in first.stdout
    assert "1 facts: 1 suggested (1 at or above the threshold 0.7" in first.stdout
    assert "1 documents (0 read now, 1 from the index)" in second.stdout


def test_cli_facts_json_has_the_spec_shape_plus_review_fields(case: Path) -> None:
    result = invoke("facts", case, "--status", "suggested", "--format", "json")

    assert result.exit_code == 0, result.output
    (fact,) = json.loads(result.stdout)
    assert fact["fact"] == "contract"
    assert (fact["parties"], fact["kind"], fact["from"]) == (
        ["acme", "vendor"],
        "trial",
        "2020-03-03",
    )
    assert (fact["status"], fact["origin"], fact["confidence"], fact["used"]) == (
        "suggested",
        "extractor",
        0.9,
        True,
    )
    assert fact["pattern"] == "contract.signed-agreement"
    cit = fact["citation"]
    assert (cit["doc"], cit["quote"]) == ("evidence/m1.eml", SENTENCE)
    text = load_case(case).documents["evidence/m1.eml"].text  # offsets are in the read text
    assert text[cit["start"] : cit["end"]] == SENTENCE
    assert set(cit) == {"doc", "quote", "start", "end", "page", "bates"}


def test_cli_facts_table_filters_by_type(case: Path) -> None:
    contracts = invoke("facts", case, "--type", "contract")
    messages = invoke("facts", case, "--type", "communication", "--origin", "header")

    assert contracts.exit_code == 0, contracts.output
    assert "contract  suggested 0.90  pattern contract.signed-agreement" in contracts.stdout
    assert f'"{SENTENCE}"' in contracts.stdout
    assert "header:evidence/m1.eml" in messages.stdout and "contract" not in messages.stdout


def test_cli_facts_unknown_type_suggests_the_closest(case: Path) -> None:
    result = invoke("facts", case, "--type", "contrakt")

    assert result.exit_code == 2
    assert "unknown fact type 'contrakt'. Did you mean 'contract'?" in result.stderr


def test_cli_check_says_when_a_verdict_rests_on_suggested_facts(case: Path) -> None:
    fid = _fid(case)

    table = invoke("check", case)
    confirmed = invoke("check", case, "--confirmed-only", "--format", "json")

    assert table.exit_code == 0, table.output
    assert "CONTRADICTED" in table.stdout
    assert "machine-suggested fact that nobody has reviewed" in " ".join(table.stdout.split())
    assert fid in table.stdout
    claim = json.loads(confirmed.stdout)["claims"][0]
    assert claim["verdict"] == "unresolved" and "suggested" not in claim


def test_cli_explain_takes_confirmed_only(case: Path) -> None:
    plain = invoke("explain", "no-contract", case)
    filing = invoke("explain", "no-contract", case, "--confirmed-only")

    assert "machine-suggested" in plain.stdout
    assert "UNRESOLVED" in filing.stdout and "machine-suggested" not in filing.stdout


def test_cli_check_model_option_reaches_the_extractor(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = install(monkeypatch)
    root = make_case(claims=CLAIMS)

    result = invoke("check", root, "--model", "en_core_web_sm")

    assert result.exit_code == 0, result.output
    assert fake.calls[-1]["model"] == "en_core_web_sm"


def test_cli_review_accept_writes_the_file_and_confirms(case: Path) -> None:
    fid = _fid(case)

    result = invoke("review", fid, case, "--accept", "--note", "Matches the attachment.")
    facts = json.loads(invoke("facts", case, "--origin", "extractor", "--format", "json").stdout)
    check = invoke("check", case, "--confirmed-only")

    assert result.exit_code == 0, result.output
    assert f"{fid}: confirmed (recorded in" in result.stdout
    assert (
        (case / "review.yaml")
        .read_text()
        .endswith(f"- fact: {fid}\n  decision: accept\n  note: Matches the attachment.\n")
    )
    assert facts[0]["status"] == "confirmed"
    assert "CONTRADICTED" in check.stdout


def test_cli_review_set_corrects_roles_and_replaces_the_decision(case: Path) -> None:
    fid = _fid(case)
    invoke("review", fid, case, "--reject")

    result = invoke(
        "review", fid, case, "--set", "kind=pilot", "--set", "parties=[acme, regulator]"
    )

    assert result.exit_code == 0, result.output
    text = (case / "review.yaml").read_text()
    assert "decision: reject" not in text
    assert "  decision: correct\n  roles:\n    kind: pilot\n    parties:\n    - acme\n" in text
    fact = json.loads(invoke("facts", case, "--origin", "extractor", "--format", "json").stdout)[0]
    assert (fact["status"], fact["kind"], fact["parties"]) == (
        "confirmed",
        "pilot",
        ["acme", "regulator"],
    )


def test_cli_review_bad_role_value_is_refused_and_not_written(case: Path) -> None:
    result = invoke("review", _fid(case), case, "--set", "kind=pilott")

    assert result.exit_code == 2
    assert "--set:1: 'pilott' is not allowed for role 'kind' of 'contract'" in result.stderr
    assert "Did you mean 'pilot'?" in result.stderr
    assert not (case / "review.yaml").exists()


def test_cli_review_unknown_fact_id_exits_3_with_a_suggestion(case: Path) -> None:
    fid = _fid(case)

    result = invoke("review", fid[:-1] + "X", case, "--accept")

    assert result.exit_code == 3
    assert f"No extracted fact '{fid[:-1]}X' in this case. Did you mean '{fid}'?" in result.stderr


def test_cli_review_needs_exactly_one_decision(case: Path) -> None:
    result = invoke("review", "x-1", case, "--accept", "--reject")

    assert result.exit_code == 2
    assert "give exactly one of --accept, --reject or --set ROLE=VALUE" in result.stderr


def test_cli_stale_review_decision_is_a_warning_on_stderr(case: Path) -> None:
    (case / "review.yaml").write_text("- fact: x-gone\n  decision: accept\n")

    result = invoke("check", case, "--format", "json")

    assert result.exit_code == 0
    assert "Warning: review.yaml:1: fact 'x-gone' was not extracted this time" in result.stderr
    json.loads(result.stdout)  # stdout stays machine-readable
