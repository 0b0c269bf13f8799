"""Output: stdout or a file, errors and their exit codes, progress on stderr.

Every line the commands print goes through here, so that evidence text
reaches a terminal (or a report file) with its control characters shown,
never obeyed (`checker.report.terminal`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from checker.errors import CheckerError, OutputNotWritable
from checker.ingest.index import PROGRESS, Progress
from checker.report.terminal import LAYOUT, json_printable, printable


def to_stdout(out: Path | None) -> bool:
    """True when `--out` means stdout (absent or '-')."""
    return out is None or str(out) == "-"


def check_writable(out: Path | None) -> None:
    """Raise `OutputNotWritable` unless `out` is stdout or a file that can be written
    (its folder exists and is writable; it is not a folder). Called before the work."""
    if out is None or to_stdout(out):
        return
    parent, nothing = out.parent, "nothing was checked."
    if out.is_dir():
        raise OutputNotWritable(out, "it is a folder", f"Name a file in it instead; {nothing}")
    if not parent.exists():
        raise OutputNotWritable(
            out,
            f"the folder {parent} does not exist",
            f"Create it (mkdir -p {parent}) or give another --out; {nothing}",
        )
    if not parent.is_dir():
        raise OutputNotWritable(out, f"{parent} is not a folder", f"Give another --out; {nothing}")
    if out.exists() and not os.access(out, os.W_OK):
        raise OutputNotWritable(
            out, "the file is read-only", f"Make it writable or give another --out; {nothing}"
        )
    if not out.exists() and not os.access(parent, os.W_OK | os.X_OK):
        raise OutputNotWritable(
            out,
            f"the folder {parent} is not writable",
            f"Give --out a folder you can write to; {nothing}",
        )


def write(text: str, out: Path | None = None, *, json: bool = False, keep: str = LAYOUT) -> None:
    """`text` to stdout (no --out, or '-') or to the file `out`, control characters
    shown (`keep`: those left as they are; JSON: escaped the JSON way)."""
    safe = json_printable(text) if json else printable(text, keep)
    if out is None or to_stdout(out):
        sys.stdout.write(safe)
        return
    try:
        out.write_text(safe, encoding="utf-8")
    except OSError as err:
        raise fail(
            OutputNotWritable(out, err.strerror or type(err).__name__, "Give another --out.")
        ) from None
    say(f"Wrote {out}", err=True)


def say(line: str, err: bool = False) -> None:
    """One message (a line or a few) on stdout, or stderr with `err`, control characters
    shown."""
    typer.echo(printable(line), err=err)


def fail(err: CheckerError) -> typer.Exit:
    """`Error: ...` on stderr, and the exit with the error's code (raise it)."""
    say(f"Error: {err}", err=True)
    return typer.Exit(err.exit_code)


@contextmanager
def progress(label: str) -> Iterator[Progress | None]:
    """A progress bar on stderr while evidence is read; None when stderr is not a
    terminal. Also handed to `load_case` through the index's PROGRESS hook."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    if not console.is_terminal:
        yield None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def tick(done: int, total: int, rel: str) -> None:
            bar.update(task, completed=done, total=total)

        token = PROGRESS.set(tick)
        try:
            yield tick
        finally:
            PROGRESS.reset(token)
