"""Properties of ingestion on generated input (hypothesis, derandomized: the same
examples every run).

* Any bytes under an email or text name: `read_one` never raises and says read,
  skipped or failed (with a reason unless read).
* Random MIME trees (mixed, alternative, message/rfc822; text parts in random
  charsets, some declared wrongly; random and malformed header values): when read,
  every message span lies inside the text and its `from_line` is a "From:" line.
* Any set of files under evidence/: each appears exactly once in the manifest.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from email.header import Header
from email.message import MIMEPart
from email.policy import default as default_policy
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.ingest.document import Document
from checker.ingest.evidence import FileRecord, read_evidence, read_one

TZ = ZoneInfo("America/New_York")
STATUSES = ("read", "skipped", "failed")
PROFILE = settings(derandomize=True, deadline=None, max_examples=100, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_record(record: FileRecord, doc: Document | None, rel: str) -> None:
    """What every record and document must satisfy, whatever the input."""
    assert record.path == rel
    assert record.status in STATUSES, record
    assert record.status == "read" or record.reason, record
    if doc is None:
        return
    assert record.status == "read" and record.messages == len(doc.messages)
    for m in doc.messages:
        assert 0 <= m.start < m.end <= len(doc.text), (m.start, m.end, len(doc.text))
        if m.from_line is not None:
            start, end = m.from_line
            assert m.start <= start < end <= m.end
            assert doc.text.startswith("From:", start), doc.text[start:start + 40]
            assert "\n" not in doc.text[start:end]


def read_bytes_as(data: bytes, name: str) -> tuple[FileRecord, Document | None]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        return read_one(path, f"evidence/{name}", TZ)


# --- random bytes ----------------------------------------------------------------------------

# Pieces of mail syntax, so that random input reaches past "no headers found".
FRAGMENTS = [b"From MAILER-DAEMON Tue Mar  3 10:00:00 2020\n", b"From: a@b.example\n",
             b"To: c@d.example, .palmer@enron.com\n", b"Subject: =?utf-8?b?w6k=?=\n",
             b"Date: Tue, 03 Mar 2020 10:00:00 +0000\n", b"\n", b"\r\n", b">From here\n",
             b"Content-Type: multipart/mixed; boundary=X\n", b"--X\n", b"--X--\n",
             b"Content-Transfer-Encoding: base64\n", b"Content-Type: message/rfc822\n",
             b"Content-Type: text/plain; charset=gb2312\n", b"=C3=A9=\n", b"\x00\xff\xfe"]
mailish = st.tuples(st.sampled_from([b"", FRAGMENTS[0], FRAGMENTS[1]]),
                    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.binary(max_size=30)),
                             max_size=40)).map(lambda t: t[0] + b"".join(t[1]))


@PROFILE
@given(data=st.one_of(st.binary(max_size=2048), mailish),
       name=st.sampled_from(["x.eml", "x.mbox", "x.txt", "X.EML"]))
def test_ingest_properties_any_bytes_get_a_record_and_never_raise(data: bytes, name: str
                                                                  ) -> None:
    record, doc = read_bytes_as(data, name)
    check_record(record, doc, f"evidence/{name}")


# --- random MIME trees -----------------------------------------------------------------------

CHARSETS = ["utf-8", "iso-8859-1", "windows-1252", "koi8-r", "gb2312", "shift_jis", "us-ascii",
            "utf-16", "iso-2022-jp", "x-unknown-charset"]
MALFORMED = ["", "<>", "a@@b.example", '"unterminated <x@y.example>', ".palmer@enron.com",
             "j..kean@enron.com", "undisclosed-recipients:;", "alice@example.com <bob@example.com>",
             "=?utf-8?q?broken", "Müller <müller@exämple.de>", "x@y.example,,, ,z@",
             "(comment only)", "<a@b.example", "@", "a@b.example>"]
header_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=40)
header_value = st.one_of(st.sampled_from(MALFORMED), header_text,
                         st.tuples(header_text, st.sampled_from(MALFORMED)).map(" ".join))
body_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=200)


def _set_header(msg: MIMEPart, name: str, value: str, style: int) -> None:
    """Set a header without the header registry's parsing (it raises on some values):
    as raw UTF-8, as an RFC 2047 encoded word, or as raw Latin-1 where it fits."""
    if style == 1:
        value = Header(value, "utf-8").encode()
    elif style == 2:
        value = value.encode("latin-1", "replace").decode("latin-1")
    msg.set_raw(name, value)


@st.composite
def leaf(draw: st.DrawFn) -> MIMEPart:
    text = draw(body_text)
    real = draw(st.sampled_from(CHARSETS[:-1]))
    declared = draw(st.one_of(st.just(real), st.sampled_from(CHARSETS)))  # sometimes a lie
    part = MIMEPart(policy=default_policy)
    part.set_content(text.encode(real, "replace"), maintype="text",
                     subtype=draw(st.sampled_from(["plain", "html"])),
                     cte=draw(st.sampled_from(["base64", "quoted-printable", "8bit"])))
    part.set_param("charset", declared)
    return part


def _headers(draw: st.DrawFn, msg: MIMEPart) -> None:
    style = draw(st.integers(0, 2))
    _set_header(msg, "From", draw(header_value), style)
    for name in draw(st.lists(st.sampled_from(["To", "Cc", "Subject", "Date"]), unique=True)):
        value = draw(st.one_of(header_value, st.just("Tue, 03 Mar 2020 10:00:00 +0000"),
                               st.just("Mon, 31 Dec 1979 16:00:00 -0800")))
        _set_header(msg, name, value, style)


def _tree(children: st.SearchStrategy[MIMEPart]) -> st.SearchStrategy[MIMEPart]:
    @st.composite
    def multipart(draw: st.DrawFn) -> MIMEPart:
        part = MIMEPart(policy=default_policy)
        part["Content-Type"] = f"multipart/{draw(st.sampled_from(['mixed', 'alternative']))}"
        for child in draw(st.lists(children, min_size=0, max_size=3)):
            part.attach(child)
        return part

    @st.composite
    def forwarded(draw: st.DrawFn) -> MIMEPart:
        inner = draw(children)
        _headers(draw, inner)
        part = MIMEPart(policy=default_policy)
        part.set_content(inner, disposition=draw(st.sampled_from(["inline", "attachment"])))
        return part

    return st.one_of(multipart(), forwarded())


mime_body = st.recursive(leaf(), _tree, max_leaves=8)


@st.composite
def mime_message(draw: st.DrawFn) -> bytes:
    msg = draw(mime_body)
    _headers(draw, msg)
    for n, part in enumerate(msg.walk()):  # fixed boundaries: the same bytes every run
        if part.get_content_maintype() == "multipart":
            part.set_boundary(f"==prop-{n}==")
    return msg.as_bytes(policy=default_policy.clone(utf8=True))


@PROFILE
@given(data=mime_message(), as_mbox=st.booleans())
def test_ingest_properties_mime_trees_give_spans_inside_the_text(data: bytes, as_mbox: bool
                                                                 ) -> None:
    if as_mbox:  # the same message twice in an mbox
        sep = b"From MAILER-DAEMON Tue Mar  3 10:00:00 2020\n"
        escaped = data.replace(b"\nFrom ", b"\n>From ")
        record, doc = read_bytes_as(sep + escaped + b"\n" + sep + escaped + b"\n", "x.mbox")
    else:
        record, doc = read_bytes_as(data, "x.eml")
    check_record(record, doc, "evidence/x.mbox" if as_mbox else "evidence/x.eml")
    if doc is not None and doc.messages:
        assert doc.messages[0].from_line is not None, "every generated message has a From"


# --- any set of files ------------------------------------------------------------------------

name_part = st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="/\\"),
                    min_size=1, max_size=10).filter(lambda s: s not in (".", ".."))
suffix = st.sampled_from(["", ".eml", ".mbox", ".txt", ".pdf", ".msg", ".md", ".facts.yaml",
                          ".json", ".", ".EML"])
file_path = st.tuples(st.lists(name_part, max_size=2), name_part, suffix).map(
    lambda t: "/".join([*t[0], t[1] + t[2]]))
contents = st.one_of(st.sampled_from([b"", b"From: a@b.example\nSubject: x\n\nHi\n",
                                      b"%PDF-1.4\n", b"From x Tue Mar  3 10:00:00 2020\n"
                                      b"From: a@b.example\n\nHi\n"]), st.binary(max_size=64))


def _no_file_is_a_folder(paths: list[str]) -> bool:
    folders = {"/".join(p.split("/")[:i]) for p in paths for i in range(1, p.count("/") + 1)}
    return not folders & set(paths) and all(len(p.encode()) < 200 for p in paths)


@settings(PROFILE, max_examples=40)
@given(files=st.dictionaries(file_path, contents, max_size=12).filter(
    lambda d: _no_file_is_a_folder(list(d))))
def test_ingest_properties_every_file_appears_once_in_the_manifest(files: dict[str, bytes]
                                                                   ) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        for rel, data in files.items():
            path = root / "evidence" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        out = read_evidence(root, TZ)
    seen = Counter(r.path for r in out.manifest)
    assert seen == Counter(f"evidence/{rel}" for rel in files)
    for r in out.manifest:
        check_record(r, out.documents.get(r.path), r.path)
