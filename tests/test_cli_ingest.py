"""`checker ingest`, `checker docs` and `checker show` on small cases.

Runs the typer app in-process (stdout and stderr captured apart). Paged and
redacted documents come from a stand-in reader (`read_one` patched), so
these tests do not depend on the PDF reader.
"""

from __future__ import annotations

import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.ingest import evidence
from checker.ingest.document import Document, Page, Redaction
from checker.ingest.evidence import FileRecord, read_one
from checker.ingest.manifest import fingerprint
from tests.conftest import DEFAULT_EMAIL, CaseBuilder

runner = CliRunner()

MBOX = """\
From ann@acme.example.com Tue Mar  3 10:00:00 2020
From: Ann Lee <ann@acme.example.com>
To: val@vendor.example.org
Subject: One
Date: Tue, 03 Mar 2020 10:00:00 +0000

First.

From val@vendor.example.org Wed Mar  4 10:00:00 2020
From: Val Ortiz <val@vendor.example.org>
To: ann@acme.example.com
Subject: Two
Date: Wed, 04 Mar 2020 10:00:00 +0000

Second.
"""

PRINTOUT = "Cover letter.\nPage two says [REDACTED] met the vendor.\nPage three.\n"


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def case(make_case: CaseBuilder) -> Path:
    return make_case(
        emails={"m1.eml": DEFAULT_EMAIL, "box.mbox": MBOX, "empty.eml": ""},
        files={"evidence/copies/m1-copy.eml": DEFAULT_EMAIL, "evidence/scan.xyz": "??",
               "evidence/analyst.facts.yaml": "[]\n"},
    )


@pytest.fixture
def paged(make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A case whose printout.txt reads as three Bates-stamped pages with a redaction."""
    root = make_case(files={"evidence/printout.txt": PRINTOUT})
    two = PRINTOUT.index("Page two")
    three = PRINTOUT.index("Page three")
    hidden = PRINTOUT.index("[REDACTED]")

    def reader(path: Path, rel: str, tz: ZoneInfo):
        if not rel.endswith("printout.txt"):
            return read_one(path, rel, tz)
        doc = Document(rel, PRINTOUT, kind="pdf", pages=[
            Page(1, 0, two, "NYPD_000123"), Page(2, two, three, "NYPD_000124"),
            Page(3, three, len(PRINTOUT), "NYPD_000125")],
            redactions=[Redaction(hidden, hidden + 10, "[REDACTED]")])
        return FileRecord(rel, "read", "", 0, 3), doc

    monkeypatch.setattr(evidence, "read_one", reader)
    return root


def test_cli_ingest_json_manifest_has_exact_shape(case: Path) -> None:
    result = invoke("ingest", str(case), "--format", "json")

    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)  # stdout is the JSON alone
    assert isinstance(rows, list)
    for row in rows:
        assert list(row) == ["path", "status", "reason", "messages", "pages"]
    assert {r["path"]: r["status"] for r in rows} == {
        "evidence/analyst.facts.yaml": "read",
        "evidence/box.mbox": "read",
        "evidence/copies/m1-copy.eml": "read",
        "evidence/empty.eml": "failed",
        "evidence/m1.eml": "read",
        "evidence/scan.xyz": "skipped",
    }


def test_cli_ingest_accounts_for_every_file_with_reasons(case: Path) -> None:
    result = invoke("ingest", str(case), "-f", "json")

    rows = {r["path"]: r for r in json.loads(result.stdout)}
    on_disk = {p.relative_to(case).as_posix() for p in (case / "evidence").rglob("*")
               if p.is_file()}
    assert set(rows) == on_disk
    assert rows["evidence/empty.eml"]["reason"] == "empty file"
    assert "'.xyz'" in rows["evidence/scan.xyz"]["reason"]
    assert rows["evidence/box.mbox"]["reason"] == "2 messages; 2 separators"
    assert rows["evidence/box.mbox"]["messages"] == 2


def test_cli_ingest_table_lists_files_and_totals(case: Path) -> None:
    result = invoke("ingest", str(case))

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["path", "status", "messages", "pages", "reason"]
    assert any(line.startswith("evidence/empty.eml") and "failed" in line
               and line.endswith("empty file") for line in lines)
    assert lines[-1] == "6 files: 4 read, 1 skipped, 1 failed; 4 messages, 0 pages"


def test_cli_ingest_reports_index_and_rereads_on_stderr(case: Path) -> None:
    first = invoke("ingest", str(case))
    second = invoke("ingest", str(case))

    assert "6 read, 0 unchanged, 0 removed" in first.stderr
    assert "0 read, 6 unchanged, 0 removed" in second.stderr
    assert ".checker/index.sqlite" in second.stderr
    assert "Index:" not in second.stdout


def test_cli_ingest_missing_evidence_folder_exits_2(tmp_path: Path) -> None:
    result = invoke("ingest", str(tmp_path))

    assert result.exit_code == 2
    assert "no evidence/ folder" in result.stderr


def test_cli_ingest_check_uses_the_refreshed_index(case: Path) -> None:
    invoke("ingest", str(case))
    (case / "evidence" / "late.eml").write_text(
        DEFAULT_EMAIL.replace("Subject: Agreement", "Subject: Late"))

    result = invoke("check", str(case), "-f", "json")

    assert result.exit_code == 0, result.output
    after = invoke("ingest", str(case), "-f", "json")
    assert "evidence/late.eml" in {r["path"] for r in json.loads(after.stdout)}
    assert "0 read, 7 unchanged" in after.stderr  # check refreshed the index already


def test_cli_ingest_docs_json_lists_each_document_once(case: Path) -> None:
    result = invoke("docs", str(case), "--format", "json", "--files")

    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)
    by_path = {d["path"]: d for d in docs}
    assert sorted(by_path) == ["evidence/box.mbox", "evidence/copies/m1-copy.eml"]
    copy = by_path["evidence/copies/m1-copy.eml"]
    assert copy["id"] == fingerprint(case / "evidence" / "m1.eml").sha256
    assert copy["locations"] == ["evidence/m1.eml"]
    assert copy["from"] == "Ann Lee <ann@acme.example.com>"
    assert copy["to"] == ["Val Ortiz <val@vendor.example.org>"]
    assert copy["subject"] == "Agreement"
    assert copy["date"].startswith("2020-03-03T10:00:00")
    assert (copy["pages"], copy["bates"], copy["redactions"]) == (0, None, 0)


def test_cli_ingest_docs_table_shows_short_id_bates_range_and_redactions(paged: Path) -> None:
    result = invoke("docs", str(paged), "--files")

    assert result.exit_code == 0, result.output
    doc_id = fingerprint(paged / "evidence" / "printout.txt").sha256
    (row,) = [line for line in result.stdout.splitlines() if "printout.txt" in line]
    assert row.startswith(doc_id[:12] + "  evidence/printout.txt")
    assert doc_id not in result.stdout
    assert "NYPD_000123–NYPD_000125" in row
    assert row.split()[-1] == "1"  # one redaction
    assert result.stdout.splitlines()[-1] == "2 documents"


def test_cli_ingest_docs_json_bates_range(paged: Path) -> None:
    docs = json.loads(invoke("docs", str(paged), "-f", "json", "--files").stdout)

    (doc,) = [d for d in docs if d["path"] == "evidence/printout.txt"]
    assert doc["bates"] == {"first": "NYPD_000123", "last": "NYPD_000125"}
    assert (doc["pages"], doc["redactions"]) == (3, 1)


def test_cli_ingest_show_prints_page_markers_and_redactions(paged: Path) -> None:
    result = invoke("show", "evidence/printout.txt", str(paged))

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "--- page 1 (Bates NYPD_000123) ---\nCover letter.\n" in out
    assert "\n--- page 2 (Bates NYPD_000124) ---\nPage two says [REDACTED]" in out
    assert "\n--- page 3 (Bates NYPD_000125) ---\nPage three.\n" in out
    hidden = PRINTOUT.index("[REDACTED]")
    assert f"Redactions (1):\n  [{hidden}-{hidden + 10}], page 2 (Bates NYPD_000124): [REDACTED]" \
        in out


def test_cli_ingest_show_by_id_prefix_and_file_name(case: Path) -> None:
    doc_id = fingerprint(case / "evidence" / "box.mbox").sha256

    by_id = invoke("show", doc_id[:8], str(case), "--all")
    by_name = invoke("show", "box.mbox", str(case), "--all")
    listing = invoke("show", "box.mbox", str(case))

    assert listing.exit_code == 0, listing.output
    assert listing.stdout.startswith("evidence/box.mbox: 2 messages.")
    assert [line.split()[0] for line in listing.stdout.splitlines()[4:6]] == ["1", "2"]
    assert by_id.exit_code == 0, by_id.output
    assert by_id.stdout == by_name.stdout
    assert by_id.stdout.startswith(f"Document {doc_id}")
    assert "Subject: Two" in by_id.stdout
    assert "Redactions: none" in by_id.stdout


def test_cli_ingest_show_duplicate_lists_other_locations(case: Path) -> None:
    result = invoke("show", "evidence/m1.eml", str(case))

    assert result.exit_code == 0, result.output
    assert "Path: evidence/copies/m1-copy.eml\nAlso at: evidence/m1.eml\n" in result.stdout


def test_cli_ingest_show_unknown_doc_exits_3_and_suggests(case: Path) -> None:
    result = invoke("show", "evidence/box.mbx", str(case))

    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: No record or file 'evidence/box.mbx' in this case. "
        "Did you mean 'evidence/box.mbox'?")


def test_cli_ingest_show_failed_file_says_why(case: Path) -> None:
    result = invoke("show", "evidence/empty.eml", str(case))

    assert result.exit_code == 3
    assert result.stderr == (
        "Error: 'evidence/empty.eml' is in evidence/ but is not a document: it was failed: "
        "empty file. `checker ingest` lists every file and why.\n")


def test_cli_ingest_show_accepts_a_path_as_typed_in_the_shell(case: Path) -> None:
    result = invoke("show", str(case / "evidence" / "box.mbox"), str(case))

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("evidence/box.mbox: 2 messages.")


def test_cli_ingest_show_ambiguous_name_lists_the_matches(make_case: CaseBuilder) -> None:
    other = DEFAULT_EMAIL.replace("Subject: Agreement", "Subject: Other")
    root = make_case(emails={}, files={"evidence/a/x.eml": DEFAULT_EMAIL,
                                       "evidence/b/x.eml": other})

    result = invoke("show", "x.eml", str(root))

    assert result.exit_code == 3
    assert "'x.eml' matches 2 documents: evidence/a/x.eml; evidence/b/x.eml." in result.stderr
