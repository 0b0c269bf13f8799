"""Small text helpers shared by the human-readable formats."""

from __future__ import annotations

from collections.abc import Callable

from checker.model.verdicts import Citation


def fold(text: str) -> str:
    """White space folded, for printing a passage on one line."""
    return " ".join(text.split())


def where(doc: str, index: int | None) -> str:
    """'evidence/x.mbox#12': the record a citation's offsets count in, as
    `checker show` takes it; the file alone for case.yaml."""
    return f"{doc}#{index}" if index is not None else doc


def pinpoint(c: Citation, escape: Callable[[str], str] = str) -> str:
    """'evidence/x.eml#1 [412-446], 2020-10-05, Dana K <...>'; `escape` applies to
    every value from the case (Markdown reports pass `mdkit.md`)."""
    bits = [f"{escape(where(c.doc, c.index))} [{c.start}-{c.end}]"]
    if c.date:
        bits.append(escape(c.date[:10]))
    if c.from_:
        bits.append(f"from {escape(c.from_)}")
    if c.subject:
        bits.append(f'"{escape(c.subject)}"')
    return ", ".join(bits)
