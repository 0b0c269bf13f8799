"""Writing CASE/review.yaml: a decision replaces or joins the others and keeps the
reviewer's own comments, order and layout; two reviewers at once both keep their
decisions; a read-only case is one line of error, with nothing changed.

Each fault is a named row. The extractor in the CLI tests is the fake from
test_extract_review, so the texts are exact.
"""

from __future__ import annotations

import json
import multiprocessing
import threading
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.errors import Problem, ReviewNotWritable
from checker.extraction.review import REVIEW_FILE, Decision, read_review, write_decision
from tests.test_extract_review import CLAIMS, install
from tests.test_report_hostile import read_only

runner = CliRunner()

HAND_EDITED = """\
# Review decisions on extracted facts (written by `checker review`; editable by hand).
# One entry per fact id, sorted by id: decision accept | reject | correct (with roles).

# jb, second pass: checked against the PDFs
- fact: x-a   # the cover email
  decision: accept
  note: "fine"  # page 2 says so
# about x-c: ask Dana
- fact: x-c
  # the kind is a guess
  decision: correct
  roles:
    kind: pilot   # not a trial
# end of the reviewed batch
"""


def _written(text: str, decision: Decision, tmp_path: Path) -> str:
    (tmp_path / REVIEW_FILE).write_text(text, encoding="utf-8")
    write_decision(tmp_path, decision)
    return (tmp_path / REVIEW_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text, decision, expected",
    [
        pytest.param(
            HAND_EDITED,
            Decision(fact="x-b", decision="reject", note="wrong sender"),
            HAND_EDITED.replace(
                "# about x-c", "- fact: x-b\n  decision: reject\n  note: wrong sender\n# about x-c"
            ),
            id="review-new-entry-keeps-comments-and-goes-where-it-sorts",
        ),
        pytest.param(
            HAND_EDITED,
            Decision(fact="x-c", decision="accept", reviewer="jb"),
            HAND_EDITED.replace(
                "  decision: correct\n  roles:\n    kind: pilot   # not a trial\n",
                "  decision: accept\n  reviewer: jb\n",
            ),
            id="review-replaced-entry-keeps-its-comments-and-the-ones-around-it",
        ),
        pytest.param(
            HAND_EDITED,
            Decision(fact="x-a", decision="accept", note="fine, and dated"),
            HAND_EDITED.replace('"fine"  # page 2', '"fine, and dated" # page 2'),
            id="review-same-fact-again-keeps-end-of-line-comments",
        ),
        pytest.param(
            HAND_EDITED,
            Decision(fact="x-0", decision="reject"),
            HAND_EDITED.replace(
                "# jb, second pass", "- fact: x-0\n  decision: reject\n# jb, second pass"
            ),
            id="review-first-entry-goes-below-the-file-header",
        ),
        pytest.param(
            HAND_EDITED,
            Decision(fact="x-d", decision="accept"),
            HAND_EDITED.replace(
                "# end of the reviewed batch", "- fact: x-d\n  decision: accept\n# end of the"
                " reviewed batch"
            ),
            id="review-last-entry-goes-above-the-closing-comment",
        ),
        pytest.param(
            "# mine\n  - fact: x-a\n    decision: reject\n  - fact: x-c\n    decision: accept\n",
            Decision(fact="x-b", decision="accept"),
            "# mine\n  - fact: x-a\n    decision: reject\n  - fact: x-b\n    decision: accept\n"
            "  - fact: x-c\n    decision: accept\n",
            id="review-indented-list-keeps-its-indentation",
        ),
        pytest.param(
            "# mine\n[{fact: x-a, decision: accept}, {fact: x-c, decision: reject}]  # flow\n",
            Decision(fact="x-c", decision="accept"),
            "# mine\n[{fact: x-a, decision: accept}, {fact: x-c, decision: accept}]  # flow\n",
            id="review-flow-list-keeps-its-comments",
        ),
        pytest.param(
            "- fact: x-a\n  decision: accept\n  note: |\n    first\n\n    # not a comment\n"
            "- fact: x-c\n  decision: reject",
            Decision(fact="x-b", decision="accept"),
            "- fact: x-a\n  decision: accept\n  note: |\n    first\n\n    # not a comment\n"
            "- fact: x-b\n  decision: accept\n- fact: x-c\n  decision: reject",
            id="review-block-note-and-missing-last-newline",
        ),
        pytest.param(
            "# only my header\n",
            Decision(fact="x-a", decision="accept"),
            "# only my header\n- fact: x-a\n  decision: accept\n",
            id="review-file-with-no-entries-keeps-its-header",
        ),
        pytest.param(
            "- fact: x-a\n  decision: accept\n- fact: x-a  # twice by hand\n  decision: reject\n",
            Decision(fact="x-a", decision="reject"),
            "- fact: x-a\n  decision: reject\n",
            id="review-duplicate-entries-become-one",
        ),
    ],
)
def test_review_file_keeps_the_reviewers_comments_and_order(
    tmp_path: Path, text: str, decision: Decision, expected: str
) -> None:
    written = _written(text, decision, tmp_path)

    assert written == expected
    problems: list[Problem] = []
    assert decision.fact in {e.decision.fact for e in read_review(tmp_path, problems)}
    assert problems == []


@pytest.mark.parametrize(
    "note",
    [
        pytest.param("yes", id="review-note-yes-stays-text"),
        pytest.param("on", id="review-note-on-stays-text"),
        pytest.param("null", id="review-note-null-stays-text"),
        pytest.param("1_000", id="review-note-number-stays-text"),
        pytest.param("2020-03-01", id="review-note-date-stays-text"),
        pytest.param("a: b", id="review-note-colon"),
        pytest.param("# not a comment", id="review-note-hash"),
        pytest.param("- not a list", id="review-note-dash"),
        pytest.param("line one\nline two", id="review-note-two-lines"),
        pytest.param("'quoted' \"twice\" \\ back", id="review-note-quotes-and-backslash"),
    ],
)
def test_review_file_values_read_back_as_given(tmp_path: Path, note: str) -> None:
    decision = Decision(fact="x-a", decision="correct", roles={"to": None, "on": "yes"}, note=note)

    _written(HAND_EDITED, decision, tmp_path)
    (entry,) = [e for e in read_review(tmp_path, []) if e.decision.fact == "x-a"]

    assert entry.decision.note == note
    assert entry.decision.roles == {"to": None, "on": "yes"}


def test_review_file_first_decision_writes_the_header(tmp_path: Path) -> None:
    write_decision(tmp_path, Decision(fact="x-a", decision="accept"))

    assert (tmp_path / REVIEW_FILE).read_text().startswith("# Review decisions")


# -- two reviewers at once ---------------------------------------------------------
DECISIONS = 20


def _decide_many(root: str, reviewer: str) -> None:
    for i in range(DECISIONS):
        write_decision(
            Path(root), Decision(fact=f"x-{reviewer}-{i:02d}", decision="accept", reviewer=reviewer)
        )


def _in_processes(root: Path, reviewers: list[str]) -> None:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(len(reviewers), mp_context=context) as pool:
        for done in [pool.submit(_decide_many, str(root), r) for r in reviewers]:
            done.result()


def _in_threads(root: Path, reviewers: list[str]) -> None:
    threads = [threading.Thread(target=_decide_many, args=(str(root), r)) for r in reviewers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


@pytest.mark.parametrize(
    "run",
    [
        pytest.param(_in_processes, id="review-concurrent-processes-lose-no-decision"),
        pytest.param(_in_threads, id="review-concurrent-threads-lose-no-decision"),
    ],
)
def test_review_file_concurrent_reviewers_both_keep_their_decisions(
    tmp_path: Path, run: Any
) -> None:
    (tmp_path / REVIEW_FILE).write_text(HAND_EDITED)
    reviewers = ["ann", "bo", "cy"]

    run(tmp_path, reviewers)

    problems: list[Problem] = []
    facts = {e.decision.fact for e in read_review(tmp_path, problems)}
    assert problems == []
    assert facts == {"x-a", "x-c"} | {
        f"x-{r}-{i:02d}" for r in reviewers for i in range(DECISIONS)
    }
    text = (tmp_path / REVIEW_FILE).read_text()
    assert "# about x-c: ask Dana\n- fact: x-c\n" in text and "# not a trial" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == [".checker", REVIEW_FILE]


def test_review_file_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / REVIEW_FILE).write_text(HAND_EDITED)

    def refuse(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("checker.extraction.review.os.replace", refuse)
    with pytest.raises(ReviewNotWritable) as err:
        write_decision(tmp_path, Decision(fact="x-b", decision="accept"))

    assert "No space left on device" in str(err.value)
    assert (tmp_path / REVIEW_FILE).read_text() == HAND_EDITED
    assert sorted(p.name for p in tmp_path.iterdir()) == [".checker", REVIEW_FILE]


# -- the command ---------------------------------------------------------------------
@pytest.fixture
def case(make_case: Any, monkeypatch: pytest.MonkeyPatch) -> Path:
    install(monkeypatch, confidence=0.9)
    root: Path = make_case(claims=CLAIMS)
    return root


def _fid(case: Path) -> str:
    out = runner.invoke(app, ["facts", str(case), "--origin", "extractor", "--format", "json"])
    return str(json.loads(out.stdout)[0]["id"])


FIX = (
    "Make the case folder and review.yaml writable (or review in a writable copy of the "
    "case); nothing was changed."
)


@pytest.mark.parametrize(
    "locked, why",
    [
        pytest.param("", "the folder {case} is read-only", id="review-read-only-case-folder"),
        pytest.param(REVIEW_FILE, "the file is read-only", id="review-read-only-review-file"),
    ],
)
def test_review_file_read_only_case_is_a_one_line_error(
    case: Path, locked: str, why: str
) -> None:
    fid = _fid(case)
    (case / REVIEW_FILE).write_text(HAND_EDITED)

    with read_only(case / locked if locked else case):
        result = runner.invoke(app, ["review", fid, str(case), "--accept"])

    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: cannot record the decision in {case / REVIEW_FILE}: "
        f"{why.format(case=case)}. {FIX}\n"
    )
    assert (case / REVIEW_FILE).read_text() == HAND_EDITED


def test_review_file_cli_keeps_comments(case: Path) -> None:
    fid = _fid(case)
    (case / REVIEW_FILE).write_text(HAND_EDITED)

    result = runner.invoke(app, ["review", fid, str(case), "--reject", "--note", "no"])

    assert result.exit_code == 0, result.output
    text = (case / REVIEW_FILE).read_text()
    assert text.startswith(HAND_EDITED.split("- fact: x-a")[0])
    assert "  note: \"fine\"  # page 2 says so\n" in text
    assert f"- fact: {fid}\n  decision: reject\n  note: \"no\"\n" in text
