"""The grammar of citations in running text: tokens, items ("§ 3", "stk. 2-4", "1. og 2. pkt.") and values.

``Reader`` reads forward from a position of the clean text with a lookahead of a few tokens;
each method returns what it read and where it ended, or None. The finder strings items together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from graph.citations.model import LETTERS, Number, expand_range

# The lookahead's character class lets the regex engine skip most positions at once; the
# alternatives spell out their capitals instead of IGNORECASE, which is 2-3 times slower here.
ANCHOR = re.compile(
    r"(?=[§SsNnPpLlKkAaBb0-9])(?:§"
    r"|\b(?:[Ss]tk|STK|[Nn]r|NR|[Pp]kt|PKT)\."
    r"|\b(?:[Ll]itra|[Kk]apitel|[Kk]apitlerne|[Kk]ap\.|[Aa]fsnit|[Bb]ilag)(?![\w-])"
    r"|\b\d{1,3}\.(?=\s{0,3}(?:pkt\.|og\s|eller\s|[-–]|,))"
    r"|\b(?:[Ll]ovbekendtgørelse|[Bb]ekendtgørelse|[Ll]ov|LOV|[Aa]nordning)\s{1,3}nr\.)"
)
# Words and numbers are read in bounded pieces, so peeking at a token never reads a whole long run.
TOKEN = re.compile(r"\s*(?:(?P<sec>§§?)|(?P<num>\d{1,9})|(?P<word>[^\W\d_]{1,40})|(?P<punct>[^\s\w]|_))")
_ROMAN = re.compile(r"[IVXLC]{1,7}")
_KEYWORD_LEVEL = {"stk": "stk", "nr": "nr", "litra": "litra", "kapitel": "kapitel", "kapitlerne": "kapitel",
                  "kap": "kapitel", "afsnit": "afsnit", "bilag": "bilag"}
_NEEDS_DOT = {"stk", "nr", "kap"}
_DASHES = {"-", "–", "‑"}
# Words after a number that make it a quantity, not a provision ("stk. 2 og 3 uger").
_UNIT_WORDS = frozenset("""dage dag uger uge måneder måned år timer time kr procent pct gange personer
    minutter mio mia millioner milliarder børn elever kalenderdage hverdage""".split())
# Words before "nr." that make it a document or case number, not an item of a list.
NOT_ITEM_NUMBER = frozenset("""forordning forordningen direktiv direktivet lov loven bekendtgørelse
    lovbekendtgørelse cirkulære vejledning beslutning konvention afgørelse sag journal meddelelse
    eu ef eøf euratom skrivelse aktstykke anordning kendelse dom tillæg rettelse j""".split())


class Token(NamedTuple):
    """One token: kind (sec, num, word, punct), its text, where it starts and where the match ends."""

    kind: str
    text: str
    start: int
    end: int
    lower: str


@dataclass
class Item:
    level: str
    values: list[str]
    start: int
    end: int
    notes: list[str] = field(default_factory=list)
    after_jf: bool = False  # "§ 26, jf. stk. 4": the item before stays a target of its own
    ranges: list[tuple[str, str]] = field(default_factory=list)  # (first, last) of each range read


def next_token(text: str, position: int) -> Token | None:
    match = TOKEN.match(text, position)
    if match is None or match.lastgroup is None:
        return None
    kind = match.lastgroup
    value = match.group(kind)
    return Token(kind, value, match.start(kind), match.end(), value.casefold() if kind == "word" else value)


class Reader:
    """Reads items, values and separators forward from a position of the clean text."""

    def __init__(self, text: str):
        self.text = text
        # Where the last list of ordinals that did not end in "pkt." ran: a later start inside it
        # fails the same way, so it is not read again (keeps "2., 3., 4., …" linear).
        self._failed_ordinals = (0, 0)
        self._tokens: dict[int, Token | None] = {}

    def token(self, position: int) -> Token | None:
        """The token at ``position`` (after spaces); read once, then remembered."""
        try:
            return self._tokens[position]
        except KeyError:
            tok = self._tokens[position] = next_token(self.text, position)
            return tok

    def punct(self, position: int, chars: str | set[str]) -> Token | None:
        tok = self.token(position)
        return tok if tok is not None and tok.kind == "punct" and tok.text in chars else None

    def word(self, position: int, *words: str) -> Token | None:
        tok = self.token(position)
        return tok if tok is not None and tok.kind == "word" and tok.lower in words else None

    # -- items ---------------------------------------------------------------------------
    def item(self, position: int) -> Item | None:
        """One item at ``position``: a level keyword with its values, or an ordinal list + "pkt."."""
        tok = self.token(position)
        if tok is None:
            return None
        if tok.kind == "sec":
            level, after = "paragraf", tok.end
        elif tok.kind == "word" and tok.lower in _KEYWORD_LEVEL:
            level, after = _KEYWORD_LEVEL[tok.lower], tok.end
            if tok.lower in _NEEDS_DOT:
                dot = self.punct(after, ".")
                if dot is None or dot.start != after:
                    return None
                after = dot.end
        elif tok.kind == "num":
            return self.ordinals(tok)
        else:
            return None
        values = self.values(level, after)
        if values is None:
            return None
        numbers, notes, end, ranges = values
        return Item(level, numbers, tok.start, end, notes, ranges=ranges)

    def ordinals(self, first: Token) -> Item | None:
        """"1. pkt.", "1. og 2. pkt.", "1.-3. pkt.", "2., 3. og 5. pkt."."""
        if self._failed_ordinals[0] <= first.start < self._failed_ordinals[1]:
            return None
        numbers: list[str] = []
        notes: list[str] = []
        tok: Token | None = first
        position = first.start
        while tok is not None and tok.kind == "num" and len(tok.text) <= 3:
            dot = self.punct(tok.end, ".")
            if dot is None or dot.start != tok.end:
                return self._no_ordinals(first, tok.end)
            position = dot.end
            dash = self.punct(position, _DASHES)
            if dash is not None:
                last = self.token(dash.end)
                last_dot = self.punct(last.end, ".") if last is not None and last.kind == "num" else None
                if last is None or last_dot is None:
                    return self._no_ordinals(first, dash.end)
                expanded, note = expand_range(Number(int(tok.text)), Number(int(last.text)))
                numbers.extend(expanded)
                notes.extend([note] if note else [])
                position = last_dot.end
            else:
                numbers.append(str(int(tok.text)))
            separator = self.list_separator(position)
            if separator is None:
                break
            tok = self.token(separator)
            if tok is None or tok.kind != "num":
                break
            position = separator
        pkt = self.word(position, "pkt")
        dot = self.punct(pkt.end, ".") if pkt is not None else None
        if pkt is None or dot is None:
            return self._no_ordinals(first, position)
        return Item("pkt", numbers, first.start, dot.end, notes)

    def _no_ordinals(self, first: Token, end: int) -> None:
        self._failed_ordinals = (first.start, end)
        return None

    def list_separator(self, position: int) -> int | None:
        """After "," / "og" / "eller" / ", og" / ", eller": the position after it, else None."""
        comma = self.punct(position, ",")
        if comma is not None:
            position = comma.end
        conjunction = self.word(position, "og", "eller")
        if conjunction is not None:
            return conjunction.end
        return position if comma is not None else None

    # -- values --------------------------------------------------------------------------
    def values(self, level: str, position: int) -> tuple[list[str], list[str], int, list[tuple[str, str]]] | None:
        """The values of an item (numbers, ranges, lists), notes, its end and its ranges; None if no value."""
        numbers: list[str] = []
        notes: list[str] = []
        ranges: list[tuple[str, str]] = []
        first = True
        while True:
            value = self.value(level, position, first_of_item=first)
            if value is None:
                if first:
                    return None
                break
            number, end = value
            dash = self.punct(end, _DASHES)
            last = None
            if dash is not None:
                after = dash.end
                if level == "paragraf":
                    section = self.token(after)
                    if section is not None and section.kind == "sec":
                        after = section.end
                last = self.value(level, after, first_of_item=False) or self.letter_range_end(number, after)
            if last is not None:
                expanded, note = expand_range(number, last[0])
                numbers.extend(expanded)
                notes.extend([note] if note else [])
                ranges.append((number.text(), last[0].text()))
                end = last[1]
            else:
                numbers.append(number.text())
            following = self.following(end)
            if following is not None:
                notes.append(f"»{following[0]}« efter {level} {numbers[-1]}: de følgende bestemmelser er ikke medtaget")
                end = following[1]
            position = end
            first = False
            separator = self.list_separator(position)
            if separator is None or not self.continues_list(level, separator):
                break
            position = separator
        return numbers, notes, position, ranges

    def continues_list(self, level: str, position: int) -> bool:
        """Whether a list goes on at ``position`` with another value of the same level."""
        value = self.value(level, position, first_of_item=False)
        if value is None:
            return False
        if level != "litra":
            number = self.token(position)
            if number is not None and number.kind == "num" and self.ordinals(number) is not None:
                return False  # "stk. 1, 2. pkt." — the number is an ordinal of a pkt item
            tok = self.token(value[1])
            if tok is not None and tok.kind == "word" and tok.lower in _UNIT_WORDS:
                return False
        return True

    def following(self, position: int) -> tuple[str, int] | None:
        """"ff." or "f." (and the following) right after a value."""
        tok = self.word(position, "ff", "f")
        if tok is None:
            return None
        dot = self.punct(tok.end, ".")
        return (tok.text + ".", dot.end) if dot is not None and dot.start == tok.end else None

    def value(self, level: str, position: int, *, first_of_item: bool) -> tuple[Number, int] | None:
        """One number of ``level`` at ``position`` and where it ends."""
        tok = self.token(position)
        if tok is None:
            return None
        if level == "litra":
            if tok.kind == "word" and len(tok.text) == 1 and tok.lower in LETTERS:
                return Number(None, tok.lower), tok.end
            return None
        if level in ("afsnit", "kapitel") and tok.kind == "word" and _ROMAN.fullmatch(tok.text):
            return Number(None, roman=tok.text), tok.end
        if tok.kind != "num" or len(tok.text) > 5:
            return None
        after = self.text[tok.end:tok.end + 2]
        if after[:1] == "/" or (after[:1] in ".," and after[1:2].isdigit()):
            return None  # "nr. 1234/2013", "3.1", "2,5" are not provision numbers
        if level == "pkt":
            return None
        letter = self.letter(tok.end) if level in ("paragraf", "stk", "nr", "kapitel", "bilag") else None
        if letter is not None:
            return Number(int(tok.text), letter[0]), letter[1]
        return Number(int(tok.text)), tok.end

    def letter(self, position: int) -> tuple[str, int] | None:
        """The letter of "16 b", "16b", "9 B" — not the word "i", "f." (and following) or "A-skat"."""
        tok = self.token(position)
        if tok is None or tok.kind != "word" or len(tok.text) != 1 or tok.lower not in "abcdefghijklmnopqrstuvwxyz":
            return None
        if tok.start - position > 1 or "\n" in self.text[position:tok.start]:
            return None
        after = self.token(tok.end)
        if after is None:
            return tok.lower, tok.end
        if tok.text in ("i", "I", "f") and (after.kind in ("word", "num", "sec") or (after.text == "." and tok.text == "f")):
            return None  # "§ 3 i lov …", "§ 11 f." (and the following)
        if after.text in _DASHES and after.start == tok.end and tok.text.isupper():
            return None  # "§ 46 A-skat"
        return tok.lower, tok.end

    def letter_range_end(self, number: Number, position: int) -> tuple[Number, int] | None:
        """"§§ 69 b-e": a bare letter ending a range that starts with a lettered number."""
        tok = self.token(position)
        if number.letter is None or tok is None or tok.kind != "word" or len(tok.text) != 1:
            return None
        if tok.lower not in "abcdefghijklmnopqrstuvwxyz" or tok.lower <= number.letter:
            return None
        return Number(number.value, tok.lower), tok.end
