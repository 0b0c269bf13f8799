"""The `checker` command line: formats, --out, explain, defaults, help.

Runs the typer app in-process with `typer.testing.CliRunner` (stdout and
stderr are captured separately) on small valid cases built by `make_case`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app

runner = CliRunner()

CLAIMS = """\
- id: no-contract
  speaker: acme
  said_on: 2020-04-01
  source: Press release, 1 April 2020
  quote: "Acme has never signed anything with the vendor."
  asserts:
    none: {fact: contract, parties: [acme, vendor]}
- id: wrote-to-vendor
  speaker: Acme
  quote: "We wrote to the vendor."
  asserts:
    some: {fact: communication, from: acme, to: vendor}
"""

FACTS = """\
- id: f-trial
  fact: contract
  parties: [acme, vendor]
  kind: trial
  from: 2020-03-03
  source:
    doc: evidence/m1.eml
    quote: "We signed the trial agreement today."
"""

CLAIM_KEYS = {"id", "speaker", "said_on", "quote", "verdict", "reason", "citations",
              "derivation"}
CITATION_KEYS = {"doc", "quote", "start", "end", "date", "from", "to", "subject", "fact",
                 "status"}


@pytest.fixture
def case(make_case) -> Path:
    return make_case(claims=CLAIMS, facts=FACTS)


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("fmt", ["table", "json", "markdown"])
def test_cli_check_each_format_exits_0(case: Path, fmt: str) -> None:
    result = invoke("check", str(case), "--format", fmt)

    assert result.exit_code == 0, result.output
    assert result.exception is None
    assert "no-contract" in result.stdout
    assert "wrote-to-vendor" in result.stdout
    assert result.stderr == ""


def test_cli_check_short_format_option(case: Path) -> None:
    result = invoke("check", str(case), "-f", "json")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["case"] == "Test case"


def test_cli_check_rejects_unknown_format(case: Path) -> None:
    result = invoke("check", str(case), "--format", "xml")

    assert result.exit_code == 2
    assert "xml" in result.output


def test_cli_check_json_has_spec_shape(case: Path) -> None:
    result = invoke("check", str(case), "--format", "json")

    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"case", "claims"} <= set(data)
    assert data["case"] == "Test case"
    claims = {c["id"]: c for c in data["claims"]}
    assert list(claims) == ["no-contract", "wrote-to-vendor"]
    for claim in claims.values():
        assert CLAIM_KEYS <= set(claim), CLAIM_KEYS - set(claim)
        assert claim["verdict"] in {"supported", "contradicted", "unresolved"}
        assert isinstance(claim["reason"], str) and claim["reason"]
        assert isinstance(claim["derivation"], dict)
        assert claim["citations"], f"{claim['id']} is {claim['verdict']} without a citation"
        for cit in claim["citations"]:
            assert CITATION_KEYS <= set(cit), CITATION_KEYS - set(cit)
            assert isinstance(cit["start"], int) and isinstance(cit["end"], int)
            assert cit["end"] - cit["start"] == len(cit["quote"])
            assert isinstance(cit["to"], list)
            assert cit["status"] in {"confirmed", "suggested"}

    nc = claims["no-contract"]
    assert (nc["speaker"], nc["said_on"]) == ("acme", "2020-04-01")
    assert nc["quote"] == "Acme has never signed anything with the vendor."
    assert nc["verdict"] == "contradicted"
    cit = next(c for c in nc["citations"] if c["fact"] == "f-trial")
    assert cit["doc"] == "evidence/m1.eml"
    assert cit["quote"] == "We signed the trial agreement today."
    assert cit["date"] == "2020-03-03T10:00:00+00:00"
    assert cit["from"] == "Ann Lee <ann@acme.example.com>"
    assert cit["to"] == ["Val Ortiz <val@vendor.example.org>"]
    assert cit["subject"] == "Agreement"
    assert cit["status"] == "confirmed"
    assert claims["wrote-to-vendor"]["verdict"] == "supported"


def test_cli_check_json_speaker_is_entity_id(case: Path) -> None:
    data = json.loads(invoke("check", str(case), "--format", "json").stdout)

    assert [c["speaker"] for c in data["claims"]] == ["acme", "acme"]


def test_cli_check_out_writes_file_and_nothing_to_stdout(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "verdicts.json"

    result = invoke("check", str(case), "--format", "json", "--out", str(out))

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.is_file()
    assert json.loads(out.read_text(encoding="utf-8"))["case"] == "Test case"
    assert str(out) in result.stderr


def test_cli_check_out_dash_is_stdout(case: Path) -> None:
    result = invoke("check", str(case), "--format", "json", "--out", "-")

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["case"] == "Test case"
    assert not (Path.cwd() / "-").exists()


def test_cli_check_out_matches_stdout(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "verdicts.md"

    invoke("check", str(case), "-f", "markdown", "-o", str(out))
    printed = invoke("check", str(case), "-f", "markdown").stdout

    assert out.read_text(encoding="utf-8") == printed


def test_cli_explain_prints_proof_down_to_quote(case: Path) -> None:
    result = invoke("explain", "no-contract", str(case))

    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "no-contract" in text
    assert "Acme has never signed anything with the vendor." in text
    assert "CONTRADICTED" in text
    assert "f-trial" in text
    assert "evidence/m1.eml" in text
    assert "We signed the trial agreement today." in text


def test_cli_explain_unknown_claim_exits_3_with_suggestion(case: Path) -> None:
    result = invoke("explain", "no-contracts", str(case))

    assert result.exit_code == 3, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert "No claim 'no-contracts'" in result.stderr
    assert "Did you mean 'no-contract'?" in result.stderr
    assert "wrote-to-vendor" in result.stderr  # the known ids are listed


def test_cli_explain_invalid_case_exits_2(make_case) -> None:
    root = make_case(claims=CLAIMS.replace("speaker: acme", "speaker: acmee"))

    result = invoke("explain", "no-contract", str(root))

    assert result.exit_code == 2, result.output
    assert "claims/claims.yaml:2: unknown entity 'acmee'" in result.stderr


@pytest.mark.parametrize("command", [["check", "-f", "json"], ["validate"],
                                     ["explain", "no-contract"]])
def test_cli_case_defaults_to_current_folder(case: Path, monkeypatch, command) -> None:
    monkeypatch.chdir(case)

    result = invoke(*command)

    assert result.exit_code == 0, result.output
    if command[0] == "check":
        assert [c["id"] for c in json.loads(result.stdout)["claims"]] == [
            "no-contract", "wrote-to-vendor"]
    elif command[0] == "validate":
        assert result.stdout.startswith("OK: 2 claims")
    else:
        assert "We signed the trial agreement today." in result.stdout


def test_cli_missing_case_folder_exits_2(tmp_path: Path) -> None:
    result = invoke("check", str(tmp_path / "nowhere"))

    assert result.exit_code == 2
    assert "no such folder" in result.stderr


def test_cli_folder_without_case_exits_2(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)

    result = invoke("validate")

    assert result.exit_code == 2
    assert "entities.yaml" in result.stderr


def test_cli_no_args_shows_help() -> None:
    result = invoke()

    assert "Usage" in result.output
    for name in ("check", "explain", "validate"):
        assert name in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _command_names() -> list[str]:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]  # type: ignore
    assert names, "no commands registered"
    return names


def test_cli_registers_documented_commands() -> None:
    assert set(_command_names()) >= {"check", "explain", "validate"}


@pytest.mark.parametrize("name", _command_names())
def test_cli_every_command_help_has_example(name: str) -> None:
    result = invoke(name, "--help")

    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert f"checker {name}" in result.output
