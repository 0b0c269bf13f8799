"""The command on what extraction found in one record: why."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from checker.cli.load import case_index, loaded_case
from checker.cli.options import TABLE, CaseArg, ListFormatOpt, ModelOpt
from checker.cli.output import fail, write
from checker.errors import CheckerError
from checker.ingest.lookup import locate_record
from checker.report.why import explain_record, render_why_json, render_why_table


def why(
    ref: Annotated[
        str,
        typer.Argument(
            help="A record: its id (or the start of it), PATH#N, its Message-ID, "
            "or the path of a file that holds one email."
        ),
    ],
    case: CaseArg = Path("."),
    format: ListFormatOpt = TABLE,
    model: ModelOpt = None,
) -> None:
    """Show why extraction found what it found in one record, and not the rest.

    Each sentence of the record's own text, with its offsets in the text `show`
    prints; the patterns that fired (fact type, confidence, roles) and those
    that nearly did, with the step that stopped each: no name of the kind it
    needs, no match, negation, modal, future, question, reported speech, a
    required role missing; the entities found; and what became of each fact
    (used, below the threshold, superseded by an analyst fact, rejected).
    Quoted history is shown apart: it is never read for facts. A sentence no
    pattern comes near is one to search for or code by hand; one a pattern
    nearly matched may need a pattern or an entity.

    Example:
        checker why evidence/2020-08-27-pilot-countersigned.eml my-case
        checker why evidence/lay-k.mbox#12 my-case --format json
        checker why 7b3196058034 my-case
    """
    try:
        with case_index(case) as index:  # a mistyped REF fails before the case loads
            found = locate_record(index, ref, case)
        loaded = loaded_case(case, model=model)
        try:
            result = explain_record(loaded, found, model)
        finally:
            loaded.close()
    except CheckerError as err:
        raise fail(err) from None
    json_out = format.value == "json"
    write(render_why_json(result) if json_out else render_why_table(result), json=json_out)
