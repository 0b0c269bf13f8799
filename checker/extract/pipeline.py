"""Read every message's own text and propose typed facts, each with its sentence.

For each message: its paragraphs (quoted history cut out), spaCy over all of
them in one stream, then, in the sentences that hold some pattern's required
words (triggers.py), near-miss names and the Matcher with those patterns
only. A match whose sentence shows negation, modality, future, a question
or reported speech gives no fact unless the pattern `allow`s it. Roles are
filled as roles.py says; a fact needs its required roles. Every fact is
`suggested`, from the `extractor`, with the pattern id, a confidence and
the sentence as its quote.

`Extractor.explain` runs the same steps on one message with a `Trace`
(trace.py), which each decision above reports to; without one (every other
run) nothing is recorded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.attrs import LOWER, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from checker.extract.context import MessageContext, Sentence
from checker.extract.language import cues
from checker.extract.leads import LeadWords, lead_fact
from checker.extract.mentions import Mention, NearMisses, build_nlp, mentions
from checker.extract.packs import Pack, PackPattern, load_packs
from checker.extract.roles import fill
from checker.extract.segments import Segment, paragraphs, quoted_spans, segments
from checker.extract.signatures import signature_index
from checker.extract.trace import MessageTrace, Trace
from checker.extract.triggers import Candidates, Requirement, possible, requirement
from checker.ingest.document import Document, Message
from checker.model.entities import EntityIndex
from checker.model.facts import Fact, fact_interval, fact_key
from checker.model.facttypes import FactType

FUZZY_FACTOR = 0.8  # a fact resting on a near-miss name
ALLOWED_FACTOR = 0.7  # per allowed phenomenon (a future meeting, a reported contract)
_MATCHERS_MAX = 256  # Matchers kept, one per set of patterns a paragraph may match


@dataclass(frozen=True)
class _Where:
    """Where a paragraph comes from: its document, message, segment, and if it is
    the message's signature block."""

    doc: Document
    ctx: MessageContext
    seg: Segment
    signature: bool


class Extractor:
    """The pipeline, the packs and their matchers, for one case."""

    def __init__(
        self,
        entities: EntityIndex,
        types: dict[str, FactType],
        model: str | None = None,
        packs_dirs: Sequence[Path] = (),
    ):
        self.entities = entities
        self.types = types
        self.nlp: Language = build_nlp(entities, model)
        self.near = NearMisses(entities)
        has_model = model is not None
        self.patterns: dict[str, tuple[Pack, PackPattern]] = {}
        self.signature: list[tuple[Pack, PackPattern]] = []
        #: sentence patterns in pack order, with what a paragraph needs to match them
        self.matched: list[tuple[str, Requirement | None]] = []
        for pack in load_packs(types, packs_dirs):
            for pat in pack.patterns:
                if pat.needs_model and not has_model:
                    continue
                self.patterns[pat.id] = (pack, pat)
                if pat.scope == "signature":
                    self.signature.append((pack, pat))
                elif pat.match:
                    self.matched.append((pat.id, requirement(pat.match, self.nlp.vocab.strings)))
        self.required = dict(self.matched)
        self._matchers: dict[tuple[str, ...], Matcher] = {}
        self._candidates = Candidates(self.matched)
        packed = {pack.fact for pack, _ in self.patterns.values()}
        self.leads = LeadWords(sorted(packed), self.nlp.vocab.strings)

    def _matcher(self, ids: tuple[str, ...]) -> Matcher:
        """A Matcher with the patterns `ids` only (built once per set of ids).

        A pattern's matches do not depend on the other patterns of its Matcher,
        so running only those a sentence may match gives the same matches. The
        patterns were validated when the packs were loaded (packs.py), so not
        again here."""
        matcher = self._matchers.get(ids)
        if matcher is None:
            if len(self._matchers) >= _MATCHERS_MAX:
                self._matchers.clear()
            matcher = Matcher(self.nlp.vocab)
            for pid in ids:
                matcher.add(pid, self.patterns[pid][1].match)  # type: ignore[arg-type]
            self._matchers[ids] = matcher
        return matcher

    # -- paragraphs ---------------------------------------------------------------
    def _paragraphs(self, docs: Iterable[Document]) -> Iterator[tuple[str, _Where]]:
        """Every message's own paragraphs, with where they come from, in order."""
        for doc in docs:
            for msg in doc.messages or [Message(start=0, end=len(doc.text))]:
                yield from self._own(doc, msg)

    def _own(self, doc: Document, msg: Message) -> Iterator[tuple[str, _Where]]:
        """One message's own paragraphs (quoted history cut out), with where they are."""
        ctx = MessageContext.of(msg if msg.from_line is not None else None, self.entities)
        segs = segments(doc, msg)
        sig = signature_index(doc.text, segs)
        for n, seg in enumerate(segs):
            yield seg.text, _Where(doc, ctx, seg, n == sig)

    def documents(self, docs: Iterable[Document]) -> Iterator[Fact]:
        """Facts from `docs`, document by document, message by message.

        spaCy reads all paragraphs in one stream (`nlp.pipe` batches them); a
        sentence that holds no pattern's required words is not searched for
        near-miss names or matched."""
        for sdoc, at in self.nlp.pipe(self._paragraphs(docs), as_tuples=True):
            yield from self._paragraph(sdoc, at)

    def document(self, doc: Document) -> list[Fact]:
        """Facts from one document (checker/extraction.py calls this per document)."""
        return list(self.documents([doc]))

    def explain(self, doc: Document, n: int) -> MessageTrace:
        """What extraction does with message `n` (from 1; a document without
        messages is one) of `doc`, sentence by sentence: the steps `documents`
        takes, each reporting to a `Trace`. Its facts are those `documents` gives
        for that message. Quoted history, which extraction never reads, is cut
        into sentences too, to show which patterns' words it holds."""
        msg = (doc.messages or [Message(start=0, end=len(doc.text))])[n - 1]
        facts_of = {pid: pack.fact for pid, (pack, _) in self.patterns.items()}
        strings = self.nlp.vocab.strings
        trace = Trace(doc, msg, n, facts_of, self.required, self._candidates, strings)
        for sdoc, at in self.nlp.pipe(self._own(doc, msg), as_tuples=True):
            trace.facts += self._paragraph(sdoc, at, trace)
        quoted = paragraphs(doc, quoted_spans(doc, msg))
        for sdoc, seg in self.nlp.pipe(((q.text, q) for q in quoted), as_tuples=True):
            trace.quoted(sdoc, seg)
        return trace.done()

    def _paragraph(self, sdoc: Doc, at: _Where, trace: Trace | None = None) -> list[Fact]:
        if at.signature:
            return self._signature(sdoc, at, trace)
        lower, first = zip(*sdoc.to_array([LOWER, SENT_START]).tolist(), strict=True)
        cuts = [i for i, f in enumerate(first) if f == 1 and i > 0]
        bounds = list(zip([0, *cuts], [*cuts, len(lower)], strict=True))
        if trace is not None:
            trace.paragraph(sdoc, at.seg, bounds, lower)
        hits = self._hits(sdoc, at, lower, bounds, trace)
        found = mentions(sdoc)
        strings = self.nlp.vocab.strings
        out: list[Fact] = []
        read: dict[int, set[str]] = {}  # sentence number: the types it gave facts of
        taken: dict[str, int] = {}
        # each pattern's matches earliest and shortest first, without overlaps
        for mstart, mend, pid, n in sorted(hits):
            if mstart < taken.get(pid, -1):
                if trace is not None:
                    trace.overlap(n, pid, sdoc[mstart:mend])
                continue
            taken[pid] = mend
            pack, pat = self.patterns[pid]
            sent = sdoc[bounds[n][0] : bounds[n][1]]
            trigger = sdoc[mstart:mend]
            nxt = sdoc[bounds[n + 1][0] : bounds[n + 1][1]] if n + 1 < len(bounds) else None
            text = at.seg.text[sent.start_char : sent.end_char]
            s = Sentence(sent, trigger, found, at.ctx, next_sent=nxt, _text=text)
            said = [strings[h] for h in lower[sent.start : sent.end]]
            shows = cues(sent, trigger, said, text)
            if trace is not None:
                trace.language(n, pid, trigger, shows, pat.allow)
            if shows.keys() - set(pat.allow):
                read.setdefault(n, set()).add(pack.fact)  # read, and not a fact
                continue
            facts = self._facts(at.doc, at.seg, pack, pat, s, penalty=len(shows), trace=trace)
            if facts:
                read.setdefault(n, set()).add(pack.fact)
            out += facts
        return out + self._leads(sdoc, at, lower, bounds, found, read)

    def _leads(
        self,
        sdoc: Doc,
        at: _Where,
        lower: Sequence[int],
        bounds: list[tuple[int, int]],
        found: list[Mention],
        read: dict[int, set[str]],
    ) -> list[Fact]:
        """The paragraph's leads: sentences that may state a fact no pattern read."""
        out = []
        for type_, sent, names in self.leads.find(sdoc, bounds, lower, found, at.ctx, read):
            start, end = at.seg.span(sent.start_char, sent.end_char)
            out.append(lead_fact(at.doc, type_, start, end, names))
        return out

    def _hits(
        self,
        sdoc: Doc,
        at: _Where,
        lower: Sequence[int],
        bounds: list[tuple[int, int]],
        trace: Trace | None = None,
    ) -> list[tuple[int, int, str, int]]:
        """(start, end, pattern id, sentence number) of every match in `sdoc`.

        Which patterns each sentence may match is decided from its words alone
        (`lower`, hashes); only those sentences get near-miss names, and the
        Matcher runs on them with only the patterns their entity labels allow."""
        plan = []
        for n, (start, end) in enumerate(bounds):
            words = set(lower[start:end])
            ids = self._candidates.of(words)
            if ids:
                plan.append((n, words, ids))
        if not plan:
            return []
        self.near.add(sdoc, [bounds[n] for n, _, _ in plan], at.seg.text)
        ents = [(e.start, e.end, e.label_) for e in sdoc.ents]
        hits = []
        for n, words, ids in plan:
            start, end = bounds[n]
            labels = {label for s, e, label in ents if s < end and e > start}
            kept = tuple(pid for pid in ids if possible(self.required[pid], words, labels))
            if trace is not None:
                trace.candidates(n, ids, kept, labels)
            if not kept:
                continue
            for key, mstart, mend in self._matcher(kept)(sdoc[start:end]):
                hits.append((start + mstart, start + mend, self.nlp.vocab.strings[key], n))
        if trace is not None:
            trace.matched(hits)
        return hits

    def _signature(self, sdoc: Doc, at: _Where, trace: Trace | None = None) -> list[Fact]:
        """Facts from a signature block: the signature patterns, on the whole block."""
        if trace is not None:
            trace.paragraph(sdoc, at.seg, [(0, len(sdoc))], signature=True)
        if not self.signature:
            return []
        self.near.add(sdoc, text=at.seg.text)
        found = mentions(sdoc)
        whole = sdoc[:]
        out: list[Fact] = []
        for pack, pat in self.signature:
            s = Sentence(whole, whole, found, at.ctx, _text=at.seg.text)
            out += self._facts(at.doc, at.seg, pack, pat, s, trace=trace)
        return out

    def _facts(
        self,
        doc: Document,
        seg: Segment,
        pack: Pack,
        pat: PackPattern,
        s: Sentence,
        penalty: int = 0,
        trace: Trace | None = None,
    ) -> list[Fact]:
        ftype = self.types[pack.fact]
        values: dict[str, list[Any]] = {}
        for role, src in pat.roles.items():
            got = fill(src, s)
            if ftype.roles[role] in ("entity", "entities"):
                got = list(dict.fromkeys(got))
            values[role] = got
        required = pat.require
        if required is None:
            required = [r for r in pat.roles if ftype.roles[r] in ("entity", "entities")]
        if any(not values.get(r) for r in required):
            if trace is not None:
                trace.lost(s, pat, values, missing=[r for r in required if not values.get(r)])
            return []
        for role, n in pat.at_least.items():
            outer = self._outermost(values.get(role, []))
            if len(outer) < n:
                if trace is not None:
                    trace.lost(s, pat, values, short=(role, n, sorted(outer)))
                return []
        roles: dict[str, Any] = {}
        for role, got in values.items():
            if not got:
                continue
            kind = ftype.roles[role]
            roles[role] = tuple(got) if kind == "entities" else got[0]
        start, end = seg.span(s.sent.start_char, s.sent.end_char)
        if s.used_next and s.next_sent is not None:
            end = seg.span(s.next_sent.start_char, s.next_sent.end_char)[1]
        confidence = pat.confidence * (FUZZY_FACTOR if s.used_fuzzy else 1.0)
        confidence *= ALLOWED_FACTOR**penalty
        split = values.get(pat.each, []) if pat.each else [None]
        facts = []
        for one in split:
            r = dict(roles)
            if one is not None and pat.each:
                r[pat.each] = (one,) if ftype.roles[pat.each] == "entities" else one
            # checked on the values the fact keeps (a single-entity role keeps its
            # first value only), so a later candidate never drops a valid fact
            if pat.distinct and self._overlap([_as_list(r.get(x)) for x in pat.distinct]):
                if trace is not None:
                    trace.not_distinct(s, pat, one)
                continue
            trigger = s.trigger.start_char
            facts.append(self._fact(doc, pack.fact, pat, r, (start, end, trigger), confidence, one))
        if trace is not None:
            trace.fired(s, pat, values, facts, confidence)
        return facts

    def _outermost(self, ids: list[str]) -> set[str]:
        """`ids` without those inside another of them."""
        return {i for i in ids if not any(j != i and self.entities.within(i, j) for j in ids)}

    def _overlap(self, groups: list[list[str]]) -> bool:
        for a, ga in enumerate(groups):
            for gb in groups[a + 1 :]:
                for x in ga:
                    for y in gb:
                        if self.entities.within(x, y) or self.entities.within(y, x):
                            return True
        return False

    def _fact(
        self,
        doc: Document,
        type_: str,
        pat: PackPattern,
        roles: dict[str, Any],
        where: tuple[int, int, int],
        confidence: float,
        one: str | None,
    ) -> Fact:
        start, end, trigger = where
        basis = f"{doc.id or doc.path}|{pat.id}|{start}|{end}|{trigger}|{one or ''}"
        return Fact(
            id="x-" + hashlib.sha1(basis.encode()).hexdigest()[:12],
            type=type_,
            roles=roles,
            status="suggested",
            origin="extractor",
            source=doc.passage(start, end),
            interval=fact_interval(roles, self.types[type_].time_roles()),
            where=f"{doc.path}:{start}",
            key=fact_key(type_, roles),
            confidence=round(confidence, 3),
            pattern=pat.id,
        )


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, tuple) else [value]


def extract_facts(
    documents: Iterable[Document],
    entities: EntityIndex,
    types: dict[str, FactType],
    *,
    model: str | None = None,
    packs_dirs: Sequence[Path] = (),
) -> list[Fact]:
    """Suggested facts from the text of `documents`, in a stable order.

    A document found at several paths is read once. Raises `CaseInvalid` for
    a bad pack and `ModelNotInstalled` for a model that is not installed.
    """
    extractor = Extractor(entities, types, model, packs_dirs)
    unique = {(d.id or d.path): d for d in documents}
    facts = list(extractor.documents(sorted(unique.values(), key=lambda d: d.path)))
    facts.sort(
        key=lambda f: (
            f.where.rpartition(":")[0],
            int(f.where.rpartition(":")[2]),
            f.pattern or "",
            f.id,
        )
    )
    return facts
