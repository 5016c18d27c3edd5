"""What the finder reports: ``FoundCitation`` with its ``Target`` provisions, and range expansion.

Ranges are expanded without knowing the law (the finder never reads the store):

* plain numbers expand fully: ``§§ 3-5`` → 3, 4, 5; ``stk. 2-4``; ``nr. 1-3``; ``1.-3. pkt.``;
* a letter at the end adds the lettered provisions of the last number from ``a``:
  ``§§ 57-57 c`` → 57, 57 a, 57 b, 57 c; ``§§ 10-12 a`` → 10, 11, 12, 12 a;
* a letter at the start stays with its own number: ``§§ 3 b-3 d`` → 3 b, 3 c, 3 d, but
  ``§§ 3 b-5`` → 3 b, 4, 5 (whether 3 c exists is unknown — the target list notes that);
* letters (``litra a-d``) and roman numerals (``afsnit II-IV``) expand in order;
* a range running backwards, or spanning more than ``MAX_RANGE`` numbers, is not expanded: its
  two ends are kept as targets and a note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields

from graph.identifiers import Step, format_steps

MAX_RANGE = 400
# Levels of a Danish statute in nesting order; a Target has one field per level.
LEVELS: tuple[str, ...] = ("afsnit", "kapitel", "bilag", "paragraf", "stk", "nr", "litra", "pkt")
RANK = {"afsnit": 0, "kapitel": 1, "bilag": 1, "paragraf": 2, "stk": 3, "nr": 4, "litra": 5, "pkt": 6}
LETTERS = "abcdefghijklmnopqrstuvwxyzæøå"
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

CERTAIN = "certain"
INFERRED = "inferred"
UNRESOLVED = "unresolved"


@dataclass(frozen=True)
class Target:
    """One cited provision (or document, or law): absent parts are None; numbers in Danish form.

    ``law`` is a work key, ``document`` an ELI; ``afsnit`` and ``bilag`` come last in the JSON form.
    """

    law: str | None = None
    document: str | None = None
    kapitel: str | None = None
    paragraf: str | None = None
    stk: str | None = None
    nr: str | None = None
    litra: str | None = None
    pkt: str | None = None
    afsnit: str | None = None
    bilag: str | None = None

    def steps(self) -> tuple[Step, ...]:
        """The path below the law, outermost first (kapitel is dropped when a § is given)."""
        parts = [(level, getattr(self, level)) for level in LEVELS if getattr(self, level) is not None]
        if self.paragraf is not None:
            parts = [(level, value) for level, value in parts if level not in ("afsnit", "kapitel")]
        return tuple(Step(level, value) for level, value in parts)

    def to_json(self) -> dict[str, str | None]:
        """The JSON form: every field, absent ones as null."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def __str__(self) -> str:
        law = self.law or self.document or ""
        path = format_steps(self.steps())
        return f"{law} {path}".strip()


@dataclass(frozen=True)
class Range:
    """A range as written ("§§ 64-80"): the part above it, its level and its two ends.

    Kept so that someone who knows the law can add the lettered provisions between the ends
    (§ 70 a), which the text alone cannot tell (see graph.citations.resolution.complete_ranges).
    """

    parent: Target
    level: str
    first: str
    last: str


@dataclass
class FoundCitation:
    """A citation found in running text: where it stands, what it points at, what resolved."""

    text: str
    start: int
    end: int
    targets: list[Target]
    resolved: list[str] = field(default_factory=list)
    law_text: str | None = None
    certainty: str = CERTAIN
    notes: list[str] = field(default_factory=list)
    ranges: list[Range] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        """The JSON form used by ``regelgraf cite``."""
        return {
            "text": self.text, "start": self.start, "end": self.end,
            "targets": [target.to_json() for target in self.targets],
            "resolved": list(self.resolved), "law_text": self.law_text,
            "certainty": self.certainty, "notes": list(self.notes),
        }


# The finder's notes are Danish; these are their English forms (``note_in``).
_NOTES_EN = (
    (re.compile(r"relativ henvisning uden kontekst"), "relative reference without context"),
    (re.compile(r"loven er ikke angivet"), "the law is not named"),
    (re.compile(r"ukendt lov: »(.*)«"), r"unknown law: '\1'"),
    (re.compile(r"interval ikke udfoldet"), "range not expanded"),
    (re.compile(r"bogstavparagraffer efter (.*) er ikke medtaget"), r"lettered provisions after \1 are not included"),
    (re.compile(r"»(.*)« efter (\S+) (.*): de følgende bestemmelser er ikke medtaget"),
     r"'\1' after \2 \3: the provisions that follow are not included"),
)


def note_in(note: str, lang: str) -> str:
    """A finder note in Danish (``da``, as made) or English (``en``)."""
    if lang == "da":
        return note
    for pattern, english in _NOTES_EN:
        if pattern.fullmatch(note):
            return pattern.sub(english, note)
    return note


@dataclass(frozen=True)
class Number:
    """A parsed number of one level: ``57`` with letter ``c``, a litra ``b``, or roman ``II``."""

    value: int | None
    letter: str | None = None
    roman: str | None = None

    def text(self) -> str:
        if self.roman is not None:
            return self.roman
        if self.value is None:
            return self.letter or ""
        return f"{self.value} {self.letter}" if self.letter else str(self.value)


def roman_value(roman: str) -> int:
    """``XIV`` → 14 (the finder only accepts well-formed small numerals)."""
    total = 0
    for char, following in zip(roman, roman[1:] + " "):
        value = _ROMAN[char]
        total += -value if following != " " and _ROMAN[following] > value else value
    return total


def to_roman(value: int) -> str:
    """14 → ``XIV``."""
    out = []
    for amount, symbol in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"),
                           (1, "I")):
        while value >= amount:
            out.append(symbol)
            value -= amount
    return "".join(out)


def expand_range(first: Number, last: Number) -> tuple[list[str], str | None]:
    """The numbers from ``first`` to ``last`` (see the module docstring) and a note if any."""
    if first.roman is not None and last.roman is not None:
        low, high = roman_value(first.roman), roman_value(last.roman)
        if low <= high and high - low <= MAX_RANGE:
            return [to_roman(v) for v in range(low, high + 1)], None
        return [first.text(), last.text()], "interval ikke udfoldet"
    if first.value is None and last.value is None and first.letter and last.letter:
        low, high = LETTERS.find(first.letter), LETTERS.find(last.letter)
        if 0 <= low <= high:
            return list(LETTERS[low:high + 1]), None
        return [first.text(), last.text()], "interval ikke udfoldet"
    if first.value is None or last.value is None or first.roman or last.roman:
        return [first.text(), last.text()], "interval ikke udfoldet"
    if first.value > last.value or last.value - first.value > MAX_RANGE or (
        first.value == last.value and (last.letter is None or (first.letter or "") > last.letter)
    ):
        return [first.text(), last.text()], "interval ikke udfoldet"
    out: list[str] = []
    note = None
    if first.value == last.value:
        start = LETTERS.find(first.letter) if first.letter else -1
        out.append(first.text())
        out.extend(f"{first.value} {letter}" for letter in LETTERS[start + 1:LETTERS.find(last.letter or "a") + 1])
        return out, None
    out.append(first.text())
    if first.letter:
        note = f"bogstavparagraffer efter {first.text()} er ikke medtaget"
    out.extend(str(v) for v in range(first.value + 1, last.value + 1))
    if last.letter:
        out.extend(f"{last.value} {letter}" for letter in LETTERS[:LETTERS.find(last.letter) + 1])
    return out, note
