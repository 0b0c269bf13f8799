"""Shared fixtures: paths to the bundled, spec and fixture cases, and a case builder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SPEC_CASE = SHARED / "spec" / "example-case"
FIXTURE_CASES = ROOT / "tests" / "fixtures" / "cases"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/* from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def spec_case() -> Path:
    if not SPEC_CASE.is_dir():
        pytest.skip(f"the spec's example case is not at {SPEC_CASE} (CI has ../shared beside "
                    "the clone; elsewhere this test cannot run)")
    return SPEC_CASE


DEFAULT_ENTITIES = """
- id: acme
  name: Acme Corporation
  kind: organization
  aliases: [Acme]
  domains: [acme.example.com]
- id: acme-legal
  name: Acme Legal Department
  kind: organization
  part_of: acme
- id: ann
  name: Ann Lee
  kind: person
  member_of: acme-legal
  emails: [ann@acme.example.com, ann.home@mail.example.net]
- id: vendor
  name: Vendor Ltd
  kind: organization
  aliases: [the vendor]
  domains: [vendor.example.org]
- id: val
  name: Val Ortiz
  kind: person
  member_of: vendor
  emails: [val@vendor.example.org]
- id: regulator
  name: Regulator Agency
  kind: agency
"""

DEFAULT_EMAIL = """\
From: Ann Lee <ann@acme.example.com>
To: Val Ortiz <val@vendor.example.org>
Date: Tue, 03 Mar 2020 10:00:00 +0000
Subject: Agreement
Message-ID: <m1@acme.example.com>
Content-Type: text/plain; charset="utf-8"

We signed the trial agreement today. It runs through June.
Ann
"""

CaseBuilder = Callable[..., Path]


@pytest.fixture
def make_case(tmp_path: Path) -> CaseBuilder:
    """Write a small case folder and return its path.

    Every argument is YAML or email text; `files` maps extra relative paths to
    text. Defaults give a valid case with Acme (and its legal department, and
    Ann in it), Vendor (and Val), one email and no facts.
    """

    def build(claims: str = "", facts: str = "", entities: str = DEFAULT_ENTITIES,
              case: str = "title: Test case\ntimezone: UTC\n",
              emails: dict[str, str] | None = None, files: dict[str, str] | None = None,
              name: str = "case") -> Path:
        root = tmp_path / name
        (root / "claims").mkdir(parents=True)
        (root / "evidence").mkdir()
        (root / "case.yaml").write_text(textwrap.dedent(case))
        (root / "entities.yaml").write_text(textwrap.dedent(entities))
        (root / "claims" / "claims.yaml").write_text(textwrap.dedent(claims) or """\
- id: placeholder
  speaker: acme
  quote: "Placeholder."
  asserts:
    some: {fact: communication, from: acme}
""")
        for fname, text in (emails if emails is not None else {"m1.eml": DEFAULT_EMAIL}).items():
            (root / "evidence" / fname).write_text(text)
        if facts:
            (root / "evidence" / "analyst.facts.yaml").write_text(textwrap.dedent(facts))
        for rel, text in (files or {}).items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(textwrap.dedent(text))
        return root

    return build
