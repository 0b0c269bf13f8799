"""Sums of money in a sentence: "$12,500", "USD 4,000", "12.500,00 EUR", "$1.5 million".

A number counts only with a currency beside it (a sign, an ISO code or a
currency word), so "212 applications" or "9/14" are never amounts. Separators
are read the way the number writes them: with both ',' and '.', the last one
is the decimal mark; with one kind only, a group of three digits after it
means thousands ("4.000 EUR" is 4000) and one or two digits a decimal
("$12.50").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = r"\d{1,3}(?:[,.'\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_SCALE = r"(?:\s?(?P<{}>k|mn|m|bn|million|billion|thousand)\b)?"
_CODES = r"USD|EUR|GBP|CAD|AUD|NZD|CHF|JPY|SEK|NOK|DKK|INR|MXN"
_BEFORE = rf"(?:US\$|[$€£¥]|\b(?:{_CODES})\s?)\s?(?P<a>{_NUM})" + _SCALE.format("sa")
_AFTER = (  # "12.500,00 €", "4,000 USD", "900 dollars" (a "$" after a number is not one)
    rf"\b(?P<b>{_NUM})" + _SCALE.format("sb") + rf"\s?(?:€|(?:{_CODES}|dollars|euros|pounds)\b)"
)
_MONEY = re.compile(rf"{_BEFORE}|{_AFTER}", re.IGNORECASE)
_SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9,
           "billion": 1e9}  # fmt: skip


@dataclass(frozen=True)
class Amount:
    """A sum of money at `start:end` of the searched text."""

    start: int
    end: int
    value: int | float


def number(text: str) -> float:
    """The value of a written number with thousands and decimal separators."""
    s = re.sub(r"['\u00a0\u202f]", "", text)
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(dec, ".")
    elif "," in s or "." in s:
        parts = s.split("," if "," in s else ".")
        if len(parts) == 2 and len(parts[1]) != 3:
            s = f"{parts[0]}.{parts[1]}"
        else:
            s = "".join(parts)
    return float(s)


def find_amounts(text: str) -> list[Amount]:
    """Every sum of money in `text`, in order."""
    out = []
    for m in _MONEY.finditer(text):
        raw = m.group("a") or m.group("b")
        value = number(raw) * _SCALES.get((m.group("sa") or m.group("sb") or "").lower(), 1)
        value = round(value, 2)
        out.append(Amount(m.start(), m.end(), int(value) if value.is_integer() else value))
    return out
