"""Whole cases end to end: the spec's example, the bundled case, our fixture cases.

Each case's verdicts must equal its expected verdicts, and every citation's
quote must be exactly the cited document's text at its offsets.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker.case.load import Case, load_case
from checker.check.checker import Checker
from checker.model.verdicts import CaseResult
from checker.report.explain import render_explain
from tests.conftest import FIXTURE_CASES, copy_case

#: The founding case's answers (issue #2), paraphrased statement -> verdict.
BUNDLED_EXPECTED = {
    "no-institutional-relationship": "contradicted",
    "tested-clearview": "supported",
    "limited-photo-set": "contradicted",
    "no-immigration-sharing": "unresolved",
    "fis-approved-only": "contradicted",
}


def run(path: Path) -> tuple[Case, CaseResult]:
    case = load_case(path)
    return case, Checker(case).run()


def assert_citations_exact(case: Case, result: CaseResult) -> int:
    """Every citation's quote is the document's text at start:end; returns how many."""
    n = 0
    for claim in result.claims:
        if claim.verdict != "unresolved":
            assert claim.citations, f"{claim.id} is {claim.verdict} without a citation"
        for c in claim.citations:
            if c.doc == "case.yaml":
                text = (case.root / "case.yaml").read_text(encoding="utf-8")
            else:
                text = case.documents[c.doc].text
            assert text[c.start : c.end] == c.quote, f"{claim.id}: {c.doc} [{c.start}:{c.end}]"
            assert c.quote.strip(), f"{claim.id}: empty quote"
            n += 1
    return n


def fixture_cases() -> list[Path]:
    return sorted(p for p in FIXTURE_CASES.glob("*") if (p / "expected.yaml").is_file())


def test_cases_spec_example_gives_expected_verdicts(spec_case: Path) -> None:
    expected = yaml.safe_load((spec_case / "expected.yaml").read_text())
    _, result = run(spec_case)
    assert {c.id: c.verdict for c in result.claims} == expected


def test_cases_spec_example_citations_are_exact(spec_case: Path) -> None:
    case, result = run(spec_case)
    assert assert_citations_exact(case, result) > 0


def test_cases_bundled_case_gives_the_reported_verdicts(bundled_case: Path) -> None:
    _, result = run(bundled_case)
    assert {c.id: c.verdict for c in result.claims} == BUNDLED_EXPECTED


def test_cases_bundled_citations_are_exact_and_reconstructed(bundled_case: Path) -> None:
    case, result = run(bundled_case)
    assert assert_citations_exact(case, result) > 0
    for claim in result.claims:
        for c in claim.citations:
            assert c.doc.startswith("evidence/reconstructed/"), c.doc


def test_cases_bundled_evidence_is_labelled_reconstruction(bundled_case: Path) -> None:
    for path in (bundled_case / "evidence" / "reconstructed").glob("*.eml"):
        head = path.read_text(encoding="utf-8")
        assert "X-Checker-Reconstruction: yes" in head, path.name
        assert "RECONSTRUCTION" in head, path.name
    assert "reconstruction" in (bundled_case / "evidence" / "README.md").read_text().lower()


def test_cases_bundled_unresolved_claim_says_what_is_missing(bundled_case: Path) -> None:
    _, result = run(bundled_case)
    claim = next(c for c in result.claims if c.verdict == "unresolved")
    assert claim.missing and "data_sharing" in claim.missing
    assert "referral" in claim.reason  # the referral on record is named, and set apart


@pytest.mark.parametrize("claim_id", sorted(BUNDLED_EXPECTED))
def test_cases_bundled_explain_reaches_the_quotes(claim_id: str, bundled_case: Path) -> None:
    case, _ = run(bundled_case)
    checker = Checker(case)
    result = checker.result(*checker.outcome(claim_id))
    text = render_explain(result)
    assert f"Verdict: {result.verdict.upper()}" in text
    for c in result.citations:
        assert " ".join(c.quote.split()) in text
    if result.verdict != "unresolved":
        assert "Source:" in text


@pytest.mark.parametrize("path", fixture_cases(), ids=lambda p: p.name)
def test_cases_fixture_case_gives_expected_verdicts(path: Path, tmp_path: Path) -> None:
    expected = yaml.safe_load((path / "expected.yaml").read_text())
    case, result = run(copy_case(path, tmp_path / path.name))
    assert {c.id: c.verdict for c in result.claims} == expected
    assert_citations_exact(case, result)


def test_cases_fixture_cases_cover_every_verdict() -> None:
    seen = set()
    for path in fixture_cases():
        seen.update(yaml.safe_load((path / "expected.yaml").read_text()).values())
    assert seen == {"supported", "contradicted", "unresolved"}


def _leaves_have_sources(node: dict) -> bool:
    if "premises" in node:
        return all(_leaves_have_sources(p) for p in node["premises"])
    return "source" in node


def test_cases_every_proof_reaches_a_source_quote(spec_case: Path, bundled_case: Path) -> None:
    for path in (bundled_case, spec_case):
        _, result = run(path)
        stack = [c.derivation for c in result.claims]
        while stack:
            d = stack.pop()
            stack.extend(d.get("parts", []))
            for node in d.get("facts", []):
                assert _leaves_have_sources(node), node["fact"]
