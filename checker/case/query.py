"""Full-text search over every record's text, ranked, each email once.

`search(index, query, where)` runs an FTS5 query (words, "phrases",
prefixes*, NEAR(a b, 10), AND, OR, NOT, parentheses) over the records' text
in the case index (`checker.ingest.fulltext`), keeps the records `where`
allows (senders, recipients, dates), ranks them by BM25, and gives each
record once however many places it is filed: at the first place (in path
order) where the query hit it. Each hit carries the record's text and the
exact `(start, end)` of every term or phrase that matched in it, counted in
that text as `checker show` prints it. A query FTS5 cannot parse raises
`SearchQueryInvalid`, with a hint (`checker.case.queryhints`).

The query side lives here, not in `ingest/`: the ingest code is fingerprinted
(`checker.ingest.indexdb`), and a change to how results are ranked or shown
must not re-read every evidence file. The table, its tokenizer and the exact
offsets stay with the index (`checker.ingest.fulltext`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.case.queryhints import hint
from checker.errors import IndexUnavailable, SearchQueryInvalid
from checker.ingest import fulltext
from checker.ingest.index import Index
from checker.ingest.records import Record

DEFAULT_LIMIT = 20


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


# bm25() only works on the full-text table's own rows, so they are scored first.
_RANKED = """
WITH scored AS MATERIALIZED (
    SELECT rowid AS id, bm25({t}) AS score FROM {t} WHERE {t} MATCH :query
)
SELECT r.key, min(s.score) AS best, min(r.date) AS day,
       json_group_array(r.id) AS ids, count(*) OVER () AS total
FROM scored AS s CROSS JOIN records AS r ON r.id = s.id
WHERE 1 {filters}
GROUP BY r.key
ORDER BY best, day, r.key
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
    sql = _RANKED.format(t=fulltext.TABLE, filters=" ".join(filters))
    with _functions(index.con, where):
        ranked = index.con.execute(sql, params).fetchall()
    if not ranked:
        return SearchResult(query, 0, [])
    filed = index.filed(key for key, *_ in ranked)
    chosen: list[tuple[Record, int, str, float]] = []
    for key, best, _day, ids, _total in ranked:
        matched = set(json.loads(ids))
        places = filed.get(key, [])
        # The first place (in path order) where the query hit it, and every place.
        first = next(((path, rid, part) for path, rid, part in places if rid in matched), None)
        if first is None:  # removed by another process since the ranking
            continue
        path, rid, part = first
        locations = tuple(dict.fromkeys(f"{p}#{q.n}" for p, _, q in places))
        record = Record(
            key, path, part.n, part.start, part.end, part.message_id, part.date, part.sender,
            part.recipients, part.subject, part.page, part.bates, locations,
        )
        chosen.append((record, rid, part.doc_key, -float(best)))
    texts = _texts(index, [(rid, doc_key, rec) for rec, rid, doc_key, _ in chosen])
    spans = fulltext.hit_spans(index.con, query, texts)
    hits = [
        Hit(record, texts[rid], tuple(spans.get(rid, ())), score)
        for record, rid, _, score in chosen
        if rid in texts
    ]
    return SearchResult(query, int(ranked[0][4]), hits)


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


def _texts(index: Index, chosen: list[tuple[int, str, Record]]) -> dict[int, str]:
    """Each chosen record's text, by row id; each document read once."""
    docs: dict[str, str | None] = {}
    out: dict[int, str] = {}
    for rid, doc_key, record in chosen:
        if doc_key not in docs:
            docs[doc_key] = index.text(doc_key)
        text = docs[doc_key]
        if text is not None:
            out[rid] = text[record.start : record.end]
    return out
