"""Text as Retsinformation prints it, made plain: invisible characters, spaces, numbers, dates.

Published texts carry soft hyphens and zero-width joiners inside words, U+00A0 after ``§`` and
``stk.``, and numbers in several spellings (``§ 9 A.``, ``§\u00a09 a.``, ``Kapitel IV``).
Everything the importer stores or compares goes through these functions first.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = [
    "plain", "danish_number", "roman_to_int", "int_to_roman", "parse_iso_date", "parse_danish_date",
    "MONTHS", "ORDINALS",
]

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
          "oktober", "november", "december")
# "Første afsnit", "Anden bog": ordinal words as they head parts of older acts.
ORDINALS = {"første": 1, "anden": 2, "andet": 2, "tredje": 3, "fjerde": 4, "femte": 5, "sjette": 6,
            "syvende": 7, "ottende": 8, "niende": 9, "tiende": 10, "ellevte": 11, "tolvte": 12,
            "trettende": 13, "fjortende": 14, "femtende": 15, "sekstende": 16}
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_NUMBER = re.compile(r"^(\d+)\s*([a-zæøåA-ZÆØÅ]{1,2})?$")
_DANISH_DATE = re.compile(r"(\d{1,2})\.\s*(" + "|".join(MONTHS) + r")\s+(\d{4})", re.IGNORECASE)


def plain(text: str | None) -> str:
    """Without soft hyphens and zero-width characters; every run of spaces one space; stripped."""
    if not text:
        return ""
    # str.split() splits on every Unicode space (U+00A0, U+202F …); much faster than a regex.
    return " ".join(_INVISIBLE.sub("", text).split())


def danish_number(raw: str) -> str | None:
    """``"9 A"``, ``"9a"``, ``"9\u00a0a"`` → ``"9 a"``; ``"12"`` → ``"12"``; None if not a number."""
    match = _NUMBER.match(plain(raw))
    if match is None or match.group(1).startswith("0"):
        return None
    return match.group(1) + (f" {match.group(2).lower()}" if match.group(2) else "")


def roman_to_int(raw: str) -> int | None:
    """``"IV"`` → 4; None for anything that is not a well-formed roman numeral."""
    raw = raw.strip().upper()
    if not raw or any(c not in _ROMAN for c in raw):
        return None
    total = 0
    for index, char in enumerate(raw):
        value = _ROMAN[char]
        following = _ROMAN[raw[index + 1]] if index + 1 < len(raw) else 0
        total += -value if value < following else value
    return total if total > 0 and int_to_roman(total) == raw else None


def int_to_roman(value: int) -> str:
    """4 → ``"IV"`` (1 … 399)."""
    parts = []
    for number, letters in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                            (5, "V"), (4, "IV"), (1, "I")):
        while value >= number:
            parts.append(letters)
            value -= number
    return "".join(parts)


def parse_iso_date(raw: str | None) -> dt.date | None:
    """``"2015-11-17"`` (also with a time part) → date; None when absent or malformed."""
    raw = plain(raw)
    match = re.match(r"^(\d{4})-(\d{2})-(\d{2})", raw)
    if match is None:
        match = re.match(r"^(\d{2})[-/.](\d{2})[-/.](\d{4})$", raw)
        if match is None:
            return None
        day, month, year = match.groups()
    else:
        year, month, day = match.groups()
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_danish_date(raw: str) -> dt.date | None:
    """The first ``"8. september 2015"`` in ``raw`` as a date, or None."""
    match = _DANISH_DATE.search(plain(raw))
    if match is None:
        return None
    try:
        return dt.date(int(match.group(3)), MONTHS.index(match.group(2).lower()) + 1, int(match.group(1)))
    except ValueError:
        return None
