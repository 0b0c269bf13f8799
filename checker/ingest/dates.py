"""Dates as real mail and printouts write them, in the case timezone, or flagged.

RFC 2822 dates go through `email.utils`; anything else ("Monday, August 21,
2000 9:35 AM", "8/21/2000", "Tue Jul 01 18:52:18 2010", "Sunday, January 27,
2013 07:31 PM Eastern Standard Time") through dateutil with fuzzy parsing,
month-first as US records write it. A date without a zone is taken as local
to the case. A date is not trusted, and says why, when it has no day or no
year, or is implausible: before 1980 (epoch and null-date placeholders such
as CMU Enron's `Mon, 31 Dec 1979 16:00:00 -0800`, which is 1980-01-01 00:00
UTC) or more than a year after today.

A two-digit year ("12/15/99", "15 Dec 99") is not left to the parsers' own
pivots (dateutil's is today ±50 years, email.utils' 1969): `full_year` takes
the year ending in those digits nearest a reference year, but never more than
a few years after it. A header's reference is today and it may lie at most
`HEADER_YEARS_AHEAD` after it (so "99" is 1999 and "27" 2027 in 2026); dates
in a message's text are resolved against the message's own date
(`checker.extract.when`).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import cache
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

HEADER_YEARS_AHEAD = 1  # a header date's two-digit year may name next year, no later
MAX_DATE_CHARS = 200  # a longer header value is no date (and would cost the parser)

_RFC2822 = re.compile(r"^\s*(?:[A-Za-z]{3},?\s*)?\d{1,2}\s+[A-Za-z]{3}\s+(\d{2,4})\s+\d{1,2}:\d{2}")
_HOURS = {
    "EST": -5,
    "EDT": -4,
    "CST": -6,
    "CDT": -5,
    "MST": -7,
    "MDT": -6,
    "PST": -8,
    "PDT": -7,
    "GMT": 0,
    "UTC": 0,
    "UT": 0,
    "Z": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "MSK": 3,
}
_TZINFOS = {name: hours * 3600 for name, hours in _HOURS.items()}
_LONG_ZONES = re.compile(r"\b(Eastern|Central|Mountain|Pacific) (Standard|Daylight) Time\b", re.I)
# OCR drops the space between a year or a day and the time: "201111:38 PM", "Mar 0610:15".
_YEAR_TIME = re.compile(r"\b((?:19|20)\d\d)(\d{1,2}:\d\d)")
_DAY_TIME = re.compile(r"\b(\d\d)(\d\d:\d\d)")
_EARLIEST = datetime(1980, 1, 1, tzinfo=UTC)
# Two defaults that differ in every field: a field the text lacks shows as a difference.
_DEFAULTS = (datetime(1904, 1, 1), datetime(1908, 2, 2))


@dataclass(frozen=True)
class ParsedDate:
    """A parsed date: `when` in the case timezone, or None with `problem` saying why."""

    raw: str
    when: datetime | None
    problem: str | None = None

    @property
    def iso(self) -> str | None:
        return self.when.isoformat() if self.when else None


def full_year(digits: int, ref_year: int, ahead: int) -> int:
    """The year ending in the two `digits` nearest `ref_year` and at most `ahead` years
    after it: with `ahead` 20, 99 is 1999 in 2000, 05 is 2005 in 2004, 30 is 2030 in
    2020 and 45 is 1945 in 2020."""
    year = ref_year - ref_year % 100 + digits
    if year > ref_year + ahead:
        return year - 100
    if year + 100 <= ref_year + ahead and ref_year - year > year + 100 - ref_year:
        return year + 100
    return year


class _Years(dateutil_parser.parserinfo):
    """dateutil's reading of a two-digit year replaced by `full_year`."""

    def __init__(self, ref_year: int, ahead: int):
        super().__init__()
        self.ref_year, self.ahead = ref_year, ahead

    def convertyear(self, year: int, century_specified: bool = False) -> int:
        if year < 100 and not century_specified:
            return full_year(year, self.ref_year, self.ahead)
        return int(year)


@cache
def _years(ref_year: int, ahead: int) -> _Years:
    return _Years(ref_year, ahead)


def _short_zone(match: re.Match[str]) -> str:
    return match.group(1)[0].upper() + ("S" if match.group(2).lower() == "standard" else "D") + "T"


def _fuzzy(text: str, years: _Years) -> tuple[datetime | None, str | None]:
    text = _LONG_ZONES.sub(_short_zone, text)
    text = _DAY_TIME.sub(r"\1 \2", _YEAR_TIME.sub(r"\1 \2", text)).strip(" -,;.")
    results = []
    for default in _DEFAULTS:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # dateutil warns on zone names it ignores
                parsed = dateutil_parser.parser(years).parse(
                    text, fuzzy=True, default=default, tzinfos=_TZINFOS
                )
        except (ValueError, OverflowError, TypeError, LookupError):
            return None, "not a date"
        results.append(parsed)
    first, second = results
    if first.year != second.year:
        return None, "no year"
    if first.month != second.month or first.day != second.day:
        return None, "no day"
    return first, None


def _parse(text: str, years: _Years) -> tuple[datetime | None, str | None]:
    rfc = _RFC2822.match(text)
    if rfc:
        try:
            when = parsedate_to_datetime(text)
            if len(rfc.group(1)) == 2:  # email.utils' pivot is 1969
                when = when.replace(year=years.convertyear(int(rfc.group(1))))
            return when, None
        except Exception:  # noqa: BLE001 - malformed: try the lenient parser
            pass
    if not re.search(r"\d", text):
        return None, "not a date"
    return _fuzzy(text, years)


def parse_date(raw: str, tz: ZoneInfo, now: datetime | None = None) -> ParsedDate:
    """`raw` as an aware datetime in `tz`; never raises. Untrusted dates have `when` None
    and a `problem` such as "before 1980" or "no day"."""
    text = " ".join(raw.split())
    if len(text) > MAX_DATE_CHARS:
        return ParsedDate(raw, None, f"not a date: longer than {MAX_DATE_CHARS} characters")
    now = now or datetime.now(UTC)
    when, problem = _parse(text, _years(now.year, HEADER_YEARS_AHEAD))
    if when is None:
        return ParsedDate(raw, None, problem or "not a date")
    when = when.replace(tzinfo=tz) if when.tzinfo is None else when.astimezone(tz)
    if when.year < 1980 or when <= _EARLIEST:
        return ParsedDate(raw, None, "before 1980: an epoch or null-date placeholder")
    if when > now + timedelta(days=365):
        return ParsedDate(raw, None, "more than a year in the future")
    return ParsedDate(raw, when.astimezone(tz))


def date_warning(where: str, parsed: ParsedDate) -> str | None:
    """The document warning for an untrusted date, e.g. "message 3: date '...' not used
    (before 1980: ...)"; None for a trusted date."""
    if parsed.problem is None:
        return None
    return f"{where}: date {parsed.raw.strip()[:80]!r} not used ({parsed.problem})"
