"""The index's SQLite file: where it lives, its schema, and when it is rebuilt.

`connect` opens `CASE/.checker/index.sqlite`, or an in-memory database when
the case folder cannot hold it (read-only, e.g. a mounted production), so
every command works on any case. An index written by another schema
version, for another case timezone or by other ingest code (a reader that
improved) is dropped and rebuilt; a file that is not a database is replaced.

Each row of `records` (one place an email is filed) has an integer `id` that
is never reused (AUTOINCREMENT); the `indexed` one of an email's places gives
its id to the email's row in the full-text table (`checker.ingest.fulltext`).
"""

from __future__ import annotations

import hashlib
import sqlite3
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from checker import data
from checker.ingest import fulltext

SCHEMA_VERSION = 4
FOLDER = ".checker"
FILENAME = "index.sqlite"

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents (
    key TEXT PRIMARY KEY, id TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
    messages TEXT NOT NULL, pages TEXT NOT NULL, redactions TEXT NOT NULL,
    warnings TEXT NOT NULL, extra TEXT NOT NULL);
CREATE TABLE files (
    path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, checked_ns INTEGER,
    sha256 TEXT, status TEXT NOT NULL, reason TEXT NOT NULL, messages INTEGER NOT NULL,
    pages INTEGER NOT NULL, facts INTEGER NOT NULL, doc_key TEXT);
CREATE INDEX files_doc ON files (doc_key);
CREATE TABLE extracted (doc TEXT PRIMARY KEY, version TEXT NOT NULL, facts TEXT NOT NULL);
CREATE TABLE records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_key TEXT NOT NULL, n INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    key TEXT NOT NULL, message_id TEXT, date TEXT, sender TEXT, recipients TEXT NOT NULL,
    subject TEXT, page TEXT, bates TEXT, indexed INTEGER NOT NULL DEFAULT 0,
    UNIQUE (doc_key, n));
CREATE INDEX records_key ON records (key);
CREATE INDEX records_message_id ON records (message_id);
""" + fulltext.SCHEMA


@cache
def code_fingerprint() -> str:
    """A digest of the ingest code and the data it reads with (the bulk-mail
    phrases), so an upgrade of a reader or a phrase re-reads every file."""
    digest = hashlib.sha256(str(SCHEMA_VERSION).encode())
    inputs = sorted(Path(__file__).parent.rglob("*.py")) + [data.HERE / "bulk.yaml"]
    for path in inputs:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _meta(con: sqlite3.Connection) -> dict[str, str]:
    try:
        return dict(con.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError:  # no such table (new file), or not a database
        return {}


def _make_dir(path: Path) -> Path:
    path.mkdir(exist_ok=True)
    return path


def connect(root: Path, tz: ZoneInfo) -> tuple[sqlite3.Connection, Path | None]:
    """The index's connection and file, or an in-memory connection and None when
    the case folder cannot hold the file; a corrupt file is replaced once."""
    for attempt in (1, 2):
        con: sqlite3.Connection | None = None
        try:
            path = _make_dir(root / FOLDER) / FILENAME
            con = sqlite3.connect(path, timeout=30)
            return prepare(con, tz, disk=True), path
        except (OSError, sqlite3.Error) as err:
            if con is not None:
                con.close()
            corrupt = type(err) is sqlite3.DatabaseError  # "file is not a database"
            if not corrupt or attempt == 2:
                break
            path.unlink(missing_ok=True)
    return prepare(sqlite3.connect(":memory:"), tz), None


def prepare(con: sqlite3.Connection, tz: ZoneInfo, disk: bool = False) -> sqlite3.Connection:
    """Check the schema version, timezone and code; rebuild on any difference."""
    if disk:
        con.execute("PRAGMA journal_mode = WAL")  # readers see a snapshot, never wait
    want = {"schema": str(SCHEMA_VERSION), "timezone": str(tz.key), "code": code_fingerprint()}
    if _meta(con) == want:
        return con
    con.execute("BEGIN IMMEDIATE")
    try:
        if _meta(con) != want:  # another process may have rebuilt it meanwhile
            # Virtual tables first: dropping one drops its shadow tables with it.
            # sqlite_sequence (AUTOINCREMENT's) cannot be dropped; it forgets the
            # tables dropped here by itself.
            tables = con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY sql NOT LIKE 'CREATE VIRTUAL%'"
            )
            for (name,) in tables.fetchall():
                con.execute(f'DROP TABLE IF EXISTS "{name}"')
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    con.execute(statement)
            con.executemany("INSERT INTO meta VALUES (?, ?)", sorted(want.items()))
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return con
