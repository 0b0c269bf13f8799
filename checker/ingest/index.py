"""The case index: every evidence file and document, kept in SQLite between runs.

`CASE/.checker/index.sqlite` records each file under evidence/ (size,
mtime, SHA-256, status, reason, counts) and each document (text, messages,
pages, redactions, warnings as JSON). `update` re-reads only files whose
content changed (size or mtime differ, then confirmed by SHA-256), drops
removed files, and streams: one document in memory at a time. Identical
files are one document (`id` is the SHA-256 of the bytes) with several
`locations`. A case folder that cannot hold `.checker/` (read-only) gets an
in-memory index, transparently (`checker.ingest.indexdb`). The `extracted`
table caches extracted facts per document and extraction version for
`checker.extraction`, so only new or changed documents are extracted again.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from checker.errors import IndexUnavailable
from checker.ingest import evidence as _evidence
from checker.ingest.codec import document_from_row, document_row
from checker.ingest.document import Document
from checker.ingest.evidence import Evidence, FileRecord, evidence_files
from checker.ingest.indexdb import connect
from checker.ingest.manifest import fingerprint, reconcile

RACY_NS = 2_000_000_000  # a file modified this close to our last look is re-hashed
COMMIT_EVERY = 64

Progress = Callable[[int, int, str], None]  # (files done, files in all, current path)
PROGRESS: ContextVar[Progress | None] = ContextVar("checker_index_progress", default=None)


@dataclass
class UpdateStats:
    """What one `update` did: files (re-)read, unchanged, dropped."""

    read: int = 0
    unchanged: int = 0
    removed: int = 0


def _sort_key(rel: str) -> PurePosixPath:
    return PurePosixPath(rel)  # the order `evidence_files` walks in


class Index:
    """The SQLite index of one case; use `open_index` to get one."""

    def __init__(self, root: Path, tz: ZoneInfo):
        self.root = Path(root)
        self.tz = tz
        self.con, self.path = connect(self.root, tz)  # path None: in memory

    def close(self) -> None:
        self.con.close()

    # -- updating ------------------------------------------------------------
    @contextmanager
    def _guard(self) -> Iterator[None]:
        """SQLite trouble in mid-use (a lock held too long, a full disk) as a CheckerError."""
        try:
            yield
        except sqlite3.Error as err:
            if self.con.in_transaction:
                self.con.rollback()
            raise IndexUnavailable(self.path or Path(":memory:"), str(err)) from None

    def update(self, progress: Progress | None = None) -> UpdateStats:
        """Bring the index in line with evidence/: read new and changed files,
        drop removed ones. Returns what it did."""
        with self._guard():
            return self._update(progress)

    def _update(self, progress: Progress | None) -> UpdateStats:
        stats = UpdateStats()
        known = {
            row[0]: row[1:]
            for row in self.con.execute(
                "SELECT path, size, mtime_ns, checked_ns, sha256 FROM files"
            )
        }
        files = list(evidence_files(self.root))
        pending = 0
        for done, (path, rel) in enumerate(files, 1):
            # Each batch of reads is one transaction: an interrupted ingest keeps its work.
            if self._refresh(path, rel, known.pop(rel, None)):
                stats.read += 1
                pending += 1
                if pending >= COMMIT_EVERY:
                    self.con.commit()
                    pending = 0
            else:
                stats.unchanged += 1
            if progress:
                progress(done, len(files), rel)
        stats.removed = len(known)
        self.con.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in known])
        self.con.execute(
            "DELETE FROM documents WHERE key NOT IN "
            "(SELECT doc_key FROM files WHERE doc_key IS NOT NULL)"
        )
        self.con.commit()
        return stats

    def _refresh(self, path: Path, rel: str, old: tuple[Any, ...] | None) -> bool:
        """Record one file; True when it had to be read."""
        now = time.time_ns()
        try:
            st = path.stat()
        except OSError as err:
            self._store(rel, None, FileRecord(rel, "failed", f"cannot read: {err}"), None, now)
            return True
        if old is not None:
            size, mtime_ns, checked_ns, sha = old
            same_stat = size == st.st_size and mtime_ns == st.st_mtime_ns
            if same_stat and sha and st.st_mtime_ns + RACY_NS < checked_ns:
                return False
        is_mbox = path.suffix.lower() == ".mbox"
        try:
            fp = fingerprint(path, mbox=is_mbox)
        except OSError as err:
            self._store(rel, st, FileRecord(rel, "failed", f"cannot read: {err}"), None, now)
            return True
        if old is not None and old[3] == fp.sha256:
            self.con.execute(
                "UPDATE files SET size = ?, mtime_ns = ?, checked_ns = ? WHERE path = ?",
                (st.st_size, st.st_mtime_ns, now, rel),
            )
            return False
        record, doc = _evidence.read_one(path, rel, self.tz)
        if is_mbox:
            record = reconcile(record, doc, fp)
        key = None
        if doc is not None:
            key = f"{fp.sha256}:{path.suffix.lower()}"  # same bytes, another reader: another doc
            doc.id = fp.sha256
            doc.kind = doc.kind or path.suffix.lower().lstrip(".")
            self._store_document(key, doc)
        self._store(rel, st, record, key, now, fp.sha256)
        return True

    def _store(
        self,
        rel: str,
        st: os.stat_result | None,
        record: FileRecord,
        key: str | None,
        now: int,
        sha: str | None = None,
    ) -> None:
        size = st.st_size if st else None
        mtime = st.st_mtime_ns if st else None
        facts = record.status == "read" and record.reason == "analyst facts"
        self.con.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                rel,
                size,
                mtime,
                now,
                sha,
                record.status,
                record.reason,
                record.messages,
                record.pages,
                int(facts),
                key,
            ),
        )

    def _store_document(self, key: str, doc: Document) -> None:
        # IGNORE: the same bytes at another path were read already (here or by
        # another process ingesting this case at the same time).
        self.con.execute(
            "INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            document_row(key, doc),
        )

    # -- reading -------------------------------------------------------------
    def manifest(self) -> list[FileRecord]:
        """Every file under evidence/, in path order, with its status and reason."""
        rows = self.con.execute("SELECT path, status, reason, messages, pages FROM files")
        return sorted((FileRecord(*row) for row in rows), key=lambda r: _sort_key(r.path))

    def documents(self) -> Iterator[Document]:
        """Each document once, in the order of its first path."""
        where: dict[str, list[str]] = {}
        for rel, key in self.con.execute(
            "SELECT path, doc_key FROM files WHERE doc_key IS NOT NULL"
        ):
            where.setdefault(key, []).append(rel)
        for paths in where.values():
            paths.sort(key=_sort_key)
        for key in sorted(where, key=lambda k: _sort_key(where[k][0])):
            row = self.con.execute(
                "SELECT key, id, kind, text, messages, pages, redactions, warnings, extra "
                "FROM documents WHERE key = ?",
                (key,),
            ).fetchone()
            if row is not None:
                yield document_from_row(row, where[key])

    def evidence(self) -> Evidence:
        """The shape `load_case` wants: documents keyed by every location (a
        duplicate's locations map to one object), facts files, the manifest.
        Read in one transaction, so another process's update is not half seen."""
        with self._guard():
            self.con.execute("BEGIN")
            try:
                return self._evidence()
            finally:
                self.con.commit()

    def _evidence(self) -> Evidence:
        out = Evidence(manifest=self.manifest())
        docs = {loc: doc for doc in self.documents() for loc in doc.locations}
        out.documents = {p: docs[p] for p in sorted(docs, key=_sort_key)}
        rows = self.con.execute("SELECT path FROM files WHERE facts = 1").fetchall()
        out.facts_files = [self.root / p for (p,) in sorted(rows, key=lambda r: _sort_key(r[0]))]
        return out

    # -- extracted facts (checker.extraction) --------------------------------
    def extracted_facts(self, version: str) -> dict[str, str]:
        """Cached extracted facts as JSON, by document key (`id:path`), for one
        extraction version."""
        with self._guard():
            sql = "SELECT doc, facts FROM extracted WHERE version = ?"
            rows = self.con.execute(sql, (version,))
            return dict(rows.fetchall())

    def replace_extracted_facts(self, version: str, rows: dict[str, str]) -> None:
        """Make `rows` the whole cache: other versions and gone documents are dropped."""
        with self._guard():
            self.con.execute("DELETE FROM extracted")
            self.con.executemany(
                "INSERT INTO extracted VALUES (?, ?, ?)",
                [(key, version, facts) for key, facts in sorted(rows.items())],
            )
            self.con.commit()


@contextmanager
def open_index(root: Path, tz: ZoneInfo) -> Iterator[Index]:
    """The case's index, closed afterwards."""
    index = Index(root, tz)
    try:
        yield index
    finally:
        index.close()


def load_evidence(root: Path, tz: ZoneInfo) -> Evidence:
    """Update the case's index, then load its evidence (what `load_case` calls).
    Reports progress to the callback in `PROGRESS`, if one is set."""
    with open_index(root, tz) as index:
        index.update(PROGRESS.get())
        return index.evidence()


def case_timezone(root: Path) -> ZoneInfo:
    """The case's timezone as `load_case` takes it (UTC when case.yaml has none or
    is invalid), for the commands that read only the evidence."""
    from checker.case import CaseMeta  # checker.case imports this module

    try:
        from checker.yamlfile import load_yaml

        raw = load_yaml(root / "case.yaml", "case.yaml") if (root / "case.yaml").is_file() else {}
        return ZoneInfo(CaseMeta.model_validate(raw or {}).timezone)
    except Exception:  # noqa: BLE001 - load_case reports what is wrong; the index uses UTC
        return ZoneInfo("UTC")
