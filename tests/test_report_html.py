"""The HTML report: self-contained, inert with hostile evidence, linked, deterministic.

Its golden file, tests/golden/bundled.html, is checked with the other formats in
tests/test_report.py (`pytest --update-golden` rewrites it). The page is opened in
a real browser in tests/test_report_browser.py.
"""

from __future__ import annotations

import re
from html import escape as esc
from html.parser import HTMLParser
from pathlib import Path

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.model.verdicts import CaseResult
from checker.report import FORMATS
from checker.report.context import ReportContext
from checker.report.html import render_html
from checker.report.htmlkit import Anchors
from tests.conftest import DEFAULT_ENTITIES, CaseBuilder


class Page(HTMLParser):
    """The real tags, attributes, ids and links of a page, as a browser would parse them."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    @property
    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if "id" in a]

    @property
    def hrefs(self) -> list[str]:
        return [a["href"] for _, a in self.tags if "href" in a]

    def named(self, tag: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag]


def assert_inert(page: Page) -> None:
    """No script, no event handler, no link out of the page, nothing loaded."""
    names = {t for t, _ in page.tags}
    assert not names & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"<{tag} {name}=...> is an event handler"
            assert "javascript:" not in value.lower(), f"<{tag} {name}={value!r}>"
            assert name not in ("src", "srcset", "action", "formaction", "xlink:href")
    for href in page.hrefs:
        assert href.startswith("#"), f"link out of the page: {href!r}"


def assert_links_resolve(page: Page) -> None:
    ids = page.ids
    assert len(ids) == len(set(ids)), "duplicate ids"
    for href in page.hrefs:
        assert href[1:] in ids, f"link {href} points nowhere"


def bundled(root: Path) -> tuple[CaseResult, str]:
    case = load_case(root)
    result = Checker(case).run()
    return result, render_html(result, ReportContext.of(case))


HOSTILE = """\
From: "<script>alert(1)</script>" <ann@acme.example.com>
To: "<a href=\\"javascript:alert(1)\\">Val</a>" <val@vendor.example.org>
Date: Tue, 03 Mar 2020 10:00:00 +0000
Subject: <img src=x onerror=alert(1)> Agreement
Message-ID: <m1@acme.example.com>
Content-Type: text/plain; charset="utf-8"

<script>alert(1)</script>
We signed <a href="javascript:alert(1)">the trial agreement</a> today.
<img src=x onerror=alert(1)> It runs through June. </textarea></style>--></details>
Ann
"""

HOSTILE_FACTS = """\
- id: f-hostile
  fact: contract
  parties: [acme, vendor]
  kind: trial
  from: 2020-03-03
  to: 2020-06-30
  source:
    doc: evidence/m1.eml
    quote: 'We signed <a href="javascript:alert(1)">the trial agreement</a> today.'
"""

HOSTILE_CLAIMS = """\
- id: no-contract
  speaker: acme
  said_on: 2020-04-01
  source: '<script>alert(1)</script> press release'
  quote: 'We have <img src=x onerror=alert(1)> no contract with <a href="javascript:x">them</a>.'
  asserts:
    none: {fact: contract, parties: [acme, vendor]}
"""


def hostile_html(make_case: CaseBuilder) -> tuple[CaseResult, str]:
    root = make_case(
        emails={"m1.eml": HOSTILE},
        facts=HOSTILE_FACTS,
        claims=HOSTILE_CLAIMS,
        case='title: "<script>alert(1)</script> case"\ntimezone: UTC\n',
        entities=DEFAULT_ENTITIES.replace("name: Acme Corporation",
                                          'name: "Acme <img src=x onerror=alert(1)>"'),
    )
    case = load_case(root)
    result = Checker(case).run()
    return result, render_html(result, ReportContext.of(case))


def test_report_html_hostile_evidence_renders_inert(make_case: CaseBuilder) -> None:
    result, out = hostile_html(make_case)
    assert result.claims[0].verdict == "contradicted"
    assert "<script" not in out.lower()
    assert "onerror=" not in "".join(f"{k}={v}" for _, a in Page(out).tags for k, v in a.items())
    assert_inert(Page(out))
    # ... and the hostile text is there to read, as text, marked where it is quoted
    text = "".join(Page(out).text)
    assert "<script>alert(1)</script>" in text
    assert '<a href="javascript:alert(1)">the trial agreement</a>' in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert ('<mark>We signed &lt;a href=&quot;javascript:alert(1)&quot;&gt;the trial '
            "agreement&lt;/a&gt; today.</mark>") in out


def test_report_html_hostile_text_cannot_close_the_page_elements(make_case: CaseBuilder) -> None:
    _, out = hostile_html(make_case)
    page = Page(out)
    assert "</textarea></style>--></details>" not in out
    assert "&lt;/textarea&gt;&lt;/style&gt;--&gt;&lt;/details&gt;" in out
    assert len(page.named("article")) == 1 and len(page.named("main")) == 1


def test_report_html_is_self_contained(bundled_case: Path) -> None:
    _, out = bundled(bundled_case)
    page = Page(out)
    assert_inert(page)
    assert "url(" not in out and "@import" not in out
    csp = [a["content"] for a in page.named("meta") if a.get("http-equiv")]
    assert csp == ["default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                   "form-action 'none'"]
    assert len(page.named("svg")) == 1


def test_report_html_same_case_gives_same_bytes(bundled_case: Path) -> None:
    assert bundled(bundled_case)[1] == bundled(bundled_case)[1]
    assert FORMATS["html"] is render_html


def test_report_html_every_claim_has_badge_quote_and_anchored_citations(
        bundled_case: Path) -> None:
    result, out = bundled(bundled_case)
    page = Page(out)
    anchors = Anchors([c.id for c in result.claims])
    for c in result.claims:
        assert anchors.of_claim(c.id) in page.ids
        section = out.split(f'id="{anchors.of_claim(c.id)}"', 1)[1].split("</article>", 1)[0]
        assert f'class="badge badge-{c.verdict}"' in section
        assert c.verdict.capitalize() in section
        assert esc(c.reason) in section
        for n, _ in enumerate(c.citations, 1):
            assert anchors.of_citation(c.id, n) in page.ids
            assert f'href="#{anchors.of_citation(c.id, n)}"' in section
    assert_links_resolve(page)


def test_report_html_marks_each_quote_in_its_surrounding_text(bundled_case: Path) -> None:
    case = load_case(bundled_case)
    result = Checker(case).run()
    out = render_html(result, ReportContext.of(case))
    contexts = re.findall(r'<blockquote class="context">(.*?)</blockquote>', out, re.S)
    cited = [cit for c in result.claims for cit in c.citations]
    assert len(contexts) == len(cited) > 0
    for shown, cit in zip(contexts, cited, strict=True):
        text = case.documents[cit.doc].text
        near = (esc(text[max(0, cit.start - 60) : cit.start]) + f"<mark>{esc(cit.quote)}</mark>"
                + esc(text[cit.end : cit.end + 60]))
        assert near in shown, f"{cit.doc}: the passage is not marked in its context"


def test_report_html_closed_world_citation_shows_the_reason_in_case_yaml(
    make_case: CaseBuilder,
) -> None:
    root = make_case(
        case="""\
        title: Closed
        timezone: UTC
        closed_world:
          - fact: data_sharing
            between: [acme, vendor]
            reason: "The records officer certified every data transfer was produced."
        """,
        claims="""\
        - id: no-sharing
          speaker: acme
          quote: "We never shared data with the vendor."
          asserts:
            none: {fact: data_sharing, from: acme, to: vendor}
        """,
    )
    case = load_case(root)
    result = Checker(case).run()
    out = render_html(result, ReportContext.of(case))
    assert result.claims[0].verdict == "supported"
    assert "<mark>The records officer certified every data transfer was produced.</mark>" in out
    assert "closed-world declaration" in out and "<code>case.yaml</code>" in out
    closed = out.split('<p class="closed">', 1)[1].split("</p>", 1)[0]
    assert "case.yaml:" in closed and 'href="#cite-no-sharing-1"' in closed
    assert_links_resolve(Page(out))


def test_report_html_timeline_marks_statement_dates(make_case: CaseBuilder) -> None:
    result, out = hostile_html(make_case)
    svg = out.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "said 2020-04-01: no-contract" in svg
    assert "f-hostile" in svg  # the interval fact the verdict rests on
    assert "Statements made 2020-04-01: no-contract." in out


def test_report_html_timeline_says_when_no_statement_has_a_date(bundled_case: Path) -> None:
    _, out = bundled(bundled_case)
    assert "No statement in this case has a recorded date" in out
    assert "f-trial-contract" in out.split("<svg", 1)[1]


def test_report_html_renders_without_the_case(bundled_case: Path) -> None:
    result = Checker(load_case(bundled_case)).run()
    out = render_html(result)
    assert "the document text is not available here" in out
    assert_inert(Page(out))
    assert_links_resolve(Page(out))


def test_report_html_anchor_ids_are_safe_and_unique() -> None:
    a = Anchors(["a b", "a-b", '"><script>', "", "x"])
    ids = [a.of_claim(c) for c in ["a b", "a-b", '"><script>', "", "x"]]
    assert ids == ["claim-a-b", "claim-a-b-2", "claim-script", "claim-claim", "claim-x"]
    assert a.of_citation("a-b", 3) == "cite-a-b-2-3"


def test_report_html_cli_writes_the_file(tmp_path: Path, bundled_case: Path) -> None:
    from typer.testing import CliRunner

    from checker.cli import app

    out = tmp_path / "report.html"
    run = CliRunner().invoke(app, ["check", str(bundled_case), "--format", "html", "--out",
                                   str(out)])
    assert run.exit_code == 0, run.output
    assert out.read_text(encoding="utf-8") == bundled(bundled_case)[1]


def test_report_html_citation_shows_page_and_bates() -> None:
    from checker.model.verdicts import Citation
    from checker.report.htmlcite import citation_item

    cit = Citation.model_validate({"doc": "evidence/p.pdf", "quote": "x", "start": 5, "end": 6,
                                   "fact": "f-x", "status": "suggested", "page": 3,
                                   "bates": "NYPD-000123"})
    item = citation_item(cit, 2, "cite-c-2", None)
    assert '<dt>Page</dt><dd>3</dd>' in item and '<dt>Bates</dt><dd>NYPD-000123</dd>' in item
    assert "suggested (not confirmed by an analyst)" in item
    assert Page(item).ids == ["cite-c-2"] and Page(item).hrefs == ["#cite-c-2"]


def test_report_html_timeline_draws_open_intervals_days_and_vague_dates(
    make_case: CaseBuilder,
) -> None:
    root = make_case(
        facts="""\
        - id: f-open
          fact: contract
          parties: [acme, vendor]
          kind: trial
          from: 2020-03
          source: {doc: evidence/m1.eml, quote: "We signed the trial agreement today."}
        - id: f-met
          fact: meeting
          participants: [ann, val]
          date: 2020-03-03
          source: {doc: evidence/m1.eml, quote: "It runs through June."}
        """,
        claims="""\
        - id: no-contract
          speaker: acme
          said_on: 2020-05
          quote: "No contract."
          asserts:
            none: {fact: contract, parties: [acme, vendor]}
        - id: never-met
          speaker: acme
          quote: "We never met them."
          asserts:
            none: {fact: meeting, participants: [acme, vendor]}
        """,
    )
    case = load_case(root)
    out = render_html(Checker(case).run(), ReportContext.of(case))
    svg = out.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert svg.count("<circle") == 2  # the meeting on its day, and the legend's dot
    assert 'fill-opacity="0.08"' in svg  # "said 2020-05": the month is shaded
    assert "said 2020-05: no-contract" in svg
    assert "f-open" in svg and "f-met" in svg
    assert "L950 " in svg  # the open-ended contract runs off the right edge, as an arrow
    assert "These statements have no recorded date (<code>said_on</code>) and are not marked: " \
           "never-met." in out
