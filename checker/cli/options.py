"""The options and arguments the commands share, defined once, and what
--workers and --dask mean."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from checker.parallel import RUNNER, Runner, default_workers
from checker.report import FORMATS

Format = StrEnum("Format", {name: name for name in FORMATS})  # type: ignore[misc]
DEFAULT_FORMAT = Format("table")
ListFormat = StrEnum("ListFormat", {"table": "table", "json": "json"})  # type: ignore[misc]
TABLE = ListFormat("table")

ListFormatOpt = Annotated[
    ListFormat, typer.Option("--format", "-f", help="table (for people) or json (for programs).")
]


ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="Statistical model for extraction (an installed package, e.g. en_core_web_sm); "
        "overrides case.yaml's extraction.model.",
        show_default=False,
    ),
]
ConfirmedOnlyOpt = Annotated[
    bool,
    typer.Option(
        "--confirmed-only",
        help="Verdicts on confirmed facts alone (analyst, header and reviewed facts), "
        "never on machine-suggested ones: for filings.",
    ),
]
StatusChoice = StrEnum(  # type: ignore[misc]
    "StatusChoice", {n: n for n in ("confirmed", "suggested", "rejected")}
)
OriginChoice = StrEnum(  # type: ignore[misc]
    "OriginChoice", {n: n for n in ("analyst", "header", "extractor")}
)


WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        min=1,
        help="Processes that read files or extract documents in parallel "
        "(default: all cores; 1: this process only). The index is the same whatever the number.",
        show_default=False,
    ),
]
DaskOpt = Annotated[
    str | None,
    typer.Option(
        "--dask",
        metavar="ADDRESS",
        help="Run the per-document work on the Dask cluster whose scheduler is at ADDRESS "
        "(e.g. tcp://10.0.0.5:8786); needs pip install 'checker[dask]'. "
        "The case folder must be at the same path on every worker.",
        show_default=False,
    ),
]


def runner(workers: int | None, dask: str | None) -> Runner[object]:
    """Where per-file and per-document work runs, from --workers and --dask."""
    return Runner(workers=workers or default_workers(), dask=dask)


@contextmanager
def running(workers: int | None, dask: str | None) -> Iterator[None]:
    """Work started inside `load_case` (index refresh, extraction) runs as asked."""
    token = RUNNER.set(runner(workers, dask))
    try:
        yield
    finally:
        RUNNER.reset(token)


CaseArg = Annotated[
    Path,
    typer.Argument(help="The case folder (default: the current folder).", show_default=False),
]
