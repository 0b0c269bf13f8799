"""Records on a real mailbox: Ken Lay's 2,000-message Enron mbox
(../shared/corpora/enron-mbox, used as test input only). 333 of its messages
are copies of others filed in other folders, each under its own Message-ID."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.cli.app import app
from checker.report.context import ReportContext
from checker.report.exhibits import exhibit_list
from checker.report.records import TEXT_END, TEXT_START
from tests.conftest import SHARED, need_shared

MBOX = SHARED / "corpora" / "enron-mbox" / "lay-k-sample-2000.mbox"


@pytest.fixture(autouse=True)
def _needs_the_mailbox() -> None:
    if not MBOX.is_file():
        need_shared(f"the shared corpora are not at {MBOX.parent}")


# Two senders of the mailbox, named by their addresses only: the claim says
# they never wrote to each other, which the mailbox's headers contradict.
ENTITIES = """\
- {id: rosalee, name: Rosalee Fleming, kind: person, emails: [rosalee.fleming@enron.com]}
- {id: mann, name: Michael Mann, kind: person, emails: [michael.mann@enron.com]}
"""
CLAIMS = """\
- id: never-wrote
  speaker: rosalee
  quote: "I never wrote to Michael Mann."
  asserts:
    none: {fact: communication, from: rosalee, to: mann}
"""


@pytest.fixture(scope="module")
def enron(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("enron") / "case"
    (root / "evidence").mkdir(parents=True)
    (root / "claims").mkdir()
    # A copy in the test's own folder: links out of a case are not followed.
    shutil.copyfile(MBOX, root / "evidence" / MBOX.name)
    (root / "entities.yaml").write_text(ENTITIES)
    (root / "claims" / "claims.yaml").write_text(CLAIMS)
    (root / "case.yaml").write_text("title: Enron\ntimezone: America/Chicago\n"
                                    "extraction: {enabled: false}\n")
    return root


def _show(root: Path, ref: str) -> str:
    result = CliRunner().invoke(app, ["show", ref, str(root)])
    assert result.exit_code == 0, result.output
    return result.stdout.split(TEXT_START + "\n", 1)[1].rsplit(TEXT_END, 1)[0]


def test_records_enron_docs_lists_each_distinct_email_once(enron: Path) -> None:
    result = CliRunner().invoke(app, ["docs", str(enron), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 1667
    assert sum(1 + len(r["locations"]) for r in rows) == 2000
    copied = [r for r in rows if r["locations"]]
    assert len(copied) == 293  # the corpus README's 293 groups of copies
    assert all(loc.startswith("evidence/lay-k-sample-2000.mbox#") for r in copied
               for loc in r["locations"])


def test_records_enron_citations_name_records_that_show_contains(enron: Path) -> None:
    case = load_case(enron)
    try:
        result = Checker(case).run()
        (claim,) = result.claims
        assert claim.verdict == "contradicted"
        messages = [c.message for c in claim.citations]
        assert messages and all(messages)
        assert len(set(messages)) == len(messages)  # copies cited once
        for c in claim.citations:
            text = _show(enron, c.message or "")
            assert text[c.start : c.end] == c.quote
            assert _show(enron, f"{c.doc}#{c.index}") == text
        exhibits = exhibit_list(result, ReportContext.of(case))
        assert len(exhibits) == len(messages)
        assert {e.index for e in exhibits} == {c.index for c in claim.citations}
    finally:
        case.close()
