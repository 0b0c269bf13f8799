"""pydantic validation that reports `file:line: message` problems.

Models refuse unknown keys (`extra="forbid"`), so a misspelt key is an
error that names the key, its line and the closest valid key.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from checker.errors import Problem, did_you_mean
from checker.yamlfile import line_of

M = TypeVar("M", bound=BaseModel)


def _message(model: type[BaseModel], err: Any) -> str:
    loc = err["loc"]
    key = str(loc[-1]) if loc else ""
    where = ".".join(str(x) for x in loc)
    if err["type"] == "extra_forbidden":
        return (
            f"unknown key '{key}'."
            + did_you_mean(key, list(model.model_fields))
            + (f" Keys: {', '.join(model.model_fields)}.")
        )
    if err["type"] == "missing":
        return f"missing required key '{key}'"
    if err["type"] == "literal_error":
        allowed = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in allowed.replace(" or ", ",").split(",") if c.strip()]
        return (
            f"'{err['input']}' is not allowed for '{where}'; use one of: {allowed}."
            + did_you_mean(str(err["input"]), choices)
        )
    return f"'{where}': {err['msg']}"


def validate(model: type[M], raw: Any, path: str, problems: list[Problem]) -> M | None:
    """`model` built from `raw`, or None with every problem appended."""
    if not isinstance(raw, dict):
        problems.append(
            Problem(
                path,
                getattr(raw, "line", 1) or 1,
                f"expected a mapping of keys for {model.__name__.lower()}, "
                f"got {type(raw).__name__}",
            )
        )
        return None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt required key is one problem ('qoute' -> 'quote'), not also a missing one.
        fields = list(model.model_fields)
        misspelt = {
            hint.split("'")[1]
            for e in errors
            if e["type"] == "extra_forbidden" and (hint := did_you_mean(str(e["loc"][-1]), fields))
        }
        for err in errors:
            if err["type"] == "missing" and err["loc"] and err["loc"][-1] in misspelt:
                continue
            problems.append(Problem(path, line_of(raw, tuple(err["loc"])), _message(model, err)))
        return None
