"""`checker search` over a large production, against two named baselines.

    .venv/bin/python bench/search.py                              # 100,000 messages
    .venv/bin/python bench/search.py --messages 20000 --replicate 5  # 100,000 records, faster
    .venv/bin/python bench/search.py --messages 20000 --keep /tmp/corpora --reuse-index

The corpus is `bench/corpus.py`'s (seed 7), ingested once with `checker ingest
--workers N` (timed, as the cost of the full-text index comes with ingest).
Then each query of `QUERIES` is answered by

* checker: `checker.case.search.search_records` on the open index, the whole
  answer: ranking by BM25, each email once, the filters, and the exact offsets
  and text of the 20 best records (what `--format json` prints);
* `LIKE` scan: `SELECT id FROM plain WHERE text LIKE '%word%'` over a table
  holding each record's text (built before the timing), the plain SQL way;
* Python `in`: `word in text` over every record's text, casefolded in memory
  before the timing (the fastest grep there is without an index).

The baselines only find records holding the words as substrings: no ranking,
no proximity, no token boundaries, and a phrase across a line break is
missed; where a query cannot be written for them the cell says so. Each time
is the median of `--repeat` runs (wall seconds; the first checker run, before
SQLite's page cache holds the pages it reads, is shown too). Also timed once:
`checker search` as a command (a fresh interpreter, the index brought up to
date, which walks every evidence file), and building an FTS5 table of every
record's text from scratch.

Writing the corpus takes 10 to 17 ms per message on a shared 2-core machine,
so 100,000 messages take 20 to 30 minutes to write. `--replicate K` reaches K
times the records without that: after the ingest, every record is filed K-1
more times in the index under new record ids (its text indexed again), so the
search runs over K x the records, each term K times as frequent; the baselines
get the same texts K times.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import write_case  # noqa: E402
from checker.case.meta import case_timezone  # noqa: E402
from checker.case.search import case_entities, search_records  # noqa: E402
from checker.ingest import fulltext  # noqa: E402
from checker.ingest.index import open_index  # noqa: E402

CHECKER = Path(sys.executable).with_name("checker")


@dataclass(frozen=True)
class Query:
    """One benchmark query: the FTS5 query and filters checker gets, and the
    substrings a baseline looks for (all must be present; None: not expressible)."""

    name: str
    query: str
    words: tuple[str, ...] | None
    options: tuple[tuple[str, str], ...] = ()


QUERIES = (
    Query("rare phrase", '"section 17"', ("section 17",)),
    Query("two words", "Johansson AND thirty", ("johansson", "thirty")),
    Query("common word", "confidential", ("confidential",)),
    Query("phrase", '"roster export"', ("roster export",)),
    Query("prefix", "renew*", ("renew",)),
    Query("NEAR", "NEAR(legal comments, 5)", None),
    Query("AND / NOT", "budget AND amendment NOT invoice", None),
    Query("filtered: --from, --after", "confidential",
          None, (("senders", "rusd"), ("after", "2019-01"))),
)


def median_time(run: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(first, median, result of the last run) of `repeat` wall-clock runs."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    return times[0], statistics.median(times), result


def ingest(root: Path, workers: int, reuse: bool) -> float:
    if not reuse:
        shutil.rmtree(root / ".checker", ignore_errors=True)
    t0 = time.perf_counter()
    subprocess.run([str(CHECKER), "ingest", str(root), "--workers", str(workers)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def replicate(con: sqlite3.Connection, times: int) -> None:
    """File every record `times - 1` more times, each copy a record of its own
    (a new id and key, position n + k x 10^6 in its file), its text indexed."""
    columns = 'doc_key, n, start, "end", key, message_id, date, sender, recipients, subject, ' \
        "page, bates"
    insert = f"INSERT INTO records ({columns}) VALUES ({', '.join('?' * 12)})"
    for doc_key, text in con.execute("SELECT key, text FROM documents").fetchall():
        rows = con.execute(
            f"SELECT {columns} FROM records WHERE doc_key = ? AND n < 1000000", (doc_key,)
        ).fetchall()
        for k in range(1, times):
            new = []
            for _, n, start, end, key, *rest in rows:
                cur = con.execute(insert, (doc_key, n + k * 1_000_000, start, end, f"{key}-{k}",
                                           *rest))
                new.append((int(cur.lastrowid or 0), f"{key}-{k}", start, end))
            fulltext.add(con, text, new)
    con.commit()


def record_texts(con: sqlite3.Connection) -> list[tuple[int, str]]:
    """Every email's text, once (the copy the full-text index holds)."""
    out: list[tuple[int, str]] = []
    for key, text in con.execute("SELECT key, text FROM documents"):
        parts = con.execute(
            'SELECT id, start, "end" FROM records WHERE doc_key = ? AND indexed = 1', (key,)
        )
        out += [(rid, text[s:e]) for rid, s, e in parts]
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=2, help="for the ingest (default 2)")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="write the corpus to DIR/caseN once, reuse it")
    ap.add_argument("--replicate", type=int, default=1, metavar="K",
                    help="search over K copies of every record, under new ids (see above)")
    ap.add_argument("--reuse-index", action="store_true",
                    help="keep CASE/.checker from an earlier run (ingest only catches up)")
    args = ap.parse_args()
    tmp = None if args.keep else tempfile.mkdtemp(prefix="checker-bench-search-")
    root = (args.keep or Path(tmp or ".")) / f"case{args.messages}"
    try:
        done = root / ".written"
        if not done.is_file():
            shutil.rmtree(root, ignore_errors=True)
            t0 = time.perf_counter()
            corpus = write_case(root, args.messages)
            done.write_text(f"{corpus.messages} {corpus.files}\n")
            print(f"corpus written in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        messages, files = done.read_text().split()
        ingest_s = ingest(root, args.workers, args.reuse_index)
        run(root, int(messages), int(files), ingest_s, args)
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def run(root: Path, messages: int, files: int, ingest_s: float, args: argparse.Namespace) -> None:
    with open_index(root, case_timezone(root)) as index:
        entities = case_entities(root)
        if args.replicate > 1:
            replicate(index.con, args.replicate)
        texts = record_texts(index.con)
        records = index.con.execute("SELECT count(DISTINCT key) FROM records").fetchone()[0]
        size = (root / ".checker" / "index.sqlite").stat().st_size / 2**20
        fts = index.con.execute(
            f"SELECT sum(length(block)) FROM {fulltext.TABLE}_data").fetchone()[0] / 2**20

        plain = sqlite3.connect(":memory:")
        plain.execute("CREATE TABLE plain (id INTEGER PRIMARY KEY, text TEXT)")
        plain.executemany("INSERT INTO plain VALUES (?, ?)", texts)
        folded = [(rid, t.casefold()) for rid, t in texts]

        t0 = time.perf_counter()
        scratch = sqlite3.connect(":memory:")
        scratch.execute(fulltext.SCHEMA)
        scratch.executemany(f"INSERT INTO {fulltext.TABLE} (rowid, text) VALUES (?, ?)", texts)
        scratch.commit()
        build_s = time.perf_counter() - t0
        scratch.close()

        rows = []
        for q in QUERIES:
            options = dict(q.options)
            ours = partial(search_records, index, entities, q.query,
                           senders=(options["senders"],) if "senders" in options else (),
                           after=options.get("after"))
            first, mid, result = median_time(ours, args.repeat)
            like = grep = None
            if q.words is not None:
                like = median_time(partial(like_scan, plain, q.words), args.repeat)
                grep = median_time(partial(python_in, folded, q.words), args.repeat)
            rows.append((q, first, mid, getattr(result, "total", 0), like, grep))
        cli = cli_time(root, QUERIES[1].query)
    copies = f", each record filed {args.replicate} times under new ids" \
        if args.replicate > 1 else ""
    print(f"\n{messages:,} messages in {files:,} files{copies}: {records:,} records "
          f"({len(texts):,} in the full-text index). `checker ingest --workers {args.workers}` "
          f"{'catching up' if args.reuse_index else 'on a new index'}: {ingest_s:.0f} s. "
          f"Index {size:,.0f} MB, of which the full-text index {fts:,.0f} MB. "
          f"An FTS5 table of every record's text built from scratch in {build_s:.1f} s. "
          f"`checker search '{QUERIES[1].query}' CASE --format json` as a command "
          f"(start-up, index brought up to date, answer): {cli:.2f} s.\n")
    print(table(rows, args.repeat))


def like_scan(plain: sqlite3.Connection, words: tuple[str, ...]) -> list[int]:
    """The records holding every word, by SQL `LIKE` (ASCII case folded)."""
    sql = "SELECT id FROM plain WHERE " + " AND ".join("text LIKE ?" for _ in words)
    return [rid for (rid,) in plain.execute(sql, [f"%{w}%" for w in words])]


def python_in(folded: list[tuple[int, str]], words: tuple[str, ...]) -> list[int]:
    """The records holding every word, by `in` over their casefolded text."""
    return [rid for rid, text in folded if all(w in text for w in words)]


def cli_time(root: Path, query: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([str(CHECKER), "search", query, str(root), "--format", "json"],
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def table(rows: list, repeat: int) -> str:
    def cell(side: tuple[float, float, object] | None) -> str:
        if side is None:
            return "not expressible"
        return f"{side[1] * 1000:,.0f} ms ({len(side[2]):,})"  # type: ignore[arg-type]

    lines = [
        f"| query | checker, first run | checker, median of {repeat} (records found) "
        "| `LIKE` scan (records found) | Python `in` (records found) |",
        "|---|---:|---:|---:|---:|",
    ]
    for q, first, mid, found, like, grep in rows:
        shown = q.query + "".join(f" --{'from' if k == 'senders' else k} {v}" for k, v in q.options)
        lines.append(f"| {q.name}: `{shown}` | {first * 1000:,.0f} ms | {mid * 1000:,.0f} ms "
                     f"({found:,}) | {cell(like)} | {cell(grep)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
