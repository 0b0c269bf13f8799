"""Commands on the case and its evidence: validate, ingest, docs, show."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from checker.case.meta import case_timezone
from checker.cli.load import case_index, evidence_root, loaded_case
from checker.cli.options import TABLE, CaseArg, DaskOpt, ListFormatOpt, WorkersOpt, runner
from checker.cli.output import fail, progress, say, write
from checker.errors import CheckerError, UnknownDocument
from checker.ingest.index import open_index
from checker.report.docs import find_document, render_docs_json, render_docs_table, render_show
from checker.report.manifest import render_manifest_json, render_manifest_table
from checker.report.terminal import PAGED


def validate(case: CaseArg = Path(".")) -> None:
    """Check a case's files without judging claims; list every problem as file:line.

    Example:
        checker validate my-case
    """
    try:
        loaded = loaded_case(case)
    except CheckerError as err:
        raise fail(err) from None
    read = sum(1 for r in loaded.manifest if r.status == "read")
    say(
        f"OK: {len(loaded.claims)} claims, {len(loaded.facts)} facts, "
        f"{len(loaded.entities.by_id)} entities, {read} evidence files read."
    )
    for rec in loaded.manifest:
        if rec.status != "read":
            say(f"  {rec.status}: {rec.path} ({rec.reason})")


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
        root = evidence_root(case)
        with open_index(root, case_timezone(root)) as index:
            with progress("Reading evidence") as tick:
                stats = index.update(tick, runner(workers, dask))
            records, where = index.manifest(), index.path
    except CheckerError as err:
        raise fail(err) from None
    render = render_manifest_json if format.value == "json" else render_manifest_table
    write(render(records), json=format.value == "json")
    say(
        f"Index: {where or 'in memory (the case folder is not writable)'}; "
        f"{stats.read} read, {stats.unchanged} unchanged, {stats.removed} removed.",
        err=True,
    )


def docs(case: CaseArg = Path("."), format: ListFormatOpt = TABLE) -> None:
    """List the case's documents: id, path, other paths, date, sender, recipients,
    subject, pages, Bates range and redactions. Identical files are one document.

    Example:
        checker docs my-case
        checker docs my-case --format json
    """
    render = render_docs_json if format.value == "json" else render_docs_table
    try:
        with case_index(case) as index:
            listing = render(index.documents())  # one document at a time
    except CheckerError as err:
        raise fail(err) from None
    write(listing, json=format.value == "json")


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
        with case_index(case) as index:
            entry = find_document(index.entries(), doc, case, index.manifest())
            found = next(index.read([entry]), None)
    except CheckerError as err:
        raise fail(err) from None
    if found is None:  # another process removed it since it was listed
        raise fail(UnknownDocument(doc, None))
    write(render_show(found), keep=PAGED)
