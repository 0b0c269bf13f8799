"""Every error the library raises, in one place.

The CLI maps `CheckerError` subclasses to `Error: ...` on stderr and an exit
code; nothing else escapes as a traceback. Messages say what is wrong and
what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXIT_INVALID = 2
EXIT_NOT_FOUND = 3


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a case's input, pinned to a file and line."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class CheckerError(Exception):
    """Base of every error `checker` raises on purpose."""

    exit_code = 1

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt without calling __init__ (whose arguments differ by class), so an
        # error raised in a worker process arrives whole: same class, same message.
        return (_rebuild, (type(self), self.args, self.__dict__))


def _rebuild(cls: type[CheckerError], args: tuple[Any, ...], state: dict[str, Any]) -> Any:
    err = cls.__new__(cls)
    Exception.__init__(err, *args)
    err.__dict__.update(state)
    return err


class CaseInvalid(CheckerError):
    """A case has one or more problems; all are listed, sorted by file and line."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        n = len(self.problems)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(
            f"{n} problem{'s' if n != 1 else ''} in the case:\n{lines}\n"
            "Fix these and run `checker validate` again."
        )


class CaseNotFound(CheckerError):
    """The case folder does not exist or holds no case."""

    exit_code = EXIT_INVALID

    def __init__(self, path: Path, why: str):
        super().__init__(
            f"{path}: {why}. A case is a folder with entities.yaml and evidence/ "
            "(and claims/*.yaml once there are statements to check); see the README's "
            "'Case folder' section."
        )


class NoClaims(CheckerError):
    """`check` or `explain` on a case with no claims yet: there is nothing to judge.
    Every other command works on such a case."""

    exit_code = EXIT_INVALID

    def __init__(self, root: Path):
        super().__init__(
            f"{root}: nothing to check: the case has no claims yet. Write the statements "
            "to check in claims/*.yaml (docs/case-format.md, 'Claims'); until then ingest, "
            "docs, show, extract, facts and review work without them."
        )


class BuiltinPacksMissing(CheckerError):
    """checker's own pattern packs are not where it was installed: an install
    built without its data files would otherwise extract no facts at all."""

    def __init__(self, folder: Path):
        super().__init__(
            f"checker's built-in pattern packs are missing: no *.yaml in {folder}. This "
            "install of checker is incomplete (built without its data files), so extraction "
            "would find no facts. Reinstall checker (from a clone: pip install --force-reinstall "
            "--no-cache-dir .), or set `extraction: {enabled: false}` in case.yaml to check "
            "with the analyst's facts alone."
        )


class UnknownClaim(CheckerError):
    """`explain` was asked for a claim id the case does not have."""

    exit_code = EXIT_NOT_FOUND

    def __init__(self, claim_id: str, known: list[str], suggestion: str | None):
        hint = f" Did you mean '{suggestion}'?" if suggestion else ""
        listing = ", ".join(known) if known else "(none)"
        super().__init__(f"No claim '{claim_id}' in this case.{hint} Claims: {listing}")



class UnknownFormat(CheckerError):
    """`checker.render` was asked for an output format that does not exist."""

    exit_code = EXIT_INVALID

    def __init__(self, name: str, known: list[str]):
        super().__init__(
            f"No output format '{name}'.{did_you_mean(name, known)} Formats: {', '.join(known)}"
        )


def did_you_mean(word: str, choices: list[str] | tuple[str, ...] | set[str]) -> str:
    """' Did you mean 'x'?' for the closest choice, or '' when none is close."""
    from rapidfuzz import fuzz, process

    best = process.extractOne(str(word), list(choices), scorer=fuzz.ratio, score_cutoff=60)
    return f" Did you mean '{best[0]}'?" if best else ""


class UnknownDocument(CheckerError):
    """`show` was asked for a document the case index does not have (or a file
    that was skipped or failed), or an id prefix that several documents share."""

    exit_code = EXIT_NOT_FOUND

    def __init__(
        self,
        wanted: str,
        suggestion: str | None,
        matches: list[str] | None = None,
        not_read: str | None = None,
    ):
        if not_read:
            message = (
                f"'{wanted}' is in evidence/ but is not a document: it was {not_read}. "
                "`checker ingest` lists every file and why."
            )
        elif matches:
            listing = "; ".join(matches)
            message = (
                f"'{wanted}' matches {len(matches)} documents: {listing}. "
                "Give more of the path or id."
            )
        else:
            hint = f" Did you mean '{suggestion}'?" if suggestion else ""
            message = (
                f"No record or file '{wanted}' in this case.{hint} Name a record by its id "
                "(or the start of it), PATH#N or its Message-ID, or a file by its path from "
                "the case root; `checker docs` lists the records, `checker docs --files` "
                "the files."
            )
        super().__init__(message)


class IndexUnavailable(CheckerError):
    """The case index (CASE/.checker/index.sqlite) failed in mid-use: another
    `checker` held it too long, or the disk is full."""

    def __init__(self, path: Path, why: str):
        super().__init__(
            f"the case index {path} could not be used ({why}). If another `checker` is "
            f"reading this case, wait and try again; otherwise delete {path.parent} "
            "and it is rebuilt on the next run."
        )


class UnknownFact(CheckerError):
    """`review` was asked for a fact id that extraction did not propose."""

    exit_code = EXIT_NOT_FOUND

    def __init__(self, fact_id: str, suggestion: str | None, why: str = ""):
        hint = f" Did you mean '{suggestion}'?" if suggestion else ""
        super().__init__(
            f"No extracted fact '{fact_id}' in this case{why}.{hint} "
            "`checker facts --origin extractor` lists them."
        )


class DaskNotInstalled(CheckerError):
    """`--dask` was given, but dask.distributed is not installed."""

    def __init__(self) -> None:
        super().__init__(
            "--dask needs dask.distributed, which is not installed. "
            "Install it with: pip install 'checker[dask]' (on this machine and every worker), "
            "or leave out --dask to run on this machine's cores (--workers N)."
        )


class ClusterUnavailable(CheckerError):
    """The Dask scheduler named by `--dask` could not be reached."""

    def __init__(self, address: str, why: str):
        super().__init__(
            f"could not reach the Dask scheduler at {address} ({why}). Check the address "
            "(e.g. tcp://10.0.0.5:8786, as `dask scheduler` prints it) and that the "
            "scheduler is running, or leave out --dask to run on this machine."
        )


class OutputNotWritable(CheckerError):
    """`--out` names a file that cannot be written: its folder is missing or read-only,
    or it is a folder. Checked before any work is done."""

    def __init__(self, path: Path, why: str, fix: str):
        super().__init__(f"cannot write --out {path}: {why}. {fix}")


class ReviewNotWritable(CheckerError):
    """`review` cannot record a decision: the case folder or review.yaml is read-only."""

    def __init__(self, path: Path, why: str):
        super().__init__(
            f"cannot record the decision in {path}: {why}. Make the case folder and "
            f"review.yaml writable (or review in a writable copy of the case); "
            "nothing was changed."
        )


class FactNotAdded(CheckerError):
    """`facts add` refused a fact: its quote is not in the record, a role or value is
    wrong, its id is taken, or the facts file named is not one. Nothing was written."""

    exit_code = EXIT_INVALID

    def __init__(self, problems: list[str]):
        self.problems = problems
        if len(problems) == 1:
            message = f"{problems[0]} Nothing was written."
        else:
            listing = "\n".join(f"  {p}" for p in problems)
            message = f"{len(problems)} problems with the fact; nothing was written:\n{listing}"
        super().__init__(message)


class FactsNotWritable(CheckerError):
    """`facts add` cannot write the facts file: it, or the folder it is in, is read-only."""

    def __init__(self, path: Path, why: str):
        super().__init__(
            f"cannot add the fact to {path}: {why}. Make it writable (or code the fact in "
            "a writable copy of the case); nothing was written."
        )


class SearchQueryInvalid(CheckerError):
    """`search` was given a query that SQLite FTS5 cannot parse."""

    exit_code = EXIT_INVALID

    def __init__(self, query: str, why: str, hint: str):
        shown = " ".join(query.split())
        super().__init__(f"cannot search for '{shown}': {why}. {hint}")


class SearchOptionInvalid(CheckerError):
    """A `search` filter (--from, --to, --after, --before) names nothing the
    case has, or is not a date."""

    exit_code = EXIT_INVALID

    def __init__(self, option: str, value: str, why: str):
        super().__init__(f"{option} '{value}': {why}")
