"""The `checker` command: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 done, 2 invalid case (every problem listed as file:line),
3 unknown claim id, 1 any other `CheckerError`.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rapidfuzz import process

from checker.case import load_case
from checker.engine.verdicts import Checker
from checker.errors import CheckerError, UnknownClaim
from checker.report import FORMATS
from checker.report.explain import render_explain

app = typer.Typer(
    help="Check public statements against public-records evidence.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold evidence text
    add_completion=False,
)


Format = StrEnum("Format", {name: name for name in FORMATS})  # type: ignore[misc]
DEFAULT_FORMAT = Format("table")


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


def main() -> None:
    app()
