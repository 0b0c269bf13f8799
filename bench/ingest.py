"""Evidence ingestion against the standard library's parser, on a generated corpus.

    .venv/bin/python bench/ingest.py                  # 20,000 messages; memory at 5,000 too
    .venv/bin/python bench/ingest.py --messages 2000 --small 500
    .venv/bin/python bench/ingest.py --profile        # adds cProfile's top functions

Every measurement runs in a fresh interpreter (this script with `--worker`), so
its peak resident memory is its own. Times cover the work only, not start-up or
imports. bench/README.md says what each method does and what the numbers mean.
"""

from __future__ import annotations

import argparse
import cProfile
import email
import email.policy
import io
import json
import mailbox
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.message import EmailMessage, Message
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.corpus import Corpus, write_case  # noqa: E402

TZ = "America/New_York"
HEADERS = ("From", "To", "Cc", "Date", "Subject")
METHODS = {
    "stdlib": "stdlib baseline (policy.default)",
    "compat32": "stdlib compat32, for reference",
    "read_evidence": "checker read_evidence",
    "read_one": "checker read_one, documents dropped",
    "index": "checker ingest (CLI), new index",
    "index_again": "checker ingest again, nothing changed",
}


def peak_mb() -> float:
    """This process's peak resident memory in MB.

    Linux's VmHWM belongs to the address space, so it starts afresh at exec.
    `ru_maxrss` would not do: Linux carries it across exec, so a worker would
    inherit the larger peak of the process that started it.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def evidence_files(root: Path) -> list[Path]:
    """The files under evidence/, in the order checker walks them."""
    return sorted(p for p in (root / "evidence").rglob("*") if p.is_file())


def decode(msg: EmailMessage) -> None:
    """What the baseline does per message: each of From, To, Cc, Date, Subject as
    text (the header registry parses and decodes it), then the body the stdlib picks
    (`get_body(("plain", "html"))`) decoded by `get_content()`."""
    for name in HEADERS:
        try:
            str(msg.get(name, ""))
        except Exception:  # noqa: BLE001 - the stdlib's own header bugs (corpora README)
            pass
    body = msg.get_body(preferencelist=("plain", "html"))
    if body is not None:
        try:
            body.get_content()
        except Exception:  # noqa: BLE001 - an unknown or lying charset
            pass


def raw_messages(root: Path) -> Iterator[bytes]:
    """Every file under evidence/ as message bytes: an .mbox split by `mailbox.mbox`,
    any other file taken as one message."""
    for path in evidence_files(root):
        if path.suffix == ".mbox":
            box = mailbox.mbox(str(path), create=False)
            try:
                for key in box.iterkeys():
                    yield box.get_bytes(key)
            finally:
                box.close()
        else:
            yield path.read_bytes()


def run_stdlib(root: Path) -> int:
    """Every message of `raw_messages`, parsed by `email.message_from_bytes(data,
    policy=email.policy.default)` and decoded as in `decode`. Nothing is kept."""
    count = 0
    for data in raw_messages(root):
        decode(email.message_from_bytes(data, policy=email.policy.default))  # type: ignore[arg-type]
        count += 1
    return count


def decode_compat32(msg: Message) -> None:
    """The same work on a compat32 message: each header through
    `email.header.decode_header` and `make_header`, then the first text/plain part
    (else text/html) not marked as an attachment, `get_payload(decode=True)` decoded
    in its declared charset (errors replaced)."""
    for name in HEADERS:
        raw = msg.get(name)
        if raw is not None:
            try:
                str(make_header(decode_header(str(raw))))
            except Exception:  # noqa: BLE001 - a malformed encoded word
                pass
    parts = [p for p in msg.walk() if p.get_content_maintype() == "text"
             and p.get_content_disposition() != "attachment"]
    parts.sort(key=lambda p: p.get_content_subtype() != "plain")
    if parts:
        payload = parts[0].get_payload(decode=True)
        if isinstance(payload, bytes):
            try:
                payload.decode(parts[0].get_content_charset() or "us-ascii", "replace")
            except LookupError:  # an unknown charset
                payload.decode("latin-1")


def run_compat32(root: Path) -> int:
    """As `run_stdlib`, but parsed with the default compat32 policy
    (`email.message_from_bytes(data)`) and decoded by `decode_compat32`: the parser
    checker itself uses, without checker's own work."""
    count = 0
    for data in raw_messages(root):
        decode_compat32(email.message_from_bytes(data))
        count += 1
    return count


def run_read_evidence(root: Path) -> int:
    from zoneinfo import ZoneInfo

    from checker.ingest.evidence import read_evidence

    return sum(r.messages for r in read_evidence(root, ZoneInfo(TZ)).manifest)


def run_read_one(root: Path) -> int:
    """`read_one` per file with each document dropped at once: the readers' own cost,
    without `read_evidence` holding every document."""
    from zoneinfo import ZoneInfo

    from checker.ingest.evidence import evidence_files as checker_files
    from checker.ingest.evidence import read_one

    tz = ZoneInfo(TZ)
    return sum(read_one(path, rel, tz)[0].messages for path, rel in checker_files(root))


def run_index(root: Path) -> int:
    """`checker ingest CASE --format json --workers 1`, run in this process so its memory
    and CPU time are ours (with more workers, the children's would not be counted); file
    descriptor 1 goes to a temporary file, and the manifest is read back."""
    from checker.cli import main as cli

    with tempfile.TemporaryFile() as out:
        saved = os.dup(1)
        sys.stdout.flush()
        os.dup2(out.fileno(), 1)
        argv, sys.argv = sys.argv, ["checker", "ingest", str(root), "--format", "json",
                                    "--workers", "1"]
        try:
            cli()
        except SystemExit as stop:
            if stop.code not in (0, None):
                raise
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)
            sys.argv = argv
        out.seek(0)
        manifest = json.loads(out.read())
    return sum(int(r.get("messages") or 0) for r in manifest)


RUNNERS = {"stdlib": run_stdlib, "compat32": run_compat32, "read_evidence": run_read_evidence,
           "read_one": run_read_one, "index": run_index, "index_again": run_index}


def index_available() -> bool:
    """Whether this checkout has `checker ingest`."""
    try:
        done = subprocess.run([str(Path(sys.executable).parent / "checker"), "ingest", "--help"],
                              capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def worker(method: str, root: Path) -> None:
    """Run one method on one case and print its numbers as JSON (in a fresh interpreter)."""
    if method in ("read_evidence", "read_one"):  # imports are not timed
        import checker.ingest.evidence  # noqa: F401
    if method.startswith("index"):
        import checker.cli  # noqa: F401
    start_mb = peak_mb()
    wall, cpu = time.perf_counter(), time.process_time()
    messages = RUNNERS[method](root)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(json.dumps({"method": method, "messages": messages, "wall": wall, "cpu": cpu,
                      "peak_mb": peak_mb(), "start_mb": start_mb}))


def measure(method: str, root: Path, repeat: int) -> dict:
    """Best of `repeat` fresh-interpreter runs (least CPU time), or the error."""
    best: dict | None = None
    for _ in range(repeat):
        if method == "index":  # a new index every time; "index_again" reuses the last one
            shutil.rmtree(root / ".checker", ignore_errors=True)
        done = subprocess.run([sys.executable, __file__, "--worker", method, str(root)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            return {"method": method, "error": (done.stderr.strip().splitlines() or ["?"])[-1]}
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if best is None or result["cpu"] < best["cpu"]:
            best = result
    assert best is not None
    return best


def describe(corpus: Corpus) -> str:
    kinds = ", ".join(f"{n:,} in {fmt}" for fmt, n in sorted(corpus.by_format.items()))
    size = sum(p.stat().st_size for p in evidence_files(corpus.root)) / 1e6
    return f"{corpus.messages:,} messages ({kinds}) in {corpus.files:,} files, {size:.0f} MB"


def table(results: dict[int, dict[str, dict]], big: int, small: int) -> str:
    """The Markdown table of bench/README.md."""
    base = results[big].get("stdlib", {})
    base_rate = base["messages"] / base["cpu"] if base.get("cpu") else None
    sizes = [n for n in (small, big) if n in results]
    lines = ["| method | messages read | wall s | CPU s | messages per CPU s | vs stdlib | "
             + " | ".join(f"peak RSS MB at {n:,}" for n in sizes) + " |",
             "|---|" + "---:|" * (5 + len(sizes))]
    for method, label in METHODS.items():
        r = results[big].get(method)
        blank = " |" * (4 + len(sizes))
        if r is None:
            lines.append(f"| {label} | not in this checkout |{blank}")
            continue
        if "error" in r:
            lines.append(f"| {label} | failed: {r['error'][:90]} |{blank}")
            continue
        rate = r["messages"] / r["cpu"] if r["cpu"] else float("inf")
        ratio = f"{rate / base_rate:.2f}" if base_rate else "-"
        peaks = [results[n].get(method, {}).get("peak_mb") for n in sizes]
        lines.append(f"| {label} | {r['messages']:,} | {r['wall']:.1f} | {r['cpu']:.1f} | "
                     f"{rate:,.0f} | {ratio} | "
                     + " | ".join("-" if p is None else f"{p:.0f}" for p in peaks) + " |")
    return "\n".join(lines)


def profile(root: Path, top: int = 30) -> str:
    """cProfile of read_evidence on `root`: top functions by own time, then cumulative."""
    from zoneinfo import ZoneInfo

    from checker.ingest.evidence import read_evidence

    prof = cProfile.Profile()
    prof.enable()
    read_evidence(root, ZoneInfo(TZ))
    prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=20_000, help="corpus size (timed)")
    parser.add_argument("--small", type=int, default=5_000,
                        help="second corpus size, to compare peak memory (0: none)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=1, help="runs per method; least CPU kept")
    parser.add_argument("--keep", type=Path, help="write the corpora here and keep them")
    parser.add_argument("--profile", action="store_true",
                        help="then profile read_evidence on the large corpus (cProfile)")
    parser.add_argument("--worker", nargs=2, metavar=("METHOD", "CASE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], Path(args.worker[1]))
        return

    methods = [m for m in METHODS if not m.startswith("index") or index_available()]
    sizes = sorted({args.messages, args.small} - {0})
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="checker-bench-"))
    results: dict[int, dict[str, dict]] = {}
    try:
        for size in sizes:
            root = workdir / f"case-{size}"
            shutil.rmtree(root, ignore_errors=True)
            t0 = time.perf_counter()
            corpus = write_case(root, size, args.seed)
            print(f"corpus: {describe(corpus)}; written in {time.perf_counter() - t0:.0f} s",
                  flush=True)
            results[size] = {}
            for method in methods:
                results[size][method] = r = measure(method, root, args.repeat)
                print(f"  {METHODS[method]}: {json.dumps(r)}", flush=True)
        print(f"\nload average after the runs: {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs\n")
        print(table(results, args.messages, args.small))
        if args.profile:
            print()
            print(profile(workdir / f"case-{args.messages}"))
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
