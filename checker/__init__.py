"""checker: public statements against public-records evidence.

    import checker
    case = checker.load_case("my-case")          # read, cross-check, extract, review
    result = checker.check_case(case)            # a verdict per claim, with citations
    print(checker.render(result, case, "markdown"))
    case.close()

The pipeline, one package a stage (docs/architecture.md has the whole map):

    ingest/      evidence files -> documents with offsets, in the SQLite case index
    extract/     spaCy and the pattern packs -> suggested facts (spaCy only here)
    extraction/  running extract/ over a case, its cache, review, and when a
                 suggested fact counts (counting.py, the only place that decides)
    case/        a case folder read, cross-checked and loaded, in one pass
    engine/      rules derive facts; claims evaluate to outcomes (model/ only)
    check/       outcomes -> verdicts with citations, proofs and notes
    report/      the output formats, each from the verdicts and a ReportContext
    cli/         the thin typer app
    model/       entities, fact types, facts, patterns, claims, verdicts
    data/        built-in fact types, rules and pattern packs (YAML, with ids)

Errors are `checker.errors.CheckerError`s that say what to do next.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "FORMATS",
    "Case",
    "CaseInvalid",
    "CaseResult",
    "CheckerError",
    "__version__",
    "check_case",
    "load_case",
    "render",
]

if TYPE_CHECKING:
    from checker.case.load import Case
    from checker.errors import CaseInvalid, CheckerError
    from checker.model.verdicts import CaseResult
    from checker.report import FORMATS

# Imported when first asked for, so that `import checker.ingest` (a worker
# process, a benchmark) does not load the whole package.
_LAZY = {
    "Case": ("checker.case.load", "Case"),
    "CaseInvalid": ("checker.errors", "CaseInvalid"),
    "CaseResult": ("checker.model.verdicts", "CaseResult"),
    "CheckerError": ("checker.errors", "CheckerError"),
    "FORMATS": ("checker.report", "FORMATS"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'checker' has no attribute {name!r}")


def load_case(root: str | Path, **options: Any) -> Case:
    """Read, cross-check and load the case folder at `root` (`CaseInvalid` lists
    every problem). Options: `model`, `confirmed_only`, `force_extraction`,
    `keep_unused` (see `checker.case.load.load_case`)."""
    from checker.case.load import load_case as load

    return load(Path(root), **options)


def check_case(case: Case) -> CaseResult:
    """Every claim of a loaded case: its verdict, reason, citations and proof."""
    from checker.check.checker import Checker

    return Checker(case).run()


def render(result: CaseResult, case: Case | None = None, format: str = "json") -> str:
    """`result` in one of the output formats (`FORMATS`: table, json, markdown,
    html, claimreview, exhibits, exhibits-csv, questions, csv); `case` gives
    the reports names, case.yaml's fields and the cited records."""
    from checker.errors import UnknownFormat
    from checker.report import FORMATS
    from checker.report.context import ReportContext

    if format not in FORMATS:
        raise UnknownFormat(format, sorted(FORMATS))
    return FORMATS[format](result, ReportContext.of(case) if case is not None else None)
