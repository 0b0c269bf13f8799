"""An exhibit list for attorneys (`--format exhibits`, `--format exhibits-csv`).

Every record (email) that some verdict cites becomes one exhibit; copies of
one email filed in several places are one record, so one exhibit. Exhibits
are numbered Ex. 1, 2, ... by the email's date, then by file and position
in it; emails with no trusted date come after the dated ones. Adding a
record that sorts later never renumbers the earlier ones.

Each exhibit gives a description (the email's subject, else the file name),
its date, sender and recipients, its file and position (`FILE#N`, which
`checker show` takes), its Message-ID, the Bates range of its pages (else
`FILE#N`), the SHA-256 of the file's bytes and the SHA-256 of the email's
text as `checker show` prints it.

Then each claim's citations in that numbering: "Ex. 3 at NYPD_000124" when
the cited page has a Bates number, else "Ex. 3, chars 412–446" (character
offsets in the email's text). A verdict that rests on a closed-world
declaration cites case.yaml, which is the case's own statement, not a
record, so it gets no exhibit number.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from checker.model.verdicts import CaseResult, Citation
from checker.report.context import ReportContext
from checker.report.csvout import csv_text
from checker.report.mdkit import md, md_cell, md_code
from checker.report.text import fold

CSV_COLUMNS = (
    "number",
    "description",
    "date",
    "from",
    "to",
    "bates_or_path",
    "file",
    "index",
    "message_id",
    "sha256",
    "record_sha256",
)


@dataclass(frozen=True)
class Exhibit:
    """One cited record (one email), as an exhibit."""

    number: int
    path: str  # the file it is cited in
    index: int | None  # its position in that file (#N); None: the index has no records there
    message_id: str | None
    description: str
    date: str | None  # ISO 8601, as the record gives it
    sender: str | None
    recipients: tuple[str, ...]
    bates_or_path: str
    sha256: str  # of the file as produced
    record_sha256: str  # of the record's text, as `checker show` prints it

    @property
    def ref(self) -> str:
        return f"{self.path}#{self.index}" if self.index is not None else self.path


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


def _key(c: Citation) -> str:
    """Which exhibit a citation is of: its record (copies filed elsewhere are one)."""
    return c.message or f"{c.doc}#{c.index}"


def _exhibit(cites: list[Citation], ctx: ReportContext | None) -> Exhibit:
    """An unnumbered exhibit; without a loaded case, from what its citations say."""
    first = min(cites, key=lambda c: (c.doc, c.index or 0, c.start))
    path, index = first.doc, first.index
    part = ctx.record(path, index) if ctx is not None else None
    text = ctx.record_text(path, index) if ctx is not None and part is not None else None
    if part is not None:
        subject, date, sender, to = part.subject, part.date, part.sender, part.recipients
        message_id, bates = part.message_id, part.bates
    else:
        subject, date, sender, to = first.subject, first.date, first.from_, tuple(first.to)
        message_id, bates = first.message_id, None
    marks = [c.bates for c in cites if c.bates]
    bates = bates or (marks[0] if marks else None)
    ref = f"{path}#{index}" if index is not None else path
    return Exhibit(
        0,
        path,
        index,
        message_id,
        fold(subject) if subject else Path(path).name,
        date if _when(date) is not None else None,
        sender,
        tuple(to),
        bates or ref,
        ctx.sha256(path) if ctx is not None else "",
        hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() if text else "",
    )


def _sort_key(e: Exhibit) -> tuple[int, datetime, str, int]:
    return (*_sort_key_date(e.date), e.path, e.index or 0)


def _numbered(
    result: CaseResult, ctx: ReportContext | None
) -> tuple[list[Exhibit], dict[str, int]]:
    """The exhibits numbered from 1, and each cited record's number."""
    cited: dict[str, list[Citation]] = {}
    for c in result.claims:
        for cit in c.citations:
            if cit.fact != "closed_world":
                cited.setdefault(_key(cit), []).append(cit)
    unnumbered = sorted(
        ((_exhibit(cs, ctx), key) for key, cs in cited.items()), key=lambda ek: _sort_key(ek[0])
    )
    exhibits = [replace(e, number=n) for n, (e, _) in enumerate(unnumbered, 1)]
    return exhibits, {key: n for n, (_, key) in enumerate(unnumbered, 1)}


def exhibit_list(result: CaseResult, ctx: ReportContext | None = None) -> list[Exhibit]:
    """Every cited record (closed-world reasons aside), numbered from 1."""
    return _numbered(result, ctx)[0]


def cite(cit: Citation, numbers: dict[str, int]) -> str:
    """'Ex. 3 at NYPD_000124', 'Ex. 3, chars 412–446' (counted in the record's
    text), or the case.yaml declaration (as Markdown text)."""
    if cit.fact == "closed_world" or _key(cit) not in numbers:
        return f"{md(cit.doc)} (closed-world declaration), chars {cit.start}–{cit.end}"
    ex = f"Ex. {numbers[_key(cit)]}"
    return f"{ex} at {md(cit.bates)}" if cit.bates else f"{ex}, chars {cit.start}–{cit.end}"


def render_exhibits(result: CaseResult, ctx: ReportContext | None = None) -> str:
    """The exhibit list, then each claim's citations in its numbering, as markdown."""
    exhibits, numbers = _numbered(result, ctx)
    out = [
        f"# Exhibit list: {md(result.case)}",
        "",
        "One exhibit per cited email, numbered by its date, then by file and position; "
        "emails with no date follow. `checker show FILE#N` prints each. SHA-256 is of the "
        "file as produced, then of the email's text as `checker show` prints it; "
        "citations count characters in that text.",
        "",
        "| Ex. | Description | Date | From → To | Bates or file#N | Message-ID "
        "| SHA-256 (file; email) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for e in exhibits:
        parties = " → ".join(x for x in (e.sender or "", "; ".join(e.recipients)) if x)
        out.append(
            f"| Ex. {e.number} | {md_cell(e.description)} "
            f"| {md_cell((e.date or '')[:10] or 'undated')} "
            f"| {md_cell(parties)} | {md_cell(e.bates_or_path)} "
            f"| {md_cell(e.message_id or '')} "
            f"| {md_code(e.sha256 or 'file not found')}; {md_code(e.record_sha256 or 'n/a')} |"
        )
    if not exhibits:
        out += ["", "No verdict cites a record."]
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
    """One row per exhibit (one cited email), with the columns of `CSV_COLUMNS`."""
    rows = [
        (
            e.number,
            e.description,
            e.date or "",
            e.sender or "",
            "; ".join(e.recipients),
            e.bates_or_path,
            e.path,
            "" if e.index is None else e.index,
            e.message_id or "",
            e.sha256,
            e.record_sha256,
        )
        for e in exhibit_list(result, ctx)
    ]
    return csv_text(CSV_COLUMNS, rows)
