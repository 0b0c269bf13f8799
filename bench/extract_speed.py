"""Words per second of extraction against bare spaCy on the same text, in one run.

    python bench/extract_speed.py --messages 2000 --repeat 3

The corpus comes from `bench/corpus.py` (synthetic mail between twelve
organisations; its entities.yaml names them). Its documents are read once by
`checker.ingest` and are not timed. Then, on the same machine in the same
process, best of `--repeat`:

* bare spaCy: `nlp.pipe` over the text extraction reads (every message's own
  paragraphs, quoted history cut out), with the same components extraction
  builds (`spacy.blank("en")`, sentencizer, the entity ruler of the case's
  names), built once outside the timing;
* extract: the whole step, `extract_facts(documents, entities, types)`: building
  the pipeline and loading the packs, cutting paragraphs, spaCy, near-miss names,
  the matcher, the language filters and the roles.

Words are spaCy tokens that are not punctuation or space, counted once over
the bare run's docs. The issue's target: extract at least 0.8 of bare spaCy.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

if __package__ in (None, ""):  # run as a script: make `bench` and `checker` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402
from spacy.language import Language  # noqa: E402

from bench.corpus import write_case  # noqa: E402
from checker.extract import extract_facts  # noqa: E402
from checker.extract.mentions import build_nlp  # noqa: E402
from checker.extract.segments import segments  # noqa: E402
from checker.ingest.document import Document, Message  # noqa: E402
from checker.ingest.evidence import read_evidence  # noqa: E402
from checker.model.entities import Entity, EntityIndex  # noqa: E402
from checker.model.facttypes import FactType  # noqa: E402

TYPES_FILE = Path(__file__).resolve().parent.parent / "checker" / "data" / "types.yaml"


def load(root: Path) -> tuple[list[Document], EntityIndex, dict[str, FactType]]:
    """The corpus's documents (deduplicated, as extraction reads them), entities, types."""
    evidence = read_evidence(root, ZoneInfo("America/New_York"))
    docs = list({(d.id or d.path): d for d in evidence.documents.values()}.values())
    entities = EntityIndex([Entity(**e) for e in yaml.safe_load(
        (root / "entities.yaml").read_text())])
    types = {t["type"]: FactType(**t) for t in yaml.safe_load(TYPES_FILE.read_text())}
    return docs, entities, types


def paragraphs(docs: list[Document]) -> list[str]:
    """The text extraction feeds spaCy: each message's own paragraphs."""
    out = []
    for doc in docs:
        for msg in doc.messages or [Message(start=0, end=len(doc.text))]:
            out += [s.text for s in segments(doc, msg)]
    return out


def bare_words(nlp: Language, texts: list[str]) -> int:
    """The baseline: `nlp.pipe` over `texts`; its words (tokens not punctuation or space)."""
    return sum(sum(1 for t in d if not (t.is_punct or t.is_space)) for d in nlp.pipe(texts))


def best(fn: object, repeat: int) -> tuple[float, float, object]:
    """(wall s, CPU s, result) of the fastest of `repeat` calls by CPU time."""
    runs = []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()  # type: ignore[operator]
        runs.append((time.perf_counter() - w0, time.process_time() - c0, result))
    return min(runs, key=lambda r: r[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="checker-extract-bench-") as tmp:
        root = Path(tmp) / "case"
        t0 = time.perf_counter()
        corpus = write_case(root, args.messages, args.seed)
        docs, entities, types = load(root)
        print(f"corpus: {corpus.messages} messages in {corpus.files} files, "
              f"{len(docs)} documents, read in {time.perf_counter() - t0:.1f} s (not timed)")

    texts = paragraphs(docs)
    nlp = build_nlp(entities)

    def bare() -> int:
        return bare_words(nlp, texts)

    def extract() -> list[object]:
        return list(extract_facts(docs, entities, types))

    bw, bc, words = best(bare, args.repeat)
    ew, ec, facts = best(extract, args.repeat)
    assert isinstance(words, int) and isinstance(facts, list)
    by_type = Counter(f.type for f in facts)  # type: ignore[attr-defined]
    print(f"text: {len(texts):,} paragraphs, {words:,} words; facts proposed: {len(facts):,} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(by_type.items()))})")
    print(f"best of {args.repeat}, CPU time:\n")
    print("| step | wall s | CPU s | words per CPU s | vs bare spaCy |")
    print("|---|---:|---:|---:|---:|")
    print(f"| bare spaCy (nlp.pipe, same components) | {bw:.2f} | {bc:.2f} | {words / bc:,.0f} "
          "| 1.00 |")
    print(f"| extract_facts (whole step) | {ew:.2f} | {ec:.2f} | {words / ec:,.0f} "
          f"| {bc / ec:.2f} |")
    print(f"\ntarget: at least 0.80 of bare spaCy: {'met' if bc / ec >= 0.8 else 'NOT met'}")


if __name__ == "__main__":
    main()
