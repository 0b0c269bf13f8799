"""Safe YAML loading that remembers line numbers.

Mappings load as `LineDict` and sequences as `LineList`: ordinary dicts and
lists that also know the line each key or item starts on, so that a
validation error can name `file:line`. Only the safe loader is used (evidence
and case files are untrusted), and timestamps stay strings so that a date's
precision (`2019`, `2018-12`, `2018-12-03`) is kept as written.

Case files are untrusted in size and shape too: a file over `MAX_YAML_BYTES`
is refused unread, and a document is checked before it is built, so that a
few lines of anchors and aliases (a "billion laughs" bomb) or a value nested
hundreds of levels deep is a `Problem` at once instead of minutes of work
(or a `RecursionError`) later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from checker.errors import Problem

MAX_YAML_BYTES = 16 * 1024 * 1024  # case files are hand-written; this is far beyond one
MAX_ALIAS_EXPANSION = 10_000  # values that aliases may add to a document, in all
MAX_YAML_DEPTH = 64  # nesting of lists and mappings; a case file needs fewer than ten


class LineDict(dict[str, Any]):
    """A mapping from YAML with `line` (its first line) and `key_lines`."""

    line: int = 0
    key_lines: dict[str, int]
    value_spans: dict[str, tuple[int, int]]  # character offsets of each value in the file


class LineList(list[Any]):
    """A sequence from YAML with `line` and `item_lines`."""

    line: int = 0
    item_lines: list[int]


# libyaml's safe loader when PyYAML was built with it (the wheels are): same
# nodes, marks and safety, about six times faster than the pure-Python parser.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type,misc]
    pass


# Keep dates as written: `2018-12-03` must not become a datetime.date, and
# `2019` stays distinguishable from a number by the role it fills.
_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    out.value_spans = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in out:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
        out.value_spans[key] = (value_node.start_mark.index, value_node.end_mark.index)
    return out


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlError(Exception):
    """A YAML file could not be read; carries the `Problem` to report."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


_WRITE_OUT = "write the values out instead of using &anchors and *aliases"


def check_nodes(root: yaml.Node, shown_as: str) -> None:
    """Refuse a composed document that would be dangerous to build: nested deeper than
    `MAX_YAML_DEPTH`, an alias inside its own anchor (a loop), or aliases adding more
    than `MAX_ALIAS_EXPANSION` values. Linear in the distinct nodes, whatever the
    aliases would expand to."""
    done: set[int] = set()
    path: set[int] = {id(root)}
    post: list[yaml.Node] = []  # children before their parent
    stack = [(root, iter(_children(root)))]
    while stack:
        node, kids = stack[-1]
        child = next(kids, None)
        if child is None:
            stack.pop()
            path.discard(id(node))
            done.add(id(node))
            post.append(node)
        elif id(child) in path:
            raise YamlError(
                Problem(
                    shown_as,
                    _line(child),
                    f"an alias refers to the value that holds it "
                    f"(a loop without end); {_WRITE_OUT}",
                )
            )
        elif id(child) not in done:
            if len(stack) >= MAX_YAML_DEPTH:
                raise YamlError(
                    Problem(
                        shown_as,
                        _line(child),
                        f"lists and mappings nested more than "
                        f"{MAX_YAML_DEPTH} deep; a case file needs a few levels, flatten it",
                    )
                )
            path.add(id(child))
            stack.append((child, iter(_children(child))))
    allowed = len(post) + MAX_ALIAS_EXPANSION
    size: dict[int, int] = {}
    for node in post:
        size[id(node)] = n = 1 + sum(size[id(c)] for c in _children(node))
        if n > allowed:
            raise YamlError(
                Problem(
                    shown_as,
                    _line(node),
                    f"anchors and aliases expand this value to more "
                    f"than {MAX_ALIAS_EXPANSION:,} extra values (each *alias is a full copy "
                    f"of its &anchor); {_WRITE_OUT}",
                )
            )


def _load(text: str, shown_as: str) -> Any:
    """The one document in `text`, checked by `check_nodes` before it is built."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        check_nodes(node, shown_as)
        return loader.construct_document(node)
    finally:
        loader.dispose()


def load_yaml(path: Path, shown_as: str) -> Any:
    """Load one YAML file safely; raise `YamlError` naming `shown_as:line`."""
    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise YamlError(
                Problem(
                    shown_as,
                    1,
                    f"{size / 2**20:.0f} MB is too large for a case file "
                    f"(at most {MAX_YAML_BYTES // 2**20} MB); split it into several files",
                )
            )
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        raise YamlError(
            Problem(shown_as, 1, f"not UTF-8 text ({err.reason}); save it as UTF-8")
        ) from None
    except OSError as err:
        raise YamlError(Problem(shown_as, 1, f"cannot read: {err.strerror}")) from None
    try:
        return _load(text, shown_as)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        what = err.problem or err.context or "invalid YAML"
        raise YamlError(
            Problem(shown_as, line, f"YAML syntax error: {what}; check indentation and quoting")
        ) from None
    except yaml.YAMLError as err:
        raise YamlError(Problem(shown_as, 1, f"YAML error: {err}")) from None


def load_value(text: str) -> Any:
    """One YAML value from a command-line string (`[a, b]`, `2020-03`), safely, with
    dates kept as written, as case files read them. Raises `yaml.YAMLError` for text
    that is not YAML or that `check_nodes` refuses, as the callers expect."""
    try:
        return _load(text, "value")
    except YamlError as err:
        raise yaml.YAMLError(err.problem.message) from None


def line_of(data: Any, loc: tuple[Any, ...], default: int = 1) -> int:
    """The line of the deepest node on `loc` (a pydantic error location)."""
    line = getattr(data, "line", default) or default
    node = data
    for part in loc:
        if isinstance(node, LineDict) and isinstance(part, str) and part in node:
            line = node.key_lines.get(part, line)
            node = node[part]
        elif isinstance(node, LineList) and isinstance(part, int) and 0 <= part < len(node):
            line = node.item_lines[part]
            node = node[part]
        else:
            break
    return line
