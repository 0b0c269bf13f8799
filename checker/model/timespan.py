"""Dates at day, month or year precision, and the intervals facts occupy.

A date written `2019` covers the days of 2019, `2018-12` those of December
2018, `2018-12-03` that day. In a pattern's time scope a date asks about
every day it covers; in a fact it says the event fell on *some* day of it
(revision 2 of the contract). A fact's time is an `Interval` whose ends may
be known only to a month or a year, or not at all.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from checker.model.degree import Degree, degree

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A date as written, with the first and last day it covers."""

    text: str
    start: date
    end: date

    @property
    def precision(self) -> str:
        return {4: "year", 7: "month"}.get(len(self.text), "day")

    def __str__(self) -> str:
        return self.text


def parse_date(value: object) -> DateSpan:
    """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError with the fix."""
    text = str(value).strip()
    m = _DATE.match(text)
    if not m:
        raise ValueError(f"'{text}' is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
    year = int(m[1])
    month, day = (int(m[2]) if m[2] else None), (int(m[3]) if m[3] else None)
    try:
        if month is not None and day is not None:
            d = date(year, month, day)
            return DateSpan(text, d, d)
        if month is not None:
            last = calendar.monthrange(year, month)[1]
            return DateSpan(text, date(year, month, 1), date(year, month, last))
        return DateSpan(text, date(year, 1, 1), date(year, 12, 31))
    except ValueError as err:
        raise ValueError(f"'{text}' is not a real date ({err})") from None


def day_span(d: date) -> DateSpan:
    return DateSpan(d.isoformat(), d, d)


@dataclass(frozen=True, slots=True)
class Interval:
    """When a fact held, as far as the record tells (revision 2 of the contract).

    It began on some day from `start` to `latest_start` and ended on some day
    from `earliest_end` to `end`. `start` None: it began at an unknown time,
    with no earlier bound; `end` None: it has not ended (a contract without
    `to`). A coarse date is uncertainty, not a span: an event dated `2020-03`
    (`point`) happened on one day of March, not on every day of it.

    Each scope test answers for every time the fact could have had: `CERTAIN`
    when the test holds for all of them, `NO` when for none, `POSSIBLE` otherwise.
    """

    start: date | None
    end: date | None
    latest_start: date | None = None  # None: the same as `start`
    earliest_end: date | None = None  # None: the same as `end`
    point: bool = False  # an event on one day somewhere in [start, end]

    def __post_init__(self) -> None:
        latest = self.latest_start if self.latest_start is not None else self.start
        earliest = self.earliest_end if self.earliest_end is not None else self.end
        # It cannot have begun after its last possible end, nor ended before its
        # first possible start.
        if latest is not None and self.end is not None and latest > self.end:
            latest = self.end
        if earliest is not None and self.start is not None and earliest < self.start:
            earliest = self.start
        object.__setattr__(self, "latest_start", latest)
        object.__setattr__(self, "earliest_end", earliest)

    @property
    def exact(self) -> bool:
        """Both ends are known to the day (or the fact is ongoing)."""
        return self.start == self.latest_start and self.end == self.earliest_end

    def contains(self, span: DateSpan) -> Degree:
        """Every day of `span` lies inside the interval."""
        ls, ee = self.latest_start, self.earliest_end
        certain = ls is not None and ls <= span.start and (ee is None or span.end <= ee)
        possible = (
            (self.start is None or self.start <= span.start)
            and (self.end is None or span.end <= self.end)
            and (not self.point or span.start == span.end)
        )
        return degree(certain, possible)

    def overlaps(self, first: DateSpan, last: DateSpan) -> Degree:
        """Some day of the interval lies from `first` to `last`."""
        ls, ee = self.latest_start, self.earliest_end
        certain = ls is not None and ls <= last.end and (ee is None or first.start <= ee)
        possible = (self.start is None or self.start <= last.end) and (
            self.end is None or first.start <= self.end
        )
        return degree(certain, possible)

    def ends_before(self, span: DateSpan) -> Degree:
        ee = self.earliest_end
        return degree(
            self.end is not None and self.end < span.start, ee is not None and ee < span.start
        )

    def begins_after(self, span: DateSpan) -> Degree:
        ls = self.latest_start
        return degree(
            self.start is not None and self.start > span.end, ls is not None and ls > span.end
        )

    def __str__(self) -> str:
        a = self.start.isoformat() if self.start else "?"
        b = self.end.isoformat() if self.end else "open"
        return a if a == b else f"{a} to {b}"
