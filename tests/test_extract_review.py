"""Extraction in a case: threshold, --confirmed-only, the index cache, review.yaml
decisions (accept, reject, correct, stale ids) and the "rests on suggested facts" note.

The extractor is a fake (`FakeExtractor`, installed over `checker.extraction.extractor`)
so these tests depend on the wiring, not on the extraction core's quality.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pytest

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.errors import CaseInvalid
from checker.extraction import run as extraction
from checker.extraction.review import Decision, write_decision
from checker.ingest.document import Document
from checker.model.entities import EntityIndex
from checker.model.facts import Fact, fact_interval, fact_key
from checker.model.facttypes import FactType
from checker.model.timespan import parse_date
from checker.report import FORMATS
from checker.report.context import ReportContext

SENTENCE = "We signed the trial agreement today."


class FakeExtractor:
    """Suggests one trial contract between Acme and the vendor per document that
    holds SENTENCE, with the given confidence; records every call."""

    def __init__(self, confidence: float = 0.9):
        self.confidence = confidence
        self.calls: list[dict[str, Any]] = []

    def __call__(
        self,
        documents: Iterable[Document],
        entities: EntityIndex,
        types: dict[str, FactType],
        *,
        model: str | None = None,
        packs_dirs: Sequence[Path] = (),
    ) -> list[Fact]:
        docs = list(documents)
        self.calls.append({"docs": [d.path for d in docs], "model": model, "packs": packs_dirs})
        out = []
        for doc in docs:
            found = doc.locate(SENTENCE)
            if found is None:
                continue
            roles = {
                "parties": ("acme", "vendor"),
                "kind": "trial",
                "from": parse_date("2020-03-03"),
            }
            out.append(
                Fact(
                    id=f"x-{doc.id[:8]}-contract",
                    type="contract",
                    roles=roles,
                    status="suggested",
                    origin="extractor",
                    source=doc.passage(*found),
                    interval=fact_interval(roles, types["contract"].time_roles()),
                    key=fact_key("contract", roles),
                    confidence=self.confidence,
                    pattern="contract.signed-agreement",
                )
            )
        return out


def no_extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if checker.extract were not installed: analyst and header facts only."""
    monkeypatch.setattr(extraction, "extractor", lambda: None)


def install(monkeypatch: pytest.MonkeyPatch, confidence: float = 0.9) -> FakeExtractor:
    fake = FakeExtractor(confidence)
    monkeypatch.setattr(extraction, "extractor", lambda: fake)
    return fake


CLAIMS = """\
- id: no-contract
  speaker: acme
  quote: "Acme has never signed anything with the vendor."
  asserts:
    none: {fact: contract, parties: [acme, vendor]}
"""

FACTS = """\
- id: f-trial
  fact: contract
  parties: [acme, vendor]
  kind: trial
  from: 2020-03-03
  source:
    doc: evidence/m1.eml
    quote: "We signed the trial agreement today."
"""


def _verdict(root: Path, **options: Any) -> tuple[str, str, bool]:
    result = Checker(load_case(root, **options)).run().claims[0]
    return result.verdict, result.reason, result.suggested


def _fact_id(root: Path) -> str:
    return load_case(root).extracted[0].id


# -- thresholds and --confirmed-only -----------------------------------------
def test_extract_suggested_fact_above_threshold_decides_and_says_so(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch, confidence=0.9)
    root = make_case(claims=CLAIMS)

    verdict, reason, suggested = _verdict(root)

    fid = _fact_id(root)
    assert verdict == "contradicted"
    assert reason.endswith(
        f"This verdict rests on a machine-suggested fact that nobody has reviewed: {fid}. "
        "On confirmed facts alone it would be unresolved."
    )
    assert suggested is True


def test_extract_suggested_fact_below_threshold_is_not_used(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch, confidence=0.5)
    root = make_case(claims=CLAIMS)

    case = load_case(root)

    assert _verdict(root)[0] == "unresolved"
    assert [f.status for f in case.extracted] == ["suggested"]
    assert not any(f.origin == "extractor" for f in case.facts)


def test_extract_case_threshold_is_read_from_case_yaml(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch, confidence=0.5)
    root = make_case(claims=CLAIMS, case="title: T\nextraction: {threshold: 0.4}\n")

    assert _verdict(root)[0] == "contradicted"


def test_extract_confirmed_only_ignores_suggested_facts(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch, confidence=0.99)
    root = make_case(claims=CLAIMS)

    verdict, reason, suggested = _verdict(root, confirmed_only=True)

    assert verdict == "unresolved"
    assert "machine-suggested" not in reason and suggested is False


def test_extract_disabled_in_case_yaml_extracts_nothing(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = install(monkeypatch)
    root = make_case(claims=CLAIMS, case="title: T\nextraction: {enabled: false}\n")

    assert _verdict(root)[0] == "unresolved"
    assert fake.calls == []


def test_extract_analyst_facts_give_the_same_verdict_and_no_note(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_case(claims=CLAIMS, facts=FACTS)
    no_extractor(monkeypatch)
    before = _verdict(root)
    install(monkeypatch, confidence=0.9)

    after = _verdict(root)

    # The extracted fact quotes the passage the analyst coded: it is superseded, and the
    # verdict, reason and citations are exactly those without extraction.
    assert before == after
    case = load_case(root)
    assert case.superseded == {case.extracted[0].id: "f-trial"}
    assert not any(f.origin == "extractor" for f in case.facts)


def test_extract_same_verdict_on_confirmed_facts_is_given_as_without_extraction(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = FACTS.replace("We signed the trial agreement today.", "It runs through June.")
    root = make_case(claims=CLAIMS, facts=other)
    no_extractor(monkeypatch)
    before = _verdict(root)
    install(monkeypatch, confidence=0.9)  # a second, uncoded passage: not superseded

    after = _verdict(root)

    assert load_case(root).superseded == {}
    assert before == after and after[0] == "contradicted"


def test_extract_model_option_overrides_case_yaml(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = install(monkeypatch)
    root = make_case(claims=CLAIMS, case="title: T\nextraction: {model: en_core_web_sm}\n")

    load_case(root)
    load_case(root, model="en_core_web_md")

    assert [c["model"] for c in fake.calls] == ["en_core_web_sm", "en_core_web_md"]


@pytest.mark.parametrize(
    ("block", "message"),
    [
        ("{threshold: 1.5}", "less than or equal to 1"),
        ("{treshold: 0.5}", "unknown key 'treshold'"),
        ("{packs: [patterns]}", "extraction pack folder 'patterns' does not exist"),
    ],
)
def test_extract_bad_case_yaml_block_is_a_file_line_problem(
    make_case: Any, block: str, message: str
) -> None:
    root = make_case(claims=CLAIMS, case=f"title: T\nextraction: {block}\n")

    with pytest.raises(CaseInvalid) as err:
        load_case(root)

    assert "case.yaml:2:" in str(err.value) and message in str(err.value)


# -- the cache in the index -----------------------------------------------------
def test_extract_reextracts_only_new_or_changed_documents(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = install(monkeypatch)
    root = make_case(claims=CLAIMS)
    first = load_case(root)
    second = load_case(root)
    (root / "evidence" / "m2.eml").write_text(  # another email (a copy would be one record)
        (root / "evidence" / "m1.eml").read_text().replace("<m1@", "<m2@") + "\nA second email.\n"
    )
    third = load_case(root)

    assert [c["docs"] for c in fake.calls] == [["evidence/m1.eml"], ["evidence/m2.eml"]]
    assert [f.id for f in first.extracted] == [f.id for f in second.extracted]
    assert (second.extraction.cached, third.extraction.read) == (1, 1)  # type: ignore[union-attr]
    assert len(third.extracted) == 2
    cached = second.extracted[0]
    assert (cached.confidence, cached.pattern, cached.roles["kind"]) == (
        0.9,
        "contract.signed-agreement",
        "trial",
    )
    assert cached.source is not None and cached.source.quote == SENTENCE


def test_extract_entities_change_invalidates_the_cache(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = install(monkeypatch)
    root = make_case(claims=CLAIMS)
    load_case(root)
    with (root / "entities.yaml").open("a") as f:
        f.write("- id: newco\n  name: New Co\n  kind: organization\n")

    load_case(root)

    assert len(fake.calls) == 2


# -- review.yaml ------------------------------------------------------------------
def test_review_accept_confirms_and_removes_the_note(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch, confidence=0.5)  # below the threshold: only review makes it count
    root = make_case(claims=CLAIMS)
    fid = _fact_id(root)
    write_decision(root, Decision(fact=fid, decision="accept", note="checked"))

    verdict, reason, suggested = _verdict(root)
    case = load_case(root, confirmed_only=True)

    assert verdict == "contradicted" and "machine-suggested" not in reason and not suggested
    assert [f.status for f in case.extracted] == ["confirmed"]
    assert any(f.id == fid for f in case.facts)  # reviewed facts count for filings too


def test_review_reject_drops_the_fact(make_case: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    install(monkeypatch, confidence=0.95)
    root = make_case(claims=CLAIMS)
    write_decision(root, Decision(fact=_fact_id(root), decision="reject"))

    case = load_case(root)

    assert _verdict(root)[0] == "unresolved"
    assert [f.status for f in case.extracted] == ["rejected"]


def test_review_correct_replaces_roles_and_confirms(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch)
    root = make_case(claims=CLAIMS)
    fid = _fact_id(root)
    write_decision(
        root,
        Decision(
            fact=fid, decision="correct", roles={"parties": ["Acme", "regulator"], "kind": "pilot"}
        ),
    )

    fact = load_case(root).extracted[0]

    assert (fact.status, fact.roles["parties"], fact.roles["kind"]) == (
        "confirmed",
        ("acme", "regulator"),
        "pilot",
    )
    assert fact.roles["from"].text == "2020-03-03"  # roles not named are kept
    assert _verdict(root)[0] == "unresolved"


def test_review_correct_checks_roles_against_the_type(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch)
    root = make_case(claims=CLAIMS)
    fid = _fact_id(root)
    (root / "review.yaml").write_text(
        f"- fact: {fid}\n  decision: correct\n  roles:\n    kind: pilott\n    partys: [acme]\n"
    )

    with pytest.raises(CaseInvalid) as err:
        load_case(root)

    text = str(err.value)
    assert "review.yaml:4: 'pilott' is not allowed for role 'kind'" in text
    assert (
        "review.yaml:5: unknown role 'partys' for fact type 'contract'. Did you mean 'parties'?"
        in text
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- fact: x-1\n  decision: acept\n", "review.yaml:2: 'acept' is not allowed"),
        (
            "- fact: x-1\n  decision: correct\n",
            "review.yaml:1: decision 'correct' for fact 'x-1' needs roles",
        ),
        (
            "- fact: x-1\n  decision: accept\n  roles: {kind: pilot}\n",
            "review.yaml:1: roles are only for decision 'correct'",
        ),
        (
            "- fact: x-1\n  decision: accept\n- fact: x-1\n  decision: reject\n",
            "review.yaml:3: a second decision for fact 'x-1'",
        ),
        (
            "- fact: x-1\n  decision: accept\n  reviwer: jb\n",
            "review.yaml:3: unknown key 'reviwer'. Did you mean 'reviewer'?",
        ),
        ("fact: x-1\n", "review.yaml:1: expected a list of decisions"),
        ("- fact: [x\n", "review.yaml:2: YAML syntax error"),
    ],
)
def test_review_file_problems_are_reported_with_file_and_line(
    make_case: Any, text: str, message: str
) -> None:
    root = make_case(claims=CLAIMS, files={"review.yaml": text})

    with pytest.raises(CaseInvalid) as err:
        load_case(root)

    assert message in str(err.value)


def test_review_decision_for_a_gone_fact_is_a_warning(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    install(monkeypatch)
    root = make_case(claims=CLAIMS, files={"review.yaml": "- fact: x-gone\n  decision: accept\n"})

    case = load_case(root)

    assert [str(w) for w in case.warnings] == [
        "review.yaml:1: fact 'x-gone' was not extracted this time; the decision has no effect "
        "(delete it, or check the id with `checker facts`)."
    ]


def test_review_write_replaces_the_entry_and_keeps_ids_sorted(tmp_path: Path) -> None:
    write_decision(tmp_path, Decision(fact="x-b", decision="accept"))
    write_decision(tmp_path, Decision(fact="x-a", decision="reject", note="wrong sender"))
    write_decision(
        tmp_path, Decision(fact="x-b", decision="correct", roles={"date": "2020-09"}, reviewer="jb")
    )

    text = (tmp_path / "review.yaml").read_text()

    assert text.endswith(
        "- fact: x-a\n  decision: reject\n  note: wrong sender\n"
        "- fact: x-b\n  decision: correct\n  roles:\n    date: 2020-09\n  reviewer: jb\n"
    )
    assert text.startswith("# Review decisions")


# -- outputs ----------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json", "csv", "questions"])
def test_extract_every_format_says_the_verdict_rests_on_suggested_facts(
    make_case: Any, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    install(monkeypatch)
    root = make_case(claims=CLAIMS)
    case = load_case(root)

    text = FORMATS[fmt](Checker(case).run(), ReportContext.of(case))

    assert "machine-suggested fact" in text
    if fmt == "json":
        claim = json.loads(text)["claims"][0]
        assert claim["suggested"] is True
        assert {c["status"] for c in claim["citations"]} == {"suggested"}


def test_extract_json_has_no_suggested_key_when_facts_are_confirmed(
    make_case: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_extractor(monkeypatch)
    root = make_case(claims=CLAIMS, facts=FACTS)
    case = load_case(root)

    claim = json.loads(FORMATS["json"](Checker(case).run(), ReportContext.of(case)))["claims"][0]

    assert "suggested" not in claim
