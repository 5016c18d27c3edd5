"""Which law a citation names: popular names, titles, genitives, "denne lov", documents by number.

Everything here reads a bounded stretch of text at a known position, so the finder stays linear.
A law named by popular name or title resolves to a work key — the key the store uses if it has
the law (``LawIndex`` from :func:`graph.resolve.law_index`), else the normalised popular name
(``work_key_for``). A document ("lov nr. 1500 af 23. december 2014") resolves to its ELI in
Lovtidende A (``…/eli/lta/<year of the date>/<number>``): laws, consolidations and the executive
orders that laws cite are published there; the rare order published in Lovtidende B would get
the wrong series, and the store then simply does not resolve it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from graph.citations.canonical import LawIndex, normalise_text
from graph.citations.lawlist import LAWS
from graph.identifiers import document_iri

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
          "november", "december")
_DOCUMENT = re.compile(
    r"(?P<doctype>lovbekendtgørelse|bekendtgørelse|lov|anordning)\s+nr\.\s*(?P<number>\d{1,5})\s+af\s+"
    r"(?P<day>\d{1,2})\.\s*(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})\b",
    re.IGNORECASE,
)
_SAME_LAW = re.compile(r"(?:denne|nærværende)\s+(?:lov|bekendtgørelse)\b|loven\b(?!\s+om\b)|bekendtgørelsen\b",
                       re.IGNORECASE)
_FORMER = re.compile(r"(?:den|de)\s+(?:hidtil|tidligere|dagældende|daværende)(?:\s+gældende)?\s+(?=lov)", re.IGNORECASE)
_UNDATED_DOCUMENT = re.compile(r"(?:lovbekendtgørelse|bekendtgørelse|lov|anordning)\s+nr\.\s*\d{1,5}\b", re.IGNORECASE)
_TITLE_AFTER_DOCUMENT = re.compile(r"\s+om\s+(?!ændring)", re.IGNORECASE)
_PREVIOUS_LAW = re.compile(r"samme\s+lov\b", re.IGNORECASE)
_POPULAR = re.compile(r"[^\W\d_][\w-]{0,60}?lov(?:en)?\b", re.IGNORECASE)
_TITLE_START = re.compile(r"lov\s+om\s+", re.IGNORECASE)
# An unknown title runs to the next punctuation, "§" or "jf." ("m.v." and "m.m." belong to it).
_UNKNOWN_TITLE = re.compile(r"(?:m\.v\.|m\.m\.|[^,;:()»«§.\n])(?:m\.v\.|m\.m\.|[^,;:()»«§.\n]){0,150}")
# Words that end an unknown title rather than belong to it ("lov om X og § 5 …", "lov om X, jf.").
_TRAILING_WORDS = frozenset(("og", "eller", "samt", "jf", "jf.", "i", "som", "der"))
_POPULAR_IN_PARENS = re.compile(r"\s*\((?P<name>[^\W\d_][\w -]{0,60}?lov(?:en)?)\)")
_JF_DOCUMENT = re.compile(r",?\s*jf\.\s*(?=(?:lovbekendtgørelse|bekendtgørelse|lov|anordning)\s+nr\.)", re.IGNORECASE)
# "denne lovs § 3", "samme lovs § 4": the word before "lovs".
_DETERMINER_BEFORE = re.compile(r"\b(denne|samme|nærværende)\s{1,3}$", re.IGNORECASE)
_LOOKBACK = 60

SAME = "same"          # the law the text belongs to
PREVIOUS = "previous"  # the law named last before ("samme lov")
NAMED = "named"        # a law by popular name or title
DOCUMENT = "document"  # a document by number and date
UNKNOWN = "unknown"    # a law-like phrase naming no law we know


@dataclass(frozen=True)
class LawRef:
    """A law named in the text: how it was named, its key and/or document, where it ends."""

    kind: str
    text: str
    end: int
    key: str | None = None
    document: str | None = None


def work_key_for(name: str) -> str:
    """The work key of a law known only by its popular name: ``Dagtilbudsloven`` → ``dagtilbudsloven``."""
    key = normalise_text(name).casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "-", key).strip("-")


class LawNames:
    """Built-in names and titles of common laws, optionally extended by the store's ``LawIndex``."""

    def __init__(self, index: LawIndex | None = None) -> None:
        self.index = index
        self.builtin = _builtin_index()
        self._titles = _builtin_titles()

    def key(self, name: str) -> str | None:
        """The work key a popular name, alias or title means, or None."""
        if self.index is not None:
            key = self.index.lookup(name)
            if key is not None:
                return key
        return self.builtin.lookup(name)

    def popular_key(self, name: str) -> str:
        """A popular name's key: known, or else the normalised name itself."""
        return self.key(name) or work_key_for(name)

    def title_at(self, text: str, position: int) -> tuple[str, int] | None:
        """A known title starting at ``position`` (after "lov om "): its key and end, longest first."""
        match = re.match(r"[^\W\d_][\w-]*", text[position:position + 80])
        if match is None:
            return None
        for pattern, title in self._titles.get(match.group().casefold(), ()):
            found = pattern.match(text, position)
            if found:
                key = self.key(title)
                if key is not None:
                    return key, found.end()
        return None


@functools.cache
def _builtin_index() -> LawIndex:
    index = LawIndex()
    for popular, titles, aliases in _law_lines():
        key = work_key_for(popular)
        index.add_all([popular, *titles, *aliases], key)
    return index


@functools.cache
def _builtin_titles() -> dict[str, list[tuple[re.Pattern[str], str]]]:
    """Titles (without the leading "lov om") by their first word, longest first."""
    by_word: dict[str, list[tuple[re.Pattern[str], str]]] = {}
    for _popular, titles, _aliases in _law_lines():
        for title in titles:
            words = title.split()
            if len(words) < 3 or words[0].casefold() != "lov" or words[1].casefold() != "om":
                continue
            rest = words[2:]
            # Titles are often cited without their closing "m.v." ("lov om taxikørsel").
            optional = rest[-1].casefold() in ("m.v.", "m.m.") and len(rest) > 1
            body = r"\s+".join(map(re.escape, rest[:-1] if optional else rest))
            tail = r"(?:\s+" + re.escape(rest[-1]) + r")?" if optional else ""
            pattern = re.compile(body + tail + r"(?![\w-])", re.IGNORECASE)
            by_word.setdefault(rest[0].casefold(), []).append((pattern, title))
    for entries in by_word.values():
        entries.sort(key=lambda entry: -len(entry[1]))
    return by_word


def _law_lines() -> list[tuple[str, list[str], list[str]]]:
    lines = []
    for line in LAWS.splitlines():
        if not line.strip():
            continue
        popular, titles, aliases = (line.split("\t") + ["", ""])[:3]
        lines.append((popular.strip(), [t for t in titles.split(";") if t.strip()],
                      [a for a in aliases.split(";") if a.strip()]))
    return lines


def document_at(text: str, position: int, names: LawNames | None = None) -> LawRef | None:
    """``lov nr. 1500 af 23. december 2014`` (or lovbekendtgørelse/bekendtgørelse) at ``position``.

    With ``names``, a following "om <known title> (<popular name>)" says which law it is.
    """
    match = _DOCUMENT.match(text, position)
    if match is None:
        return None
    eli = str(document_iri(match.group("year"), match.group("number")))
    titled = _TITLE_AFTER_DOCUMENT.match(text, match.end()) if names is not None else None
    if titled is not None and names is not None:
        known = names.title_at(text, titled.end())
        popular = _POPULAR_IN_PARENS.match(text, known[1]) if known else None
        if known is not None:
            end = popular.end() if popular else known[1]
            return LawRef(DOCUMENT, text[position:end], end, known[0], eli)
    return LawRef(DOCUMENT, match.group(), match.end(), document=eli)


def law_at(text: str, position: int, names: LawNames) -> LawRef | None:
    """The law phrase starting at ``position`` (after "i "), if there is one."""
    former = _FORMER.match(text, position)
    if former is not None:
        # "den hidtil gældende lov om …": an earlier version; known by title it is still that law's work.
        law = law_at(text, former.end(), names)
        if law is None or law.kind in (SAME, PREVIOUS):
            return None
        return LawRef(law.kind, text[position:law.end], law.end, law.key, law.document)
    document = document_at(text, position, names)
    if document is not None:
        return document
    match = _UNDATED_DOCUMENT.match(text, position)
    if match:
        return LawRef(UNKNOWN, match.group(), match.end())  # "lov nr. 487 af." — a document, but which?
    match = _SAME_LAW.match(text, position)
    if match:
        return LawRef(SAME, match.group(), match.end())
    match = _PREVIOUS_LAW.match(text, position)
    if match:
        return LawRef(PREVIOUS, match.group(), match.end())
    match = _TITLE_START.match(text, position)
    if match:
        return _titled_law(text, position, match.end(), names)
    match = _POPULAR.match(text, position)
    if match and match.group().casefold() not in ("lov", "loven"):
        return LawRef(NAMED, match.group(), match.end(), key=names.popular_key(match.group()))
    return None


def _titled_law(text: str, start: int, title_start: int, names: LawNames) -> LawRef:
    """"lov om …": a known title (with its popular name in brackets) or, if unknown, up to punctuation."""
    known = names.title_at(text, title_start)
    if known is not None:
        key, end = known
    else:
        key = None
        unknown = _UNKNOWN_TITLE.match(text, title_start)
        end = unknown.end() if unknown else title_start
        words = [w for w in re.finditer(r"\S+", text[title_start:end])]
        while words and words[-1].group().casefold() in _TRAILING_WORDS:
            words.pop()
        end = title_start + (words[-1].end() if words else 0)
    popular = _POPULAR_IN_PARENS.match(text, end)
    if popular is not None:
        key = key or names.popular_key(popular.group("name"))
        end = popular.end()
    return LawRef(NAMED if key else UNKNOWN, text[start:end], end, key=key)


def document_after(text: str, position: int) -> LawRef | None:
    """", jf. lovbekendtgørelse nr. 1063 af 28. august 2013" right after a law's name."""
    match = _JF_DOCUMENT.match(text, position)
    return document_at(text, match.end()) if match else None


def law_before(text: str, position: int, names: LawNames) -> tuple[LawRef, int] | None:
    """A law named just before a citation ("servicelovens", "lovens", "samme lovs") and its start."""
    end = position
    while end > 0 and text[end - 1].isspace() and position - end < _LOOKBACK:
        end -= 1
    start = end
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-") and end - start < _LOOKBACK:
        start -= 1
    if start == end or end == position:
        return None
    word = text[start:end]
    lowered = word.casefold()
    if lowered in ("lovs", "bekendtgørelses"):
        determiner = _DETERMINER_BEFORE.search(text, max(0, start - 20), start)
        word_before = determiner.group(1).casefold() if determiner else ""
        kind = {"denne": SAME, "nærværende": SAME, "samme": PREVIOUS}.get(word_before)
        if kind is None or (kind == PREVIOUS and lowered != "lovs"):
            return None
        return LawRef(kind, text[determiner.start():end], position), determiner.start()  # type: ignore[union-attr]
    if lowered in ("lovens", "bekendtgørelsens", "lovbekendtgørelsens"):
        return LawRef(SAME, word, position), start
    if lowered.endswith("lovens") and len(lowered) > 6:
        return LawRef(NAMED, word, position, key=names.popular_key(word[:-1])), start
    if lowered.endswith("loven") and len(lowered) > 5:
        return LawRef(NAMED, word, position, key=names.popular_key(word)), start
    return None
