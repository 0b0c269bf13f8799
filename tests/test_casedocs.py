"""`Case.documents` reads documents from the case index when they are looked up
and keeps only a few (`checker.case.documents`, issue #6): `check` and its reports
decode each document once for the facts, then only the documents citations
need, and never hold more than the cache. Nothing here is timed: documents
are counted as they are decoded and while they are alive."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from typer.testing import CliRunner

from checker.case import documents as casedocs
from checker.case.documents import open_documents
from checker.case.load import load_case
from checker.check.checker import Checker
from checker.check.citations import _words
from checker.cli import app
from checker.ingest import index as index_module
from checker.ingest.document import Document
from checker.ingest.threads import original_of
from checker.report import FORMATS
from checker.report import docs as docs_report
from checker.report.context import ReportContext
from tests.conftest import DEFAULT_EMAIL, CaseBuilder
from tests.test_ingest_structure import CLAIM, NEAR_REDACTION, ORIGINAL, REPLY, contract_fact

UTC = ZoneInfo("UTC")


def email(n: int, body: str) -> str:
    return (
        DEFAULT_EMAIL.replace("Subject: Agreement", f"Subject: Note {n}")
        .replace("<m1@", f"<n{n}@")
        .replace("We signed the trial agreement today. It runs through June.", body)
    )


# The original, a reply quoting it (the cited document), one exact copy of the
# reply at another path, and ten emails that say nothing of the agreement.
OTHERS = {f"other{n}.eml": email(n, f"Lunch on day {n} is moved to noon.") for n in range(10)}
EMAILS = {"m1.eml": ORIGINAL, "m2.eml": REPLY, "m2-copy.eml": REPLY, **OTHERS}


class Decoded:
    """Every document decoded from the index: how many, and which are alive."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self.refs: list[weakref.ref[Document]] = []

    def live(self) -> int:
        gc.collect()
        return sum(1 for ref in self.refs if ref() is not None)


@pytest.fixture
def decoded(monkeypatch: pytest.MonkeyPatch) -> Decoded:
    seen = Decoded()
    decode = index_module.document_from_row

    def counting(row: tuple[Any, ...], locations: list[str]) -> Document:
        doc = decode(row, locations)
        seen.paths.append(doc.path)
        seen.refs.append(weakref.ref(doc))
        return doc

    monkeypatch.setattr(index_module, "document_from_row", counting)
    return seen


@pytest.fixture
def case(make_case: CaseBuilder) -> Path:
    root: Path = make_case(
        claims=yaml.safe_dump(CLAIM), facts=contract_fact("evidence/m2.eml"), emails=EMAILS
    )
    return root


def test_casedocs_keeps_at_most_the_cache_while_every_location_is_looked_up(
    case: Path, decoded: Decoded
) -> None:
    docs = open_documents(case, UTC, cache=2)
    try:
        assert sorted(docs) == sorted(f"evidence/{name}" for name in EMAILS)
        expected = {d.path: d.text for d in docs.index.documents()}
        for location in docs:
            doc = docs[location]
            assert doc.text == expected[doc.path] and location in doc.locations
            assert docs.kept() <= 2
        assert decoded.live() <= 2
        assert docs.get("evidence/none.eml") is None and "evidence/none.eml" not in docs
    finally:
        docs.close()


def test_casedocs_a_duplicates_paths_give_one_object_while_it_is_kept(case: Path) -> None:
    docs = open_documents(case, UTC, cache=2)
    try:
        assert docs["evidence/m2.eml"] is docs["evidence/m2-copy.eml"]
        assert docs["evidence/m2.eml"].locations == ["evidence/m2-copy.eml", "evidence/m2.eml"]
    finally:
        docs.close()


def test_casedocs_containing_decodes_only_documents_with_every_word(
    case: Path, decoded: Decoded
) -> None:
    docs = open_documents(case, UTC)
    try:
        found = [d.path for d in docs.containing(["trial", "agreement"])]
        assert found == ["evidence/m1.eml", "evidence/m2-copy.eml"]  # the reply's two paths: one
        assert decoded.paths == found
        assert [d.path for d in docs.containing(["Lunch", "day", "7"])] == ["evidence/other7.eml"]
    finally:
        docs.close()


def test_case_load_case_decodes_each_document_once_and_keeps_at_most_the_cache(
    case: Path, decoded: Decoded, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(casedocs, "CACHE", 2)
    loaded = load_case(case)

    # One pass for header and extracted facts, plus the analyst's cited reply.
    documents = sorted(f"evidence/{name}" for name in EMAILS if name != "m2.eml")
    assert sorted(decoded.paths) == sorted([*documents, "evidence/m2-copy.eml"])
    assert decoded.live() <= 2
    decoded.paths.clear()

    result = Checker(loaded).run()
    for render in FORMATS.values():
        render(result, ReportContext.of(loaded))

    # `check` and every report decode only the cited reply (its passage is in a
    # quote) and the documents holding the quoted passage's words (its original,
    # and the reply again).
    assert set(decoded.paths) <= {"evidence/m2-copy.eml", "evidence/m1.eml"}
    assert decoded.live() <= 2
    (claim,) = result.claims
    assert claim.citations[0].original is not None
    assert claim.citations[0].original["doc"] == "evidence/m1.eml"


def test_verdicts_words_of_a_quoted_passage_are_in_its_original() -> None:
    passage = "> We signed the trial\n>> agreement today.\n> >It runs"
    words = _words(passage)
    assert words == ["agreement", "signed", "today.", "trial"]
    original = Document("evidence/m1.eml", "We signed the trial agreement today. It runs")
    assert original_of(passage, [original]) is not None
    assert all(w in original.text for w in _words(passage, most=99))


def test_cli_show_decodes_only_the_document_asked_for(case: Path, decoded: Decoded) -> None:
    result = CliRunner().invoke(app, ["show", "evidence/other3.eml", str(case)])
    assert result.exit_code == 0, result.output
    assert "Lunch on day 3 is moved to noon." in result.stdout
    assert decoded.paths == ["evidence/other3.eml"]


def test_cli_docs_lists_every_document_holding_one_at_a_time(
    case: Path, decoded: Decoded, monkeypatch: pytest.MonkeyPatch
) -> None:
    alive: list[int] = []
    summary = docs_report.summary

    def counting(doc: Document) -> dict[str, Any]:
        alive.append(decoded.live())
        return summary(doc)

    monkeypatch.setattr(docs_report, "summary", counting)
    result = CliRunner().invoke(app, ["docs", str(case), "--files"])
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith("12 documents")
    assert len(decoded.paths) == 12 and max(alive) == 1


def test_cli_docs_lists_records_without_decoding_a_document(case: Path, decoded: Decoded) -> None:
    result = CliRunner().invoke(app, ["docs", str(case)])
    assert result.exit_code == 0, result.output
    assert "records" in result.stdout.splitlines()[-1]
    assert decoded.paths == []


def test_verdicts_cited_documents_without_redactions_or_quotes_are_not_read(
    make_case: CaseBuilder, decoded: Decoded
) -> None:
    root = make_case(
        claims=yaml.safe_dump(CLAIM), facts=contract_fact("evidence/m1.eml"), emails=EMAILS
    )
    loaded = load_case(root)
    decoded.paths.clear()

    (claim,) = Checker(loaded).run().claims

    # m1 has neither redactions nor quotes: its outline from the pass says so
    assert claim.verdict == "supported" and len(claim.citations) == 1
    assert claim.citations[0].original is None and claim.citations[0].redacted_nearby is None
    assert decoded.paths == []


def test_verdicts_a_redaction_next_to_a_citation_is_found_without_reading_the_document(
    make_case: CaseBuilder, decoded: Decoded
) -> None:
    emails = {**EMAILS, "m1.eml": NEAR_REDACTION}
    root = make_case(
        claims=yaml.safe_dump(CLAIM), facts=contract_fact("evidence/m1.eml"), emails=emails
    )
    loaded = load_case(root)
    decoded.paths.clear()

    (claim,) = Checker(loaded).run().claims

    assert claim.citations[0].redacted_nearby == ["(b)(6)"]
    assert decoded.paths == []  # the outline the one pass kept was enough
