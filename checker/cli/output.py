"""Output: stdout or a file, errors and their exit codes, progress on stderr."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import typer

from checker.errors import CheckerError
from checker.ingest.index import PROGRESS, Progress


def write(text: str, out: Path | None) -> None:
    """`text` to stdout (no --out, or '-') or to the file `out`."""
    if out is None or str(out) == "-":
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {out}", err=True)


def fail(err: CheckerError) -> typer.Exit:
    """`Error: ...` on stderr, and the exit with the error's code (raise it)."""
    typer.echo(f"Error: {err}", err=True)
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
