"""The SPARQL 1.1 Service Description of regelgraf's endpoint: what it speaks and what it holds."""

from __future__ import annotations

from collections.abc import Sequence

import rdflib
from rdflib import BNode, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

__all__ = ["service_description", "SD"]

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                   "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")


def service_description(endpoint: str, graph_names: Sequence[URIRef], *, update: bool,
                        row_limit: int, timeout: float, max_body: int) -> rdflib.Graph:
    """The description as an RDF graph: languages, formats, features, limits and the dataset."""
    graph = rdflib.Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service = BNode()
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, URIRef(endpoint)))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if update:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    for name in _RESULT_FORMATS:
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    graph.add((service, SD.defaultEntailmentRegime,
               URIRef("http://www.w3.org/ns/entailment/Simple")))
    writes_da = ("Opdateringer kræver et Bearer-token." if update
                 else "Kun læsning; opdateringer er slået fra.")
    writes_en = "Updates need a bearer token." if update else "Read-only; updates are disabled."
    graph.add((service, RDFS.comment, Literal(
        f"regelgrafs SPARQL-endpoint. Standardgrafen er foreningen af alle navngivne grafer. "
        f"Højst {row_limit} rækker eller tripler pr. svar, {timeout:g} sekunder pr. "
        f"forespørgsel, {max_body} bytes pr. anmodning. SERVICE, LOAD og hentning af FROM-grafer "
        f"afvises; FROM og default-graph-uri nævner lokale grafer. {writes_da}", lang="da")))
    graph.add((service, RDFS.comment, Literal(
        f"regelgraf's SPARQL endpoint. The default graph is the union of all named graphs. At "
        f"most {row_limit} rows or triples per answer, {timeout:g} seconds per query, "
        f"{max_body} bytes per request. SERVICE, LOAD and fetching FROM graphs are refused; FROM "
        f"and default-graph-uri name local graphs. {writes_en}", lang="en")))
    dataset = BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    graph.add((default, RDFS.comment, Literal("Foreningen af alle navngivne grafer", lang="da")))
    graph.add((default, RDFS.comment, Literal("The union of all named graphs", lang="en")))
    for name in graph_names:
        named = BNode()
        graph.add((dataset, SD.namedGraph, named))
        graph.add((named, RDF.type, SD.NamedGraph))
        graph.add((named, SD.name, name))
    return graph
