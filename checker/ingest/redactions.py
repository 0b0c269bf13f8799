"""Redaction markers: where a production withheld text, and under which code.

Markers kept as `Redaction` spans, the marker being the text as printed:

- FOIA exemption codes: "(b)(6)", "(b)(7)(C)" (either case of b), and the
  State Department's "B6", "B7(C)", "B1".."B9" as standalone tokens: never
  inside a longer token ("AB6C", "B12", "B6-2"); "(b)" alone is no code;
- "[REDACTED]" (any case inside brackets) and the word "REDACTED" in capitals;
- runs of black blocks: "█" (U+2588), or two or more "■" (U+25A0; a single
  one is usually a bullet point);
- runs of four or more X's (or x's) as a whole token, "XXXXXXXX".

Not matched on purpose: the codes of a State Department release stamp
("RELEASE IN PART B5,B6", the codes often on the next line), which list the
exemptions used anywhere in the document and mark no place; classification
codes such as "1.4(B)" (they explain a B1 printed beside them, and "section
1.4(b)" is common in prose); and "redacted" in lower case (prose about it).
"""

from __future__ import annotations

import re

from checker.ingest.document import Document, Redaction

_MARKERS = re.compile(
    r"""
      (?<![\w)])\([bB]\)(?:\(\d\))+(?:\([A-Fa-f]\))?(?![\w(])   # (b)(6), (b)(7)(C)
    | (?<![\w.()-])B[1-9](?:\([A-F]\))?(?![\w(]|-\w)            # B6, B7(C)
    | \[\s*redacted\s*\]                                        # [REDACTED]
    | (?<!\w)REDACTED(?!\w)                                     # REDACTED
    | \u2588+|\u25a0{2,}                                        # ████, ■■ (one ■ is a bullet)
    | (?<!\w)(?:X{4,}|x{4,})(?!\w)                                 # XXXXXXXX
    """,
    re.VERBOSE | re.IGNORECASE,
)


# The State Department's release stamp lists the codes used anywhere in the
# document ("RELEASE IN PART" and, often on the next line, "B5,B6"): not a redaction.
_RELEASE_STAMP = re.compile(
    r"RELEASE[ \t]*\n?[ \t]*IN[ \t]*\n?[ \t]*(?:PART|FULL)"
    r"(?:[ \t,]*\n?[ \t,]*(?:B[1-9](?:\([A-F]\))?|1\.4\([A-H]\)))*"
)


def _exact_case(marker: str) -> bool:
    """The pattern is case-insensitive for "[redacted]" and "(B)(6)"; the bare
    forms keep their case: "b6" and "Redacted" are words, not markers."""
    if marker.startswith(("(", "[")):
        return True
    if marker[0] in "Bb" and len(marker) > 1 and marker[1].isdigit():
        return marker[0] == "B"
    if marker.lower() == "redacted":
        return marker == "REDACTED"
    return True


def find_markers(text: str, offset: int = 0) -> list[Redaction]:
    """Every redaction marker in `text`, in order, with offsets shifted by `offset`."""
    stamps = [m.span() for m in _RELEASE_STAMP.finditer(text)]
    return [
        Redaction(offset + m.start(), offset + m.end(), m.group())
        for m in _MARKERS.finditer(text)
        if _exact_case(m.group()) and not any(s <= m.start() < e for s, e in stamps)
    ]


def merge(*groups: list[Redaction]) -> list[Redaction]:
    """One sorted list without overlaps: earlier groups win, then the longer span."""
    kept: list[Redaction] = []
    for group in groups:
        for r in sorted(group, key=lambda r: (r.start, -(r.end - r.start))):
            if not any(r.start < k.end and k.start < r.end for k in kept):
                kept.append(r)
    return sorted(kept, key=lambda r: (r.start, r.end))


def find_redactions(doc: Document) -> None:
    """Set `doc.redactions`: those a reader found (e.g. boxes drawn on a PDF) and
    the markers in the text, sorted and non-overlapping."""
    doc.redactions = merge(list(doc.redactions), find_markers(doc.text))


def markers_near(doc: Document, start: int, end: int, margin: int = 200) -> list[str]:
    """The distinct markers within `margin` characters of `text[start:end]`, in order."""
    out: list[str] = []
    for r in doc.redactions_near(start, end, margin):
        if r.marker not in out:
            out.append(r.marker)
    return out
