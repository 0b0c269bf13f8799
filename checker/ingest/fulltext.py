"""Records' text in an SQLite FTS5 table, and the exact offsets of what a query hit.

`record_text` is a contentless FTS5 table with one row per record, that is
per distinct email, however many places it is filed: copies are one row, so
a search finds each email once and BM25 counts emails, not copies. The row's
rowid is the id of one row of `records` that holds the email (the first filed,
flagged `indexed`), its one column that place's text (`doc.text[start:end]`,
what `checker show` prints). The text itself is kept once, in `documents`;
FTS5 keeps only its tokens, split by `unicode61 remove_diacritics 2` (letters
and digits make words; case and accents are folded, so `cafe` finds `Café`).

A contentless table forgets the text, so FTS5's 'delete' command must be
given the text a row was added with: `drop_documents` reads it from
`documents` before those rows go, and gives an email that is still filed
elsewhere its row back from another copy. FTS5 has no `offsets()`, and its
`highlight()` needs the text; `hit_spans` adds the few texts a page of
results shows to a temporary FTS5 table with the same tokenizer and reads
`highlight()` there, so the offsets are FTS5's own, not a re-implementation
of its tokenizer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence

TABLE = "record_text"
TOKENIZE = "unicode61 remove_diacritics 2"
SCHEMA = f"CREATE VIRTUAL TABLE {TABLE} USING fts5(text, content='', tokenize='{TOKENIZE}')"
_INDEXED = "SELECT 1 FROM records WHERE key = ? AND indexed = 1 LIMIT 1"
_HITS = "fulltext_hits"  # in `temp`: this connection's alone
# Marker characters for highlight(): two that the texts do not hold are used.
_MARKERS = tuple(chr(c) for c in range(0xE000, 0xE100))


def add(con: sqlite3.Connection, text: str, parts: Sequence[tuple[int, str, int, int]]) -> int:
    """Index the records newly filed in one document (`(id, key, start, end)`
    rows of `records`, spans of `text`), each email unless a copy of it is
    indexed already; the number of rows written."""
    rows: list[tuple[int, str]] = []
    for rid, key, start, end in parts:
        if con.execute(_INDEXED, (key,)).fetchone() is None:
            con.execute("UPDATE records SET indexed = 1 WHERE id = ?", (rid,))
            rows.append((rid, text[start:end]))
    con.executemany(f"INSERT INTO {TABLE} (rowid, text) VALUES (?, ?)", rows)
    return len(rows)


def drop_documents(con: sqlite3.Connection, keys: Iterable[str]) -> int:
    """Remove the indexed text of the records of the documents `keys` (about to
    be deleted, their text still in `documents`), and index again, from another
    copy, each email still filed elsewhere; the number of rows written."""
    gone = set(keys)
    written = 0
    rehome: list[str] = []
    for doc_key in sorted(gone):
        parts = con.execute(
            'SELECT id, key, start, "end" FROM records WHERE doc_key = ? AND indexed = 1',
            (doc_key,),
        ).fetchall()
        text = _text(con, doc_key)
        if not parts or text is None:
            continue
        con.executemany(
            f"INSERT INTO {TABLE} ({TABLE}, rowid, text) VALUES ('delete', ?, ?)",
            ((rid, text[start:end]) for rid, _, start, end in parts),
        )
        con.executemany("UPDATE records SET indexed = 0 WHERE id = ?", ((p[0],) for p in parts))
        written += len(parts)
        rehome += [key for _, key, _, _ in parts]
    for key in sorted(set(rehome)):
        copies = con.execute(
            'SELECT id, doc_key, start, "end" FROM records WHERE key = ? ORDER BY id', (key,)
        ).fetchall()
        copy = next((c for c in copies if c[1] not in gone), None)
        text = _text(con, copy[1]) if copy is not None else None
        if copy is not None and text is not None:
            written += add(con, text, [(copy[0], key, copy[2], copy[3])])
    return written


def _text(con: sqlite3.Connection, doc_key: str) -> str | None:
    row = con.execute("SELECT text FROM documents WHERE key = ?", (doc_key,)).fetchone()
    return None if row is None else str(row[0])


def rows(con: sqlite3.Connection) -> int:
    """How many records are indexed."""
    return int(con.execute(f"SELECT count(*) FROM {TABLE}_docsize").fetchone()[0])


def hit_spans(
    con: sqlite3.Connection, query: str, texts: Mapping[int, str]
) -> dict[int, list[tuple[int, int]]]:
    """For each text (by record id) that `query` matches, the `(start, end)` of
    every term or phrase it hit, in order: FTS5's `highlight()` marks them (one
    span where hits overlap). Texts the query does not match are left out."""
    markers = _unused_markers(texts.values())
    if markers is None:  # the texts hold every candidate marker: nothing can be marked
        return {}
    began = not con.in_transaction
    _hits_table(con)
    try:
        con.executemany(f"INSERT INTO temp.{_HITS} (rowid, text) VALUES (?, ?)", texts.items())
        marked = con.execute(
            f"SELECT rowid, highlight({_HITS}, 0, ?, ?) FROM temp.{_HITS} "
            f"WHERE {_HITS} MATCH ? ORDER BY rowid",
            (*markers, query),
        ).fetchall()
    finally:
        con.execute(f"DELETE FROM temp.{_HITS}")
        if began:
            con.commit()  # a temporary table only: hold no transaction open
    return {rid: _spans(text, *markers) for rid, text in marked}


def check_query(con: sqlite3.Connection, query: str) -> None:
    """Raise `sqlite3.OperationalError` unless FTS5 can parse `query` (tried on
    the empty temporary table, so it costs nothing)."""
    _hits_table(con)
    con.execute(f"SELECT rowid FROM temp.{_HITS} WHERE {_HITS} MATCH ?", (query,)).fetchall()


def _hits_table(con: sqlite3.Connection) -> None:
    con.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{_HITS} USING fts5(text, tokenize='{TOKENIZE}')"
    )


def _unused_markers(texts: Iterable[str]) -> tuple[str, str] | None:
    """Two marker characters that none of `texts` holds."""
    texts = list(texts)
    found: list[str] = []
    for m in _MARKERS:
        if not any(m in t for t in texts):
            found.append(m)
            if len(found) == 2:
                return found[0], found[1]
    return None


def _spans(marked: str, open_: str, close: str) -> list[tuple[int, int]]:
    """The spans between the markers, as offsets into the text without them."""
    spans: list[tuple[int, int]] = []
    seen = 0  # marker characters before the current one
    at = marked.find(open_)
    while at >= 0:
        end = marked.find(close, at + 1)
        spans.append((at - seen, end - seen - 1))
        seen += 2
        at = marked.find(open_, end + 1)
    return spans
