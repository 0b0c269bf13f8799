"""Reports are deterministic and match their golden files.

Run `pytest tests/test_report.py --update-golden` after an intended change,
and read the diff of tests/golden/ before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.report import FORMATS
from checker.report.context import ReportContext
from checker.report.explain import render_explain

GOLDEN = Path(__file__).parent / "golden"
# Golden file names by format; a new format gets `<format>.txt` until it is named here.
SUFFIX = {"json": "json", "markdown": "md", "table": "txt"}
SUFFIX |= {"claimreview": "claimreview.json", "exhibits": "exhibits.md",
           "exhibits-csv": "exhibits.csv", "questions": "questions.md", "csv": "csv"}
SUFFIX["html"] = "html"  # the HTML report (tests/test_report_html.py)
SUFFIX = {fmt: SUFFIX.get(fmt, f"{fmt}.txt") for fmt in FORMATS}


def check_golden(name: str, text: str, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}; run pytest --update-golden"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_report_bundled_case_matches_golden(fmt: str, bundled_case: Path,
                                           update_golden: bool) -> None:
    case = load_case(bundled_case)
    text = FORMATS[fmt](Checker(case).run(), ReportContext.of(case))
    check_golden(f"bundled.{SUFFIX[fmt]}", text, update_golden)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_report_spec_example_matches_golden(fmt: str, spec_case: Path,
                                            update_golden: bool) -> None:
    case = load_case(spec_case)
    text = FORMATS[fmt](Checker(case).run(), ReportContext.of(case))
    check_golden(f"spec-example.{SUFFIX[fmt]}", text, update_golden)


def test_report_explain_matches_golden(bundled_case: Path, update_golden: bool) -> None:
    checker = Checker(load_case(bundled_case))
    text = "".join(render_explain(checker.result(*checker.outcome(c.id)))
                   for c, _ in checker.case.claims)
    check_golden("bundled-explain.txt", text, update_golden)


def test_report_same_case_gives_same_bytes(bundled_case: Path) -> None:
    first = FORMATS["json"](Checker(load_case(bundled_case)).run())
    second = FORMATS["json"](Checker(load_case(bundled_case)).run())
    assert first == second


def test_report_json_has_the_spec_shape(spec_case: Path) -> None:
    data = json.loads(FORMATS["json"](Checker(load_case(spec_case)).run()))
    assert set(data) == {"case", "claims"}
    for claim in data["claims"]:
        assert {"id", "speaker", "said_on", "quote", "verdict", "reason", "citations",
                "derivation"} <= set(claim)
        assert claim["verdict"] in ("supported", "contradicted", "unresolved")
        for c in claim["citations"]:
            spec = {"doc", "quote", "start", "end", "date", "from", "to", "subject", "fact",
                    "status"}
            # the spec's keys, plus the record cited, pinpoints and structure notes
            assert set(c) == spec | {"message", "index", "message_id", "page", "bates",
                                     "redacted_nearby", "original"}
