"""`.eml` and `.mbox` files (and maildir messages) to `Document`s, with the stdlib parser.

Each message is rendered as its decoded header lines (From, To, Cc, Date,
Subject), a blank line, its plain-text body (HTML-only bodies as text), and
then one line per attachment, `[Attachment: NAME (TYPE, N bytes)]`, with the
text of text, CSV, HTML and PDF attachments below it and an attached
message (message/rfc822) rendered the same way, up to `MAX_DEPTH` levels.
An mbox's messages follow one another, separated by a blank line.
Bulk mail (newsletters, list mail, an mbox's mail-merge blasts) is marked in
`Message.bulk` (`checker.ingest.bulk`).

Headers and part bodies are decoded from their bytes (`checker.ingest.mime`,
`checker.ingest.charset`: declared charset, UTF-8, a guess; QP residue
undone), not by the stdlib's lenient decoding, which turns a wrong
declaration into U+FFFD.
Attachments exist only in memory: nothing is written anywhere, and a name
is display text only. A message that cannot be parsed raises
`UnreadableEvidence` with the reason, so the caller can account for it.
"""

from __future__ import annotations

import email
import mailbox
import re
from datetime import datetime
from email.message import Message as MimeMessage
from email.utils import getaddresses, parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from checker.ingest import limits
from checker.ingest.attachments import attachment_line, extract_text, safe_name
from checker.ingest.bulk import document_blasts, header_reason, mark, wording_reason
from checker.ingest.dates import date_warning, parse_date
from checker.ingest.document import Attachment, Document, Message
from checker.ingest.htmltext import html_to_text
from checker.ingest.mime import (
    body_and_attachments,
    charset_of,
    filename_of,
    header,
    part_bytes,
    size_of,
)
from checker.ingest.unreadable import SkippedEvidence, UnreadableEvidence

__all__ = [
    "HEADER_LINES",
    "MAX_DEPTH",
    "SkippedEvidence",
    "UnreadableEvidence",
    "header",
    "html_to_text",
    "message_date",
    "parse_message",
    "read_eml",
    "read_mbox",
    "render",
]

HEADER_LINES = ("From", "To", "Cc", "Date", "Subject")
MAX_DEPTH = 10


def _attachment(
    part: MimeMessage, pos: int, tz: ZoneInfo, warnings: list[str], depth: int, label: str
) -> tuple[str, Attachment]:
    """The text standing for one attachment, starting at `pos`, and its `Attachment`."""
    ctype = part.get_content_type()
    inner = part.get_payload() if part.is_multipart() else None
    child = inner[0] if isinstance(inner, list) and inner else None
    note = ""
    if ctype == "message/rfc822" and isinstance(child, MimeMessage):
        name = str(filename_of(part) or header(child, "Subject") or "message")
        size = size_of(child)
        if depth >= MAX_DEPTH:
            note = f"attached message not shown: nested more than {MAX_DEPTH} deep"
            text = ""
        else:
            start = pos + len(attachment_line(name, ctype, size)) + 1
            text, _ = render(child, start, tz, warnings, depth + 1, f"{label}, attached message")
            text = text.rstrip("\n")
    elif isinstance(inner, list):  # message/delivery-status and kin: blocks of headers
        name, size = str(filename_of(part) or ctype), size_of(part)
        try:
            text = "\n\n".join(
                "\n".join(f"{k}: {' '.join(str(v).split())}" for k, v in block.items())
                for block in inner
                if isinstance(block, MimeMessage)
            )
        except Exception as err:  # noqa: BLE001
            text, note = "", f"text not extracted: {type(err).__name__}"
    else:
        data = part_bytes(part)
        name, size = str(filename_of(part) or "(unnamed)"), len(data)
        text, note = extract_text(ctype, data, charset_of(part))
    line = attachment_line(name, ctype, size)
    start = pos + len(line) + 1
    shown = text or (f"[{note}]" if note.startswith("attached message") else "")
    chunk = line + "\n" + (shown + "\n" if shown else "")
    return chunk, Attachment(safe_name(name), ctype, size, start, start + len(text), note)


def _ids(value: str | None) -> tuple[str, ...]:
    """Message ids in a Message-ID, In-Reply-To or References header, without <>."""
    if not value:
        return ()
    found = re.findall(r"<([^<>\s]+)>", value)
    return tuple(found) if found else tuple(value.split())


def message_date(msg: MimeMessage, tz: ZoneInfo) -> datetime | None:
    """The Date header in the case timezone, or None when missing or not trusted."""
    raw = header(msg, "Date")
    return parse_date(raw, tz).when if raw else None


def render(
    msg: MimeMessage,
    offset: int,
    tz: ZoneInfo,
    warnings: list[str] | None = None,
    depth: int = 0,
    label: str = "message 1",
) -> tuple[str, Message]:
    """The message as text starting at `offset` in its document, and its `Message`.
    Untrusted dates are reported in `warnings` as "<label>: date ... not used (why)"."""
    warnings = [] if warnings is None else warnings
    hint = charset_of(msg)
    values = {name: header(msg, name, hint) for name in HEADER_LINES}
    head, lines = header_block(values, offset)
    bodies, parts = body_and_attachments(msg)
    text = head + "\n".join(bodies).strip("\n") + "\n"
    present = {str(k).lower() for k in msg.keys()}
    bulk = header_reason(
        lambda name: header(msg, name, hint) if name.lower() in present else None
    ) or wording_reason(text, Message(0, len(text)))
    attachments: list[Attachment] = []
    for part in parts:
        chunk, found = _attachment(part, offset + len(text) + 1, tz, warnings, depth, label)
        text += "\n" + chunk
        attachments.append(found)
    info = header_message(
        values,
        offset,
        text,
        lines,
        tz,
        warnings,
        label,
        attachments=tuple(attachments),
        message_id=next(iter(_ids(header(msg, "Message-ID"))), None),
        in_reply_to=next(iter(_ids(header(msg, "In-Reply-To"))), None),
        references=_ids(header(msg, "References")),
        bulk=bulk,
    )
    return text, info


def header_block(
    values: dict[str, str | None], offset: int
) -> tuple[str, dict[str, tuple[int, int]]]:
    """The decoded header lines ("From: ...", "To: ...") and a blank line, as they
    start a message's text at `offset`, and the offsets of each line by its name."""
    lines: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    pos = offset
    for name in HEADER_LINES:
        if values.get(name) is None:
            continue
        line = f"{name}: {values[name]}"
        spans[name] = (pos, pos + len(line))
        lines.append(line)
        pos += len(line) + 1
    return "\n".join(lines) + "\n\n", spans


def header_message(
    values: dict[str, str | None],
    offset: int,
    text: str,
    lines: dict[str, tuple[int, int]],
    tz: ZoneInfo,
    warnings: list[str],
    label: str,
    **extra: Any,
) -> Message:
    """The `Message` for a rendered message `text` from its decoded header values
    and the offsets of its header lines (`header_block`); an untrusted date is left
    out and named in `warnings`."""
    raw_date = values.get("Date")
    parsed = parse_date(raw_date, tz) if raw_date else None
    if parsed is not None and (warning := date_warning(label, parsed)):
        warnings.append(warning)
    try:
        lists = [values.get("To") or "", values.get("Cc") or ""]
        pairs = tuple((n, a) for n, a in getaddresses(lists) if a)
    except Exception:  # noqa: BLE001 - a hostile address list must not stop the file
        pairs = ()
    sender = parseaddr(values.get("From") or "")
    return Message(
        start=offset,
        end=offset + len(text),
        date=parsed.iso if parsed else None,
        sender=values.get("From"),
        recipients=tuple(f"{n} <{a}>" if n else a for n, a in pairs),
        subject=values.get("Subject"),
        from_addr=sender if sender[1] else None,
        to_addrs=pairs,
        from_line=lines.get("From"),
        to_line=lines.get("Cc") or lines.get("To"),  # Cc follows To (HEADER_LINES)
        date_raw=values.get("Date"),
        **extra,
    )


def parse_message(data: bytes) -> MimeMessage:
    """Bytes to a stdlib `email.message.Message` (compat32 policy: raw headers, which
    `header` decodes)."""
    return email.message_from_bytes(data)


def read_message(data: bytes, shown_as: str, tz: ZoneInfo, kind: str) -> Document:
    """One message's bytes as a document of `kind` (eml, maildir)."""
    if not data.strip():
        raise UnreadableEvidence("empty file")
    msg = parse_message(data)
    if not any(header(msg, h) for h in ("From", "To", "Subject", "Date")):
        raise UnreadableEvidence("no email headers found (From, To, Subject or Date)")
    warnings: list[str] = []
    text, info = render(msg, 0, tz, warnings)
    return Document(shown_as, text, [info], kind=kind, warnings=warnings)


def read_eml(path: Path, shown_as: str, tz: ZoneInfo) -> Document:
    """An .eml file: one message."""
    return read_message(path.read_bytes(), shown_as, tz, "eml")


def _ends_mid_line(path: Path) -> bool:
    with path.open("rb") as fh:
        fh.seek(0, 2)
        if fh.tell() == 0:
            return False
        fh.seek(-1, 2)
        return fh.read(1) not in (b"\n", b"\r")


def read_mbox(path: Path, shown_as: str, tz: ZoneInfo) -> Document:
    """An mbox: its messages one after another; `>From ` escapes (mboxo) undone. Stops
    at the per-file limits (`checker.ingest.limits`), saying so in `Document.cut`."""
    box = mailbox.mbox(str(path), factory=None, create=False)
    parts: list[str] = []
    infos: list[Message] = []
    warnings: list[str] = []
    cut: list[str] = []
    offset = 0
    unreadable: list[str] = []
    try:
        keys = box.keys()
        for n, key in enumerate(keys, 1):
            stop = "message" if len(infos) >= limits.MAX_MESSAGES else ""
            stop = stop or ("text" if offset > limits.MAX_TEXT_CHARS else "")
            if stop:
                cut.append(limits.cut_note(n - 1, len(keys), "message", stop))
                break
            try:
                data = re.sub(rb"(?m)^>From ", b"From ", box.get_bytes(key))
                text, info = render(parse_message(data), offset, tz, warnings, label=f"message {n}")
            except Exception as err:  # noqa: BLE001 - one bad message must not stop the rest
                unreadable.append(f"message {n}: {type(err).__name__}: {err}"[:200])
                continue
            parts.append(text)
            infos.append(info)
            offset += len(text) + 1
    finally:
        box.close()
    if _ends_mid_line(path):
        warnings.insert(0, "file ends mid-line: it may be truncated (a cut download or copy)")
    if not infos:
        why = "; ".join(unreadable[:3]) or "no messages found (no 'From ' separator lines)"
        raise UnreadableEvidence(why)
    text = "\n".join(parts)
    return Document(
        shown_as,
        text,
        mark(infos, document_blasts(text, infos)),
        unreadable=unreadable,
        kind="mbox",
        warnings=cut + warnings,
        cut=cut,
    )

