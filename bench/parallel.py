"""`checker ingest` and `checker extract` with 1 and with N worker processes.

    .venv/bin/python bench/parallel.py                        # 10,000 messages, 1 and 2 workers
    .venv/bin/python bench/parallel.py --messages 2000 --workers 1 2 --small 2500
    .venv/bin/python bench/parallel.py --messages 100000 --workers 2 --keep /tmp/corpora
    .venv/bin/python bench/parallel.py --messages 100000 --workers 2 --keep /tmp/corpora \
        --check --reuse-index                                 # and `checker check`, same index

Each run is the CLI in a fresh process on a fresh index (`CASE/.checker/`
deleted first): `ingest --workers N`, then `extract --workers N`. Wall time is
measured around each command. Memory is sampled every 20 ms with psutil over
the command's whole process tree: the peak of the main process alone, and
the peak of the tree's sum (main process plus workers). The script also
checks that every worker count wrote the same index, byte for byte. With
`--keep DIR` the corpus is written to `DIR/caseN` once and reused by later
runs (writing 100,000 messages takes minutes), so that two versions of the
code can be measured on the same files. `--check` also measures `checker
check CASE` after extract (every fact then comes from the index's cache);
`--reuse-index` keeps the index a previous run left, so that ingest and
extract only catch up and `check` can be measured without rebuilding it.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import write_case  # noqa: E402

CHECKER = Path(sys.executable).with_name("checker")


def run(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, peak MB of the main process, peak MB of the whole tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    main = psutil.Process(proc.pid)
    peak_main = peak_tree = 0.0
    while proc.poll() is None:
        try:
            procs = [main, *main.children(recursive=True)]
            rss = [p.memory_info().rss for p in procs]
        except psutil.Error:
            rss = []
        if rss:
            peak_main = max(peak_main, rss[0] / 2**20)
            peak_tree = max(peak_tree, sum(rss) / 2**20)
        time.sleep(0.02)
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"{args} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return wall, peak_main, peak_tree


def dump(root: Path) -> str:
    con = sqlite3.connect(root / ".checker" / "index.sqlite")
    try:
        return "\n".join(
            line for line in con.iterdump() if not line.startswith('INSERT INTO "files"')
        ) + "\n".join(
            repr(row)
            for row in con.execute(
                "SELECT path, size, mtime_ns, sha256, status, reason, messages, pages, "
                "facts, doc_key FROM files ORDER BY rowid"
            )
        )
    finally:
        con.close()


def measure(root: Path, workers: list[int], check: bool = False, reuse: bool = False) -> None:
    print(
        "| workers | ingest wall s | extract wall s | total wall s | peak RSS MB, main "
        "(ingest / extract) | peak RSS MB, all processes (ingest / extract) |"
        + (" check wall s | check peak RSS MB, main / all |" if check else "")
    )
    print("|---:|---:|---:|---:|---:|---:|" + ("---:|---:|" if check else ""))
    dumps = []
    for n in workers:
        if not reuse:
            shutil.rmtree(root / ".checker", ignore_errors=True)
        i = run([str(CHECKER), "ingest", str(root), "--workers", str(n)])
        e = run([str(CHECKER), "extract", str(root), "--workers", str(n)])
        dumps.append(dump(root))
        row = (
            f"| {n} | {i[0]:.1f} | {e[0]:.1f} | {i[0] + e[0]:.1f} | {i[1]:.0f} / {e[1]:.0f} "
            f"| {i[2]:.0f} / {e[2]:.0f} |"
        )
        if check:
            c = run([str(CHECKER), "check", str(root)])
            row += f" {c[0]:.1f} | {c[1]:.0f} / {c[2]:.0f} |"
        print(row, flush=True)
    same = all(d == dumps[0] for d in dumps)
    print(f"\nSame index with every worker count: {'yes' if same else 'NO'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument(
        "--small",
        type=int,
        default=0,
        help="also measure at this size, to see memory against corpus size",
    )
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--keep", type=Path, help="write each corpus to DIR/caseN once, and reuse it later"
    )
    parser.add_argument("--check", action="store_true", help="also measure `checker check`")
    parser.add_argument(
        "--reuse-index",
        action="store_true",
        help="keep CASE/.checker from an earlier run (ingest and extract only catch up)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in [s for s in (args.small, args.messages) if s]:
            root = (args.keep or Path(tmp)) / f"case{size}"
            done = root / ".written"  # a corpus cut short by ^C is written again
            if args.keep is None or not done.is_file():
                shutil.rmtree(root, ignore_errors=True)
                corpus = write_case(root, size)
                done.write_text(f"{corpus.messages} {corpus.files}\n")
            messages, files = done.read_text().split()
            print(f"\n{messages} messages in {files} files\n")
            measure(root, args.workers, args.check, args.reuse_index)


if __name__ == "__main__":
    main()
