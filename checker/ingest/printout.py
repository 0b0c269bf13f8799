"""Printed emails in plain text (OCR output, PDF text) split into `Message` spans.

A message starts at every line that begins with `From:` (after indentation
or `>` quote marks): Outlook's print block (From, Sent, To, Cc, Subject),
the From/Date/To/Subject form, and the forwarded or "Original Message"
blocks quoted inside a body each give one message, so spans follow one
another and never nest. The header block under a `From:` line is read
leniently, as OCR leaves it: labels padded into columns, a label without its
colon ("Subject     World Bank"), redaction stamps ("B6") on lines of their
own, address lists wrapped onto indented lines, and a classification
marking printed in the same line after a wide gap (cut off). Names without
an address are kept as ("Name", "").

The patterns take time in proportion to the text, however long a line (no
lazy group before a trailing `[ \t]*$`, no address match starting in the
middle of a word), and `split_within_limit` keeps at most
`limits.MAX_MESSAGES` messages of one file.
"""

from __future__ import annotations

import re
from itertools import islice
from zoneinfo import ZoneInfo

from checker.ingest import limits
from checker.ingest.dates import date_warning, parse_date
from checker.ingest.document import Message

# Values are taken to the end of the line and stripped in code: a lazy `(.*?)[ \t]*$`
# tries every split of a long run of blanks, which is quadratic in the line's length.
_FROM = re.compile(r"^[ \t>\f]*(From:)[ \t]*([^\n]*)", re.M)
_LABEL = re.compile(
    r"^[ \t>]*(Sent|Date|To|Cc|Bcc|Subject|Importance|Attachments)"
    r"(?:[ \t]*:|[ \t]{2,}(?=\S))[ \t]*([^\n]*)",
    re.I,
)
_STAMP = re.compile(r"^[\s,]*(?:(?:B\d|1\.4\s?\([A-H]\)|RELEASE IN (?:PART|FULL))[\s,]*)+$", re.I)
_GAP = re.compile(r"[ \t]{6,}")
# Starts only where a run of address characters starts: tried from every letter of a
# long word, the match would be quadratic in the word's length.
_EMAIL = re.compile(r"(?<![\w.+'&-])[\w.+'&-]+@[\w-]+(?:\.[\w-]+)+")
_BRACKETED = re.compile(r"[<\[]\s*(?:mailto:)?\s*([\w.+'&-]+@[\w-]+(?:\.[\w-]+)+)", re.I)
_LISTS = ("to", "cc", "bcc")
_MAX_BLOCK_LINES = 16
_MAX_BLANKS = 3


def clean_value(value: str) -> str:
    """A header value without what OCR put after a wide gap (a classification marking or
    redaction code), unless the gap sits inside an address list ("a <x    ; b")."""
    parts = _GAP.split(value.strip())
    kept = [parts[0]] + [p for p in parts[1:] if p[:1] in ";,>]"]
    return " ".join(" ".join(kept).split())


def person(value: str) -> tuple[str, str] | None:
    """("display name", "address") from "Name <a@b>", "Name [mailto:a@b]", "a@b" or a bare
    name (address ""); None when there is neither."""
    value = value.strip().strip(";,")
    match = _BRACKETED.search(value) or _EMAIL.search(value)
    addr = match.group(1) if match and match.re is _BRACKETED else (match.group() if match else "")
    name = re.split(r"[<\[]", value, maxsplit=1)[0].strip(" \t\"'")
    if _EMAIL.fullmatch(name):
        name = "" if addr else name
        addr = addr or name
    if not name and not addr:
        return None
    return name, addr


def people(value: str) -> list[tuple[str, str]]:
    """Everyone in an address list: split on ';' (Outlook), and on ',' only where a
    piece holds several addresses (a comma may sit inside "Last, First")."""
    out: list[tuple[str, str]] = []
    for piece in value.split(";"):
        chunks = piece.split(",") if len(_EMAIL.findall(piece)) > 1 else [piece]
        for chunk in chunks:
            if _STAMP.match(chunk):
                continue
            found = person(chunk)
            if found is not None:
                out.append(found)
    return out


def _shown(pair: tuple[str, str]) -> str:
    name, addr = pair
    return f"{name} <{addr}>" if name and addr else addr or name


def read_block(lines: list[str], ends: dict[str, int] | None = None) -> dict[str, str]:
    """The header values under a From line: `lines` are the lines after it. Stops at the
    first line that is not a label, a stamp, a wrapped address line or a blank.
    `ends`, when given, gets for each value the index in `lines` of its last line."""
    ends = {} if ends is None else ends
    values: dict[str, str] = {}
    last: str | None = None
    blanks = 0
    for n, line in enumerate(lines[:_MAX_BLOCK_LINES]):
        if not line.strip():
            blanks += 1
            last = None
            if blanks > _MAX_BLANKS:
                break
            continue
        blanks = 0
        if _FROM.match(line):
            break
        label = _LABEL.match(line)
        if label:
            key = label.group(1).lower()
            key = "date" if key == "sent" else key
            last = None
            if key not in values:
                values[key] = clean_value(label.group(2))
                ends[key] = n
                last = key
            continue
        if _STAMP.match(line):
            continue
        wrapped = clean_value(line)
        if last in _LISTS and line[:1].isspace() and re.search(r"[;,@<]", wrapped):
            values[last] = f"{values[last]} {wrapped}".strip()
            ends[last] = n
            continue
        break
    return values


def _to_line(
    following: list[str], ends: dict[str, int], values: dict[str, str], base: int
) -> tuple[int, int] | None:
    """Offsets of the last line of the block's To and Cc values (a wrapped list's last
    line), when it has either; `following` are the lines after the From line, the
    first of them starting at offset `base`."""
    last = max((ends[k] for k in ("to", "cc") if values.get(k) and k in ends), default=None)
    if last is None:
        return None
    start = base + sum(len(line) + 1 for line in following[:last])
    return start, start + len(following[last].rstrip())


def split_printout(
    text: str, tz: ZoneInfo, offset: int = 0, limit: int | None = None
) -> tuple[list[Message], list[str]]:
    """One `Message` per `From:` header block in `text` (offsets shifted by `offset`),
    at most `limit` of them, and warnings for dates that were not used. When the
    limit stops it, the last message ends where the next `From:` line starts."""
    found = _FROM.finditer(text)
    starts = list(found if limit is None else islice(found, limit + 1))
    messages: list[Message] = []
    warnings: list[str] = []
    body_end = len(text.rstrip())
    for n, match in enumerate(starts[:limit]):
        start = match.start(1)
        end = starts[n + 1].start(1) if n + 1 < len(starts) else max(body_end, match.end())
        following = text[match.end() : end].split("\n")[1:]
        ends: dict[str, int] = {}
        values = read_block(following, ends)
        sender_text = clean_value(match.group(2))
        from_end = match.start(2) + len(match.group(2).rstrip(" \t"))
        sender = person(sender_text)
        recipients = people(values.get("to", "")) + people(values.get("cc", ""))
        date_raw = values.get("date") or None
        parsed = parse_date(date_raw, tz) if date_raw else None
        if parsed is not None:
            warning = date_warning(f"message {n + 1}", parsed)
            if warning:
                warnings.append(warning)
        messages.append(
            Message(
                start=offset + start,
                end=offset + end,
                date=parsed.iso if parsed else None,
                sender=sender_text or None,
                recipients=tuple(_shown(p) for p in recipients),
                subject=values.get("subject") or None,
                from_addr=sender,
                to_addrs=tuple(recipients),
                from_line=(offset + start, offset + from_end),
                to_line=_to_line(following, ends, values, offset + match.end() + 1),
                date_raw=date_raw,
            )
        )
    return messages, warnings


def split_within_limit(text: str, tz: ZoneInfo) -> tuple[list[Message], list[str], list[str]]:
    """`split_printout` of a whole file, stopped at `limits.MAX_MESSAGES`: messages,
    warnings, and what the limit left out (for `Document.cut`; empty when nothing)."""
    cap = limits.MAX_MESSAGES
    messages, warnings = split_printout(text, tz, limit=cap)
    if len(messages) < cap:
        return messages, warnings, []
    line_start = text.rfind("\n", 0, messages[-1].end) + 1  # where `^` may match again
    more = sum(1 for _ in _FROM.finditer(text, line_start))
    if not more:
        return messages, warnings, []
    rest = "the text after them is kept, without message headers (split the file for them)"
    note = limits.cut_note(cap, cap + more, "printed message", "message", rest)
    return messages, warnings, [note]
