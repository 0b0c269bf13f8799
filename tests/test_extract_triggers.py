"""The cheap tests that decide which patterns the Matcher runs on a sentence.

`Candidates.of` must give exactly the patterns `possible` lets through, for
any set of words: it only makes the test cheaper, never different.
"""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from checker import data
from checker.extract.packs import load_packs
from checker.extract.triggers import Candidates, Requirement, possible, requirement
from checker.model.facttypes import FactType

_NLP = spacy.blank("en")


def _matched() -> list[tuple[str, Requirement | None]]:
    types = {t.type: t for t in (FactType.model_validate(raw) for raw in data.fact_types())}
    return [
        (pat.id, requirement(pat.match, _NLP.vocab.strings))
        for pack in load_packs(types)
        for pat in pack.patterns
        if pat.match and not pat.needs_model
    ]


MATCHED = _matched()
CANDIDATES = Candidates(MATCHED)
# every word some pattern requires, and a few no pattern does
VOCAB = sorted({h for _, req in MATCHED for alt, _ in req or () for ws in alt for h in ws})
VOCAB += [_NLP.vocab.strings.add(w) for w in ("zebra", "quietly", "Tuesday")]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.sets(st.sampled_from(VOCAB), max_size=12))
def test_extract_triggers_candidates_are_exactly_the_possible_patterns(words: set[int]) -> None:
    want = tuple(pid for pid, req in MATCHED if possible(req, words))
    assert CANDIDATES.of(words) == want


def test_extract_triggers_a_sentence_without_required_words_has_no_candidates() -> None:
    words = {_NLP.vocab.strings.add(w) for w in ("zebra", "quietly")}
    assert CANDIDATES.of(words) == ()


def test_extract_triggers_pattern_without_required_words_is_always_a_candidate() -> None:
    loose = [{"IS_ALPHA": True, "OP": "+"}]
    strict = [{"LOWER": "signed"}]
    matched = [
        ("strict", requirement([strict], _NLP.vocab.strings)),
        ("loose", requirement([loose], _NLP.vocab.strings)),
    ]
    cands = Candidates(matched)
    assert cands.of(set()) == ("loose",)
    assert cands.of({_NLP.vocab.strings["signed"]}) == ("strict", "loose")
