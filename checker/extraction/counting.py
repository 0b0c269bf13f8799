"""When a fact may count towards a verdict: the one place that decides it.

A fact counts (verdicts may rest on it) when it is

- confirmed: an analyst's fact, a header fact, or an extracted fact a
  reviewer accepted or corrected; or
- a lead (a sentence that may state a fact no pattern read), unless
  `--confirmed-only`, and no analyst fact of its type is in the case (an
  analyst who codes a type is taken to have read the records for it): a lead
  only ever matches possibly, so it can keep a verdict unresolved but never
  settle one; or
- suggested (extracted, unreviewed), at or above the case's confidence
  threshold (case.yaml `extraction.threshold`), with `--confirmed-only` off,
  and not superseded: no analyst fact of the same type codes an overlapping
  passage of the same document (the analyst's coding wins, so one event is
  never counted twice).

Rejected facts never count. A fact derived by a rule is suggested when any
of its premises is (`Fact.is_suggested`, set by the engine). Where suggested
facts change a verdict, `checker.check` says so in the verdict's reason:
each claim is judged on confirmed facts too (`confirmed`).

Everything that has to know whether a fact counts asks `Counting`:
loading a case, `checker extract`'s counts, `checker facts`' `used` column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from checker.extraction.settings import DEFAULT_THRESHOLD
from checker.model.facts import Fact

Where = Callable[[Fact], tuple[str, int, int] | None]


def _in_document(fact: Fact) -> tuple[str, int, int] | None:
    s = fact.source
    return None if s is None else (s.doc, s.start, s.end)


@dataclass(frozen=True)
class Counting:
    """The rule in force for one run: the threshold and `--confirmed-only`."""

    threshold: float = DEFAULT_THRESHOLD
    confirmed_only: bool = False

    def usable(self, fact: Fact) -> bool:
        """Whether verdicts may rest on `fact` (any origin), superseding aside."""
        if fact.status == "confirmed":
            return True
        if fact.status != "suggested" or self.confirmed_only:
            return False
        if fact.lead is not None:
            return True  # a lead only ever matches possibly (engine/match.py)
        return (fact.confidence or 0.0) >= self.threshold

    def counts(self, fact: Fact, superseded_by: str | None = None) -> bool:
        """Whether `fact` counts, given the analyst fact that supersedes it (if any)."""
        return superseded_by is None and self.usable(fact)

    def why_not(self, fact: Fact, superseded_by: str | None = None) -> str | None:
        """Why `fact` does not count, in a few words; None when it does (or when
        it is rejected, which its status already says)."""
        if superseded_by is not None and fact.lead is not None:
            return f"an analyst codes {fact.type} facts in this case ({superseded_by})"
        if superseded_by is not None:
            return f"the analyst fact {superseded_by} codes this passage"
        if fact.status != "suggested" or self.usable(fact):
            return None
        if self.confirmed_only:
            return "--confirmed-only"
        return f"below the threshold {self.threshold:g}"

    def describe(self) -> str:
        """The rule in one clause, for listings: which suggested facts are used."""
        if self.confirmed_only:
            return "confirmed facts only"
        return f"suggested facts used at confidence {self.threshold:g} or above"

    def select(
        self, coded: list[Fact], extracted: Iterable[Fact], where: Where = _in_document
    ) -> tuple[list[Fact], dict[str, str]]:
        """The facts that count, from the analyst and header facts (`coded`) and the
        extracted facts after review, in that order; and the superseded extracted
        facts, mapped to the analyst fact that codes their passage (`where`
        places facts for that: see `superseded`)."""
        extracted = list(extracted)
        covered = superseded(extracted, coded, where)
        covered.update(analysts_read(extracted, coded))
        facts = [f for f in coded if self.usable(f)]
        facts += [f for f in extracted if self.counts(f, covered.get(f.id))]
        return facts, covered


def confirmed(facts: Iterable[Fact]) -> list[Fact]:
    """The facts a verdict on confirmed facts alone rests on."""
    return [f for f in facts if f.status == "confirmed"]


def analysts_read(extracted: Iterable[Fact], coded: Iterable[Fact]) -> dict[str, str]:
    """Leads of a type the case's analysts code, mapped to the first analyst fact of
    that type. Leads stand for the extractor's recall; where an analyst codes a
    type, the case's coding of it is the analyst's (as a closed scope assumes),
    so its leads are listed for review but hold no verdict."""
    first: dict[str, str] = {}
    for f in coded:
        if f.origin == "analyst":
            first.setdefault(f.type, f.id)
    return {f.id: first[f.type] for f in extracted if f.lead is not None and f.type in first}


def superseded(
    extracted: Iterable[Fact], coded: Iterable[Fact], where: Where = _in_document
) -> dict[str, str]:
    """Extracted facts whose passage an analyst already coded as a fact of the same
    type (overlapping quote in the same email: `where` places a fact, by default
    in its document), mapped to that fact's id. The analyst's coding wins, so
    one event is never counted twice (e.g. a meeting the extractor saw with
    fewer participants, or in another copy of the email)."""
    spans: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
    for f in coded:
        at = where(f) if f.origin != "extractor" else None
        if at is not None:
            spans.setdefault((f.type, at[0]), []).append((at[1], at[2], f.id))
    out: dict[str, str] = {}
    for f in extracted:
        at = where(f)
        if at is None:
            continue
        for start, end, fid in spans.get((f.type, at[0]), []):
            if start < at[2] and at[1] < end:
                out[f.id] = fid
                break
    return out
