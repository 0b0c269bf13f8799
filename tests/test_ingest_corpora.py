"""Real mail nobody on this project wrote (../shared/corpora), and a generated corpus
(bench/corpus.py): every file accounted for, at least as many messages as the standard
library finds, and nothing raises.

The corpora are read where they are (a case whose evidence/ is a symlink to them) and
never copied into the repository. Counting rules are in the corpora's README:
`messages` in manifest.json is the stdlib's count per file (1 per eml/maildir file,
`len(mailbox.mbox(...))` for the mbox, 1 by convention for the .msg, and the number of
lines starting with `From:` for the OCR text of printed emails).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.corpus import write_case as write_bench_case
from bench.ingest import run_stdlib
from checker.ingest.evidence import FileRecord
from tests.conftest import SHARED
from tests.test_ingest_badinput import METHODS, manifest_via, write_case

CORPORA = SHARED / "corpora"
MANIFEST = CORPORA / "manifest.json"

NEEDS_CORPORA = pytest.mark.skipif(
    not MANIFEST.is_file(),
    reason=f"the shared corpora are not at {CORPORA} (they sit beside the checkout as "
    "../shared/corpora)")


def expected_files() -> list[dict]:
    return list(json.loads(MANIFEST.read_text())["files"]) if MANIFEST.is_file() else []


KINDS = [
    pytest.param("eml", id="parser-torture-eml"),
    pytest.param("mbox", id="enron-mbox"),
    pytest.param("maildir", id="enron-maildir"),
    pytest.param("msg", id="parser-torture-msg"),
    pytest.param("ocr-text", id="clinton-ocr"),  # printed emails: From: lines
]


@pytest.fixture(scope="module", params=METHODS)
def ingested(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, FileRecord]:
    """The corpora ingested once per method; raising here fails every test (nothing may)."""
    method = str(request.param)
    root = write_case(tmp_path_factory.mktemp("corpora"), {})
    (root / "evidence").rmdir()
    # The whole folder: pathlib's rglob (3.11) does not follow symlinks below the top.
    (root / "evidence").symlink_to(CORPORA, target_is_directory=True)
    return manifest_via(method, root)


@NEEDS_CORPORA
def test_ingest_corpora_every_file_is_accounted_for(ingested: dict[str, FileRecord]) -> None:
    expected = {f["path"] for f in expected_files()}
    missing = sorted(expected - set(ingested))
    assert not missing, f"{len(missing)} corpus files not in the manifest, e.g. {missing[:5]}"
    assert set(ingested) - expected == {"manifest.json"}
    unexplained = [r for r in ingested.values()
                   if r.status not in ("read", "skipped", "failed")
                   or (r.status != "read" and not r.reason)]
    assert not unexplained, unexplained[:5]


@NEEDS_CORPORA
@pytest.mark.parametrize("kind", KINDS)
def test_ingest_corpora_reads_at_least_the_stdlib_message_count(
        ingested: dict[str, FileRecord], kind: str) -> None:
    files = [f for f in expected_files() if f["kind"] == kind]
    assert files
    short = [(f["path"], f["messages"], ingested[f["path"]].messages,
              ingested[f["path"]].status, ingested[f["path"]].reason[:80])
             for f in files if ingested[f["path"]].messages < f["messages"]]
    want = sum(f["messages"] for f in files)
    got = sum(ingested[f["path"]].messages for f in files)
    assert not short, (f"{kind}: {got} messages read, the stdlib finds {want}; "
                       f"{len(short)} of {len(files)} files short, e.g. {short[:5]}")


# --- a generated corpus: mbox, .eml and Maildir as a mail server writes it -----------------

@pytest.mark.parametrize("method", METHODS)
def test_ingest_corpora_generated_corpus_reads_what_the_stdlib_reads(tmp_path: Path,
                                                                     method: str) -> None:
    corpus = write_bench_case(tmp_path / "case", 90, seed=3)
    assert set(corpus.by_format) == {"mbox", "eml", "maildir"}
    assert run_stdlib(corpus.root) == corpus.messages
    records = manifest_via(method, corpus.root)
    assert len(records) == corpus.files
    not_read = [r for r in records.values() if r.status != "read"]
    assert not not_read, f"{len(not_read)} files not read, e.g. {not_read[:3]}"
    assert sum(r.messages for r in records.values()) >= corpus.messages
