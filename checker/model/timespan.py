"""Dates at day, month or year precision, and the intervals facts occupy.

A date written `2019` stands for every day of 2019, `2018-12` for every day
of December 2018, `2018-12-03` for that day (spec: "stands for every day it
covers"). A fact's time is an `Interval` of days; an open end is `None`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

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
    """The days a fact occupies; `None` at an end means open (unknown or ongoing)."""

    start: date | None
    end: date | None

    def contains(self, span: DateSpan) -> bool:
        """Every day of `span` lies inside the interval."""
        return (self.start is not None and self.start <= span.start) and (
            self.end is None or span.end <= self.end
        )

    def overlaps(self, first: DateSpan, last: DateSpan) -> bool:
        return (self.start is None or self.start <= last.end) and (
            self.end is None or first.start <= self.end
        )

    def ends_before(self, span: DateSpan) -> bool:
        return self.end is not None and self.end < span.start

    def begins_after(self, span: DateSpan) -> bool:
        return self.start is not None and self.start > span.end

    def __str__(self) -> str:
        a = self.start.isoformat() if self.start else "?"
        b = self.end.isoformat() if self.end else "open"
        return a if a == b else f"{a} to {b}"
