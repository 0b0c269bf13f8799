"""The rule engine at scale, against clingo on the same rules, facts and claims.

    python bench/engine.py --facts 10000 100000 1000000
    python bench/engine.py --facts 100000 --profile     # adds cProfile of checker's run

For each size, two fresh interpreters run one after the other, each on the same
synthetic case (`bench/facts.py`: the same seed gives the same facts):

* checker: `Engine(rules, types, entities).run(facts)` with the built-in rules
  (derive), then `Evaluator(...)` and `evaluate` of the case's 50 claims, with
  each outcome's deciding facts (evaluate);
* clingo: the same base facts as ASP facts, the built-in rules, the membership
  closure and the 50 claims' patterns as an ASP program (`program`), ground
  and solved with clingo's Python API.

Making the facts and writing the ASP text are not timed. Peak memory is the
worker's `VmHWM`; `base MB` is the resident memory once the facts exist,
before the timed work. See bench/README.md, "Engine", for what the clingo
program computes.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `checker` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.facts import make_facts, write_case  # noqa: E402
from checker.case.load import Case, load_case  # noqa: E402
from checker.model.claims import Combined, Count, Every, Proposition, Quantified  # noqa: E402
from checker.model.facts import Fact  # noqa: E402
from checker.model.patterns import Pattern  # noqa: E402
from checker.model.timespan import DateSpan  # noqa: E402


def rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


# -- the ASP program ---------------------------------------------------------


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def norm(v: Any) -> str:
    """Text as checker compares it: case and spacing do not count."""
    return q(" ".join(str(v).casefold().split()))


def day(d: Any) -> int:
    return int(d.toordinal())


# The built-in rules (checker/data/rules.yaml), one derived fact per premise:
# (rule number, base type, head type, party roles, kind/via literal, time roles).
RULES = [
    (1, "contract", "relationship", ["parties"], ("kind", "formal"), ("from", "to")),
    (2, "account", "relationship", ["holder", "provider"], ("kind", "informal"), ("created",)),
    (3, "use", "relationship", ["user", "tool"], ("kind", "informal"), ("date",)),
    (4, "use", "relationship", ["user", "provider"], ("kind", "informal"), ("date",)),
    (5, "referral", "contact", ["by", "to"], ("via", "referral"), ("date",)),
    (6, "meeting", "contact", ["participants"], ("via", "meeting"), ("date",)),
    (7, "communication", "contact", ["from", "to"], ("via", "communication"), ("date",)),
]


def rules_asp() -> list[str]:
    out: list[str] = []
    for n, base, head, parties, (lit_role, lit), when in RULES:
        fid = f"r({n},F)"
        out.append(f"f({fid},{head}) :- f(F,{base}).")
        for r in parties:
            out.append(f"v({fid},parties,X) :- f(F,{base}), v(F,{r},X).")
        out.append(f"t({fid},{lit_role},{q(lit)}) :- f(F,{base}).")
        if head == "relationship":  # from/to: both from the premise's time roles
            first, last = when[0], when[-1]
            out.append(f"d({fid},from,S,E) :- f(F,{base}), d(F,{first},S,E).")
            out.append(f"d({fid},to,S,E) :- f(F,{base}), d(F,{last},S,E).")
        else:
            out.append(f"d({fid},date,S,E) :- f(F,{base}), d(F,{when[0]},S,E).")
    return out


def intervals_asp(case: Case) -> list[str]:
    """iv(F,S,E): the days fact F occupies, as `fact_interval` gives them (#sup: open)."""
    out = ["hasd(F,R) :- d(F,R,_,_)."]
    for name, t in sorted(case.types.items()):
        roles = t.time_roles()
        if roles == ("from", "to"):
            out += [
                f"iv(F,S,E) :- f(F,{name}), d(F,from,S,_), d(F,to,_,E).",
                f"iv(F,S,#sup) :- f(F,{name}), d(F,from,S,_), not hasd(F,to).",
                f"iv(F,S,E) :- f(F,{name}), d(F,to,S,E), not hasd(F,from).",
            ]
        elif roles:
            out.append(f"iv(F,S,E) :- f(F,{name}), d(F,{roles[0]},S,E).")
    return out


class Queries:
    """Each leaf pattern of the claims as an ASP rule `m(I,F)`, and its count."""

    def __init__(self, case: Case):
        self.case = case
        self.lines: list[str] = []
        self.n = 0

    def body(self, p: Pattern, fvar: str = "F") -> list[str]:
        kinds = self.case.types[p.type].roles
        lits = [f"f({fvar},{p.type})"]
        k = 0
        for role, wanted in p.roles.items():
            kind = kinds[role]
            if kind in ("entity", "entities"):
                for w in wanted if isinstance(wanted, tuple) else (wanted,):
                    k += 1
                    lits += [f"v({fvar},{role},X{k})", f"within(X{k},{q(w)})"]
            elif kind == "date":
                k += 1
                lits += [
                    f"d({fvar},{role},S{k},E{k})",
                    f"S{k} >= {day(wanted.start)}",
                    f"E{k} <= {day(wanted.end)}",
                ]
            else:
                lits.append(f"t({fvar},{role},{norm(wanted)})")
        s = p.scope
        if s is not None:
            lits.append(f"iv({fvar},S,E)")
            first, last = s.first, s.last
            lits += {
                "as_of": [f"S <= {day(first.start)}", f"E >= {day(first.end)}"],
                "during": [f"S <= {day(last.end)}", f"E >= {day(first.start)}"],
                "before": [f"E < {day(first.start)}"],
                "after": [f"S > {day(first.end)}"],
            }[s.kind]
        return lits

    def add(self, prop: Proposition) -> None:
        if isinstance(prop, Combined):
            for item in prop.items:
                self.add(item)
            return
        assert isinstance(prop, Quantified | Every | Count)
        i = self.n = self.n + 1
        p = prop.pattern
        self.lines.append(f"m({i},F) :- {', '.join(self.body(p))}.")
        self.lines.append(f"n({i},N) :- N = #count{{F : m({i},F)}}.")
        if isinstance(prop, Every):
            m = prop.must
            for role in m.roles:
                self.lines.append(f"lacks({i},F) :- m({i},F), not hasr(F,{role}).")
            if m.scope is not None:
                self.lines.append(f"lacks({i},F) :- m({i},F), not hasiv(F).")
            must = "".join(", " + lit for lit in self.body(m)[1:])
            self.lines.append(f"ok({i},F) :- m({i},F){must}.")
            self.lines.append(f"fail({i},F) :- m({i},F), not lacks({i},F), not ok({i},F).")
            self.lines.append(f"nfail({i},N) :- N = #count{{F : fail({i},F)}}.")


def program(case: Case, facts: list[Fact]) -> str:
    """The whole ASP program: entities, facts, rules, closure, intervals, queries."""
    lines: list[str] = []
    for e in case.entities.by_id.values():
        lines.append(f"ent({q(e.id)}).")
        lines.extend(f"parent({q(e.id)},{q(p)})." for p in e.parents)
    lines += [
        "ent(X) :- v(_,_,X).",
        "within(X,X) :- ent(X).",
        "within(X,Z) :- parent(X,Y), within(Y,Z).",
        "hasr(F,R) :- v(F,R,_).",
        "hasr(F,R) :- d(F,R,_,_).",
        "hasr(F,R) :- t(F,R,_).",
        "hasiv(F) :- iv(F,_,_).",
    ]
    lines += rules_asp() + intervals_asp(case)
    for k, f in enumerate(facts):
        lines.append(f"f({k},{f.type}).")
        kinds = case.types[f.type].roles
        for role, v in f.roles.items():
            kind = kinds[role]
            if kind in ("entity", "entities"):
                values = v if isinstance(v, tuple) else (v,)
                lines.extend(f"v({k},{role},{q(x)})." for x in values)
            elif isinstance(v, DateSpan):
                lines.append(f"d({k},{role},{day(v.start)},{day(v.end)}).")
            else:
                lines.append(f"t({k},{role},{norm(v)}).")
    queries = Queries(case)
    for _, prop in case.claims:
        queries.add(prop)
    lines += queries.lines
    lines += ["#show n/2.", "#show nfail/2."]
    return "\n".join(lines)


# -- workers -----------------------------------------------------------------


def setup(n: int, seed: int) -> tuple[Case, list[Fact]]:
    root = Path(tempfile.mkdtemp(prefix="checker-bench-engine-"))
    try:
        write_case(root, seed)
        case = load_case(root)
    finally:
        shutil.rmtree(root)
    return case, make_facts(n, case.types, seed)


def run_checker(case: Case, facts: list[Fact], profile: bool) -> dict[str, Any]:
    from checker.engine.evaluate import Evaluator
    from checker.engine.rules import Engine

    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    c0, t0 = time.process_time(), time.perf_counter()
    everything = Engine(case.rules, case.types, case.entities).run(facts)
    t1 = time.perf_counter()
    ev = Evaluator(everything, case.types, case.entities, case.closed_world)
    outcomes = [ev.evaluate(prop) for _, prop in case.claims]
    cited = sum(len(o.deciding_facts()) for o in outcomes)
    t2, c2 = time.perf_counter(), time.process_time()
    if prof is not None:
        import pstats

        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("tottime").print_stats(20)
    verdicts: dict[str, int] = {}
    for o in outcomes:
        verdicts[o.verdict] = verdicts.get(o.verdict, 0) + 1
    return {
        "derived": len(everything) - len(facts),
        "derive": t1 - t0,
        "evaluate": t2 - t1,
        "total": t2 - t0,
        "cpu": c2 - c0,
        "verdicts": verdicts,
        "cited": cited,
    }


def run_clingo(case: Case, facts: list[Fact]) -> dict[str, Any]:
    import clingo

    t0 = time.perf_counter()
    text = program(case, facts)
    c1, t1 = time.process_time(), time.perf_counter()
    ctl = clingo.Control(["--warn=none"])
    ctl.add("base", [], text)
    del text
    ctl.ground([("base", [])])
    t2 = time.perf_counter()
    shown: list[str] = []
    ctl.solve(on_model=lambda m: shown.extend(str(s) for s in m.symbols(shown=True)))
    t3, c3 = time.perf_counter(), time.process_time()
    derived = int(ctl.statistics["problem"]["lp"]["atoms"])
    return {
        "program": t1 - t0,
        "ground": t2 - t1,
        "solve": t3 - t2,
        "total": t3 - t1,
        "cpu": c3 - c1,
        "atoms": derived,
        "shown": len(shown),
    }


def worker(method: str, n: int, seed: int, profile: bool) -> None:
    case, facts = setup(n, seed)
    base = rss_mb("VmRSS")
    if method == "checker":
        out = run_checker(case, facts, profile)
    else:
        out = run_clingo(case, facts)
    out.update(method=method, facts=n, base_mb=base, peak_mb=rss_mb("VmHWM"))
    print(json.dumps(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--facts", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile", action="store_true", help="cProfile checker's run (stderr)")
    ap.add_argument("--only", choices=["checker", "clingo"], help="run one method")
    ap.add_argument("--worker", nargs=2, metavar=("METHOD", "FACTS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker[0], int(args.worker[1]), args.seed, args.profile)
        return
    rows: list[dict[str, Any]] = []
    methods = [args.only] if args.only else ["checker", "clingo"]
    for n in args.facts:
        got: dict[str, dict[str, Any]] = {}
        for method in methods:
            cmd = [sys.executable, __file__, "--worker", method, str(n), "--seed", str(args.seed)]
            if args.profile:
                cmd.append("--profile")
            res = subprocess.run(cmd, stdout=subprocess.PIPE, check=True, text=True)
            got[method] = json.loads(res.stdout.strip().splitlines()[-1])
            print(json.dumps(got[method]), file=sys.stderr, flush=True)
        rows.append({"facts": n, **got})
    print()
    print(
        "| base facts | checker derive s | checker evaluate s | checker total s "
        "| clingo ground s | clingo solve s | clingo total s | checker / clingo "
        "| checker peak MB (base) | clingo peak MB (base) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        c, g = row.get("checker"), row.get("clingo")
        cells = [f"{row['facts']:,}"]
        cells += [f"{c[k]:.2f}" for k in ("derive", "evaluate", "total")] if c else ["", "", ""]
        cells += [f"{g[k]:.2f}" for k in ("ground", "solve", "total")] if g else ["", "", ""]
        cells.append(f"{c['total'] / g['total']:.2f}" if c and g else "")
        cells.append(f"{c['peak_mb']:,.0f} ({c['base_mb']:,.0f})" if c else "")
        cells.append(f"{g['peak_mb']:,.0f} ({g['base_mb']:,.0f})" if g else "")
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
