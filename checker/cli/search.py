"""The command that searches the records' text: search."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from checker.case.query import DEFAULT_LIMIT
from checker.case.search import search_case
from checker.cli.options import TABLE, CaseArg, ListFormatOpt
from checker.cli.output import fail, progress, write
from checker.errors import CheckerError
from checker.report.search import render_search_json, render_search_text


def search(
    query: Annotated[
        str,
        typer.Argument(
            help='What to find: words (all of them), "a phrase", a prefix*, '
            "NEAR(word1 word2, 10), AND, OR, NOT and parentheses (SQLite FTS5 syntax; "
            "case and accents do not matter).",
            show_default=False,
        ),
    ],
    case: CaseArg = Path("."),
    sender: Annotated[
        list[str] | None,
        typer.Option(
            "--from",
            metavar="WHO",
            help="Only records from this sender: an entity of entities.yaml (its members "
            "count), a name as the From line shows it, an address or an @domain. "
            "Repeat for any of several.",
            show_default=False,
        ),
    ] = None,
    recipient: Annotated[
        list[str] | None,
        typer.Option(
            "--to",
            metavar="WHO",
            help="Only records to this recipient (To or Cc), given as for --from.",
            show_default=False,
        ),
    ] = None,
    after: Annotated[
        str | None,
        typer.Option(
            "--after",
            metavar="DATE",
            help="Only records dated after DATE (YYYY, YYYY-MM or YYYY-MM-DD: after its "
            "last day, as claims' time scopes read it); records without a date are left out.",
            show_default=False,
        ),
    ] = None,
    before: Annotated[
        str | None,
        typer.Option(
            "--before",
            metavar="DATE",
            help="Only records dated before DATE (before its first day).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, help="Show at most this many records.")
    ] = DEFAULT_LIMIT,
    format: ListFormatOpt = TABLE,
    mark: Annotated[
        bool | None,
        typer.Option(
            "--mark/--no-mark",
            help="Put hits in the snippets between [[ and ]] (default: on a terminal only).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Search every record's text, best matches first, each email once however
    many places it is filed; a snippet shows the hits in context. --format json
    gives each record's reference and the start and end of every hit in the
    record's text, as `checker show` prints it.

    Example:
        checker search '"trial agreement"' my-case
        checker search 'agree* NOT lunch' my-case --from acme --after 2020-02
        checker search 'NEAR(roster export, 5)' my-case --format json
    """
    try:
        with progress("Reading evidence"):
            result = search_case(
                case, query, senders=sender or (), recipients=recipient or (),
                after=after, before=before, limit=limit,
            )
    except CheckerError as err:
        raise fail(err) from None
    if format.value == "json":
        write(render_search_json(result), json=True)
    else:
        write(render_search_text(result, sys.stdout.isatty() if mark is None else mark))
