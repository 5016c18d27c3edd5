"""Turning what people type (a kommunekode, a name, a citation) into the IRIs of the graph.

Every lookup is a bound SPARQL query against the store; nothing typed is spliced into query
text. A miss is a ResolveError carrying the nearest matches ("did you mean …").
"""

from __future__ import annotations

import difflib
import re

from rdflib import Graph, Literal, URIRef

from graph.citations import CitationError, LawIndex, parse_citation
from graph.identifiers import provision_iri, work_iri
from graph.namespaces import AREA, PREFIXES
from graph.store.base import Store
from graph.store.cache import StoreCache

_PREFIX_BLOCK = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
AREA_CODES = {"dagtilbud": "dagtilbud", "folkeskole": "folkeskole", "aeldre": "aeldre", "ældre": "aeldre"}


class ResolveError(LookupError):
    """Nothing (or more than one thing) matched; ``suggestions`` lists the nearest candidates."""

    def __init__(self, message: str, suggestions: list[str] | None = None):
        self.message = message
        self.suggestions = suggestions or []
        hint = f" Mente du: {', '.join(self.suggestions)}?" if self.suggestions else ""
        super().__init__(message + hint)


def _is_iri(text: str) -> bool:
    return bool(re.match(r"^https?://\S+$", text.strip()))


def _exists(store: Store, iri: URIRef) -> bool:
    return bool(store.query(_PREFIX_BLOCK + "ASK { ?s ?p ?o }", bindings={"s": iri}).boolean)


def resolve_municipality(store: Store, text: str) -> URIRef:
    """A municipality by IRI, kommunekode ("217" or "0217") or name ("Helsingør", "Helsingør Kommune")."""
    text = text.strip()
    if _is_iri(text):
        if _exists(store, URIRef(text)):
            return URIRef(text)
        raise ResolveError(f"ukendt kommune-IRI <{text}>")
    rows = store.query(
        _PREFIX_BLOCK
        + """SELECT ?m ?code ?name ?label WHERE {
               ?m a rg:Municipality ; rg:kommunekode ?code .
               OPTIONAL { ?m skos:prefLabel ?name } OPTIONAL { ?m rdfs:label ?label } }"""
    ).rows
    wanted = text.casefold().removesuffix(" kommune").strip()
    for iri, code, name, label in rows:
        if text.isdigit() and str(code) == text.zfill(4):
            return iri
        names = {str(n).casefold().removesuffix(" kommune").strip() for n in (name, label) if n is not None}
        if wanted in names:
            return iri
    known = sorted({str(r[2] or r[3]) for r in rows})
    raise ResolveError(f"ingen kommune hedder eller har koden {text!r}", difflib.get_close_matches(text, known, n=3, cutoff=0.5))


def resolve_area(text: str) -> URIRef:
    """A welfare area by its code (dagtilbud, folkeskole, aeldre/ældre) or IRI."""
    text = text.strip()
    if text.startswith(str(AREA)):
        text = text.removeprefix(str(AREA))
    code = AREA_CODES.get(text.casefold())
    if code is None:
        raise ResolveError(f"ukendt velfærdsområde {text!r}", sorted(set(AREA_CODES.values())))
    return AREA[code]


def law_index(store: Store) -> LawIndex:
    """Every name a law work is known by (key, popular name, aliases, titles) → its work key.

    Kept per store while its write counter (Store.generation) stands still: reading the names
    of the ~1,900 laws of a national store costs about a second, and every citation needs them.
    A store without a counter (a remote endpoint) is read each time.
    """
    return _LAW_INDEXES.get(store)


def _read_law_index(store: Store) -> LawIndex:
    """The law-name index read from the store (one query)."""
    rows = store.query(
        _PREFIX_BLOCK
        + """SELECT ?key ?name WHERE { ?w a rg:LawWork ; rg:workKey ?key .
               { ?w rg:workKey ?name } UNION { ?w rg:popularName ?name } UNION { ?w skos:altLabel ?name }
               UNION { ?w eli:title ?name } UNION { ?w eli:title_short ?name } }"""
    ).rows
    index = LawIndex()
    for key, name in rows:
        index.add(str(name), str(key))
    return index


_LAW_INDEXES: StoreCache[LawIndex] = StoreCache(_read_law_index, lambda store: getattr(store, "generation", None))


def resolve_provision(store: Store, text: str) -> URIRef:
    """A provision by IRI or Danish citation ("serviceloven § 83, stk. 1, nr. 3")."""
    text = " ".join(text.replace("\u00a0", " ").split())
    if _is_iri(text):
        if _exists(store, URIRef(text)):
            return URIRef(text)
        raise ResolveError(f"ukendt bestemmelse <{text}>")
    # The citation as stored, looked up by value (an index hit). Other spellings are parsed below;
    # a case-blind FILTER over every citation took 13–16 s on the 5.7-million-quad corpus store.
    exact = store.query(
        _PREFIX_BLOCK + "SELECT DISTINCT ?p WHERE { ?p rg:citation ?wanted ; a rg:Provision }",
        bindings={"wanted": Literal(text)},
    ).rows
    if len(exact) == 1:
        return exact[0][0]
    try:
        citation = parse_citation(text)
    except CitationError as error:
        raise ResolveError(f"{text!r} er ikke en henvisning regelgraf kan læse: {error}") from None
    index = law_index(store)
    work_key = index.lookup(citation.law) if citation.law else None
    if work_key is None:
        raise ResolveError(f"ukendt lov {citation.law!r} i {text!r}", index.suggestions(citation.law or ""))
    iri = provision_iri(work_key, citation.steps)
    if _exists(store, iri):
        return iri
    # Suggestions come from the same law: every citation of a national store is too many to compare.
    known = [str(r[0]) for r in store.query(
        _PREFIX_BLOCK + "SELECT DISTINCT ?c WHERE { ?p eli:is_part_of+ ?w ; rg:citation ?c }",
        bindings={"w": work_iri(work_key)}).rows]
    raise ResolveError(f"bestemmelsen {text!r} findes ikke i grafen", difflib.get_close_matches(text, known, n=3, cutoff=0.6))


def reference_context(store: Store) -> Graph:
    """What authored files may refer to that is already in the store: laws, provisions, municipalities.

    Lets a user build one new agreement file against a store that already holds the laws.
    """
    result = store.query(
        _PREFIX_BLOCK
        + """CONSTRUCT { ?s ?p ?o } WHERE {
               VALUES ?type {
                 rg:LawWork rg:Provision rg:Municipality rg:WelfareAgreement rg:ExemptionPossibility
                 rg:Bill eli:LegalResource }
               ?s a ?type ; ?p ?o . }"""
    )
    return result.graph if result.graph is not None else Graph()
