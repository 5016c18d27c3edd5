"""Free-text search: things whose citation, title, name, summary or provision text holds every word.

The library's search, used by ``regelgraf search`` and the web UI's search page. Words are only
ever bound values, never spliced into query text. Each field's filter sits inside its own branch,
next to the value it tests, so the store filters values before it joins a provision text to its
provision.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal

from graph.namespaces import PREFIXES
from graph.store.base import Store

MAX_WORDS = 8
# Where a match was found, best first: a hit in a citation or title outranks one in running text.
FIELDS = ("citation", "title", "name", "summary", "text")

_PREFIX_BLOCK = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
_BRANCHES = {
    "citation": "?hit rg:citation ?value . FILTER(%s)",
    "title": "?hit eli:title|eli:title_short|rg:popularName|rg:workKey ?value . FILTER(%s)",
    "name": "?hit skos:prefLabel|rdfs:label|rg:kommunekode|rg:billNumber ?value . FILTER(%s)",
    "summary": "?hit rg:summary ?value . FILTER(%s)",
    "text": "?version rg:text ?value . FILTER(%s) ?version eli:is_member_of ?hit .",
}


@dataclass
class Hit:
    """One thing found: its IRI, the fields the words were found in (best first), the values."""

    iri: str
    fields: list[str] = field(default_factory=list)
    matches: dict[str, list[Literal]] = field(default_factory=dict)

    @property
    def rank(self) -> int:
        return min(FIELDS.index(f) for f in self.fields)


def search_words(text: str) -> list[str]:
    """The lower-cased words of a search, at most MAX_WORDS."""
    return [w.casefold() for w in text.replace("\u00a0", " ").split()][:MAX_WORDS]


def search_query(word_count: int) -> str:
    """The SELECT for ``word_count`` words, bound as ?w0, ?w1, … (variable names from positions only)."""
    condition = " && ".join(f"CONTAINS(LCASE(STR(?value)), ?w{i})" for i in range(word_count))
    union = "\n  UNION ".join(f'{{ {_BRANCHES[name] % condition} BIND("{name}" AS ?field) }}' for name in FIELDS)
    return _PREFIX_BLOCK + f"SELECT ?hit ?field ?value WHERE {{\n  {union}\n}}"


def find_text(store: Store, text: str, limit: int = 100) -> tuple[list[Hit], bool]:
    """Hits for every word of ``text`` (best field first, then in store order) and whether the
    answer was cut at ``limit`` hits."""
    words = search_words(text)
    if not words:
        return [], False
    bindings = {f"w{i}": Literal(word) for i, word in enumerate(words)}
    # Several rows can name one hit (a title and a text); five rows a hit is room enough.
    result = store.query(search_query(len(words)), bindings=bindings, limit=limit * 5)
    hits: dict[str, Hit] = {}
    for subject, field_name, value in result.rows:
        hit = hits.setdefault(str(subject), Hit(str(subject)))
        name = str(field_name)
        if name not in hit.fields:
            hit.fields.append(name)
        hit.matches.setdefault(name, []).append(value)  # type: ignore[arg-type]
    for hit in hits.values():
        hit.fields.sort(key=FIELDS.index)
    ordered = sorted(hits.values(), key=lambda h: h.rank)
    return ordered[:limit], len(ordered) > limit or bool(result.truncated)
