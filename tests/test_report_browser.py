"""The HTML report in a real browser: headless Chromium renders it, and we read the DOM.

Chromium comes from Debian (`bash .ci/browser` installs it when run as root; CI
does). Without it these tests skip and say so, except under CI (the `CI`
environment variable), where a missing browser is a failure. The screenshot is
kept in tests/artifacts/ (not committed) for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.report.context import ReportContext
from checker.report.html import render_html
from checker.report.htmlkit import BADGE_TEXT, Anchors
from tests.conftest import ROOT, CaseBuilder
from tests.test_report_html import Page, assert_inert, assert_links_resolve, hostile_html

ARTIFACTS = ROOT / "tests" / "artifacts"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--hide-scrollbars",
]
# What the page itself says to the console (errors, CSP violations, uncaught exceptions).
# Chromium's own log lines (dbus, gpu) are not from the page and are ignored.
PAGE_CONSOLE = re.compile(r":CONSOLE[:(\]]|Uncaught")


@pytest.fixture(scope="module")
def chromium() -> str:
    found = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None
    )
    if found is None:
        why = "chromium is not installed; `bash .ci/browser` installs it (as root, on Debian)"
        if os.environ.get("CI"):
            pytest.fail(f"{why}. CI must run .ci/browser before the tests.")
        pytest.skip(why)
    return found


def browse(chromium: str, page: Path, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run headless Chromium on `page` with a fresh profile; stderr carries its log."""
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    cmd = [chromium, *FLAGS, f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           *args, page.resolve().as_uri()]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=180, check=False)
    assert run.returncode == 0, f"chromium failed ({run.returncode}):\n{run.stderr[-2000:]}"
    return run


def console(run: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in run.stderr.splitlines() if PAGE_CONSOLE.search(line)]


def test_report_browser_renders_every_claim_citation_and_link(
    chromium: str, tmp_path: Path, bundled_case: Path
) -> None:
    case = load_case(bundled_case)
    result = Checker(case).run()
    page = tmp_path / "report.html"
    page.write_text(render_html(result, ReportContext.of(case)), encoding="utf-8")

    run = browse(chromium, page, tmp_path, "--dump-dom")
    assert console(run) == [], "the page wrote to the console"
    dom = Page(run.stdout)
    anchors = Anchors([c.id for c in result.claims])
    for c in result.claims:
        article = run.stdout.split(f'id="{anchors.of_claim(c.id)}"', 1)[1].split("</article>")[0]
        badge = Page(article.split(f"badge-{c.verdict}", 1)[1].split("</span></span>")[0])
        assert BADGE_TEXT[c.verdict] in "".join(badge.text), c.id
        for n in range(1, len(c.citations) + 1):
            assert anchors.of_citation(c.id, n) in dom.ids
    assert len(dom.named("details")) >= len(result.claims)
    assert len(dom.named("svg")) == 1
    assert_links_resolve(dom)
    assert_inert(dom)


def test_report_browser_screenshot_is_kept(
    chromium: str, tmp_path: Path, bundled_case: Path
) -> None:
    case = load_case(bundled_case)
    page = tmp_path / "report.html"
    page.write_text(render_html(Checker(case).run(), ReportContext.of(case)), encoding="utf-8")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-bundled.png"
    shot.unlink(missing_ok=True)
    run = browse(chromium, page, tmp_path, f"--screenshot={shot}", "--window-size=1280,2400")
    assert console(run) == []
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 50_000, "the screenshot looks blank"


def test_report_browser_hostile_evidence_stays_inert(
    chromium: str, tmp_path: Path, make_case: CaseBuilder
) -> None:
    _, text = hostile_html(make_case)
    page = tmp_path / "hostile.html"
    page.write_text(text, encoding="utf-8")
    run = browse(chromium, page, tmp_path, "--dump-dom")
    assert console(run) == [], "something tried to run or load"
    dom = Page(run.stdout)
    assert_inert(dom)
    assert "<script>alert(1)</script>" in "".join(dom.text)
