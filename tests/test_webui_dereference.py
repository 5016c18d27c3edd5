"""Our own IRIs dereference with content negotiation: HTML for browsers, RDF for machines."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS

from graph.namespaces import RG
from graph.rdfio import read_rdf
from graph.store import open_store
from webui import create_app

FIXTURES = Path(__file__).parent / "fixtures" / "webui"
BASE = "https://regelgraf.dk/id/"
DECISION = BASE + "kommune/0410/beslutning/par_79a"
PATH = "/id/kommune/0410/beslutning/par_79a"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
RDF_SYNTAXES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt"}


@pytest.fixture(scope="module", params=["oxigraph", "memory", "remote"])
def store(request, tmp_path_factory):
    if request.param == "remote":
        server = request.getfixturevalue("oxigraph_server")
        server.clear()
        opened = server.open()
    else:
        opened = open_store(request.param, location=tmp_path_factory.mktemp("deref-store") if request.param == "oxigraph" else None)
    opened.replace_graphs(read_rdf(FIXTURES / "graph.trig"))
    yield opened
    opened.close()


@pytest.fixture
def client(store):
    return create_app({"REGELGRAF_STORE": store, "REGELGRAF_BASE": BASE, "TESTING": True,
                       "REGELGRAF_QUERIES_DIR": FIXTURES / "queries"}).test_client()


def own_statements(iri: str) -> Graph:
    """Every triple of the fixture whose subject is ``iri`` (what a machine must get back)."""
    expected = Graph()
    for graph in read_rdf(FIXTURES / "graph.trig").values():
        expected += graph.triples((URIRef(iri), None, None))
    return expected


@pytest.mark.parametrize("accept", list(RDF_SYNTAXES))
def test_machines_get_rdf_by_accept(client, accept):
    response = client.get(PATH, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == accept
    assert "Accept" in response.headers["Vary"]
    got = Graph().parse(data=response.get_data(as_text=True), format=RDF_SYNTAXES[accept])
    assert isomorphic(got, own_statements(DECISION))


@pytest.mark.parametrize("suffix, media_type", [("ttl", "text/turtle"), ("jsonld", "application/ld+json"), ("nt", "application/n-triples")])
def test_suffix_and_format_argument_choose_the_syntax(client, suffix, media_type):
    assert client.get(f"{PATH}.{suffix}").mimetype == media_type
    assert client.get(PATH, query_string={"format": suffix}, headers={"Accept": "text/html"}).mimetype == media_type


@pytest.mark.parametrize("accept", [BROWSER, "*/*", "", "text/html", "image/png"])
def test_browsers_get_the_page(client, accept):
    response = client.get(PATH, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "Accept" in response.headers["Vary"]
    assert f'<{PATH}.ttl>; rel="alternate"; type="text/turtle"' in response.headers["Link"]


def test_json_by_accept_is_the_page_twin(client):
    response = client.get(PATH, headers={"Accept": "application/json"})
    assert response.mimetype == "application/json" and response.get_json()["iri"] == DECISION
    preferred = client.get(PATH, headers={"Accept": "text/turtle;q=0.5, application/ld+json"})
    assert preferred.mimetype == "application/ld+json"


def test_qualified_statements_and_blank_nodes_travel_with_the_resource(store, client):
    subject = URIRef(BASE + "kommune/0410/regel/qualified")
    statement, address = BNode(), BNode()
    graph = Graph()
    graph.add((subject, RDF.type, RG.MunicipalRule))
    graph.add((subject, RDFS.label, Literal("Regel med kvalificeret udsagn", lang="da")))
    graph.add((subject, RDFS.seeAlso, address))
    graph.add((address, RDFS.label, Literal("en blank knude")))
    graph.add((statement, RDF.type, RDF.Statement))
    graph.add((statement, RDF.subject, subject))
    graph.add((statement, RDF.predicate, RDFS.label))
    graph.add((statement, RG.certainty, URIRef("https://regelgraf.dk/def/certainty/inferred")))
    name = URIRef(BASE + "graph/source/fixture-qualified")
    store.replace_graphs({name: graph})
    try:
        response = client.get("/id/kommune/0410/regel/qualified.ttl")
        assert isomorphic(Graph().parse(data=response.get_data(as_text=True), format="turtle"), graph)
    finally:
        store.remove_graphs([name])


def test_unknown_iris_are_404_in_every_form(client):
    for headers in ({"Accept": "text/turtle"}, {"Accept": BROWSER}):
        response = client.get("/id/work/nothing-here", headers=headers)
        assert response.status_code == 404 and "Accept" in response.headers["Vary"]
    assert client.get("/id/work/nothing-here.nt").status_code == 404


def test_a_graph_name_dereferences_to_its_self_description(client):
    response = client.get("/id/graph/source/fixture-aftaler", headers={"Accept": "text/turtle"})
    got = Graph().parse(data=response.get_data(as_text=True), format="turtle")
    assert (URIRef(BASE + "graph/source/fixture-aftaler"), RDF.type, URIRef("http://www.w3.org/ns/prov#Entity")) in got
