"""A synthetic case for the engine bench: entities, 50 claims, and N base facts.

    python bench/facts.py OUT --facts 10000 --seed 7   # write the case folder only

The case folder (`case.yaml`, `entities.yaml`, `claims/bench.yaml`) is small
and is loaded by `checker.case.load_case`, so the claims are resolved by the
real loader. The facts are made in memory (`make_facts`), as `Fact` objects
shaped like the ones the loader makes from `facts/*.yaml`: writing a million
facts to YAML and reading them back would time the YAML parser, not the engine.

Entities: 10 groups; 100 organisations, each `part_of` a group; 4 units per
organisation (`part_of` it); 10 people per unit (`member_of` it); 10 vendors
with 3 products each (`part_of` the vendor); 5 agencies with 2 units each.
Facts are of the seven built-in base types, with dates from 2015 to 2022 (one
in ten at month precision). The same seed and size give the same facts.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `checker` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from checker.model.facts import Fact, Passage, fact_interval, fact_key  # noqa: E402
from checker.model.facttypes import FactType  # noqa: E402
from checker.model.timespan import DateSpan, parse_date  # noqa: E402

GROUPS, ORGS, UNITS, PEOPLE, VENDORS, PRODUCTS, AGENCIES = 10, 100, 4, 10, 10, 3, 5
FIRST_DAY, DAYS = date(2015, 1, 1), 8 * 365
PURPOSES = ["facial recognition", "licence plates", "immigration enforcement", "audit"]
DATA = ["arrest records", "photos", "rent roll", "case files"]
TOPICS = ["procurement", "training", "a demo", "the pilot"]
# Share of each base type among the facts (out of 100).
MIX = [
    ("communication", 35),
    ("meeting", 10),
    ("use", 15),
    ("referral", 10),
    ("account", 10),
    ("contract", 10),
    ("data_sharing", 10),
]


def org(i: int) -> str:
    return f"org{i:03d}"


def unit(i: int, u: int) -> str:
    return f"org{i:03d}-u{u}"


def person(i: int, u: int, p: int) -> str:
    return f"p{i:03d}-{u}-{p}"


def entities() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for g in range(GROUPS):
        out.append({"id": f"group{g}", "name": f"Group {g}", "kind": "organization"})
    for i in range(ORGS):
        out.append(
            {"id": org(i), "name": f"Org {i}", "kind": "organization",
             "part_of": f"group{i % GROUPS}"}
        )
        for u in range(UNITS):
            out.append(
                {"id": unit(i, u), "name": f"Org {i} Unit {u}", "kind": "organization",
                 "part_of": org(i)}
            )
            for p in range(PEOPLE):
                out.append(
                    {"id": person(i, u, p), "name": f"Person {i}-{u}-{p}", "kind": "person",
                     "member_of": unit(i, u)}
                )
    for v in range(VENDORS):
        out.append({"id": f"vendor{v}", "name": f"Vendor {v}", "kind": "organization"})
        for t in range(PRODUCTS):
            out.append(
                {"id": f"tool{v}-{t}", "name": f"Tool {v}-{t}", "kind": "product",
                 "part_of": f"vendor{v}"}
            )
    for a in range(AGENCIES):
        out.append({"id": f"agency{a}", "name": f"Agency {a}", "kind": "agency"})
        for u in range(2):
            out.append(
                {"id": f"agency{a}-u{u}", "name": f"Agency {a} Unit {u}", "kind": "agency",
                 "part_of": f"agency{a}"}
            )
    return out


def claims(rng: random.Random) -> list[dict[str, Any]]:
    """50 claims: every form, time scopes, and entities at every level of membership."""

    def anyone() -> str:
        i, u = rng.randrange(ORGS), rng.randrange(UNITS)
        return rng.choice([org(i), unit(i, u), person(i, u, rng.randrange(PEOPLE))])

    def vendor() -> str:
        return f"vendor{rng.randrange(VENDORS)}"

    def agency() -> str:
        return f"agency{rng.randrange(AGENCIES)}"

    def year() -> int:
        return rng.randrange(2015, 2023)

    def scope() -> dict[str, Any]:
        y = year()
        return rng.choice(
            [
                {},
                {"as_of": f"{y}-0{rng.randrange(1, 10)}"},
                {"during": {"from": f"{y}-01", "to": f"{y}-06"}},
                {"before": str(y)},
                {"after": str(y)},
            ]
        )

    def leaf(k: int) -> dict[str, Any]:
        o = org(rng.randrange(ORGS))
        kinds: list[dict[str, Any]] = [
            {"none": {"fact": "relationship", "parties": [anyone(), vendor()], **scope()}},
            {"some": {"fact": "contact", "parties": [anyone(), agency()], **scope()}},
            {"some": {"fact": "contract", "parties": [o], "kind": "trial", **scope()}},
            {"none": {"fact": "data_sharing", "from": anyone(), "to": agency(),
                      "purpose": rng.choice(PURPOSES)}},
            {"every": {"fact": "use", "user": o, **scope()}, "must": {"provider": vendor()}},
            {"count": {"fact": "contract", "parties": [o, vendor()]}, "at_most": rng.randrange(4)},
            {"count": {"fact": "meeting", "participants": [anyone()], **scope()},
             "at_least": rng.randrange(1, 30)},
            {"none": {"fact": "account", "holder": anyone(), "provider": vendor()}},
            {"some": {"fact": "referral", "by": anyone(), "to": [agency()]}},
            {"none": {"fact": "communication", "from": anyone(), "to": [anyone()],
                      "channel": "personal", **scope()}},
        ]
        return kinds[k % len(kinds)]

    out: list[dict[str, Any]] = []
    for n in range(50):
        if n < 30:
            asserts = leaf(n)
        elif n < 38:
            asserts = {"all_of": [leaf(n), leaf(n + 3), leaf(n + 5)]}
        elif n < 45:
            asserts = {"any_of": [leaf(n), leaf(n + 1)]}
        else:
            asserts = {"not": leaf(n)}
        out.append(
            {"id": f"claim{n:02d}", "speaker": org(n % ORGS), "quote": f"Statement {n}.",
             "asserts": asserts}
        )
    return out


def write_case(root: Path, seed: int = 7) -> None:
    """The case folder without facts: case.yaml (two closed-world entries), entities, claims."""
    rng = random.Random(seed)
    (root / "claims").mkdir(parents=True, exist_ok=True)
    meta = {
        "title": "Engine bench",
        "extraction": {"enabled": False},
        "closed_world": [
            {"fact": "contract", "between": [org(i), f"vendor{i % VENDORS}"],
             "reason": f"All contracts of Org {i} were produced."}
            for i in range(0, ORGS, 3)
        ]
        + [{"fact": "data_sharing", "reason": "The sharing log is complete."}],
    }
    (root / "case.yaml").write_text(yaml.safe_dump(meta, sort_keys=False))
    (root / "entities.yaml").write_text(yaml.safe_dump(entities(), sort_keys=False))
    (root / "claims" / "bench.yaml").write_text(yaml.safe_dump(claims(rng), sort_keys=False))


def make_facts(n: int, types: dict[str, FactType], seed: int = 7) -> list[Fact]:
    """`n` base facts of the seven built-in base types, as the case loader makes them."""
    rng = random.Random(seed * 1_000_003 + n)
    kinds = [t for t, w in MIX for _ in range(w)]
    spans: dict[int, DateSpan] = {}

    def day() -> DateSpan:
        d = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        if rng.random() < 0.1:
            text = d.strftime("%Y-%m")
        else:
            text = d.isoformat()
        key = hash(text)
        if key not in spans:
            spans[key] = parse_date(text)
        return spans[key]

    def later(d: DateSpan) -> DateSpan:
        e = d.end + timedelta(days=rng.randrange(30, 700))
        text = e.isoformat()
        key = hash(text)
        if key not in spans:
            spans[key] = parse_date(text)
        return spans[key]

    def someone() -> str:
        return person(rng.randrange(ORGS), rng.randrange(UNITS), rng.randrange(PEOPLE))

    def party() -> str:
        i, u = rng.randrange(ORGS), rng.randrange(UNITS)
        return rng.choice([org(i), unit(i, u), person(i, u, rng.randrange(PEOPLE))])

    def agencies() -> tuple[str, ...]:
        picked = rng.sample(range(AGENCIES), rng.randrange(1, 3))
        return tuple(
            f"agency{a}" if rng.random() < 0.5 else f"agency{a}-u{rng.randrange(2)}" for a in picked
        )

    out: list[Fact] = []
    for k in range(n):
        t = kinds[rng.randrange(len(kinds))]
        roles: dict[str, Any]
        if t == "communication":
            roles = {
                "from": someone(),
                "to": tuple(dict.fromkeys(someone() for _ in range(rng.randrange(1, 4)))),
                "channel": "personal" if rng.random() < 0.1 else "work",
                "date": day(),
            }
        elif t == "meeting":
            roles = {
                "participants": tuple(dict.fromkeys(party() for _ in range(rng.randrange(2, 5)))),
                "date": day(),
                "topic": rng.choice(TOPICS),
            }
        elif t == "use":
            v = rng.randrange(VENDORS)
            roles = {"user": someone(), "tool": f"tool{v}-{rng.randrange(PRODUCTS)}"}
            if rng.random() < 0.5:
                roles["provider"] = f"vendor{v}"
            roles["date"] = day()
            roles["purpose"] = rng.choice(PURPOSES)
        elif t == "referral":
            roles = {"by": someone(), "to": agencies(), "subject": party(), "date": day()}
        elif t == "account":
            roles = {
                "holder": party(),
                "provider": f"vendor{rng.randrange(VENDORS)}",
                "kind": "login",
                "created": day(),
            }
        elif t == "contract":
            start = day()
            roles = {
                "parties": (party(), f"vendor{rng.randrange(VENDORS)}"),
                "kind": rng.choice(["trial", "pilot", "purchase", "license"]),
                "from": start,
            }
            if rng.random() < 0.9:  # one in ten has no end: an open interval
                roles["to"] = later(start)
            roles["value"] = rng.randrange(1000, 100000)
        else:
            roles = {
                "from": party(),
                "to": agencies(),
                "data": rng.choice(DATA),
                "purpose": rng.choice(PURPOSES),
                "date": day(),
            }
        fid = f"f{k:07d}"
        out.append(
            Fact(
                id=fid,
                type=t,
                roles=roles,
                source=Passage(f"evidence/{k // 500:05d}.eml", f"quote {k}", 0, 8),
                interval=fact_interval(roles, types[t].time_roles()),
                where=f"facts/bench.yaml:{k + 1}",
                key=fact_key(t, roles),
            )
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    write_case(args.out, args.seed)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
