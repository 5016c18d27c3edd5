"""The printed labels of units (``§ 79 a.``, ``Stk. 2-4.``, ``Kapitel IV``, ``b)``) → Danish numbers.

Shared by every reader. A label names one number, or several ("§§ 13-15. (Ophævet)"); each
returns the list of numbers in the form regelgraf's identifiers take (``"16 b"``; afsnit in
roman numerals; kapitel and bilag in arabic numerals, as the shapes require). An empty list means
the label carries no usable number.
"""

from __future__ import annotations

import re

from graph.importers.text import ORDINALS, danish_number, int_to_roman, plain, roman_to_int

__all__ = [
    "paragraf_numbers", "stk_numbers", "kapitel_numbers", "afsnit_numbers", "bilag_numbers",
    "list_item", "expand_range", "RANK",
]

# Nesting order: a unit may only hold units of a higher rank.
RANK = {"afsnit": 0, "kapitel": 1, "bilag": 1, "paragraf": 2, "stk": 3, "nr": 4, "litra": 5}
_NUM = r"\d+(?:\s?[a-zA-ZæøåÆØÅ]{1,2}(?![a-zæøå]))?"
_ROMAN_NUM = r"[IVXLC]+(?:\s?[a-zA-Z](?![a-z]))?"
_PARAGRAF = re.compile(rf"^(?:§§?\s*)?({_NUM})(?:\.?\s*(?:-|–|og)\s*(?:§\s*)?({_NUM}|[a-z]))?\s*\.?$")
_STK = re.compile(rf"^stk\.?\s*({_NUM})(?:\s*(?:-|–|og)\s*({_NUM}))?\s*\.?$", re.IGNORECASE)
_KAPITEL = re.compile(rf"^kapitel\s+({_NUM}|{_ROMAN_NUM})(?:\s*[-–]\s*({_NUM}|{_ROMAN_NUM}))?\s*\.?$", re.IGNORECASE)
_KAPITEL_ORDINAL = re.compile(r"^(\d+)\.\s*kapitel\.?$", re.IGNORECASE)
_AFSNIT = re.compile(r"^afsnit\s+([IVXLC]+|\d+)\s*\.?$", re.IGNORECASE)
_AFSNIT_WORD = re.compile(r"^(\w+)\s+afsnit\.?$", re.IGNORECASE)
_BILAG = re.compile(rf"^bilag(?:\s+({_NUM}|{_ROMAN_NUM}))?\s*\.?$", re.IGNORECASE)
_LIST = re.compile(r"^\(?\s*(\d+(?:\s?[a-zA-Z])?|[a-zæøåA-ZÆØÅ]{1,3})\s*[).]$")


def expand_range(first: str, last: str | None, limit: int = 60) -> list[str]:
    """``("13", "15")`` → 13, 14, 15; ``("5 a", "5 c")`` → 5 a, 5 b, 5 c; else the two ends."""
    if last is None or last == first:
        return [first]
    if len(first) == len(last) == 1 and first.isalpha() and last.isalpha():  # "litra a-d"
        return [chr(c) for c in range(ord(first), ord(last) + 1)] if first < last else [first, last]
    a, b = first.partition(" "), last.partition(" ")
    if not (a[0].isdigit() and b[0].isdigit()):
        return [first, last]
    if not a[2] and not b[2] and int(b[0]) > int(a[0]) and int(b[0]) - int(a[0]) <= limit:
        return [str(n) for n in range(int(a[0]), int(b[0]) + 1)]
    if a[0] == b[0] and len(b[2]) == 1 and len(a[2]) <= 1 and (a[2] or "a") <= b[2]:
        letters = range(ord(a[2] or "a"), ord(b[2]) + 1)
        return ([] if a[2] else [first]) + [f"{a[0]} {chr(c)}" for c in letters]
    return [first, last]


def _label(text: str) -> str:
    """The label without the quotation marks new wording in an amending act is printed in."""
    return plain(text).strip("»« ")


def _numbers(match: re.Match[str] | None) -> list[str]:
    if match is None:
        return []
    first = danish_number(match.group(1))
    if first is None:
        return []
    last = match.group(2)
    if last and last.isalpha():  # "§§ 160 b-d": the end names only the letter
        last = f"{first.split(' ')[0]} {last}"
    return expand_range(first, danish_number(last) if last else None)


def paragraf_numbers(label: str) -> list[str]:
    """``"§ 79 a."`` → ["79 a"]; ``"§§ 13-15."`` → ["13", "14", "15"]; ``"§ 9 A"`` → ["9 a"]."""
    return _numbers(_PARAGRAF.match(_label(label)))


def stk_numbers(label: str) -> list[str]:
    """``"Stk. 2."`` → ["2"]; ``"Stk. 2-4."`` → ["2", "3", "4"]; ``"Stk."`` → []."""
    return _numbers(_STK.match(_label(label)))


def _arabic(token: str) -> str | None:
    """A kapitel or bilag number in arabic form: ``"IV A"`` → ``"4 a"``, ``"4a"`` → ``"4 a"``."""
    token = plain(token)
    match = re.match(r"^([IVXLC]+)(?:\s?([a-zA-Z]))?$", token)
    if match and roman_to_int(match.group(1)):
        letter = match.group(2)
        return str(roman_to_int(match.group(1))) + (f" {letter.lower()}" if letter else "")
    return danish_number(token)


def kapitel_numbers(label: str) -> list[str]:
    """``"Kapitel 4 a"`` → ["4 a"]; ``"Kapitel IV"`` → ["4"]; ``"1. kapitel"`` → ["1"]."""
    text = _label(label)
    ordinal = _KAPITEL_ORDINAL.match(text)
    if ordinal:
        return [str(int(ordinal.group(1)))]
    match = _KAPITEL.match(text)
    if match is None:
        return []
    first = _arabic(match.group(1))
    last = _arabic(match.group(2)) if match.group(2) else None
    return expand_range(first, last) if first else []


def afsnit_numbers(label: str) -> list[str]:
    """``"Afsnit II"`` → ["II"]; ``"Første afsnit."`` → ["I"]; ``"Afsnit 3"`` → ["III"].

    An afsnit with a letter suffix (``"Afsnit X a"``) has no form the identifiers accept: [].
    """
    text = _label(label)
    match = _AFSNIT.match(text)
    if match:
        token = match.group(1)
        if token.isdigit():
            return [int_to_roman(int(token))] if 0 < int(token) < 400 else []
        return [token.upper()] if roman_to_int(token) else []
    word = _AFSNIT_WORD.match(text)
    if word and word.group(1).lower() in ORDINALS:
        return [int_to_roman(ORDINALS[word.group(1).lower()])]
    return []


def bilag_numbers(label: str, position: int) -> list[str]:
    """``"Bilag 2"`` → ["2"]; ``"Bilag II"`` → ["2"]; ``"Bilag"`` → [position]; else []."""
    match = _BILAG.match(_label(label))
    if match is None:
        return []
    if match.group(1) is None:
        return [str(position)]
    number = _arabic(match.group(1))
    return [number] if number and number[0].isdigit() else []


def list_item(label: str, style: str | None) -> tuple[str, str] | None:
    """A list item's unit: ``("1)", "Nummer")`` → ("nr", "1"); ``("b)", "Litra")`` → ("litra", "b").

    Bullets, roman items and free labels are not units of their own (None): their text stays
    with the unit that holds the list.
    """
    match = _LIST.match(_label(label))
    if match is None or style in ("Pind", "Fri", "Romer"):
        return None
    token = match.group(1)
    if token[0].isdigit():
        number = danish_number(token)
        return ("nr", number) if number and style in (None, "Nummer") else None
    if len(token) == 1 and style in (None, "Litra"):
        return "litra", token.lower()
    return None
