"""An exhibit list for attorneys (`--format exhibits`, `--format exhibits-csv`).

Every document that some verdict cites becomes an exhibit. Exhibits are
numbered Ex. 1, 2, ... by the document's earliest message date, then by
path; documents with no trusted date come after the dated ones, by path.
Adding a document that sorts later never renumbers the earlier ones.

Each exhibit gives a description (the subject of its earliest message, else
the file name), the date, sender and recipients of that message, the Bates
range of its pages (else its path) and the SHA-256 of the file's bytes
(`Document.id` when the reader set it, else computed from the file).

Then each claim's citations in that numbering: "Ex. 3 at NYPD_000124" when
the cited page has a Bates number, else "Ex. 3, chars 412–446" (character
offsets in the text the checker extracted). A verdict that rests on a
closed-world declaration cites case.yaml, which is the case's own statement,
not a record, so it gets no exhibit number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from checker.ingest.document import Document, Message
from checker.model.verdicts import CaseResult, Citation
from checker.report.context import ReportContext
from checker.report.csvout import csv_text
from checker.report.mdkit import md, md_cell, md_code
from checker.report.text import fold

CSV_COLUMNS = ("number", "description", "date", "from", "to", "bates_or_path", "sha256")


@dataclass(frozen=True)
class Exhibit:
    """One cited document, as an exhibit."""

    number: int
    path: str
    description: str
    date: str | None  # ISO 8601, as the document gives it
    sender: str | None
    recipients: tuple[str, ...]
    bates_or_path: str
    sha256: str


def _when(date: str | None) -> datetime | None:
    """A message date as an aware datetime, for ordering; None when absent or unreadable."""
    if not date:
        return None
    try:
        moment = datetime.fromisoformat(date)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _sort_key_date(date: str | None) -> tuple[int, datetime]:
    """Dated before undated, then by moment."""
    moment = _when(date)
    return (0, moment) if moment else (1, datetime.min.replace(tzinfo=UTC))


def _first_message(doc: Document) -> Message | None:
    """The earliest dated message, else the first message in the file."""
    if not doc.messages:
        return None
    return min(doc.messages, key=lambda m: (*_sort_key_date(m.date), m.start))


def _sha256(path: str, doc: Document | None, ctx: ReportContext | None) -> str:
    if doc is not None and doc.id:
        return doc.id
    return ctx.sha256(path) if ctx is not None else ""


def _bates(doc: Document | None, path: str) -> str:
    numbers = [p.bates for p in doc.pages if p.bates] if doc is not None else []
    if not numbers:
        return path
    return numbers[0] if numbers[0] == numbers[-1] else f"{numbers[0]}–{numbers[-1]}"


def _exhibit(path: str, cites: list[Citation], ctx: ReportContext | None) -> Exhibit:
    """An unnumbered exhibit; without a loaded case, from what its citations say."""
    doc = ctx.document(path) if ctx is not None else None
    msg = _first_message(doc) if doc is not None else None
    if msg is not None:  # the document's own headers
        subject, date, sender, to = msg.subject, msg.date, msg.sender, msg.recipients
    elif doc is None and cites:
        first = min(cites, key=lambda c: (*_sort_key_date(c.date), c.start))
        subject, date, sender, to = first.subject, first.date, first.from_, tuple(first.to)
    else:
        subject, date, sender, to = None, None, None, ()
    return Exhibit(
        0,
        path,
        fold(subject) if subject else Path(path).name,
        date if _when(date) is not None else None,
        sender,
        to,
        _bates(doc, path),
        _sha256(path, doc, ctx),
    )


def _sort_key(e: Exhibit) -> tuple[int, datetime, str]:
    return (*_sort_key_date(e.date), e.path)


def exhibit_list(result: CaseResult, ctx: ReportContext | None = None) -> list[Exhibit]:
    """Every cited document (closed-world reasons aside), numbered from 1."""
    cited: dict[str, list[Citation]] = {}
    for c in result.claims:
        for cit in c.citations:
            if cit.fact != "closed_world":
                cited.setdefault(cit.doc, []).append(cit)
    unnumbered = sorted((_exhibit(p, cs, ctx) for p, cs in cited.items()), key=_sort_key)
    return [replace(e, number=n) for n, e in enumerate(unnumbered, 1)]


def cite(cit: Citation, numbers: dict[str, int]) -> str:
    """'Ex. 3 at NYPD_000124', 'Ex. 3, chars 412–446', or the case.yaml declaration
    (as Markdown text)."""
    if cit.fact == "closed_world" or cit.doc not in numbers:
        return f"{md(cit.doc)} (closed-world declaration), chars {cit.start}–{cit.end}"
    ex = f"Ex. {numbers[cit.doc]}"
    return f"{ex} at {md(cit.bates)}" if cit.bates else f"{ex}, chars {cit.start}–{cit.end}"


def render_exhibits(result: CaseResult, ctx: ReportContext | None = None) -> str:
    """The exhibit list, then each claim's citations in its numbering, as markdown."""
    exhibits = exhibit_list(result, ctx)
    numbers = {e.path: e.number for e in exhibits}
    out = [
        f"# Exhibit list: {md(result.case)}",
        "",
        "Exhibits are numbered by the date of each document's earliest message, then by "
        "file path; documents with no date follow. SHA-256 is of the file as produced.",
        "",
        "| Ex. | Description | Date | From → To | Bates or file | SHA-256 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for e in exhibits:
        parties = " → ".join(x for x in (e.sender or "", "; ".join(e.recipients)) if x)
        out.append(
            f"| Ex. {e.number} | {md_cell(e.description)} "
            f"| {md_cell((e.date or '')[:10] or 'undated')} "
            f"| {md_cell(parties)} | {md_cell(e.bates_or_path)} "
            f"| {md_code(e.sha256 or 'file not found')} |"
        )
    if not exhibits:
        out += ["", "No verdict cites a document."]
    out += ["", "## Citations by claim"]
    for c in result.claims:
        speaker = ctx.name(c.speaker) if ctx is not None else c.speaker
        said = ", ".join(x for x in (speaker, c.said_on, c.source) if x)
        out += ["", f"### {md(c.id)}: {md(c.verdict)}", "", f"> {md_cell(c.quote)}", ""]
        out.append(f"*{md_cell(said)}*")
        out.append("")
        if not c.citations:
            out.append("No record cited: the records do not settle this statement.")
        for i, cit in enumerate(c.citations, 1):
            out.append(f'{i}. {cite(cit, numbers)}: "{md_cell(cit.quote)}"')
    return "\n".join(out) + "\n"


def render_exhibits_csv(result: CaseResult, ctx: ReportContext | None = None) -> str:
    """One row per exhibit: number, description, date, from, to, bates_or_path, sha256."""
    rows = [
        (
            e.number,
            e.description,
            e.date or "",
            e.sender or "",
            "; ".join(e.recipients),
            e.bates_or_path,
            e.sha256,
        )
        for e in exhibit_list(result, ctx)
    ]
    return csv_text(CSV_COLUMNS, rows)
