"""`extract_case`, the streaming path of `checker extract` (issue #6): the same
index, counts and warnings as `load_case(force_extraction=True)`, with every
document read from the index once and analysts' quotes checked against the
documents they cite. The extractor is the fake from test_extract_review."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from checker.case.extract import ExtractSummary, extract_case
from checker.case.load import Case, load_case
from checker.errors import CaseInvalid
from checker.ingest import index as index_module
from checker.ingest.document import Document
from tests.conftest import DEFAULT_EMAIL, CaseBuilder
from tests.test_extract_review import SENTENCE, install
from tests.test_parallel import dump

OTHER = "The meeting is moved to Friday."


def email(n: int, body: str = SENTENCE) -> str:
    return (
        DEFAULT_EMAIL.replace("Subject: Agreement", f"Subject: Note {n}")
        .replace("<m1@", f"<m{n}@")
        .replace("We signed the trial agreement today.", body)
    )


# Six messages, four with the contract sentence; m1 is coded by an analyst too.
EMAILS = {f"m{n}.eml": email(n, SENTENCE if n <= 4 else OTHER) for n in range(1, 7)}
FACTS = f"""\
- id: f-trial
  fact: contract
  parties: [acme, vendor]
  kind: trial
  from: 2020-03-03
  source:
    doc: evidence/m1.eml
    quote: "{SENTENCE}"
"""


@pytest.fixture
def case(make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch) -> Path:
    install(monkeypatch, confidence=0.9)
    root: Path = make_case(emails=EMAILS, facts=FACTS)
    return root


def _copy(root: Path, name: str) -> Path:
    return Path(
        shutil.copytree(root, root.parent / name, ignore=shutil.ignore_patterns(".checker"))
    )


def _counts(loaded: Case) -> dict[str, Any]:
    """What `checker extract` printed from a loaded case before it streamed."""
    in_facts = {id(f) for f in loaded.facts}
    statuses = [f.status for f in loaded.extracted]
    return {
        "facts": len(statuses),
        "suggested": statuses.count("suggested"),
        "used": sum(1 for f in loaded.extracted if f.status == "suggested" and id(f) in in_facts),
        "rejected": statuses.count("rejected"),
        "warnings": [str(w) for w in loaded.warnings],
    }


def _summary(s: ExtractSummary) -> dict[str, Any]:
    return {
        "facts": s.facts,
        "suggested": s.suggested,
        "used": s.used,
        "rejected": s.rejected,
        "warnings": [str(w) for w in s.warnings],
    }


def _same_as_load_case(root: Path) -> ExtractSummary:
    """extract_case on one copy, load_case on another: the same counts, run and index."""
    streamed, loaded = _copy(root, "streamed"), _copy(root, "loaded")
    summary = extract_case(streamed)
    expected = load_case(loaded, force_extraction=True)
    assert _summary(summary) == _counts(expected)
    run, want = summary.run, expected.extraction
    assert want is not None
    assert (run.documents, run.read, run.cached, run.warnings) == (
        want.documents,
        want.read,
        want.cached,
        want.warnings,
    )
    assert dump(streamed) == dump(loaded)
    return summary


def test_case_extract_case_counts_and_index_match_load_case(case: Path) -> None:
    summary = _same_as_load_case(case)

    # Four contracts; m1's passage is the analyst's, so three are used.
    assert (summary.facts, summary.suggested, summary.used) == (4, 4, 3)


def test_case_extract_case_applies_review_decisions_like_load_case(case: Path) -> None:
    ids = {f.source.doc: f.id for f in load_case(case).extracted if f.source}
    near_miss = ids["evidence/m2.eml"][:-1] + "Z"
    (case / "review.yaml").write_text(
        f"- fact: {ids['evidence/m2.eml']}\n  decision: accept\n"
        f"- fact: {ids['evidence/m3.eml']}\n  decision: reject\n"
        f"- fact: {ids['evidence/m4.eml']}\n  decision: correct\n  roles: {{kind: pilot}}\n"
        "- fact: x-gone\n  decision: accept\n"
        f"- fact: {near_miss}\n  decision: reject\n"
        "- fact: f-trial\n  decision: accept\n"
    )

    summary = _same_as_load_case(case)

    assert (summary.facts, summary.suggested, summary.rejected, summary.used) == (4, 1, 1, 0)
    text = "\n".join(str(w) for w in summary.warnings)
    assert "fact 'x-gone' was not extracted this time" in text
    assert f"Did you mean '{ids['evidence/m2.eml']}'?" in text
    assert "fact 'f-trial' is an analyst or header fact" in text


def test_case_extract_case_second_run_takes_every_fact_from_the_index(case: Path) -> None:
    extract_case(case)

    again = extract_case(case)

    assert (again.run.read, again.run.cached, again.facts) == (0, 6, 4)


def test_case_extract_case_bad_correction_is_invalid_after_extraction(case: Path) -> None:
    fid = next(f.id for f in load_case(case).extracted)
    (case / "review.yaml").write_text(f"- fact: {fid}\n  decision: correct\n  roles: {{kind: x}}\n")

    with pytest.raises(CaseInvalid, match="'x' is not allowed for role 'kind'"):
        extract_case(case)


def test_case_extract_case_reads_each_document_once(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    decode = index_module.document_from_row

    def counting(row: tuple[Any, ...], locations: list[str]) -> Document:
        read.append(locations[0])
        return decode(row, locations)

    monkeypatch.setattr(index_module, "document_from_row", counting)

    extract_case(case)  # extracts all six
    first, read[:] = list(read), []
    extract_case(case)  # every fact from the index

    # Each document once for extraction, and m1 once more for the analyst's quote.
    for run in (first, read):
        assert sorted(run) == sorted(["evidence/m1.eml", *(f"evidence/{n}" for n in EMAILS)])


def test_case_extract_case_quote_not_in_the_cited_document_is_invalid(
    make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch)
    root = make_case(emails=EMAILS, facts=FACTS.replace(SENTENCE, "We never signed."))

    with pytest.raises(CaseInvalid, match="quote not found in evidence/m1.eml"):
        extract_case(root)
