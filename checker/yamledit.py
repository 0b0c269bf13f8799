"""Editing one entry of a YAML list of mappings in place, for files people also edit
by hand (review.yaml, analyst facts files).

`set_entry` replaces or inserts one entry and leaves every other byte as it
was: the header, other entries, comments between and after them, the order,
the indentation. The entry it replaces is edited with ruamel.yaml's round-trip
loader, so comments inside it (`note: ...  # why`) stay too. Where the entries
are not a block list that can be cut into pieces (a flow list `[...]`), the
whole document goes through the round trip instead, which keeps its comments
but may re-lay it out.

Values are written so that the project's own loader (`yamlfile`, PyYAML's
YAML 1.1 rules) reads them back as they were given: a note `yes` or `on` is
quoted, or it would come back a boolean.

A command that edits such a file holds a lock while it reads, changes and
writes it (`locked`), so two at once both keep their change, and replaces the
file by renaming a new one over it (`replace_file`), so nobody reads half a
file.
"""

from __future__ import annotations

import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

from checker.yamlfile import LineList, load_value

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one writer at a time
    fcntl = None  # type: ignore[assignment]

Match = Callable[[Any], bool]


def _round_trip() -> YAML:
    rt = YAML()  # round-trip mode: comments, key order and quoting are kept
    rt.preserve_quotes = True
    rt.width = 4096  # never re-wrap a hand-written line
    rt.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return rt


def _reads_back(text: str) -> bool:
    try:
        return load_value(text) == text
    except yaml.YAMLError:
        return False


def safe_value(value: Any) -> Any:
    """`value` with every string that would not read back as itself when written plain
    (`yes`, `1_000`, `null`, `a: b`) marked for double quotes. A string already given a
    style (`quoted`) keeps it, and a list made by `flow` stays on one line."""
    if isinstance(value, ScalarString):
        return value
    if isinstance(value, CommentedSeq) and value.fa.flow_style():
        return flow(safe_value(list(value)))
    if isinstance(value, str):
        return value if _reads_back(value) else DoubleQuotedScalarString(value)
    if isinstance(value, dict):
        return {safe_value(str(k)): safe_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [safe_value(v) for v in value]
    return value


def quoted(text: str) -> DoubleQuotedScalarString:
    """`text` to be written in double quotes, as people write quotes by hand; every
    character (a line break, a tab) is kept, escaped where it must be."""
    return DoubleQuotedScalarString(text)


def flow(items: Sequence[Any]) -> CommentedSeq:
    """A list to be written on one line, `[acme, vendor]`, as people write short lists
    by hand."""
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _dump(data: Any, rt: YAML) -> str:
    buf = io.StringIO()
    rt.dump(data, buf)
    return buf.getvalue()


def _indent(text: str, column: int) -> str:
    pad = " " * column
    return "".join(pad + line if line.strip() else line for line in text.splitlines(True))


def _dedent(text: str, column: int) -> str:
    out = []
    for line in text.splitlines(True):
        if not line.strip() or line[:column].strip():
            out.append(line.lstrip(" "))  # a blank line, or a comment left of the entry
        else:
            out.append(line[column:])
    return "".join(out)


def _update(entry: CommentedMap, values: dict[str, Any], order: Sequence[str]) -> None:
    """`entry` made to hold exactly `values`: kept keys stay where they are (with their
    comments), dropped ones go, new ones are inserted where `order` puts them."""
    for key in [k for k in entry if k not in values]:
        del entry[key]
    rank = {k: i for i, k in enumerate(order)}
    for key, value in values.items():
        if key in entry:
            entry[key] = safe_value(value)
            continue
        later = [i for i, k in enumerate(entry) if rank.get(k, len(order)) > rank.get(key, -1)]
        entry.insert(later[0] if later else len(entry), key, safe_value(value))


def _line_start(text: str, pos: int) -> int:
    return text.rfind("\n", 0, pos) + 1


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end + 1


class _Item:
    """Where one list entry is in the text: from the start of its `-` line to the end
    of its last line; `column` is the column of its `-`."""

    def __init__(self, start: int, end: int, column: int):
        self.start, self.end, self.column = start, end, column


def _between(line: str, column: int) -> bool:
    """A blank line, or a comment no deeper than the entries' `-`: it belongs between
    entries (above the next one, or at the end of the file), not to the one before."""
    body = line.lstrip(" ")
    return not body.strip() or (body.startswith("#") and len(line) - len(body) <= column)


def _items(text: str, data: LineList) -> list[_Item] | None:
    """Each entry's place in `text`, or None when the list is not a block list whose
    entries each begin on a `-` line of their own."""
    lines = text.splitlines(True)
    offsets = [0]
    for row in lines:
        offsets.append(offsets[-1] + len(row))
    starts: list[tuple[int, int]] = []  # line index of the "-", its column
    for line in data.item_lines:
        i = line - 1
        if not lines[i].lstrip(" ").startswith("-"):
            if i == 0 or lines[i - 1].strip() != "-":
                return None  # a flow list, or entries that do not start with "-"
            i -= 1  # a lone "-" above the entry
        if starts and i <= starts[-1][0]:
            return None  # two entries on a line
        starts.append((i, len(lines[i]) - len(lines[i].lstrip(" "))))
    items = []
    for n, (first, column) in enumerate(starts):
        last = (starts[n + 1][0] if n + 1 < len(starts) else len(lines)) - 1
        while last > first and _between(lines[last], column):
            last -= 1
        items.append(_Item(offsets[first], offsets[last + 1], column))
    return items


def _comment_run_start(text: str, lo: int, hi: int) -> int:
    """The start of the comment lines right above `hi` (no blank line between), not
    before `lo`; `hi` when there are none."""
    start = hi
    while start > lo:
        prev = _line_start(text, start - 1)
        if prev < lo or not text[prev:start].lstrip(" ").startswith("#"):
            break
        start = prev
    return start


def set_entry(
    text: str,
    data: LineList | None,
    values: dict[str, Any],
    same: Match,
    after: Match,
    order: Sequence[str],
    header: str = "",
) -> str:
    """`text` (a YAML list of mappings, `data` as `yamlfile` loaded it) with the entry
    that `same` picks set to `values` (other entries `same` picks are removed), or,
    when none is picked, `values` inserted before the first entry that sorts `after`
    it (else at the end). `header` starts a file that has no entries yet."""
    rt = _round_trip()
    if not data:
        new = CommentedMap()
        _update(new, values, order)
        body = text if text.strip() else header
        return body + ("" if not body or body.endswith("\n") else "\n") + _dump([new], rt)
    items = _items(text, data)
    if items is None:
        return _whole(text, values, same, after, order, rt)
    picked = [i for i, value in enumerate(data) if same(value)]
    edits: list[tuple[int, int, str]] = []  # start, end, replacement
    if picked:
        first = items[picked[0]]
        piece = _dedent(text[first.start : first.end], first.column)
        doc = rt.load(piece)
        _update(doc[0], values, order)
        edits.append((first.start, first.end, _indent(_dump(doc, rt), first.column)))
        edits += [(items[i].start, items[i].end, "") for i in picked[1:]]
    else:
        k = next((i for i, value in enumerate(data) if after(value)), len(data))
        column = items[0].column
        new = CommentedMap()
        _update(new, values, order)
        entry = _indent(_dump([new], rt), column)
        if k == len(data):
            at = items[-1].end
        else:
            lo = items[k - 1].end if k else 0
            at = _comment_run_start(text, lo, items[k].start)
            if k == 0 and at == 0:
                at = items[0].start  # the comments above are the file's header
        if at == len(text) and not text.endswith("\n"):
            entry = "\n" + entry
        edits.append((at, at, entry))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def append_entry(
    text: str, data: LineList | None, values: dict[str, Any], order: Sequence[str], header: str = ""
) -> str:
    """`text` (as for `set_entry`) with `values` added as the list's last entry, laid
    out like the last one: after a blank line when a blank line sets that one apart
    from the entry before it. Comments after the last entry stay where they are,
    below the new one."""
    new = set_entry(
        text, data, values, same=lambda _: False, after=lambda _: False, order=order, header=header
    )
    items = _items(text, data) if data and len(data) > 1 else None
    if not items:
        return new
    gap = text[items[-2].end : items[-1].start]  # blank lines and comments between them
    if all(line.strip() for line in gap.splitlines()):
        return new
    at = items[-1].end  # where set_entry put the new entry
    return new[:at] + "\n" + new[at:]


def _whole(
    text: str, values: dict[str, Any], same: Match, after: Match, order: Sequence[str], rt: YAML
) -> str:
    """`set_entry` by a round trip of the whole document (a flow list). The comment
    lines before the list are kept as they are (the round trip would drop them)."""
    lines = text.splitlines(True)
    n = next((i for i, line in enumerate(lines) if not _between(line, len(line))), len(lines))
    head, body = "".join(lines[:n]), "".join(lines[n:])
    doc = rt.load(body)
    if not isinstance(doc, CommentedSeq):
        raise ValueError("expected a list")
    picked = [i for i, value in enumerate(doc) if same(value)]
    if picked:
        for i in reversed(picked[1:]):
            del doc[i]
        _update(doc[picked[0]], values, order)
    else:
        new = CommentedMap()
        _update(new, values, order)
        doc.insert(next((i for i, value in enumerate(doc) if after(value)), len(doc)), new)
    return head + _dump(doc, rt)


# -- writing -------------------------------------------------------------------
@contextmanager
def locked(lock: Path) -> Iterator[None]:
    """Hold the lock file `lock` (made, with its folder, when missing): one command
    at a time reads, changes and writes the file it guards, so two people editing
    at once both keep their change."""
    lock.parent.mkdir(exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def replace_file(path: Path, text: str) -> None:
    """`path` replaced by `text` at once: written to a temporary file in the same
    folder, then renamed over it, so a reader sees the old file or the new one."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o644
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
