"""A cheap test of which patterns may match a paragraph, before the Matcher runs.

Most paragraphs of a production match no pattern, and the Matcher (and the
near-miss name search before it) costs several times what tokenizing does.
A token pattern's tokens that must be there (no `?`, `*`, `{0,n}` or `!`)
and that name their words (`LOWER`, `ORTH`, `TEXT`: a word or an `IN` list)
each need one of those words in the paragraph, or the pattern cannot match.
The test errs one way only: it may let a paragraph through that does not
match, never the reverse.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.strings import StringStore, get_string_id

#: English stop words and punctuation (by hash): the words most sentences have
_COMMON = frozenset(
    get_string_id(w) for w in (*STOP_WORDS, *",.;:!?'\"()-/&", "'s", "n't")
)
_ZERO_OK = re.compile(r"^(?:\?|\*|!|\{0?,\d*\}|\{0\})$")
_WORD_KEYS = ("LOWER", "ORTH", "TEXT")

# Alternatives, one of which must be met; each: sets of word hashes (lowercased),
# one word of every set needed, and sets of entity labels (`ENT_TYPE`), one label
# of every set needed among the paragraph's entities.
Alternative = tuple[tuple[frozenset[int], ...], tuple[frozenset[str], ...]]
Requirement = tuple[Alternative, ...]


def _words(token: dict[str, Any]) -> set[str] | None:
    """The lowercased words one token pattern must be, or None (not a required word)."""
    if _ZERO_OK.match(str(token.get("OP", ""))):
        return None
    for key in _WORD_KEYS:
        value = token.get(key)
        if isinstance(value, str):
            return {value.lower()}
        if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
            if value["IN"] and all(isinstance(w, str) for w in value["IN"]):
                return {w.lower() for w in value["IN"]}
    return None


def requirement(
    patterns: Sequence[list[dict[str, Any]]], strings: StringStore
) -> Requirement | None:
    """What a paragraph needs for one of `patterns` (the alternatives of one pattern
    id) to match. None: no test (an alternative with no required word)."""
    out = []
    for pattern in patterns:
        lists = [w for w in (_words(t) for t in pattern) if w]
        if not lists:
            return None
        words = tuple(frozenset(strings.add(w) for w in ws) for ws in lists)
        labels = tuple(ls for ls in (_labels(t) for t in pattern) if ls)
        out.append((words, labels))
    return tuple(out)


def _labels(token: dict[str, Any]) -> frozenset[str] | None:
    """The entity labels a required token pattern must have, or None."""
    if _ZERO_OK.match(str(token.get("OP", ""))):
        return None
    value = token.get("ENT_TYPE")
    if isinstance(value, str) and value:
        return frozenset([value])
    if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], list):
        if value["IN"] and all(isinstance(v, str) and v for v in value["IN"]):
            return frozenset(value["IN"])
    return None


def possible(req: Requirement | None, words: set[int], labels: set[str] | None = None) -> bool:
    """The paragraph with `words` (and, once known, entity `labels`) may match a
    pattern with requirement `req`."""
    if req is None:
        return True
    return any(
        all(not ws.isdisjoint(words) for ws in alt_words)
        and (labels is None or all(not ls.isdisjoint(labels) for ls in alt_labels))
        for alt_words, alt_labels in req
    )


class Candidates:
    """Which patterns a sentence may match, from its words, without a test per pattern.

    Every required word set of every alternative (see `requirement`) is one bit;
    each word knows the bits of the sets it is in and the alternatives it
    touches. A sentence's words give the bits it meets; an alternative it
    touches is met when all of its bits are. Entity labels are tested later,
    with `possible`, once near-miss names are known."""

    def __init__(self, matched: Sequence[tuple[str, Requirement | None]]):
        self.order = {pid: n for n, (pid, _) in enumerate(matched)}
        self.always = tuple(pid for pid, req in matched if req is None)
        #: per alternative: its pattern id and the bits of its word sets
        self.alts: list[tuple[str, int]] = []
        bits: dict[int, int] = {}
        touches: dict[int, set[int]] = {}
        bit = 1
        for pid, req in matched:
            for alt_words, _ in req or ():
                mask = 0
                for ws in alt_words:
                    mask |= bit
                    for h in ws:
                        bits[h] = bits.get(h, 0) | bit
                    bit <<= 1
                # filed under its least common word set, so that ',' or 'the' do
                # not make every sentence test every pattern
                for h in min(alt_words, key=lambda ws: (sum(map(self._common, ws)), len(ws))):
                    touches.setdefault(h, set()).add(len(self.alts))
                self.alts.append((pid, mask))
        self.bits = bits
        self.touches = {h: frozenset(a) for h, a in touches.items()}
        self.keys = frozenset(bits)

    @staticmethod
    def _common(h: int) -> int:
        """1 if the word with hash `h` is a stop word or punctuation, else 0."""
        return int(h in _COMMON)

    def of(self, words: set[int]) -> tuple[str, ...]:
        """The ids of patterns whose required words are all in `words`, in pack order."""
        met = 0
        touched: set[int] = set()
        for h in self.keys.intersection(words):
            met |= self.bits[h]
            if h in self.touches:
                touched |= self.touches[h]
        found = {pid for pid, mask in map(self.alts.__getitem__, touched) if mask & met == mask}
        if self.always:
            found.update(self.always)
        return tuple(sorted(found, key=self.order.__getitem__))


def lacking(req: Requirement | None, words: set[int]) -> tuple[frozenset[int], ...]:
    """For `checker why`: the required word sets `words` lacks, when it has some of a
    pattern's required words but not all: of the alternative that lacks fewest
    among those with a required word there that is not a stop word. Empty when
    an alternative is met, or none comes that near."""
    best: tuple[frozenset[int], ...] = ()
    for alt_words, _ in req or ():
        missing = tuple(ws for ws in alt_words if ws.isdisjoint(words))
        if not missing:
            return ()
        there = {h for ws in alt_words for h in ws & words}
        if there - _COMMON and (not best or len(missing) < len(best)):
            best = missing
    return best
