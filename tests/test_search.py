"""`checker search`: FTS5 queries over every record's text, filters, ranking,
copies once, exact offsets in the text `checker show` prints, syntax errors
with a hint, hostile text shown escaped, and an index kept up to date file by
file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from checker.cli.app import app
from checker.ingest import fulltext
from checker.ingest.index import open_index
from checker.report.records import TEXT_END, TEXT_START
from tests.conftest import CaseBuilder

runner = CliRunner()
UTC = ZoneInfo("UTC")


def invoke(*args: str):
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def mail(subject: str, body: str, *, day: str = "03 Mar 2020", sender: str = "Ann Lee "
         "<ann@acme.example.com>", to: str = "Val Ortiz <val@vendor.example.org>",
         mid: str | None = None) -> str:
    head = [f"From: {sender}", f"To: {to}", f"Date: Tue, {day} 10:00:00 +0000",
            f"Subject: {subject}", f"Message-ID: <{mid or subject.replace(' ', '-')}@x.example>"]
    return "\n".join(head) + "\n\n" + body + "\n"


def mbox(*messages: str) -> str:
    return "".join(f"From ann@acme.example.com Tue Mar  3 10:00:00 2020\n{m}\n" for m in messages)


EMAILS = {
    "box.mbox": mbox(
        mail("Hello", "Just saying hello before the board meeting."),
        mail("Agreement", "We signed the trial agreement today.\nIt runs through June."),
        mail("Lunch", "Lunch is at noon. The vendor agreed to pay.", day="10 Mar 2020"),
    ),
    "april.eml": mail("Renewal", "Val here: the agreement is renewed for a year.",
                      day="02 Apr 2020", sender="Val Ortiz <val@vendor.example.org>",
                      to="Ann Lee <ann@acme.example.com>"),
    "memo.txt": "A memo with no headers. Nobody signed anything in June.\n",
}


@pytest.fixture
def case(make_case: CaseBuilder) -> Path:
    return make_case(emails=EMAILS)


def search(root: Path, *args: str) -> dict:
    result = invoke("search", *args[:1], str(root), *args[1:], "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def shown_text(root: Path, ref: str) -> str:
    """The record's text as `checker show REF` prints it (between its markers)."""
    result = invoke("show", ref, str(root))
    assert result.exit_code == 0, result.output
    return result.stdout.split(TEXT_START + "\n", 1)[1].rsplit(TEXT_END, 1)[0]


def found(root: Path, *args: str) -> list[tuple[str, list[str]]]:
    """(subject, quoted hits) per record found, after checking every hit's
    offsets against the text `checker show` prints for that record."""
    out = []
    for hit in search(root, *args)["results"]:
        text = shown_text(root, f"{hit['doc']}#{hit['index']}")
        assert shown_text(root, hit["message"]) == text  # the id names the same record
        for m in hit["matches"]:
            assert text[m["start"] : m["end"]] == m["quote"]
        out.append((hit["subject"], [m["quote"] for m in hit["matches"]]))
    return out


# -- queries ---------------------------------------------------------------------------


# (subject, hits) per record, by subject; the memo has none. A record's text
# starts with its header lines, so a subject's words are hits too.
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param('"trial agreement"', [("Agreement", ["trial agreement"])], id="phrase"),
        pytest.param('"agreement today it runs"', [("Agreement", ["agreement today.\nIt runs"])],
                     id="phrase-across-a-line-break"),
        pytest.param("agree*", [("Agreement", ["Agreement", "agreement"]),
                                ("Lunch", ["agreed"]), ("Renewal", ["agreement"])], id="prefix"),
        pytest.param("NEAR(signed june, 8)", [("", ["signed", "June"]),
                                              ("Agreement", ["signed", "June"])], id="near"),
        pytest.param("NEAR(signed june, 3)", [("", ["signed", "June"])], id="near-closer"),
        pytest.param("agreement NOT trial", [("Renewal", ["agreement"])], id="not"),
        pytest.param("lunch OR hello", [("Hello", ["Hello", "hello"]),
                                        ("Lunch", ["Lunch", "Lunch"])], id="or"),
        pytest.param("(lunch OR hello) AND board", [("Hello", ["Hello", "hello", "board"])],
                     id="parentheses"),
        pytest.param("SIGNED AND agreement", [("Agreement", ["Agreement", "signed", "agreement"])],
                     id="and-any-case"),
        pytest.param("^from", [("Agreement", ["From"]), ("Hello", ["From"]), ("Lunch", ["From"]),
                               ("Renewal", ["From"])], id="initial-token"),
        pytest.param("^memo", [], id="initial-token-only"),
    ],
)
def test_search_query_finds_records_with_offsets_into_shown_text(
    case: Path, query: str, expected: list[tuple[str, list[str]]]
) -> None:
    got = [(subject or "", hits) for subject, hits in found(case, query)]
    assert sorted(got) == expected


def test_search_folds_accents_and_case(make_case: CaseBuilder) -> None:
    root = make_case(emails={"m.eml": mail("Café", "Meet at the CAFÉ on Rue Müller.")})
    assert found(root, "cafe muller") == [("Café", ["Café", "CAFÉ", "Müller"])]


def test_search_ranks_the_record_that_says_it_most_first(make_case: CaseBuilder) -> None:
    root = make_case(emails={
        "a.eml": mail("Once", "The contract is mentioned here once among other words."),
        "b.eml": mail("Thrice", "Contract, contract: the contract is signed."),
    })
    rows = search(root, "contract")["results"]
    assert [r["subject"] for r in rows] == ["Thrice", "Once"]
    assert [r["rank"] for r in rows] == [1, 2] and rows[0]["score"] > rows[1]["score"]


def test_search_json_gives_the_citation_reference_of_each_record(case: Path) -> None:
    out = search(case, '"trial agreement"')
    assert out["query"] == '"trial agreement"' and out["total"] == 1
    [hit] = out["results"]
    assert hit["doc"] == "evidence/box.mbox" and hit["index"] == 2
    assert len(hit["message"]) == 16 and hit["message_id"] == "Agreement@x.example"
    assert hit["date"].startswith("2020-03-03") and hit["subject"] == "Agreement"
    assert hit["from"] == "Ann Lee <ann@acme.example.com>"
    assert hit["to"] == ["Val Ortiz <val@vendor.example.org>"]
    assert hit["locations"] == [] and "trial agreement" in hit["snippet"]


def test_search_limit_keeps_the_best_and_counts_them_all(case: Path) -> None:
    out = search(case, "agree*", "--limit", "2")
    assert out["total"] == 3 and len(out["results"]) == 2
    table = invoke("search", "agree*", str(case), "--limit", "2")
    last = table.stdout.rstrip().splitlines()[-1]
    assert last == "3 records match; the best 2 are shown (--limit for more)."


def test_search_nothing_found_says_so(case: Path) -> None:
    result = invoke("search", "zebra", str(case))
    assert result.exit_code == 0 and result.stdout == "No record matches.\n"
    assert search(case, "zebra") == {"query": "zebra", "total": 0, "results": []}


def test_search_marks_hits_on_request_and_not_in_pipes(case: Path) -> None:
    plain = invoke("search", '"trial agreement"', str(case))
    marked = invoke("search", '"trial agreement"', str(case), "--mark")
    assert "We signed the trial agreement today. It runs through June." in plain.stdout
    assert "[[" not in plain.stdout  # CliRunner's stdout is not a terminal
    assert "We signed the [[trial agreement]] today." in marked.stdout
    assert "evidence/box.mbox#2" in plain.stdout and "Agreement" in plain.stdout


def test_search_snippet_is_around_the_first_hit_below_the_headers(make_case: CaseBuilder) -> None:
    filler = " ".join(["Nothing to see in this sentence."] * 12)
    root = make_case(emails={"m.eml": mail("Budget", f"{filler}\nThe budget is final.\n{filler}")})
    result = invoke("search", "budget", str(root), "--mark")
    snippet = result.stdout.splitlines()[2].strip()
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "The [[budget]] is final." in snippet and "Subject" not in snippet
    [hit] = search(root, "budget")["results"]
    assert [m["quote"] for m in hit["matches"]] == ["Budget", "budget"]


# -- filters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "subjects"),
    [
        pytest.param(["--after", "2020-03"], ["Renewal"], id="after-a-month"),
        pytest.param(["--after", "2020-03-03"], ["Lunch", "Renewal"], id="after-a-day"),
        pytest.param(["--before", "2020-03-10"], ["Agreement"], id="before-a-day"),
        pytest.param(["--before", "2020-04"], ["Agreement", "Lunch"], id="before-a-month"),
        pytest.param(["--after", "2020-03-03", "--before", "2020-04"], ["Lunch"], id="between"),
        pytest.param(["--before", "2020"], [], id="before-a-year"),
    ],
)
def test_search_date_filter(case: Path, options: list[str], subjects: list[str]) -> None:
    rows = search(case, "agree*", *options)["results"]
    assert sorted(r["subject"] for r in rows) == subjects


@pytest.mark.parametrize(
    ("options", "subjects"),
    [
        pytest.param(["--from", "ann"], ["Agreement", "Lunch"], id="entity-id"),
        pytest.param(["--from", "Acme"], ["Agreement", "Lunch"], id="organisation-alias"),
        pytest.param(["--from", "vendor"], ["Renewal"], id="organisation-of-the-sender"),
        pytest.param(["--from", "Ann Lee"], ["Agreement", "Lunch"], id="entity-name"),
        pytest.param(["--from", "VAL@vendor.example.org"], ["Renewal"], id="address"),
        pytest.param(["--from", "@vendor.example.org"], ["Renewal"], id="domain"),
        pytest.param(["--from", "ortiz"], ["Renewal"], id="name-word"),
        pytest.param(["--from", "ann", "--from", "val"], ["Agreement", "Lunch", "Renewal"],
                     id="either"),
        pytest.param(["--to", "ann"], ["Renewal"], id="recipient"),
        pytest.param(["--from", "ann", "--to", "ann"], [], id="both"),
        pytest.param(["--from", "regulator"], [], id="entity-that-never-wrote"),
    ],
)
def test_search_sender_and_recipient_filter(
    case: Path, options: list[str], subjects: list[str]
) -> None:
    rows = search(case, "agree*", *options)["results"]
    assert sorted(r["subject"] for r in rows) == subjects


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(["--from", "Anne Le"], "Did you mean 'ann' (Ann Lee)?", id="entity-typo"),
        pytest.param(["--to", "val@vendor.example.com"], "Did you mean 'val@vendor.example.org'?",
                     id="address-typo"),
        pytest.param(["--from", "@nowhere.example"], "no sender in the records has an address "
                     "at that domain", id="domain"),
        pytest.param(["--after", "2020-13"], "--after '2020-13': not a real date", id="date"),
        pytest.param(["--before", "March"], "not a date; write YYYY-MM-DD", id="not-a-date"),
    ],
)
def test_search_unknown_filter_value_exits_2_with_did_you_mean(
    case: Path, options: list[str], message: str
) -> None:
    result = invoke("search", "agree*", str(case), *options)
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and result.stderr.startswith("Error: ")
    assert message in result.stderr and result.stderr.count("\n") == 1


# -- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "hint"),
    [
        pytest.param('"unbalanced', "A phrase needs its closing double quote", id="quote"),
        pytest.param("AND", "AND, OR and NOT join two searches", id="bare-operator"),
        pytest.param("board NOT", "AND, OR and NOT join two searches", id="operator-at-end"),
        pytest.param("foo NEAR(", "NEAR takes its words in parentheses: NEAR(word1 word2, 10)",
                     id="near-open"),
        pytest.param("foo NEAR/3 bar", "FTS5 writes NEAR with parentheses", id="near-fts4"),
        pytest.param("(board OR vote", "Every ( needs its )", id="parenthesis"),
        pytest.param("ann@acme.example.com", 'try: "ann@acme.example.com"', id="address"),
        pytest.param("records-request", 'try: "records-request"', id="hyphen"),
        pytest.param("o'brien*", "try: \"o'brien\"*", id="apostrophe-prefix"),
        pytest.param("*", "A prefix needs a letter or digit before the star", id="star"),
        pytest.param("   ", "Give a word", id="empty"),
    ],
)
def test_search_syntax_error_is_one_line_with_a_hint(case: Path, query: str, hint: str) -> None:
    result = invoke("search", query, str(case))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: cannot search for ")
    assert hint in result.stderr and result.stderr.count("\n") == 1


def test_search_suggested_rewrites_run(case: Path) -> None:
    assert search(case, '"records-request"')["total"] == 0
    assert search(case, '"ann@acme.example.com"')["total"] == 4  # three From lines, a To line


def test_search_of_a_folder_that_is_not_a_case_exits_2(tmp_path: Path) -> None:
    result = invoke("search", "x", str(tmp_path))
    assert result.exit_code == 2 and "no evidence/ folder here" in result.stderr


# -- copies and hostile text ---------------------------------------------------------------


def test_search_gives_copies_once(make_case: CaseBuilder) -> None:
    body = "We signed the trial agreement today."
    root = make_case(emails={}, files={
        "evidence/inbox/1.eml": mail("Agreement", body, mid="copy-a"),
        "evidence/sent/7.eml": mail("Agreement", body, mid="copy-b"),
        "evidence/same-bytes.eml": mail("Agreement", body, mid="copy-a"),
        "evidence/other.eml": mail("Other", "No agreement yet."),
    })
    rows = search(root, "agreement")["results"]
    assert sorted(r["subject"] for r in rows) == ["Agreement", "Other"]
    copy = next(r for r in rows if r["subject"] == "Agreement")
    assert copy["doc"] == "evidence/inbox/1.eml"
    assert copy["locations"] == ["evidence/same-bytes.eml#1", "evidence/sent/7.eml#1"]
    assert search(root, "agreement")["total"] == 2


def test_search_index_gives_a_copy_its_row_when_the_indexed_one_goes(
    make_case: CaseBuilder,
) -> None:
    body = "We signed the trial agreement today."
    root = make_case(emails={}, files={
        "evidence/inbox/1.eml": mail("Agreement", body, mid="copy-a"),
        "evidence/sent/7.eml": mail("Agreement", body, mid="copy-b"),
    })
    assert update(root)[1] == 1  # one email, one row
    (root / "evidence" / "inbox" / "1.eml").unlink()
    stats, rows = update(root)
    assert (stats.fulltext_rows, rows) == (2, 1)  # the first copy's row out, the other's in
    [hit] = found(root, "agreement")
    [row] = search(root, "agreement")["results"]
    assert row["doc"] == "evidence/sent/7.eml" and row["locations"] == []
    assert hit == ("Agreement", ["Agreement", "agreement"])


def test_search_shows_escapes_in_hits_escaped(make_case: CaseBuilder) -> None:
    hostile = "The evil\x1b[2J plan and \u202egnp.exe were \x9b31m signed."
    root = make_case(emails={"m.eml": mail("Bad \x1b]0;owned\x07 subject", hostile)})
    result = invoke("search", '"evil 2j plan"', str(root), "--mark")
    assert result.exit_code == 0, result.output
    assert "[[evil\\x1b[2J plan]]" in result.stdout
    assert "\\u202egnp.exe" in result.stdout and "\\x9b31m" in result.stdout
    assert not any(c in result.stdout for c in "\x1b\x07\x9b\u202e")
    [hit] = search(root, '"evil 2j plan"')["results"]
    assert hit["matches"][0]["quote"] == "evil\x1b[2J plan"  # JSON keeps the text exact
    raw = invoke("search", '"evil 2j plan"', str(root), "--format", "json").stdout
    assert "\x1b" not in raw and "\x9b" not in raw and "\\u001b" in raw


# -- the index, kept up to date ----------------------------------------------------------------


def update(root: Path):
    with open_index(root, UTC) as index:
        stats = index.update()
        return stats, fulltext.rows(index.con)


def test_search_index_follows_changed_removed_and_unchanged_files(case: Path) -> None:
    stats, rows = update(case)
    assert stats.fulltext_rows == rows == 5  # three in the mbox, the eml and the memo

    again, rows = update(case)
    assert (again.unchanged, again.fulltext_rows, rows) == (3, 0, 5)  # nothing rewritten

    april = case / "evidence" / "april.eml"
    april.write_text(EMAILS["april.eml"].replace("renewed for a year", "cancelled outright"))
    os.utime(april, ns=(0, 10**18))  # a new mtime, whatever the clock's resolution
    assert search(case, "renewed")["total"] == 0
    assert found(case, "cancelled") == [("Renewal", ["cancelled"])]
    changed, rows = update(case)
    assert (changed.read, rows) == (0, 5)  # search brought it up to date already

    (case / "evidence" / "memo.txt").unlink()
    assert search(case, "memo")["total"] == 0
    assert update(case)[1] == 4


def test_search_index_rows_of_a_changed_file_are_replaced(case: Path) -> None:
    update(case)
    april = case / "evidence" / "april.eml"
    april.write_text(EMAILS["april.eml"].replace("renewed", "extended"))
    os.utime(april, ns=(0, 10**18))
    stats, rows = update(case)
    assert (stats.read, stats.fulltext_rows, rows) == (1, 2, 5)  # one row out, one in
