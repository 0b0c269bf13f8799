"""Hostile and careless evidence: links out of the case, files that stand for far more
than their size, two-digit years. Each fault is a row named for it; each ends as a
manifest entry with its reason (or a right date), never a traceback or a lost file."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from checker.extract.when import find_dates
from checker.ingest import limits
from checker.ingest.dates import full_year, parse_date
from checker.ingest.evidence import FileRecord, read_evidence
from checker.ingest.index import open_index

UTC = ZoneInfo("UTC")
CHECKER = Path(sys.executable).parent / "checker"
EML = (
    "From: ann@acme.example.com\nTo: val@vendor.example.org\n"
    "Date: Tue, 03 Mar 2020 10:00:00 +0000\nSubject: {subject}\n\n{body}\n"
)


def case(root: Path) -> Path:
    """A minimal valid case with one email in evidence/ and a file outside the case."""
    (root / "claims").mkdir(parents=True)
    (root / "evidence").mkdir()
    (root / "case.yaml").write_text("title: Hostile input\ntimezone: UTC\n")
    (root / "entities.yaml").write_text("- {id: acme, name: Acme, kind: organization}\n")
    (root / "claims" / "claims.yaml").write_text(
        textwrap.dedent("""\
        - id: placeholder
          speaker: acme
          quote: "Placeholder."
          asserts:
            some: {fact: communication, from: acme}
        """)
    )
    (root / "evidence" / "mail.eml").write_text(EML.format(subject="Real", body="In the case."))
    return root


def secret(tmp_path: Path) -> Path:
    """A file and a folder outside the case that must never be read."""
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "passwd.txt").write_text("root:x:0:0:SECRET-OUTSIDE:/root:/bin/bash\n")
    return outside


def manifest(root: Path) -> dict[str, FileRecord]:
    """The manifest through the library and through the index; both must agree."""
    direct = {r.path: r for r in read_evidence(root, UTC).manifest}
    with open_index(root, UTC) as index:
        index.update()
        indexed = {r.path: r for r in index.manifest()}
        texts = " ".join(d.text for d in index.documents())
    assert {p: r.status for p, r in indexed.items()} == {p: r.status for p, r in direct.items()}
    for path, record in direct.items():  # the index adds an mbox's separator count
        assert record.reason in indexed[path].reason
    assert "SECRET-OUTSIDE" not in texts
    return indexed


# -- symbolic links ----------------------------------------------------------

Setup = Callable[[Path, Path], None]  # (evidence folder, folder outside the case)


def _link(rel: str, target: str | Path) -> Setup:
    def make(ev: Path, outside: Path) -> None:
        path = ev / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(str(target).replace("OUT", str(outside)))

    return make


def _raw_folder(ev: Path, outside: Path) -> None:
    raw = ev.parent / "raw" / "mail"
    raw.mkdir(parents=True)
    (raw / "r1.eml").write_text(EML.format(subject="Raw", body="Kept beside evidence."))
    (ev / "mail-raw").symlink_to("../raw/mail")


def _two_links(ev: Path, outside: Path) -> None:
    _raw_folder(ev, outside)
    (ev / "mail-raw2").symlink_to("../raw/mail")


def _loop(ev: Path, outside: Path) -> None:
    (ev / "l1").symlink_to("l2")
    (ev / "l2").symlink_to("l1")


def _pipe(ev: Path, outside: Path) -> None:
    os.mkfifo(ev / "pipe.txt")


LINKS = [
    pytest.param(
        _link("x.txt", "OUT/passwd.txt"),
        {"evidence/x.txt": ("skipped", "outside the case folder")},
        id="symlink-file-outside-case",
    ),
    pytest.param(
        _link("dir", "OUT"),
        {"evidence/dir": ("skipped", "outside the case folder")},
        id="symlink-folder-outside-case",
    ),
    pytest.param(
        _link("sub/up.txt", "../../../outside/passwd.txt"),
        {"evidence/sub/up.txt": ("skipped", "outside the case folder")},
        id="symlink-relative-outside-case",
    ),
    pytest.param(
        _link("broken.eml", "nowhere.eml"),
        {"evidence/broken.eml": ("skipped", "broken symbolic link")},
        id="symlink-broken",
    ),
    pytest.param(
        _loop,
        {
            "evidence/l1": ("skipped", "a loop of symbolic links"),
            "evidence/l2": ("skipped", "a loop of symbolic links"),
        },
        id="symlink-loop-of-links",
    ),
    pytest.param(
        _link("self", "."),
        {"evidence/self": ("skipped", "holds evidence/ (a loop)")},
        id="symlink-folder-to-itself",
    ),
    pytest.param(
        _link("up", ".."),
        {"evidence/up": ("skipped", "holds evidence/ (a loop)")},
        id="symlink-folder-to-case-root",
    ),
    pytest.param(
        _link("copy.eml", "mail.eml"),
        {"evidence/copy.eml": ("skipped", "to evidence/mail.eml, which is read under its own")},
        id="symlink-duplicate-inside-evidence",
    ),
    pytest.param(
        _raw_folder,
        {"evidence/mail-raw/r1.eml": ("read", "")},
        id="symlink-folder-inside-case-is-read",
    ),
    pytest.param(
        _two_links,
        {
            "evidence/mail-raw/r1.eml": ("read", ""),
            "evidence/mail-raw2": ("skipped", "is the folder read as evidence/mail-raw"),
        },
        id="symlink-two-links-one-folder",
    ),
    pytest.param(
        _pipe,
        {"evidence/pipe.txt": ("skipped", "a named pipe")},
        id="named-pipe-never-opened",
    ),
]


@pytest.mark.parametrize(("setup", "expected"), LINKS)
def test_ingest_hostile_links_are_accounted_for_and_never_leave_the_case(
    tmp_path: Path, setup: Setup, expected: dict[str, tuple[str, str]]
) -> None:
    root = case(tmp_path / "case")
    setup(root / "evidence", secret(tmp_path))
    got = manifest(root)
    assert got["evidence/mail.eml"].status == "read"  # the rest is read as usual
    for path, (status, says) in expected.items():
        assert got[path].status == status, got[path]
        assert says in got[path].reason
    assert set(got) == {"evidence/mail.eml", *expected}


def test_ingest_hostile_link_retargeted_out_of_the_case_is_dropped_from_the_index(
    tmp_path: Path,
) -> None:
    root = case(tmp_path / "case")
    outside = secret(tmp_path)
    (root / "notes").mkdir()
    (root / "notes" / "n.txt").write_text("A note inside the case.\n")
    link = root / "evidence" / "n.txt"
    link.symlink_to("../notes/n.txt")
    assert manifest(root)["evidence/n.txt"].status == "read"
    link.unlink()
    link.symlink_to(outside / "passwd.txt")
    assert "outside the case" in manifest(root)["evidence/n.txt"].reason


def test_ingest_hostile_evidence_folder_itself_may_be_a_link(tmp_path: Path) -> None:
    """A corpus read where it lies: evidence/ -> elsewhere is the analyst's choice."""
    root = case(tmp_path / "case")
    store = tmp_path / "store"
    (root / "evidence").rename(store)
    (root / "evidence").symlink_to(store, target_is_directory=True)
    (store / "inner.eml").symlink_to("mail.eml")
    got = manifest(root)
    assert got["evidence/mail.eml"].status == "read"
    assert "read under its own path" in got["evidence/inner.eml"].reason


# -- files that stand for far more than their size -----------------------------


def printed_pdf(path: Path, pages: int, per_page: int) -> None:
    """`pages` pages sharing one content stream with `per_page` printed From: lines:
    tiny on disk, as the 3 MB PDF of 20,000 pages was."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=6)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    for i in range(per_page):
        pdf.set_xy(10, 10 + i * 5)
        pdf.cell(0, 4, f"From: p{i}@acme.example.com")
    one = PdfReader(io.BytesIO(bytes(pdf.output())))
    writer = PdfWriter()
    page = writer.add_page(one.pages[0])
    for _ in range(pages - 1):
        writer.add_page(page)
    with path.open("wb") as fh:
        writer.write(fh)


def _pdf(pages: int, per_page: int) -> Callable[[Path], None]:
    return lambda path: printed_pdf(path, pages, per_page)


def _printout(n: int) -> Callable[[Path], None]:
    return lambda path: path.write_text("".join(f"From: p{i}@x.example\n\nHi.\n" for i in range(n)))


def _mbox(n: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        path.write_text(
            "".join(
                f"From a@b.example Tue Mar  3 10:00:00 2020\n"
                f"{EML.format(subject=f'm{i}', body='Body.')}\n"
                for i in range(n)
            )
        )

    return write


def _long_text(n: int) -> Callable[[Path], None]:
    return lambda path: path.write_text("".join(f"line {i:04d}\n" for i in range(n)))


CUTS = [
    pytest.param(
        "big.pdf",
        _pdf(30, 2),
        {"MAX_PAGES": 10},
        (10, 20),
        "read 10 of 30 pages: the per-file page limit (10 pages)",
        id="pdf-page-limit",
    ),
    pytest.param(
        "big.pdf",
        _pdf(12, 40),
        {"MAX_MESSAGES": 25},
        (12, 25),
        "read 25 of 480 printed messages: the per-file message limit (25 messages)",
        id="pdf-message-limit",
    ),
    pytest.param(
        "big.pdf",
        _pdf(30, 2),
        {"MAX_TEXT_CHARS": 500},
        (None, None),
        "of 30 pages: the per-file text limit (500 characters)",
        id="pdf-text-limit",
    ),
    pytest.param(
        "big.pdf",
        _pdf(3, 40),
        {"MAX_TEXT_CHARS": 100},
        (1, None),
        "read 1 of 3 pages: the per-file text limit (100 characters); page 1 alone is longer",
        id="pdf-first-page-over-text-limit",
    ),
    pytest.param(
        "printout.txt",
        _printout(40),
        {"MAX_MESSAGES": 15},
        (0, 15),
        "read 15 of 40 printed messages: the per-file message limit",
        id="printout-message-limit",
    ),
    pytest.param(
        "long.txt",
        _long_text(100),
        {"MAX_TEXT_CHARS": 255},
        (0, 0),
        "read 250 of 1,000 bytes: the per-file text limit (255 characters)",
        id="text-size-limit",
    ),
    pytest.param(
        "box.mbox",
        _mbox(12),
        {"MAX_MESSAGES": 5},
        (0, 5),
        "read 5 of 12 messages: the per-file message limit (5 messages)",
        id="mbox-message-limit",
    ),
]


@pytest.mark.parametrize(("name", "write", "caps", "counts", "says"), CUTS)
def test_ingest_hostile_per_file_limits_say_what_they_cut(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    write: Callable[[Path], None],
    caps: dict[str, int],
    counts: tuple[int | None, int | None],
    says: str,
) -> None:
    for cap, value in caps.items():
        monkeypatch.setattr(limits, cap, value)
    root = case(tmp_path / "case")
    write(root / "evidence" / name)
    got = manifest(root)
    record = got[f"evidence/{name}"]
    assert record.status == "read" and says in record.reason, record
    pages, messages = counts
    assert pages is None or record.pages == pages
    assert messages is None or record.messages == messages
    doc = read_evidence(root, UTC).documents[f"evidence/{name}"]
    assert doc.cut and doc.warnings[0] == doc.cut[0]  # `show` prints it too
    assert len(doc.text) <= limits.MAX_TEXT_CHARS
    assert got["evidence/mail.eml"].status == "read"


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("From: a" + " " * 200_000 + "x", id="from-line-of-blanks"),
        pytest.param("From: a@b.example\nTo: " + "a" * 200_000, id="address-of-one-long-word"),
        pytest.param("From: x\nSent: " + " \t" * 100_000 + "y", id="label-of-blanks"),
        pytest.param("From: x\nDate: " + "1 " * 100_000, id="date-of-many-numbers"),
    ],
)
def test_ingest_hostile_long_lines_are_read_in_linear_time(tmp_path: Path, line: str) -> None:
    """Each was quadratic in the line's length (minutes at this size); now instant."""
    root = case(tmp_path / "case")
    (root / "evidence" / "long.txt").write_text(line + "\n\nBody.\n")
    record = manifest(root)["evidence/long.txt"]
    assert record.status == "read" and record.messages == 1


# -- two-digit years -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message_day", "expected"),
    [
        pytest.param("met on 12/15/99", date(2000, 1, 5), "1999-12-15", id="99-in-2000-is-1999"),
        pytest.param("due 6/1/05", date(2004, 3, 1), "2005-06-01", id="05-in-2004-is-2005"),
        pytest.param("ends 1/1/30", date(2020, 5, 5), "2030-01-01", id="30-in-2020-is-2030"),
        pytest.param("born 6/1/45", date(2020, 5, 5), "1945-06-01", id="45-in-2020-is-1945"),
        pytest.param("on 3/4/00", date(1999, 12, 31), "2000-03-04", id="00-in-1999-is-2000"),
        pytest.param("on 3/4/02", date(2095, 1, 1), "2102-03-04", id="02-in-2095-is-2102"),
        pytest.param("on 12/15/2099", date(2000, 1, 5), "2099-12-15", id="four-digits-as-written"),
    ],
)
def test_ingest_hostile_two_digit_year_in_text_is_read_near_its_message(
    text: str, message_day: date, expected: str
) -> None:
    (found,) = find_dates(text, message_day)
    assert found.span.start.isoformat() == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("12/15/99", "1999-12-15", id="header-us-99-is-1999"),
        pytest.param("Wed, 15 Dec 99 10:00:00 +0000", "1999-12-15", id="header-rfc2822-99"),
        pytest.param("Tue, 15 Feb 05 10:00:00 +0000", "2005-02-15", id="header-rfc2822-05"),
        pytest.param("8/21/00 9:35 AM", "2000-08-21", id="header-00-is-2000"),
        pytest.param("12/15/30", None, id="header-30-is-1930-never-2030"),
    ],
)
def test_ingest_hostile_two_digit_year_in_a_header_is_never_in_the_future(
    raw: str, expected: str | None
) -> None:
    from datetime import UTC as utc
    from datetime import datetime

    parsed = parse_date(raw, UTC, now=datetime(2026, 6, 1, tzinfo=utc))
    assert (parsed.iso or "")[:10] == (expected or "")
    if expected is None:
        assert parsed.problem is not None and "before 1980" in parsed.problem


def test_ingest_hostile_full_year_never_lands_far_after_its_reference() -> None:
    for ref in range(1950, 2100):
        for digits in range(100):
            year = full_year(digits, ref, 20)
            assert year % 100 == digits and ref - 80 < year <= ref + 20


def test_ingest_hostile_printed_two_digit_year_date_in_a_2000_printout(tmp_path: Path) -> None:
    root = case(tmp_path / "case")
    (root / "evidence" / "print.txt").write_text(
        "From: ann@acme.example.com\nSent: 12/15/99 10:00 AM\nTo: val@vendor.example.org\n\n"
        "See you on 12/20/99.\n"
    )
    doc = read_evidence(root, UTC).documents["evidence/print.txt"]
    assert doc.messages[0].date == "1999-12-15T10:00:00+00:00"


# -- the CLI: one clear line, never a traceback ---------------------------------


BOMB = '- &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"- &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.mark.parametrize(
    ("setup", "command", "code", "says"),
    [
        pytest.param(
            lambda root, out: (root / "evidence" / "x.txt").symlink_to(out / "passwd.txt"),
            "ingest",
            0,
            ("evidence/x.txt", "skipped", "outside the case folder"),
            id="cli-ingest-symlink-outside",
        ),
        pytest.param(
            lambda root, out: (root / "evidence" / "x.txt").symlink_to(out / "passwd.txt"),
            "validate",
            0,
            ("skipped: evidence/x.txt (symbolic link to a path outside the case folder",),
            id="cli-validate-symlink-outside",
        ),
        pytest.param(
            lambda root, out: (root / "claims" / "bomb.yaml").write_text(BOMB),
            "validate",
            2,
            ("claims/bomb.yaml:5: anchors and aliases expand this value", "write the values out"),
            id="cli-validate-alias-bomb",
        ),
    ],
)
def test_ingest_hostile_cli_says_one_clear_line(
    tmp_path: Path,
    setup: Callable[[Path, Path], object],
    command: str,
    code: int,
    says: tuple[str, ...],
) -> None:
    root = case(tmp_path / "case")
    setup(root, secret(tmp_path))
    done = subprocess.run(
        [str(CHECKER), command, str(root)], capture_output=True, text=True, timeout=300
    )
    out = done.stdout + done.stderr
    assert done.returncode == code, out[-2000:]
    assert any(all(part in line for part in says) for line in out.splitlines()), out
    assert "Traceback" not in out and "SECRET-OUTSIDE" not in out
