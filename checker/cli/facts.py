"""Commands on facts: extract, facts (and facts add), review."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer
import typer.main
import yaml
from rapidfuzz import process
from typer.core import TyperCommand

from checker.case.coding import add_fact
from checker.case.extract import extract_case
from checker.cli.load import loaded_case
from checker.cli.options import (
    TABLE,
    CaseArg,
    DaskOpt,
    ListFormatOpt,
    ModelOpt,
    OriginChoice,
    StatusChoice,
    WorkersOpt,
    running,
)
from checker.cli.output import fail, progress, say, write
from checker.errors import CaseInvalid, CheckerError, Problem, UnknownFact, did_you_mean
from checker.extraction.review import Decision, check_writable, correct, write_decision
from checker.model.resolve import Resolver
from checker.report.facts import listed_facts, render_facts_json, render_facts_table
from checker.yamlfile import YamlError, load_value


def extract(
    case: CaseArg = Path("."),
    model: ModelOpt = None,
    workers: WorkersOpt = None,
    dask: DaskOpt = None,
) -> None:
    """Extract suggested facts from the documents' text and say what was found.

    Every extracted fact is `suggested`, with a confidence, the id of the
    pattern that proposed it and the sentence it rests on. Results are kept in
    the case index: only new or changed documents are read again (`check` does
    the same on its own). Review them with `checker facts` and `checker review`.

    Example:
        checker extract my-case
        checker extract my-case --model en_core_web_sm
        checker extract my-case --workers 1
        checker extract my-case --dask tcp://10.0.0.5:8786
    """
    try:
        with running(workers, dask), progress("Reading evidence"):
            summary = extract_case(case, model=model)  # one document at a time
    except CheckerError as err:
        raise fail(err) from None
    for problem in summary.warnings:
        say(f"Warning: {problem}", err=True)
    run = summary.run
    if not run.available:
        say("The extractor (checker.extract) is not installed; no facts were extracted.")
        return
    for warning in run.warnings:
        say(f"Warning: {warning}", err=True)
    reviewed = summary.facts - summary.suggested
    note = (
        ""
        if summary.meta.extraction.enabled
        else (" case.yaml has extraction: {enabled: false}, so `check` does not use them.")
    )
    say(
        f"Extraction with {run.model or 'the pattern packs (no model)'}: "
        f"{run.documents} documents ({run.read} read now, {run.cached} from the index).\n"
        f"{summary.facts} facts: {summary.suggested} suggested ({summary.used} at or above "
        f"the threshold {run.threshold:g}, used by `check`), {reviewed} reviewed "
        f"({summary.rejected} rejected).{note}\n"
        f"Next: checker facts {case} --status suggested; "
        f"checker review FACT_ID {case} --accept | --reject | --set ROLE=VALUE"
    )


def facts(
    case: CaseArg = Path("."),
    type_: Annotated[
        str | None, typer.Option("--type", "-t", help="Only facts of this type.")
    ] = None,
    status: Annotated[
        StatusChoice | None, typer.Option("--status", "-s", help="Only facts with this status.")
    ] = None,
    origin: Annotated[
        OriginChoice | None,
        typer.Option("--origin", help="Only analyst, header or extracted facts."),
    ] = None,
    format: ListFormatOpt = TABLE,
    model: ModelOpt = None,
) -> None:
    """List the case's facts with their quotes: analyst, header and extracted facts
    (with status, confidence and pattern id), for review. `checker facts add`
    codes a new analyst fact from a passage (`checker facts add --help`).

    Example:
        checker facts my-case --status suggested
        checker facts my-case --type data_sharing --format json
        checker facts add meeting my-case --doc lay-k.mbox#12 --quote "We met"
    """
    try:
        loaded = loaded_case(case, model=model)
        if type_ is not None and type_ not in loaded.types:
            raise CaseInvalid(
                [
                    Problem(
                        "--type",
                        1,
                        f"unknown fact type '{type_}'." + did_you_mean(type_, list(loaded.types)),
                    )
                ]
            )
    except CheckerError as err:
        raise fail(err) from None
    found = listed_facts(
        loaded, type_, status.value if status else None, origin.value if origin else None
    )
    render = render_facts_json if format.value == "json" else render_facts_table
    write(render(found, loaded), json=format.value == "json")


def assignments(pairs: list[str]) -> dict[str, object]:
    """`--set role=value` pairs; a value is read as YAML (`[a, b]` is a list, an
    empty value removes the role)."""
    out: dict[str, object] = {}
    for pair in pairs:
        role, eq, text = pair.partition("=")
        if not eq or not role.strip():
            raise typer.BadParameter(f"'{pair}': write ROLE=VALUE", param_hint="--set")
        try:
            value = load_value(text) if text.strip() else None
        except yaml.YAMLError:
            value = text
        out[role.strip()] = value
    return out


def review(
    fact_id: Annotated[
        str, typer.Argument(help="The extracted fact's id, as `checker facts` shows.")
    ],
    case: CaseArg = Path("."),
    accept: Annotated[
        bool, typer.Option("--accept", help="The fact is right: confirm it.")
    ] = False,
    reject: Annotated[bool, typer.Option("--reject", help="The fact is wrong: drop it.")] = False,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="Correct a role: ROLE=VALUE (repeatable; ROLE= removes it)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why, for the record.")] = None,
    reviewer: Annotated[str | None, typer.Option("--reviewer", help="Who decided.")] = None,
    model: ModelOpt = None,
) -> None:
    """Accept, reject or correct an extracted fact; the decision is kept in CASE/review.yaml.

    Accepted and corrected facts become confirmed; rejected ones are dropped.
    Extracted ids are stable, so decisions survive re-extraction. review.yaml may
    be edited by hand too: its comments and order are kept.

    Example:
        checker review x-3f2a9c01 my-case --accept --note "Matches the attachment."
        checker review x-77b0e4d2 my-case --set to=ice --set date=2019-02
        checker review x-0c1d5e6f my-case --reject
    """
    roles = assignments(set_ or [])
    if accept + reject + bool(roles) != 1:
        say("Error: give exactly one of --accept, --reject or --set ROLE=VALUE.", err=True)
        raise typer.Exit(2)
    decision: Literal["accept", "reject", "correct"] = (
        "accept" if accept else "reject" if reject else "correct"
    )
    try:
        check_writable(case)  # before extraction, which can take a while
        loaded = loaded_case(case, model=model, force_extraction=True)
        ids = {f.id: f for f in loaded.extracted}
        if fact_id not in ids:
            known = {f.id for f in loaded.facts}
            why = (
                " (it is an analyst or header fact; edit its file instead)"
                if (fact_id in known)
                else ""
            )
            best = process.extractOne(fact_id, list(ids), score_cutoff=60)
            raise UnknownFact(fact_id, best[0] if best else None, why)
        if roles:
            res = Resolver(loaded.entities, loaded.types)
            if correct(ids[fact_id], roles, res, "--set", 1) is None:
                raise CaseInvalid(res.problems)
        entry = Decision(
            fact=fact_id, decision=decision, roles=roles or None, note=note, reviewer=reviewer
        )
        path = write_decision(case, entry)
    except YamlError as err:
        raise fail(CaseInvalid([err.problem])) from None
    except CheckerError as err:
        raise fail(err) from None
    outcome = {"accept": "confirmed", "reject": "rejected", "correct": "corrected and confirmed"}
    say(f"{fact_id}: {outcome[decision]} (recorded in {path}).")


def add(
    type_: Annotated[
        str,
        typer.Argument(
            metavar="type",
            help="The fact type: one of checker/data/types.yaml's or the case's types.yaml.",
            show_default=False,
        ),
    ],
    doc: Annotated[
        str,
        typer.Option(
            "--doc",
            help="The record the passage is in, as `checker show` takes it: its id (or the "
            "start of it), PATH#N, its Message-ID, or the path of a file of one record.",
            show_default=False,
        ),
    ],
    quote: Annotated[
        str,
        typer.Option(
            "--quote",
            help="The passage, letter for letter as the record has it (white space and line "
            "breaks may differ); written to the file exactly as given.",
            show_default=False,
        ),
    ],
    case: CaseArg = Path("."),
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="A role: ROLE=VALUE (repeatable). Entities by id, name or alias; a list of "
            "entities with commas (parties=acme,vendor); dates YYYY, YYYY-MM or YYYY-MM-DD.",
            show_default=False,
        ),
    ] = None,
    fact_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            help="The fact's id (default: f-TYPE-DIGEST, the digest of the record and quote).",
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            help="The facts file to add it to, under evidence/ and ending in .facts.yaml "
            "(default: evidence/analyst.facts.yaml).",
            show_default=False,
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A note, for the record.")] = None,
) -> None:
    """Code an analyst fact from a passage of one record and append it to
    evidence/analyst.facts.yaml (or --file), keeping the file's comments and layout.

    The quote must be in the record (as `checker show REF` prints it; white space
    folded): if it is not, the nearest passage is shown and nothing is written.
    Roles are checked against the fact type, entities resolved to their ids, and
    the new fact is validated as `checker validate` would before it is written.

    Example:
        checker facts add contract my-case --doc evidence/m1.eml
            --quote "We signed the trial agreement today."
            --set parties=acme,vendor --set kind=trial --set from=2020-03
        checker facts add meeting my-case --doc evidence/lay-k.mbox#12
            --quote "We met with Gov Davis" --set participants=ken-lay,gray-davis
    """
    roles = role_values(set_ or [])
    try:
        coded = add_fact(case, type_, doc, quote, roles, fact_id=fact_id, file=file, note=note)
    except CheckerError as err:
        raise fail(err) from None
    say(f"{coded.fact.id}: {type_} fact from {coded.doc} added to {coded.file}.")


def role_values(pairs: list[str]) -> dict[str, str]:
    """`--set ROLE=VALUE` pairs as typed: the value is read by the role's kind later."""
    out: dict[str, str] = {}
    for pair in pairs:
        role, eq, text = pair.partition("=")
        role = role.strip()
        if not eq or not role:
            raise typer.BadParameter(f"'{pair}': write ROLE=VALUE", param_hint="--set")
        if role in out:
            raise typer.BadParameter(f"role '{role}' is given twice", param_hint="--set")
        out[role] = text
    return out


_adding = typer.Typer(add_completion=False, pretty_exceptions_show_locals=False)
_adding.command("add")(add)


class FactsCommand(TyperCommand):
    """`checker facts`: lists the facts (`checker facts [CASE] [OPTIONS]`) unless its
    first word names a subcommand (`checker facts add TYPE [CASE] ...`), which then
    takes every word after it. A click group cannot do both: it would take a CASE
    for the name of an unknown subcommand.

    Contexts are typed `Any`: recent typer runs on its own copy of click, older typer
    on click itself, and pyproject allows both."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] in SUBCOMMANDS:
            ctx.args = list(args)  # the listing's own parameters keep their defaults
            return ctx.args
        return super().parse_args(ctx, args)  # the listing: extra words are an error

    def subcommands(self) -> dict[str, Any]:
        """The subcommands by name, as commands: for whatever lists every command's
        options (tests/test_docs.py)."""
        return {name: typer.main.get_command(sub) for name, sub in SUBCOMMANDS.items()}

    def invoke(self, ctx: Any) -> Any:
        if not ctx.args:
            return super().invoke(ctx)
        name, *rest = ctx.args
        command = self.subcommands()[name]
        # Under the root, named "facts add": its usage line reads `checker facts add
        # [OPTIONS] TYPE [CASE]`, without the listing's CASE before "add".
        with command.make_context(f"{ctx.info_name} {name}", rest, parent=ctx.parent) as sub:
            return command.invoke(sub)


SUBCOMMANDS = {"add": _adding}
