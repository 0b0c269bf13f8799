"""Web addresses in a case (case.yaml `url` and `publisher.url`, a claim's `url`).

They are published as links (ClaimReview JSON-LD), so only `http://` and
`https://` addresses with a host are accepted: a `javascript:` or `data:`
address, or one with spaces or control characters in it, is a validation
problem at its file and line.
"""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import AfterValidator

_BLANK_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f-\x9f]")


def web_url(value: str) -> str:
    """`value`, unchanged, when it is an http(s) address with a host; else ValueError."""
    fix = "write the full address, starting with https:// (or http://)"
    if _BLANK_OR_CONTROL.search(value):
        raise ValueError(f"{value!r} has spaces or control characters in it; {fix}")
    try:
        parts = urlsplit(value)
    except ValueError as err:
        raise ValueError(f"{value!r} is not a web address ({err}); {fix}") from None
    if parts.scheme.lower() not in ("http", "https"):
        scheme = f"a {parts.scheme}: address" if parts.scheme else "not a web address"
        raise ValueError(f"{value!r} is {scheme}, not http(s); {fix}")
    if not parts.hostname:
        raise ValueError(f"{value!r} names no host; {fix}")
    return value


WebUrl = Annotated[str, AfterValidator(web_url)]
"""A `str` field that must hold an http(s) address."""
