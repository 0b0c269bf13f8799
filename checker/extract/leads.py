"""Leads: sentences that may state a fact no pattern read (`data/leads.yaml`).

Extraction's recall is below 1, so "no fact found" is not "no fact in the
records". Where a verdict would rest on absence under a closed scope, a lead
keeps it unresolved and names the sentence to read. A sentence is a lead for a
type when it holds one of the type's words, names a case entity, shows no
language cue (negation, modality, future, question, reported speech) around
that word, and gave no fact of that type. Leads carry no roles, only the
entities the sentence and its message's headers name (`Fact.lead`); the engine
matches them only possibly (engine/match.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import yaml
from spacy.strings import StringStore
from spacy.tokens import Doc, Span

from checker import data
from checker.errors import CheckerError
from checker.extract.context import MessageContext
from checker.extract.language import cues
from checker.extract.mentions import Mention
from checker.ingest.document import Document
from checker.model.facts import Fact

LEAD = "lead"  # the `pattern` of every lead


class LeadWords:
    """Each type's lead words, as hashes of lowercased tokens."""

    def __init__(self, types: Sequence[str], strings: StringStore, path: Path = data.LEADS):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict):
            raise CheckerError(f"{path}: expected a mapping of fact type to {{words: [...]}}")
        self.words: dict[str, dict[int, str]] = {}
        for type_, entry in raw.items():
            words = entry.get("words") if isinstance(entry, dict) else None
            if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
                raise CheckerError(f"{path}: '{type_}' needs words: a list of quoted words")
            if type_ in types:
                self.words[type_] = {strings.add(w.lower()): w.lower() for w in words}

    def find(
        self,
        sdoc: Doc,
        bounds: list[tuple[int, int]],
        lower: Sequence[int],
        found: list[Mention],
        ctx: MessageContext,
        read: dict[int, set[str]],
    ) -> list[tuple[str, Span, tuple[str, ...]]]:
        """(type, sentence, entities named) for each lead in a paragraph; `read`
        maps a sentence number to the types it already gave facts of."""
        out: list[tuple[str, Span, tuple[str, ...]]] = []
        for n, (start, end) in enumerate(bounds):
            named = [m.eid for m in found if start <= m.start < end]
            if not named:
                continue
            said: list[str] | None = None
            for type_, words in self.words.items():
                if type_ in read.get(n, ()):
                    continue
                at = next((i for i in range(start, end) if lower[i] in words), None)
                if at is None:
                    continue
                sent = sdoc[start:end]
                if said is None:
                    said = [sdoc.vocab.strings[h] for h in lower[start:end]]
                if cues(sent, sdoc[at : at + 1], said):
                    continue
                heads = [x for x in (ctx.sender, *ctx.recipients) if x]
                out.append((type_, sent, tuple(dict.fromkeys([*named, *heads]))))
        return out


def lead_fact(doc: Document, type_: str, start: int, end: int, names: tuple[str, ...]) -> Fact:
    """The lead for the sentence at `start:end` of `doc`."""
    basis = f"{doc.id or doc.path}|{LEAD}|{type_}|{start}|{end}"
    return Fact(
        id="l-" + hashlib.sha1(basis.encode()).hexdigest()[:12],
        type=type_,
        roles={},
        status="suggested",
        origin="extractor",
        source=doc.passage(start, end),
        where=f"{doc.path}:{start}",
        key=(type_, LEAD, doc.id or doc.path, start),
        pattern=LEAD,
        lead=names,
    )
