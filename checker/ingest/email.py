"""`.eml` and `.mbox` files to `Document`s, with the standard library's parser.

Each message is rendered as its decoded header lines (From, To, Cc, Date,
Subject), a blank line and its plain-text body; an mbox's messages follow
one another, separated by a blank line. Attachments are not read here and
never written anywhere. A message that cannot be parsed raises
`UnreadableEvidence` with the reason, so the caller can account for it.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
from datetime import datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

from checker.ingest.document import Document, Message

HEADER_LINES = ("From", "To", "Cc", "Date", "Subject")


class UnreadableEvidence(Exception):
    """An evidence file that cannot be read; the message is the reason."""


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in ("br", "p", "div", "tr", "li"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _HTMLText()
    parser.feed(html)
    return "".join(parser.parts)


def _raw_header(msg: EmailMessage, name: str) -> str | None:
    """A header the structured parser chokes on: decoded leniently from its raw value."""
    for key, raw in msg.raw_items():
        if key.lower() == name.lower():
            try:
                return str(make_header(decode_header(str(raw))))
            except Exception:  # noqa: BLE001 - hostile header: keep its raw text
                return str(raw)
    return None


def _header(msg: EmailMessage, name: str) -> str | None:
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001 - a malformed header must not stop the file
        value = _raw_header(msg, name)
    if value is None:
        return None
    return " ".join(str(value).split())


def _body(msg: EmailMessage) -> str:
    texts: list[str] = []
    htmls: list[str] = []
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype not in ("text/plain", "text/html"):
            continue
        try:
            content = part.get_content()
        except Exception:  # noqa: BLE001 - undecodable part: fall back to raw bytes
            payload = part.get_payload(decode=True)
            raw = payload if isinstance(payload, bytes) else b""
            content = raw.decode("utf-8", errors="replace")
        (texts if ctype == "text/plain" else htmls).append(str(content))
    if texts:
        return "\n".join(texts)
    return "\n".join(html_to_text(h) for h in htmls)


def message_date(msg: EmailMessage, tz: ZoneInfo) -> datetime | None:
    """The Date header in the case timezone (a date without zone is taken as local)."""
    raw = _header(msg, "Date")
    if not raw:
        return None
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return when.replace(tzinfo=tz) if when.tzinfo is None else when.astimezone(tz)


def render(msg: EmailMessage, offset: int, tz: ZoneInfo) -> tuple[str, Message]:
    """The message as text starting at `offset` in its document, and its `Message`."""
    lines: list[str] = []
    from_line: tuple[int, int] | None = None
    pos = offset
    for name in HEADER_LINES:
        value = _header(msg, name)
        if value is None:
            continue
        line = f"{name}: {value}"
        if name == "From":
            from_line = (pos, pos + len(line))
        lines.append(line)
        pos += len(line) + 1
    text = "\n".join(lines) + "\n\n" + _body(msg).strip("\n") + "\n"
    when = message_date(msg, tz)
    pairs = tuple(
        (name, addr)
        for name, addr in getaddresses([_header(msg, "To") or "", _header(msg, "Cc") or ""])
        if addr
    )
    recipients = tuple(f"{name} <{addr}>" if name else addr for name, addr in pairs)
    sender = _header(msg, "From")
    sender_pair = parseaddr(sender or "")
    info = Message(
        start=offset,
        end=offset + len(text),
        date=when.isoformat() if when else None,
        sender=sender,
        recipients=recipients,
        subject=_header(msg, "Subject"),
        from_addr=sender_pair if sender_pair[1] else None,
        to_addrs=pairs,
        from_line=from_line,
    )
    return text, info


def _parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def read_eml(path: Path, shown_as: str, tz: ZoneInfo) -> Document:
    data = path.read_bytes()
    if not data.strip():
        raise UnreadableEvidence("empty file")
    msg = _parse(data)
    if not any(msg.get(h) for h in ("From", "To", "Subject", "Date")):
        raise UnreadableEvidence("no email headers found (From, To, Subject or Date)")
    text, info = render(msg, 0, tz)
    return Document(shown_as, text, [info])


def read_mbox(path: Path, shown_as: str, tz: ZoneInfo) -> Document:
    box = mailbox.mbox(str(path), factory=None, create=False)
    parts: list[str] = []
    infos: list[Message] = []
    offset = 0
    unreadable: list[str] = []
    try:
        for n, key in enumerate(box.iterkeys(), 1):
            try:
                text, info = render(_parse(box.get_bytes(key)), offset, tz)
            except Exception as err:  # noqa: BLE001 - one bad message must not stop the rest
                unreadable.append(f"message {n}: {type(err).__name__}: {err}"[:200])
                continue
            parts.append(text)
            infos.append(info)
            offset += len(text) + 1
    finally:
        box.close()
    if not infos:
        why = "; ".join(unreadable[:3]) or "no messages found (no 'From ' separator lines)"
        raise UnreadableEvidence(why)
    return Document(shown_as, "\n".join(parts), infos, unreadable=unreadable)
