"""graph.protocol and graph.service_description: request parsing, negotiation, serialisation."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from graph.protocol import (
    GRAPH_FORMATS, RESULT_FORMATS, ProtocolError, best_match, choose_format, parse_request,
    serialize,
)
from graph.service_description import SD, service_description
from graph.store.result import QueryResult, graph_result

FORM = "application/x-www-form-urlencoded"
G1, G2 = "http://example.org/g1", "http://example.org/g2"


# -- parse_request ----------------------------------------------------------------------------

def test_get_query_with_a_dataset():
    parsed = parse_request("GET", None, [("query", "ASK {}"), ("default-graph-uri", G1),
                                         ("named-graph-uri", G1), ("named-graph-uri", G2)], b"")
    assert (parsed.operation, parsed.text) == ("query", "ASK {}")
    assert parsed.default_graphs == (URIRef(G1),)
    assert parsed.named_graphs == (URIRef(G1), URIRef(G2))


def test_no_dataset_parameters_means_no_dataset():
    parsed = parse_request("GET", None, [("query", "ASK {}")], b"")
    assert parsed.default_graphs is None and parsed.named_graphs is None


def test_form_post_reads_the_body_and_the_url():
    body = "query=SELECT%20%3Fs%20%7B%7D&named-graph-uri=http%3A%2F%2Fexample.org%2Fg2".encode()
    parsed = parse_request("POST", FORM + "; charset=UTF-8", [("default-graph-uri", G1)], body)
    assert parsed.text == "SELECT ?s {}"
    assert parsed.default_graphs == (URIRef(G1),) and parsed.named_graphs == (URIRef(G2),)


def test_form_post_update_with_using_graphs():
    body = b"update=CLEAR+ALL&using-graph-uri=" + G1.encode() + b"&using-named-graph-uri=" + G2.encode()
    parsed = parse_request("POST", FORM, [], body)
    assert (parsed.operation, parsed.text) == ("update", "CLEAR ALL")
    assert parsed.default_graphs == (URIRef(G1),) and parsed.named_graphs == (URIRef(G2),)


@pytest.mark.parametrize("media, operation", [("application/sparql-query", "query"),
                                              ("application/sparql-update", "update")])
def test_direct_post(media, operation):
    parsed = parse_request("POST", f"{media}; charset=utf-8", [], "ASK { ?s ?p \"æøå\" }".encode())
    assert parsed.operation == operation and parsed.text == 'ASK { ?s ?p "æøå" }'


def test_get_without_a_query_asks_for_the_service_description():
    assert parse_request("GET", None, [], b"").operation == "service"
    assert parse_request("HEAD", None, [("format", "jsonld")], b"").format == "jsonld"


@pytest.mark.parametrize("method, content_type, args, body, status, words", [
    ("PUT", FORM, [("query", "ASK {}")], b"", 405, "PUT"),
    ("DELETE", None, [], b"", 405, "DELETE"),
    ("GET", None, [("query", "ASK {}"), ("query", "SELECT * {}")], b"", 400, "more than one"),
    ("GET", None, [("update", "CLEAR ALL")], b"", 400, "POST"),
    ("POST", FORM, [], b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT", 400, "more than one"),
    ("POST", FORM, [], b"query=ASK%7B%7D&update=CLEAR%20ALL", 400, "more than one"),
    ("POST", "application/sparql-query", [("query", "ASK {}")], b"ASK {}", 400, "more than one"),
    ("POST", "text/plain", [], b"ASK {}", 415, "text/plain"),
    ("POST", None, [], b"query=ASK%20%7B%7D", 415, "none"),
    ("POST", "application/sparql-query; charset=UTF-16", [], "ASK {}".encode("utf-16"), 415, "utf-16"),
    ("POST", "application/sparql-update", [], b"CLEAR \xff ALL", 400, "UTF-8"),
    ("POST", FORM, [], b"query=%FF", 400, "UTF-8"),
    ("POST", FORM, [], b"format=json", 400, "no query"),
    ("GET", None, [("query", "  ")], b"", 400, "empty"),
    ("GET", None, [("default-graph-uri", G1)], b"", 400, "no query"),
    ("GET", None, [("query", "ASK {}"), ("default-graph-uri", "data0.rdf")], b"", 400, "absolute IRI"),
    ("GET", None, [("query", "ASK {}"), ("using-graph-uri", G1)], b"", 400, "belongs to an update"),
    ("POST", "application/sparql-update", [("named-graph-uri", G1)], b"CLEAR ALL", 400,
     "belongs to a query"),
])
def test_bad_requests_get_the_protocols_status(method, content_type, args, body, status, words):
    with pytest.raises(ProtocolError) as caught:
        parse_request(method, content_type, args, body)
    error = caught.value
    assert error.status == status
    assert words.lower() in error.messages["en"].lower(), error.messages["en"]
    assert error.messages["da"] and error.messages["da"] != error.messages["en"]
    if status == 405:
        assert error.headers["Allow"] == "GET, POST"


# -- negotiation ------------------------------------------------------------------------------

OFFERS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]


@pytest.mark.parametrize("accept, expected", [
    (None, "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
    ("TEXT/CSV", "text/csv"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("application/sparql-results+xml;q=0.1, */*;q=0.2", "application/sparql-results+json"),
    ("*/*;q=0.1, text/csv", "text/csv"),
    ("text/*", "text/csv"),
    ("application/*;q=0.3, text/csv;q=0.2", "application/sparql-results+json"),
    ("*/*, application/sparql-results+json;q=0", "application/sparql-results+xml"),
    ("text/html", None),
    ("text/csv;q=0", None),
    ("text/csv;q=oops", None),
    ("garbage", None),
])
def test_best_match_honours_q_values_and_specificity(accept, expected):
    assert best_match(accept, OFFERS) == expected


@pytest.mark.parametrize("kind, accept, param, expected", [
    ("select", None, None, "json"),
    ("select", "application/json", None, "json"),
    ("select", "text/xml", None, "xml"),
    ("select", "text/*", None, "csv"),
    ("select", "text/tab-separated-values", None, "tsv"),
    ("select", "text/csv", "xml", "xml"),  # the parameter wins
    ("select", "text/csv", "nonsense", "csv"),  # an unknown parameter is ignored
    ("ask", "text/csv", None, None),
    ("ask", "text/csv, */*;q=0.1", None, "json"),
    ("construct", None, None, "turtle"),
    ("construct", "application/sparql-results+json", None, None),
    ("construct", "application/n-triples", None, "ntriples"),
    ("construct", "application/json", None, "jsonld"),
    ("describe", "application/rdf+xml", None, "rdfxml"),
    ("describe", None, "rdf+xml", "rdfxml"),
    ("service", "application/ld+json", None, "jsonld"),
    ("service", "text/html,application/xhtml+xml,*/*;q=0.8", None, "turtle"),
])
def test_choose_format(kind, accept, param, expected):
    chosen = choose_format(kind, accept, param)
    assert (chosen.name if chosen else None) == expected


def test_every_format_declares_utf8():
    assert all(f.content_type.endswith("; charset=utf-8") for f in RESULT_FORMATS + GRAPH_FORMATS)


# -- serialisation ----------------------------------------------------------------------------

ROWS = QueryResult("select", ("s", "label", "n", "b"), (
    (URIRef("http://example.org/a"), Literal("æ <&> \"q\"\ttab\nline", lang="da"),
     Literal("7", datatype=XSD.integer), BNode("b0")),
    (URIRef("http://example.org/b"), Literal("plain"), None, None),
))


def fmt(name):
    return next(f for f in RESULT_FORMATS + GRAPH_FORMATS if f.name == name)


@pytest.mark.parametrize("name", ["xml", "tsv", "json"])
def test_select_results_read_back_by_pyoxigraph(name):
    answer = ox.parse_query_results(serialize(ROWS, fmt(name)),
                                    ox.QueryResultsFormat.from_media_type(fmt(name).media_type))
    assert [v.value for v in answer.variables] == list(ROWS.columns)
    rows = [[s[v] for v in answer.variables] for s in answer]
    assert str(rows[0][1]) == str(ox.Literal("æ <&> \"q\"\ttab\nline", language="da"))
    assert rows[0][2] == ox.Literal("7", datatype=ox.NamedNode(str(XSD.integer)))
    assert isinstance(rows[0][3], ox.BlankNode)
    assert rows[1][0] == ox.NamedNode("http://example.org/b") and rows[1][2] is None


def test_csv_results():
    rows = list(csv.reader(io.StringIO(serialize(ROWS, fmt("csv")).decode("utf-8"))))
    assert rows[0] == ["s", "label", "n", "b"]
    assert rows[1] == ["http://example.org/a", "æ <&> \"q\"\ttab\nline", "7", "_:b0"]
    assert rows[2] == ["http://example.org/b", "plain", "", ""]


@pytest.mark.parametrize("name", ["json", "xml"])
def test_ask_results(name):
    for value in (True, False):
        body = serialize(QueryResult("ask", boolean=value), fmt(name))
        answer = ox.parse_query_results(body, ox.QueryResultsFormat.from_media_type(fmt(name).media_type))
        assert bool(answer) is value
    assert json.loads(serialize(QueryResult("ask", boolean=True), fmt("json"))) == {"head": {}, "boolean": True}


@pytest.mark.parametrize("name, rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"),
                                                 ("jsonld", "json-ld"), ("rdfxml", "xml")])
def test_graph_results_in_every_format(name, rdflib_format):
    triples = [(URIRef("http://example.org/a"), RDF.type, URIRef("http://example.org/T")),
               (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("æ", lang="da")),
               (BNode("x"), URIRef("http://example.org/n"), Literal(3))]
    result = graph_result("construct", triples, None)
    read = rdflib.Graph().parse(data=serialize(result, fmt(name)), format=rdflib_format)
    assert isomorphic(read, result.graph)


def test_turtle_declares_only_prefixes_it_uses():
    result = graph_result("construct", [(URIRef("https://regelgraf.dk/def#x"), RDF.type,
                                         URIRef("http://data.europa.eu/eli/ontology#Work"))], None)
    text = serialize(result, fmt("turtle")).decode()
    assert "@prefix rg:" in text and "@prefix eli:" in text and "@prefix skos:" not in text


def test_service_description():
    graph = service_description("http://127.0.0.1:5000/sparql", [URIRef(G1), URIRef(G2)],
                                update=False, row_limit=7, timeout=2.5, max_body=99)
    service = next(graph.subjects(RDF.type, SD.Service))
    assert graph.value(service, SD.endpoint) == URIRef("http://127.0.0.1:5000/sparql")
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    assert len(set(graph.objects(service, SD.resultFormat))) == 8
    dataset = graph.value(service, SD.defaultDataset)
    names = {graph.value(n, SD.name) for n in graph.objects(dataset, SD.namedGraph)}
    assert names == {URIRef(G1), URIRef(G2)}
    comments = {c.language: str(c) for c in graph.objects(service, rdflib.RDFS.comment)}
    assert "7" in comments["en"] and "2.5" in comments["da"] and "Read-only" in comments["en"]
    writable = service_description("http://h/sparql", [], update=True, row_limit=1, timeout=1,
                                   max_body=1)
    assert SD.SPARQL11Update in set(writable.objects(None, SD.supportedLanguage))
