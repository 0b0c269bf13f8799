"""What language does to a fact: negation, modality, future, questions, reported speech.

Each test looks at the clause that holds the trigger (the sentence cut at
';' and ':'), with word lists that work on `spacy.blank("en")` tokens. A
pattern's `allow` keeps a fact that shows one of them, at lower confidence;
otherwise the sentence gives no fact. (Quoted history never reaches this
module: segments.py cuts it out of the replying message.)
"""

from __future__ import annotations

from spacy.tokens import Span

_NEGATION = {"not", "n't", "never", "without", "neither", "nor", "no", "none", "nothing", "nobody"}
_NEG_AFTER = {"no", "none", "nothing", "neither"}  # "uses no district data"
_MODAL = {
    "could", "would", "might", "may", "should", "if", "unless", "whether",
    "propose", "proposes", "proposed", "proposing", "proposal", "suggest", "suggested",
    "plan", "plans", "planning", "intend", "intends", "hope", "hopes", "want", "wants",
    "wish", "consider", "considering", "offer", "offered", "offering", "can", "ca",
}  # fmt: skip
_FUTURE = {"will", "shall", "'ll", "wo", "gonna"}
# what is still to come, said of the trigger's noun: "the meeting is scheduled for",
# "is planned", "is set for", "will be on Friday", "our upcoming call"
_UPCOMING = {"upcoming", "forthcoming"}
_BE_PRESENT = {"is", "are", "'s", "'re", "remains", "remain"}
_SCHEDULED = {"scheduled", "planned", "slated", "booked", "due", "pencilled", "penciled"}
_FUTURE_VERBS = {"be", "take", "happen", "occur", "start", "begin"}
_REPORTED = {
    "said", "says", "say", "told", "tells", "claimed", "claims", "stated", "states",
    "reported", "reports", "alleged", "alleges", "according", "heard", "rumored",
}  # fmt: skip
_CLAUSE_END = {";", ":"}


def clause(sent: Span, trigger: Span) -> Span:
    """The part of `sent` between the ';' or ':' around the trigger."""
    doc = sent.doc
    start, end = sent.start, sent.end
    for i in range(trigger.start - 1, sent.start - 1, -1):
        if doc[i].text in _CLAUSE_END:
            start = i + 1
            break
    for i in range(trigger.end, sent.end):
        if doc[i].text in _CLAUSE_END:
            end = i
            break
    return doc[start:end]


def _words(span: Span) -> list[str]:
    return [t.lower_ for t in span]


def negated(sent: Span, trigger: Span) -> bool:
    """'we have not shared', 'never met', 'without signing', 'uses no district data'."""
    cl = clause(sent, trigger)
    doc = sent.doc
    before = _words(doc[max(cl.start, trigger.start - 6) : trigger.end])
    after = _words(doc[trigger.end : min(cl.end, trigger.end + 3)])
    after_first = _words(doc[trigger.start + 1 : min(cl.end, trigger.start + 3)])
    if any(w in _NEGATION for w in before):
        # "weren't created until February": not ... until says when, not whether
        return not any(w == "until" for w in _words(doc[trigger.end : cl.end])[:4])
    return any(w in _NEG_AFTER for w in after + after_first)


def modal(sent: Span, trigger: Span) -> bool:
    """Proposals and conditions: 'we could sign', 'if you want an account', 'plan to'."""
    cl = clause(sent, trigger)
    doc = sent.doc
    before = doc[cl.start : trigger.start]
    if any(t.lower_ in _MODAL and not (t.lower_ == "may" and t.is_title) for t in before):
        return True
    if any(t.lower_ in ("if", "unless") for t in doc[trigger.end : cl.end]):
        return True
    return "would like" in " ".join(_words(before))


def future(sent: Span, trigger: Span) -> bool:
    """'we will sign', 'shall meet', 'going to share'; and, anywhere in the clause,
    what is still to come: 'the meeting is scheduled for', 'our upcoming call',
    'the call with X will be on Friday', 'the payment is due'."""
    cl = clause(sent, trigger)
    words = _words(sent.doc[cl.start : trigger.start])
    if any(w in _FUTURE for w in words):
        return True
    if any(a == "going" and b == "to" for a, b in zip(words, words[1:], strict=False)):
        return True
    whole = _words(cl)
    if any(w in _UPCOMING for w in whole):
        return True
    pairs = list(zip(whole, whole[1:], strict=False))
    triples = zip(whole, whole[1:], whole[2:], strict=False)
    if any(a in _FUTURE and b in _FUTURE_VERBS for a, b in pairs):
        return True
    return any(
        a in _BE_PRESENT and (b in _SCHEDULED or (b == "set" and c in ("for", "to")))
        for a, b, c in triples
    ) or any(a in _BE_PRESENT and b in _SCHEDULED for a, b in pairs[-1:])


def question(sent: Span) -> bool:
    """The sentence asks: it ends with '?' (closing quotes aside)."""
    return sent.text.rstrip(" \"'”’)").endswith("?")


def reported(sent: Span, trigger: Span) -> bool:
    """'he said that they signed': someone else's account, not the writer's."""
    before = _words(sent.doc[sent.start : trigger.start])
    return any(w in _REPORTED for w in before)


def phenomena(sent: Span, trigger: Span) -> set[str]:
    """The phenomena (README names) this sentence shows around `trigger`."""
    found = set()
    if negated(sent, trigger):
        found.add("negation")
    if modal(sent, trigger):
        found.add("modal")
    if future(sent, trigger):
        found.add("future")
    if question(sent):
        found.add("question")
    if reported(sent, trigger):
        found.add("reported")
    return found
