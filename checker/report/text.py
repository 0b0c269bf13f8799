"""Small text helpers shared by the human-readable formats."""

from __future__ import annotations

from checker.model.verdicts import Citation


def fold(text: str) -> str:
    """White space folded, for printing a passage on one line."""
    return " ".join(text.split())


def pinpoint(c: Citation) -> str:
    """'evidence/x.eml [412-446], 2020-10-05, Dana K <...>'."""
    bits = [f"{c.doc} [{c.start}-{c.end}]"]
    if c.date:
        bits.append(c.date[:10])
    if c.from_:
        bits.append(f"from {c.from_}")
    if c.subject:
        bits.append(f'"{c.subject}"')
    return ", ".join(bits)
