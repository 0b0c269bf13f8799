"""The `entities` listings: entities.yaml's entities with the records that name
them, and the suggestions of `entities --suggest` as a table, JSON, or a YAML
block to paste into entities.yaml.

Names and addresses come from email headers, so they are hostile: the table
shows escapes (`cut`), and the YAML block writes every value plain only when
it reads back as the same string, double-quoted otherwise, with every
character a terminal or a YAML reader could take for layout written as an
escape. Comments hold no line break.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict

import yaml

from checker.case.correspondents import EntityRecords
from checker.case.suggest import Known, Organisation, Person, Suggestions
from checker.report.docs import cut, table
from checker.yamlfile import load_value

_PLAIN = re.compile(r"[^\W\d_](?:[\w.'’ -]*[\w.])?")
_PLAIN_ADDRESS = re.compile(r"(?:[a-z0-9][\w.+-]*@)?[a-z0-9][\w-]*(?:\.[\w-]+)+")
# Characters that JSON leaves raw but a YAML reader refuses, or reads as a line
# break, or a terminal obeys: written as \u escapes inside double quotes.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")

NAME_FROM = {
    "header": "",
    "signature": "signature",
    "address": "guess",
    "domain": "guess",
}


def _reads_back(text: str) -> bool:
    try:
        return bool(load_value(text) == text)
    except yaml.YAMLError:
        return False


def scalar(text: str, address: bool = False) -> str:
    """`text` as a YAML scalar that reads back as `text`: plain when it is a plain
    name (or with `address`, an address or domain) that YAML takes as a string,
    double-quoted otherwise."""
    plain = _PLAIN_ADDRESS if address else _PLAIN
    if plain.fullmatch(text) and _reads_back(text):
        return text
    quoted = json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML one
    return _ESCAPE.sub(lambda m: f"\\u{ord(m[0]):04x}", quoted)


def _flow(values: Sequence[str], address: bool = False) -> str:
    return "[" + ", ".join(scalar(v, address) for v in values) + "]"


def _comment(text: str) -> str:
    """A YAML comment: one line, whatever `text` holds."""
    return "  # " + _NEWLINE.sub(" ", text).strip() if text else ""


def _plural(n: int, word: str, words: str | None = None) -> str:
    return f"{n} {word if n == 1 else words or word + 's'}"


def _records(n: int, sent: int | None = None, received: int | None = None) -> str:
    out = _plural(n, "record")
    return out if sent is None else f"{out}: {sent} sent, {received} received"


def _guess(p: Person | Organisation) -> str:
    if p.name_from == "signature":
        return "from a signature: check it"
    if isinstance(p, Organisation):
        return f"a guess from the domain {p.domains[0]}: check it"
    if p.name_from == "address":
        return f"a guess from the address {p.emails[0]}: check it"
    return ""


def _org_yaml(o: Organisation) -> list[str]:
    seen = f"seen: {', '.join(o.seen)}; " if o.seen != o.domains else ""
    return [
        f"- id: {scalar(o.id)}" + _comment(f"{_records(o.records)}, e.g. {o.example}"),
        f"  name: {scalar(o.name)}" + _comment(_guess(o)),
        "  kind: organization",
        f"  domains: {_flow(o.domains, address=True)}"
        + _comment(f"{seen}subdomains included"),
    ]


def _person_yaml(p: Person) -> list[str]:
    head = f"{_records(p.records, p.sent, p.received)}, e.g. {p.example}"
    if p.same_name_as:
        head += f"; same name as {p.same_name_as}: one person?"
    out = [
        f"- id: {scalar(p.id)}" + _comment(head),
        f"  name: {scalar(p.name)}" + _comment(_guess(p)),
        "  kind: person",
    ]
    if p.aliases:
        out.append(f"  aliases: {_flow(p.aliases)}")
    if p.member_of:
        out.append(f"  member_of: {scalar(p.member_of)}")
    if p.emails:
        free = f"{p.emails[0].rpartition('@')[2]} is free mail ({p.free_mail})" if (
            p.free_mail) else ""
        out.append(f"  emails: {_flow(p.emails, address=True)}" + _comment(free))
    return out


_BECAUSE = {
    "header": "the headers name it",
    "signature": "it signs",
    "address": "the address reads",
    "domain": "the domain reads",
}


def _known_line(k: Known) -> str:
    return _NEWLINE.sub(
        " ", f"#   {k.entity}: add {k.address} to its {k.key} ({_BECAUSE[k.name_from]} "
        f"'{k.name}'; {_records(k.records)})"
    )


def _scope(s: Suggestions) -> str:
    shown = f"{len(s.people)} of " if len(s.people) < s.candidates else ""
    limit = f", --limit {s.limit}" if s.limit else ""
    return (f"{shown}{_plural(s.candidates, 'person', 'people')} in "
            f"{_plural(s.minimum, 'record')} or more{limit}")


def render_suggestions_yaml(s: Suggestions) -> str:
    """The block to paste into entities.yaml, every guess marked in a comment."""
    lines = [
        f"# Suggested by `checker entities --suggest` from {s.records} records; nothing was"
        " added.",
        f"# {_scope(s)}, and {_plural(len(s.organisations), 'organisation')}.",
        "# Check every entry (names marked as a guess most of all), then paste into",
        "# entities.yaml the ones you keep.",
    ]
    for o in s.organisations:
        lines += _org_yaml(o)
    for p in s.people:
        lines += _person_yaml(p)
    if not s.people and not s.organisations:
        lines.append("# Nothing to suggest: entities.yaml has everyone in that many records.")
    if s.known:
        lines.append("# Entities of entities.yaml that probably use these (edit them by hand):")
        lines += [_known_line(k) for k in s.known]
    return "\n".join(lines) + "\n"


def render_suggestions_json(s: Suggestions) -> str:
    """The suggestions as one JSON object (people, organizations, known)."""
    out = {
        "records": s.records,
        "minimum": s.minimum,
        "limit": s.limit,
        "candidates": s.candidates,
        "signatures": s.signatures,
        "people": [asdict(p) for p in s.people],
        "organizations": [asdict(o) for o in s.organisations],
        "known": [asdict(k) for k in s.known],
        "not_addresses": s.not_addresses,
    }
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"


def render_suggestions_table(s: Suggestions) -> str:
    """People, organisations and hints, one line each, for reading."""
    out = [f"People entities.yaml lacks: {_scope(s)} (of {s.records} records)", ""]
    rows = [
        (str(p.records), str(p.sent), str(p.received), p.id, cut(p.name),
         NAME_FROM[p.name_from], cut(", ".join(p.emails)), p.member_of or p.free_mail or "")
        for p in s.people
    ]
    head = ("records", "sent", "received", "id", "name", "name is", "address", "member of")
    out.append(table(head, rows, numeric={0, 1, 2}) if rows else "(none)\n")
    out += [f"Organisations entities.yaml lacks: {len(s.organisations)}", ""]
    orows = [
        (str(o.records), str(o.people), o.id, cut(o.name), cut(", ".join(o.domains)),
         cut(", ".join(d for d in o.seen if d not in o.domains)))
        for o in s.organisations
    ]
    ohead = ("records", "people", "id", "name (a guess)", "domain", "also seen")
    out.append(table(ohead, orows, numeric={0, 1}) if orows else "(none)\n")
    if s.known:
        out += ["Entities of entities.yaml that probably use an address or domain they do not"
                " list:", ""]
        krows = [
            (str(k.records), k.entity, k.key, cut(k.address), f"{_BECAUSE[k.name_from]} "
             f"'{cut(k.name)}'")
            for k in s.known
        ]
        out.append(table(("records", "entity", "add to", "value", "because"), krows,
                         numeric={0}))
    out.append("Nothing was added. `--format yaml` gives the block to paste into entities.yaml.")
    return "\n".join(out) + "\n"


def render_entity_records_table(rows: Sequence[EntityRecords]) -> str:
    """entities.yaml's entities, each with the records its header facts name."""
    cells = [
        (e.id, e.kind, cut(e.name), str(e.records), str(e.sent), str(e.received)) for e in rows
    ]
    head = ("id", "kind", "name", "records", "sent", "received")
    note = ("Records whose header facts name the entity (From; To and Cc), by address, "
            "domain or display name.\n`checker entities --suggest` lists who is missing.")
    return table(head, cells, numeric={3, 4, 5}) + f"\n{note}\n"


def render_entity_records_json(rows: Sequence[EntityRecords]) -> str:
    """The same as a JSON list."""
    return json.dumps([asdict(e) for e in rows], indent=2, ensure_ascii=False) + "\n"
