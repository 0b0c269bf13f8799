"""Bad case folders: every defect is one `file:line: message` problem, exit code 2.

Each row of `BAD` writes a small case with exactly one defect (through the
`make_case` fixture), runs `checker validate` and `checker check` on it, and
asserts the single problem line names the right file and line (computed from
the YAML written here) and says what is wrong and, where one applies, the fix.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.case.load import load_case
from checker.cli import app
from checker.errors import CaseInvalid
from tests.conftest import DEFAULT_ENTITIES

runner = CliRunner()

PROBLEM = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+): (?P<message>.+)$")

CLAIM = """\
- id: c1
  speaker: acme
  said_on: 2020-04-01
  quote: "We never signed anything with the vendor."
  asserts:
    none: {fact: contract, parties: [acme, vendor]}
"""

FACT = """\
- id: f1
  fact: contract
  parties: [acme, vendor]
  kind: trial
  from: 2020-03-03
  source:
    doc: evidence/m1.eml
    quote: "We signed the trial agreement today."
"""

CASE = "title: Test case\ntimezone: UTC\n"

CYCLE = """\
- id: unit-a
  name: Unit A
  kind: agency
  part_of: unit-b
- id: unit-b
  name: Unit B
  kind: agency
  part_of: unit-a
"""

CLOSED_NO_REASON = CASE + """\
closed_world:
  - fact: contract
    between: [acme, vendor]
"""

BAD_INDENT = """\
- id: c1
  speaker: acme
  quote: "We never signed anything with the vendor."
   asserts:
    none: {fact: contract, parties: [acme, vendor]}
"""

SECOND_CLAIM = CLAIM.replace("We never signed", "We did not sign")
SECOND_FACT = FACT.replace("kind: trial", "kind: pilot")
DUP_ENTITY = "- id: vendor\n  name: Vendor Two\n  kind: organization\n"

FILES = {
    "claims": "claims/claims.yaml",
    "facts": "evidence/analyst.facts.yaml",
    "entities": "entities.yaml",
    "case": "case.yaml",
}


@dataclass
class Bad:
    """One defective case: make_case arguments, where the problem is, what it says."""

    id: str
    where: str  # a make_case argument name: claims, facts, entities or case
    needle: str  # text on the problem's line in that file...
    says: tuple[str, ...]  # ...and fragments its message must contain
    nth: int = 1  # the problem is on the nth line holding `needle`
    kwargs: dict[str, str] = field(default_factory=dict)
    marks: tuple[pytest.MarkDecorator, ...] = ()


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """1-based number of the nth line of `text` (as make_case writes it) holding `needle`."""
    hits = [i for i, ln in enumerate(textwrap.dedent(text).splitlines(), 1) if needle in ln]
    assert len(hits) >= nth, f"{needle!r} not {nth} times in test YAML"
    return hits[nth - 1]


BAD = [
    Bad("unknown-speaker-near-miss", "claims", "speaker:",
        ("unknown entity 'Acme Corp'", "Did you mean 'acme'"),
        kwargs={"claims": CLAIM.replace("speaker: acme", "speaker: Acme Corp")}),
    Bad("unknown-entity-in-claim-pattern", "claims", "none:",
        ("unknown entity 'vendr'", "Did you mean 'vendor'"),
        kwargs={"claims": CLAIM.replace("[acme, vendor]", "[acme, vendr]")}),
    Bad("unknown-entity-in-fact", "facts", "parties:",
        ("unknown entity 'vendr'", "Did you mean 'vendor'"),
        kwargs={"facts": FACT.replace("[acme, vendor]", "[acme, vendr]")}),
    Bad("unknown-fact-role", "facts", "partys:",
        ("unknown role 'partys'", "'contract'", "Did you mean 'parties'"),
        kwargs={"facts": FACT.replace("parties:", "partys:")}),
    Bad("unknown-fact-type", "facts", "fact: contrat",
        ("unknown fact type 'contrat'", "Did you mean 'contract'", "types.yaml"),
        kwargs={"facts": FACT.replace("fact: contract", "fact: contrat")}),
    Bad("misspelt-required-claim-key", "claims", "qoute:",
        ("unknown key 'qoute'", "Did you mean 'quote'"),
        kwargs={"claims": CLAIM.replace("quote:", "qoute:")}),
    Bad("misspelt-optional-claim-key", "claims", "sayd_on:",
        ("unknown key 'sayd_on'", "Did you mean 'said_on'"),
        kwargs={"claims": CLAIM.replace("said_on:", "sayd_on:")}),
    Bad("misspelt-entity-key", "entities", "alises:",
        ("unknown key 'alises'", "Did you mean 'aliases'"),
        kwargs={"entities": DEFAULT_ENTITIES + "  alises: [the Regulator]\n"}),
    Bad("misspelt-proposition-form", "claims", "nonee:",
        ("found nonee", "Did you mean 'none'"),
        kwargs={"claims": CLAIM.replace("none:", "nonee:")}),
    Bad("literal-not-allowed", "claims", "some:",
        ("'tryal' is not allowed for role 'kind'", "trial, pilot", "Did you mean 'trial'"),
        kwargs={"claims": CLAIM.replace(
            "none: {fact: contract, parties: [acme, vendor]}",
            "some: {fact: contract, parties: [acme, vendor], kind: tryal}")}),
    Bad("quote-not-in-document", "facts", "source:",
        ("quote not found in evidence/m1.eml", "Nearest passage",
         "We signed the trial agreement"),
        kwargs={"facts": FACT.replace("the trial agreement today", "the trail agreement")}),
    Bad("document-missing", "facts", "source:",
        ("document 'evidence/m2.eml'", "path from the case root", "Did you mean 'evidence/m1.eml'"),
        kwargs={"facts": FACT.replace("evidence/m1.eml", "evidence/m2.eml")}),
    Bad("yaml-bad-indentation", "claims", "   asserts:",
        ("YAML syntax error", "indentation"),
        kwargs={"claims": BAD_INDENT}),
    Bad("duplicate-claim-ids", "claims", "- id: c1",
        ("duplicate claim id 'c1'", "first at claims/claims.yaml:1"), nth=2,
        kwargs={"claims": CLAIM + SECOND_CLAIM}),
    Bad("duplicate-fact-ids", "facts", "- id: f1",
        ("duplicate fact id 'f1'", "first at evidence/analyst.facts.yaml:1"), nth=2,
        kwargs={"facts": FACT + SECOND_FACT}),
    Bad("duplicate-entity-ids", "entities", "- id: vendor",
        ("duplicate entity id 'vendor'",
         f"first on line {line_of(DEFAULT_ENTITIES, '- id: vendor')}"),
        nth=2, kwargs={"entities": DEFAULT_ENTITIES + DUP_ENTITY}),
    Bad("cyclic-part-of", "entities", "- id: unit-a",
        ("cycle", "unit-a -> unit-b -> unit-a"),
        kwargs={"entities": DEFAULT_ENTITIES + CYCLE}),
    Bad("invalid-date", "claims", "said_on:",
        ("'2020-13-01'", "not a real date"),
        kwargs={"claims": CLAIM.replace("2020-04-01", "2020-13-01")}),
    Bad("unknown-timezone", "case", "timezone:",
        ("unknown timezone 'Europe/Paaris'", "IANA"),
        kwargs={"case": CASE.replace("UTC", "Europe/Paaris")}),
    Bad("every-without-must", "claims", "every:",
        ("'every' needs 'must",),
        kwargs={"claims": CLAIM.replace("none:", "every:")}),
    Bad("entity-schema-error-does-not-cascade", "entities", "kind: organisation",
        ("'kind'", "organization"),
        kwargs={"entities": DEFAULT_ENTITIES.replace("kind: organization\n  aliases: [Acme]",
                                                     "kind: organisation\n  aliases: [Acme]")}),
    Bad("closed-world-not-a-list", "case", "closed_world:",
        ("'closed_world'", "list"),
        kwargs={"case": CASE + "closed_world: {fact: contract, reason: certified}\n"}),
    Bad("fact-ends-before-it-begins", "facts", "- id: f1",
        ("fact 'f1' ends (2019-01) before it begins (2020-03-03)", "from/to"),
        kwargs={"facts": FACT.replace("from: 2020-03-03", "from: 2020-03-03\n  to: 2019-01")}),
    Bad("closed-world-without-reason", "case", "- fact: contract",
        ("closed_world entry needs 'reason'",),
        kwargs={"case": CLOSED_NO_REASON}),
]


def problems(output: str) -> list[tuple[str, int, str]]:
    return [(m["file"], int(m["line"]), m["message"])
            for m in map(PROBLEM.match, output.splitlines()) if m]


def assert_invalid(args: list[str]) -> list[tuple[str, int, str]]:
    """Run the CLI, check the exit code and the absence of a traceback; return the problems."""
    result = runner.invoke(app, args)
    output = result.output
    assert result.exit_code == 2, output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in output
    assert result.stdout == "", "problems go to stderr"
    return problems(result.stderr)


@pytest.mark.parametrize("command", ["validate", "check"])
@pytest.mark.parametrize("bad", [pytest.param(b, id=b.id, marks=b.marks) for b in BAD])
def test_case_validation_reports_one_problem_at_file_line(make_case, bad: Bad, command: str
                                                          ) -> None:
    root = make_case(**bad.kwargs)
    text = bad.kwargs.get(bad.where) or (root / FILES[bad.where]).read_text()
    expected_line = line_of(text, bad.needle, bad.nth)

    found = assert_invalid([command, str(root)])

    assert len(found) == 1, found
    path, line, message = found[0]
    assert (path, line) == (FILES[bad.where], expected_line), found[0]
    for fragment in bad.says:
        assert fragment in message, f"{fragment!r} not in {message!r}"


def test_case_validation_missing_entities_is_one_problem_at_line_1(make_case) -> None:
    root = make_case()
    (root / "entities.yaml").unlink()

    found = assert_invalid(["validate", str(root)])

    assert ("entities.yaml", 1) in [(p, ln) for p, ln, _ in found], found
    message = next(m for p, _, m in found if p == "entities.yaml")
    assert "missing" in message and "entities.yaml" in message


def test_case_validation_missing_entities_does_not_cascade(make_case) -> None:
    root = make_case()
    (root / "entities.yaml").unlink()

    found = assert_invalid(["validate", str(root)])

    assert [(p, ln) for p, ln, _ in found] == [("entities.yaml", 1)], found


def test_case_validation_reports_every_problem_sorted(make_case) -> None:
    claims = CLAIM.replace("speaker: acme", "speaker: Acme Corp") + SECOND_CLAIM.replace(
        "- id: c1", "- id: c2").replace("none:", "nonee:")
    more = CLAIM.replace("- id: c1", "- id: c3").replace("2020-04-01", "2020-13-01")
    entities = DEFAULT_ENTITIES + "  alises: [the Regulator]\n"
    facts = FACT.replace("fact: contract", "fact: contrat")
    case = CASE.replace("UTC", "Europe/Paaris")
    root = make_case(claims=claims, entities=entities, facts=facts, case=case,
                     files={"claims/more.yaml": more})

    found = assert_invalid(["validate", str(root)])

    expected = [
        ("case.yaml", line_of(case, "timezone:")),
        ("claims/claims.yaml", line_of(claims, "speaker:")),
        ("claims/claims.yaml", line_of(claims, "nonee:")),
        ("claims/more.yaml", line_of(more, "said_on:")),
        ("entities.yaml", line_of(entities, "alises:")),
        ("evidence/analyst.facts.yaml", line_of(facts, "fact: contrat")),
    ]
    assert [(p, ln) for p, ln, _ in found] == expected, found
    assert found == sorted(found, key=lambda p: (p[0], p[1]))
    assert f"{len(expected)} problems" in runner.invoke(app, ["validate", str(root)]).stderr


def test_case_validation_valid_case_passes(make_case) -> None:
    root = make_case(claims=CLAIM, facts=FACT)

    result = runner.invoke(app, ["validate", str(root)])

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OK: 1 claims, ")
    assert problems(result.output) == []


def test_case_validation_accepts_year_said_on(make_case) -> None:
    root = make_case(claims=CLAIM.replace("2020-04-01", "2020"), facts=FACT)

    result = runner.invoke(app, ["validate", str(root)])

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("rel", ["claims/out.yaml", "entities.yaml", "rules/out.yaml"])
def test_case_validation_case_files_may_not_link_out_of_the_case(
    make_case, tmp_path: Path, rel: str
) -> None:
    """Like evidence/, the case's own files are read only inside the case folder."""
    root = make_case()
    outside = tmp_path / "outside.yaml"
    outside.write_text((root / "entities.yaml").read_text() if rel == "entities.yaml" else "[]\n")
    link = root / rel
    link.parent.mkdir(exist_ok=True)
    link.unlink(missing_ok=True)
    link.symlink_to(outside)
    with pytest.raises(CaseInvalid) as err:
        load_case(root)
    assert f"{rel}:1: is a link to a file outside the case folder" in str(err.value)
