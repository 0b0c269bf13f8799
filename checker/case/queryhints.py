"""What to try when FTS5 cannot parse a search query: one sentence per mistake.

FTS5's own messages ("fts5: syntax error near \"\"", "no such column:
request") name the symptom, not the fix. `hint` names the likely mistake:
an unclosed phrase or parenthesis, NEAR written without its parentheses,
AND/OR/NOT with nothing on one side, or punctuation outside quotes (an
address, `o'brien`, `records-request`); where it can, it gives the query
rewritten, and only a rewrite FTS5 accepts.
"""

from __future__ import annotations

import re
import sqlite3

from checker.ingest import fulltext

SYNTAX = (
    'Search syntax: word, "a phrase", prefix*, NEAR(word1 word2, 10), a AND b, a OR b, '
    "a NOT b, (a OR b) AND c."
)
OPERATORS = {"AND", "OR", "NOT"}
_CHUNK = re.compile(r'"[^"]*"|[(),]|[^\s(),"]+')
_WORD = re.compile(r"[\w^]+\*?")


def hint(con: sqlite3.Connection, query: str, error: str) -> str:
    """One sentence on what to change in `query`, given FTS5's `error`."""
    q = query.strip()
    words = q.split()
    if not q:
        return 'Give a word, a "phrase", a prefix* or NEAR(word1 word2, 10).'
    if error == "unterminated string" or q.count('"') % 2:
        return 'A phrase needs its closing double quote: "like this".'
    if re.search(r"\bNEAR\s*/", q):
        return (
            "FTS5 writes NEAR with parentheses: NEAR(word1 word2, 10) finds them at most "
            "10 words apart."
        )
    if re.search(r"\bNEAR\s*\(", q) and q.count("(") != q.count(")"):
        return "NEAR takes its words in parentheses: NEAR(word1 word2, 10), at most 10 words apart."
    if q.count("(") != q.count(")"):
        return "Every ( needs its ): (board OR council) AND vote."
    if words[0] in OPERATORS or words[-1] in OPERATORS or re.search(
        r'near "(AND|OR|NOT)"', error
    ):
        return (
            "AND, OR and NOT join two searches: put one on each side (board AND vote, "
            'board NOT vote); to search for the word itself, quote it: "and".'
        )
    if error.startswith("unknown special query"):
        return (
            "A prefix needs a letter or digit before the star: agree* finds agree, agreed, "
            "agreement."
        )
    rewrite = quote_punctuation(q)
    if rewrite != q and _parses(con, rewrite):
        return f"Put words with punctuation in double quotes; try: {rewrite}"
    if error.startswith("no such column"):
        return (
            'A word before ":" or after "-" is read as a column name, and records have one, '
            '"text"; put the word in double quotes to search for it.'
        )
    return SYNTAX


def quote_punctuation(query: str) -> str:
    """`query` with every bare word that holds punctuation put in double quotes
    (a trailing * stays outside, as FTS5 wants for a prefix)."""

    def fix(m: re.Match[str]) -> str:
        chunk = m[0]
        if chunk.startswith('"') or chunk in "()," or chunk in OPERATORS or chunk == "NEAR":
            return chunk
        if _WORD.fullmatch(chunk):
            return chunk
        star = "*" if chunk.endswith("*") and len(chunk) > 1 else ""
        body = chunk[:-1] if star else chunk
        return f'"{body}"{star}'

    return _CHUNK.sub(fix, query)


def _parses(con: sqlite3.Connection, query: str) -> bool:
    try:
        fulltext.check_query(con, query)
    except sqlite3.OperationalError:
        return False
    return True
