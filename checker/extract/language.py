"""What language does to a fact: negation, modality, future, questions, reported speech.

Each test looks at the clause that holds the trigger (the sentence cut at
';' and ':'), with word lists that work on `spacy.blank("en")` tokens, and
answers with the word(s) it went by ("not", "will", "?"), or None. A
pattern's `allow` keeps a fact that shows one of them, at lower confidence;
otherwise the sentence gives no fact. `cues` gives those words by phenomenon,
so that `checker why` can say what decided. (Quoted history never reaches this
module: segments.py cuts it out of the replying message.)
"""

from __future__ import annotations

from spacy.tokens import Span

_NEGATION = {
    "not", "n't", "never", "without", "neither", "nor", "no", "none", "nothing", "nobody",
    # "declined to sign", "refused to share", "failed to pay"
    "decline", "declines", "declined", "declining", "refuse", "refuses", "refused",
    "refusing", "fail", "fails", "failed", "failing",
}  # fmt: skip
_NEG_AFTER = {"no", "none", "nothing", "neither"}  # "uses no district data"
_MODAL = {
    "could", "would", "might", "may", "should", "if", "unless", "whether",
    "propose", "proposes", "proposed", "proposing", "proposal", "suggest", "suggested",
    "plan", "plans", "planning", "intend", "intends", "hope", "hopes", "want", "wants",
    "wish", "consider", "considering", "offer", "offered", "offering", "can", "ca",
    # asked for, agreed or decided, not done: "requested a meeting with", "agreed to
    # meet", "decided to use", "need to sign", "asked them to share"
    "request", "requests", "requested", "requesting", "ask", "asks", "asked", "asking",
    "agree", "agrees", "agreed", "decide", "decides", "decided", "need", "needs",
    "arrange", "arranged", "arranging", "invite", "invited", "inviting",
}  # fmt: skip
# after the trigger, in its clause: "an NDA signed with X would be binding"
_MODAL_AFTER = {"would", "could", "might", "should", "if", "unless"}
_FUTURE = {"will", "shall", "'ll", "wo", "gonna"}
# what is still to come, said of the trigger's noun: "the meeting is scheduled for",
# "is planned", "is set for", "will be on Friday", "our upcoming call"
_UPCOMING = {"upcoming", "forthcoming", "tomorrow", "tonight", "next"}
# "looking forward to our meeting", "see you at the meeting"
_AHEAD = {("looking", "forward"), ("look", "forward"), ("see", "you")}
_BE_PRESENT = {"is", "are", "'s", "'re", "remains", "remain"}
_SCHEDULED = {"scheduled", "planned", "slated", "booked", "due", "pencilled", "penciled"}
_FUTURE_VERBS = {"be", "take", "happen", "occur", "start", "begin"}
_REPORTED = {
    "said", "says", "say", "told", "tells", "claimed", "claims", "stated", "states",
    "reported", "reports", "alleged", "alleges", "according", "heard", "rumored",
    "reportedly", "allegedly", "apparently", "supposedly", "rumoured", "rumor", "rumour",
}  # fmt: skip
_CLAUSE_END = {";", ":"}


class _Clause:
    """The words of a sentence (lowercased), where the trigger is in it, and the
    clause around the trigger (the sentence cut at ';' and ':'), all as indexes
    into `words`. Built once per match; every test below reads it."""

    __slots__ = ("words", "ts", "te", "cs", "ce")

    def __init__(self, sent: Span, trigger: Span, words: list[str] | None = None):
        self.words = [t.lower_ for t in sent] if words is None else words
        self.ts = trigger.start - sent.start
        self.te = trigger.end - sent.start
        self.cs, self.ce = 0, len(self.words)
        for i in range(self.ts - 1, -1, -1):
            if self.words[i] in _CLAUSE_END:
                self.cs = i + 1
                break
        for i in range(self.te, self.ce):
            if self.words[i] in _CLAUSE_END:
                self.ce = i
                break


def _negated(c: _Clause) -> str | None:
    """'we have not shared', 'never met', 'without signing', 'declined to sign',
    'uses no district data'."""
    w = c.words
    before = w[max(c.cs, c.ts - 6) : c.te]
    after = w[c.te : min(c.ce, c.te + 3)]
    after_first = w[c.ts + 1 : min(c.ce, c.ts + 3)]
    cue = next((x for x in before if x in _NEGATION), None)
    if cue is not None:
        # "weren't created until February": not ... until says when, not whether
        return None if "until" in w[c.te : c.ce][:4] else cue
    return next((x for x in after + after_first if x in _NEG_AFTER), None)


def _modal(c: _Clause, sent: Span) -> str | None:
    """Proposals, conditions and requests: 'we could sign', 'if you want an account',
    'I requested a meeting', 'an NDA signed with X would be binding'."""
    w = c.words
    for i in range(c.cs, c.ts):
        # "May" with a capital is the month, not the modal
        if w[i] in _MODAL and not (w[i] == "may" and sent[i].is_title):
            return w[i]
    after = next((x for x in w[c.te : c.ce] if x in _MODAL_AFTER), None)
    if after is not None:
        return after
    return "would like" if "would like" in " ".join(w[c.cs : c.ts]) else None


def _future(c: _Clause) -> str | None:
    """'we will sign', 'going to share'; and, anywhere in the clause, what is still
    to come: 'the meeting is scheduled for', 'our upcoming call', 'see you at the
    meeting', 'the call with X will be on Friday'."""
    words = c.words[c.cs : c.ts]
    cue = next((x for x in words if x in _FUTURE), None)
    if cue is not None:
        return cue
    if any(a == "going" and b == "to" for a, b in zip(words, words[1:], strict=False)):
        return "going to"
    whole = c.words[c.cs : c.ce]
    cue = next((x for x in whole if x in _UPCOMING), None)
    if cue is not None:
        return cue
    pairs = list(zip(whole, whole[1:], strict=False))
    ahead = next((pair for pair in pairs if pair in _AHEAD), None)
    if ahead is not None:
        return " ".join(ahead)
    triples = zip(whole, whole[1:], whole[2:], strict=False)
    will_be = next((p for p in pairs if p[0] in _FUTURE and p[1] in _FUTURE_VERBS), None)
    if will_be is not None:
        return " ".join(will_be)
    set_for = next(
        (
            (a, b, x)
            for a, b, x in triples
            if a in _BE_PRESENT and (b in _SCHEDULED or (b == "set" and x in ("for", "to")))
        ),
        None,
    )
    if set_for is not None:
        return " ".join(set_for if set_for[1] == "set" else set_for[:2])
    last = next((p for p in pairs[-1:] if p[0] in _BE_PRESENT and p[1] in _SCHEDULED), None)
    return " ".join(last) if last is not None else None


def _reported(c: _Clause) -> str | None:
    """Someone else's account, not the writer's: 'he said that they signed',
    'reportedly'."""
    return next((x for x in c.words[: c.ts] if x in _REPORTED), None)


def _asks(text: str) -> str | None:
    """The sentence asks: it ends with '?' (closing quotes aside)."""
    return "?" if text.rstrip(" \"'”’)").endswith("?") else None


def cues(
    sent: Span, trigger: Span, words: list[str] | None = None, text: str | None = None
) -> dict[str, str]:
    """The phenomena (README names) this sentence shows around `trigger`, each with
    the word(s) that showed it ({"negation": "not"}). `words` (the sentence's
    lowercased words) and `text` (its text) if the caller has them: spaCy
    rebuilds both from the tokens."""
    c = _Clause(sent, trigger, words)
    found = {
        "negation": _negated(c),
        "modal": _modal(c, sent),
        "future": _future(c),
        "question": _asks(sent.text if text is None else text),
        "reported": _reported(c),
    }
    return {name: cue for name, cue in found.items() if cue is not None}


def phenomena(
    sent: Span, trigger: Span, words: list[str] | None = None, text: str | None = None
) -> set[str]:
    """The phenomena (README names) this sentence shows around `trigger` (`cues`
    without the words)."""
    return set(cues(sent, trigger, words, text))
