"""Maildir messages: files with no extension (or a bare trailing dot) under evidence/.

CMU's Enron layout (`maildir/<custodian>/<folder>/<n>.`) and classic maildir
(`cur/`, `new/`, `tmp/`) keep one RFC 822 message per file with no suffix.
A file is read as a message only if it starts with header lines; anything
else with no extension is skipped with that reason.
"""

from __future__ import annotations

import re
from pathlib import Path
from zoneinfo import ZoneInfo

from checker.ingest.document import Document
from checker.ingest.email import read_message
from checker.ingest.unreadable import SkippedEvidence

_FIELD = re.compile(rb"^[!-9;-~]+:")
_KNOWN = re.compile(rb"^(from|to|subject|date|message-id|received|return-path|cc|sender):", re.I)
_SNIFF_LINES = 60


def looks_like_message(data: bytes) -> bool:
    """Whether `data` starts with RFC 822 headers: its first line is a header field and
    the header block holds at least one of From, To, Subject, Date, Message-ID, Received,
    Return-Path, Cc or Sender. An mbox-style "From " first line is allowed."""
    lines = data[:16384].splitlines()
    if lines and lines[0].startswith(b"From "):
        lines = lines[1:]
    if not lines or not _FIELD.match(lines[0]):
        return False
    for line in lines[:_SNIFF_LINES]:
        if not line.strip():
            break
        if _KNOWN.match(line):
            return True
    return False


def read_maildir(path: Path, shown_as: str, tz: ZoneInfo) -> Document:
    """A maildir file as one message; skipped when it does not start with headers."""
    data = path.read_bytes()
    if not looks_like_message(data):
        raise SkippedEvidence(
            "no extension and not an email message (does not start with RFC 822 headers)"
        )
    return read_message(data, shown_as, tz, "maildir")
