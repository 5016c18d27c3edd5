"""Our own IRIs (/id/…) for machines: which representation a request asks for, and its RDF.

A browser gets the HTML page; a client that asks for Turtle, JSON-LD or N-Triples (by ``Accept``
or by a ``.ttl``/``.jsonld``/``.nt`` suffix) gets the resource's description in that syntax,
from the same URL — no redirect — with ``Vary: Accept`` so caches keep the forms apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from graph.namespaces import PREFIXES
from webui.labels import sparql

if TYPE_CHECKING:
    from werkzeug.datastructures import MIMEAccept

    from graph.store.base import Store


@dataclass(frozen=True)
class RdfFormat:
    """One RDF syntax a resource is served in."""

    name: str  # the path suffix and ?format= value
    media_type: str
    rdflib_format: str


RDF_FORMATS: dict[str, RdfFormat] = {f.name: f for f in (
    RdfFormat("ttl", "text/turtle", "turtle"),
    RdfFormat("jsonld", "application/ld+json", "json-ld"),
    RdfFormat("nt", "application/n-triples", "nt"),
)}
# Media types a client may ask for, with the representation each selects. HTML comes first so
# that "*/*" (and equal preferences) get the page.
OFFERS: dict[str, str] = {
    "text/html": "html", "application/xhtml+xml": "html", "application/json": "json",
    **{f.media_type: f.name for f in RDF_FORMATS.values()},
}
INCOMING_LIMIT = 1000

# The resource's own statements, the statements of blank nodes it points at, and the
# rdf:Statement nodes that qualify one of its statements (they carry that statement's certainty).
_DESCRIPTION = sparql("""
CONSTRUCT { ?s ?p ?o . ?o ?bp ?bo . ?st ?sp ?so }
WHERE {
  { ?s ?p ?o OPTIONAL { ?o ?bp ?bo FILTER(isBlank(?o)) } }
  UNION { ?st rdf:subject ?s ; ?sp ?so }
}""")
_INCOMING = sparql("CONSTRUCT { ?x ?p ?s } WHERE { ?x ?p ?s }")


def negotiate(accept: MIMEAccept) -> str:
    """``html``, ``json``, ``ttl``, ``jsonld`` or ``nt`` for an Accept header (HTML when nothing fits)."""
    best = accept.best_match(list(OFFERS), default="text/html")
    return OFFERS.get(best or "text/html", "html")


def description(store: Store, iri: URIRef) -> Graph:
    """What the graph says about ``iri``; only what points at it when it says nothing itself."""
    graph = _bound_graph()
    result = store.query(_DESCRIPTION, bindings={"s": iri})
    if result.graph is not None:
        graph += result.graph
    if len(graph) == 0:
        incoming = store.query(_INCOMING, bindings={"s": iri}, limit=INCOMING_LIMIT)
        if incoming.graph is not None:
            graph += incoming.graph
    return graph


def serialize(graph: Graph, fmt: str) -> bytes:
    """The graph in one of RDF_FORMATS, as UTF-8."""
    return graph.serialize(format=RDF_FORMATS[fmt].rdflib_format, encoding="utf-8")


def _bound_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph
