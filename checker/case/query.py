"""Full-text search over every record's text, ranked, each email once.

`search(index, query, where)` runs an FTS5 query (words, "phrases",
prefixes*, NEAR(a b, 10), AND, OR, NOT, parentheses) over the records' text
in the case index (`checker.ingest.fulltext`), keeps the records `where`
allows (senders, recipients, dates), ranks them by BM25, and gives each
record once however many places it is filed (the index has one row per
email), shown at its first place in path order. Each hit carries the
record's text and the exact `(start, end)` of every term or phrase that
matched in it, counted in that text as `checker show` prints it. A query FTS5 cannot parse raises
`SearchQueryInvalid`, with a hint (`checker.case.queryhints`).

The query side lives here, not in `ingest/`: the ingest code is fingerprinted
(`checker.ingest.indexdb`), and a change to how results are ranked or shown
must not re-read every evidence file. The table, its tokenizer and the exact
offsets stay with the index (`checker.ingest.fulltext`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.case.queryhints import hint
from checker.errors import IndexUnavailable, SearchQueryInvalid
from checker.ingest import fulltext
from checker.ingest.index import Index
from checker.ingest.records import Part, Record

DEFAULT_LIMIT = 20
Place = tuple[str, int, Part]  # where an email is filed: (path, records row id, part)


@dataclass(frozen=True)
class Where:
    """Which records a search keeps. `sender` tests a record's From value and
    `recipient` each of its To and Cc values, exactly as the records hold them
    (None: any record passes); they are asked only about the records the query
    matched. `after` and `before` are days (`YYYY-MM-DD`): a record must be
    dated after the one and before the other, and one without a date is then
    left out."""

    sender: Callable[[str], bool] | None = None
    recipient: Callable[[str], bool] | None = None
    after: str | None = None
    before: str | None = None


@dataclass(frozen=True)
class Hit:
    """One record a search found: where it is (its first place where the query
    hit), its text there, and the spans of that text the query matched."""

    record: Record
    text: str
    spans: tuple[tuple[int, int], ...]
    score: float  # BM25, higher is better (FTS5's own value, negated)


@dataclass(frozen=True)
class SearchResult:
    """The best `len(hits)` of the `total` records that matched, best first."""

    query: str
    total: int
    hits: list[Hit]


# The full-text table has one row per email, so ranking needs no grouping of
# copies. Without filters FTS5 ranks and counts on its own; with them each row
# it matched is joined to its records row (bm25() only works on the table's
# own rows, so they are scored first).
_TOP = "SELECT rowid, rank FROM {t} WHERE {t} MATCH :query ORDER BY rank LIMIT :limit"
_COUNT = "SELECT count(*) FROM {t} WHERE {t} MATCH :query"
_FILTERED = """
WITH scored AS MATERIALIZED (
    SELECT rowid AS id, bm25({t}) AS score FROM {t} WHERE {t} MATCH :query
)
SELECT s.id, s.score, count(*) OVER () AS total
FROM scored AS s CROSS JOIN records AS r ON r.id = s.id
WHERE 1 {filters}
ORDER BY s.score, s.id
LIMIT :limit
"""
_DATES = {
    "after": "AND substr(r.date, 1, 10) > :after",
    "before": "AND substr(r.date, 1, 10) < :before",
}
_SENDER, _RECIPIENTS = "search_sender", "search_recipients"  # SQL functions, for one search


def search(index: Index, query: str, where: Where | None = None,
           limit: int = DEFAULT_LIMIT) -> SearchResult:
    """The records `query` finds (see the module's docstring)."""
    parse_query(index.con, query)
    try:
        return _search(index, query, where or Where(), limit)
    except sqlite3.Error as err:  # the query parsed: the index is in trouble (locked, full)
        raise IndexUnavailable(index.path or Path(":memory:"), str(err)) from None


def _search(index: Index, query: str, where: Where, limit: int) -> SearchResult:
    t = fulltext.TABLE
    params: dict[str, Any] = {"query": query, "limit": max(limit, 0)}
    filters = []
    for name, clause in _DATES.items():
        if getattr(where, name) is not None:
            filters.append(clause)
            params[name] = getattr(where, name)
    if where.sender is not None:
        filters.append(f"AND {_SENDER}(r.sender)")
    if where.recipient is not None:
        filters.append(f"AND {_RECIPIENTS}(r.recipients)")
    con = index.con
    if filters:
        with _functions(con, where):
            sql = _FILTERED.format(t=t, filters=" ".join(filters))
            rows = con.execute(sql, params).fetchall()
        ranked = [(rid, score) for rid, score, _ in rows]
        total = int(rows[0][2]) if rows else 0
    else:
        ranked = con.execute(_TOP.format(t=t), params).fetchall()
        total = int(con.execute(_COUNT.format(t=t), params).fetchone()[0]) if ranked else 0
    filed = index.filed(rid for rid, _ in ranked)
    picks: list[tuple[list[Place], Place, Place, float]] = []
    for rid, score in ranked:
        places = filed.get(rid)
        if not places:  # removed by another process since the ranking
            continue
        indexed = next((p for p in places if p[1] == rid), places[0])
        picks.append((places, places[0], indexed, -float(score)))
    texts = _texts(index, [p for _, first, indexed, _ in picks for p in (first, indexed)])
    spans = fulltext.hit_spans(con, query, texts)
    hits = []
    for places, first, indexed, score in picks:
        # Shown at its first place; should that copy's text not hold the hits
        # (a header rendered otherwise), at the copy whose text is indexed.
        place = first if first[1] in spans else indexed
        if place[1] in texts:
            text, hit = texts[place[1]], tuple(spans.get(place[1], ()))
            hits.append(Hit(_record(place, places), text, hit, score))
    return SearchResult(query, total, hits)


def _record(place: Place, places: list[Place]) -> Record:
    """The email at `place`, filed at all of `places`."""
    path, _, part = place
    locations = tuple(dict.fromkeys(f"{p}#{q.n}" for p, _, q in places))
    return Record(
        part.key, path, part.n, part.start, part.end, part.message_id, part.date, part.sender,
        part.recipients, part.subject, part.page, part.bates, locations,
    )


@contextmanager
def _functions(con: sqlite3.Connection, where: Where) -> Iterator[None]:
    """`where`'s correspondent tests as SQL functions, while one search runs."""
    sender, recipient = where.sender, where.recipient

    def from_ok(value: str | None) -> bool:
        return value is not None and sender is not None and sender(value)

    def to_ok(values: str) -> bool:
        return recipient is not None and any(recipient(v) for v in json.loads(values))

    con.create_function(_SENDER, 1, from_ok, deterministic=True)
    con.create_function(_RECIPIENTS, 1, to_ok, deterministic=True)
    try:
        yield
    finally:
        con.create_function(_SENDER, 1, None)
        con.create_function(_RECIPIENTS, 1, None)


def parse_query(con: sqlite3.Connection, query: str) -> None:
    """Raise `SearchQueryInvalid` for a query FTS5 cannot parse (costs no search)."""
    if not query.strip():
        raise SearchQueryInvalid(query, "there is nothing to search for", hint(con, query, ""))
    try:
        fulltext.check_query(con, query)
    except sqlite3.OperationalError as err:
        raise SearchQueryInvalid(query, str(err), hint(con, query, str(err))) from None


def _texts(index: Index, places: Iterable[Place]) -> dict[int, str]:
    """The text at each place, by its records row id; each document read once."""
    docs: dict[str, str | None] = {}
    out: dict[int, str] = {}
    for _, rid, part in places:
        if part.doc_key not in docs:
            docs[part.doc_key] = index.text(part.doc_key)
        text = docs[part.doc_key]
        if text is not None:
            out[rid] = text[part.start : part.end]
    return out
