"""Finding citations in running Danish legal text: ``find_citations(text) -> [FoundCitation]``.

The finder is a small hand-written parser over tokens, started at anchors ("§", "stk.", "nr.",
"litra", "kapitel", "1. pkt.", "lov nr. … af …") that one precompiled regex finds. Each parse
reads forward only, with a lookahead of a few tokens, and the next anchor is searched after the
end of the citation just read — so the time is linear in the length of the text, and no regex
has a nested unbounded quantifier (tests/test_citation_finder.py checks both).

Grammar, informally::

    citation  = [law-before] item {separator item} [[","] "i" law [", jf." document]]
    item      = ("§" | "§§" | "stk." | "nr." | "litra" | "kapitel" | "afsnit" | "bilag") values
              | ordinal {("," | "og" | "eller" | "-") ordinal} "pkt."
    values    = value ["-" value] {("," | "og" | "eller" | ", og") value ["-" value]}
    separator = "," | "og" | "eller" | ", og" | ", jf." ["dog"] | (nothing, before a deeper item)

An item deeper than the one before it refines the last value of that item ("§ 17, stk. 1, nr. 1
og 3, og stk. 3" → § 17, stk. 1, nr. 1; § 17, stk. 1, nr. 3; § 17, stk. 3). A citation starting
below "§" ("stk. 3, nr. 1", "Stk. 3", "jf. dog stk. 4") is relative to the provision it occurs
in (``context``); "jf. stk. 1" right after a single § refines that § ("§ 35, stk. 5, jf. stk. 1, i
lov om planlægning"), while "jf. dog stk. 4" (an exception) stays relative to the context. A law
named before the items (genitive) and one after them split the group at its last new §.

Which law: a genitive ("servicelovens", "lovens", "denne lovs", "samme lovs") or "i …" after the
items (popular name, known title, "denne lov", "lov nr. X af <dato>", "lovbekendtgørelse nr. …")
— see graph.citations.laws. Nothing named means the text's own law (``law_key``). A law-like
phrase naming no law we know is kept as ``law_text`` with the targets' law left empty: never
guessed to be the own law. ``find_citations`` never raises for any ``str``.
"""

from __future__ import annotations

import re

from graph.citations.canonical import Citation, LawIndex
from graph.citations.grammar import ANCHOR, NOT_ITEM_NUMBER, TOKEN, Item, Reader
from graph.citations.laws import (DOCUMENT, NAMED, PREVIOUS, SAME, UNKNOWN, LawNames, LawRef, document_after,
                                  document_at, law_at, law_before)
from graph.citations.model import CERTAIN, INFERRED, RANK, UNRESOLVED, FoundCitation, Range, Target
from graph.citations.text import clean

__all__ = ["find_citations"]

# "(forældelsesloven), jf." or "I kildeskatteloven, jf." before a document: the law it is a version of.
_POPULAR_AT_END = re.compile(
    r"(?:\((?P<paren>[^\W\d_][\w -]{0,60}?lov(?:en)?)\)|\b(?P<word>[^\W\d_][\w-]{0,60}loven))\s*$", re.IGNORECASE)
_LABEL_END = re.compile(r"\.\s+[A-ZÆØÅ»]")


def find_citations(text: str, *, context: Citation | None = None, law_key: str | None = None,
                   document: str | None = None, index: LawIndex | None = None,
                   amendment: bool = False) -> list[FoundCitation]:
    """Every citation in ``text``, in order; relative ones resolved against ``context``.

    ``law_key`` is the work key of the law the text belongs to ("§ 3", "lovens § 3", "denne lov");
    ``document`` the ELI of the document it is in; ``index`` names of laws the store knows.
    ``amendment`` says the text is an amendment instruction ("I § 32, stk. 1, ændres »stk. 6-8«
    til …"): its relative references then resolve against the provision it amends, its first
    citation.
    """
    return _Finder(text, context, law_key, document, index, amendment).run()


class _Finder:
    def __init__(self, text: str, context: Citation | None, law_key: str | None, document: str | None,
                 index: LawIndex | None, amendment: bool = False):
        self.original = text
        self.clean = clean(text)
        self.text = self.clean.text
        self.reader = Reader(self.text)
        self.names = LawNames(index)
        self.law_key = law_key
        if law_key is None and context is not None and context.law:
            self.law_key = self.names.popular_key(context.law)
        self.context = context
        self.document = document
        self.previous: tuple[str | None, str | None] = (self.law_key, document)
        self.clean_end = 0
        self.leading = len(self.text) - len(self.text.lstrip())
        self.amendment = amendment

    def run(self) -> list[FoundCitation]:
        found: list[FoundCitation] = []
        position = 0
        while True:
            anchor = ANCHOR.search(self.text, position)
            if anchor is None:
                return found
            citations = self.citation_at(anchor.start())
            if not citations:
                position = anchor.end()
                continue
            found.extend(citations)
            position = max(self.clean_end, anchor.end())

    def citation_at(self, position: int) -> list[FoundCitation]:
        """The citation(s) starting at ``position``; empty if there is none."""
        reference = document_at(self.text, position, self.names)
        if reference is not None:
            return [self.document_citation(position, reference)]
        first = self.reader.item(position)
        if first is None or (first.level == "nr" and not self.item_number_allowed(position)):
            return []
        if self.is_label(first):
            return []
        items = [first]
        end = first.end
        section = first if first.level == "paragraf" else None
        while True:
            nxt = self.next_item(end, first if len(items) == 1 else items[-1], section)
            if nxt is None or (RANK[first.level] > RANK["paragraf"] and RANK[nxt.level] <= RANK["paragraf"]):
                break  # "stk. 3 og § 5 i lov X": a relative reference and a new § are separate citations
            items.append(nxt)
            end = nxt.end
            section = nxt if nxt.level == "paragraf" else section
        start = position
        before = law_before(self.text, position, self.names) if first.level not in ("pkt",) else None
        law: LawRef | None = None
        if before is not None:
            law, start = before
        after = self.law_after(end)
        if after is not None:
            extra = document_after(self.text, after.end) if after.kind in (NAMED, UNKNOWN, SAME) else None
            if extra is not None:
                after = LawRef(after.kind, after.text, extra.end, after.key, extra.document)
            if law is None:
                law, end = after, after.end
            else:
                # "servicelovens § 83 og § 16 b i dagtilbudsloven": the law after the items names the
                # items from the last new § on; those before keep the law named before them.
                split = next((i for i in range(len(items) - 1, 0, -1) if items[i].level == "paragraf"), None)
                if split is not None:
                    self.clean_end = after.end
                    return [self.build(items[:split], law, start, items[split - 1].end),
                            self.build(items[split:], after, items[split].start, after.end)]
        self.clean_end = end
        return [self.build(items, law, start, end)]

    def is_label(self, item: Item) -> bool:
        """"Stk. 1." opening a text, then a sentence: the heading of the text itself, not a reference."""
        if item.start != self.leading or len(item.values) != 1 or item.level == "pkt":
            return False
        return _LABEL_END.match(self.text, item.end) is not None

    def item_number_allowed(self, position: int) -> bool:
        """"nr." opens a citation unless it numbers a document or case ("forordning nr.", "j.nr.")."""
        if position > 0 and not (self.text[position - 1].isspace() or self.text[position - 1] in "(»,"):
            return False
        words = re.findall(r"[^\W\d_]+", self.text[max(0, position - 30):position])
        return not words or words[-1].casefold() not in NOT_ITEM_NUMBER

    def next_item(self, position: int, previous: Item, section: Item | None) -> Item | None:
        """The next item of the same citation after ``previous`` (``section``: the last § item), or None."""
        reader = self.reader
        comma = reader.punct(position, ",")
        after_comma = comma.end if comma is not None else position
        jf = reader.word(after_comma, "jf")
        dog = None
        if jf is not None:
            dot = reader.punct(jf.end, ".")
            if dot is None:
                return None
            dog = reader.word(dot.end, "dog")
            candidate = dog.end if dog is not None else dot.end
        else:
            conjunction = reader.word(after_comma, "og", "eller")
            candidate = conjunction.end if conjunction is not None else after_comma
        item = reader.item(candidate)
        if item is None:
            return None
        if candidate == position and RANK[item.level] <= RANK[previous.level]:
            return None  # no separator: only a deeper item continues ("§ 83 stk. 1")
        if item.level == "nr" and not self.item_number_allowed(item.start):
            return None
        if jf is not None and RANK[item.level] > RANK["paragraf"]:
            # "§ 35, stk. 5, jf. stk. 1" refines the § just cited; "jf. dog stk. 7" (an exception to the
            # provision the text stands in) and a "jf. stk. 1" after several §§ are relative to the context.
            if dog is not None or section is None or len(section.values) != 1:
                return None
        item.after_jf = jf is not None
        return item

    def law_after(self, position: int) -> LawRef | None:
        """", i lov om social service", " i denne lov", " i lov nr. 1500 af …" after the items."""
        comma = self.reader.punct(position, ",")
        preposition = self.reader.word(comma.end if comma else position, "i")
        if preposition is None:
            return None
        start = TOKEN.match(self.text, preposition.end)
        if start is None:
            return None
        return law_at(self.text, start.end() - len(start.group().lstrip()), self.names)

    def document_citation(self, position: int, reference: LawRef) -> FoundCitation:
        """A document named on its own: "lov nr. 1500 af 23. december 2014"."""
        key = reference.key or self.named_before_document(position)
        self.clean_end = reference.end
        law = LawRef(DOCUMENT, reference.text, reference.end, key, reference.document)
        return self.build([], law, position, reference.end)

    def named_before_document(self, position: int) -> str | None:
        """The law named just before ", jf. lovbekendtgørelse nr. …" ("lov om X (pop), jf.")."""
        window_start = max(0, position - 240)
        head = self.text[window_start:position].rstrip()
        if not head.endswith("jf."):
            return None
        head = head[:-3].rstrip().removesuffix(",").rstrip()
        popular = _POPULAR_AT_END.search(head[-80:])
        if popular is not None:
            return self.names.popular_key(popular.group("paren") or popular.group("word"))
        title = head.casefold().rfind("lov om ")
        if title >= 0:
            found = self.names.title_at(self.text, window_start + title + len("lov om "))
            if found is not None and found[1] == window_start + len(head):
                return found[0]
        return None

    # -- building the targets --------------------------------------------------------------
    def build(self, items: list[Item], law: LawRef | None, start: int, end: int) -> FoundCitation:
        notes = [note for item in items for note in item.notes]
        certainty = INFERRED if notes else CERTAIN
        key, document = self.law_key, self.document
        law_text = None
        if law is not None:
            law_text = law.text
            if law.kind == SAME:
                key, document = self.law_key, self.document
            elif law.kind == PREVIOUS:
                key, document = self.previous
            else:
                key, document = law.key, law.document
                if law.kind == UNKNOWN:
                    notes.append(f"ukendt lov: »{law.text}«")
                self.previous = (key, document)
        prefix: list[tuple[str, str]] = []
        if items and RANK[items[0].level] > RANK["paragraf"] and (law is None or law.kind == SAME):
            if self.context is not None and self.context.steps:
                prefix = [(s.kind, s.number) for s in self.context.steps if RANK.get(s.kind, 0) < RANK[items[0].level]]
                certainty = INFERRED if notes else CERTAIN
            else:
                notes.append("relativ henvisning uden kontekst")
        if key is None and document is None:
            notes.append("loven er ikke angivet" if law is None or law.kind != UNKNOWN else "")
        notes = [n for n in notes if n]
        if any(n.startswith(("ukendt lov", "relativ henvisning uden", "loven er ikke")) for n in notes):
            certainty = UNRESOLVED
        paths, ranges = _paths(items, prefix)
        targets = [Target(law=key, document=document, **dict(path)) for path in paths]
        if not items:
            targets = [Target(law=key, document=document)]
        if self.amendment and targets[0].paragraf is not None:
            # The first citation of an amendment instruction is the place amended; what follows is relative to it.
            self.context = Citation(key, targets[0].steps())
            self.amendment = False
        o_start = self.clean.original_offset(start)
        o_end = self.clean.original_offset(end, end=True)
        found = FoundCitation(self.original[o_start:o_end], o_start, o_end, targets, [], law_text, certainty, notes)
        found.ranges = [Range(Target(law=key, document=document, **dict(parent)), level, first, last)
                        for parent, level, first, last in ranges]
        return found


def _nests(item: Item, previous: Item) -> bool:
    """Whether ``item`` refines the last value of ``previous`` ("§ 3, stk. 2") or is a sibling.

    A § after a kapitel or afsnit, and a kapitel after an afsnit, start a new target: § numbers
    are unique in a law, so "kapitel 5, § 8" lists two things.
    """
    if RANK[item.level] <= RANK[previous.level]:
        return False
    return not (previous.level in ("kapitel", "afsnit") and item.level in ("kapitel", "paragraf"))


def _paths(items: list[Item], prefix: list[tuple[str, str]]) -> tuple[list[list[tuple[str, str]]], list[tuple]]:
    """Leaves of the item tree (each value with the last value of every shallower item before it),
    and each range read with the path above it."""
    paths: list[list[tuple[str, str]]] = []
    ranges: list[tuple] = []  # type: ignore[type-arg]
    stack = list(prefix)
    previous: Item | None = None
    for item in items:
        if previous is not None:
            nests = _nests(item, previous)
            if not nests or item.after_jf:
                paths.append(stack + [(previous.level, previous.values[-1])])
            if nests:
                stack.append((previous.level, previous.values[-1]))
        stack = [(level, value) for level, value in stack if RANK[level] < RANK[item.level]]
        paths.extend(stack + [(item.level, value)] for value in item.values[:-1])
        ranges.extend((list(stack), item.level, first, last) for first, last in item.ranges)
        previous = item
    if previous is not None:
        paths.append(stack + [(previous.level, previous.values[-1])])
    return paths, ranges
