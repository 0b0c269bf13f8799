"""One runner: ingest, extract and the engine against their named baselines, in one table.

    .venv/bin/python bench/run.py                       # 1,000 and 10,000 messages (make bench)
    .venv/bin/python bench/run.py --sizes 100000        # make bench-100k
    .venv/bin/python bench/run.py --sizes 1000 --keep /tmp/corpora

For each size the corpus (`bench/corpus.py`) is written once, then every
measurement runs in a fresh interpreter, one after the other, so each peak
memory is its own (`VmHWM`):

* ingest: `checker ingest CASE` on a new index, against the stdlib parser
  (`email.policy.default`), both by `bench/ingest.py --worker` (messages/CPU s);
* extract: `extract_facts` (the whole step), against bare `nlp.pipe` with the
  same components (the packs' Matcher included, the issue's baseline) and with
  tokenizer, sentencizer and entity ruler only, by this script's `--worker`
  using `bench/extract_speed.py`'s functions; words are counted once, outside
  the timing (words/CPU s);
* engine: derive and evaluate on `--engine-factor` x size base facts
  (`bench/facts.py`), against the same rules, facts and claims ground and
  solved by clingo, both by `bench/engine.py --worker` (base facts/CPU s).

Rates use CPU time (`time.process_time()`) of the timed work only, not start-up,
imports or reading the corpus. The ratio is checker's rate over the baseline's:
above 1 means checker is faster.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `checker` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import ingest  # noqa: E402
from bench.corpus import write_case  # noqa: E402

HERE = Path(__file__).resolve().parent


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- extract worker (a fresh interpreter per side) ----------------------------


def extract_worker(side: str, root: Path) -> None:
    """Time one side of extraction on the case at `root`; print its numbers as JSON.

    Reading the documents is not timed; building the pipeline is, on every side,
    so each starts with an empty vocabulary (as in bench/extract_speed.py)."""
    from bench.extract_speed import (
        build_nlp,
        extract_facts,
        load,
        paragraphs,
        run_pipe,
        same_components,
        words_of,
    )

    docs, entities, types = load(root)
    out: dict[str, Any] = {"side": side}
    texts = paragraphs(docs) if side != "extract" else []
    if side == "bare":
        out["words"] = words_of(build_nlp(entities), texts)  # counted outside the timing
    wall, cpu = time.perf_counter(), time.process_time()
    if side == "bare":
        run_pipe(build_nlp(entities), texts)
    elif side == "same":
        run_pipe(same_components(entities, types), texts)
    else:
        out["facts"] = len(list(extract_facts(docs, entities, types)))
    out.update(wall=time.perf_counter() - wall, cpu=time.process_time() - cpu,
               peak_mb=ingest.peak_mb())
    print(json.dumps(out))


def worker_json(cmd: list[str]) -> dict[str, Any]:
    """Run a worker; its last line of stdout as JSON, or {"error": ...}."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- the three steps -----------------------------------------------------------


def row(size: int, step: str, baseline: str, unit: str, amount: float | None,
        ours: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    return {"size": size, "step": step, "baseline": baseline, "unit": unit, "amount": amount,
            "ours": ours, "base": base}


def ingest_rows(size: int, root: Path) -> list[dict[str, Any]]:
    method = "index" if ingest.index_available() else "read_evidence"
    base = ingest.measure("stdlib", root, 1)
    log(f"  ingest baseline: {json.dumps(base)}")
    ours = ingest.measure(method, root, 1)
    log(f"  ingest {method}: {json.dumps(ours)}")
    step = "ingest (`checker ingest`, new index)" if method == "index" else \
        "ingest (`read_evidence`)"
    # each side's own count: a message checker skipped lowers its rate
    ours["amount"], base["amount"] = ours.get("messages"), base.get("messages")
    return [row(size, step, "stdlib `email` parser (policy.default)", "messages",
                None, ours, base)]


def extract_rows(size: int, root: Path) -> list[dict[str, Any]]:
    me = [sys.executable, __file__, "--worker"]
    got = {}
    for side in ("bare", "same", "extract"):
        got[side] = worker_json(me + [side, str(root)])
        log(f"  extract {side}: {json.dumps(got[side])}")
    words = got["bare"].get("words")
    return [
        row(size, "extract (`extract_facts`)",
            "bare `nlp.pipe`, same components (+ the packs' Matcher on every doc)", "words",
            words, got["extract"], got["same"]),
        row(size, "extract (`extract_facts`)",
            "bare `nlp.pipe`: tokenizer, sentencizer, entity ruler only", "words",
            words, got["extract"], got["bare"]),
    ]


def engine_rows(size: int, facts: int, seed: int) -> list[dict[str, Any]]:
    got = {}
    for method in ("clingo", "checker"):
        got[method] = worker_json([sys.executable, str(HERE / "engine.py"), "--worker", method,
                                   str(facts), "--seed", str(seed)])
        log(f"  engine {method}: {json.dumps(got[method])}")
    return [row(size, f"engine (derive + evaluate, {facts:,} base facts)",
                "clingo, same rules, facts and claims", "facts", facts,
                got["checker"], got["clingo"])]


# -- the table ----------------------------------------------------------------


def rate(side: dict[str, Any], amount: float | None) -> float | None:
    amount = side.get("amount", amount)
    if "error" in side or not amount or not side.get("cpu"):
        return None
    return float(amount) / float(side["cpu"])


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| messages | step | named baseline | checker per CPU s | baseline per CPU s "
             "| ratio | checker peak MB | baseline peak MB |",
             "|---:|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        ours, base = rate(r["ours"], r["amount"]), rate(r["base"], r["amount"])
        cells = [f"{r['size']:,}", r["step"], r["baseline"]]
        cells += ["failed: " + r[k]["error"][:60] if "error" in r[k] or v is None else
                  f"{v:,.0f} {r['unit']}" for k, v in (("ours", ours), ("base", base))]
        cells.append(f"{ours / base:.2f}" if ours and base else "-")
        cells += [f"{r[k]['peak_mb']:,.0f}" if "peak_mb" in r[k] else "-"
                  for k in ("ours", "base")]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000],
                    help="corpus sizes in messages (default: 1000 10000)")
    ap.add_argument("--engine-factor", type=int, default=10,
                    help="engine base facts per message (default 10)")
    ap.add_argument("--steps", nargs="+", choices=["ingest", "extract", "engine"],
                    default=["ingest", "extract", "engine"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="write the corpora here and keep them")
    ap.add_argument("--worker", nargs=2, metavar=("SIDE", "CASE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        extract_worker(args.worker[0], Path(args.worker[1]))
        return

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="checker-bench-run-"))
    rows: list[dict[str, Any]] = []
    try:
        for size in args.sizes:
            root = workdir / f"case-{size}"
            shutil.rmtree(root, ignore_errors=True)
            t0 = time.perf_counter()
            corpus = write_case(root, size, args.seed)
            log(f"corpus: {ingest.describe(corpus)}; written in {time.perf_counter() - t0:.0f} s")
            if "ingest" in args.steps:
                rows += ingest_rows(size, root)
            if "extract" in args.steps:
                rows += extract_rows(size, root)
            if "engine" in args.steps:
                rows += engine_rows(size, size * args.engine_factor, args.seed)
            if args.keep is None:
                shutil.rmtree(root, ignore_errors=True)
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nload average after the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    print(table(rows))


if __name__ == "__main__":
    main()
