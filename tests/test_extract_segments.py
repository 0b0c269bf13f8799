"""Paragraphs folded for spaCy map back to exact offsets in the document."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.extract.segments import _fold

_WS = st.sampled_from([" ", "  ", "\n", "\n\n   ", "\t", " \r\n ", "\u00a0", "\u2003 ", "\x1c"])
_WORDS = st.text(st.characters(blacklist_categories=("Zs", "Zl", "Zp", "Cc")), min_size=1)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.tuples(_WS, _WORDS), min_size=1, max_size=20), _WS)
def test_extract_segments_every_word_maps_back_to_its_document_offsets(
    parts: list[tuple[str, str]], tail: str
) -> None:
    text = "".join(ws + w for ws, w in parts) + tail
    seg = _fold(text, 0, len(text))
    assert seg is not None
    assert seg.text == " ".join(text.split())
    at = 0
    for word in seg.text.split(" "):
        start, end = seg.span(at, at + len(word))
        assert text[start:end] == word
        at += len(word) + 1
    # a passage of several words maps to the document text from its first word to its last
    start, end = seg.span(0, len(seg.text))
    assert " ".join(text[start:end].split()) == seg.text
    assert (start, end) == (seg.raw_start, seg.raw_end)


def test_extract_segments_joining_space_maps_to_the_white_space_after_its_word() -> None:
    text = "We  signed\n\t the contract"
    seg = _fold(text, 0, len(text))
    assert seg is not None and seg.text == "We signed the contract"
    assert text[seg.at(2)] == " " and seg.at(2) == 2
    assert seg.at(9) == len("We  signed")
    assert text[seg.at(10) :].startswith("the")
