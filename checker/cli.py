"""The `checker` command: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 done, 2 invalid case (every problem listed as file:line),
3 unknown claim id or document, 1 any other `CheckerError`. Progress goes to
stderr, and only when stderr is a terminal; stdout carries the output alone.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rapidfuzz import process

from checker.case import load_case
from checker.engine.verdicts import Checker
from checker.errors import CaseNotFound, CheckerError, UnknownClaim
from checker.ingest.document import Document
from checker.ingest.evidence import FileRecord
from checker.ingest.index import PROGRESS, Progress, case_timezone, open_index
from checker.ingest.manifest import render_manifest_json, render_manifest_table
from checker.report import FORMATS
from checker.report.docs import find_document, render_docs_json, render_docs_table, render_show
from checker.report.explain import render_explain

app = typer.Typer(
    help="Check public statements against public-records evidence.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold evidence text
    add_completion=False,
)


Format = StrEnum("Format", {name: name for name in FORMATS})  # type: ignore[misc]
DEFAULT_FORMAT = Format("table")
ListFormat = StrEnum("ListFormat", {"table": "table", "json": "json"})  # type: ignore[misc]
TABLE = ListFormat("table")

ListFormatOpt = Annotated[
    ListFormat, typer.Option("--format", "-f", help="table (for people) or json (for programs).")
]


CaseArg = Annotated[
    Path,
    typer.Argument(help="The case folder (default: the current folder).", show_default=False),
]


def _write(text: str, out: Path | None) -> None:
    if out is None or str(out) == "-":
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"Wrote {out}", err=True)


def _fail(err: CheckerError) -> typer.Exit:
    typer.echo(f"Error: {err}", err=True)
    return typer.Exit(err.exit_code)


@contextmanager
def _progress(label: str) -> Iterator[Progress | None]:
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


def _evidence_root(case: Path) -> Path:
    if not case.is_dir():
        raise CaseNotFound(case, "no such folder")
    if not (case / "evidence").is_dir():
        raise CaseNotFound(case, "no evidence/ folder here")
    return case


def _documents(case: Path) -> tuple[list[Document], list[FileRecord]]:
    """The case's documents and manifest, from its index brought up to date."""
    root = _evidence_root(case)
    with open_index(root, case_timezone(root)) as index, _progress("Reading evidence") as tick:
        index.update(tick)
        return list(index.documents()), index.manifest()


@app.command()
def check(
    case: CaseArg = Path("."),
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = DEFAULT_FORMAT,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to FILE ('-': stdout).")
    ] = None,
) -> None:
    """Give every claim a verdict (supported, contradicted, unresolved) with citations.

    Example:
        checker check ../shared/spec/example-case --format json --out verdicts.json
    """
    try:
        with _progress("Reading evidence"):  # load_case refreshes the case index
            loaded = load_case(case)
        result = Checker(loaded).run()
    except CheckerError as err:
        raise _fail(err) from None
    _write(FORMATS[format.value](result, loaded), out)


@app.command()
def explain(
    claim_id: Annotated[str, typer.Argument(help="The claim's id, as in claims/*.yaml.")],
    case: CaseArg = Path("."),
) -> None:
    """Print the proof of one claim's verdict in plain sentences, down to the quotes.

    Example:
        checker explain no-institutional-relationship
    """
    try:
        checker = Checker(load_case(case))
        ids = [c.id for c, _ in checker.case.claims]
        if claim_id not in ids:
            best = process.extractOne(claim_id, ids, score_cutoff=50)
            raise UnknownClaim(claim_id, ids, best[0] if best else None)
        result = checker.result(*checker.outcome(claim_id))
    except CheckerError as err:
        raise _fail(err) from None
    sys.stdout.write(render_explain(result))


@app.command()
def validate(case: CaseArg = Path(".")) -> None:
    """Check a case's files without judging claims; list every problem as file:line.

    Example:
        checker validate my-case
    """
    try:
        loaded = load_case(case)
    except CheckerError as err:
        raise _fail(err) from None
    read = sum(1 for r in loaded.manifest if r.status == "read")
    typer.echo(
        f"OK: {len(loaded.claims)} claims, {len(loaded.facts)} facts, "
        f"{len(loaded.entities.by_id)} entities, {read} evidence files read."
    )
    for rec in loaded.manifest:
        if rec.status != "read":
            typer.echo(f"  {rec.status}: {rec.path} ({rec.reason})")


@app.command()
def ingest(case: CaseArg = Path("."), format: ListFormatOpt = TABLE) -> None:
    """Read every file under evidence/ into the case index and print the manifest.

    Every file is listed as read, skipped or failed, with the reason; an mbox's
    reason compares the messages read with its "From " separator lines. Only
    files changed since the last run are read again. The index lives in
    CASE/.checker/index.sqlite (in memory when the folder is read-only).

    Example:
        checker ingest my-case
        checker ingest my-case --format json > manifest.json
    """
    try:
        root = _evidence_root(case)
        with open_index(root, case_timezone(root)) as index:
            with _progress("Reading evidence") as tick:
                stats = index.update(tick)
            records, where = index.manifest(), index.path
    except CheckerError as err:
        raise _fail(err) from None
    render = render_manifest_json if format.value == "json" else render_manifest_table
    sys.stdout.write(render(records))
    typer.echo(
        f"Index: {where or 'in memory (the case folder is not writable)'}; "
        f"{stats.read} read, {stats.unchanged} unchanged, {stats.removed} removed.",
        err=True,
    )


@app.command()
def docs(case: CaseArg = Path("."), format: ListFormatOpt = TABLE) -> None:
    """List the case's documents: id, path, other paths, date, sender, recipients,
    subject, pages, Bates range and redactions. Identical files are one document.

    Example:
        checker docs my-case
        checker docs my-case --format json
    """
    try:
        found, _ = _documents(case)
    except CheckerError as err:
        raise _fail(err) from None
    render = render_docs_json if format.value == "json" else render_docs_table
    sys.stdout.write(render(found))


@app.command()
def show(
    doc: Annotated[
        str, typer.Argument(help="A path from the case root, a file name, or an id prefix.")
    ],
    case: CaseArg = Path("."),
) -> None:
    """Print one document's text, with page markers and Bates numbers, and its redactions.

    Example:
        checker show evidence/2020-08-27-pilot-countersigned.eml my-case
        checker show 3f2a9c my-case
    """
    try:
        documents, manifest = _documents(case)
        found = find_document(documents, doc, case, manifest)
    except CheckerError as err:
        raise _fail(err) from None
    sys.stdout.write(render_show(found))


def main() -> None:
    app()
