"""Canonical citations of one provision: "servicelovens § 83, stk. 1, nr. 3" → ``Citation(law, steps)``.

This is the basic, canonical form: an optional law name (any alias, also in the genitive), then
the path — ``kapitel 4``, ``§ 16 b``, ``stk. 2``, ``nr. 3``, ``litra a``, ``2. pkt.`` — separated
by commas; or the path first and the law after ``i`` ("§ 2, stk. 4, i lov nr. 2594 af 28.
december 2021"). Ranges ("§§ 91-93", "stk. 1-3") and lists are not citations of *one*
provision and are refused with a message saying so; a later resolver may expand them.

``LawIndex`` maps law names and aliases to work keys, case-insensitively and tolerant of the
genitive, with "did you mean" suggestions — shared by the authoring compiler and resolvers.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from graph.identifiers import Step, format_steps

__all__ = ["Citation", "CitationError", "LawIndex", "parse_citation", "normalise_text", "law_name_variants"]

# Order of the levels: each step must be deeper than the one before it.
_RANK = {"afsnit": 0, "kapitel": 1, "bilag": 1, "paragraf": 2, "stk": 3, "nr": 4, "litra": 5, "pkt": 6}
# Characters the published texts contain that must not change a citation's meaning.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
# "§" starts the place wherever it stands ("serviceloven§83"); the words only after a space.
_PATH_START = re.compile(r"§|(?:^|(?<=[\s,(]))(?:kapitel\b|kap\.|bilag\b|afsnit\b)", re.IGNORECASE)
# A letter suffix ("16 b") — but not the word "i"/"og" that starts the rest ("§ 83 i serviceloven").
_NUMBER = r"\d+(?:\s?(?!i\s+\S)(?!og\b)[a-zæøå]{1,2}\b)?"
_COMPONENT = re.compile(
    r"""\s*(?:
        (?P<par>§)\s*(?P<par_n>""" + _NUMBER + r""")
      | (?:kapitel|kap\.)\s*(?P<kap_n>""" + _NUMBER + r"""|[IVXLC]+\b)
      | afsnit\s+(?P<afsnit_n>[IVXLC]+\b|\d+\b)
      | bilag\s+(?P<bilag_n>\d+\b)
      | stk\.\s*(?P<stk_n>\d+(?:\s?(?!i\s+\S)(?!og\b)[a-z]\b)?)
      | nr\.\s*(?P<nr_n>""" + _NUMBER + r""")
      | litra\s+(?P<litra_n>[a-zæøå]\b)
      | (?P<pkt_n>\d+)\.\s*pkt\.
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_GROUP_KIND = {"par_n": "paragraf", "kap_n": "kapitel", "afsnit_n": "afsnit", "bilag_n": "bilag",
               "stk_n": "stk", "nr_n": "nr", "litra_n": "litra", "pkt_n": "pkt"}


class CitationError(ValueError):
    """Text that is not a citation of one provision; says where and how to write it instead."""

    def __init__(self, text: str, offset: int, message: str, fix: str, message_en: str, fix_en: str):
        self.text = text
        self.offset = offset
        self.message = message
        self.fix = fix
        self.message_en = message_en
        self.fix_en = fix_en
        super().__init__(f"{message} — {fix}")

    def render(self, lang: str = "da") -> str:
        """The message and fix in Danish (``da``) or English (``en``)."""
        return f"{self.message} — {self.fix}" if lang == "da" else f"{self.message_en} — {self.fix_en}"


@dataclass(frozen=True)
class Citation:
    """One parsed citation: the law as written (or None) and the path of steps below it."""

    law: str | None
    steps: tuple[Step, ...]

    def path_text(self) -> str:
        """The canonical printed path, e.g. ``§ 83, stk. 1, nr. 3``."""
        return format_steps(self.steps)

    def __str__(self) -> str:
        return f"{self.law} {self.path_text()}" if self.law else self.path_text()


def normalise_text(text: str) -> str:
    """Remove soft hyphens and zero-width characters; turn every kind of space into one space."""
    return _SPACES.sub(" ", text.translate(_INVISIBLE)).strip()


def _number(raw: str, kind: str) -> str:
    """Danish number form: "16b" and "16 B" become "16 b"; letters lower-case."""
    raw = raw.strip()
    if kind in ("kapitel", "afsnit") and re.fullmatch(r"[IVXLC]+", raw):
        return raw
    match = re.fullmatch(r"(\d+)\s?([a-zæøåA-ZÆØÅ]{1,2})?", raw)
    if match:
        return match.group(1) + (f" {match.group(2).lower()}" if match.group(2) else "")
    return raw.lower()


def _error(text: str, offset: int, message: tuple[str, str], fix: tuple[str, str]) -> CitationError:
    return CitationError(text, offset, message[0], fix[0], message[1], fix[1])


_EXAMPLE = "serviceloven § 83, stk. 1, nr. 3"


def parse_citation(text: str) -> Citation:
    """Parse one canonical citation; raises CitationError naming the offending part."""
    original = text
    text = normalise_text(text)
    if not text:
        raise _error(original, 0, ("tom henvisning", "empty citation"),
                     (f"skriv en henvisning som »{_EXAMPLE}«", f"write a citation such as '{_EXAMPLE}'"))
    start = _PATH_START.search(text)
    if start is None:
        raise _error(original, 0, (f"»{text}« indeholder hverken § eller kapitel", f"'{text}' contains neither § nor kapitel"),
                     (f"skriv lovens navn efterfulgt af stedet, fx »{_EXAMPLE}«",
                      f"write the law's name followed by the place, e.g. '{_EXAMPLE}'"))
    law_before = text[: start.start()].strip().rstrip(",").strip() or None
    steps, position = _parse_path(text, start.start())
    rest = text[position:].strip()
    law_after = None
    if rest:
        match = re.fullmatch(r",?\s*i\s+(.+)", rest, re.IGNORECASE)
        if match is None:
            raise _error(original, position, (f"kan ikke læse »{rest}« efter »{format_steps(steps)}«",
                                              f"cannot read '{rest}' after '{format_steps(steps)}'"),
                         ("en henvisning peger på én bestemmelse: § … , stk. …, nr. …, litra …, … pkt.; "
                          "intervaller (»stk. 1-3«) og opremsninger (»§§ 5 og 6«) skrives som flere henvisninger",
                          "a citation names one provision: § …, stk. …, nr. …, litra …, … pkt.; ranges ('stk. 1-3') "
                          "and lists ('§§ 5 og 6') are written as several citations"))
        law_after = match.group(1).strip()
    if law_before and law_after:
        raise _error(original, position, ("loven er nævnt både før og efter stedet", "the law is named both before and after the place"),
                     ("nævn loven én gang, fx »serviceloven § 83« eller »§ 83 i serviceloven«",
                      "name the law once, e.g. 'serviceloven § 83' or '§ 83 i serviceloven'"))
    return Citation(law_before or law_after, steps)


def _parse_path(text: str, position: int) -> tuple[tuple[Step, ...], int]:
    """Read comma-separated components from ``position``; return the steps and where they end."""
    steps: list[Step] = []
    while True:
        if text.startswith("§§", position) or re.match(r"\s*§\s*" + _NUMBER + r"\s*[-–]", text[position:]):
            raise _error(text, position, ("»§§« og intervaller angiver flere bestemmelser", "'§§' and ranges name several provisions"),
                         ("skriv én henvisning pr. bestemmelse, fx »§ 91« og »§ 92«",
                          "write one citation per provision, e.g. '§ 91' and '§ 92'"))
        match = _COMPONENT.match(text, position)
        if match is None:
            got = text[position:].strip() or "(ingenting)"
            raise _error(text, position, (f"forventede §, stk., nr., litra, pkt. eller kapitel, men fandt »{got}«",
                                          f"expected §, stk., nr., litra, pkt. or kapitel but found '{got}'"),
                         (f"skriv stedet som »§ 83, stk. 1, nr. 3« eller »kapitel 4«",
                          "write the place as '§ 83, stk. 1, nr. 3' or 'kapitel 4'"))
        group = next(name for name in _GROUP_KIND if match.group(name))
        kind = _GROUP_KIND[group]
        number = _number(match.group(group), kind)
        if steps and _RANK[kind] <= _RANK[steps[-1].kind]:
            raise _error(text, match.start(), (f"»{kind}« kan ikke stå efter »{steps[-1].kind}«",
                                               f"'{kind}' cannot follow '{steps[-1].kind}'"),
                         ("skriv leddene i rækkefølgen kapitel, §, stk., nr., litra, pkt.",
                          "write the parts in the order kapitel, §, stk., nr., litra, pkt."))
        try:
            steps.append(Step(kind, number))
        except ValueError:
            raise _error(text, match.start(), (f"»{number}« er ikke et gyldigt nummer for {kind}", f"'{number}' is not a valid {kind} number"),
                         ("brug danske numre som »2«, »16 b« eller »a« (litra)", "use Danish numbers such as '2', '16 b' or 'a' (litra)")) from None
        position = match.end()
        after = re.match(r"\s*,\s*(?=(?:stk\.|nr\.|litra\b|\d+\.\s*pkt\.|§))", text[position:], re.IGNORECASE)
        if after is None:
            if re.match(r"\s*[-–]\s*\d", text[position:]):
                raise _error(text, position, ("intervaller angiver flere bestemmelser", "ranges name several provisions"),
                             ("skriv én henvisning pr. bestemmelse", "write one citation per provision"))
            # "§ 83 stk. 1" without the comma is common in practice; accept it.
            bare = re.match(r"\s+(?=(?:stk\.|nr\.|litra\b|\d+\.\s*pkt\.))", text[position:], re.IGNORECASE)
            if bare is None:
                return tuple(steps), position
            position += bare.end()
        else:
            position += after.end()


def law_name_variants(name: str) -> list[str]:
    """Lower-cased lookup forms of a law name: as written, and without a genitive -s."""
    key = normalise_text(name).casefold()
    variants = [key]
    if key.endswith("s") and len(key) > 3:
        variants.append(key[:-1])
    return variants


class LawIndex:
    """Law names and aliases → work keys, case-insensitive and genitive-tolerant."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._display: dict[str, str] = {}

    def add(self, name: str, key: str) -> str | None:
        """Register ``name`` for ``key``; returns the other key if the name already meant another law."""
        lookup = normalise_text(name).casefold()
        previous = self._names.get(lookup)
        if previous is not None and previous != key:
            return previous
        self._names[lookup] = key
        self._display.setdefault(lookup, normalise_text(name))
        return None

    def add_all(self, names: Iterable[str], key: str) -> list[tuple[str, str]]:
        """Register several names; returns (name, other key) for each clash."""
        clashes = []
        for name in names:
            other = self.add(name, key)
            if other is not None:
                clashes.append((name, other))
        return clashes

    def lookup(self, name: str) -> str | None:
        """The work key a name means, or None."""
        for variant in law_name_variants(name):
            if variant in self._names:
                return self._names[variant]
        return None

    def suggestions(self, name: str, n: int = 3) -> list[str]:
        """The known names closest to ``name``."""
        lookup = normalise_text(name).casefold()
        close = difflib.get_close_matches(lookup, list(self._names), n=n, cutoff=0.5)
        return [self._display[c] for c in close]

    def names(self) -> list[str]:
        """Every registered name as first written."""
        return sorted(self._display.values())

    def __contains__(self, name: str) -> bool:
        return self.lookup(name) is not None
