"""Commands that judge claims: check, explain."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rapidfuzz import process

from checker.case.load import Case
from checker.check.checker import Checker
from checker.cli.load import loaded_case
from checker.cli.options import DEFAULT_FORMAT, CaseArg, ConfirmedOnlyOpt, Format, ModelOpt
from checker.cli.output import check_writable, fail, write
from checker.errors import CheckerError, UnknownClaim
from checker.report import FORMATS, JSON_FORMATS
from checker.report.context import ReportContext
from checker.report.explain import render_explain


def to_judge(case: Path, model: str | None, confirmed_only: bool) -> Case:
    """The case loaded for judging its claims: `NoClaims` (exit 2) when it has none,
    before any evidence is read; extracted facts that cannot count are not kept."""
    return loaded_case(
        case, model=model, confirmed_only=confirmed_only, keep_unused=False, require_claims=True
    )


def check(
    case: CaseArg = Path("."),
    format: Annotated[
        Format, typer.Option("--format", "-f", help="Output format.")
    ] = DEFAULT_FORMAT,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write to FILE ('-': stdout).")
    ] = None,
    confirmed_only: ConfirmedOnlyOpt = False,
    model: ModelOpt = None,
) -> None:
    """Give every claim a verdict (supported, contradicted, unresolved) with citations.

    Facts extracted from the documents' text are used at or above the case's
    confidence threshold (case.yaml extraction.threshold, default 0.7), and a
    verdict that rests on one says so; --confirmed-only leaves them out.

    Example:
        checker check ../shared/spec/example-case --format json --out verdicts.json
        checker check my-case --confirmed-only --format exhibits
    """
    try:
        check_writable(out)  # before the work, not after it
        loaded = to_judge(case, model, confirmed_only)
        result = Checker(loaded).run()
    except CheckerError as err:
        raise fail(err) from None
    text = FORMATS[format.value](result, ReportContext.of(loaded))
    write(text, out, json=format.value in JSON_FORMATS)


def explain(
    claim_id: Annotated[str, typer.Argument(help="The claim's id, as in claims/*.yaml.")],
    case: CaseArg = Path("."),
    confirmed_only: ConfirmedOnlyOpt = False,
    model: ModelOpt = None,
) -> None:
    """Print the proof of one claim's verdict in plain sentences, down to the quotes.

    Example:
        checker explain no-institutional-relationship
        checker explain no-data-shared my-case --confirmed-only
    """
    try:
        checker = Checker(to_judge(case, model, confirmed_only))
        ids = [c.id for c, _ in checker.case.claims]
        if claim_id not in ids:
            best = process.extractOne(claim_id, ids, score_cutoff=50)
            raise UnknownClaim(claim_id, ids, best[0] if best else None)
        result = checker.result(*checker.outcome(claim_id))
    except CheckerError as err:
        raise fail(err) from None
    write(render_explain(result))
