"""Dates in a sentence, relative ones resolved against the message date.

"today", "this morning", "yesterday", "Thursday", "Thursday, September 3",
"September 1 through December 31, 2020", "December 2018 ... until the
following March". A date without a year takes the year of the other end of
its range, else the message's year; without a message date it is dropped
rather than guessed. A two-digit year ("12/15/99") is the year ending in those
digits nearest the message's, at most `YEARS_AHEAD` after it: "99" in a 2000
message is 1999, "30" in a 2020 message 2030, "45" in a 2020 message 1945.
Without a message date it is read against today the same way.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta, weekday

from checker.ingest.dates import full_year
from checker.model.timespan import DateSpan, day_span, parse_date

YEARS_AHEAD = 20  # how far after its message a two-digit year may point

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS: dict[str, weekday] = {
    "monday": MO, "tuesday": TU, "wednesday": WE, "thursday": TH,
    "friday": FR, "saturday": SA, "sunday": SU,
}  # fmt: skip
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WD = r"(?P<wd>" + "|".join(_WEEKDAYS) + r")"
_ORD = r"(?:st|nd|rd|th)?"


def _after(words: str) -> str:
    """A look-behind for any of `words` and a space (each alternative fixed width)."""
    return "(?:" + "|".join(rf"(?<=\b{w} )" for w in words.split()) + ")"


_FORMS = [
    ("iso", r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"),
    ("us", r"(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})"),
    ("mdy", rf"(?:{_WD},?\s+)?{_MONTH}\s+(?P<d>\d{{1,2}}){_ORD}(?:,?\s+(?P<y>\d{{4}}))?"),
    ("dmy", rf"(?:{_WD},?\s+)?(?P<d>\d{{1,2}}){_ORD}\s+{_MONTH}(?:,?\s+(?P<y>\d{{4}}))?"),
    ("my", rf"{_MONTH}\s+(?P<y>\d{{4}})"),
    ("following", rf"(?P<rel>following|next|last)\s+{_MONTH}"),
    ("bare_month", _after("in until till through to since by from") + _MONTH),
    ("year", _after("in since during until through") + r"(?P<y>(?:19|20)\d{2})"),
    ("rel", r"(?P<word>today|this (?:morning|afternoon|evening)|tonight|yesterday|tomorrow)"),
    ("weekday", rf"(?P<prefix>last |next |this )?{_WD}"),
]
_DATES = [(name, re.compile(rf"\b{rx}\b", re.IGNORECASE)) for name, rx in _FORMS]
_END_WORDS = re.compile(r"(?:through|thru|until|till|to|[-–—])\s*(?:the\s+)?$", re.IGNORECASE)
_PAST = re.compile(r"\b(?:met|was|were|had|held|did|ran|signed|last)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """A date found at `start:end` of the searched text; `ends` if it closes a range."""

    start: int
    end: int
    span: DateSpan
    ends: bool = False
    #: the year was not written but taken from the message ("on 20 June", "in May")
    yearless: bool = False


def _month_span(year: int, month: int) -> DateSpan:
    return parse_date(f"{year:04d}-{month:02d}")


def _scan(text: str) -> list[tuple[str, re.Match[str]]]:
    """Non-overlapping date expressions, leftmost first, the longest at a place."""
    hits = [
        (m.start(), -m.end(), n, kind, m)
        for n, (kind, rx) in enumerate(_DATES)
        for m in rx.finditer(text)
    ]
    out: list[tuple[str, re.Match[str]]] = []
    last_end = -1
    for start, neg_end, _, kind, m in sorted(hits, key=lambda h: h[:3]):
        if start >= last_end:
            out.append((kind, m))
            last_end = -neg_end
    return out


def _one(
    kind: str, m: re.Match[str], ref: date | None, prev: DateSpan | None, past: bool
) -> DateSpan | None:
    g = {k: v for k, v in m.groupdict().items() if v is not None}
    month = _MONTHS.get(g.get("month", "").lower().rstrip("."))
    year = int(g["y"]) if "y" in g else None
    if year is not None and len(g["y"]) == 2:
        year = full_year(year, (ref or date.today()).year, YEARS_AHEAD)
    try:
        if kind in ("iso", "us"):
            assert year is not None
            return day_span(date(year, int(g["m"]), int(g["d"])))
        if kind in ("mdy", "dmy") and month:
            year = year or (prev.start.year if prev else ref.year if ref else None)
            if year is None:
                return None
            d = date(year, month, int(g["d"]))
            if prev and "y" not in g and d < prev.start:
                d = d.replace(year=d.year + 1)
            return day_span(d)
        if kind == "my" and month and year:
            return _month_span(year, month)
        if kind in ("following", "bare_month") and month:
            if prev is not None:
                y = prev.start.year + (1 if month <= prev.start.month else 0)
                return _month_span(y, month)
            return _month_span(ref.year, month) if ref and kind == "bare_month" else None
        if kind == "year" and year:
            return parse_date(str(year))
    except ValueError:  # February 30 and the like: no date rather than a wrong one
        return None
    if ref is None:
        return None
    if kind == "rel":
        word = g["word"].lower()
        shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        return day_span(ref + timedelta(days=shift))
    if kind == "weekday":
        wd = _WEEKDAYS[g["wd"].lower()]
        prefix = g.get("prefix", "").strip().lower()
        if prefix == "last" or (past and prefix != "next"):
            return day_span(ref + relativedelta(days=-1, weekday=wd(-1)))
        return day_span(ref + relativedelta(days=+1, weekday=wd(+1)))
    return None


def find_dates(text: str, ref: date | None) -> list[Found]:
    """Every date in `text`, in order; `ref` is the message's day (or None)."""
    out: list[Found] = []
    past = bool(_PAST.search(text))
    matches = _scan(text)
    # A year-less date takes the year of a later date in the same range
    # ("September 1 through December 31, 2020"): resolve right to left for that.
    years: dict[int, int] = {}
    for kind, m in reversed(matches):
        y = m.groupdict().get("y")
        if y and len(y) == 4:
            years[m.start()] = int(y)
        elif kind in ("mdy", "dmy") and years:
            later = min((k for k in years if k > m.start()), default=None)
            if later is not None:
                years[m.start()] = years[later]
    prev: DateSpan | None = None
    for kind, m in matches:
        hint = years.get(m.start())
        base = ref
        if hint and kind in ("mdy", "dmy") and not m.groupdict().get("y"):
            base = date(hint, 1, 1)
        span = _one(kind, m, base, prev, past)
        if span is None:
            continue
        if prev is not None and span.end < prev.start and hint:
            span = day_span(span.start.replace(year=span.start.year - 1))
        ends = bool(_END_WORDS.search(text[: m.start()])) and prev is not None
        yearless = (kind in ("mdy", "dmy", "bare_month") and not m.groupdict().get("y")
                    and not hint and prev is None)
        out.append(Found(m.start(), m.end(), span, ends, yearless))
        prev = span
    return out


def date_range(found: list[Found]) -> tuple[DateSpan | None, DateSpan | None]:
    """(first day, last day) of a range "from X through Y" among `found`."""
    for i, f in enumerate(found):
        if f.ends and i > 0:
            return found[i - 1].span, f.span
    return None, None
