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
from typing import Annotated, Literal

import typer
import yaml
from rapidfuzz import process

from checker.case import Case, extract_case, load_case
from checker.engine.verdicts import Checker
from checker.errors import (
    CaseInvalid,
    CaseNotFound,
    CheckerError,
    Problem,
    UnknownClaim,
    UnknownFact,
    did_you_mean,
)
from checker.ingest.document import Document
from checker.ingest.evidence import FileRecord
from checker.ingest.index import PROGRESS, Progress, case_timezone, open_index
from checker.ingest.manifest import render_manifest_json, render_manifest_table
from checker.parallel import RUNNER, Runner, default_workers
from checker.report import FORMATS
from checker.report.docs import find_document, render_docs_json, render_docs_table, render_show
from checker.report.explain import render_explain
from checker.report.facts import listed_facts, render_facts_json, render_facts_table
from checker.resolve import Resolver
from checker.review import Decision, correct, write_decision
from checker.yamlfile import YamlError, load_value

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


def _runner(workers: int | None, dask: str | None) -> Runner[object]:
    return Runner(workers=workers or default_workers(), dask=dask)


@contextmanager
def _running(workers: int | None, dask: str | None) -> Iterator[None]:
    """Work started inside `load_case` (index refresh, extraction) runs as asked."""
    token = RUNNER.set(_runner(workers, dask))
    try:
        yield
    finally:
        RUNNER.reset(token)


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


def _load(case: Path, **options: object) -> Case:
    """`load_case`, with its warnings (review decisions that no longer apply) on stderr."""
    with _progress("Reading evidence"):  # load_case refreshes the case index
        loaded = load_case(case, **options)  # type: ignore[arg-type]
    for warning in loaded.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    return loaded


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
        loaded = _load(case, model=model, confirmed_only=confirmed_only)
        result = Checker(loaded).run()
    except CheckerError as err:
        raise _fail(err) from None
    _write(FORMATS[format.value](result, loaded), out)


@app.command()
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
        checker = Checker(_load(case, model=model, confirmed_only=confirmed_only))
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
        loaded = _load(case)
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
def ingest(
    case: CaseArg = Path("."),
    format: ListFormatOpt = TABLE,
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
) -> None:
    """Read every file under evidence/ into the case index and print the manifest.

    Every file is listed as read, skipped or failed, with the reason; an mbox's
    reason compares the messages read with its "From " separator lines. Only
    files changed since the last run are read again. The index lives in
    CASE/.checker/index.sqlite (in memory when the folder is read-only).

    Example:
        checker ingest my-case
        checker ingest my-case --format json > manifest.json
        checker ingest my-case --workers 4
        checker ingest my-case --dask tcp://10.0.0.5:8786
    """
    try:
        root = _evidence_root(case)
        with open_index(root, case_timezone(root)) as index:
            with _progress("Reading evidence") as tick:
                stats = index.update(tick, _runner(workers, dask))
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


@app.command()
def extract(
    case: CaseArg = Path("."),
    model: ModelOpt = None,
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
) -> None:
    """Extract suggested facts from the documents' text and say what was found.

    Every extracted fact is `suggested`, with a confidence, the id of the
    pattern that proposed it and the sentence it rests on. Results are kept in
    the case index: only new or changed documents are read again (`check` does
    the same on its own). Review them with `checker facts` and `checker review`.

    Example:
        checker extract my-case
        checker extract my-case --model en_core_web_sm
        checker extract my-case --workers 1
        checker extract my-case --dask tcp://10.0.0.5:8786
    """
    try:
        with _running(workers, dask), _progress("Reading evidence"):
            summary = extract_case(case, model=model)  # one document at a time
    except CheckerError as err:
        raise _fail(err) from None
    for problem in summary.warnings:
        typer.echo(f"Warning: {problem}", err=True)
    run = summary.run
    if not run.available:
        typer.echo("The extractor (checker.extract) is not installed; no facts were extracted.")
        return
    for warning in run.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    reviewed = summary.facts - summary.suggested
    note = (
        ""
        if summary.meta.extraction.enabled
        else (" case.yaml has extraction: {enabled: false}, so `check` does not use them.")
    )
    typer.echo(
        f"Extraction with {run.model or 'the pattern packs (no model)'}: "
        f"{run.documents} documents ({run.read} read now, {run.cached} from the index).\n"
        f"{summary.facts} facts: {summary.suggested} suggested ({summary.used} at or above "
        f"the threshold {run.threshold:g}, used by `check`), {reviewed} reviewed "
        f"({summary.rejected} rejected).{note}\n"
        f"Next: checker facts {case} --status suggested; "
        f"checker review FACT_ID {case} --accept | --reject | --set ROLE=VALUE"
    )


@app.command()
def facts(
    case: CaseArg = Path("."),
    type_: Annotated[
        str | None, typer.Option("--type", "-t", help="Only facts of this type.")
    ] = None,
    status: Annotated[
        StatusChoice | None, typer.Option("--status", "-s", help="Only facts with this status.")
    ] = None,
    origin: Annotated[
        OriginChoice | None,
        typer.Option("--origin", help="Only analyst, header or extracted facts."),
    ] = None,
    format: ListFormatOpt = TABLE,
    model: ModelOpt = None,
) -> None:
    """List the case's facts with their quotes: analyst, header and extracted facts
    (with status, confidence and pattern id), for review.

    Example:
        checker facts my-case --status suggested
        checker facts my-case --type data_sharing --format json
    """
    try:
        loaded = _load(case, model=model)
        if type_ is not None and type_ not in loaded.types:
            raise CaseInvalid(
                [
                    Problem(
                        "--type",
                        1,
                        f"unknown fact type '{type_}'." + did_you_mean(type_, list(loaded.types)),
                    )
                ]
            )
    except CheckerError as err:
        raise _fail(err) from None
    found = listed_facts(
        loaded, type_, status.value if status else None, origin.value if origin else None
    )
    render = render_facts_json if format.value == "json" else render_facts_table
    sys.stdout.write(render(found, loaded))


def _assignments(pairs: list[str]) -> dict[str, object]:
    """`--set role=value` pairs; a value is read as YAML (`[a, b]` is a list, an
    empty value removes the role)."""
    out: dict[str, object] = {}
    for pair in pairs:
        role, eq, text = pair.partition("=")
        if not eq or not role.strip():
            raise typer.BadParameter(f"'{pair}': write ROLE=VALUE", param_hint="--set")
        try:
            value = load_value(text) if text.strip() else None
        except yaml.YAMLError:
            value = text
        out[role.strip()] = value
    return out


@app.command()
def review(
    fact_id: Annotated[
        str, typer.Argument(help="The extracted fact's id, as `checker facts` shows.")
    ],
    case: CaseArg = Path("."),
    accept: Annotated[
        bool, typer.Option("--accept", help="The fact is right: confirm it.")
    ] = False,
    reject: Annotated[bool, typer.Option("--reject", help="The fact is wrong: drop it.")] = False,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Correct a role: ROLE=VALUE (repeatable; ROLE= removes it)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why, for the record.")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="Who decided.")] = None,
    model: ModelOpt = None,
) -> None:
    """Accept, reject or correct an extracted fact; the decision is kept in CASE/review.yaml.

    Accepted and corrected facts become confirmed; rejected ones are dropped.
    Extracted ids are stable, so decisions survive re-extraction.

    Example:
        checker review x-3f2a9c01 my-case --accept --note "Matches the attachment."
        checker review x-77b0e4d2 my-case --set to=ice --set date=2019-02
        checker review x-0c1d5e6f my-case --reject
    """
    roles = _assignments(set_ or [])
    if accept + reject + bool(roles) != 1:
        typer.echo("Error: give exactly one of --accept, --reject or --set ROLE=VALUE.", err=True)
        raise typer.Exit(2)
    decision: Literal["accept", "reject", "correct"] = (
        "accept" if accept else "reject" if reject else "correct"
    )
    try:
        loaded = _load(case, model=model, force_extraction=True)
        ids = {f.id: f for f in loaded.extracted}
        if fact_id not in ids:
            known = {f.id for f in loaded.facts}
            why = (
                " (it is an analyst or header fact; edit its file instead)"
                if (fact_id in known)
                else ""
            )
            best = process.extractOne(fact_id, list(ids), score_cutoff=60)
            raise UnknownFact(fact_id, best[0] if best else None, why)
        if roles:
            res = Resolver(loaded.entities, loaded.types)
            if correct(ids[fact_id], roles, res, "--set", 1) is None:
                raise CaseInvalid(res.problems)
        entry = Decision(
            fact=fact_id, decision=decision, roles=roles or None, note=note, reviewer=reviewer
        )
        path = write_decision(case, entry)
    except YamlError as err:
        raise _fail(CaseInvalid([err.problem])) from None
    except CheckerError as err:
        raise _fail(err) from None
    outcome = {"accept": "confirmed", "reject": "rejected", "correct": "corrected and confirmed"}
    typer.echo(f"{fact_id}: {outcome[decision]} (recorded in {path}).")


# --help lists the commands in pipeline order, whatever order they are defined in.
PIPELINE = ["validate", "ingest", "docs", "show", "extract", "facts", "review", "check", "explain"]
app.registered_commands.sort(
    key=lambda c: (
        PIPELINE.index(c.name or c.callback.__name__)  # type: ignore[union-attr]
        if (c.name or getattr(c.callback, "__name__", "")) in PIPELINE
        else len(PIPELINE)
    )
)


def main() -> None:
    app()
