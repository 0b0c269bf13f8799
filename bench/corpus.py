"""Write a synthetic but realistic email production for benchmarks.

    python bench/corpus.py OUT --messages 20000 --seed 7

OUT becomes a case folder (`case.yaml`, `entities.yaml`, `claims/`,
`evidence/`). The mail is made up: people with names (some non-ASCII) at
organisations on reserved `.example` domains, threads with Message-ID,
In-Reply-To and References, replies that quote the message before them
(`>` quoting or an Outlook "-----Original Message-----" block), HTML
alternatives, and small attachments (CSV, PDF-like bytes, PNG-like bytes).

Each custodian holds about `PER_CUSTODIAN` messages, so a larger corpus
means more custodians and more files, not bigger files: that is how real
productions grow, and it lets a benchmark tell per-file memory from memory
that grows with the corpus. Custodians' mail is stored in turn as

* one mbox per custodian (`evidence/mbox/<custodian>.mbox`),
* one `.eml` per message (`evidence/eml/<custodian>/<folder>/<n>.eml`),
* a Maildir (`evidence/maildir/<custodian>/{cur,new,tmp}/`), file names as
  a mail server writes them (`<time>.M<n>P<pid>Q<n>.<host>:2,S`).

The same seed and size give the same bytes (MIME boundaries are set, not
drawn from the global random generator).
"""

from __future__ import annotations

import argparse
import mailbox
import random
import textwrap
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, formataddr
from pathlib import Path

PER_CUSTODIAN = 500
FORMATS = ("mbox", "eml", "maildir")
FOLDERS = ("inbox", "sent", "archive", "projects")

FIRST = ("Ann", "Ben", "Carla", "David", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jamal",
         "Kate", "Luis", "Maya", "Nikhil", "Olga", "Pat", "Quinn", "Rosa", "Sam", "Tomás",
         "Uma", "Victor", "Wen", "Xavier", "Yara", "Zoë", "José", "Łukasz", "Søren", "Ngozi",
         "Priya", "Chen", "Fatima", "Björn", "Aoife", "Mateo")
LAST = ("Lee", "Ortiz", "Nguyen", "Smith", "García", "Okafor", "Kowalski", "Brown", "Haddad",
        "Müller", "Tanaka", "Rossi", "Dubois", "Patel", "Kim", "O'Brien", "Novak", "Silva",
        "Johansson", "Costa", "Ivanova", "Mensah", "Cohen", "Walker", "Fernández", "Yilmaz")
ORGS = (
    ("Riverton Unified School District", "rusd.example.org"),
    ("City of Harbor Point", "harborpoint.example.gov"),
    ("Harbor Point Police Department", "hppd.example.gov"),
    ("StudentWatch Inc.", "studentwatch.example.com"),
    ("Northwind Analytics", "northwind.example.com"),
    ("Contoso Towing LLC", "contoso-towing.example.com"),
    ("County Board of Supervisors", "county.example.gov"),
    ("Ministry of Health", "health.example.gov"),
    ("Bluebird Data Brokers", "bluebird.example.net"),
    ("Clearwater Hospital", "clearwater.example.org"),
    ("State Department of Education", "ed.example.gov"),
    ("Fabrikam Security", "fabrikam.example.com"),
)
PERSONAL = ("mail.example.net", "inbox.example.net", "post.example.com")
ZONES = (timezone(timedelta(hours=-5)), timezone(timedelta(hours=-8)), UTC,
         timezone(timedelta(hours=1)), timezone(timedelta(hours=5, minutes=30)))

TOPICS = ("pilot agreement", "data sharing MOU", "quarterly invoice", "board meeting agenda",
          "account setup", "records request", "vendor demo", "budget amendment",
          "towing contract renewal", "press inquiry", "training schedule", "roster export",
          "grant application", "site visit", "security review", "license renewal")
SENTENCES = (
    "Thanks for sending the {topic} over.",
    "Can we find thirty minutes on {day} to go through the {topic}?",
    "Legal has a few comments on section {n}, attached.",
    "The {org} team confirmed they can start on {day}.",
    "Per our call, the {topic} runs through the end of the quarter.",
    "I have copied {name} who owns the budget for this.",
    "We have not shared any student records with {org} at this point.",
    "Please treat this as confidential until the board votes.",
    "The numbers in the last column look off by about {n} percent.",
    "Let me know if the revised draft works for you.",
    "{name} will send the signed copy by {day}.",
    "We ran {n} searches during the trial and the results were promising.",
    "I would rather not put this in writing; call me.",
    "Attached is the export you asked for, {n} rows.",
    "The meeting is moved to {day} at {hour}:00 in room {n}.",
    "FYI, the reporter asked again about the {topic}.",
)
_UNFOLDABLE = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss"})
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


@dataclass
class Person:
    name: str
    address: str
    org: str


@dataclass
class Corpus:
    """What was written: counts per format, for the benchmark's table."""

    root: Path
    messages: int = 0
    files: int = 0
    by_format: dict[str, int] = field(default_factory=dict)


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.translate(_UNFOLDABLE))
    ascii_only = plain.encode("ascii", "ignore").decode().lower()
    return "".join(c for c in ascii_only if c.isalnum() or c == ".").strip(".") or "x"


def make_people(rng: random.Random, count: int) -> list[Person]:
    people: list[Person] = []
    seen: set[str] = set()
    while len(people) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        org, domain = rng.choice(ORGS)
        if rng.random() < 0.07:  # officials who write from a personal account
            domain = rng.choice(PERSONAL)
        local = f"{_slug(first)}.{_slug(last)}"
        address = f"{local}@{domain}"
        n = 2
        while address in seen:
            address = f"{local}{n}@{domain}"
            n += 1
        seen.add(address)
        people.append(Person(f"{first} {last}", address, org))
    return people


def _body(rng: random.Random, people: list[Person], topic: str) -> str:
    def fill(s: str) -> str:
        return s.format(topic=topic, day=rng.choice(DAYS), n=rng.randint(2, 400),
                        org=rng.choice(ORGS)[0], name=rng.choice(people).name,
                        hour=rng.randint(8, 17))

    paras = []
    for _ in range(rng.randint(1, 4)):
        para = " ".join(fill(rng.choice(SENTENCES)) for _ in range(rng.randint(1, 5)))
        paras.append(textwrap.fill(para, 72))
    return "\n\n".join(paras)


def _quote(prev: EmailMessage, prev_text: str, rng: random.Random) -> str:
    if rng.random() < 0.5:
        head = f"On {prev['Date']}, {prev['From']} wrote:"
        return head + "\n" + "\n".join("> " + line if line else ">"
                                       for line in prev_text.splitlines())
    return ("-----Original Message-----\n"
            f"From: {prev['From']}\nSent: {prev['Date']}\nTo: {prev['To']}\n"
            f"Subject: {prev['Subject']}\n\n{prev_text}")


def _attach(msg: EmailMessage, rng: random.Random, n: int) -> None:
    kind = rng.choice(("csv", "pdf", "png"))
    if kind == "csv":
        rows = "\n".join(f"{i},{rng.randint(1000, 99999)},{rng.choice(TOPICS)}"
                         for i in range(rng.randint(5, 200)))
        msg.add_attachment("id,amount,topic\n" + rows + "\n", subtype="csv",
                           filename=f"export-{n}.csv")
    else:
        size = rng.randint(2_000, 60_000)
        blob = (b"%PDF-1.4\n" if kind == "pdf" else b"\x89PNG\r\n\x1a\n") + rng.randbytes(size)
        maintype, subtype = ("application", "pdf") if kind == "pdf" else ("image", "png")
        msg.add_attachment(blob, maintype=maintype, subtype=subtype,
                           filename=f"{'scan' if kind == 'pdf' else 'photo'}-{n}.{kind}")


def _fix_boundaries(msg: EmailMessage, n: int) -> None:
    for k, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"==bench-{n}-{k}==")


def generate_messages(n_messages: int, seed: int) -> Iterator[tuple[int, EmailMessage]]:
    """(custodian index, message) for `n_messages` messages, deterministic in `seed`."""
    rng = random.Random(seed)
    n_custodians = max(len(FORMATS), -(-n_messages // PER_CUSTODIAN))
    people = make_people(rng, max(40, n_custodians * 3))
    custodians = people[:n_custodians]
    when = datetime(2019, 1, 7, 9, 0, tzinfo=UTC)
    threads: list[tuple[EmailMessage, str, str]] = []  # last message, its text, topic
    for n in range(n_messages):
        custodian = n % n_custodians
        me = custodians[custodian]
        when += timedelta(minutes=rng.randint(1, 90))
        others = rng.sample([p for p in people if p is not me], rng.randint(1, 4))
        msg = EmailMessage()
        reply_to = rng.choice(threads) if threads and rng.random() < 0.45 else None
        if reply_to is not None:
            prev, prev_text, topic = reply_to
            subject = prev["Subject"] if str(prev["Subject"]).startswith("Re:") \
                else f"Re: {prev['Subject']}"
        else:
            prev, prev_text, topic = None, "", rng.choice(TOPICS)
            subject = f"{topic.capitalize()}" + (f" ({rng.randint(1, 99)})"
                                                 if rng.random() < 0.3 else "")
        sender, rcpts = (me, others) if rng.random() < 0.4 else (others[0], [me, *others[1:]])
        msg["From"] = formataddr((sender.name, sender.address))
        msg["To"] = ", ".join(formataddr((p.name, p.address)) for p in rcpts[:2])
        if len(rcpts) > 2:
            msg["Cc"] = ", ".join(formataddr((p.name, p.address)) for p in rcpts[2:])
        msg["Date"] = format_datetime(when.astimezone(rng.choice(ZONES)))
        msg["Subject"] = subject
        domain = sender.address.split("@")[1]
        msg["Message-ID"] = f"<{n}.{seed}.bench@{domain}>"
        if prev is not None:
            msg["In-Reply-To"] = prev["Message-ID"]
            refs = str(prev.get("References", "")).split() + [str(prev["Message-ID"])]
            msg["References"] = " ".join(refs[-8:])
        text = _body(rng, people, topic) + f"\n\n{sender.name.split()[0]}\n{sender.org}\n"
        full = text + ("\n" + _quote(prev, prev_text, rng) + "\n" if prev is not None else "")
        msg.set_content(full)
        if rng.random() < 0.3:
            html = "".join(f"<p>{p}</p>" for p in full.split("\n\n"))
            msg.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
        if rng.random() < 0.12:
            _attach(msg, rng, n)
        _fix_boundaries(msg, n)
        threads.append((msg, text, topic))
        if len(threads) > 300:  # old threads go quiet
            threads.pop(rng.randrange(len(threads)))
        yield custodian, msg


def write_case(root: Path, n_messages: int, seed: int = 7) -> Corpus:
    """Write a case folder with `n_messages` messages under `root/evidence`."""
    evidence = root / "evidence"
    evidence.mkdir(parents=True, exist_ok=True)
    (root / "claims").mkdir(exist_ok=True)
    (root / "case.yaml").write_text(f"title: Benchmark corpus (seed {seed}, {n_messages} "
                                    "messages)\ntimezone: America/New_York\n")
    (root / "entities.yaml").write_text("".join(
        f"- id: {_slug(domain.split('.')[0]).replace('.', '-')}\n  name: {name}\n"
        f"  kind: organization\n  domains: [{domain}]\n" for name, domain in ORGS))
    first = _slug(ORGS[0][1].split(".")[0])
    (root / "claims" / "claims.yaml").write_text(
        f"- id: placeholder\n  speaker: {first}\n  quote: \"Placeholder.\"\n"
        f"  asserts:\n    some: {{fact: communication, from: {first}}}\n")
    out = Corpus(root)
    boxes: dict[int, mailbox.mbox] = {}
    files: set[Path] = set()
    counters: dict[int, int] = {}
    try:
        for custodian, msg in generate_messages(n_messages, seed):
            fmt = FORMATS[custodian % len(FORMATS)]
            data = msg.as_bytes(policy=default_policy)
            who = f"custodian{custodian:03d}"
            k = counters[custodian] = counters.get(custodian, 0) + 1
            if fmt == "mbox":
                if custodian not in boxes:
                    path = evidence / "mbox" / f"{who}.mbox"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    boxes[custodian] = mailbox.mbox(str(path), create=True)
                    files.add(path)
                boxes[custodian].add(data)
            elif fmt == "eml":
                path = evidence / "eml" / who / FOLDERS[k % len(FOLDERS)] / f"{k:05d}.eml"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                files.add(path)
            else:
                base = evidence / "maildir" / who
                for sub in ("cur", "new", "tmp"):
                    (base / sub).mkdir(parents=True, exist_ok=True)
                stamp = 1_546_851_600 + k * 97
                name = f"{stamp}.M{k}P{custodian}Q{k}.bench"
                path = base / "new" / name if k % 10 == 0 else base / "cur" / f"{name}:2,S"
                path.write_bytes(data)
                files.add(path)
            out.by_format[fmt] = out.by_format.get(fmt, 0) + 1
            out.messages += 1
    finally:
        for box in boxes.values():
            box.flush()
            box.close()
    out.files = len(files)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="case folder to write (created)")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    corpus = write_case(args.out, args.messages, args.seed)
    print(f"{corpus.messages} messages in {corpus.files} files under {args.out / 'evidence'}: "
          + ", ".join(f"{k} {v}" for k, v in sorted(corpus.by_format.items())))


if __name__ == "__main__":
    main()
