"""`stream_extraction` (issue #6): one pass over the documents, a few of them
alive at a time whatever their number, and a cache that an interrupted run
leaves as it was. The extractor is the fake from test_extract_review."""

from __future__ import annotations

import sqlite3
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from checker.case.extract import extract_case
from checker.case.load import load_case
from checker.errors import CheckerError
from checker.extraction import run as extraction
from checker.extraction.run import stream_extraction
from checker.extraction.settings import ExtractionSettings
from checker.ingest.document import Document
from checker.ingest.index import open_index
from checker.model.facts import Fact
from checker.parallel import Runner
from tests.conftest import CaseBuilder
from tests.test_extract_review import SENTENCE, FakeExtractor, install

CHUNK = 4
UTC = ZoneInfo("UTC")


def documents(n: int) -> list[tuple[str, str]]:
    return [(f"{i:08x}" + "0" * 56, f"evidence/m{i:04}.eml") for i in range(n)]


def run_stream(root: Path, n: int) -> tuple[int, int, list[str]]:
    """Extract `n` made-up documents, made one by one as the pass asks for them;
    the most documents alive at once, the number of `each` calls, the facts."""
    made_so_far: list[weakref.ref[Document]] = []
    most = calls = 0
    found: list[str] = []
    ids = documents(n)

    def made() -> Iterator[Document]:
        for doc_id, path in ids:
            doc = Document(path, f"Hello.\n{SENTENCE}\n", id=doc_id, locations=[path])
            made_so_far.append(weakref.ref(doc))
            yield doc

    def each(doc: Document, facts: list[Fact]) -> None:
        nonlocal most, calls
        alive = sum(1 for ref in made_so_far if ref() is not None)
        most, calls = max(most, alive), calls + 1
        found.extend(f.id for f in facts)

    case = load_case(root)
    with open_index(root, UTC) as index:
        stream_extraction(
            index,
            ids,
            made(),
            case.entities,
            case.types,
            ExtractionSettings(),
            each,
            runner=Runner(workers=1, chunk=CHUNK),
        )
    return most, calls, found


def test_extraction_stream_keeps_a_few_documents_alive_whatever_their_number(
    make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch)
    small = run_stream(make_case(name="small"), 20)
    large = run_stream(make_case(name="large"), 400)

    assert (small[1], large[1]) == (20, 400)  # each document once
    assert len(set(large[2])) == 400  # and its fact
    # Alive at once: the runner's look-ahead and one batch, not the corpus.
    assert large[0] == small[0] <= 3 * CHUNK


def _extracted(root: Path) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(root / ".checker" / "index.sqlite")
    try:
        return con.execute("SELECT * FROM extracted ORDER BY rowid").fetchall()
    finally:
        con.close()


class Failing(FakeExtractor):
    """The fake, until it has seen `after` documents; then the case's fault (a bad pack)."""

    def __init__(self, after: int):
        super().__init__()
        self.after = after

    def __call__(self, documents: Any, *args: Any, **kwargs: Any) -> list[Fact]:
        docs = list(documents)
        self.after -= len(docs)
        if self.after < 0:
            raise CheckerError("a pattern pack is broken")
        return super().__call__(docs, *args, **kwargs)


def test_extraction_stream_interrupted_run_leaves_the_cache_as_it_was(
    make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    emails = {f"m{n}.eml": f"Subject: {n}\n\n{SENTENCE}\n" for n in range(40)}
    root = make_case(emails=emails)
    install(monkeypatch)
    extract_case(root)
    before = _extracted(root)
    with (root / "entities.yaml").open("a") as f:
        f.write("\n")  # another extraction version: everything is extracted again
    monkeypatch.setattr(extraction, "extractor", lambda: Failing(after=20))

    with pytest.raises(CheckerError, match="pattern pack is broken"):
        extract_case(root)

    assert len(before) == 40 and _extracted(root) == before


def test_extraction_every_fact_from_the_cache_needs_no_extractor(
    make_case: CaseBuilder, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch)
    root = make_case()
    first = load_case(root)

    def not_needed() -> None:
        raise AssertionError("the extractor (spaCy) was imported for a fully cached run")

    monkeypatch.setattr(extraction, "extractor", not_needed)
    again = load_case(root)

    assert [f.id for f in again.extracted] == [f.id for f in first.extracted] != []
    assert again.extraction is not None and again.extraction.available
    assert (again.extraction.cached, again.extraction.read) == (1, 0)
