"""The case index (CASE/.checker/index.sqlite): exact round trips, incremental
re-reads, removed and duplicate files, read-only cases, rebuilds, and the
manifest's accounting for every file.

Reads are counted by wrapping `checker.ingest.evidence.read_one`, which the
index calls for each file it has to (re-)read.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from checker.case.load import load_case
from checker.ingest import evidence, index, indexdb, manifest
from checker.ingest.document import Attachment, Document, Message, Page, Redaction
from checker.ingest.evidence import FileRecord, read_one
from checker.ingest.index import load_evidence, open_index
from checker.ingest.manifest import Fingerprint, fingerprint, reconcile
from tests.conftest import DEFAULT_EMAIL, CaseBuilder

UTC = ZoneInfo("UTC")


def email(n: int, body: str = "Hello.") -> str:
    return DEFAULT_EMAIL.replace("Subject: Agreement", f"Subject: Note {n}").replace(
        "We signed the trial agreement today. It runs through June.", body)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The relative paths `read_one` is called with, in order."""
    seen: list[str] = []

    def counting(path: Path, rel: str, tz: ZoneInfo):
        seen.append(rel)
        return read_one(path, rel, tz)

    monkeypatch.setattr(evidence, "read_one", counting)
    return seen


def update(root: Path, tz: ZoneInfo = UTC) -> index.UpdateStats:
    with open_index(root, tz) as idx:
        return idx.update()


def three(make_case: CaseBuilder) -> Path:
    return make_case(emails={"a.eml": email(1), "b.eml": email(2), "c.eml": email(3)})


def test_index_lives_in_case_checker_folder(make_case: CaseBuilder) -> None:
    root = three(make_case)

    with open_index(root, UTC) as idx:
        idx.update()
        assert idx.path == root / ".checker" / "index.sqlite"
    assert (root / ".checker" / "index.sqlite").is_file()


def test_index_document_round_trips_exactly(make_case: CaseBuilder, monkeypatch) -> None:
    root = make_case(emails={"x.txt": "placeholder"})
    stored = Document(
        "evidence/x.txt",
        "From: A\nTo: B\n\nPage one text.\fPage two [REDACTED] text. — é ✓\n",
        messages=[Message(
            0, 40, date="2020-03-03T10:00:00+00:00", sender="A <a@x.example>",
            recipients=("B <b@y.example>", "C <c@y.example>"), subject="Hi",
            from_addr=("A", "a@x.example"), to_addrs=(("B", "b@y.example"), ("", "c@y.example")),
            from_line=(0, 7), message_id="<m1@x>", in_reply_to="<m0@x>",
            references=("<m-1@x>", "<m0@x>"), date_raw="Tue, 3 Mar 2020", quoted=((20, 30),),
            attachments=(Attachment("a.pdf", "application/pdf", 1234, 40, 40,
                                    "text not extracted"),),
        )],
        unreadable=["message 2: broken"],
        kind="txt",
        pages=[Page(1, 0, 30, "NYPD_000124"), Page(2, 30, 62, None)],
        redactions=[Redaction(44, 54, "[REDACTED]")],
        warnings=["implausible date kept in date_raw"],
    )
    monkeypatch.setattr(
        evidence, "read_one",
        lambda p, rel, tz: (FileRecord(rel, "read", "", 1, 2), Document(**{
            **{k: v for k, v in vars(stored).items() if not k.startswith("_")}}))
    )
    update(root)

    with open_index(root, UTC) as idx:
        (back,) = list(idx.documents())
    sha = fingerprint(root / "evidence" / "x.txt").sha256
    expected = Document(**{**{k: v for k, v in vars(stored).items() if not k.startswith("_")},
                           "id": sha, "locations": ["evidence/x.txt"]})
    assert back == expected
    assert back.messages[0].attachments[0].start == 40
    assert isinstance(back.messages[0].to_addrs[0], tuple)


def test_index_email_read_back_equals_reader_output(make_case: CaseBuilder) -> None:
    root = make_case()
    _, direct = read_one(root / "evidence" / "m1.eml", "evidence/m1.eml", UTC)
    assert direct is not None

    loaded = load_evidence(root, UTC).documents["evidence/m1.eml"]

    assert loaded.text == direct.text
    assert loaded.messages == direct.messages
    assert loaded.pages == direct.pages and loaded.redactions == direct.redactions
    assert loaded.id == fingerprint(root / "evidence" / "m1.eml").sha256
    assert loaded.kind == (direct.kind or "eml")


def test_index_incremental_reingest_reads_only_changed_file(
    make_case: CaseBuilder, reads: list[str]
) -> None:
    root = three(make_case)
    update(root)
    assert reads == ["evidence/a.eml", "evidence/b.eml", "evidence/c.eml"]
    reads.clear()

    (root / "evidence" / "b.eml").write_text(email(2, "A changed body, longer than before."))
    stats = update(root)

    assert reads == ["evidence/b.eml"]
    assert (stats.read, stats.unchanged, stats.removed) == (1, 2, 0)
    assert "A changed body" in load_evidence(root, UTC).documents["evidence/b.eml"].text


def test_index_second_run_reads_nothing(make_case: CaseBuilder, reads: list[str]) -> None:
    root = three(make_case)
    update(root)
    reads.clear()

    stats = update(root)

    assert reads == []
    assert stats.unchanged == 3


def test_index_touched_file_with_same_bytes_is_not_reread(
    make_case: CaseBuilder, reads: list[str]
) -> None:
    root = three(make_case)
    update(root)
    reads.clear()
    os.utime(root / "evidence" / "a.eml", ns=(10**18, 10**18))  # mtime moves, bytes do not

    update(root)

    assert reads == []  # the SHA-256 confirms nothing changed


def test_index_same_size_same_mtime_edit_is_caught_while_racy(
    make_case: CaseBuilder, reads: list[str]
) -> None:
    root = three(make_case)
    path = root / "evidence" / "a.eml"
    future = 4 * 10**18  # an mtime not older than our last look: always re-hashed
    os.utime(path, ns=(future, future))
    update(root)
    reads.clear()

    path.write_text(email(1).replace("Hello.", "Jello."))  # same size
    os.utime(path, ns=(future, future))
    update(root)

    assert reads == ["evidence/a.eml"]


def test_index_deleted_file_leaves_the_index(make_case: CaseBuilder) -> None:
    root = three(make_case)
    update(root)

    (root / "evidence" / "c.eml").unlink()
    stats = update(root)

    assert stats.removed == 1
    loaded = load_evidence(root, UTC)
    assert [r.path for r in loaded.manifest] == ["evidence/a.eml", "evidence/b.eml"]
    assert "evidence/c.eml" not in loaded.documents
    con = sqlite3.connect(root / ".checker" / "index.sqlite")
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,)


def test_index_duplicate_files_are_one_document_with_two_locations(
    make_case: CaseBuilder, reads: list[str]
) -> None:
    root = make_case(emails={"b.eml": DEFAULT_EMAIL},
                     files={"evidence/a/copy.eml": DEFAULT_EMAIL})

    loaded = load_evidence(root, UTC)

    first, second = loaded.documents["evidence/a/copy.eml"], loaded.documents["evidence/b.eml"]
    assert first is second
    assert first.path == "evidence/a/copy.eml"
    assert first.locations == ["evidence/a/copy.eml", "evidence/b.eml"]
    con = sqlite3.connect(root / ".checker" / "index.sqlite")
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    assert [r.status for r in loaded.manifest] == ["read", "read"]


def test_index_duplicate_document_gives_header_facts_once(make_case: CaseBuilder) -> None:
    root = make_case(emails={"m1.eml": DEFAULT_EMAIL, "m2.eml": DEFAULT_EMAIL})

    case = load_case(root)

    assert len([f for f in case.facts if f.type == "communication"]) == 1


def test_index_read_only_case_works_in_memory(
    make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_case()

    def refuse(path: Path) -> Path:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(indexdb, "_make_dir", refuse)
    with open_index(root, UTC) as idx:
        idx.update()
        assert idx.path is None
    case = load_case(root)

    assert "evidence/m1.eml" in case.documents
    assert not (root / ".checker").exists()


def test_index_unwritable_index_file_works_in_memory(make_case: CaseBuilder) -> None:
    root = make_case()
    (root / ".checker").mkdir()
    (root / ".checker" / "index.sqlite").mkdir()  # cannot be opened as a database

    with open_index(root, UTC) as idx:
        idx.update()
        assert idx.path is None
        assert [r.path for r in idx.manifest()] == ["evidence/m1.eml"]


def test_index_corrupt_file_is_rebuilt(make_case: CaseBuilder) -> None:
    root = make_case()
    (root / ".checker").mkdir()
    (root / ".checker" / "index.sqlite").write_bytes(b"not a database at all" * 100)

    with open_index(root, UTC) as idx:
        idx.update()
        assert idx.path == root / ".checker" / "index.sqlite"
        assert len(list(idx.documents())) == 1


def test_index_schema_version_change_rebuilds(make_case: CaseBuilder, reads: list[str]) -> None:
    root = three(make_case)
    update(root)
    con = sqlite3.connect(root / ".checker" / "index.sqlite")
    with con:
        con.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
        con.execute("CREATE TABLE leftover (x)")
    con.close()
    reads.clear()

    update(root)

    assert reads == ["evidence/a.eml", "evidence/b.eml", "evidence/c.eml"]
    con = sqlite3.connect(root / ".checker" / "index.sqlite")
    assert con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (
        str(indexdb.SCHEMA_VERSION),)
    assert not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'leftover'").fetchone()


def test_index_timezone_change_rereads_everything(
    make_case: CaseBuilder, reads: list[str]
) -> None:
    root = three(make_case)
    update(root)
    reads.clear()

    update(root, ZoneInfo("America/New_York"))

    assert len(reads) == 3
    doc = load_evidence(root, ZoneInfo("America/New_York")).documents["evidence/a.eml"]
    assert doc.messages[0].date == "2020-03-03T05:00:00-05:00"


def test_index_every_file_is_accounted_for(make_case: CaseBuilder) -> None:
    root = make_case(
        emails={"good.eml": DEFAULT_EMAIL, "empty.eml": "", "notes.txt": "Plain notes."},
        files={"evidence/sub/data.xyz": "x", "evidence/README.md": "# About",
               "evidence/.hidden/x.eml": DEFAULT_EMAIL,
               "evidence/analyst.facts.yaml": "[]\n"},
    )

    loaded = load_evidence(root, UTC)

    on_disk = sorted(p.relative_to(root).as_posix()
                     for p in (root / "evidence").rglob("*") if p.is_file())
    assert sorted(r.path for r in loaded.manifest) == on_disk
    status = {r.path: r.status for r in loaded.manifest}
    assert status["evidence/good.eml"] == "read"
    assert status["evidence/empty.eml"] == "failed"
    assert status["evidence/sub/data.xyz"] == "skipped"
    assert status["evidence/.hidden/x.eml"] == "skipped"
    assert loaded.facts_files == [root / "evidence" / "analyst.facts.yaml"]
    assert all(r.reason for r in loaded.manifest if r.status != "read")


def test_index_manifest_order_matches_the_evidence_walk(make_case: CaseBuilder) -> None:
    root = make_case(emails={}, files={"evidence/a/b.txt": "1", "evidence/a-c.txt": "2",
                                       "evidence/a.txt": "3"})

    loaded = load_evidence(root, UTC)

    assert [r.path for r in loaded.manifest] == [
        rel for _, rel in evidence.evidence_files(root)]


MBOX = """\
From ann@acme.example.com Tue Mar  3 10:00:00 2020
From: Ann Lee <ann@acme.example.com>
To: val@vendor.example.org
Subject: One
Date: Tue, 03 Mar 2020 10:00:00 +0000

First.
>From the archive, quoted.

From val@vendor.example.org Wed Mar  4 10:00:00 2020
From: Val Ortiz <val@vendor.example.org>
To: ann@acme.example.com
Subject: Two
Date: Wed, 04 Mar 2020 10:00:00 +0000

Second.
"""


def test_index_mbox_reason_reconciles_messages_with_separators(make_case: CaseBuilder) -> None:
    root = make_case(emails={"box.mbox": MBOX})

    (record,) = load_evidence(root, UTC).manifest

    assert record.status == "read"
    assert record.messages == 2
    assert record.reason == "2 messages; 2 separators"


def test_index_mbox_reason_names_text_before_first_separator(make_case: CaseBuilder) -> None:
    root = make_case(emails={"box.mbox": "Stray banner line\n" + MBOX})

    (record,) = load_evidence(root, UTC).manifest

    assert record.reason.startswith("2 messages; 2 separators; text before the first 'From '")


def test_index_mbox_reason_says_when_counts_differ() -> None:
    doc = Document("evidence/x.mbox", "t", messages=[Message(0, 1)], unreadable=["message 2: x"])
    record = FileRecord("evidence/x.mbox", "read", "1 message(s) unreadable: message 2: x", 1)

    out = reconcile(record, doc, Fingerprint("0" * 64, separators=2))

    assert out.reason == ("1 message; 2 separators (1 fewer messages than separators, "
                          "1 unreadable); 1 message(s) unreadable: message 2: x")


def test_index_mbox_without_separators_fails_with_count(make_case: CaseBuilder) -> None:
    root = make_case(emails={"box.mbox": "just some text\n"})

    (record,) = load_evidence(root, UTC).manifest

    assert record.status == "failed"
    assert record.reason.startswith("0 messages; 0 separators")


def test_index_separators_counted_across_chunk_boundaries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "box.mbox"
    for text, preamble in ((MBOX * 3, False), ("Banner\n\n" + MBOX * 3, True)):
        path.write_text(text)
        monkeypatch.setattr(manifest, "CHUNK", 1 << 20)
        whole = fingerprint(path, mbox=True)
        assert (whole.separators, whole.preamble) == (6, preamble)

        for size in (1, 3, 5, 6, 7, 11):
            monkeypatch.setattr(manifest, "CHUNK", size)
            assert fingerprint(path, mbox=True) == whole, size


def test_index_progress_reports_every_file(make_case: CaseBuilder) -> None:
    root = three(make_case)
    seen: list[tuple[int, int, str]] = []

    with open_index(root, UTC) as idx:
        idx.update(lambda done, total, rel: seen.append((done, total, rel)))

    assert [s[:2] for s in seen] == [(1, 3), (2, 3), (3, 3)]


def test_index_load_case_refreshes_a_stale_index(make_case: CaseBuilder) -> None:
    root = make_case()
    load_case(root)
    (root / "evidence" / "m2.eml").write_text(email(2))

    case = load_case(root)

    assert "evidence/m2.eml" in case.documents
