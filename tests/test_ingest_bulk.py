"""Bulk mail (newsletters, list mail, mail-merge blasts) is recognised at ingest,
and receiving it is a communication, not contact (issue #10)."""

from __future__ import annotations

import email
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import yaml

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.errors import CaseInvalid
from checker.ingest import bulk
from checker.ingest.codec import document_from_row, document_row, loads
from checker.ingest.document import Message
from checker.ingest.email import read_eml, read_mbox
from checker.ingest.headers import header_facts
from checker.ingest.maildir import read_maildir
from checker.ingest.msg import render_msg
from tests.conftest import CaseBuilder

UTC = ZoneInfo("UTC")

KUDLOW_ENTITIES = """
- id: kudlow
  name: Kudlow & Co.
  kind: organization
  domains: [kudlow.com]
- id: lay
  name: Kenneth Lay
  kind: person
  emails: [kenneth.lay@enron.com]
"""

NEWSLETTER = (
    "A new Kudlow Commentary has been published on Kudlow.com. As a subscriber, you may "
    "click the hyperlink below, login, and view the latest commentary. AOL Users please "
    "note, you may need to copy and paste the hyperlink into your web browser.\n\n"
    "Thank You,\n\nKudlow & Company, LLC.\n\n"
    "http://www.kudlow.com/members/login.asp?To=Content&ContentID=365"
)


def eml(body: str = "Hello.", extra: str = "", sender: str = "svarga@kudlow.com",
        to: str = "kenneth.lay@enron.com", date: str = "Thu, 10 Jan 2002 13:40:01 -0800",
        subject: str = "New Kudlow Commentary", message_id: str = "") -> str:
    mid = f"Message-ID: <{message_id}>\n" if message_id else ""
    return (f"From: {sender}\nTo: {to}\nDate: {date}\nSubject: {subject}\n{mid}{extra}"
            "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n")


def bulk_of(tmp_path: Path, text: str) -> str | None:
    path = tmp_path / "m.eml"
    path.write_text(text)
    return read_eml(path, "evidence/m.eml", UTC).messages[0].bulk


# -- signals at ingest -----------------------------------------------------------------


@pytest.mark.parametrize(("header", "reason"), [
    ("List-Id: Kudlow Commentary <commentary.kudlow.com>", "List-Id header"),
    ("List-Unsubscribe: <mailto:leave@kudlow.com>", "List-Unsubscribe header"),
    ("Precedence: bulk", "Precedence: bulk header"),
    ("Precedence: list", "Precedence: list header"),
    ("Precedence: junk", "Precedence: junk header"),
    ("precedence: BULK", "Precedence: bulk header"),
])
def test_ingest_bulk_header_marks_the_message(tmp_path: Path, header: str, reason: str) -> None:
    assert bulk_of(tmp_path, eml("Dinner on Friday?", extra=header + "\n")) == reason


@pytest.mark.parametrize("header", ["Precedence: first-class", "X-List: no", "Priority: bulk"])
def test_ingest_bulk_other_headers_do_not_count(tmp_path: Path, header: str) -> None:
    assert bulk_of(tmp_path, eml("Dinner on Friday?", extra=header + "\n")) is None


WORDING = [
    ("as-a-subscriber", NEWSLETTER),
    ("as-a-subscriber", "As a subscriber to MENA E-News we would like to offer you a trial."),
    ("to-unsubscribe", "Today's headlines.\n\nTo unsubscribe, click here."),
    ("to-unsubscribe", "News of the week. To subscribe (or unsubscribe) to The Lighthouse, go to"),
    ("if-you-unsubscribe", "If you have received this in error or wish to unsubscribe, reply."),
    ("if-you-unsubscribe", "If you no longer wish to receive these updates, write to us."),
    ("removed-from-list", "To be removed from our mailing list, reply with REMOVE."),
    ("removed-from-list", "Reply if you would like to be removed from this distribution list."),
    ("receiving-because", "You are receiving this email because you signed up at our site."),
    ("receiving-because", "You're receiving this newsletter because your firm is a member."),
    ("unsubscribe-link", "Seminar on Tuesday. Click here to unsubscribe."),
    ("unsubscribe-link", "Offers: http://mail.example.com/unsubscribe?u=123"),
    ("unsubscribe-by-reply", "Send a reply with UNSUBSCRIBE in the subject line."),
    ("unsubscribe-line", "This week's offers.\n\nUnsubscribe | View in browser"),
    ("manage-subscription", "This week's offers.\nManage your subscription | Privacy"),
    ("sent-to-address", "This email was sent to kenneth.lay@enron.com by offers@example.com."),
]


@pytest.mark.parametrize(("wid", "body"), WORDING, ids=[f"{w}-{n}" for n, (w, _) in
                                                      enumerate(WORDING)])
def test_ingest_bulk_wording_marks_the_message(tmp_path: Path, wid: str, body: str) -> None:
    reason = bulk_of(tmp_path, eml(body))
    assert reason is not None and reason.startswith(f"subscription wording ({wid}): '")


def test_ingest_bulk_wording_reason_quotes_what_it_found(tmp_path: Path) -> None:
    assert bulk_of(tmp_path, eml(NEWSLETTER)) == (
        "subscription wording (as-a-subscriber): 'As a subscriber, you may'")


def test_ingest_bulk_every_wording_entry_covers_its_examples_and_is_tested() -> None:
    data = yaml.safe_load(bulk.BULK_DATA.read_text(encoding="utf-8"))
    signals = bulk.signals()
    for entry, compiled in zip(data["wording"], signals.wording, strict=True):
        for example in entry["examples"]:
            assert compiled.search(example, example.lower()), (entry["id"], example)
    assert {w.id for w in signals.wording} == {wid for wid, _ in WORDING}


ORDINARY = [
    "As a subscriber to the Times I think we should cancel the ad.",
    "As a subscriber, I was annoyed by their pricing.",
    "She is a subscriber to the Post and reads it daily.",
    "I tried to unsubscribe from their list but the emails keep coming.",
    "If you want to unsubscribe from their newsletter, just call them.",
    "Can you manage your subscription to the data service before June?",
    "He was removed from the list of speakers for the conference.",
    "You are receiving this email because Jane said you'd be interested in the pilot.",
    "Please remove the old figures from the draft and send it back.",
    "We received this message from the vendor yesterday; see below.",
    "Our subscription to the vendor portal renews in March.",
]


@pytest.mark.parametrize("sentence", ORDINARY)
def test_ingest_bulk_ordinary_sentences_are_not_bulk(tmp_path: Path, sentence: str) -> None:
    assert bulk_of(tmp_path, eml(f"Hi Ken,\n\n{sentence}\n\nThanks,\nSam")) is None


# The phrases are careful, not perfect: a person who writes like a mailing is taken
# for one. These pin what they do, so a change to them is seen.
KNOWN_FALSE_POSITIVES = [
    "You're receiving this email because you asked me about the contract.",
    "As a subscriber, you get free shipping, so order it through your account.",
    "To unsubscribe from that list, I had to call them twice.",
]


@pytest.mark.parametrize("sentence", KNOWN_FALSE_POSITIVES)
def test_ingest_bulk_wording_written_by_a_person_can_still_look_like_a_mailing(
        tmp_path: Path, sentence: str) -> None:
    assert bulk_of(tmp_path, eml(f"Hi Ken,\n\n{sentence}\n\nSam")) is not None


@pytest.mark.parametrize("quoted", [
    "Yes, let's meet on Friday.\n\n-----Original Message-----\nFrom: svarga@kudlow.com\n"
    "Sent: Thursday\nTo: Ken\nSubject: News\n\n" + NEWSLETTER,
    "Yes, let's meet on Friday.\n\n> To unsubscribe, click here.\n> Unsubscribe",
    # Lotus Notes quotes a message under a header block of its own, without "From:"
    'REMOVE\n\n"Rightworks Marketing" <m@rightworks.com> on 03/15/2001 03:22:26 PM\n'
    "Please respond to m@rightworks.com\nTo: \"Kenneth Lay\" <klay@enron.com>\ncc:\n"
    "Subject: Still time to register\n\n\nTo unsubscribe, reply with REMOVE.",
    # ...with its time wrapped onto a line of its own, as Enron's mail has it
    'REMOVE\n\n"Rightworks Marketing" <m@rightworks.com> on 03/15/2001\n03:22:26 PM\n'
    "To: \"Kenneth Lay\" <klay@enron.com>\ncc:\nSubject: Still time\n\nTo unsubscribe, reply.",
])
def test_ingest_bulk_wording_in_quoted_history_does_not_count(tmp_path: Path, quoted: str
                                                              ) -> None:
    assert bulk_of(tmp_path, eml(quoted, sender="rosalee.fleming@enron.com")) is None


def test_ingest_bulk_a_newsletter_giving_to_and_subject_lines_is_still_read(
        tmp_path: Path) -> None:
    # "To:" and "Subject:" lines in a newsletter's own instructions are no quoted reply
    body = ("Weekly briefing.\n\nTo unsubscribe, send an email\nTo: leave@list.example.org\n"
            "Subject: unsubscribe\n")
    assert bulk_of(tmp_path, eml(body)) is not None


def test_ingest_bulk_wording_in_an_attached_message_does_not_count(tmp_path: Path) -> None:
    inner = eml(NEWSLETTER)
    text = (
        "From: ann@acme.example.com\nTo: kenneth.lay@enron.com\nSubject: Fwd\n"
        "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=XX\n\n--XX\n"
        "Content-Type: text/plain\n\nSee the newsletter attached.\n--XX\n"
        "Content-Type: message/rfc822\n\n" + inner + "\n--XX--\n"
    )
    path = tmp_path / "fwd.eml"
    path.write_text(text)
    doc = read_eml(path, "evidence/fwd.eml", UTC)
    assert "As a subscriber" in doc.text  # the attached newsletter is read...
    assert doc.messages[0].bulk is None  # ...but the message is a person's forward


def test_ingest_bulk_maildir_message_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "1."
    path.write_text(eml("Dinner?", extra="List-Id: <x.lists.example.org>\n"))
    assert read_maildir(path, "evidence/1.", UTC).messages[0].bulk == "List-Id header"


def test_ingest_bulk_outlook_message_is_marked_by_its_transport_headers() -> None:
    def outlook(body: str, headers: str) -> SimpleNamespace:
        return SimpleNamespace(sender="svarga@kudlow.com", to="kenneth.lay@enron.com", cc=None,
                               subject="News", body=body, htmlBody=None, attachments=[],
                               header=email.message_from_string(headers + "\n"), date=None,
                               messageId="<m1@kudlow.com>", inReplyTo=None)

    _, listed = render_msg(outlook("Dinner?", "List-Unsubscribe: <mailto:x@y>"), 0, UTC, [])
    _, worded = render_msg(outlook(NEWSLETTER, "Date: Thu, 10 Jan 2002 13:40:01 -0800"), 0,
                           UTC, [])
    _, plain = render_msg(outlook("Dinner?", "Date: Thu, 10 Jan 2002 13:40:01 -0800"), 0, UTC, [])
    assert listed.bulk == "List-Unsubscribe header"
    assert worded.bulk is not None and "as-a-subscriber" in worded.bulk
    assert plain.bulk is None


# -- mail-merge blasts -------------------------------------------------------------------

MERGE = ("Dear {name},\n\nWe are pleased to invite you to our annual energy conference in "
         "Houston on May {day}, 2001. Seats are limited; please reply by April {day} to "
         "reserve yours. Your reference number is {ref}.\n\nRegards,\nConference Team")


def merged(n: int, sender: str = "events@conf.example.com") -> list[tuple[str, str]]:
    names = ["Ken", "Jeff", "Andrew", "Rebecca", "Lou", "Greg", "Mark", "Cindy"]
    return [(sender, MERGE.format(name=names[i % 8], day=i + 2, ref=1000 + i)) for i in range(n)]


def test_ingest_bulk_blast_detector_finds_a_mail_merge() -> None:
    found = bulk.find_blasts(merged(6))
    assert sorted(found) == [0, 1, 2, 3, 4, 5]
    assert found[0] == "mail-merge blast: 6 near-identical messages from events@conf.example.com"


@pytest.mark.parametrize(("mail", "why"), [
    (merged(4), "four messages are not enough"),
    ([(*m, "same-message-id") for m in merged(6)], "one email filed six times is one email"),
    ([(f"sender{i}@x.example", body) for i, (_, body) in enumerate(merged(6))],
     "six senders, one message each"),
    ([("ann@acme.example.com", f"Thanks.\n\n{sig}") for sig in ["Ann Lee\nAcme Legal\n" + "Th"
      "is email and any attachments are confidential and may be privileged. " * 4] * 6],
     "a short note above a long fixed signature is a note, however often sent"),
    ([("ann@acme.example.com", f"Hi Val,\n\n{topic} " * 8) for topic in [
        "The pilot contract needs a signature from legal before June.",
        "Our board meets on Tuesday and will discuss the vendor proposal.",
        "The invoice for March is wrong: it bills the wrong schools.",
        "Can you send me the data sharing agreement you mentioned?",
        "The training session moved to the library, room four.",
        "Please call me about the renewal when you are back."]],
     "one sender, six different long messages"),
])
def test_ingest_bulk_blast_detector_leaves_these_alone(mail: list, why: str) -> None:
    assert bulk.find_blasts(mail) == {}, why


@pytest.mark.parametrize(("words", "compared"), [
    ("Dear Ken,\n\n" + "x" * 99, None),  # an opening under 100 characters
    ("Hi all,\nThe report for 12 May is at http://x.example/a?id=9 from bob@x.example. "
     + "y" * 60, "the report for 0 may is at url from @. " + "y" * 60),
])
def test_ingest_bulk_blast_comparison_masks_what_a_merge_varies(words: str,
                                                                compared: str | None) -> None:
    assert bulk.comparable(words) == compared


def test_ingest_bulk_mbox_blast_is_marked_on_every_copy(tmp_path: Path) -> None:
    path = tmp_path / "box.mbox"
    messages = [eml(body, sender=s, message_id=f"m{i}@conf.example.com", subject="Invitation")
                for i, (s, body) in enumerate(merged(5))]
    messages.append(eml("Ken, lunch on Friday works for me.", sender="events@conf.example.com"))
    path.write_text("".join(f"From x Thu Jan 10 13:40:01 2002\n{m}\n" for m in messages))
    doc = read_mbox(path, "evidence/box.mbox", UTC)
    got = [m.bulk for m in doc.messages]
    blast = "mail-merge blast: 5 near-identical messages from events@conf.example.com"
    assert got[:5] == [blast] * 5
    assert got[5] is None  # the same sender's own note is not part of the blast


def test_ingest_bulk_blasts_across_files_mark_their_header_facts(make_case: CaseBuilder
                                                                  ) -> None:
    # One .eml per message: only the whole case shows the blast; find_blasts over every
    # document's mailings finds it, and header_facts takes what it found.
    emails = {f"m{i}.eml": eml(body, sender="svarga@kudlow.com", message_id=f"m{i}@kudlow.com")
              for i, (_, body) in enumerate(merged(5))}
    case = load_case(kudlow_case(make_case, emails))
    docs = [case.documents[f"evidence/m{i}.eml"] for i in range(5)]
    assert all(m.bulk is None for d in docs for m in d.messages)  # one file shows nothing
    where = [(d, n) for d in docs for n in range(len(d.messages))]
    found = bulk.find_blasts(item for d in docs for item in bulk.mailings(d.text, d.messages))
    assert sorted(found) == [0, 1, 2, 3, 4]
    for k, (doc, n) in enumerate(where):
        (fact,) = header_facts(doc, case.entities, {n: found[k]})
        assert fact.roles["bulk"] is True


# -- the index keeps it --------------------------------------------------------------------


def test_ingest_bulk_index_round_trips_the_new_message_fields(tmp_path: Path) -> None:
    path = tmp_path / "m.eml"
    path.write_text(eml(NEWSLETTER))
    doc = read_eml(path, "evidence/m.eml", UTC)
    back = document_from_row(document_row("k", doc), ["evidence/m.eml"])
    assert back.messages == doc.messages
    assert back.messages[0].bulk and back.messages[0].to_line == doc.messages[0].to_line


def test_ingest_bulk_index_rows_written_before_the_fields_still_read() -> None:
    old = '[{"start":0,"end":10,"sender":"a@b.example","from_line":[0,9]}]'
    (msg,) = loads(list[Message], old)
    assert (msg.bulk, msg.to_line, msg.from_line) == (None, None, (0, 9))


def test_ingest_bulk_data_problems_are_all_reported_with_their_line() -> None:
    raw = yaml.safe_load("""
headers: [{id: list-id, header: List-Id}]
wording:
  - {id: list-id, keywords: [x], patterns: ['(unclosed'], examples: [x]}
  - {id: two, keywords: [zzz], patterns: ['hello'], examples: [hello there]}
""")
    with pytest.raises(CaseInvalid) as err:
        bulk._compile(raw)
    text = str(err.value)
    assert "id 'list-id' is used twice" in text
    assert "wording 'list-id': missing )" in text
    assert "wording 'two' misses its example 'hello there': it holds none of the keywords" in text


# -- facts, rules and verdicts ------------------------------------------------------------

NONE_CONTACT = """
- id: no-contact
  speaker: lay
  quote: "I never had any contact with Kudlow & Co."
  asserts:
    none: {fact: contact, parties: [lay, kudlow]}
"""


def kudlow_case(make_case: CaseBuilder, emails: dict[str, str], case: str = "") -> Path:
    return make_case(entities=KUDLOW_ENTITIES, claims=NONE_CONTACT, emails=emails,
                     case=case or "title: Kudlow\ntimezone: UTC\n")


def test_ingest_bulk_header_fact_carries_bulk_true(make_case: CaseBuilder) -> None:
    root = kudlow_case(make_case, {"news.eml": eml(NEWSLETTER), "note.eml": eml("Lunch?")})
    facts = {f.id: f for f in load_case(root).facts if f.type == "communication"}
    assert facts["header:evidence/news.eml"].roles["bulk"] is True
    assert "bulk" not in facts["header:evidence/note.eml"].roles


def test_ingest_bulk_contact_rule_skips_bulk_mail(make_case: CaseBuilder) -> None:
    root = kudlow_case(make_case, {"news.eml": eml(NEWSLETTER), "note.eml": eml("Lunch?")})
    checker = Checker(load_case(root))
    contacts = [f for f in checker.facts if f.type == "contact"]
    assert [p.id for f in contacts for p in f.premises] == ["header:evidence/note.eml"]
    assert all(not f.doubts for f in contacts)  # bulk: false holds certainly without bulk


def test_ingest_bulk_boolean_role_takes_only_true_or_false(make_case: CaseBuilder) -> None:
    facts = """
    - id: f-news
      fact: communication
      from: kudlow
      to: [lay]
      bulk: "yes"
      source: {doc: evidence/note.eml, quote: "Lunch?"}
    """
    root = make_case(entities=KUDLOW_ENTITIES, claims=NONE_CONTACT, facts=facts,
                     emails={"note.eml": eml("Lunch?")})
    with pytest.raises(CaseInvalid, match="role 'bulk' takes true or false, got 'yes'"):
        load_case(root)


def test_ingest_bulk_analyst_fact_marked_bulk_is_not_contact(make_case: CaseBuilder) -> None:
    facts = """
    - id: f-news
      fact: communication
      from: kudlow
      to: [lay]
      date: 2002-01-10
      bulk: true
      source: {doc: evidence/other.eml, quote: "Lunch?"}
    """
    root = make_case(entities=KUDLOW_ENTITIES, claims=NONE_CONTACT, facts=facts,
                     emails={"other.eml": eml("Lunch?", sender="x@elsewhere.example")})
    (claim,) = Checker(load_case(root)).run().claims
    assert claim.verdict == "unresolved"
    assert "bulk mail" in claim.reason and "f-news" in claim.reason


def test_ingest_bulk_newsletter_alone_does_not_contradict_none_contact(
        make_case: CaseBuilder) -> None:
    root = kudlow_case(make_case, {"news.eml": eml(NEWSLETTER)})
    (claim,) = Checker(load_case(root)).run().claims
    assert claim.verdict == "unresolved"
    assert claim.reason.endswith(
        "The only communication on record between Kenneth Lay and Kudlow & Co. is bulk mail "
        "(a newsletter, a mailing list or a mail-merge blast: header:evidence/news.eml), "
        "which is not contact.")


def test_ingest_bulk_newsletters_in_a_closed_world_support_none_contact_and_say_why(
        make_case: CaseBuilder) -> None:
    closed = ("title: Kudlow\ntimezone: UTC\nclosed_world:\n  - fact: contact\n"
              "    between: [lay, kudlow]\n    reason: \"Every email of Lay's was produced\"\n")
    emails = {"news.eml": eml(NEWSLETTER),
              "list.eml": eml("Dinner?", extra="List-Id: <commentary.kudlow.com>\n")}
    root = kudlow_case(make_case, emails, case=closed)
    (claim,) = Checker(load_case(root)).run().claims
    assert claim.verdict == "supported"
    assert ("Every email of Lay's was produced. The only communications on record between "
            "Kenneth Lay and Kudlow & Co. are bulk mail") in claim.reason


def test_ingest_bulk_a_real_email_from_the_same_sender_still_contradicts(
        make_case: CaseBuilder) -> None:
    root = kudlow_case(make_case, {
        "news.eml": eml(NEWSLETTER),
        "reply.eml": eml("Ken, thanks for the call today. Let's meet on the 15th.",
                         subject="Our call"),
    })
    (claim,) = Checker(load_case(root)).run().claims
    assert claim.verdict == "contradicted"
    assert [c.doc for c in claim.citations] == ["evidence/reply.eml"]


def test_ingest_bulk_note_also_follows_a_possible_match(make_case: CaseBuilder) -> None:
    facts = """
    - id: f-call
      fact: contact
      via: phone
      source: {doc: evidence/news.eml, quote: "Thank You,"}
    """
    root = make_case(entities=KUDLOW_ENTITIES, claims=NONE_CONTACT, facts=facts,
                     emails={"news.eml": eml(NEWSLETTER)})
    (claim,) = Checker(load_case(root)).run().claims
    assert claim.verdict == "unresolved"
    assert "[f-call] does not say its parties" in claim.reason
    assert claim.reason.endswith("header:evidence/news.eml), which is not contact.")


def test_ingest_bulk_a_printed_newsletter_is_bulk(make_case: CaseBuilder) -> None:
    """A printout has no headers to read, only its words: a printed newsletter is
    bulk, the printed reply above it is not."""
    printout = (
        "From: Ann Lee <ann@acme.example.com>\nSent: Tuesday, March 3, 2020 10:00 AM\n"
        "To: Val Ortiz <val@vendor.example.org>\nSubject: Lunch\n\nSee you at noon.\n\n"
        "From: News Desk <news@vendor.example.org>\nSent: Monday, March 2, 2020 9:00 AM\n"
        "To: Ann Lee <ann@acme.example.com>\nSubject: Weekly digest\n\n"
        "As a subscriber, you may click the hyperlink below to read this week's issue.\n"
    )
    root = make_case(files={"evidence/printout.txt": printout})
    case = load_case(root)
    try:
        doc = case.documents["evidence/printout.txt"]
        assert [m.bulk is not None for m in doc.messages] == [False, True]
    finally:
        case.close()
