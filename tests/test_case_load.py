"""`load_case(keep_unused=False)`, what `check` and `explain` use (issue #6):
extracted facts that verdicts can never use are dropped as they are read, and
the verdicts, review decisions and their warnings are the same as with every
fact kept. The extractor is the fake from test_extract_review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.extraction.review import Decision, write_decision
from checker.report import FORMATS
from checker.report.context import ReportContext
from tests.conftest import DEFAULT_EMAIL, CaseBuilder
from tests.test_extract_review import CLAIMS, install

SECOND = DEFAULT_EMAIL.replace("<m1@", "<m2@").replace("Subject: Agreement", "Subject: Again")


def _same_verdicts(root: Path, **options: Any) -> tuple[list[str], list[str]]:
    """The json report with and without unused facts; the extracted ids of each."""
    full, lean = load_case(root, **options), load_case(root, keep_unused=False, **options)
    reports = [FORMATS["json"](Checker(c).run(), ReportContext.of(c)) for c in (full, lean)]
    assert reports[0] == reports[1]
    assert [f.id for f in full.facts] == [f.id for f in lean.facts]
    assert [str(w) for w in full.warnings] == [str(w) for w in lean.warnings]
    return [f.id for f in full.extracted], [f.id for f in lean.extracted]


def test_case_load_case_without_unused_drops_facts_below_the_threshold(
    make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch, confidence=0.5)
    root = make_case(claims=CLAIMS, emails={"m1.eml": DEFAULT_EMAIL, "m2.eml": SECOND})

    full, lean = _same_verdicts(root)

    assert len(full) == 2 and lean == []


def test_case_load_case_without_unused_drops_every_suggested_fact_when_confirmed_only(
    make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch, confidence=0.9)
    root = make_case(claims=CLAIMS, emails={"m1.eml": DEFAULT_EMAIL, "m2.eml": SECOND})

    assert _same_verdicts(root)[1] != []
    full, lean = _same_verdicts(root, confirmed_only=True)
    assert len(full) == 2 and lean == []


def test_case_load_case_without_unused_keeps_reviewed_facts_and_warnings(
    make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch, confidence=0.5)
    root = make_case(claims=CLAIMS, emails={"m1.eml": DEFAULT_EMAIL, "m2.eml": SECOND})
    first, second = load_case(root).extracted
    write_decision(root, Decision(fact=first.id, decision="accept"))
    write_decision(root, Decision(fact=second.id[:-1] + "z", decision="reject"))  # a typo

    full, lean = _same_verdicts(root)

    assert lean == [first.id] and len(full) == 2
    (warning,) = load_case(root, keep_unused=False).warnings
    assert f"Did you mean '{second.id}'?" in str(warning)
