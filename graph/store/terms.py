"""Conversion between rdflib terms (the store interface) and pyoxigraph terms (the engine).

pyoxigraph's constructors validate IRIs, language tags and blank-node labels, and its
serialisers escape correctly, so every term written by any backend passes through here:
an invalid term is refused before anything is written, and no text is ever spliced raw.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

from graph.store.errors import InvalidDataError

__all__ = [
    "Term", "to_ox", "from_ox", "to_sparql", "graph_quads", "json_term", "ox_quads_to_rdflib",
]

Term = URIRef | Literal | BNode
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_MEMO_LIMIT = 200_000


def to_ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term; ValueError when it is not valid RDF."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise ValueError(f"not an RDF term: {term!r} ({type(term).__name__})")


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Term | None:
    """The rdflib term for a pyoxigraph term; xsd:string literals become plain literals."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        # RDF 1.1 makes "x" and "x"^^xsd:string one term; rdflib compares them as different.
        if datatype in (_XSD_STRING, _LANG_STRING):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise ValueError(f"unsupported term from the store: {term!r}")


def to_sparql(term: Term) -> str:
    """The term in SPARQL/N-Triples syntax, validated and escaped by pyoxigraph."""
    return str(to_ox(term))


def graph_quads(mapping: Mapping[URIRef, rdflib.Graph]) -> Iterator[ox.Quad]:
    """Every triple of every graph as a pyoxigraph quad in the named graph it is keyed by."""
    # IRIs repeat (predicates, classes, subjects); building a pyoxigraph IRI validates it,
    # which costs more than a dict lookup, so converted IRIs and blank nodes are remembered.
    seen: dict[URIRef | BNode, ox.NamedNode | ox.BlankNode] = {}

    def convert(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, Literal):
            return to_ox(term)
        found = seen.get(term)
        if found is None:
            if len(seen) >= _MEMO_LIMIT:
                seen.clear()
            found = seen[term] = to_ox(term)  # type: ignore[assignment]
        return found

    for iri, graph in mapping.items():
        name = graph_name(iri)
        if not isinstance(graph, rdflib.Graph):
            raise InvalidDataError(str(iri), repr(graph), "the value must be an rdflib.Graph")
        for triple in graph.triples((None, None, None)):
            try:
                s, p, o = (convert(t) for t in triple)
                yield ox.Quad(s, p, o, name)
            except (ValueError, TypeError) as exc:
                bad = next((t for t in triple if not _valid(t)), triple)
                raise InvalidDataError(str(iri), _show(bad), str(exc)) from exc


def graph_name(iri: object) -> ox.NamedNode:
    """A named-graph name; only IRIs name graphs in this project."""
    if not isinstance(iri, URIRef):
        raise InvalidDataError(str(iri), repr(iri), "a named graph must be named by a URIRef")
    try:
        return ox.NamedNode(str(iri))
    except ValueError as exc:
        raise InvalidDataError(str(iri), f"<{iri}>", str(exc)) from exc


def ox_quads_to_rdflib(quads: Iterable[ox.Quad], identifier: URIRef) -> rdflib.Graph:
    """An rdflib graph holding the triples of pyoxigraph quads."""
    graph = rdflib.Graph(identifier=identifier)
    for quad in quads:
        graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return graph


def json_term(term: Term) -> dict[str, str]:
    """A term in SPARQL 1.1 Query Results JSON form."""
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    out = {"type": "literal", "value": str(term)}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
        out["datatype"] = str(term.datatype)
    return out


def _valid(term: object) -> bool:
    try:
        to_ox(term)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return False
    return True


def _show(term: object) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal | BNode):
        return term.n3() if _valid(term) else repr(str(term))
    return repr(term)
