"""Plain values from RDF terms, SPARQL text with its prefixes, and labels for IRIs in the reader's language."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier, _is_valid_uri

from graph.namespaces import PREFIXES
from webui.i18n import MESSAGES, format_date, translate

if TYPE_CHECKING:
    from graph.store.base import QueryResult, Store

_PREFIXES = {**PREFIXES, "prov": "http://www.w3.org/ns/prov#"}
# Which property names a thing, best first; a provision's citation beats any label.
LABEL_PROPERTIES = ("rg:citation", "skos:prefLabel", "rdfs:label", "rg:popularName", "eli:title_short", "eli:title", "rg:billNumber")
# A published document is named by its designation ("LBK nr. 1287 af 28. august 2020").
DESIGNATION_PROPERTIES = ("eli:type_document", "eli:number", "eli:date_document")
# Enough for one page of results; more IRIs than this get their fallback label.
MAX_LABELLED = 2000
# Each property's full IRI → its rank (position in LABEL_PROPERTIES + DESIGNATION_PROPERTIES).
_RANK = {_PREFIXES[name.split(":")[0]] + name.split(":")[1]: rank
         for rank, name in enumerate(LABEL_PROPERTIES + DESIGNATION_PROPERTIES)}
CODE_LIST_BASE = PREFIXES["rg"].removesuffix("#") + "/"
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


def sparql(body: str) -> str:
    """The query with PREFIX lines for exactly the prefixes it uses (shorter text parses faster)."""
    outside_iris_and_strings = re.sub(r'<[^<>\s]*>|"(?:[^"\\]|\\.)*"', " ", body)
    used = dict.fromkeys(re.findall(r"(?<![\w:?$])([A-Za-z][\w-]*):", outside_iris_and_strings))
    return "".join(f"PREFIX {p}: <{_PREFIXES[p]}>\n" for p in used if p in _PREFIXES) + body


def plain(term: Identifier | None) -> str | None:
    """An IRI or literal as the text a reader (or a JSON client) sees."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def as_date(term: Identifier | str | None) -> dt.date | None:
    """An xsd:date literal (or its lexical form) as a date; None when it is not one."""
    if term is None:
        return None
    try:
        return dt.date.fromisoformat(str(term)[:10])
    except ValueError:
        return None


def pick_lang(literals: Iterable[Identifier], lang: str) -> str | None:
    """The literal in the reader's language, else Danish, else untagged, else any."""
    by_lang: dict[str, str] = {}
    for literal in literals:
        if isinstance(literal, Literal):
            by_lang.setdefault(literal.language or "", str(literal))
    for wanted in (lang, "da", ""):
        if wanted in by_lang:
            return by_lang[wanted]
    return next(iter(by_lang.values()), None)


def _code_key(iri: str) -> str | None:
    """``code.area.aeldre`` for ``https://regelgraf.dk/def/area/aeldre`` (the i18n key of a code)."""
    if not iri.startswith(CODE_LIST_BASE):
        return None
    parts = iri[len(CODE_LIST_BASE):].split("/")
    return f"code.{parts[0]}.{parts[1]}" if len(parts) == 2 else None


def fallback_label(iri: str, lang: str) -> str:
    """A readable name for an IRI nobody labelled: a known code, else its last path segment."""
    code = _code_key(iri)
    if code and code in MESSAGES[lang]:
        return MESSAGES[lang][code]
    tail = iri.rstrip("/#").rsplit("#", 1)[-1]
    return tail.rsplit("/", 1)[-1] or iri


def labels(store: Store, iris: Iterable[Identifier | str], lang: str) -> dict[str, str]:
    """Labels for many IRIs in one query; every IRI asked for gets an entry."""
    asked = list(dict.fromkeys(str(i) for i in iris if i is not None))
    # Only well-formed absolute IRIs go into VALUES (blank node ids do not); they come from the store.
    wanted = [i for i in asked if _ABSOLUTE.match(i) and _is_valid_uri(i)][:MAX_LABELLED]
    found: dict[str, dict[int, list[Identifier]]] = defaultdict(lambda: defaultdict(list))
    if wanted:
        values = " ".join(URIRef(i).n3() for i in wanted)
        properties = ", ".join(LABEL_PROPERTIES + DESIGNATION_PROPERTIES)
        # The subjects come from VALUES and the properties from FILTER IN, so every lookup starts
        # from a subject. A second VALUES block for the properties made Oxigraph (0.5) switch, from
        # about ten subjects on, to scanning every rg:citation, rdfs:label and eli:title in the
        # store: 14 s for twelve IRIs on the 5.7-million-quad corpus store, 0.03 s this way.
        result = store.query(sparql(f"SELECT ?s ?p ?label WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?label FILTER(?p IN ({properties})) }}"))
        for subject, prop, label in result.rows:
            found[str(subject)][_RANK[str(prop)]].append(label)  # type: ignore[arg-type]
    out = {}
    for iri in asked:
        ranks = found.get(iri, {})
        out[iri] = _designation(ranks, lang) or next(
            (text for rank in sorted(ranks) if rank < len(LABEL_PROPERTIES) and (text := pick_lang(ranks[rank], lang))),
            None) or fallback_label(iri, lang)
    return out


def _designation(ranks: Mapping[int, list[Identifier]], lang: str) -> str | None:
    """``LBK nr. 1287 af 28. august 2020 – serviceloven`` for a document with type, number and date."""
    first = len(LABEL_PROPERTIES)
    parts = [ranks.get(first + i) for i in range(len(DESIGNATION_PROPERTIES))]
    if not all(parts):
        return None
    doctype, number, date = (p[0] for p in parts)  # type: ignore[index]
    designation = translate(lang, "document.designation", type=str(doctype).rsplit("/", 1)[-1],
                            number=str(number), date=format_date(str(date), lang))
    short = pick_lang(list(ranks.get(LABEL_PROPERTIES.index("eli:title_short"), [])) +
                      list(ranks.get(LABEL_PROPERTIES.index("rg:popularName"), [])), lang)
    return f"{designation} – {short}" if short else designation


class Labeller:
    """Hands out ``{"iri", "label"}`` links while a page is built, then labels them all in one query."""

    def __init__(self, store: Store, lang: str):
        self.store = store
        self.lang = lang
        self._pending: list[dict[str, Any]] = []

    def ref(self, iri: Identifier | str | None) -> dict[str, Any] | None:
        """A link to ``iri`` whose label is filled in by :meth:`resolve`; None for no IRI."""
        if iri is None:
            return None
        if isinstance(iri, BNode):  # a blank node has no page to link to
            return {"iri": None, "label": f"_:{iri}"}
        link: dict[str, Any] = {"iri": str(iri), "label": None}
        self._pending.append(link)
        return link

    def label(self, item: dict[str, Any]) -> dict[str, Any]:
        """Have :meth:`resolve` label a dict that carries its own ``iri`` (a list item that is itself a link)."""
        item["label"] = None
        self._pending.append(item)
        return item

    def refs(self, iris: Iterable[Identifier | str | None]) -> list[dict[str, Any]]:
        """Links to each IRI, in the order given, without repeats."""
        return [self.ref(iri) for iri in dict.fromkeys(i for i in iris if i is not None)]  # type: ignore[misc]

    def resolve(self) -> None:
        """Fill in the label of every link handed out so far."""
        names = labels(self.store, [link["iri"] for link in self._pending], self.lang)
        for link in self._pending:
            link["label"] = names[link["iri"]]
        self._pending = []


def rows_as_dicts(result: QueryResult) -> list[dict[str, Identifier | None]]:
    """The rows of a QueryResult as dicts keyed by column (unbound columns map to None)."""
    return [dict(zip(result.columns, row)) for row in result.rows]
