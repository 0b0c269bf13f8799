"""The built-in data, each entry with an id: fact types (`types.yaml`), rules
(`rules.yaml`) and the extraction pattern packs (`patterns/`, one file per
fact type). This folder is the only list of them: code, tests and benchmarks
read it from here."""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
TYPES = HERE / "types.yaml"
RULES = HERE / "rules.yaml"
PATTERNS = HERE / "patterns"


def fact_type_names() -> tuple[str, ...]:
    """The built-in fact types, in the order types.yaml lists them."""
    return tuple(t["type"] for t in yaml.safe_load(TYPES.read_text(encoding="utf-8")))
