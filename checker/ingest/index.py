"""The case index: every evidence file and document, kept in SQLite between runs.

`CASE/.checker/index.sqlite` records each file under evidence/ (size,
mtime, SHA-256, status, reason, counts) and each document (text, messages,
pages, redactions, warnings as JSON). `update` re-reads only files whose
content changed (size or mtime differ, then confirmed by SHA-256), drops
removed files, and streams: a few documents in memory at a time. Identical
files are one document (`id` is the SHA-256 of the bytes) with several
`locations`. Files are read by a `checker.parallel.Runner` (this process, a
pool of workers, or a Dask cluster); only this process writes, in path order,
so the index is the same byte for byte whichever read them. A case folder
that cannot hold `.checker/` (read-only) gets an in-memory index,
transparently (`checker.ingest.indexdb`). The `extracted` table caches
extracted facts per document and extraction version for `checker.extraction.run`,
so only new or changed documents are extracted again. Each record's text is
indexed for full-text search (`checker.ingest.fulltext`), once per email, as
its document is written, and dropped with it: an unchanged file costs the
search index nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from checker.errors import IndexUnavailable
from checker.ingest import evidence as _evidence
from checker.ingest import fulltext
from checker.ingest.codec import document_from_row, document_row
from checker.ingest.document import Document
from checker.ingest.evidence import Evidence, FileRecord
from checker.ingest.indexdb import connect
from checker.ingest.manifest import fingerprint, reconcile
from checker.ingest.records import Part, Record, merge, parts_of
from checker.ingest.walk import Found, walk_evidence
from checker.parallel import RUNNER, Runner

RACY_NS = 2_000_000_000  # a file modified this close to our last look is re-hashed
COMMIT_EVERY = 64

Progress = Callable[[int, int, str], None]  # (files done, files in all, current path)
PROGRESS: ContextVar[Progress | None] = ContextVar("checker_index_progress", default=None)


@dataclass
class UpdateStats:
    """What one `update` did: files (re-)read, unchanged, dropped, and the rows
    it wrote to the full-text index (records' text added or removed)."""

    read: int = 0
    unchanged: int = 0
    removed: int = 0
    fulltext_rows: int = 0


@dataclass(frozen=True)
class FileJob:
    """One file for a worker to look at: where it is, what `stat` said (or why
    it failed), the SHA-256 the index holds for it, and when we looked. A job
    with a `refused` record is not opened (a link out of the case, a pipe)."""

    path: Path
    rel: str
    stat: os.stat_result | str
    old_sha: str | None
    now: int
    refused: FileRecord | None = None


@dataclass
class FileOutcome:
    """What a worker found: `record` None when the bytes are the ones indexed
    (only size and mtime are updated), else the file's record and document."""

    rel: str
    now: int
    size: int | None = None
    mtime_ns: int | None = None
    sha: str | None = None
    record: FileRecord | None = None
    key: str | None = None
    row: tuple[Any, ...] | None = None  # the document's row, encoded in the worker
    parts: list[Part] | None = None  # its records (`checker.ingest.records`)
    read: bool = True


def _job_size(job: tuple[int, FileJob]) -> int:
    st = job[1].stat
    return 0 if isinstance(st, str) else st.st_size


def _forward_only(progress: Progress | None) -> Progress | None:
    """`progress` without steps back: unchanged files are counted as they are
    listed, ahead of the files still with the workers."""
    if progress is None:
        return None
    shown = 0

    def report(done: int, total: int, rel: str) -> None:
        nonlocal shown
        if done > shown:
            shown = done
            progress(done, total, rel)

    return report


def _read_file(tz: ZoneInfo, job: tuple[int, FileJob]) -> tuple[int, FileOutcome]:
    """Hash and read one file (in a worker); never raises for the file's sake."""
    done, j = job
    out = FileOutcome(j.rel, j.now)
    if j.refused is not None:
        out.record = j.refused
        return done, out
    if isinstance(j.stat, str):
        out.record = FileRecord(j.rel, "failed", j.stat)
        return done, out
    out.size, out.mtime_ns = j.stat.st_size, j.stat.st_mtime_ns
    is_mbox = j.path.suffix.lower() == ".mbox"
    try:
        fp = fingerprint(j.path, mbox=is_mbox)
    except OSError as err:
        out.record = FileRecord(j.rel, "failed", f"cannot read: {err}")
        return done, out
    if j.old_sha == fp.sha256:
        out.read = False
        return done, out
    record, doc = _evidence.read_one(j.path, j.rel, tz)
    if is_mbox:
        record = reconcile(record, doc, fp)
    if doc is not None:
        out.key = f"{fp.sha256}:{j.path.suffix.lower()}"  # same bytes, another reader: another doc
        doc.id = fp.sha256
        doc.kind = doc.kind or j.path.suffix.lower().lstrip(".")
        out.row = document_row(out.key, doc)
        out.parts = parts_of(out.key, doc)
    out.record, out.sha = record, fp.sha256
    return done, out


def _part_row(p: Part) -> tuple[Any, ...]:
    return (
        p.doc_key, p.n, p.start, p.end, p.key, p.message_id, p.date, p.sender,
        json.dumps(list(p.recipients), ensure_ascii=False), p.subject, p.page, p.bates,
    )


def _part(row: tuple[Any, ...]) -> Part:
    doc_key, n, start, end, key, message_id, date, sender, recipients, subject, page, bates = row
    return Part(
        doc_key, n, start, end, key, message_id, date, sender,
        tuple(json.loads(recipients)), subject, page, bates,
    )


def _sort_key(rel: str) -> PurePosixPath:
    return PurePosixPath(rel)  # the order `walk_evidence` walks in


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One document as the index lists it, without its text: its row's key, its
    id (the SHA-256 of its bytes) and every path it is found at, sorted (the
    first is the document's `path`)."""

    key: str
    id: str
    locations: tuple[str, ...]

    @property
    def path(self) -> str:
        return self.locations[0]


class Index:
    """The SQLite index of one case; use `open_index` to get one."""

    def __init__(self, root: Path, tz: ZoneInfo):
        self.root = Path(root)
        self.tz = tz
        self.con, self.path = connect(self.root, tz)  # path None: in memory
        self._added = 0  # rows add_extracted kept aside since the last commit

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

    def update(self, progress: Progress | None = None, runner: Runner | None = None) -> UpdateStats:
        """Bring the index in line with evidence/: read new and changed files,
        drop removed ones. Returns what it did. `runner` says where files are
        read (default: the one in `RUNNER`, else this process); the index is
        the same whichever it is."""
        with self._guard():
            return self._update(progress, runner or RUNNER.get() or Runner())

    def _update(self, progress: Progress | None, runner: Runner[ZoneInfo]) -> UpdateStats:
        stats = UpdateStats()
        known = {
            row[0]: row[1:]
            for row in self.con.execute(
                "SELECT path, size, mtime_ns, checked_ns, sha256 FROM files"
            )
        }
        files = walk_evidence(self.root)
        progress = _forward_only(progress)
        jobs = self._jobs(files, known, stats, progress)
        pending = 0
        # Workers read; this process alone writes, in path order.
        for done, outcome in runner.map(_read_file, jobs, self.tz, weight=_job_size):
            stats.fulltext_rows += self._apply(outcome)
            if outcome.read:
                stats.read += 1
                pending += 1
                if pending >= COMMIT_EVERY:  # a batch of reads per transaction:
                    self.con.commit()  # an interrupted ingest keeps its work
                    pending = 0
            else:
                stats.unchanged += 1
            if progress:
                progress(done, len(files), outcome.rel)
        stats.removed = len(known)
        self.con.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in known])
        unfiled = "NOT IN (SELECT doc_key FROM files WHERE doc_key IS NOT NULL)"
        gone = [k for (k,) in self.con.execute(f"SELECT key FROM documents WHERE key {unfiled}")]
        stats.fulltext_rows += fulltext.drop_documents(self.con, gone)  # while their text is here
        self.con.execute(f"DELETE FROM documents WHERE key {unfiled}")
        self.con.execute("DELETE FROM records WHERE doc_key NOT IN (SELECT key FROM documents)")
        self.con.commit()
        return stats

    def _jobs(
        self,
        files: list[Found],
        known: dict[str, tuple[Any, ...]],
        stats: UpdateStats,
        progress: Progress | None,
    ) -> Iterator[tuple[int, FileJob]]:
        """A job for each file that may have changed; files whose size and mtime
        say they did not are counted here and never leave this process. Entries
        the walk refused are looked at again every time (a link may be changed)."""
        for done, found in enumerate(files, 1):
            path, rel = found.path, found.rel
            old = known.pop(rel, None)
            now = time.time_ns()
            if found.status:
                refused = FileRecord(rel, found.status, found.reason)
                yield done, FileJob(path, rel, "not read", None, now, refused)
                continue
            try:
                st: os.stat_result | str = path.stat()
            except OSError as err:
                st = f"cannot read: {err}"
            if old is not None and not isinstance(st, str):
                size, mtime_ns, checked_ns, sha = old
                same_stat = size == st.st_size and mtime_ns == st.st_mtime_ns
                if same_stat and sha and st.st_mtime_ns + RACY_NS < checked_ns:
                    stats.unchanged += 1
                    if progress:
                        progress(done, len(files), rel)
                    continue
            yield done, FileJob(path, rel, st, old[3] if old else None, now)

    def _apply(self, out: FileOutcome) -> int:
        """Write what a worker found about one file; the full-text rows written."""
        if out.record is None:  # same bytes as before, touched
            self.con.execute(
                "UPDATE files SET size = ?, mtime_ns = ?, checked_ns = ? WHERE path = ?",
                (out.size, out.mtime_ns, out.now, out.rel),
            )
            return 0
        written = 0
        if out.row is not None:
            # IGNORE: the same bytes at another path were read already (here or by
            # another process ingesting this case at the same time), and so was
            # their text indexed.
            self.con.execute(
                "INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", out.row
            )
            new: list[tuple[int, str, int, int]] = []
            for p in out.parts or ():
                cur = self.con.execute(_INSERT_PART, _part_row(p))
                if cur.rowcount == 1 and cur.lastrowid is not None:
                    new.append((cur.lastrowid, p.key, p.start, p.end))
            written = fulltext.add(self.con, out.row[3], new)
        self._store(out, out.record)
        return written

    def _store(self, out: FileOutcome, record: FileRecord) -> None:
        facts = record.status == "read" and record.reason == "analyst facts"
        self.con.execute(
            "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                out.rel,
                out.size,
                out.mtime_ns,
                out.now,
                out.sha,
                record.status,
                record.reason,
                record.messages,
                record.pages,
                int(facts),
                out.key,
            ),
        )

    # -- reading -------------------------------------------------------------
    def manifest(self) -> list[FileRecord]:
        """Every file under evidence/, in path order, with its status and reason."""
        rows = self.con.execute("SELECT path, status, reason, messages, pages FROM files")
        return sorted((FileRecord(*row) for row in rows), key=lambda r: _sort_key(r.path))

    def entries(self) -> list[DocumentEntry]:
        """Every document once, in the order of its first path, without its text."""
        where: dict[str, list[str]] = {}
        for rel, key in self.con.execute(
            "SELECT path, doc_key FROM files WHERE doc_key IS NOT NULL"
        ):
            where.setdefault(key, []).append(rel)
        ids = dict(self.con.execute("SELECT key, id FROM documents").fetchall())
        out = [
            DocumentEntry(key, ids[key], tuple(sorted(paths, key=_sort_key)))
            for key, paths in where.items()
            if key in ids
        ]
        return sorted(out, key=lambda e: _sort_key(e.path))

    def read(self, entries: Iterable[DocumentEntry]) -> Iterator[Document]:
        """The documents of `entries`, read one at a time as they are asked for (one
        that another process removed meanwhile is left out)."""
        for entry in entries:
            row = self.con.execute(
                "SELECT key, id, kind, text, messages, pages, redactions, warnings, extra "
                "FROM documents WHERE key = ?",
                (entry.key,),
            ).fetchone()
            if row is not None:
                yield document_from_row(row, list(entry.locations))

    def documents(self) -> Iterator[Document]:
        """Each document once, in the order of its first path."""
        return self.read(self.entries())

    def document_at(self, location: str) -> Document | None:
        """The document found at `location` (a path from the case root), or None."""
        row = self.con.execute(
            "SELECT doc_key FROM files WHERE path = ? AND doc_key IS NOT NULL", (location,)
        ).fetchone()
        if row is None:
            return None
        paths = [p for (p,) in self.con.execute("SELECT path FROM files WHERE doc_key = ?", row)]
        entry = self.con.execute("SELECT id FROM documents WHERE key = ?", row).fetchone()
        if entry is None:
            return None
        found = DocumentEntry(row[0], entry[0], tuple(sorted(paths, key=_sort_key)))
        return next(self.read([found]), None)

    # -- records (checker.ingest.records) ---------------------------------------
    _PART_COLUMNS = (
        'doc_key, n, start, "end", key, message_id, date, sender, recipients, subject, page, bates'
    )

    def copied_records(self) -> set[str]:
        """The ids of the records filed in more than one document (copies; the
        several paths of one identical file are one document)."""
        sql = "SELECT key FROM records GROUP BY key HAVING count(*) > 1"
        return {key for (key,) in self.con.execute(sql)}

    def parts(self, doc_key: str) -> list[Part]:
        """The records of one document, in order."""
        sql = f"SELECT {self._PART_COLUMNS} FROM records WHERE doc_key = ? ORDER BY n"
        return [_part(r) for r in self.con.execute(sql, (doc_key,))]

    def records(self, entries: Iterable[DocumentEntry] | None = None) -> list[Record]:
        """Every record once (copies merged), in the order of its first location."""
        entries = self.entries() if entries is None else list(entries)
        by_doc: dict[str, list[Part]] = {}
        sql = f"SELECT {self._PART_COLUMNS} FROM records ORDER BY doc_key, n"
        for row in self.con.execute(sql):
            part = _part(row)
            by_doc.setdefault(part.doc_key, []).append(part)
        located = sorted(
            ((loc, p) for e in entries for loc in e.locations for p in by_doc.get(e.key, ())),
            key=lambda lp: (_sort_key(lp[0]), lp[1].n),
        )
        return merge(located)

    def filed(self, ids: Iterable[int]) -> dict[int, list[tuple[str, int, Part]]]:
        """Every place the email of each `records` row of `ids` (the full-text
        index's rowids) is filed, in path order: `(path, row id, part)`."""
        columns = ", ".join("r." + c for c in self._PART_COLUMNS.split(", "))
        sql = (
            f"SELECT src.id, f.path, r.id, {columns} FROM records AS src "
            "JOIN records AS r ON r.key = src.key JOIN files AS f ON f.doc_key = r.doc_key "
            "WHERE src.id IN (SELECT value FROM json_each(?))"
        )
        out: dict[int, list[tuple[str, int, Part]]] = {}
        for src, path, rid, *row in self.con.execute(sql, (json.dumps(list(ids)),)):
            out.setdefault(src, []).append((path, rid, _part(tuple(row))))
        for places in out.values():
            places.sort(key=lambda p: (_sort_key(p[0]), p[2].n))
        return out

    def senders(self) -> list[str]:
        """Every distinct From value, as the records hold it."""
        sql = "SELECT DISTINCT sender FROM records WHERE sender IS NOT NULL ORDER BY sender"
        return [s for (s,) in self.con.execute(sql)]

    def recipients(self) -> list[str]:
        """Every distinct To or Cc value, as the records hold it."""
        sql = (
            "SELECT DISTINCT each.value FROM records, json_each(records.recipients) AS each "
            "ORDER BY each.value"
        )
        return [r for (r,) in self.con.execute(sql)]

    def text(self, doc_key: str) -> str | None:
        """A document's whole text (its records' spans index it), or None."""
        row = self.con.execute("SELECT text FROM documents WHERE key = ?", (doc_key,)).fetchone()
        return None if row is None else str(row[0])

    def facts_files(self) -> list[Path]:
        """The analyst-fact files under evidence/, in path order."""
        rows = self.con.execute("SELECT path FROM files WHERE facts = 1").fetchall()
        return [self.root / p for (p,) in sorted(rows, key=lambda r: _sort_key(r[0]))]

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
        out.facts_files = self.facts_files()
        return out

    # -- extracted facts (checker.extraction.run) -----------------------------
    # A run reads the cache one document at a time and writes new rows to a
    # temporary table (this connection's alone, so the index stays unlocked and
    # an interrupted run leaves the cache as it was); `keep_extracted` then
    # rewrites the cache in one transaction, in key order.
    def extracted_keys(self, version: str) -> set[str]:
        """The document keys (`id:path`) the cache holds facts for, for one
        extraction version."""
        with self._guard():
            sql = "SELECT doc FROM extracted WHERE version = ?"
            return {key for (key,) in self.con.execute(sql, (version,))}

    def extracted(self, key: str, version: str) -> str | None:
        """One document's cached facts as JSON, or None."""
        with self._guard():
            sql = "SELECT facts FROM extracted WHERE doc = ? AND version = ?"
            row = self.con.execute(sql, (key, version)).fetchone()
            return None if row is None else str(row[0])

    def add_extracted(self, key: str, facts: str) -> None:
        """Facts found now for one document, kept aside until `keep_extracted`."""
        with self._guard():
            self.con.execute(_NEW_EXTRACTED)
            self.con.execute(
                "INSERT OR REPLACE INTO temp.new_extracted VALUES (?, ?)", (key, facts)
            )
            self._added += 1
            if self._added % COMMIT_EVERY == 0:
                self.con.commit()  # a temporary table only: never hold a transaction open

    def keep_extracted(self, version: str, keys: Iterable[str]) -> None:
        """Make the cache hold exactly the documents `keys` for `version`: the rows
        `add_extracted` added and the cached rows of this version for the other
        keys, in key order. Other versions and other documents are dropped."""
        with self._guard():
            con = self.con
            con.commit()  # a fresh transaction: it reads the cache as it is now
            con.execute(_NEW_EXTRACTED)
            con.execute("CREATE TEMP TABLE IF NOT EXISTS wanted (doc TEXT PRIMARY KEY)")
            con.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?)", ((k,) for k in keys))
            con.execute(
                "INSERT OR IGNORE INTO temp.new_extracted SELECT doc, facts FROM extracted "
                "WHERE version = ? AND doc IN temp.wanted",
                (version,),
            )
            con.execute("DELETE FROM extracted")
            con.execute(
                "INSERT INTO extracted SELECT n.doc, ?, n.facts FROM temp.new_extracted AS n "
                "JOIN temp.wanted AS w ON w.doc = n.doc ORDER BY n.doc",
                (version,),
            )
            con.commit()
            self.drop_extracted()

    def drop_extracted(self) -> None:
        """Forget what `add_extracted` kept aside."""
        with self._guard():
            self.con.execute("DROP TABLE IF EXISTS temp.new_extracted")
            self.con.execute("DROP TABLE IF EXISTS temp.wanted")
            self.con.commit()
            self._added = 0


_INSERT_PART = (
    "INSERT OR IGNORE INTO records (doc_key, n, start, \"end\", key, message_id, date, sender, "
    "recipients, subject, page, bates) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_NEW_EXTRACTED = "CREATE TEMP TABLE IF NOT EXISTS new_extracted (doc TEXT PRIMARY KEY, facts TEXT)"


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

