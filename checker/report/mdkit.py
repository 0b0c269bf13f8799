"""Case and evidence text made inert in the Markdown reports (markdown, questions,
exhibits).

Markdown renderers pass raw HTML through, and turn `[text](url)`,
`![alt](src)`, `[text][ref]` with `[ref]: url`, and `<scheme:...>` into links
and images. An email subject or a quoted passage is evidence, so it must reach
the reader as the text it is. `md` folds white space onto one line and
escapes what could become markup:

- `<` as `&lt;`, so no tag, comment or autolink can open; an email address
  in angle brackets (`Ann <ann@example.org>`, as senders are written) is kept,
  since it can only become a `mailto:` link;
- `&` as `&amp;` where it starts a character reference, so `&lt;` in the
  evidence reads as written;
- `]` as `\\]` where a link, image or link definition would follow (`](`,
  `][`, `]:`), and `\\` as `\\\\`, so the evidence cannot undo an escape.

`md_code` puts an id in a code span that no backtick in it can close.

Other text is left as it is, so an ordinary report reads the same raw or
rendered.
"""

from __future__ import annotations

import re

from checker.report.text import fold

_EMAIL_AUTOLINK = re.compile(  # CommonMark's email autolink, which renders as mailto: only
    r"<[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*>"
)
_REFERENCE = re.compile(r"&(?=#[0-9]+;|#[xX][0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")
_LINK_CLOSE = re.compile(r"\](?=[(\[:])")
_TICKS = re.compile(r"`+")


def _inert(text: str) -> str:
    text = text.replace("\\", "\\\\")
    text = _REFERENCE.sub("&amp;", text)
    text = text.replace("<", "&lt;")
    return _LINK_CLOSE.sub("\\\\]", text)


def md(value: object) -> str:
    """`value` as Markdown text on one line that renders as itself: no HTML, links
    or images."""
    text = fold(str(value))
    out, pos = [], 0
    for m in _EMAIL_AUTOLINK.finditer(text):
        out += [_inert(text[pos : m.start()]), m[0]]
        pos = m.end()
    out.append(_inert(text[pos:]))
    return "".join(out)


def md_cell(value: object) -> str:
    """`md`, for a table cell: `|` escaped too."""
    return md(value).replace("|", "\\|")


def md_code(value: object) -> str:
    """`value` as an inline code span (nothing in it is markup), fenced with more
    backticks than it holds in a row."""
    text = fold(str(value))
    fence = "`" * (1 + max((len(t) for t in _TICKS.findall(text)), default=0))
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
