"""MIME parts of a parsed message: decoded headers, body texts and attachment parts.

Headers are decoded from their raw values (8-bit bytes and RFC 2047 words in
the charset they really use); the modern policy's structured headers are
not used: they are about ten times slower, raise on addresses such as
`.palmer@enron.com` and turn 8-bit bytes into U+FFFD. Bodies are decoded
from their bytes by `charset.decode_body`.
"""

from __future__ import annotations

from email.header import decode_header
from email.message import Message as MimeMessage
from email.utils import collapse_rfc2231_value

from checker.ingest.charset import decode_body, decode_bytes, fix_surrogates
from checker.ingest.htmltext import html_to_text, meta_charset

_BODY_TYPES = ("text/plain", "text/html")
_ALTERNATIVE_RANK = {"text/plain": 0, "text/html": 1}


def _decode_words(raw: str, hint: str | None) -> str:
    try:
        chunks = decode_header(raw)
    except Exception:  # noqa: BLE001 - hostile header: keep its raw text
        return raw
    return "".join(
        decode_bytes(chunk, cs or hint) if isinstance(chunk, bytes) else chunk
        for chunk, cs in chunks
    )


def _raw_header(msg: MimeMessage, name: str, hint: str | None) -> str | None:
    """A header decoded leniently from its raw value: 8-bit bytes and encoded words in
    the charset they really use. (The modern policy's structured headers are slower
    tenfold, raise on addresses like `.palmer@enron.com` and turn 8-bit bytes into
    U+FFFD, so they are not used.)"""
    for key, raw in msg.raw_items():
        if key.lower() == name.lower():
            return _decode_words(fix_surrogates(str(raw), hint), hint)
    return None


def header(msg: MimeMessage, name: str, hint: str | None = None) -> str | None:
    """A header's decoded value on one line, or None when absent. `hint` is the charset
    to try first for raw 8-bit bytes in it."""
    text = _raw_header(msg, name, hint)
    return None if text is None else " ".join(text.split())


def charset_of(part: MimeMessage) -> str | None:
    """The charset a part declares, or None."""
    try:
        return part.get_content_charset()
    except Exception:  # noqa: BLE001
        return None


def part_bytes(part: MimeMessage) -> bytes:
    """A part's payload with its transfer encoding undone (raw when that fails)."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - broken transfer encoding: use the raw text
        payload = None
    if isinstance(payload, bytes):
        return payload
    raw = part.get_payload()
    return raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else b""


def part_text(part: MimeMessage) -> str:
    """A text/plain or text/html part's text (HTML as what a reader sees)."""
    data = part_bytes(part)
    declared = charset_of(part)
    cte = str(part.get("Content-Transfer-Encoding") or "")
    if part.get_content_type() == "text/html":
        return html_to_text(decode_body(data, declared or meta_charset(data), cte))
    return decode_body(data, declared, cte)


def _is_attachment(part: MimeMessage) -> bool:
    try:
        if part.get_content_disposition() == "attachment" or part.get_filename():
            return True
    except Exception:  # noqa: BLE001 - unparseable disposition: list it, do not inline it
        return True
    return part.get_content_type() not in _BODY_TYPES


def _children(part: MimeMessage) -> list[MimeMessage]:
    payload = part.get_payload()
    return [p for p in payload if isinstance(p, MimeMessage)] if isinstance(payload, list) else []


def body_and_attachments(msg: MimeMessage) -> tuple[list[str], list[MimeMessage]]:
    """The body texts and the attachment parts, in order. Of a multipart/alternative only
    the best non-empty version is read: plain text, else HTML, else a sub-multipart."""
    bodies: list[str] = []
    attachments: list[MimeMessage] = []

    def visit(part: MimeMessage, level: int) -> None:
        ctype = part.get_content_type()
        if ctype.startswith("message/") or level > 100:
            attachments.append(part)
        elif not part.is_multipart():
            if ctype.startswith("multipart/"):  # boundary missing: the stdlib keeps raw text
                bodies.append(decode_body(part_bytes(part), charset_of(part)))
            elif _is_attachment(part):
                attachments.append(part)
            else:
                bodies.append(part_text(part))
        elif ctype == "multipart/alternative":
            children = [c for c in _children(part) if isinstance(c, MimeMessage)]
            children.sort(key=lambda c: _ALTERNATIVE_RANK.get(c.get_content_type(), 2))
            for child in children:
                if child.is_multipart():
                    visit(child, level + 1)
                    return
                if child.get_content_type() in _BODY_TYPES and not _is_attachment(child):
                    text = part_text(child)
                    if text.strip():
                        bodies.append(text)
                        return
        else:
            for sub in _children(part):
                if isinstance(sub, MimeMessage):
                    visit(sub, level + 1)

    visit(msg, 0)
    return bodies, attachments


def size_of(part: MimeMessage) -> int:
    """A part's size in bytes as sent."""
    try:
        return len(part.as_bytes())
    except Exception:  # noqa: BLE001
        return 0


def filename_of(part: MimeMessage) -> str | None:
    """The file name a part gives itself (display text only), or None."""
    try:
        name = part.get_filename() or part.get_param("name", header="content-type")
        if isinstance(name, tuple):
            name = collapse_rfc2231_value(name)
        return str(name) if name else None
    except Exception:  # noqa: BLE001
        return None
