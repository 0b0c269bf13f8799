"""Hostile and broken evidence files: each gets a manifest entry with a reason, none
crashes the ingester, and none stops the files around it from being read.

Every test runs through `read_evidence`, and through `checker ingest --format json`;
a CLI that fails fails the test, with its output.
"""

from __future__ import annotations

import base64
import io
import json
import os
import random
import subprocess
import sys
import textwrap
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from checker.ingest.evidence import FileRecord, read_evidence
from tests.conftest import ROOT

UTC = ZoneInfo("UTC")
CHECKER = Path(sys.executable).parent / "checker"


def eml(body: str = "Hello.", sender: str = "ann@acme.example.com", subject: str = "Test",
        extra: str = "") -> str:
    return (f"From: {sender}\nTo: val@vendor.example.org\nDate: Tue, 03 Mar 2020 10:00:00 +0000"
            f"\nSubject: {subject}\n{extra}Content-Type: text/plain; charset=utf-8\n\n{body}\n")


def write_case(root: Path, files: dict[str, bytes]) -> Path:
    """A minimal valid case whose evidence/ holds `files` (relative to evidence/)."""
    (root / "claims").mkdir(parents=True, exist_ok=True)
    (root / "evidence").mkdir(exist_ok=True)
    (root / "case.yaml").write_text("title: Ingest test\ntimezone: UTC\n")
    (root / "entities.yaml").write_text("- {id: acme, name: Acme, kind: organization}\n")
    (root / "claims" / "claims.yaml").write_text(textwrap.dedent("""\
        - id: placeholder
          speaker: acme
          quote: "Placeholder."
          asserts:
            some: {fact: communication, from: acme}
        """))
    for rel, data in files.items():
        path = root / "evidence" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def manifest_via(method: str, root: Path) -> dict[str, FileRecord]:
    """The manifest as {path under evidence/: record}, from the library or the CLI."""
    if method == "read_evidence":
        records = read_evidence(root, UTC).manifest
    else:
        done = subprocess.run([str(CHECKER), "ingest", str(root), "--format", "json"],
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (
            f"checker ingest exited {done.returncode}:\n{done.stderr[-2000:]}\n"
            f"stdout:\n{done.stdout[-1000:]}")
        records = [FileRecord(r["path"], r["status"], r.get("reason") or "",
                              int(r.get("messages") or 0), int(r.get("pages") or 0))
                   for r in json.loads(done.stdout)]
    out: dict[str, FileRecord] = {}
    for r in records:
        key = r.path.removeprefix("evidence/")
        assert key not in out, f"{key} is in the manifest twice"
        out[key] = r
    return out


METHODS = ["read_evidence", "checker ingest"]


@pytest.fixture(params=METHODS)
def via(request: pytest.FixtureRequest) -> str:
    return str(request.param)


GOOD = eml("The good message is still read.").encode()


def ingest_beside_good(tmp_path: Path, via: str, bad: dict[str, bytes]) -> dict[str, FileRecord]:
    """Ingest `bad` between two good emails; check the good ones and every entry's shape."""
    root = write_case(tmp_path / "case", {"a-good.eml": GOOD, **bad, "z-good.eml": GOOD})
    records = manifest_via(via, root)
    assert set(records) == {"a-good.eml", "z-good.eml", *bad}
    for good in ("a-good.eml", "z-good.eml"):
        assert (records[good].status, records[good].messages) == ("read", 1)
    for name in bad:
        r = records[name]
        assert r.status in ("read", "skipped", "failed"), r
        assert r.status == "read" or r.reason, f"{name}: {r.status} without a reason"
    return records


# --- truncated, junk and empty files ------------------------------------------------------

def _mbox(*bodies: str) -> str:
    return "".join(f"From MAILER-DAEMON Tue Mar  3 10:00:00 2020\n{eml(b, subject=f'M{i}')}\n"
                   for i, b in enumerate(bodies, 1))


@pytest.mark.parametrize("cut", ["mid-body", "mid-header"])
def test_ingest_badinput_truncated_mbox_keeps_the_whole_messages(tmp_path: Path, via: str,
                                                                 cut: str) -> None:
    full = _mbox("first body", "second body", "third body that the cut goes through")
    at = full.index("goes through") if cut == "mid-body" else full.index("Subject: M3") + 5
    records = ingest_beside_good(tmp_path, via, {"box.mbox": full[:at].encode()})
    box = records["box.mbox"]
    assert box.status == "read" and box.messages >= 2


def test_ingest_badinput_truncated_mbox_says_so(tmp_path: Path) -> None:
    full = _mbox("first body", "second body that the cut goes through")
    records = ingest_beside_good(tmp_path, "read_evidence",
                                 {"box.mbox": full[:full.index("goes through")].encode()})
    assert "truncated" in records["box.mbox"].reason


@pytest.mark.parametrize("name", ["junk.eml", "junk.mbox", "junk.txt"])
def test_ingest_badinput_binary_junk_fails_with_a_reason(tmp_path: Path, via: str,
                                                         name: str) -> None:
    junk = random.Random(name).randbytes(64 * 1024) + bytes(range(256))
    records = ingest_beside_good(tmp_path, via, {name: junk})
    assert records[name].status == "failed" and records[name].messages == 0


@pytest.mark.parametrize("name", ["empty.eml", "empty.mbox", "empty.txt", "empty.pdf"])
def test_ingest_badinput_empty_file_is_reported_empty(tmp_path: Path, via: str,
                                                      name: str) -> None:
    records = ingest_beside_good(tmp_path, via, {name: b""})
    assert records[name].messages == 0
    assert "empty" in records[name].reason.lower(), records[name]


def test_ingest_badinput_stdlib_header_bug_does_not_drop_the_message(tmp_path: Path,
                                                                     via: str) -> None:
    """The stdlib raises TypeError reading `To: a@b, .palmer@enron.com` (corpora README);
    a message with no From, whose first header looked at is that To, must still read."""
    data = b"To: c@d.example, .palmer@enron.com\nSubject: x\n\nStill here.\n"
    records = ingest_beside_good(tmp_path, via, {"nofrom.eml": data})
    assert (records["nofrom.eml"].status, records["nofrom.eml"].messages) == ("read", 1)


# --- PDFs ------------------------------------------------------------------------------------

def _pdf_without_text() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    for _ in range(2):  # a scan: pages of pixels, no text layer
        pdf.add_page()
        pdf.rect(20, 20, 120, 80, style="F")
    return bytes(pdf.output())


def _encrypted_pdf() -> bytes:
    from fpdf import FPDF
    from pypdf import PdfReader, PdfWriter

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="We signed the trial agreement today.")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.encrypt(user_password="secret", owner_password="owner")  # RC4: no crypto library
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def test_ingest_badinput_pdf_without_text_layer_needs_ocr(tmp_path: Path, via: str) -> None:
    records = ingest_beside_good(tmp_path, via, {"scan.pdf": _pdf_without_text()})
    assert "ocr" in records["scan.pdf"].reason.lower(), records["scan.pdf"]


def test_ingest_badinput_encrypted_pdf_says_encrypted(tmp_path: Path, via: str) -> None:
    records = ingest_beside_good(tmp_path, via, {"locked.pdf": _encrypted_pdf()})
    r = records["locked.pdf"]
    assert r.status != "read" or not r.messages
    assert any(w in r.reason.lower() for w in ("encrypt", "password")), r


def test_ingest_badinput_truncated_pdf_does_not_crash(tmp_path: Path, via: str) -> None:
    whole = _pdf_without_text()
    ingest_beside_good(tmp_path, via, {"cut.pdf": whole[: len(whole) // 2]})


# --- a 50 MB attachment ----------------------------------------------------------------------

ATTACHMENT_MB = 50
_PEAK = """
def peak_mb():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""
_READ_ONE = _PEAK + """
import json, sys
from pathlib import Path
from zoneinfo import ZoneInfo
from checker.ingest.evidence import read_one
rec, doc = read_one(Path(sys.argv[1]), "evidence/big.eml", ZoneInfo("UTC"))
print(json.dumps({"status": rec.status, "reason": rec.reason, "messages": rec.messages,
                  "text_chars": len(doc.text) if doc else 0,
                  "body_found": bool(doc and "Please find the export attached." in doc.text),
                  "peak_mb": peak_mb()}))
"""
_STDLIB = _PEAK + """
import email, email.policy, json, sys
msg = email.message_from_bytes(open(sys.argv[1], "rb").read(), policy=email.policy.default)
msg.get_body(("plain", "html")).get_content()
print(json.dumps({"peak_mb": peak_mb()}))
"""


def _big_attachment_email(path: Path, megabytes: int) -> int:
    """Write a message with a `megabytes` MB base64 attachment; return the file's size."""
    blob = random.Random(50).randbytes(megabytes * 1024 * 1024)
    with path.open("wb") as out:
        out.write(eml("", subject="Export").split("Content-Type")[0].encode())
        out.write(b'Content-Type: multipart/mixed; boundary="BOUNDARY"\n\n--BOUNDARY\n'
                  b"Content-Type: text/plain; charset=utf-8\n\n"
                  b"Please find the export attached.\n--BOUNDARY\n"
                  b'Content-Type: application/octet-stream; name="export.bin"\n'
                  b'Content-Disposition: attachment; filename="export.bin"\n'
                  b"Content-Transfer-Encoding: base64\n\n")
        out.write(base64.encodebytes(blob))
        out.write(b"--BOUNDARY--\n")
    return path.stat().st_size


def _fresh_process(script: str, path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(json.loads(done.stdout))


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc for VmHWM")
def test_ingest_badinput_50mb_attachment_message_still_reads_in_sane_memory(
        tmp_path: Path) -> None:
    """Sane memory: no more than the standard library's own parser needs for the file
    (each measured in a fresh interpreter), with a margin of a half."""
    path = tmp_path / "big.eml"
    _big_attachment_email(path, ATTACHMENT_MB)
    got = _fresh_process(_READ_ONE, path)
    assert (got["status"], got["messages"], got["body_found"]) == ("read", 1, True), got
    assert got["text_chars"] < 1_000_000, "the attachment's bytes ended up in the text"
    stdlib = _fresh_process(_STDLIB, path)
    assert got["peak_mb"] < 1.5 * stdlib["peak_mb"], (got, stdlib)


def test_ingest_badinput_big_attachment_does_not_stop_others(tmp_path: Path, via: str) -> None:
    big = tmp_path / "big.eml"
    _big_attachment_email(big, 5)
    records = ingest_beside_good(tmp_path, via, {"big.eml": big.read_bytes()})
    assert (records["big.eml"].status, records["big.eml"].messages) == ("read", 1)


# --- attachment names that are paths ---------------------------------------------------------

HOSTILE_NAMES = ["../../etc/passwd", "/etc/passwd", "..\\..\\windows\\win.ini",
                 "../../../../../../tmp/checker-pwned.txt", "evidence/../../case.yaml",
                 "passwd\x00.pdf"]


INDEX_FOLDER = ".checker"  # the case index `checker ingest` keeps: the one place it may write


def _listing(folder: Path) -> dict[str, tuple[int, int] | None]:
    """Every file (with size and mtime) and folder under `folder`, except case indexes."""
    return {p.relative_to(folder).as_posix():
            None if p.is_dir() else (p.stat().st_size, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*"))
            if INDEX_FOLDER not in p.relative_to(folder).parts}


def _traversal_email() -> bytes:
    msg = EmailMessage()
    msg["From"] = "ann@acme.example.com"
    msg["To"] = "val@vendor.example.org"
    msg["Subject"] = "Files"
    msg["Date"] = "Tue, 03 Mar 2020 10:00:00 +0000"
    msg.set_content("See the attached files.")
    for i, name in enumerate(HOSTILE_NAMES):
        msg.add_attachment(f"root:x:0:0:{i}\n".encode(), maintype="application",
                           subtype="octet-stream", filename=name.replace("\x00", ""))
        msg.add_attachment(f"text attachment {i}\n", filename=name.replace("\x00", ""))
    raw = msg.as_bytes()
    # An RFC 2231 name and a raw NUL, which EmailMessage will not write itself.
    return raw.replace(b'filename="passwd.pdf"', b"filename*=utf-8''..%2F..%2Fetc%2Fpasswd",
                       1).replace(b'filename="passwd.pdf"', b'filename="passwd\x00.pdf"', 1)


def test_ingest_badinput_attachment_named_like_a_path_writes_nothing(
        tmp_path: Path, via: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Work from deep inside tmp_path, so that a relative ../../ write would land in it.
    deep = tmp_path / "work" / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    root = write_case(tmp_path / "case", {"a-good.eml": GOOD, "files.eml": _traversal_email(),
                                          "z-good.eml": GOOD})
    before_tmp, before_cwd = _listing(tmp_path), sorted(os.listdir(ROOT))
    records = manifest_via(via, root)
    assert _listing(tmp_path) == before_tmp
    assert sorted(os.listdir(ROOT)) == before_cwd
    assert not Path("/tmp/checker-pwned.txt").exists()
    assert (records["files.eml"].status, records["files.eml"].messages) == ("read", 1)
    assert records["a-good.eml"].status == records["z-good.eml"].status == "read"


# --- deep nesting ----------------------------------------------------------------------------

def _nested(depth: int) -> bytes:
    """A forward of a forward of ... `depth` levels of inline message/rfc822."""
    inner = EmailMessage()
    inner["From"] = "origin@vendor.example.org"
    inner["Subject"] = "the original"
    inner.set_content("The innermost message says: signed on 3 March.")
    for level in range(depth):
        outer = EmailMessage()
        outer["From"] = f"forwarder{level}@acme.example.com"
        outer["To"] = "val@vendor.example.org"
        outer["Subject"] = f"Fwd: level {level}"
        outer["Date"] = "Tue, 03 Mar 2020 10:00:00 +0000"
        outer.set_content(f"Forwarding, level {level}.")
        outer.add_attachment(inner, disposition="inline")
        inner = outer
    return inner.as_bytes()


def _nested_raw(depth: int) -> bytes:
    """The same nesting written as text, deeper than EmailMessage can serialise."""
    body = "From: origin@vendor.example.org\nSubject: the original\n\nInnermost.\n"
    for level in range(depth):
        body = (f"From: forwarder{level}@acme.example.com\nSubject: Fwd {level}\n"
                "Content-Type: message/rfc822\n\n" + body)
    return (eml("", subject="Deep").split("Content-Type")[0] + "Content-Type: message/rfc822\n\n"
            + body).encode()


@pytest.mark.parametrize("depth", [10, 50])
def test_ingest_badinput_nested_forwards_read(tmp_path: Path, via: str, depth: int) -> None:
    records = ingest_beside_good(tmp_path, via, {"nested.eml": _nested(depth)})
    assert records["nested.eml"].status == "read" and records["nested.eml"].messages >= 1


def test_ingest_badinput_nested_forward_text_is_kept_ten_deep(tmp_path: Path) -> None:
    root = write_case(tmp_path / "case", {"nested.eml": _nested(10)})
    doc = read_evidence(root, UTC).documents["evidence/nested.eml"]
    assert "signed on 3 March" in doc.text


@pytest.mark.parametrize("make", [lambda: _nested_raw(400), lambda: _nested_raw(3000)],
                         ids=["400-deep", "3000-deep"])
def test_ingest_badinput_absurd_nesting_is_accounted_for(tmp_path: Path, via: str,
                                                         make: Callable[[], bytes]) -> None:
    """Past the interpreter's recursion limit: read or failed with a reason, never a crash."""
    ingest_beside_good(tmp_path, via, {"deep.eml": make()})
