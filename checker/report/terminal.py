"""Text made safe to print: control characters are shown, never obeyed.

Evidence is hostile: an email subject can carry ANSI/OSC escape sequences
that recolour, retitle or clear a terminal, or forge a hyperlink, and bidi
overrides that reorder what a reader sees. Everything the command line
writes goes through here (see `checker.cli.output`), so one rule covers
every command: C0 and C1 control characters, DEL and the bidi embedding,
override and isolate controls are shown as `\\x1b`, `\\x9b`, `\\u202e`; only
the layout characters a command asks to keep (newline and tab) pass.

JSON output is escaped by `json` already for C0 characters; `json_printable`
escapes the rest of the same set as `\\u` escapes, so the JSON still parses
to the same strings.
"""

from __future__ import annotations

import re

LAYOUT = "\n\t"
"""What line-oriented output keeps: newlines and tabs."""
PAGED = LAYOUT + "\f"
"""What a document's text keeps as well: form feeds, where its pages break."""

_BEYOND_C0 = (
    "\x7f-\x9f"  # DEL and C1 (0x9b is a one-byte CSI to some terminals)
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates
)
_UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_UNSAFE_IN_JSON = re.compile(f"[{_BEYOND_C0}]")  # json escapes C0 in strings itself


def _visible(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep: str = LAYOUT) -> str:
    """`text` with every control character except those in `keep` shown as an escape."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m[0] if m[0] in keep else _visible(m[0]), text)


def json_printable(text: str) -> str:
    """JSON text with the control characters `json` leaves raw written as `\\uXXXX`.

    Such characters can only stand inside JSON strings, where `\\uXXXX` means
    the same character, so the data is unchanged."""
    if not _UNSAFE_IN_JSON.search(text):
        return text
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
