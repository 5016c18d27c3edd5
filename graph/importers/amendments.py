"""Amending acts: which act a change applies to, and which provisions each instruction touches.

An amending paragraph opens with the act it changes — "I lov om aktiv socialpolitik, jf.
lovbekendtgørelse nr. 806 af 1. juli 2015, som ændret ved …, foretages følgende ændringer:" —
and each numbered change is one instruction in the drafting conventions' fixed phrases:

* "I § 5, stk. 2, ændres »…« til: »…«", "§ 8 affattes således:", "Overskriften til kapitel 4 …"
  → the places named change;
* "§ 3 ophæves.", "§§ 10-12 ophæves.", "Kapitel 5 ophæves." → the places are repealed (a
  repealed "pkt." is a change of its stk.);
* "Efter § 16 a indsættes:" → the inserted units (their numbers come from the new wording);
  "I § 11 indsættes som stk. 3-5:" → § 11, stk. 3-5.

Quoted wording (»…«) is never read as a place: it is text of the amended act, not a reference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.identifiers import Step
from graph.importers.model import Unit
from graph.importers.numbering import RANK
from graph.importers.references import DocRef, document_refs, path_lists
from graph.importers.text import plain

__all__ = ["Instruction", "AmendedAct", "parse_instruction", "amended_act", "CHANGE", "REPEAL", "INSERT"]

CHANGE, REPEAL, INSERT = "change", "repeal", "insert"
_QUOTED = re.compile(r"»[^«]*«?")
_RENUMBERED = re.compile(r",?\s*der\s+(?:bliver|blev)\s+(?:§|stk\.|nr\.|litra)[^,:]*,?", re.IGNORECASE)
_INSERTED_AS = re.compile(r"\bsom\s+(?:nye?\s+)?(?=§|stk\.|nr\.|litra|kapitel|bilag|\d+\.\s*pkt)", re.IGNORECASE)
_ANCHOR = re.compile(r"\b(?:efter|før)\s+(?=§|stk\.|nr\.|litra|kapitel|bilag)", re.IGNORECASE)
_MOVED_UP = re.compile(r",?\s+og\s+(?:§|stk\.|nr\.|litra)[^,]*?\bbliver\s+herefter\b.*$", re.IGNORECASE)
_RENUMBERING = re.compile(r"\s*(?:§§?|stk\.|nr\.|litra)\s*[\w\s,–-]*?\bbliver\s+herefter\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=\.)\s+(?=[A-ZÆØÅ§])")
_AMENDED_BY = re.compile(r",?\s*(?:som\s+)?(?:senest\s+)?ændret\s+ved\b", re.IGNORECASE)
_RANKS = {**RANK, "pkt": 6}


@dataclass(frozen=True)
class Instruction:
    """What one amendment instruction does and to which places (steps below the amended act)."""

    action: str  # CHANGE, REPEAL or INSERT
    places: tuple[tuple[Step, ...], ...]


@dataclass(frozen=True)
class AmendedAct:
    """The act an amending paragraph changes: its name as written and the documents it cites."""

    name: str | None  # "lov om aktiv socialpolitik", "sundhedsloven"; None when given only by number
    documents: tuple[DocRef, ...]  # the version(s) amended ("jf. lovbekendtgørelse nr. 806 af …")


def _without_pkt(place: tuple[Step, ...]) -> tuple[Step, ...]:
    return tuple(s for s in place if s.kind != "pkt")


def parse_instruction(text: str, new_units: list[Unit] | None = None) -> Instruction | None:
    """The action and places of one instruction; None when it names no place ("Lovens titel …")."""
    clean = _RENUMBERED.sub(",", _QUOTED.sub("»«", plain(text)))
    # "Stk. 4-6 bliver herefter stk. 3-5." renumbers; it changes nothing the instruction names.
    sentences = [s for s in _SENTENCE.split(clean) if not _RENUMBERING.match(s)]
    clean = _MOVED_UP.sub("", " ".join(sentences))
    lists = path_lists(clean)
    if not lists:
        return None
    lowered = clean.lower()
    places = [p for found in lists for p in found.places]
    if re.search(r"\bophæves\b|\budgår\b", lowered) and "indsættes" not in lowered and "ændres" not in lowered:
        action = REPEAL if all(s.kind != "pkt" for p in places for s in p) else CHANGE
        return Instruction(action, _distinct(places))
    if "indsættes" in lowered:
        inserted_as = _INSERTED_AS.search(clean)
        named = [found for found in lists if inserted_as is not None and found.start >= inserted_as.end()]
        if named:  # "I § 11 indsættes som stk. 3-5"
            return Instruction(INSERT, _distinct(named[0].places))
        anchor = _ANCHOR.search(clean)
        anchored = [found for found in lists if anchor is not None and found.start >= anchor.end()]
        if anchored and new_units:  # "Efter § 16 a indsættes:" + the numbers of the new wording
            base = anchored[0].places[-1]
            made = []
            for unit in new_units:
                kept = tuple(s for s in base if _RANKS[s.kind] < _RANKS.get(unit.kind, 9))
                try:
                    made.append(kept + (Step(unit.kind, unit.number),))
                except ValueError:
                    continue
            if made:
                return Instruction(INSERT, _distinct(made))
    return Instruction(CHANGE, _distinct(places))


def _distinct(places: list[tuple[Step, ...]] | tuple[tuple[Step, ...], ...]) -> tuple[tuple[Step, ...], ...]:
    """The places without their "pkt." (a sentence is not a unit of its own here), once each."""
    return tuple(dict.fromkeys(p for p in (_without_pkt(p) for p in places) if p))


def amended_act(intro: str) -> AmendedAct | None:
    """The act an amending paragraph's opening sentence names, or None if it names none."""
    text = plain(intro)
    match = re.search(r"\b(?:I|i)\s+(?P<rest>(?:lov|lovbekendtgørelse|bekendtgørelse|anordning)\b.*|[\w-]*lov(?:en|s)?\b.*)", text)
    if match is None or "foretages" not in text and "ændres" not in text and "affattes" not in text:
        return None
    rest = match.group("rest")
    head = _AMENDED_BY.split(rest, maxsplit=1)[0]
    head = re.split(r",?\s*foretages\b", head, maxsplit=1)[0]
    documents = tuple(document_refs(head))
    name_part = re.split(r",|\s+jf\.", head, maxsplit=1)[0].strip()
    if documents and documents[0].start == 0:  # "I lov nr. 1522 af 27. december 2014 om …"
        title = re.match(r"\s*om\s+(.+)", head[documents[0].end:])
        name = ("lov om " + re.split(r",|\s+jf\.", title.group(1), maxsplit=1)[0].strip()) if title else None
    else:
        name = name_part or None
    return AmendedAct(name, documents)
