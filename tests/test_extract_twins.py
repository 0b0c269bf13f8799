"""Acceptance: the same emails, as .eml, as a PDF printout and as OCR text (issue #11).

Each case (the spec's example and the fixture cases) is copied without its
analyst facts, in three forms of the same evidence:

- `eml`: the case's own .eml files;
- `pdf`: every email printed into one Bates-stamped PDF, one email per page,
  headers as a mail client prints them (`From:`, `Sent:`, `To:`, `Subject:`)
  with no blank line before the body;
- `ocr`: the same printout as a text file, with the page furniture a release
  carries (a classification banner with case and document numbers, a release
  marking, and a Bates stamp on every page).

Verdicts come from extraction alone, loaded as `checker check` loads them. Each
must be the analyst-coded twin's verdict (expected.yaml) or unresolved: never
the opposite. A printout must also give what its .eml originals give.
"""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import pytest
import yaml
from fpdf import FPDF

from checker.case.load import load_case
from checker.check.checker import Checker
from tests.conftest import FIXTURE_CASES, SPEC_CASE, copy_case

ANALYST = "analyst.facts.yaml"
BANNER = "UNCLASSIFIED Example Agency Case No. X-2021-0042 Doc No. D{doc:07d} Date: 06/30/2022"
FORMS = ("eml", "pdf", "ocr")


def _cases() -> list[Path]:
    found = sorted(p for p in FIXTURE_CASES.glob("*") if (p / "expected.yaml").is_file())
    return ([SPEC_CASE] if (SPEC_CASE / "expected.yaml").is_file() else []) + found


def _names(value: str) -> str:
    """Recipients as a client prints them: `Name <address>`, separated by `;`."""
    return "; ".join(f"{n} <{a}>" if n else a for n, a in getaddresses([value]))


def printed(path: Path) -> list[str]:
    """One email as printed lines: headers, then the body straight after."""
    msg = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(msg, EmailMessage)
    sent = parsedate_to_datetime(str(msg["Date"]))
    lines = [
        f"From: {_names(str(msg['From']))}",
        f"Sent: {sent:%A, %B} {sent.day}, {sent:%Y} {sent:%I:%M %p}",
        f"To: {_names(str(msg['To']))}",
    ]
    if msg["Cc"]:
        lines.append(f"Cc: {_names(str(msg['Cc']))}")
    lines.append(f"Subject: {msg['Subject']}")
    body = msg.get_body(("plain",))
    assert body is not None
    lines += str(body.get_content()).strip("\n").splitlines()
    return lines


def _emails(case: Path) -> list[Path]:
    return sorted((case / "evidence").glob("*.eml"))


def write_pdf(emails: list[Path], out: Path) -> None:
    pdf = FPDF()
    pdf.set_font("Helvetica", size=10)
    pdf.set_auto_page_break(False)
    for n, path in enumerate(emails, 1):
        pdf.add_page()
        text = "\n".join(printed(path))
        pdf.multi_cell(0, 5, text.encode("latin-1", "replace").decode("latin-1"))
        pdf.set_y(-20)
        pdf.cell(0, 6, f"AGY-{n:06d}", align="R")
    pdf.output(str(out))


def write_ocr(emails: list[Path], out: Path) -> None:
    pages = []
    for n, path in enumerate(emails, 1):
        banner = "      " + BANNER.format(doc=n)
        pages.append("\n".join([banner, "", " " * 60 + "RELEASE IN FULL", "", *printed(path),
                                "", banner, " " * 60 + f"AGY-{n:06d}"]))
    out.write_text("\f".join(pages) + "\n", encoding="utf-8")


def _make(case: Path, form: str, dst: Path) -> Path:
    root = copy_case(case, dst, leave_out=(ANALYST,))
    if form == "eml":
        return root
    emails = _emails(root)
    if form == "pdf":
        write_pdf(emails, root / "evidence" / "production.pdf")
    else:
        write_ocr(emails, root / "evidence" / "production.txt")
    for path in emails:
        path.unlink()
    return root


def _verdicts(root: Path) -> dict[str, str]:
    case = load_case(root, force_extraction=True)
    try:
        return {c.id: c.verdict for c in Checker(case).run().claims}
    finally:
        case.documents.close()


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], dict[str, str]]:
    out = {}
    for case in _cases():
        for form in FORMS:
            root = _make(case, form, tmp_path_factory.mktemp(form) / case.name)
            out[case.name, form] = _verdicts(root)
    return out


# Issue #11, open while marked: a PDF printout's bodies are not read (no blank
# line after its headers), so a closed scope's absence is all that is left.
PRINTED_BODIES = "printed bodies are not read yet (issue #11)"


def _marked(forms: tuple[str, ...], failing: set[tuple[str, str]]) -> list[object]:
    xfail = pytest.mark.xfail(strict=True, reason=PRINTED_BODIES)
    return [
        pytest.param(c, f, id=f"{c.name}-{f}", marks=[xfail] if (c.name, f) in failing else [])
        for c in _cases()
        for f in forms
    ]


@pytest.mark.parametrize(
    ("case", "form"),
    _marked(FORMS, {("example-case", "pdf"), ("county-towing", "pdf"), ("ministry-press", "pdf")}),
)
def test_extract_twins_never_the_opposite_verdict(
    verdicts: dict[tuple[str, str], dict[str, str]], case: Path, form: str
) -> None:
    expected = yaml.safe_load((case / "expected.yaml").read_text())
    got = verdicts[case.name, form]
    assert set(got) == set(expected)
    wrong = {c: (v, expected[c]) for c, v in got.items() if v not in (expected[c], "unresolved")}
    assert not wrong, f"verdict (got, analyst-coded twin): {wrong}"


@pytest.mark.parametrize(
    ("case", "form"),
    _marked(("pdf", "ocr"), {("example-case", "pdf"), ("example-case", "ocr"),
                             ("county-towing", "pdf"), ("ministry-press", "pdf")}),
)
def test_extract_twins_printout_gives_what_the_emails_give(
    verdicts: dict[tuple[str, str], dict[str, str]], case: Path, form: str
) -> None:
    assert verdicts[case.name, form] == verdicts[case.name, "eml"]


def test_extract_twins_printout_is_read_as_printed_emails(tmp_path: Path) -> None:
    """The fixture really is a printout of every email: one record per email."""
    case = _cases()[-1]
    root = _make(case, "ocr", tmp_path / "case")
    text = (root / "evidence" / "production.txt").read_text()
    assert text.count("\nFrom: ") + text.startswith("From: ") == len(_emails(case))
    assert "AGY-000001" in text and "RELEASE IN FULL" in text
