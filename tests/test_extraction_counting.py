"""When a fact counts (checker/extraction/counting.py), one row per rule."""

from __future__ import annotations

import pytest

from checker.extraction.counting import Counting, confirmed, superseded
from checker.model.facts import Fact, Passage


def fact(fid: str, status: str = "suggested", confidence: float | None = 0.7,
         origin: str = "extractor", doc: str = "evidence/a.eml", span: tuple[int, int] = (0, 10),
         type_: str = "meeting") -> Fact:
    return Fact(id=fid, type=type_, roles={}, status=status, origin=origin, confidence=confidence,
                source=Passage(doc=doc, quote="x" * (span[1] - span[0]), start=span[0],
                               end=span[1]))


@pytest.mark.parametrize(
    ("status", "confidence", "counting", "superseded_by", "counts", "why"),
    [
        pytest.param("confirmed", None, Counting(), None, True, None, id="confirmed"),
        pytest.param("confirmed", None, Counting(confirmed_only=True), None, True, None,
                     id="confirmed-with-confirmed-only"),
        pytest.param("suggested", 0.7, Counting(0.7), None, True, None,
                     id="suggested-exactly-at-the-threshold-counts"),
        pytest.param("suggested", 0.69, Counting(0.7), None, False, "below the threshold 0.7",
                     id="suggested-below"),
        pytest.param("suggested", None, Counting(0.0), None, True, None,
                     id="suggested-without-confidence-at-zero-threshold"),
        pytest.param("suggested", 0.95, Counting(confirmed_only=True), None, False,
                     "--confirmed-only", id="suggested-with-confirmed-only"),
        pytest.param("suggested", 0.95, Counting(), "f-1", False,
                     "the analyst fact f-1 codes this passage", id="superseded"),
        pytest.param("rejected", 0.95, Counting(), None, False, None, id="rejected-never"),
    ],
)
def test_extraction_counting_rule_table(
    status: str, confidence: float | None, counting: Counting, superseded_by: str | None,
    counts: bool, why: str | None,
) -> None:
    f = fact("x-1", status, confidence)
    assert counting.counts(f, superseded_by) is counts
    assert counting.why_not(f, superseded_by) == why


def test_extraction_counting_select_keeps_coded_then_counting_extracted() -> None:
    coded = [fact("f-1", "confirmed", None, "analyst", span=(0, 20))]
    extracted = [
        fact("x-over", span=(5, 15)),  # overlaps the analyst's passage: superseded
        fact("x-other-doc", doc="evidence/b.eml", span=(5, 15)),
        fact("x-other-type", type_="contract", span=(5, 15)),
        fact("x-low", confidence=0.1, doc="evidence/c.eml"),
    ]
    facts, covered = Counting(0.7).select(coded, extracted)
    assert [f.id for f in facts] == ["f-1", "x-other-doc", "x-other-type"]
    assert covered == {"x-over": "f-1"}
    assert [f.id for f in confirmed(facts)] == ["f-1"]


def test_extraction_counting_superseded_follows_where_a_fact_is() -> None:
    """Placed by record, an analyst's fact in one copy of an email supersedes the
    extractor's in another copy."""
    coded = [fact("f-1", "confirmed", None, "analyst", doc="evidence/inbox/1.eml")]
    copy = fact("x-copy", doc="evidence/sent/7.eml")
    assert superseded([copy], coded) == {}
    same_email = {"evidence/inbox/1.eml": "r1", "evidence/sent/7.eml": "r1"}

    def where(f: Fact) -> tuple[str, int, int] | None:
        s = f.source
        return None if s is None else (same_email[s.doc], s.start, s.end)

    assert superseded([copy], coded, where) == {"x-copy": "f-1"}
