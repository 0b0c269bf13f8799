"""The `entities` command: who entities.yaml names, and who it lacks."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from checker.case.correspondents import correspondents, entity_records, read_entities
from checker.case.suggest import suggest as suggest_entities
from checker.cli.load import case_index
from checker.cli.options import CaseArg
from checker.cli.output import fail, progress, write
from checker.errors import CheckerError
from checker.report.entities import (
    render_entity_records_json,
    render_entity_records_table,
    render_suggestions_json,
    render_suggestions_table,
    render_suggestions_yaml,
)

EntitiesFormat = StrEnum(  # type: ignore[misc]
    "EntitiesFormat", {n: n for n in ("table", "json", "yaml")}
)
TABLE = EntitiesFormat("table")


def entities(
    case: CaseArg = Path("."),
    suggest: Annotated[
        bool,
        typer.Option(
            "--suggest",
            help="List the senders and recipients entities.yaml lacks, and the "
            "organisations of their domains, with a YAML block to paste (--format yaml).",
        ),
    ] = False,
    minimum: Annotated[
        int,
        typer.Option("--min", min=1, help="--suggest: only those in at least this many records."),
    ] = 2,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit", min=1, show_default=False,
            help="--suggest: the most frequent N people and N organisations (and the "
            "organisations those people belong to).",
        ),
    ] = None,
    format: Annotated[
        EntitiesFormat,
        typer.Option(
            "--format", "-f",
            help="table (for people), json (for programs), or yaml: with --suggest, "
            "the entities.yaml block to paste.",
        ),
    ] = TABLE,
) -> None:
    """List entities.yaml's entities with how many records' headers name each; with
    --suggest, the people and organisations the headers name that entities.yaml
    lacks: how many records each is in (a copy counts once), their addresses and
    domains, a likely organisation by domain (never a free-mail one), and with
    --format yaml a block to paste into entities.yaml. Nothing is added by itself:
    names marked as a guess in the block were made from an address or a domain.

    Example:
        checker entities my-case
        checker entities my-case --suggest
        checker entities my-case --suggest --min 5 --limit 20 --format yaml > new.yaml
    """
    kind = format.value
    if kind == "yaml" and not suggest:
        raise typer.BadParameter(
            "yaml is the entities.yaml block that --suggest gives; without --suggest "
            "use table or json.",
            param_hint="--format",
        )
    try:
        known = read_entities(case)
        with case_index(case) as index, progress("Reading headers") as tick:
            if suggest:
                found = suggest_entities(correspondents(index, tick), known, minimum, limit)
                render = {"table": render_suggestions_table, "json": render_suggestions_json,
                          "yaml": render_suggestions_yaml}[kind]
                text = render(found)
            else:
                rows = entity_records(index, known, tick)
                text = (render_entity_records_json if kind == "json"
                        else render_entity_records_table)(rows)
    except CheckerError as err:
        raise fail(err) from None
    write(text, json=kind == "json")
