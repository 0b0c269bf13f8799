"""Outlook `.msg` files, rendered like email: header lines, body, attachment lines.

Reading them needs extract-msg, which is GPL-3.0 and so an opt-in extra
(`pip install 'checker[msg]'`); without it a .msg file is skipped with that
reason. Attachments stay in memory (never saved); an attached Outlook
message is rendered inside its parent, up to `MAX_DEPTH` levels.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

from checker.ingest.attachments import attachment_line, extract_text, safe_name
from checker.ingest.bulk import header_reason, wording_reason
from checker.ingest.charset import decode_bytes
from checker.ingest.document import Attachment, Document, Message
from checker.ingest.email import MAX_DEPTH, header_block, header_message
from checker.ingest.htmltext import html_to_text, meta_charset
from checker.ingest.unreadable import SkippedEvidence, UnreadableEvidence

NEEDS_EXTRA = "Outlook .msg needs the optional extra: pip install 'checker[msg]'"


def _extract_msg() -> ModuleType | None:
    try:
        return importlib.import_module("extract_msg")
    except ImportError:
        return None


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = " ".join(str(value).replace("\x00", "").split())
    return text or None


def _get(obj: Any, name: str) -> Any:
    try:
        return getattr(obj, name, None)
    except Exception:  # noqa: BLE001 - extract-msg parses lazily and may fail on access
        return None


def _transport(m: Any, name: str) -> str | None:
    """A header of the message's transport headers (kept by Outlook), or None."""
    head = _get(m, "header")
    try:
        raw = head.get(name) if head is not None else None
    except Exception:  # noqa: BLE001
        raw = None
    return _text(raw)


def _date(m: Any) -> str | None:
    raw = _transport(m, "Date")
    if raw:
        return raw
    when = _get(m, "date")
    if isinstance(when, datetime):
        return format_datetime(when)
    return _text(when)


def _body(m: Any) -> str:
    body = _get(m, "body")
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    if isinstance(body, str) and body.strip():
        return body.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    html = _get(m, "htmlBody")
    if isinstance(html, bytes):
        return html_to_text(decode_bytes(html, meta_charset(html)))
    return ""


def _attachment(
    att: Any, pos: int, tz: ZoneInfo, warnings: list[str], depth: int
) -> tuple[str, Attachment]:
    name = str(_get(att, "longFilename") or _get(att, "shortFilename") or "(unnamed)")
    data = _get(att, "data")
    note = ""
    if isinstance(data, bytes):
        ctype = str(_get(att, "mimetype") or "application/octet-stream")
        size = len(data)
        text, note = extract_text(ctype, data)
    else:  # an attached Outlook message
        ctype, size = "application/vnd.ms-outlook", 0
        start = pos + len(attachment_line(name, ctype, size)) + 1
        if data is None or depth >= MAX_DEPTH:
            text, note = "", "attached message not shown"
        else:
            text = render_msg(data, start, tz, warnings, depth + 1)[0].rstrip("\n")
    line = attachment_line(name, ctype, size)
    start = pos + len(line) + 1
    chunk = line + "\n" + (text + "\n" if text else "")
    return chunk, Attachment(safe_name(name), ctype, size, start, start + len(text), note)


def render_msg(
    m: Any, offset: int, tz: ZoneInfo, warnings: list[str], depth: int = 0
) -> tuple[str, Message]:
    """An extract-msg message as text starting at `offset`, and its `Message`."""
    values = {
        "From": _text(_get(m, "sender")),
        "To": _text(_get(m, "to")),
        "Cc": _text(_get(m, "cc")),
        "Date": _date(m),
        "Subject": _text(_get(m, "subject")),
    }
    head, lines = header_block(values, offset)
    text = head + _body(m).strip("\n") + "\n"
    bulk = header_reason(lambda name: _transport(m, name)) or wording_reason(
        text, Message(0, len(text))
    )
    attachments = []
    for att in _get(m, "attachments") or ():
        chunk, info = _attachment(att, offset + len(text) + 1, tz, warnings, depth)
        text += "\n" + chunk
        attachments.append(info)
    return text, header_message(
        values,
        offset,
        text,
        lines,
        tz,
        warnings,
        "message 1",
        attachments=tuple(attachments),
        message_id=(_text(_get(m, "messageId")) or "").strip("<>") or None,
        in_reply_to=(_text(_get(m, "inReplyTo")) or "").strip("<>") or None,
        bulk=bulk,
    )


def read_msg(path: Path, shown_as: str, tz: ZoneInfo) -> Document:
    """An Outlook .msg file as one message; skipped when extract-msg is not installed."""
    extract_msg = _extract_msg()
    if extract_msg is None:
        raise SkippedEvidence(NEEDS_EXTRA)
    try:
        m = extract_msg.openMsg(str(path))
    except Exception as err:  # noqa: BLE001 - not an Outlook file, or a damaged one
        raise UnreadableEvidence(
            f"not a readable Outlook .msg: {type(err).__name__}: {err}"[:300]
        ) from None
    warnings: list[str] = []
    try:
        text, info = render_msg(m, 0, tz, warnings)
    finally:
        m.close()
    return Document(shown_as, text, [info], kind="msg", warnings=warnings)
