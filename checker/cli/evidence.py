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
from checker.ingest.index import Index, open_index
from checker.ingest.lookup import find_ref
from checker.report.docs import render_docs_json, render_docs_table, render_show
from checker.report.manifest import render_manifest_json, render_manifest_table
from checker.report.records import (
    render_file_records,
    render_record,
    render_records_json,
    render_records_table,
)
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
    claims = f"{len(loaded.claims)} claims" if loaded.claims else "no claims yet"
    say(
        f"OK: {claims}, {len(loaded.facts)} facts, "
        f"{len(loaded.entities.by_id)} entities, {read} evidence files read."
    )
    if not loaded.claims:
        say("  Write claims/*.yaml to check statements (docs/case-format.md, 'Claims').")
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


def docs(
    case: CaseArg = Path("."),
    format: ListFormatOpt = TABLE,
    files: Annotated[
        bool, typer.Option("--files", help="One row per file, with its message count.")
    ] = False,
) -> None:
    """List the case's records: one row per email (copies filed in several places
    merged, the other places listed), with its id, file#n, date, sender,
    recipients, subject and Bates range. --files lists files instead: identical
    files are one document.

    Example:
        checker docs my-case
        checker docs my-case --format json
        checker docs my-case --files
    """
    json_out = format.value == "json"
    try:
        with case_index(case) as index:
            if files:
                render = render_docs_json if json_out else render_docs_table
                listing = render(index.documents())  # one document at a time
            else:
                records = index.records()
                messages = sum(len(r.locations) for r in records)
                listing = (
                    render_records_json(records)
                    if json_out
                    else render_records_table(records, messages)
                )
    except CheckerError as err:
        raise fail(err) from None
    write(listing, json=json_out)


def show(
    ref: Annotated[
        str,
        typer.Argument(
            help="A record: its id (or the start of it), PATH#N, or its Message-ID; "
            "or a file: its path from the case root, its name, or its id prefix."
        ),
    ],
    case: CaseArg = Path("."),
    all_: Annotated[
        bool, typer.Option("--all", help="A file of many messages: print all of it.")
    ] = False,
) -> None:
    """Print one record (an email) with its headers and its exact text, which
    citations' start and end count in; or a file: one with several messages is
    listed record by record (--all prints it whole, with page markers).

    Example:
        checker show 7b3196058034 my-case
        checker show evidence/lay-k.mbox#12 my-case
        checker show evidence/2020-08-27-pilot-countersigned.eml my-case
    """
    try:
        with case_index(case) as index:
            text = _show(index, ref, case, all_)
    except CheckerError as err:
        raise fail(err) from None
    write(text, keep=PAGED)


def _show(index: Index, ref: str, case: Path, all_: bool) -> str:
    """What `show` prints for `ref` (see `show`)."""
    found = find_ref(index, ref, case)
    doc = next(index.read([found.entry]), None)
    if found.part is not None and found.record is not None:
        if doc is None:  # another process removed it since it was listed
            raise UnknownDocument(f"{found.entry.path}#{found.part.n}", None)
        return render_record(found.record, found.part, doc)
    if doc is None:
        raise UnknownDocument(ref, None)
    if len(found.parts) > 1 and not all_:
        return render_file_records(doc, found.parts)
    return render_show(doc)
