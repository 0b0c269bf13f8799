"""Time scopes (as_of, during, before, after) at day, month and year precision.

Unit tests on `checker.model.timespan` and `engine.match.scope_matches`, then
the same rules end to end: a matching fact supports `some`, a fact outside the
scope leaves it unresolved (nothing is closed here).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.case.load import load_case
from checker.check.checker import Checker
from checker.engine.match import role_degree, role_matches, scope_degree, scope_matches
from checker.errors import CaseInvalid
from checker.model.degree import Degree
from checker.model.entities import EntityIndex
from checker.model.facts import Fact, fact_interval
from checker.model.patterns import Scope
from checker.model.timespan import Interval, parse_date

NOTES = "evidence/notes.txt"


def scope(kind: str, first: str, last: str | None = None) -> Scope:
    return Scope(kind, parse_date(first), parse_date(last or first))


def dated(when: str | None) -> Fact:
    """A meeting fact on `when` (None: no date)."""
    roles = {"date": parse_date(when)} if when else {}
    return Fact("f", "meeting", roles, interval=fact_interval(roles, ("date",)))


def contract(start: str | None, end: str | None) -> Fact:
    roles = {k: parse_date(v) for k, v in (("from", start), ("to", end)) if v}
    return Fact("f", "contract", roles, interval=fact_interval(roles, ("from", "to")))


# -- timespan ---------------------------------------------------------------------

@pytest.mark.parametrize(("text", "precision", "start", "end"), [
    ("2019-06-15", "day", date(2019, 6, 15), date(2019, 6, 15)),
    ("2018-12", "month", date(2018, 12, 1), date(2018, 12, 31)),
    ("2020-02", "month", date(2020, 2, 1), date(2020, 2, 29)),
    ("2019-02", "month", date(2019, 2, 1), date(2019, 2, 28)),
    ("2019", "year", date(2019, 1, 1), date(2019, 12, 31)),
    (2019, "year", date(2019, 1, 1), date(2019, 12, 31)),
])
def test_timespan_parse_date_covers_every_day_of_its_precision(text, precision, start, end):
    span = parse_date(text)
    assert (span.precision, span.start, span.end, str(span)) == (precision, start, end, str(text))


@pytest.mark.parametrize(("text", "message"), [
    ("March 2019", "write YYYY-MM-DD, YYYY-MM or YYYY"),
    ("2019/03/12", "write YYYY-MM-DD, YYYY-MM or YYYY"),
    ("19-03-12", "write YYYY-MM-DD, YYYY-MM or YYYY"),
    ("2019-13", "is not a real date"),
    ("2019-02-30", "is not a real date"),
    ("2019-3-1", "write YYYY-MM-DD, YYYY-MM or YYYY"),
])
def test_timespan_invalid_date_is_value_error_with_the_fix(text, message):
    with pytest.raises(ValueError, match=message):
        parse_date(text)


# Once a bug: month or day 00 was read as absent, so '2019-00' meant all of 2019.
@pytest.mark.parametrize("text", ["2019-00", "2019-05-00", "2019-00-00"])
def test_timespan_zero_month_or_day_is_invalid(text):
    with pytest.raises(ValueError, match="is not a real date"):
        parse_date(text)


def test_timespan_interval_open_end_contains_any_later_day():
    open_ended = Interval(date(2019, 7, 1), None)
    assert open_ended.contains(parse_date("2030-01-01"))
    assert not open_ended.contains(parse_date("2019-06-30"))
    assert not open_ended.ends_before(parse_date("2100"))
    assert str(open_ended) == "2019-07-01 to open"


def test_timespan_fact_interval_from_roles():
    # from/to: began on some day of `from`, ended on some day of `to` (revision 2)
    assert fact_interval({"from": parse_date("2019-02"), "to": parse_date("2019-04")},
                         ("from", "to")) == Interval(date(2019, 2, 1), date(2019, 4, 30),
                                                     date(2019, 2, 28), date(2019, 4, 1))
    # no `to`: still in force
    assert fact_interval({"from": parse_date("2019")}, ("from", "to")) == Interval(
        date(2019, 1, 1), None, date(2019, 12, 31), None)
    # no `from`: began at an unknown time, at the latest its `to`
    assert fact_interval({"to": parse_date("2019-04")}, ("from", "to")) == Interval(
        None, date(2019, 4, 30), date(2019, 4, 30), date(2019, 4, 1))
    assert fact_interval({}, ("from", "to")) is None
    assert fact_interval({"date": parse_date("2019")}, ()) is None
    # an event: one day somewhere in its date
    assert fact_interval({"date": parse_date("2019-06")}, ("date",)) == Interval(
        date(2019, 6, 1), date(2019, 6, 30), date(2019, 6, 30), date(2019, 6, 1), point=True)


# -- scope_degree: judged over every time the fact could have had (revision 2) -----

YES, MAYBE, NO = Degree.CERTAIN, Degree.POSSIBLE, Degree.NO

DAY_FACTS = [
    # (event date, scope kind, scope first, scope last, degree)
    ("2019", "as_of", "2019-06-15", None, MAYBE),  # some day of 2019, maybe 15 June
    ("2019-06-15", "as_of", "2019", None, NO),  # one day never covers a year
    ("2019-06", "as_of", "2019-06-15", None, MAYBE),
    ("2019-06", "as_of", "2019-07-01", None, NO),
    ("2019-06-15", "as_of", "2019-06-15", None, YES),
    ("2019-06-15", "as_of", "2019-06-16", None, NO),
    ("2019-03-31", "during", "2019-01", "2019-03", YES),
    ("2019-04-01", "during", "2019-01", "2019-03", NO),
    ("2018", "during", "2019-01", "2019-03", NO),
    ("2019", "during", "2019-01", "2019-03", MAYBE),  # some day of 2019, maybe not Q1
    ("2019-02", "during", "2019-01", "2019-03", YES),  # every day of it lies inside
    ("2020-03", "during", "2020-03-22", "2020-03-31", MAYBE),  # the example
    ("2020-03", "during", "2020-03-01", "2020-03-07", MAYBE),
    ("2018-12-31", "during", "2018-12-31", "2019-01-05", YES),
    ("2019-05-31", "before", "2019-06", None, YES),
    ("2019-06-01", "before", "2019-06", None, NO),
    ("2019", "before", "2019-06", None, MAYBE),  # January 2019 would be before June
    ("2019", "before", "2020", None, YES),
    ("2019-06-14", "before", "2019-06-15", None, YES),
    ("2019-06-15", "before", "2019-06-15", None, NO),
    ("2019-07-01", "after", "2019-06", None, YES),
    ("2019-06-30", "after", "2019-06", None, NO),
    ("2019-01-01", "after", "2018", None, YES),
    ("2019-06", "after", "2019-06-15", None, MAYBE),  # 20 June would be after
    ("2019-06", "after", "2019-06-30", None, NO),
    ("2019-06-16", "after", "2019-06-15", None, YES),
]


@pytest.mark.parametrize(("when", "kind", "first", "last", "expected"), DAY_FACTS,
                         ids=[f"{r[0]}-{r[1]}-{r[2]}" for r in DAY_FACTS])
def test_timescope_dated_fact(when, kind, first, last, expected):
    assert scope_degree(dated(when), scope(kind, first, last)) is expected
    assert scope_matches(dated(when), scope(kind, first, last)) is (expected is YES)


INTERVALS = [
    # (contract from, to, scope kind, first, last, degree)
    ("2019-02", "2019-04", "as_of", "2019-04-30", None, MAYBE),  # may have ended 1 April
    ("2019-02", "2019-04", "as_of", "2019-05-01", None, NO),
    ("2019-02", "2019-04", "as_of", "2019-03", None, YES),  # began by 28 Feb, ran into April
    ("2019-02", "2019-04", "as_of", "2019", None, NO),
    ("2019-02", "2019-04", "before", "2019-05", None, YES),
    ("2019-02", "2019-04", "before", "2019-04-30", None, MAYBE),
    ("2019-02", "2019-04", "after", "2019-01", None, YES),
    ("2019-02", "2019-04", "after", "2019-02-01", None, MAYBE),
    ("2019-02", "2019-04", "during", "2019-04-30", "2019-06-01", MAYBE),
    ("2019-02", "2019-04", "during", "2019-04-01", "2019-06-01", YES),
    ("2019-02", "2019-04", "during", "2019-05-01", "2019-06-01", NO),
    ("2019-07-01", None, "as_of", "2025-01-01", None, YES),  # no `to`: still in force
    ("2019-07-01", None, "as_of", "2019-06-30", None, NO),
    ("2019-07-01", None, "during", "2030", "2031", YES),
    ("2019-07-01", None, "before", "2100", None, NO),  # never ends
    ("2019-07-01", None, "after", "2019-06", None, YES),
    ("2019-07", None, "as_of", "2019-07-15", None, MAYBE),  # may have begun on the 20th
    # no `from`: began at an unknown time, at the latest its `to`
    (None, "2020-03", "as_of", "2020-01-15", None, MAYBE),  # the example
    (None, "2020-03-10", "as_of", "2020-03-10", None, YES),
    (None, "2020-03", "as_of", "2020-04-02", None, NO),
    (None, "2020-03", "before", "2020-04", None, YES),
    (None, "2020-03", "after", "2020-04", None, NO),
    (None, "2020-03", "after", "2019", None, MAYBE),
]


@pytest.mark.parametrize(("start", "end", "kind", "first", "last", "expected"), INTERVALS,
                         ids=[f"{r[0]}..{r[1]}-{r[2]}-{r[3]}" for r in INTERVALS])
def test_timescope_interval_fact(start, end, kind, first, last, expected):
    assert scope_degree(contract(start, end), scope(kind, first, last)) is expected


@pytest.mark.parametrize("kind", ["as_of", "during", "before", "after"])
def test_timescope_fact_without_time_is_unknown_against_any_scope(kind):
    assert scope_degree(dated(None), scope(kind, "2019")) is MAYBE
    assert scope_degree(contract(None, None), scope(kind, "2019")) is MAYBE
    assert scope_matches(dated(None), scope(kind, "2019")) is False


@pytest.mark.parametrize(("fact_date", "wanted", "expected"), [
    ("2019-03-12", "2019-03", YES), ("2019-03-12", "2019", YES),
    ("2019-03", "2019-03-12", MAYBE), ("2019", "2019-03", MAYBE), ("2019-04-01", "2019-03", NO)])
def test_timescope_date_role_matches_a_fact_date_inside_it(fact_date, wanted, expected):
    got = role_degree("date", parse_date(fact_date), parse_date(wanted), EntityIndex([]))
    assert got is expected
    assert role_matches("date", parse_date(fact_date), parse_date(wanted),
                        EntityIndex([])) is (expected is YES)


# -- end to end ---------------------------------------------------------------------

def run_one(make_case: Any, fact: dict[str, Any], pattern: dict[str, Any]) -> Any:
    facts = [{"id": "f-1", **fact, "source": {"doc": NOTES, "quote": "Note one."}}]
    claims = [{"id": "c", "speaker": "acme", "quote": "Q.", "asserts": {"some": pattern}}]
    root: Path = make_case(claims=yaml.safe_dump(claims), facts=yaml.safe_dump(facts),
                           emails={}, files={NOTES: "Note one.\n"})
    (result,) = Checker(load_case(root)).run().claims
    return result


MEETING = {"fact": "meeting", "participants": ["ann", "val"], "topic": "kickoff"}
CONTRACT = {"fact": "contract", "parties": ["acme", "vendor"], "kind": "purchase"}
END_TO_END = [
    (MEETING | {"date": "2019"}, {"as_of": "2019-06-15"}, False),  # only possibly
    (MEETING | {"date": "2019-06-15"}, {"as_of": "2019"}, False),
    (MEETING | {"date": "2019-03-31"}, {"during": {"from": "2019-01", "to": "2019-03"}}, True),
    (MEETING | {"date": "2019-04-01"}, {"during": {"from": "2019-01", "to": "2019-03"}}, False),
    (MEETING | {"date": "2018-12"}, {"before": "2019"}, True),
    (MEETING | {"date": "2019-01"}, {"before": "2019-01-31"}, False),
    (MEETING | {"date": "2020"}, {"after": "2019-12-31"}, True),
    (MEETING | {"date": "2019-12"}, {"after": "2019-12-30"}, False),
    (MEETING | {"date": "2019-12-31"}, {"after": "2019-12-30"}, True),
    (MEETING, {"after": "1900"}, False),  # no date: never matches a time-scoped pattern
    (CONTRACT | {"from": "2019-07-01"}, {"as_of": "2024-02-29"}, True),
    (CONTRACT | {"from": "2019-02", "to": "2019-04"}, {"as_of": "2019-05-01"}, False),
    (CONTRACT | {"from": "2019-02", "to": "2019-04"}, {"before": "2019-06-14"}, True),
    (CONTRACT | {"from": "2019-07-01"}, {"before": "2030"}, False),
]


@pytest.mark.parametrize(("fact", "when", "expected"), END_TO_END,
                         ids=[f"{f['fact']}-{next(iter(w))}-{e}" for f, w, e in END_TO_END])
def test_timescope_claim_pattern_end_to_end(make_case, fact, when, expected):
    pattern = {"fact": fact["fact"], **({"participants": "acme"} if fact["fact"] == "meeting"
                                         else {"parties": "vendor"}), **when}
    result = run_one(make_case, fact, pattern)
    assert result.verdict == ("supported" if expected else "unresolved"), result.reason
    if expected:
        assert [c.fact for c in result.citations] == ["f-1"]
        assert result.derivation["pattern"][next(iter(when))]
    else:
        assert result.citations == []


RESTATEMENT = """
- type: restatement
  roles: {company: entity, from: date, to: date}
"""


@pytest.mark.parametrize(("when", "expected"), [
    ({"as_of": "2019-12"}, True), ({"as_of": "2020-07"}, False), ({"before": "2020-07"}, True),
    ({"after": "2019-06-30"}, True), ({"after": "2019-07-01"}, False),
    ({"during": {"from": "2018", "to": "2019-06"}}, False),
    ({"during": {"from": "2018", "to": "2019-07"}}, True)])
def test_timescope_case_type_with_from_and_to_is_an_interval(make_case, when, expected):
    facts = [{"id": "f-1", "fact": "restatement", "company": "acme", "from": "2019-07",
              "to": "2020-06", "source": {"doc": NOTES, "quote": "Note one."}}]
    claims = [{"id": "c", "speaker": "acme", "quote": "Q.",
               "asserts": {"some": {"fact": "restatement", "company": "acme", **when}}}]
    root = make_case(claims=yaml.safe_dump(claims), facts=yaml.safe_dump(facts), emails={},
                     files={NOTES: "Note one.\n", "types.yaml": RESTATEMENT})
    (result,) = Checker(load_case(root)).run().claims
    assert result.verdict == ("supported" if expected else "unresolved")


@pytest.mark.parametrize(("when", "expected"), [({"before": "2019"}, True),
                                                 ({"as_of": "2018-05-01"}, False),
                                                 ({"after": "2018-06"}, False)])
def test_timescope_single_date_role_gives_the_time(make_case, when, expected):
    account = {"fact": "account", "holder": "ann", "provider": "vendor", "created": "2018"}
    result = run_one(make_case, account, {"fact": "account", "holder": "acme", **when})
    assert result.verdict == ("supported" if expected else "unresolved")


def test_timescope_pattern_scope_is_shown_in_the_reason(make_case):
    result = run_one(make_case, MEETING | {"date": "2019-04-01"},
                     {"fact": "meeting", "during": {"from": "2019-01", "to": "2019-03"}})
    assert "during 2019-01 to 2019-03" in result.reason


def test_timescope_invalid_date_in_a_fact_names_the_fix(make_case):
    with pytest.raises(CaseInvalid, match="'2019-02-30' is not a real date"):
        run_one(make_case, MEETING | {"date": "2019-02-30"}, {"fact": "meeting"})


def test_timescope_invalid_date_in_a_claim_names_the_fix(make_case):
    with pytest.raises(CaseInvalid, match="write YYYY-MM-DD, YYYY-MM or YYYY"):
        run_one(make_case, MEETING, {"fact": "meeting", "as_of": "June 2019"})


def test_timescope_on_a_type_without_time_is_a_validation_error(make_case):
    fact = {"fact": "affiliation", "person": "ann", "organization": "acme"}
    with pytest.raises(CaseInvalid, match="has no time, so it cannot take 'as_of'"):
        run_one(make_case, fact, {"fact": "affiliation", "as_of": "2019"})


def test_timescope_during_that_ends_before_it_begins_is_invalid(make_case):
    with pytest.raises(CaseInvalid, match="ends \\(2019-01\\) before it begins \\(2019-03\\)"):
        run_one(make_case, MEETING, {"fact": "meeting",
                                     "during": {"from": "2019-03", "to": "2019-01"}})
