"""Shared fixtures: copies of the bundled, spec and fixture cases, and a case builder.

Running checker on a case writes its index (CASE/.checker/) into the case, so
tests never run it on a case where it lives: ../shared is read-only (CI lays it
without write bits) and the repository is not the tests' to write. They run on
a copy in pytest's temporary folder; reading the originals is fine.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SPEC_CASE = SHARED / "spec" / "example-case"
FIXTURE_CASES = ROOT / "tests" / "fixtures" / "cases"
#: What the bundled case at the repository root is made of (the rest of ROOT is code).
BUNDLED_PARTS = ("case.yaml", "entities.yaml", "claims", "evidence")
INDEX_FOLDER = ".checker"


def copy_case(src: Path, dst: Path, parts: tuple[str, ...] | None = None,
              leave_out: tuple[str, ...] = ()) -> Path:
    """A copy of the case at `src` as `dst`: only `parts` of it when given, never
    its index, nor files matching the `leave_out` patterns. Returns `dst`."""
    ignore = shutil.ignore_patterns(INDEX_FOLDER, "__pycache__", *leave_out)
    if parts is None:
        shutil.copytree(src, dst, ignore=ignore)
        return dst
    dst.mkdir(parents=True)
    for name in parts:
        if (src / name).is_dir():
            shutil.copytree(src / name, dst / name, ignore=ignore)
        else:
            shutil.copy2(src / name, dst / name)
    return dst


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/* from the current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def need_shared(why: str) -> None:
    """Skip a test that needs ../shared, with the reason; under CI, which always has
    ../shared beside the clone, fail instead: a missing copy must not pass as green."""
    if os.environ.get("CI"):
        pytest.fail(f"{why}, and CI must have ../shared beside the clone")
    pytest.skip(f"{why} (CI has ../shared beside the clone; elsewhere this test cannot run)")


@pytest.fixture(scope="session")
def spec_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of ../shared/spec/example-case, made once per session: tests only read
    it (and checker keeps its index in it)."""
    if not SPEC_CASE.is_dir():
        need_shared(f"the spec's example case is not at {SPEC_CASE}")
    return copy_case(SPEC_CASE, tmp_path_factory.mktemp("spec") / SPEC_CASE.name)


@pytest.fixture(scope="session")
def bundled_case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled case (the repository root's claims/ and evidence/),
    made once per session: tests only read it (and checker keeps its index in it)."""
    return copy_case(ROOT, tmp_path_factory.mktemp("bundled") / "case", BUNDLED_PARTS)


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
