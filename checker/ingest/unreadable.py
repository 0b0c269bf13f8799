"""Why an evidence file gave no document: it failed, or it was skipped on purpose.

These never leave `checker.ingest.evidence.read_one`, which turns them into a
`FileRecord` with status `failed` or `skipped` and the message as its reason.
"""

from __future__ import annotations


class UnreadableEvidence(Exception):
    """An evidence file that cannot be read; the message is the reason."""


class SkippedEvidence(UnreadableEvidence):
    """A file that is not read, on purpose and for a reason the user can act on
    (needs OCR, a password, an optional extra; not an email message)."""
