"""Documents to index rows and back, exactly: tuples stay tuples, nested records
come back as their dataclasses, offsets unchanged.

The decoder follows the dataclasses' type hints, so a field another module
adds to `Message`, `Page`, `Redaction` or `Attachment` round-trips without a
change here (the index's schema fingerprint rebuilds old indexes).
"""

from __future__ import annotations

import dataclasses
import json
import types
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from checker.ingest.document import Document, Message, Page, Redaction

# Columns of the index's `documents` table holding Document fields; the rest
# (a field another module adds) go to `extra`. Path and locations come from `files`.
_OWN = {"path", "text", "id", "kind", "locations"}
_PARTS = {
    "messages": list[Message],
    "pages": list[Page],
    "redactions": list[Redaction],
    "warnings": list[str],
}


def encode(value: Any) -> Any:
    """Plain JSON-ready data: dataclasses become dicts, tuples lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: encode(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if not f.name.startswith("_")
        }
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return get_type_hints(cls)


def decode(hint: Any, value: Any) -> Any:
    """`value` (from `encode`) rebuilt as the type `hint` names."""
    if value is None:
        return None
    origin = get_origin(hint)
    if origin is Union or origin is types.UnionType:
        options = [a for a in get_args(hint) if a is not type(None)]
        return decode(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in value)
        return tuple(decode(a, v) for a, v in zip(args, value, strict=False))
    if origin is list:
        (item,) = get_args(hint) or (Any,)
        return [decode(item, v) for v in value]
    if origin is dict:
        _, item = get_args(hint) or (Any, Any)
        return {k: decode(item, v) for k, v in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        return hint(**{k: decode(hints[k], v) for k, v in value.items() if k in hints})
    return value


def dumps(value: Any) -> str:
    """Compact, deterministic JSON of `encode(value)`."""
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def loads(hint: Any, text: str) -> Any:
    """The inverse of `dumps` for a value of type `hint`."""
    return decode(hint, json.loads(text))


def document_row(key: str, doc: Document) -> tuple[Any, ...]:
    """(key, id, kind, text, messages, pages, redactions, warnings, extra) for `doc`."""
    extra = {
        f.name: getattr(doc, f.name)
        for f in dataclasses.fields(doc)
        if not f.name.startswith("_") and f.name not in _OWN and f.name not in _PARTS
    }
    parts = [dumps(getattr(doc, name)) for name in _PARTS]
    return (key, doc.id, doc.kind, doc.text, *parts, dumps(extra))


def document_from_row(row: tuple[Any, ...], locations: list[str]) -> Document:
    """The Document stored as `row`, found at `locations` (sorted; the first is `path`)."""
    _, doc_id, kind, text, *parts, extra = row
    hints = _hints(Document)
    more = {k: decode(hints[k], v) for k, v in json.loads(extra).items() if k in hints}
    fields = {
        name: loads(hint, value) for (name, hint), value in zip(_PARTS.items(), parts, strict=True)
    }
    return Document(
        path=locations[0],
        text=text,
        id=doc_id,
        kind=kind,
        locations=list(locations),
        **fields,
        **more,
    )
