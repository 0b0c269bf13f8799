"""Email headers as `communication` facts, exactly as the spec defines them.

`from` is the person listing the sender's address, else the organisation
whose domains hold its domain, else the entity whose name or alias is
exactly the display name; `to` the same for every To and Cc address;
`date` the Date header's day in the case timezone; `channel` is `personal`
when a known person writes from a domain outside every organisation they
belong to, else `work`; it is left unknown when none of the person's
organisations lists a domain, since `personal` would then be a guess.
`bulk` is true when the message is bulk mail (`Message.bulk`: a newsletter,
list mail, a mail-merge blast, or a blast found across the case's files and
passed in as `blasts`), and left out otherwise.

The citation quotes the decoded header lines from the From line to the last
of the To and Cc lines (who sent it and who received it), exactly as the
document's text has them; a message without either keeps the From line.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from checker.ingest.document import Document, Message
from checker.model.entities import EntityIndex
from checker.model.facts import Fact, fact_interval, fact_key
from checker.model.timespan import day_span


def resolve_party(name: str, address: str, entities: EntityIndex) -> str | None:
    """The person listing `address`, else the organisation holding its domain, else the
    entity whose name or alias is exactly the display name."""
    return (
        entities.person_for_address(address)
        or entities.organisation_for_domain(address.rpartition("@")[2])
        or (entities.resolve(name) if name.strip() else None)
    )


def _channel(address: str, sender: str | None, entities: EntityIndex) -> str | None:
    if sender is None or sender not in entities.by_id or entities.by_id[sender].kind != "person":
        return "work"
    domain = address.rpartition("@")[2].casefold()
    own = entities.domains_within(sender)
    if not own or not domain:
        # No organisation domain to compare with, or a printout that shows only the
        # sender's name: `personal` would be a guess, so the channel stays unknown.
        return None
    inside = any(domain == d or domain.endswith("." + d) for d in own)
    return "work" if inside else "personal"


def communication_fact(
    doc: Document, n: int, msg: Message, entities: EntityIndex, bulk: str | None = None
) -> Fact | None:
    """The `communication` fact of one message, or None if it has no From line.
    `bulk` is a reason found beyond the document for it to be bulk mail."""
    if msg.from_line is None:
        return None
    roles: dict[str, object] = {}
    sender = resolve_party(*msg.from_addr, entities) if msg.from_addr else None
    if sender:
        roles["from"] = sender
    recipients: list[str] = []
    for name, addr in msg.to_addrs:
        rid = resolve_party(name, addr, entities)
        if rid and rid not in recipients:
            recipients.append(rid)
    if recipients:
        roles["to"] = tuple(recipients)
    channel = _channel(msg.from_addr[1] if msg.from_addr else "", sender, entities)
    if channel:
        roles["channel"] = channel
    if msg.date:
        roles["date"] = day_span(datetime.fromisoformat(msg.date).date())
    if msg.bulk or bulk:
        roles["bulk"] = True
    start, end = msg.from_line
    if msg.to_line is not None and start < msg.to_line[1] <= msg.end:
        end = max(end, msg.to_line[1])
    suffix = f"#{n + 1}" if len(doc.messages) > 1 else ""
    return Fact(
        id=f"header:{doc.path}{suffix}",
        type="communication",
        roles=roles,
        status="confirmed",
        origin="header",
        source=doc.passage(start, end),
        interval=fact_interval(roles, ("date",)),
        where=doc.path,
        key=fact_key("communication", roles),
    )


def header_facts(
    doc: Document, entities: EntityIndex, blasts: Mapping[int, str] | None = None
) -> list[Fact]:
    """The `communication` facts of a document's messages. `blasts` (message position
    -> reason) marks messages as bulk mail that only the whole case shows to be, such
    as a mail-merge blast spread over many .eml files (`checker.ingest.bulk.find_blasts`)."""
    out = []
    for n, msg in enumerate(doc.messages):
        fact = communication_fact(doc, n, msg, entities, (blasts or {}).get(n))
        if fact is not None:
            out.append(fact)
    return out
