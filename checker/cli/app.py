"""The `checker` command: parse arguments, call the library, map errors to exit codes.

Exit codes: 0 done, 2 invalid case (every problem listed as file:line),
3 unknown claim id or document, 1 any other `CheckerError`. Progress goes to
stderr, and only when stderr is a terminal; stdout carries the output alone.
"""

from __future__ import annotations

import typer

from checker.cli.entities import entities
from checker.cli.evidence import docs, ingest, show, validate
from checker.cli.facts import FactsCommand, extract, facts, review
from checker.cli.search import search
from checker.cli.verdicts import check, explain
from checker.cli.why import why

app = typer.Typer(
    help="Check public statements against public-records evidence.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,  # locals may hold evidence text
    add_completion=False,
)

# --help lists the commands in the order they are registered: the pipeline's.
for command in (
    validate, ingest, docs, show, search, entities, extract, facts, review, why, check, explain
):
    # `facts` lists facts, and `facts add` codes one (`FactsCommand`).
    app.command(cls=FactsCommand if command is facts else None)(command)


def main() -> None:
    app()
