"""References inside the formula sentences of legislation: documents and lists of places.

``document_refs`` finds "lov nr. 1522 af 27. december 2014", "lovbekendtgørelse nr. 806 af 1.
juli 2015" and the like. ``path_lists`` reads lists of places as the drafting conventions write
them — "§ 13, stk. 2, nr. 5, og stk. 3, nr. 5", "§§ 10-12", "stk. 1 og 2", "§ 12, stk. 2, 3.
pkt." — into one step tuple per place, each later item inheriting the levels above it from the
one before. The amendment, hjemmel and consolidation readers are built on these two.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from graph.identifiers import Step, document_iri
from graph.importers.numbering import RANK, expand_range
from graph.importers.text import MONTHS, danish_number, parse_danish_date, plain, roman_to_int

__all__ = ["DocRef", "PlaceList", "document_refs", "path_lists", "DOC_WORDS"]

DOC_WORDS = {"lov": "LOV", "lovbekendtgørelse": "LBK", "lovbekendtgørelsen": "LBK", "bekendtgørelse": "BEK",
             "anordning": "ANO", "cirkulære": "CIR", "vejledning": "VEJ"}
_DOC_REF = re.compile(
    r"\b(?P<word>lovbekendtgørelsen?|bekendtgørelse|lov|anordning|cirkulære|vejledning)\s+nr\.\s*(?P<nr>\d+)"
    r"\s+af\s+(?P<date>\d{1,2}\.\s*(?:" + "|".join(MONTHS) + r")\s+\d{4})",
    re.IGNORECASE,
)
_RANKS = {**RANK, "pkt": 6}
# One component of a place: the kind, then the number (or the number, then "pkt.").
# A letter suffix ("16 b"), but not the preposition "i" ("§ 4 i lov om …") or "og".
_SUFFIX = r"(?:\s?(?!i(?:\s|$))(?!og\b)[a-zæøå](?![a-zæøå]))?"
_COMPONENT = re.compile(
    rf"(?P<par>§§?)\s*(?P<par_n>\d+{_SUFFIX})"
    rf"|(?P<stk>stk(?:s)?\.|stykke)\s*(?P<stk_n>\d+{_SUFFIX})"
    rf"|(?P<nr>nr\.)\s*(?P<nr_n>\d+{_SUFFIX})"
    r"|(?P<litra>litra)\s+(?P<litra_n>[a-zæøå])\b"
    r"|(?P<pkt_n>\d+)\.\s*(?P<pkt>pkt\.|punktum)"
    rf"|(?P<kap>kapitel|kap\.)\s+(?P<kap_n>\d+{_SUFFIX}|[IVXLC]+\b(?:\s?[A-Z]\b)?)"
    r"|(?P<bilag>bilag)\s+(?P<bilag_n>\d+)\b",
    re.IGNORECASE,
)
# "lov nr. 1023" is a document number, not a place.
_DOCUMENT_NUMBER = re.compile(r"(?:lov|lovbekendtgørelse|bekendtgørelse|anordning|cirkulære|vejledning)\s*$",
                              re.IGNORECASE)
_KINDS = (("par", "paragraf"), ("stk", "stk"), ("nr", "nr"), ("litra", "litra"), ("pkt", "pkt"),
          ("kap", "kapitel"), ("bilag", "bilag"))
# Between two items of one list: a comma, "og", "eller", "samt", a range dash.
_JOINER = re.compile(r"\s*(?:,\s*(?:og|eller|samt)?|og|eller|samt|[-–])\s*", re.IGNORECASE)
# "§ 83 stk. 1" without the comma still continues the place.
_BARE_DEEPER = re.compile(r"\s+(?=stk\.|nr\.|litra\b|\d+\.\s*pkt\.)", re.IGNORECASE)
_BARE = re.compile(rf"(\d+{_SUFFIX}|[a-z](?![a-zæøå]))", re.IGNORECASE)


@dataclass(frozen=True)
class DocRef:
    """A reference to a Lovtidende document by type, number and date."""

    doc_type: str  # LOV, LBK, BEK …
    number: str
    date: dt.date
    start: int
    end: int

    @property
    def iri(self):  # type: ignore[no-untyped-def]
        """The official ELI (the year of the document's date is its Lovtidende year)."""
        return document_iri(self.date.year, self.number)

    @property
    def label(self) -> str:
        return f"{self.doc_type.lower() if self.doc_type == 'LOV' else self.doc_type} nr. {self.number} af {self.date:%d.%m.%Y}"


@dataclass(frozen=True)
class PlaceList:
    """The places one list names, and where the list stands in the text."""

    places: tuple[tuple[Step, ...], ...]
    start: int
    end: int


def document_refs(text: str) -> list[DocRef]:
    """Every "lov nr. N af D. måned ÅÅÅÅ" (and lovbekendtgørelse, bekendtgørelse …) in ``text``."""
    refs = []
    for match in _DOC_REF.finditer(text):
        date = parse_danish_date(match.group("date"))
        if date is not None:
            refs.append(DocRef(DOC_WORDS[match.group("word").lower()], match.group("nr").lstrip("0") or "0",
                               date, match.start(), match.end()))
    return refs


def _number(kind: str, raw: str) -> str | None:
    raw = plain(raw)
    if kind == "kapitel" and re.fullmatch(r"[IVXLC]+(?:\s?[A-Z])?", raw):
        roman, _, letter = raw.partition(" ") if " " in raw else (raw.rstrip("ABCDEFGH"), "", raw[len(raw.rstrip("ABCDEFGH")):])
        value = roman_to_int(roman)
        return None if value is None else str(value) + (f" {letter.lower()}" if letter else "")
    if kind == "litra":
        return raw.lower()
    return danish_number(raw)


def _component(match: re.Match[str]) -> tuple[str, str] | None:
    for group, kind in _KINDS:
        if match.group(group):
            number = _number(kind, match.group(f"{group}_n"))
            return (kind, number) if number else None
    return None


def _step(kind: str, number: str) -> Step | None:
    try:
        return Step(kind, number)
    except ValueError:
        return None


def _extend(base: tuple[Step, ...], kind: str, numbers: list[str]) -> list[tuple[Step, ...]]:
    """The places ``base`` + (kind, n) for each n: levels at or below ``kind`` are replaced."""
    kept = tuple(s for s in base if _RANKS[s.kind] < _RANKS[kind])
    out = []
    for number in numbers:
        step = _step(kind, number)
        if step is not None:
            out.append(kept + (step,))
    return out


def path_lists(text: str, context: tuple[Step, ...] = ()) -> list[PlaceList]:
    """Every list of places in ``text``; a list's first item inherits from ``context``."""
    lists = []
    position = 0
    previous_context = context
    while True:
        match = _COMPONENT.search(text, position)
        if match is None:
            return lists
        if match.group("nr") and _DOCUMENT_NUMBER.search(text, max(0, match.start() - 30), match.start()):
            position = match.end()
            continue
        places, end = _read_list(text, match, previous_context)
        if places:
            lists.append(PlaceList(tuple(places), match.start(), end))
            previous_context = places[0]
        position = max(end, match.end())


def _read_list(text: str, first: re.Match[str], context: tuple[Step, ...]) -> tuple[list[tuple[Step, ...]], int]:
    """Read one list starting at ``first``; returns its places and the offset after it."""
    component = _component(first)
    if component is None:
        return [], first.end()
    kind, number = component
    places = _extend(context if kind != "paragraf" else (), kind, [number])
    if not places:
        return [], first.end()
    last_kind, position = kind, first.end()
    while True:
        joiner = _JOINER.match(text, position) or _BARE_DEEPER.match(text, position)
        if joiner is None:
            return places, position
        words = joiner.group(0)
        dash, listed = "-" in words or "–" in words, bool(re.search(r"og|eller|samt", words))
        match = _COMPONENT.match(text, joiner.end())
        component = _component(match) if match is not None else None
        if component is not None:
            kind, number = component
            if dash and kind == last_kind:  # "§§ 10-§ 12" is rare, "stk. 2-stk. 4" too; same rule
                places[-1:] = _range(places[-1], kind, number)
            elif _RANKS[kind] > _RANKS[last_kind] and not listed:
                places[-1:] = _extend(places[-1], kind, [number])  # "§ 5, stk. 2": the same place, deeper
            else:
                places.extend(_extend(places[-1], kind, [number]))  # "…, og stk. 3": a new place
            last_kind, position = kind, match.end()  # type: ignore[union-attr]
            continue
        bare = _BARE.match(text, joiner.end())
        if bare is None or (bare.group(1).isalpha() and last_kind != "litra"):
            return places, position
        number = _number(last_kind, bare.group(1))
        if number is None:
            return places, position
        if dash:
            places[-1:] = _range(places[-1], last_kind, number)  # "§§ 10-12", "stk. 2-4"
        else:
            places.extend(_extend(places[-1], last_kind, [number]))  # "stk. 1 og 2"
        position = bare.end()


def _range(base: tuple[Step, ...], kind: str, last: str) -> list[tuple[Step, ...]]:
    """``base`` ends in (kind, first); the places first … last."""
    first = base[-1].number
    return _extend(base, kind, expand_range(first, last))
