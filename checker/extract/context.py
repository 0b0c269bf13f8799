"""What a matched sentence is read with: its message (sender, recipients,
day) and the sentence itself (trigger, entity mentions, the next sentence).

The sender and recipients are resolved from the header addresses as header
facts are (checker/ingest/headers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from spacy.tokens import Span

from checker.extract.mentions import Mention
from checker.extract.when import Found, find_dates
from checker.ingest.document import Message
from checker.model.entities import EntityIndex

_ORG_KINDS = ("organization", "agency")


def _address_entity(name: str, address: str, entities: EntityIndex) -> str | None:
    """As header facts resolve an address (checker/ingest/headers.py)."""
    return (
        entities.person_for_address(address)
        or entities.organisation_for_domain(address.rpartition("@")[2])
        or (entities.resolve(name) if name.strip() else None)
    )


def org_of(eid: str, entities: EntityIndex) -> str | None:
    """The nearest organisation or agency of `eid` (itself if it is one)."""
    for cand in (eid, *entities.ancestors(eid)):
        e = entities.by_id.get(cand)
        if e is not None and e.kind in _ORG_KINDS:
            return cand
    return None


@dataclass
class MessageContext:
    """Who wrote a message, to whom, and when."""

    sender: str | None
    recipients: list[str]
    day: date | None
    entities: EntityIndex

    @classmethod
    def of(cls, msg: Message | None, entities: EntityIndex) -> MessageContext:
        if msg is None:
            return cls(None, [], None, entities)
        sender = _address_entity(*msg.from_addr, entities) if msg.from_addr else None
        recips: list[str] = []
        for name, addr in msg.to_addrs:
            rid = _address_entity(name, addr, entities)
            if rid and rid not in recips and rid != sender:
                recips.append(rid)
        day = datetime.fromisoformat(msg.date).date() if msg.date else None
        return cls(sender, recips, day, entities)

    def orgs(self, ids: list[str]) -> list[str]:
        return [o for o in (org_of(i, self.entities) for i in ids) if o]


@dataclass
class Sentence:
    """A matched sentence: trigger, mentions, and the sentence after it (continuation)."""

    sent: Span
    trigger: Span
    mentions: list[Mention]
    ctx: MessageContext
    next_sent: Span | None = None
    used_next: bool = False
    used_fuzzy: bool = False
    _dates: list[Found] | None = field(default=None, repr=False)
    #: the sentence's text, if the caller has it (spaCy rebuilds it from the tokens)
    _text: str | None = field(default=None, repr=False)

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self.sent.text
        return self._text

    def dates(self) -> list[Found]:
        if self._dates is None:
            self._dates = find_dates(self.text, self.ctx.day)
        return self._dates
