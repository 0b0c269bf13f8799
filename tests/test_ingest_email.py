"""Email files to documents and `communication` facts (issue #2's header facts)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from checker.case.load import load_case
from checker.ingest.email import read_eml, read_mbox
from checker.ingest.evidence import read_evidence
from tests.conftest import SHARED, CaseBuilder

NY = ZoneInfo("America/New_York")


def eml(sender: str, to: str, body: str = "Hello.", date: str = "Tue, 03 Mar 2020 10:00:00 +0000",
        extra: str = "") -> str:
    return (f"From: {sender}\nTo: {to}\nDate: {date}\nSubject: Test\n{extra}"
            f"Content-Type: text/plain; charset=utf-8\n\n{body}\n")


def comm_facts(root: Path) -> dict[str, dict]:
    case = load_case(root)
    return {f.id: f.roles for f in case.facts if f.type == "communication"}


def test_ingest_email_text_is_headers_then_body_with_exact_offsets(tmp_path: Path) -> None:
    p = tmp_path / "a.eml"
    p.write_text(eml("Ann Lee <ann@acme.example.com>", "val@vendor.example.org",
                     "Line one\nline two"))
    doc = read_eml(p, "evidence/a.eml", NY)
    assert doc.text.startswith("From: Ann Lee <ann@acme.example.com>\nTo: val@vendor.example.org\n")
    start, end = doc.locate("Line one line two")  # white space folded
    assert doc.text[start:end] == "Line one\nline two"
    assert doc.messages[0].date == "2020-03-03T05:00:00-05:00"  # in the case timezone


def test_ingest_email_decodes_quoted_printable_and_rfc2047(tmp_path: Path) -> None:
    p = tmp_path / "qp.eml"
    p.write_bytes(
        b"From: =?utf-8?q?Jos=C3=A9_P=C3=A9rez?= <jose@vendor.example.org>\nTo: a@b.example\n"
        b"Subject: =?utf-8?b?Q2Fmw6k=?=\nContent-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: quoted-printable\n\nuses no district=\n data, caf=C3=A9\n")
    doc = read_eml(p, "qp.eml", NY)
    assert "From: José Pérez <jose@vendor.example.org>" in doc.text
    assert "Subject: Café" in doc.text
    assert "uses no district data, café" in doc.text


def test_ingest_email_html_only_body_becomes_text_without_script(tmp_path: Path) -> None:
    p = tmp_path / "h.eml"
    p.write_text("From: a@b.example\nTo: c@d.example\nSubject: x\nContent-Type: text/html\n\n"
                 "<p>Signed <b>today</b>.</p><script>alert(1)</script>\n")
    doc = read_eml(p, "h.eml", NY)
    assert "Signed today." in doc.text and "alert" not in doc.text


def test_ingest_email_mbox_messages_follow_one_another(tmp_path: Path) -> None:
    p = tmp_path / "box.mbox"
    p.write_text("From MAILER-DAEMON Tue Mar  3 10:00:00 2020\n" + eml("a@x.example", "b@y.example",
                 "first body") + "\nFrom MAILER-DAEMON Wed Mar  4 10:00:00 2020\n"
                 + eml("c@x.example", "d@y.example", "second body"))
    doc = read_mbox(p, "evidence/box.mbox", NY)
    assert len(doc.messages) == 2
    start, _ = doc.locate("second body")
    assert doc.message_at(start) is doc.messages[1]
    assert doc.passage(*doc.locate("second body")).sender == "c@x.example"


def test_ingest_email_header_fact_resolves_people_domains_and_channel(make_case: CaseBuilder
                                                                      ) -> None:
    root = make_case(emails={
        "work.eml": eml("Ann Lee <ann@acme.example.com>", "Val <val@vendor.example.org>, "
                        "someone@vendor.example.org"),
        "home.eml": eml("Ann <ann.home@mail.example.net>", "val@vendor.example.org"),
        "stranger.eml": eml("x@unknown.example", "Acme <nobody@nowhere.example>"),
    })
    facts = comm_facts(root)
    work = facts["header:evidence/work.eml"]
    assert work["from"] == "ann" and work["to"] == ("val", "vendor") and work["channel"] == "work"
    assert facts["header:evidence/home.eml"]["channel"] == "personal"
    stranger = facts["header:evidence/stranger.eml"]
    assert "from" not in stranger  # unknown sender stays unknown
    assert stranger["to"] == ("acme",)  # resolved through the display name (an alias)
    assert str(work["date"]) == "2020-03-03"


def test_ingest_email_header_fact_cites_the_decoded_from_and_to_lines(make_case: CaseBuilder
                                                                      ) -> None:
    root = make_case()
    case = load_case(root)
    fact = next(f for f in case.facts if f.origin == "header")
    assert fact.source.quote == (
        "From: Ann Lee <ann@acme.example.com>\nTo: Val Ortiz <val@vendor.example.org>")
    doc = case.documents[fact.source.doc]
    assert doc.text[fact.source.start:fact.source.end] == fact.source.quote


def test_ingest_email_channel_unknown_when_no_organisation_lists_a_domain(
        make_case: CaseBuilder) -> None:
    entities = """
    - {id: org, name: Org, kind: organization}
    - {id: pat, name: Pat, kind: person, member_of: org, emails: [pat@mail.example.net]}
    """
    mail = {"p.eml": eml("pat@mail.example.net", "x@y.example")}
    root = make_case(entities=entities, emails=mail, claims="""
    - id: c
      speaker: org
      quote: "Q"
      asserts:
        some: {fact: communication, from: org}
    """)
    assert "channel" not in comm_facts(root)["header:evidence/p.eml"]


def test_ingest_email_bad_files_are_accounted_for_and_do_not_stop_others(tmp_path: Path) -> None:
    ev = tmp_path / "evidence"
    ev.mkdir()
    (ev / "good.eml").write_text(eml("a@x.example", "b@y.example"))
    (ev / "empty.eml").write_text("")
    (ev / "junk.eml").write_bytes(bytes(range(256)) * 4)
    (ev / "empty.mbox").write_text("")
    (ev / "scan.pdf").write_bytes(b"%PDF-1.4")
    (ev / "notes.md").write_text("# notes")
    out = read_evidence(tmp_path, NY)
    status = {r.path: (r.status, r.reason) for r in out.manifest}
    assert status["evidence/good.eml"][0] == "read"
    assert status["evidence/empty.eml"] == ("failed", "empty file")
    assert status["evidence/junk.eml"][0] == "failed"
    assert status["evidence/empty.mbox"][0] == "failed"
    assert status["evidence/scan.pdf"][0] == "failed" and "PDF" in status["evidence/scan.pdf"][1]
    assert status["evidence/notes.md"][0] == "skipped"
    assert len(out.manifest) == 6 and list(out.documents) == ["evidence/good.eml"]


@pytest.mark.skipif(not (SHARED / "corpora" / "parser-torture").is_dir(),
                    reason="../shared/corpora is not beside this checkout")
def test_ingest_email_torture_mails_never_raise(tmp_path: Path) -> None:
    """Real broken mail: every file is read or failed with a reason, none escapes."""
    src = SHARED / "corpora" / "parser-torture"
    (tmp_path / "evidence").symlink_to(src, target_is_directory=True)
    out = read_evidence(tmp_path, NY)
    assert len(out.manifest) == len([p for p in src.iterdir() if p.is_file()])
    assert all(r.status in ("read", "skipped", "failed") and (r.status == "read" or r.reason)
               for r in out.manifest)
    assert sum(r.status == "read" for r in out.manifest) >= 17


@pytest.mark.skipif(not (SHARED / "corpora" / "enron-mbox").is_dir(),
                    reason="../shared/corpora is not beside this checkout")
def test_ingest_email_enron_mbox_reads_every_message_the_stdlib_finds() -> None:
    path = SHARED / "corpora" / "enron-mbox" / "lay-k-sample-2000.mbox"
    doc = read_mbox(path, "lay.mbox", NY)
    assert len(doc.messages) + len(doc.unreadable) == 2000
    assert len(doc.messages) >= 1990


def test_ingest_email_channel_unknown_when_the_printout_shows_no_address(
        make_case: CaseBuilder) -> None:
    """Regression: a printout's 'From: Ann Lee' (a name, no address) is not 'personal'."""
    printout = ("From: Ann Lee\nSent: Tuesday, March 3, 2020 10:00 AM\nTo: Val Ortiz\n"
                "Subject: Agreement\n\nWe signed the trial agreement today.\n")
    root = make_case(emails={}, files={"evidence/printout.txt": printout})
    facts = comm_facts(root)
    (roles,) = facts.values()
    assert roles.get("from") == "ann" and "channel" not in roles
