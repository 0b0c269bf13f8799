"""Search a case's records: its filters read against the case, then the index asked.

`search_case(root, query, ...)` brings the case index up to date (as `docs`
and `show` do) and runs `checker.case.query.search`; `search_records` does
the same on an index already open (the web app's). The filters:

* `senders` / `recipients` (`--from` / `--to`), each value one of
  - an entity of entities.yaml (its id, name or alias): records from (or to)
    it or any of its members and sub-units, the correspondent resolved as
    header facts resolve one (`checker.ingest.headers`: the person listing the
    address, else the organisation whose domains hold it, else the entity whose
    name or alias is the display name);
  - an address (`ann@acme.example.com`), or a domain (`@acme.example.com`);
  - a name as the From, To and Cc lines show it, matched as whole words with
    case and accents folded (`Flanagan`, `Chris Flanagan`).
  Several values are alternatives; a value that names nothing in the case
  (no entity, and no correspondent with that address or name) is an error
  with the nearest entity or name.
* `after` / `before`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, read as claims' time
  scopes are: after D's last day, before D's first day, in the case timezone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from email.utils import parseaddr
from pathlib import Path

from rapidfuzz import fuzz, process

from checker.case.meta import case_timezone
from checker.case.query import DEFAULT_LIMIT, SearchResult, Where, parse_query, search
from checker.errors import CaseNotFound, Problem, SearchOptionInvalid
from checker.ingest.headers import resolve_party
from checker.ingest.index import PROGRESS, Index, open_index
from checker.model.entities import Entity, EntityIndex
from checker.model.timespan import parse_date
from checker.schema import validate
from checker.yamlfile import YamlError, load_yaml


def search_case(
    root: Path,
    query: str,
    *,
    senders: Sequence[str] = (),
    recipients: Sequence[str] = (),
    after: str | None = None,
    before: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> SearchResult:
    """The case's records that `query` finds, best first (see the module's docstring).
    Reports the index's progress to the callback in `PROGRESS`, if one is set."""
    root = Path(root)
    if not (root / "evidence").is_dir():
        raise CaseNotFound(root, "no evidence/ folder here" if root.is_dir() else "no such folder")
    with open_index(root, case_timezone(root)) as index:
        # Mistakes in the query or a date are told before the production is walked.
        parse_query(index.con, query)
        _where(None, None, after, before)
        index.update(PROGRESS.get())
        return search_records(
            index, case_entities(root), query, senders=senders, recipients=recipients,
            after=after, before=before, limit=limit,
        )


def search_records(
    index: Index,
    entities: EntityIndex,
    query: str,
    *,
    senders: Sequence[str] = (),
    recipients: Sequence[str] = (),
    after: str | None = None,
    before: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> SearchResult:
    """`search_case` on an open index, with the case's entities."""
    sender = _Party("--from", senders, entities) if senders else None
    recipient = _Party("--to", recipients, entities) if recipients else None
    where = _where(sender, recipient, after, before)
    result = search(index, query, where, limit)
    if sender is not None:
        sender.check(index.senders)
    if recipient is not None:
        recipient.check(index.recipients)
    return result


def _where(
    sender: Callable[[str], bool] | None,
    recipient: Callable[[str], bool] | None,
    after: str | None,
    before: str | None,
) -> Where:
    return Where(
        sender,
        recipient,
        after=_day("--after", after, last=True) if after else None,
        before=_day("--before", before, last=False) if before else None,
    )


def case_entities(root: Path) -> EntityIndex:
    """The entities of entities.yaml that are well formed (`checker validate`
    reports the rest); none when there is no entities.yaml."""
    path = root / "entities.yaml"
    if not path.is_file():
        return EntityIndex([])
    try:
        items = load_yaml(path, "entities.yaml")
    except YamlError:
        return EntityIndex([])
    problems: list[Problem] = []
    valid = [validate(Entity, raw, "entities.yaml", problems) for raw in items or []]
    return EntityIndex([e for e in valid if e is not None])


# -- correspondents -------------------------------------------------------------


def party(value: str) -> tuple[str, str]:
    """`(display name, address)` of a From, To or Cc value as records hold it; a
    printout's bare name has no address."""
    if "@" in value:
        name, address = parseaddr(value)
        if "@" in address:
            return name.strip(), address.strip()
    return value.strip(), ""


def _fold(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).split())


def _matcher(option: str, value: str, entities: EntityIndex) -> tuple[str, Callable[[str], bool]]:
    """What `value` names (`entity`, `address`, `domain` or `name`) and a test
    of one correspondent (a raw From/To value) against it."""
    wanted = value.strip()
    if "@" not in wanted:
        if entities.ambiguous(wanted):
            raise SearchOptionInvalid(option, value, entities.unknown_message(wanted) + ".")
        eid = entities.resolve(wanted)
        if eid is not None:

            def is_entity(raw: str) -> bool:
                found = resolve_party(*party(raw), entities)
                return found is not None and entities.within(found, eid)

            return "entity", is_entity
        words = re.compile(rf"(?<!\w){re.escape(_fold(wanted))}(?!\w)")
        return "name", lambda raw: bool(words.search(_fold(party(raw)[0])))
    if wanted.startswith("@"):
        domain = wanted[1:].casefold()

        def in_domain(raw: str) -> bool:
            host = party(raw)[1].rpartition("@")[2].casefold()
            return host == domain or host.endswith("." + domain)

        return "domain", in_domain
    address = wanted.casefold()
    return "address", lambda raw: party(raw)[1].casefold() == address


class _Party:
    """`--from` or `--to`'s values as one test of a correspondent (a raw From,
    To or Cc value): any value may match. It remembers which values matched,
    so that a value that matched nothing in a search can be looked for in the
    whole case afterwards: only then are all the case's correspondents read."""

    def __init__(self, option: str, values: Sequence[str], entities: EntityIndex):
        self.option = option
        self.entities = entities
        self.values = [(value, *_matcher(option, value, entities)) for value in values]
        self.matched: set[str] = set()
        self._known: dict[str, bool] = {}

    def __call__(self, raw: str) -> bool:
        known = self._known.get(raw)
        if known is None:
            hits = [value for value, _, test in self.values if test(raw)]
            self.matched.update(hits)
            known = self._known[raw] = bool(hits)
        return known

    def check(self, correspondents: Callable[[], list[str]]) -> None:
        """Raise `SearchOptionInvalid` for a value that names nothing in the case
        (a known entity that never wrote is an answer, not a mistake)."""
        unmatched = [
            (value, kind, test)
            for value, kind, test in self.values
            if kind != "entity" and value not in self.matched
        ]
        if not unmatched:
            return
        seen = correspondents()
        for value, kind, test in unmatched:
            if not any(test(raw) for raw in seen):
                why = _unknown(self.option, kind, value, seen, self.entities)
                raise SearchOptionInvalid(self.option, value, why)


def _unknown(option: str, kind: str, value: str, seen: list[str], entities: EntityIndex) -> str:
    """Why `value` names nothing, with the nearest entity or correspondent."""
    role = "sender" if option == "--from" else "recipient"
    suggestion = entities.suggest(value) if kind == "name" else None
    if suggestion is None:
        labels = {p for raw in seen for p in party(raw) if p}
        best = process.extractOne(value, sorted(labels), scorer=fuzz.WRatio, score_cutoff=70)
        suggestion = f"'{best[0]}'" if best else None
    why = {
        "name": f"no entity in entities.yaml is called that, and no {role} in the records has "
        "that name",
        "address": f"no {role} in the records has that address",
        "domain": f"no {role} in the records has an address at that domain",
    }[kind]
    hint = f" Did you mean {suggestion}?" if suggestion else ""
    return (
        f"{why}.{hint} Give an entity id from entities.yaml, a name as the From/To lines "
        "show it, an address or an @domain (`checker docs` lists the records' correspondents)."
    )


def _day(option: str, value: str, last: bool) -> str:
    """The day a date filter compares with: D's last day for --after, its first for --before."""
    try:
        span = parse_date(value)
    except ValueError as err:  # "'2020-13' is not a real date (...)": the value is shown once
        why = str(err).removeprefix(f"'{value.strip()}' is ")
        raise SearchOptionInvalid(option, value, f"{why}.") from None
    return (span.end if last else span.start).isoformat()
