"""The spaCy pipeline and the entities it finds in text.

`spacy.blank("en")` with a sentencizer by default, or a statistical model
installed as a package. An EntityRuler built from entities.yaml (names,
aliases, email addresses) labels each mention with the entity's kind and
sets `ent_id_` to its id; rapidfuzz then adds near misses (typos, OCR
errors) that the ruler missed, marked `kb_id_ == "fuzzy"`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import spacy
from rapidfuzz import fuzz, process
from spacy.attrs import IDX, IS_ALPHA, IS_TITLE, IS_UPPER, LENGTH
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from checker.errors import CheckerError
from checker.model.entities import EntityIndex

FUZZY = "fuzzy"
FUZZY_CUTOFF = 88  # rapidfuzz ratio; conservative: "Clearveiw AI" yes, "Clear View" no
_MIN_FUZZY_LEN = 6
_CACHE_MAX = 200_000  # texts remembered by the near-miss search


class ModelNotInstalled(CheckerError):
    """A statistical model was named but is not installed as a package."""

    def __init__(self, name: str):
        super().__init__(
            f"spaCy model '{name}' is not installed. Install it as a package "
            f"(pip install {name.replace('_', '-')}) or leave `model` out to use "
            "the rule-based pipeline."
        )


@dataclass(frozen=True)
class Mention:
    """An entity named in a segment: token span, id, kind, and whether it was fuzzy."""

    start: int
    end: int
    eid: str
    kind: str
    fuzzy: bool


def _labels(entities: EntityIndex) -> dict[str, str]:
    """Every unambiguous name, alias and email -> entity id."""
    seen: dict[str, set[str]] = {}
    for e in entities.by_id.values():
        for label in (e.name, *e.aliases, *e.emails):
            if len(label.strip()) >= 2:
                seen.setdefault(label.strip(), set()).add(e.id)
    return {label: next(iter(ids)) for label, ids in seen.items() if len(ids) == 1}


def build_nlp(entities: EntityIndex, model: str | None = None) -> Language:
    """The pipeline: tokenizer, sentences, and the entity ruler for this case."""
    if model:
        try:
            nlp = spacy.load(model)
        except OSError as err:
            raise ModelNotInstalled(model) from err
    else:
        nlp = spacy.blank("en")
    if not nlp.has_pipe("parser") and not nlp.has_pipe("senter"):
        nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True})
    patterns = []
    for label, eid in sorted(_labels(entities).items()):
        kind = entities.by_id[eid].kind
        toks = [t.text for t in nlp.make_doc(label)]
        # Acronyms (NYPD, ICE, ED) match as written; other names in any case.
        exact = label.isupper() and len(label) <= 6
        pat = [{"ORTH": t} if exact else {"LOWER": t.lower()} for t in toks]
        patterns.append({"label": kind, "pattern": pat, "id": eid})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return nlp


class NearMisses:
    """Names and aliases for rapidfuzz, and the search for near misses in a Doc."""

    def __init__(self, entities: EntityIndex):
        self.entities = entities
        self.labels = {
            label.casefold(): eid
            for label, eid in _labels(entities).items()
            if len(label) >= _MIN_FUZZY_LEN and "@" not in label
        }
        self.choices = list(self.labels)
        self.longest = max((len(label.split()) for label in self.labels), default=0) + 1
        # The best label for a text depends on the text alone: names recur in a
        # production, so each text is searched once.
        self._best: dict[str, tuple[str, float] | None] = {}

    def best(self, text: str) -> tuple[str, float] | None:
        """The label nearest `text` (casefolded) at or above the cutoff, with its score."""
        if text not in self._best:
            if len(self._best) >= _CACHE_MAX:
                self._best.clear()
            got = process.extractOne(
                text, self.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF
            )
            self._best[text] = (got[0], got[1]) if got else None
        return self._best[text]

    def add(
        self, doc: Doc, within: Sequence[tuple[int, int]] | None = None, text: str | None = None
    ) -> None:
        """Add near-miss mentions to `doc.ents` where no exact mention is: in the
        token ranges `within` (sentences; a name does not cross one), or anywhere.
        `text` is `doc.text` if the caller has it (spaCy rebuilds it from the tokens)."""
        if not doc:
            return
        taken = {i for ent in doc.ents for i in range(ent.start, ent.end)}
        found: list[tuple[float, Span]] = []
        # token flags and offsets as plain ints: Token objects cost more than the search
        rows = doc.to_array([IS_ALPHA, IS_TITLE, IS_UPPER, IDX, LENGTH]).tolist()
        text = doc.text if text is None else text
        for lo, size in within if within is not None else [(0, len(rows))]:
            for i in range(lo, size):
                alpha, title, upper, _, _ = rows[i]
                if i in taken or not (title or upper) or not alpha:
                    continue
                self._search(doc, text, rows, (i, size), taken, found)
        if found:
            best_spans = filter_spans([s for _, s in sorted(found, key=lambda f: -f[0])])
            doc.ents = filter_spans([*doc.ents, *best_spans])

    def _search(
        self,
        doc: Doc,
        text: str,
        rows: list[list[int]],
        at: tuple[int, int],
        taken: set[int],
        found: list[tuple[float, Span]],
    ) -> None:
        """Near misses of a name starting at token `at[0]`, ending before token `at[1]`."""
        i, size = at
        first = rows[i][3]
        for n in range(1, self.longest + 1):
            if i + n > size or (i + n - 1) in taken:
                break
            last_alpha, _, _, idx, length = rows[i + n - 1]
            if not last_alpha and text[idx + length - 1] != ".":
                continue
            words = text[first : idx + length].casefold()
            if len(words) < _MIN_FUZZY_LEN:
                continue
            best = self.best(words)
            if best and best[0][0] == words[0]:
                eid = self.labels[best[0]]
                kind = self.entities.by_id[eid].kind
                found.append((best[1], Span(doc, i, i + n, label=kind, span_id=eid, kb_id=FUZZY)))


def mentions(doc: Doc) -> list[Mention]:
    """Entities named in `doc`, in text order."""
    return [
        Mention(e.start, e.end, e.ent_id_, e.label_, e.kb_id_ == FUZZY)
        for e in doc.ents
        if e.ent_id_
    ]
