"""What extraction did with one message, sentence by sentence, for `checker why`.

`Extractor.explain` (pipeline.py) runs the pipeline's own steps on one
message with a `Trace`, and each decision reports to it where it is made:

- which patterns' required words a sentence holds (triggers.py), and which
  of those its entity kinds rule out;
- which of the rest the Matcher matched, and which match overlapped an
  earlier one of the same pattern;
- the language phenomena around each match (language.py), with the words
  that showed them, and whether the pattern `allow`s them;
- the roles each match filled (roles.py), and the required role, `at_least`
  or `distinct` that left it without a fact; the facts it gave.

Nothing here decides anything: a run without a trace makes the same facts.
Quoted history, which extraction never reads (segments.py), is cut into
sentences too, only to say which patterns' words it holds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.strings import StringStore
from spacy.tokens import Doc, Span

from checker.extract.context import Sentence
from checker.extract.mentions import mentions
from checker.extract.packs import PackPattern
from checker.extract.segments import Segment, body_start, quoted_spans
from checker.extract.triggers import Candidates, Requirement, lacking
from checker.ingest.document import Document, Message
from checker.model.facts import Fact

# What became of a pattern in a sentence, in the order the pipeline decides.
QUOTED = "quoted history"  # the sentence is quoted history: never read
ENTITY_KIND = "entity kind"  # its words are here; no name of the kind it needs
NO_MATCH = "no match"  # its words are here; its token pattern does not match
OVERLAP = "overlap"  # a match inside an earlier match of the same pattern
LANGUAGE = "language"  # negation, modal, future, question, reported, not allowed
ROLES = "roles"  # matched; a required role, at_least, distinct or each left no fact
FIRED = "fired"  # gave facts
OUTCOMES = (QUOTED, ENTITY_KIND, NO_MATCH, OVERLAP, LANGUAGE, ROLES, FIRED)


@dataclass(frozen=True)
class Named:
    """An entity named in a sentence, at document offsets; `near_miss`: found by
    the near-miss search (a typo or OCR error), not by its exact name."""

    eid: str
    kind: str
    text: str
    start: int
    end: int
    near_miss: bool


@dataclass
class Attempt:
    """One pattern in one sentence: how far it got (`outcome`, one of OUTCOMES)
    and why it stopped there, in the words of the step that stopped it."""

    pattern: str
    fact: str
    outcome: str
    reason: str = ""
    trigger: tuple[int, int] | None = None  # document offsets of the matched words
    cues: dict[str, str] = field(default_factory=dict)  # phenomenon -> the word(s) showing it
    allowed: tuple[str, ...] = ()  # those of `cues` the pattern allows
    roles: dict[str, list[Any]] = field(default_factory=dict)  # each role's values
    base: float | None = None  # the pattern's confidence, before the factors
    near_miss: bool = False  # a role rests on a near-miss name
    confidence: float | None = None  # the facts' confidence: base, lowered by both
    facts: list[Fact] = field(default_factory=list)


@dataclass(frozen=True)
class Partial:
    """A pattern with some of its required words in a sentence but not all:
    `missing` lists, for each word still needed, the words that would do."""

    pattern: str
    fact: str
    missing: tuple[tuple[str, ...], ...]


@dataclass
class TracedSentence:
    """One sentence (a signature block is one), at document offsets, with the
    names found in it and what each pattern did there."""

    start: int
    end: int
    text: str  # as extraction read it: white space folded
    paragraph: int
    signature: bool = False
    quoted: bool = False
    entities: list[Named] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    partial: list[Partial] = field(default_factory=list)


@dataclass
class MessageTrace:
    """What extraction did with one message: `body` is where its text after the
    header block starts, `quoted` its quoted history (document offsets), the
    sentences in text order, and the facts it gave (as `Extractor.documents`)."""

    doc: Document
    message: Message
    n: int
    body: int
    quoted: list[tuple[int, int]]
    sentences: list[TracedSentence]
    facts: list[Fact]


@dataclass
class _Paragraph:
    sdoc: Doc
    seg: Segment
    sentences: list[TracedSentence]
    bounds: list[tuple[int, int]]
    words: list[set[int]]


class Trace:
    """The recorder the pipeline reports to while it explains one message."""

    def __init__(
        self,
        doc: Document,
        msg: Message,
        n: int,
        facts_of: Mapping[str, str],
        required: Mapping[str, Requirement | None],
        candidates: Candidates,
        strings: StringStore,
    ):
        self.doc, self.msg, self.n = doc, msg, n
        self.facts_of = facts_of  # pattern id -> fact type
        self.required = required
        self.words_test = candidates
        self.strings = strings
        self.facts: list[Fact] = []
        self._paragraphs: list[_Paragraph] = []
        self._quoted: list[TracedSentence] = []
        self._kept: dict[int, tuple[str, ...]] = {}
        self._pending: dict[tuple[str, int], Attempt] = {}

    # -- what the pipeline reports -------------------------------------------
    def paragraph(
        self,
        sdoc: Doc,
        seg: Segment,
        bounds: list[tuple[int, int]],
        lower: Sequence[int] = (),
        signature: bool = False,
    ) -> None:
        """A paragraph the pipeline reads, cut into sentences at token `bounds`."""
        n = len(self._paragraphs)
        sentences = [self._sentence(sdoc[a:b], seg, n, signature=signature) for a, b in bounds]
        words = [set(lower[a:b]) for a, b in bounds] if lower else []
        self._paragraphs.append(_Paragraph(sdoc, seg, sentences, bounds, words))
        self._pending.clear()

    def candidates(self, n: int, ids: Sequence[str], kept: Sequence[str], labels: set[str]) -> None:
        """Sentence `n` holds the required words of `ids`; `kept` are those its
        entity `labels` leave possible."""
        for pid in ids:
            if pid not in kept:
                reason = self._kinds(pid, labels)
                self._add(n, Attempt(pid, self.facts_of[pid], ENTITY_KIND, reason))
        self._kept[n] = tuple(kept)

    def matched(self, hits: Sequence[tuple[int, int, str, int]]) -> None:
        """The Matcher's matches in the paragraph, as (start, end, pattern id, sentence)."""
        hit = {(pid, n) for _, _, pid, n in hits}
        for n, kept in self._kept.items():
            for pid in kept:
                if (pid, n) not in hit:
                    reason = "its required words are here, but its token pattern does not match"
                    self._add(n, Attempt(pid, self.facts_of[pid], NO_MATCH, reason))
        self._kept.clear()

    def overlap(self, n: int, pid: str, trigger: Span) -> None:
        reason = "this match lies inside an earlier match of the same pattern, which is read"
        self._add(n, Attempt(pid, self.facts_of[pid], OVERLAP, reason, self._at(trigger)))

    def language(
        self, n: int, pid: str, trigger: Span, shows: Mapping[str, str], allow: Sequence[str]
    ) -> None:
        """The phenomena `shows` (language.cues) around a match; those not in the
        pattern's `allow` drop it."""
        attempt = Attempt(pid, self.facts_of[pid], LANGUAGE, trigger=self._at(trigger))
        attempt.cues = dict(shows)
        attempt.allowed = tuple(p for p in shows if p in allow)
        dropped = [p for p in shows if p not in allow]
        if dropped:
            attempt.reason = ", ".join(f"{p} ({shows[p]!r})" for p in dropped)
        else:
            self._pending[(pid, trigger.start)] = attempt
        self._add(n, attempt)

    def lost(
        self,
        s: Sentence,
        pat: PackPattern,
        values: dict[str, list[Any]],
        missing: Sequence[str] = (),
        short: tuple[str, int, list[str]] | None = None,
    ) -> None:
        """The match filled `values` but a required role (`missing`) or an
        `at_least` (`short`: role, n, the distinct entities found) was not met."""
        attempt = self._attempt(s, pat)
        attempt.outcome, attempt.roles = ROLES, dict(values)
        if missing:
            attempt.reason = "required role " + ", ".join(f"'{r}'" for r in missing)
            attempt.reason += " found nothing"
        elif short is not None:
            role, n, got = short
            found = f" ({', '.join(got)})" if got else ""
            attempt.reason = f"at_least: '{role}' needs {n} distinct, found {len(got)}{found}"

    def not_distinct(self, s: Sentence, pat: PackPattern, one: str | None) -> None:
        """A fact left out because the roles in `distinct` name one entity."""
        attempt = self._attempt(s, pat)
        roles = " and ".join(f"'{r}'" for r in pat.distinct)
        note = f"distinct: {roles} name the same entity" + (f" (for {one})" if one else "")
        attempt.reason = f"{attempt.reason}; {note}" if attempt.reason else note

    def fired(
        self,
        s: Sentence,
        pat: PackPattern,
        values: dict[str, list[Any]],
        facts: list[Fact],
        confidence: float,
    ) -> None:
        """The match's roles were met: `facts` (none when `distinct` or an empty
        `each` role left out every one), at `confidence`."""
        attempt = self._attempt(s, pat)
        attempt.roles, attempt.base = dict(values), pat.confidence
        attempt.near_miss, attempt.confidence = s.used_fuzzy, round(confidence, 3)
        attempt.facts = list(facts)
        if facts:
            attempt.outcome = FIRED
        else:
            attempt.outcome = ROLES
            if not attempt.reason:  # `each` with nothing to split
                attempt.reason = f"each: '{pat.each}' found nothing"

    def quoted(self, sdoc: Doc, seg: Segment) -> None:
        """A paragraph of quoted history: its sentences, and the patterns whose
        required words each holds (none of them is run)."""
        found = mentions(sdoc)
        for sent in sdoc.sents:
            ts = self._sentence(sent, seg, -1, quoted=True)
            words = {t.lower for t in sent}
            for pid in self.words_test.of(words):
                reason = "quoted history belongs to the earlier message; extraction never reads it"
                ts.attempts.append(Attempt(pid, self.facts_of[pid], QUOTED, reason))
            ts.entities = self._named(sdoc, seg, found, sent.start, sent.end)
            self._quoted.append(ts)

    def done(self) -> MessageTrace:
        """The message's trace, once every paragraph has been read."""
        own: list[TracedSentence] = []
        for par in self._paragraphs:
            found = mentions(par.sdoc)  # near-miss names are in doc.ents by now
            for i, (ts, (a, b)) in enumerate(zip(par.sentences, par.bounds, strict=True)):
                ts.entities = self._named(par.sdoc, par.seg, found, a, b)
                if par.words:
                    ts.partial = self._partial(par.words[i], {t.pattern for t in ts.attempts})
            own += par.sentences
        return MessageTrace(
            self.doc,
            self.msg,
            self.n,
            body_start(self.doc, self.msg),
            quoted_spans(self.doc, self.msg),
            sorted([*own, *self._quoted], key=lambda t: (t.start, t.end)),
            self.facts,
        )

    # -- helpers -------------------------------------------------------------
    def _sentence(
        self, sent: Span, seg: Segment, n: int, signature: bool = False, quoted: bool = False
    ) -> TracedSentence:
        start, end = seg.span(sent.start_char, sent.end_char)
        text = seg.text[sent.start_char : sent.end_char]
        return TracedSentence(start, end, text, n, signature=signature, quoted=quoted)

    def _at(self, span: Span) -> tuple[int, int]:
        return self._paragraphs[-1].seg.span(span.start_char, span.end_char)

    def _add(self, n: int, attempt: Attempt) -> None:
        self._paragraphs[-1].sentences[n].attempts.append(attempt)

    def _attempt(self, s: Sentence, pat: PackPattern) -> Attempt:
        """The attempt open for this match (a pattern matches at one place once):
        the one `language` opened, or (a signature block, which has no language
        step) a new one."""
        key = (pat.id, s.trigger.start)
        found = self._pending.get(key)
        if found is not None:
            return found
        par = self._paragraphs[-1]
        n = next(i for i, (a, _) in enumerate(par.bounds) if a == s.sent.start)
        attempt = self._pending[key] = Attempt(pat.id, self.facts_of[pat.id], ROLES)
        self._add(n, attempt)
        return attempt

    def _kinds(self, pid: str, labels: set[str]) -> str:
        """Why a pattern's entity kinds rule it out, as `possible` decides it."""
        needed = sorted({k for _, kinds in self.required[pid] or () for ks in kinds for k in ks})
        named = ", ".join(sorted(labels)) if labels else "no entity"
        return (
            f"its required words are here, but it needs a name of kind {' or '.join(needed)} "
            f"in the sentence, which names {named}"
        )

    def _named(self, sdoc: Doc, seg: Segment, found: Sequence[Any], a: int, b: int) -> list[Named]:
        out = []
        for m in found:
            if m.start >= a and m.end <= b:
                span = sdoc[m.start : m.end]
                start, end = seg.span(span.start_char, span.end_char)
                out.append(Named(m.eid, m.kind, span.text, start, end, m.fuzzy))
        return out

    def _partial(self, words: set[int], tried: set[str]) -> list[Partial]:
        out = []
        for pid, req in self.required.items():
            if pid in tried:
                continue
            missing = lacking(req, words)
            if missing:
                names = tuple(tuple(sorted(self.strings[h] for h in ws)) for ws in missing)
                out.append(Partial(pid, self.facts_of[pid], names))
        return sorted(out, key=lambda p: len(p.missing))
