"""Bulk mail: newsletters, mailing-list messages and mail-merge blasts.

Receiving bulk mail is a communication, not contact between the parties, so
a message that reads as one gets a reason in `Message.bulk` and its header
`communication` fact carries `bulk: true`. Three signals, the first that
speaks giving the reason:

- a header: `List-Id`, `List-Unsubscribe`, `Precedence: bulk|list|junk`
  (`header_reason`);
- subscription wording in the message's own words, never in quoted history
  or attachments: "As a subscriber, you may...", "To unsubscribe, ...",
  "You are receiving this email because you..." (`wording_reason`);
- one sender mailing near-identical bodies again and again (`find_blasts`).

The headers and phrases are data, `checker/data/bulk.yaml`, each with an id
that the reason names; they are checked when first used.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz, process

from checker import data
from checker.errors import CaseInvalid, Problem
from checker.ingest.document import Message
from checker.ingest.quoted import body_end, body_start, quoted_spans
from checker.schema import validate
from checker.yamlfile import LineDict, YamlError, load_yaml

BULK_DATA = data.HERE / "bulk.yaml"
SHOWN_AS = "checker/data/bulk.yaml"

# Mail-merge blasts (`find_blasts`). A blast is at least AT_LEAST distinct emails
# (copies of one email count once) from one sender whose bodies, compared as
# `comparable` gives them, have a rapidfuzz `fuzz.ratio` (normalised Indel
# similarity, 0 to 100) of at least SIMILARITY with the first of their group.
# A body whose opening paragraph is shorter than MIN_OPENING characters never
# takes part: "Thanks." above a long fixed signature or disclaimer is a note,
# and five of them are five notes, however alike. Bodies are compared on their
# first COMPARED characters, among those that begin with the same PREFIX
# characters, against at most MAX_GROUPS groups, so the work grows with the
# number of messages, not with its square.
AT_LEAST = 5
SIMILARITY = 90.0
MIN_OPENING = 100
COMPARED = 1000
PREFIX = 24
MAX_GROUPS = 100


class HeaderSignal(BaseModel):
    """A header that marks bulk mail; `values`, when given, are those that count."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    header: str = Field(pattern=r"^[A-Za-z0-9-]+$")
    values: list[str] = []


class WordingSignal(BaseModel):
    """Subscription wording: regular expressions, the keywords one of which a text
    must hold for them to be tried, and lines they must find."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    keywords: list[str] = Field(min_length=1)
    patterns: list[str] = Field(min_length=1)
    examples: list[str] = Field(min_length=1)


class BulkData(BaseModel):
    """`checker/data/bulk.yaml`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    headers: list[HeaderSignal]
    wording: list[WordingSignal]


@dataclass(frozen=True)
class Wording:
    """One wording signal, compiled."""

    id: str
    keywords: tuple[str, ...]  # lower case
    regex: re.Pattern[str]

    def search(self, text: str, low: str) -> re.Match[str] | None:
        """The first match in `text` (`low` is its lower case), or None."""
        if not any(k in low for k in self.keywords):
            return None
        return self.regex.search(text)


@dataclass(frozen=True)
class Signals:
    """The bulk-mail signals, checked and compiled."""

    headers: tuple[HeaderSignal, ...]
    wording: tuple[Wording, ...]
    # any wording's keyword, without those holding another: one pass rules most texts out
    keywords: tuple[str, ...]

    def may_hold_wording(self, low: str) -> bool:
        """Whether `low` (a text in lower case) holds a keyword of some wording."""
        return any(k in low for k in self.keywords)


def _line(raw: object, key: str, n: int) -> int:
    items = raw.get(key) if isinstance(raw, dict) else None
    lines = getattr(items, "item_lines", [])
    return lines[n] if n < len(lines) else getattr(raw, "line", 1) or 1


def _compile(raw: object) -> Signals:
    """The signals of `raw` (bulk.yaml as loaded), every problem collected first."""
    problems: list[Problem] = []
    parsed = validate(BulkData, raw, SHOWN_AS, problems)
    if parsed is None:
        raise CaseInvalid(problems)
    ids = [s.id for s in parsed.headers] + [s.id for s in parsed.wording]
    for sid in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(SHOWN_AS, 1, f"id '{sid}' is used twice; ids must be unique"))
    wording: list[Wording] = []
    for n, signal in enumerate(parsed.wording):
        line = _line(raw, "wording", n)
        try:
            regex = re.compile("|".join(f"(?:{p})" for p in signal.patterns), re.I | re.M)
        except re.error as err:
            problems.append(Problem(SHOWN_AS, line, f"wording '{signal.id}': {err}"))
            continue
        one = Wording(signal.id, tuple(k.lower() for k in signal.keywords), regex)
        for e in signal.examples:
            if one.search(e, e.lower()) is not None:
                continue
            why = (
                f"it holds none of the keywords ({', '.join(one.keywords)})"
                if regex.search(e)
                else "no pattern matches it"
            )
            problems.append(
                Problem(SHOWN_AS, line, f"wording '{signal.id}' misses its example '{e}': {why}")
            )
        wording.append(one)
    if problems:
        raise CaseInvalid(problems)
    every = {k for w in wording for k in w.keywords}
    gate = tuple(sorted(k for k in every if not any(o != k and o in k for o in every)))
    return Signals(tuple(parsed.headers), tuple(wording), gate)


@cache
def signals() -> Signals:
    """The signals of `checker/data/bulk.yaml`; `CaseInvalid` lists what is wrong."""
    try:
        raw = load_yaml(BULK_DATA, SHOWN_AS)
    except YamlError as err:
        raise CaseInvalid([err.problem]) from None
    return _compile(raw if isinstance(raw, LineDict) else {})


def header_reason(get: Callable[[str], str | None]) -> str | None:
    """Why a message's headers mark it as bulk mail ("List-Unsubscribe header",
    "Precedence: bulk header"), or None. `get(name)` is the header's value or None."""
    for signal in signals().headers:
        value = get(signal.header)
        if value is None:
            continue
        word = (value.split() or [""])[0].strip(";,").casefold()
        if not signal.values:
            return f"{signal.header} header"
        if word in (v.casefold() for v in signal.values):
            return f"{signal.header}: {word} header"
    return None


# Lotus Notes quotes a message under a block of its own, with no From line:
# '"Name" <a@b> on 03/15/2001 03:22:26 PM', maybe "Sent by:" or "Please respond to",
# then To, cc and Subject lines (Enron's mail is full of them). From the line of
# that date on, the body is quoted history. (Found from its date, a literal start:
# a pattern starting at every line would cost a scan of each line.)
_NOTES_HEADER = re.compile(
    r"\bon \d{1,2}/\d{1,2}/\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*[AP]M[ \t]*\n"
    r"(?:[^\n]*\n){0,3}?[ \t]*To:[^\n]*\n(?:[^\n]*\n){0,6}?[ \t]*Subject:",
    re.I,
)


def own_words(text: str, msg: Message, limit: int | None = None) -> str:
    """The words of message `msg` of a document whose text is `text`: its body after
    its header block, before its attachments, without quoted history (what
    `checker.ingest.quoted` finds, and a Lotus Notes reply block onwards). With
    `limit`, only the first `limit` characters of the body are read."""
    end = body_end(text, msg)
    pos = msg.start + body_start(text[msg.start : end], msg, msg.start)
    if limit is not None and pos + limit < end:
        end = pos + limit
        msg = replace(msg, end=end)
    pieces: list[str] = []
    for start, stop in quoted_spans(text, msg):
        if start > pos:
            pieces.append(text[pos:min(start, end)])
        pos = max(pos, stop)
    if pos < end:
        pieces.append(text[pos:end])
    words = "".join(pieces)
    if "subject:" not in words.lower():
        return words
    notes = _NOTES_HEADER.search(words)
    return words if notes is None else words[: words.rfind("\n", 0, notes.start()) + 1]


def wording_reason(text: str, msg: Message) -> str | None:
    """Why the own words of message `msg` (of a document whose text is `text`) read
    as bulk mail, e.g. "subscription wording (as-a-subscriber): 'As a subscriber,
    you may'", or None. Wording inside quoted history or an attachment does not count:
    a reply that quotes a newsletter is no newsletter."""
    found = signals()
    window = text[msg.start : body_end(text, msg)]
    low = window.lower()
    if not found.may_hold_wording(low):
        return None
    maybe = [w for w in found.wording if w.search(window, low)]
    if not maybe:
        return None  # the common case: no wording at all, and no need to find quotes
    words = own_words(text, msg)
    low = words.lower()
    for wording in maybe:
        hit = wording.search(words, low)
        if hit is not None:
            shown = " ".join(hit.group().split())
            shown = shown if len(shown) <= 60 else shown[:59] + "…"
            return f"subscription wording ({wording.id}): '{shown}'"
    return None


_SALUTATION = re.compile(
    r"^[ \t]*(?:(?:dear|hi|hello|hey|greetings|good (?:morning|afternoon|evening))\b[^\n]{0,40}"
    r"|[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}[,:])[ \t]*\n",
    re.I,
)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_ADDRESS = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_DIGITS = re.compile(r"\d+")
_PARAGRAPH = re.compile(r"\n[ \t]*\n")


def comparable(words: str) -> str | None:
    """A body as blasts are compared: without its salutation lines ("Dear Ken,"),
    white space folded, case folded, web and email addresses and every run of digits
    masked (a mail merge varies names, links, dates and amounts); its first
    `COMPARED` characters. None when its opening paragraph is shorter than
    `MIN_OPENING` characters."""
    body = words.lstrip()
    for _ in range(3):
        cut = _SALUTATION.match(body)
        if cut is None:
            break
        body = body[cut.end() :].lstrip()
    opening = _PARAGRAPH.split(body, maxsplit=1)[0]
    if len(" ".join(opening.split())) < MIN_OPENING:
        return None
    body = _DIGITS.sub("0", _ADDRESS.sub("@", _URL.sub("url", body[: COMPARED * 2])))
    return " ".join(body.casefold().split())[:COMPARED]


def find_blasts(
    mail: Iterable[Sequence[str | None]],
    *,
    at_least: int = AT_LEAST,
    similarity: float = SIMILARITY,
) -> dict[int, str]:
    """The messages that look like mail-merge blasts, by position in `mail`, each
    with its reason ("mail-merge blast: 7 near-identical messages from x@y").

    Each item of `mail` is (sender, body) or (sender, body, copy), `body` the
    message's own words (`own_words`) and `copy` what identifies copies of one
    email (its Message-ID): copies count once, so one email filed in five folders
    is no blast. The thresholds are this module's constants.
    """
    by_sender: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
    for n, item in enumerate(mail):
        sender = " ".join((item[0] or "").casefold().split())
        body = comparable(item[1] or "") if sender else None
        if body is not None:
            copy = (item[2] if len(item) > 2 else None) or f"#{n}"
            by_sender[sender].append((n, body, copy))
    found: dict[int, str] = {}
    for sender, sent in by_sender.items():
        if len({copy for _, _, copy in sent}) < at_least:
            continue
        for group in _groups(sent, similarity):
            copies = {sent[k][2] for k in group}
            if len(copies) >= at_least:
                why = f"mail-merge blast: {len(copies)} near-identical messages from {sender}"
                found.update((sent[k][0], why) for k in group)
    return found


def _groups(sent: list[tuple[int, str, str]], similarity: float) -> list[list[int]]:
    """Positions in `sent` grouped by near-identical bodies: each body joins the group
    (of the last MAX_GROUPS with its PREFIX) whose first body is most like it, when
    alike enough, else starts a group."""
    groups: list[list[int]] = []
    firsts: dict[str, list[tuple[str, int]]] = defaultdict(list)  # prefix -> (body, group)
    exact: dict[str, int] = {}
    for k, (_, body, _) in enumerate(sent):
        g = exact.get(body)
        if g is None:
            near = firsts[body[:PREFIX]]
            hit = process.extractOne(
                body, [b for b, _ in near[-MAX_GROUPS:]], scorer=fuzz.ratio,
                score_cutoff=similarity,
            )
            if hit is not None:
                g = near[-MAX_GROUPS:][hit[2]][1]
            else:
                g = len(groups)
                groups.append([])
                near.append((body, g))
            exact[body] = g
        groups[g].append(k)
    return groups


def sender_of(msg: Message) -> str | None:
    """The address a message is from (its From line as written when it has none)."""
    return msg.from_addr[1] if msg.from_addr else msg.sender


def copy_key(msg: Message) -> str:
    """What copies of one email share: its Message-ID, else its date, sender,
    recipients and subject as written."""
    return msg.message_id or f"{msg.date_raw}|{msg.sender}|{msg.recipients}|{msg.subject}"


def mailings(
    text: str, messages: Sequence[Message], senders: set[str | None] | None = None
) -> Iterator[tuple[str | None, str | None, str]]:
    """(sender, own words, copy key) of each message of a document whose text is
    `text`, as `find_blasts` takes them (the words as far as `comparable` reads);
    with `senders`, only their messages' words are read (the others give None:
    they cannot make a blast)."""
    for m in messages:
        sender = sender_of(m)
        read = senders is None or sender in senders
        words = own_words(text, m, COMPARED * 2) if read else None
        yield sender, words, copy_key(m)


def document_blasts(text: str, messages: Sequence[Message]) -> dict[int, str]:
    """The mail-merge blasts among one document's messages (an mbox), by position.
    Only senders of `AT_LEAST` messages or more have their bodies read."""
    often = {s for s, n in Counter(map(sender_of, messages)).items() if n >= AT_LEAST}
    return find_blasts(mailings(text, messages, often)) if often else {}


def printed(text: str, messages: Sequence[Message]) -> list[Message]:
    """Printed emails (a PDF or OCR printout) have no headers to read but their
    words: each one that addresses its reader as a mailing does, and every blast
    among them, gets `bulk`."""
    worded = {n: r for n, m in enumerate(messages) if (r := wording_reason(text, m))}
    return mark(mark(messages, worded), document_blasts(text, messages))


def mark(messages: Sequence[Message], reasons: dict[int, str]) -> list[Message]:
    """`messages` with `bulk` set from `reasons` (by position) where none is set yet."""
    return [
        replace(m, bulk=reasons[n]) if n in reasons and m.bulk is None else m
        for n, m in enumerate(messages)
    ]
