"""What entities.yaml lacks, read from the records' headers: people by address,
organisations by domain, each with the records it is in, ready to paste.

Nothing is written; the analyst reads, edits and pastes the block
(`report/entities.py`). A person is an address no entity lists in `emails`;
an organisation is a domain no entity lists in `domains`, at the level an
organisation registers (`ect.enron.com` is `enron.com`'s). Free-mail domains
(`data/freemail.yaml`) never make an organisation. A person is `member_of`
the organisation that holds their domain, in entities.yaml or suggested with
them.

A person's name is the display name the headers give most often, put in
first-last order ("Lay, Kenneth" is Kenneth Lay), else the name they sign
with when it fits the address, else a guess from the address
(`rosalee.fleming@` is Rosalee Fleming). A name that already names an entity
is not a new person but a hint: that entity probably uses the address. Ids
are slugs of the names, never an id, name or alias the case or another
suggestion already uses, so that pasting the block changes no reference.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from checker import data
from checker.case.correspondents import Correspondent, Correspondents
from checker.model.entities import EntityIndex

FREEMAIL = data.HERE / "freemail.yaml"
NameFrom = Literal["header", "signature", "address", "domain"]

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_ADDRESS = re.compile(r"[^@\s]+@(?:[\w-]+\.)+[\w-]+")
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "phd", "md", "esq", "cpa", "jd"}
# Second-level labels under a country code that an organisation registers below
# (co.uk, com.au, gov.in), and US locality labels (puc.state.pa.us).
_SECOND_LEVEL = {"co", "com", "ac", "gov", "org", "net", "edu", "ne", "or", "go", "gv",
                 "mil", "ltd", "plc", "nhs", "sch", "nic", "gob", "gouv"}
_US_LOCALITY = {"state", "k12", "ci", "co", "lib", "cc", "tec", "city", "county"}
MAX_ALIASES = 5


class FreeMail(BaseModel):
    """One free-mail provider of data/freemail.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    name: str
    domains: list[str] = Field(min_length=1)


@cache
def free_mail() -> dict[str, str]:
    """Each free-mail domain and its provider's id, from data/freemail.yaml."""
    providers = [FreeMail.model_validate(p) for p in yaml.safe_load(FREEMAIL.read_text("utf-8"))]
    return {d.casefold(): p.id for p in providers for d in p.domains}


def free_mail_provider(domain: str) -> str | None:
    """The provider whose domain holds `domain` (a subdomain counts), or None."""
    known = free_mail()
    labels = domain.casefold().split(".")
    return next((known[d] for i in range(len(labels)) if (d := ".".join(labels[i:])) in known),
                None)


def registered(domain: str) -> str:
    """The domain an organisation registers, from a mail domain: `ect.enron.com` ->
    `enron.com`, `mail.bbc.co.uk` -> `bbc.co.uk`, `puc.state.pa.us` as it is."""
    labels = domain.casefold().split(".")
    keep = 2
    if len(labels) >= 3 and len(labels[-1]) == 2:
        if labels[-2] in _SECOND_LEVEL or (labels[-1] == "us" and len(labels[-2]) == 2):
            keep = 3
            if labels[-1] == "us" and len(labels) >= 4 and labels[-3] in _US_LOCALITY:
                keep = 4
    return ".".join(labels[-keep:])


def clean(name: str) -> str:
    """A name without terminal escapes, control characters or stray quotes, its
    white space folded."""
    name = _CONTROL.sub("", _ANSI.sub("", name))
    return " ".join(name.split()).strip(" \"'`,;")


def person_name(display: str) -> str | None:
    """The name a display name gives, first name first ("Lay, Kenneth" -> "Kenneth
    Lay"); None when it is no name (empty, an address, no letters)."""
    name = clean(display)
    if not name or "@" in name or not any(ch.isalpha() for ch in name):
        return None
    last, comma, first = name.partition(",")
    if comma and "," not in first and first.strip() and last.strip():
        if first.strip(" .").casefold() not in _SUFFIXES:
            name = f"{first.strip()} {last.strip()}"
    return name


def name_from_address(address: str) -> str:
    """A guess at a person's name from an address's local part."""
    local = address.partition("@")[0].partition("+")[0]
    words = [w.rstrip("0123456789") for w in re.split(r"[._\-]+", local)]
    words = [w for w in words if w]
    if not words:
        return local or address
    return " ".join(f"{w.upper()}." if len(w) == 1 else w[:1].upper() + w[1:] for w in words)


def organisation_name(domain: str) -> str:
    """A guess at an organisation's name from its domain (`enron.com` -> Enron)."""
    label = domain.partition(".")[0]
    return label.upper() if len(label) <= 3 else label.replace("-", " ").title()


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def slug(text: str) -> str:
    """An entity id from a name: lowercase ASCII letters and digits, joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text)).strip("-")[:60].strip("-")


def _fits(name: str, address: str) -> bool:
    """A signed name fits an address when it has two words or more and its last
    word is in the address's local part ("Tom Kalb", thomas.kalb@)."""
    words = [re.sub(r"[^a-z]", "", _ascii(w)) for w in name.split()]
    local = re.sub(r"[^a-z]", "", _ascii(address.partition("@")[0]))
    return len(words) >= 2 and len(words[-1]) >= 2 and words[-1] in local


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class Person:
    """A person entities.yaml lacks. `member_of` is an entity's id, of entities.yaml
    or of a suggested organisation; `free_mail` the provider when their address is
    a free-mail one. No `emails` for a name a printout shows without an address."""

    id: str
    name: str
    name_from: NameFrom
    emails: list[str]
    aliases: list[str]
    member_of: str | None
    free_mail: str | None
    sent: int
    received: int
    records: int
    example: str
    same_name_as: str | None = None


@dataclass
class Organisation:
    """An organisation entities.yaml lacks: a registered domain and every domain
    seen under it, with the records naming an address there."""

    id: str
    name: str
    name_from: NameFrom
    domains: list[str]
    seen: list[str]
    records: int
    people: int
    example: str


@dataclass
class Known:
    """An address that an entity of entities.yaml probably uses but does not list:
    its display name (or the name guessed from it) names that entity."""

    entity: str
    address: str
    name: str
    name_from: NameFrom
    records: int
    key: Literal["emails", "domains"] = "emails"


@dataclass
class Suggestions:
    """What `checker entities --suggest` shows, and how it was chosen."""

    people: list[Person]
    organisations: list[Organisation]
    known: list[Known]
    minimum: int
    limit: int | None
    records: int  # records with headers
    candidates: int  # people entities.yaml lacks, before --min and --limit
    signatures: bool
    not_addresses: list[str] = field(default_factory=list)  # header values with no domain


@dataclass
class _Candidate:
    who: Correspondent
    name: str
    name_from: NameFrom
    aliases: list[str]
    domain: str
    records: set[str]
    sent: set[str]
    received: set[str]


def _names(who: Correspondent) -> tuple[str | None, list[str]]:
    """The display name most written (first-last order) and the other forms."""
    forms: list[str] = []
    chosen = None
    for raw, _ in who.names.most_common():
        name = person_name(raw)
        if name is None:
            continue
        chosen = chosen or name
        forms += [name, clean(raw)]
    return chosen, list(dict.fromkeys(f for f in forms if chosen and _key(f) != _key(chosen)))


def _candidate(who: Correspondent) -> _Candidate:
    name, aliases = _names(who)
    name_from: NameFrom = "header"
    if name is None:
        signed = [clean(s) for s, _ in who.signatures.most_common() if _fits(clean(s), who.address)]
        name, name_from = (signed[0], "signature") if signed else (
            name_from_address(who.address), "address")
    domain = who.address.rpartition("@")[2]
    return _Candidate(
        who, name, name_from, aliases, domain, who.records, set(who.sent), set(who.received)
    )


class _Labels:
    """Ids, names and aliases in use: entities.yaml's and the suggestions' own."""

    def __init__(self, entities: EntityIndex):
        self.entities = entities
        self.new: dict[str, str] = {}  # label key -> the suggested entity's id

    def taken(self, label: str) -> bool:
        e = self.entities
        return e.resolve(label) is not None or bool(e.ambiguous(label)) or _key(label) in self.new

    def new_id(self, base: str) -> str:
        eid, n = base, 1
        while self.taken(eid):
            n += 1
            eid = f"{base}-{n}"
        self.new[_key(eid)] = eid
        return eid

    def add(self, label: str, eid: str) -> None:
        self.new.setdefault(_key(label), eid)


def _names_alone(found: Correspondents, entities: EntityIndex, people: list[_Candidate]) -> list[
    _Candidate
]:
    """Names a printout shows without an address: merged into the person of that
    name, else people of their own; none that entities.yaml already names (header
    facts find those by name)."""
    by_label = {_key(label): c for c in people for label in (c.name, *c.aliases)}
    out = []
    for who in found.by_name.values():
        name, aliases = _names(who)
        if name is None or entities.resolve(name) is not None:
            continue
        same = by_label.get(_key(name))
        if same is not None:
            same.sent |= who.sent
            same.received |= who.received
            same.records |= who.records
            same.aliases += [a for a in aliases if a not in same.aliases]
            continue
        c = _Candidate(
            who, name, "header", aliases, "", who.records, set(who.sent), set(who.received)
        )
        out.append(c)
        by_label[_key(name)] = c
    return out


@dataclass
class _Domains:
    """Domains no organisation of entities.yaml holds, by the domain registered:
    the records naming any address there, and whether an address there is one
    no entity lists (a domain of listed people alone is theirs, not a missing
    organisation's: Dana Kim's home mail)."""

    records: dict[str, set[str]] = field(default_factory=dict)
    seen: dict[str, set[str]] = field(default_factory=dict)
    example: dict[str, str] = field(default_factory=dict)
    unlisted: set[str] = field(default_factory=set)

    def add(self, domain: str, who: Correspondent, listed: bool) -> None:
        reg = registered(domain)
        self.records.setdefault(reg, set()).update(who.records)
        self.seen.setdefault(reg, set()).add(domain)
        if not listed:
            self.unlisted.add(reg)
            self.example.setdefault(reg, who.example)


def _organisation_for(c: _Candidate, entities: EntityIndex) -> str | None:
    """The registered domain of a new organisation `c` would be member of, if any."""
    if not c.domain or entities.organisation_for_domain(c.domain):
        return None
    return None if free_mail_provider(c.domain) else registered(c.domain)


def suggest(
    found: Correspondents, entities: EntityIndex, minimum: int = 2, limit: int | None = None
) -> Suggestions:
    """People and organisations `found` names that `entities` lacks (in `minimum`
    records at least; the `limit` most frequent of each, and the organisations
    those people belong to), and addresses that known entities probably use."""
    known: list[Known] = []
    people: list[_Candidate] = []
    not_addresses: list[str] = []
    domains = _Domains()
    for address, who in found.by_address.items():
        if not _ADDRESS.fullmatch(address):
            not_addresses.append(address)
            continue
        domain = address.rpartition("@")[2]
        listed = entities.person_for_address(address) is not None
        if not entities.organisation_for_domain(domain) and not free_mail_provider(domain):
            domains.add(domain, who, listed)
        if listed:
            continue
        c = _candidate(who)
        eid = entities.resolve(c.name)
        if eid is not None:
            if len(c.records) >= minimum:
                known.append(Known(eid, address, c.name, c.name_from, len(c.records)))
        else:
            people.append(c)
    people += _names_alone(found, entities, people)
    people = [c for c in people if len(c.records) >= minimum]
    candidates = len(people)
    people.sort(key=lambda c: (-len(c.records), c.who.address, _key(c.name)))
    people = people[:limit] if limit else people

    frequent = sorted(
        (reg for reg in domains.unlisted if len(domains.records[reg]) >= minimum),
        key=lambda reg: (-len(domains.records[reg]), reg),
    )
    wanted = list(dict.fromkeys(
        [*(frequent[:limit] if limit else frequent),
         *(reg for c in people if (reg := _organisation_for(c, entities)))]
    ))
    labels = _Labels(entities)
    org_of: dict[str, str] = {}  # registered domain -> the organisation's id
    orgs: list[Organisation] = []
    for reg in wanted:
        name = organisation_name(reg)
        eid = entities.resolve(name)
        if eid is not None and entities.by_id[eid].kind != "person":
            # "Enron" is in entities.yaml, without this domain
            known.append(Known(eid, reg, name, "domain", len(domains.records[reg]), "domains"))
            org_of[reg] = eid
            continue
        if eid is not None or labels.taken(name):
            name = reg  # a second entity of that name would make the name ambiguous
        oid = labels.new_id(slug(reg.partition(".")[0]) or "organization")
        labels.add(name, oid)
        org_of[reg] = oid
        orgs.append(Organisation(oid, name, "domain", [reg], sorted(domains.seen[reg]),
                                 len(domains.records[reg]), 0, domains.example[reg]))
    out = [_person(c, entities, labels, org_of) for c in people]
    for o in orgs:
        o.people = sum(1 for p in out if p.member_of == o.id)
    known.sort(key=lambda k: (-k.records, k.entity, k.address))
    return Suggestions(
        out, orgs, known[:limit] if limit else known, minimum, limit, found.records,
        candidates, found.signatures, sorted(not_addresses),
    )


def _person(c: _Candidate, entities: EntityIndex, labels: _Labels, org_of: dict[str, str]) -> (
    Person
):
    address = c.who.address
    member_of = entities.organisation_for_domain(c.domain) if c.domain else None
    provider = None if member_of or not c.domain else free_mail_provider(c.domain)
    if member_of is None and provider is None and c.domain:
        member_of = org_of.get(registered(c.domain))
    same = labels.new.get(_key(c.name))
    base = slug(c.name) or slug(address.partition("@")[0]) or "person"
    pid = labels.new_id(base)
    aliases = [a for a in c.aliases if not labels.taken(a)][:MAX_ALIASES]
    for label in (c.name, *aliases):
        labels.add(label, pid)
    return Person(
        pid, c.name, c.name_from, [address] if address else [], aliases, member_of, provider,
        len(c.sent), len(c.received), len(c.records), c.who.example, same,
    )
