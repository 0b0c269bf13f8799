"""The case or its evidence, loaded for a command, with progress and warnings."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from checker.case.load import Case, load_case
from checker.case.meta import case_timezone
from checker.cli.output import progress, say
from checker.errors import CaseNotFound
from checker.ingest.index import Index, open_index


def loaded_case(case: Path, **options: object) -> Case:
    """`load_case`, with its warnings (review decisions that no longer apply) on stderr."""
    with progress("Reading evidence"):  # load_case refreshes the case index
        loaded = load_case(case, **options)  # type: ignore[arg-type]
    for warning in loaded.warnings:
        say(f"Warning: {warning}", err=True)
    return loaded


def evidence_root(case: Path) -> Path:
    """`case`, once it is a folder with evidence/ in it."""
    if not case.is_dir():
        raise CaseNotFound(case, "no such folder")
    if not (case / "evidence").is_dir():
        raise CaseNotFound(case, "no evidence/ folder here")
    return case


@contextmanager
def case_index(case: Path) -> Iterator[Index]:
    """The case's index brought up to date, to read documents from one at a time."""
    root = evidence_root(case)
    with open_index(root, case_timezone(root)) as index:
        with progress("Reading evidence") as tick:
            index.update(tick)
        yield index
