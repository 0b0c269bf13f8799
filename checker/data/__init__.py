"""The built-in data, each entry with an id: fact types (`types.yaml`), rules
(`rules.yaml`), the extraction pattern packs (`patterns/`, one file per
fact type), the words that make a sentence no pattern read a lead (`leads.yaml`),
the bulk-mail signals (`bulk.yaml`) and the free-mail providers
(`freemail.yaml`). This folder is the only list of them: code, tests and
benchmarks read it from here."""

from __future__ import annotations

from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
TYPES = HERE / "types.yaml"
RULES = HERE / "rules.yaml"
PATTERNS = HERE / "patterns"
LEADS = HERE / "leads.yaml"


def fact_type_names() -> tuple[str, ...]:
    """The built-in fact types, in the order types.yaml lists them."""
    return tuple(str(t["type"]) for t in fact_types())


def fact_types() -> list[dict[str, object]]:
    """The built-in fact types as types.yaml writes them (`FactType` fields)."""
    return list(yaml.safe_load(TYPES.read_text(encoding="utf-8")))


def extracted_types() -> tuple[str, ...]:
    """The fact types the built-in pattern packs propose (each pack's `fact`), in
    types.yaml order: the types extraction's quality tables must cover."""
    packs = {
        yaml.safe_load(p.read_text(encoding="utf-8")).get("fact") for p in PATTERNS.glob("*.yaml")
    }
    return tuple(t for t in fact_type_names() if t in packs)
