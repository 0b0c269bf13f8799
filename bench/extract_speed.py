"""Words per second of extraction against bare spaCy on the same text, in one run.

    python bench/extract_speed.py --messages 2000 --repeat 3
    python bench/extract_speed.py --mail ../shared/corpora/enron-mbox

The corpus is `bench/corpus.py`'s synthetic mail between twelve organisations
(its entities.yaml names them), or with `--mail DIR` a folder of real mail,
whose entities are made mechanically from its headers (`header_entities`: every
sender domain an organisation, every sender with a two-word display name a
person of it), as an analyst's first entities.yaml would be. Its documents are
read once by `checker.ingest` and are not timed. Then, in one process, best of
`--repeat` by CPU time, each run building its own pipeline inside the timing
(so every run starts with an empty vocabulary, as a real run does):

* spaCy, tokenizer, sentencizer and entity ruler: `nlp.pipe` over the text
  extraction reads (every message's own paragraphs, quoted history cut out)
  with the pipeline `build_nlp` makes;
* spaCy, the same components: the above plus the packs' token patterns in a
  spaCy Matcher run on every doc (`pack_matcher`, below): what extraction runs,
  done plainly. This is the issue's baseline ("bare nlp.pipe with the same
  components"; its own figure, blank + rules at ~180k words/s, includes rules);
* extract: the whole step, `extract_facts(documents, entities, types)`: building
  the pipeline and loading the packs, cutting paragraphs, spaCy, the word test
  that picks the sentences and patterns the Matcher runs on, near-miss names,
  the language filters, the roles and the facts.

Words are spaCy tokens that are not punctuation or space, counted once,
outside the timing. The issue's target: extract at least 0.8 of bare spaCy.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # run as a script: make `bench` and `checker` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402
from spacy.attrs import IS_PUNCT, IS_SPACE  # noqa: E402
from spacy.language import Language  # noqa: E402
from spacy.matcher import Matcher  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from bench.corpus import write_case  # noqa: E402
from checker import data  # noqa: E402
from checker.extract import extract_facts  # noqa: E402
from checker.extract.mentions import build_nlp  # noqa: E402
from checker.extract.packs import load_packs  # noqa: E402
from checker.extract.segments import segments  # noqa: E402
from checker.ingest.document import Document, Message  # noqa: E402
from checker.ingest.evidence import read_evidence  # noqa: E402
from checker.model.entities import Entity, EntityIndex  # noqa: E402
from checker.model.facttypes import FactType  # noqa: E402


def load_types() -> dict[str, FactType]:
    return {t.type: t for t in (FactType.model_validate(raw) for raw in data.fact_types())}


def read_documents(root: Path, tz: str) -> list[Document]:
    """The case's documents, each once (a file found at several paths is one)."""
    evidence = read_evidence(root, ZoneInfo(tz))
    return list({(d.id or d.path): d for d in evidence.documents.values()}.values())


def load(root: Path) -> tuple[list[Document], EntityIndex, dict[str, FactType]]:
    """The corpus's documents (deduplicated, as extraction reads them), entities, types."""
    docs = read_documents(root, "America/New_York")
    raw = yaml.safe_load((root / "entities.yaml").read_text())
    return docs, EntityIndex([Entity(**e) for e in raw]), load_types()


def header_entities(docs: list[Document]) -> list[dict[str, Any]]:
    """Entities from the senders of `docs`: each domain an organisation (named by its
    first label), each two-word display name a person of that organisation."""
    orgs: dict[str, dict[str, Any]] = {}
    people: dict[str, dict[str, Any]] = {}
    for doc in docs:
        for msg in doc.messages:
            if not msg.from_addr:
                continue
            name, addr = msg.from_addr
            domain = addr.rpartition("@")[2].lower()
            label = domain.split(".")[0]
            if not label.isalpha() or len(label) < 3:
                continue
            oid = f"org-{label}"
            orgs.setdefault(oid, {"id": oid, "name": label.capitalize(), "kind": "organization",
                                  "domains": [domain]})
            if domain not in orgs[oid]["domains"]:
                orgs[oid]["domains"].append(domain)
            words = name.replace('"', "").split()
            if len(words) == 2 and all(w.isalpha() and w[0].isupper() for w in words):
                pid = "p-" + "-".join(w.lower() for w in words)
                people.setdefault(pid, {"id": pid, "name": " ".join(words), "kind": "person",
                                        "emails": [addr.lower()], "part_of": [oid]})
    return [*orgs.values(), *people.values()]


def load_mail(folder: Path, tmp: Path) -> tuple[list[Document], EntityIndex, dict[str, FactType]]:
    """Documents of the mail in `folder` (copied into a case at `tmp`), and header entities."""
    shutil.copytree(folder, tmp / "evidence" / folder.name)
    docs = read_documents(tmp, "UTC")
    return docs, EntityIndex([Entity(**e) for e in header_entities(docs)]), load_types()


def paragraphs(docs: list[Document]) -> list[str]:
    """The text extraction feeds spaCy: each message's own paragraphs."""
    out = []
    for doc in docs:
        for msg in doc.messages or [Message(start=0, end=len(doc.text))]:
            out += [s.text for s in segments(doc, msg)]
    return out


@Language.factory("pack_matcher", default_config={"patterns": {}})
def pack_matcher(nlp: Language, name: str, patterns: dict[str, Any]) -> Callable[[Doc], Doc]:
    """The packs' token patterns in one Matcher, run on every doc; matches in
    `doc.spans["matches"]`, labelled with the pattern id."""
    matcher = Matcher(nlp.vocab)
    for pid, pats in patterns.items():
        matcher.add(pid, pats)

    def run(doc: Doc) -> Doc:
        doc.spans["matches"] = matcher(doc, as_spans=True)
        return doc

    return run


def same_components(entities: EntityIndex, types: dict[str, FactType]) -> Language:
    """`build_nlp`'s pipeline plus the packs' sentence patterns as a `pack_matcher`."""
    nlp = build_nlp(entities)
    patterns = {
        pat.id: pat.match
        for pack in load_packs(types)
        for pat in pack.patterns
        if pat.match and not pat.needs_model and pat.scope == "sentence"
    }
    nlp.add_pipe("pack_matcher", config={"patterns": patterns})
    return nlp


def words_of(nlp: Language, texts: list[str]) -> int:
    """Words in `texts`: tokens that are not punctuation or space."""
    return sum(
        int((doc.to_array([IS_PUNCT, IS_SPACE]).sum(axis=1) == 0).sum()) for doc in nlp.pipe(texts)
    )


def run_pipe(nlp: Language, texts: list[str]) -> int:
    """A baseline run: `nlp.pipe` over `texts`, each doc dropped once made."""
    n = 0
    for _ in nlp.pipe(texts):
        n += 1
    return n


def best(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(wall s, CPU s, result) of the fastest of `repeat` calls by CPU time."""
    runs = []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        runs.append((time.perf_counter() - w0, time.process_time() - c0, result))
    return min(runs, key=lambda r: r[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mail", type=Path, help="a folder of real mail instead")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="checker-extract-bench-") as tmp:
        t0 = time.perf_counter()
        if args.mail:
            docs, entities, types = load_mail(args.mail.resolve(), Path(tmp))
            what = f"{args.mail} ({len(entities.by_id)} entities from its headers)"
        else:
            corpus = write_case(Path(tmp) / "case", args.messages, args.seed)
            docs, entities, types = load(Path(tmp) / "case")
            what = f"synthetic, {corpus.messages} messages in {corpus.files} files"
        messages = sum(len(d.messages) or 1 for d in docs)
        print(f"corpus: {what}; {len(docs)} documents, {messages} messages, read in "
              f"{time.perf_counter() - t0:.1f} s (not timed)")

    texts = paragraphs(docs)
    words = words_of(build_nlp(entities), texts)
    rows = [
        ("spaCy: tokenizer, sentencizer, entity ruler",
         best(lambda: run_pipe(build_nlp(entities), texts), args.repeat)),
        ("spaCy, same components: + the packs' Matcher on every doc",
         best(lambda: run_pipe(same_components(entities, types), texts), args.repeat)),
        ("extract_facts (whole step)",
         best(lambda: extract_facts(docs, entities, types), args.repeat)),
    ]
    facts = rows[-1][1][2]
    assert isinstance(facts, list)
    by_type = Counter(f.type for f in facts)
    print(f"text: {len(texts):,} paragraphs, {words:,} words; facts proposed: {len(facts):,} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(by_type.items()))})")
    print(f"best of {args.repeat}, CPU time:\n")
    print("| step | wall s | CPU s | words per CPU s | extract vs this |")
    print("|---|---:|---:|---:|---:|")
    ec = rows[-1][1][1]
    for label, (wall, cpu, _) in rows:
        print(f"| {label} | {wall:.2f} | {cpu:.2f} | {words / cpu:,.0f} | {cpu / ec:.2f} |")
    same = rows[1][1][1] / ec
    print(f"\ntarget: extract at least 0.80 of bare spaCy with the same components: "
          f"{same:.2f}, {'met' if same >= 0.8 else 'NOT met'}")


if __name__ == "__main__":
    main()
