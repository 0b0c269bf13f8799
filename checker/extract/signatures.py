"""Signature blocks: the name / title / organisation lines that close a message.

"Maria Lopez\\nSuperintendent, Riverton USD" is a block; so is
"Ravi Patel\\nLincoln Elementary". A block is a paragraph of 2 to 5 short
lines, none ending like a sentence, whose first line looks like a name
(one to four capitalised words). Only the last such paragraph of a message's
own text counts (attachments after it aside).
"""

from __future__ import annotations

import re

from checker.extract.segments import Segment

_NAME = re.compile(r"^(?:[A-Z][\w.'’-]*)(?:\s+[A-Z][\w.'’-]*){0,3}$")
_MAX_LINE = 70


def is_signature(raw: str) -> bool:
    """`raw` (one paragraph as written, line breaks kept) is a signature block."""
    lines = [ln.strip() for ln in raw.strip().splitlines() if ln.strip()]
    if not 2 <= len(lines) <= 5 or not _NAME.match(lines[0]):
        return False
    return all(len(ln) <= _MAX_LINE and not ln.endswith((".", "?", "!", ":")) for ln in lines)


def signature_index(text: str, segs: list[Segment]) -> int | None:
    """Index in `segs` of the message's signature block, or None."""
    for i in range(len(segs) - 1, -1, -1):
        raw = text[segs[i].raw_start : segs[i].raw_end]
        if raw.startswith("[Attachment:"):
            continue
        return i if is_signature(raw) else None
    return None
