"""/sparql in the web app: negotiation, errors, datasets, service description, updates and their
token, limits, guard refusals over HTTP, and real clients (SPARQLWrapper, rdflib's SPARQLStore).

Most tests run on every backend (the `store` fixture); the live ones go over real HTTP."""

from __future__ import annotations

import csv
import io
import json
import threading
import time

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib import Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from graph.cli import cli
from graph.service_description import SD
from graph.store import open_store
from graph.store.deadline import running_late
from live_server import served
from test_sparql_guard import listener  # noqa: F401  (the fixture: a recording HTTP server)
from webui import create_app

EX = Namespace("http://example.org/")
G1, G2 = EX.g1, EX.g2
TOKEN = "endpoint-test-token-0123456789abcdef"
SELECT = f"PREFIX ex: <{EX}> SELECT ?s ?label WHERE {{ ?s ex:label ?label }} ORDER BY ?s"
CONSTRUCT = f"PREFIX ex: <{EX}> CONSTRUCT {{ ?s ex:label ?label }} WHERE {{ ?s ex:label ?label }}"


def data() -> dict[URIRef, rdflib.Graph]:
    one, two = rdflib.Graph(), rdflib.Graph()
    one.add((EX.a, EX.label, Literal("alfa", lang="da")))
    one.add((EX.a, EX.n, Literal(1)))
    two.add((EX.b, EX.label, Literal("beta, \"b\"")))
    return {G1: one, G2: two}


def expected_rows() -> list[tuple[str, str]]:
    return [(str(EX.a), "alfa"), (str(EX.b), 'beta, "b"')]


@pytest.fixture
def filled(store):
    store.replace_graphs(data())
    return store


def make_app(store, **config):
    return create_app({"REGELGRAF_STORE": store, **config})


@pytest.fixture
def client(filled):
    return make_app(filled).test_client()


@pytest.fixture
def writer(filled):
    """A client of an app with updates allowed."""
    app = make_app(filled, REGELGRAF_ALLOW_UPDATE=True, REGELGRAF_UPDATE_TOKEN=TOKEN)
    return app.test_client()


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def media(response) -> str:
    return response.headers["Content-Type"].split(";")[0]


def rows_of(response) -> list[tuple[str, str]]:
    """(s, label) rows of a SELECT answer in whichever of the four formats it came."""
    kind, body = media(response), response.get_data()
    if kind == "text/csv":
        return [tuple(r) for r in list(csv.reader(io.StringIO(body.decode())))[1:]]
    answer = ox.parse_query_results(body, ox.QueryResultsFormat.from_media_type(kind))
    return [(s["s"].value, s["label"].value) for s in answer]


# -- queries and content negotiation ----------------------------------------------------------

@pytest.mark.parametrize("accept, expected", [
    (None, "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("text/csv;q=0.4, application/sparql-results+xml;q=0.8, */*;q=0.1",
     "application/sparql-results+xml"),
])
def test_select_in_every_result_format(client, accept, expected):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": SELECT}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert media(response) == expected and "charset=utf-8" in response.headers["Content-Type"]
    assert response.headers["Vary"] == "Accept"
    assert rows_of(response) == expected_rows()


def test_post_form_and_post_direct_give_the_same_answer(client):
    via_get = client.get("/sparql/", query_string={"query": SELECT}).get_json()
    form = client.post("/sparql/", data={"query": SELECT})
    direct = client.post("/sparql", data=SELECT.encode(),
                         content_type="application/sparql-query; charset=utf-8")
    assert form.status_code == direct.status_code == 200
    assert form.get_json() == direct.get_json() == via_get


def test_ask_answers_json_or_xml_and_406_for_csv(client):
    query = {"query": f"ASK {{ <{EX.a}> ?p ?o }}"}
    assert client.get("/sparql", query_string=query).get_json() == {"head": {}, "boolean": True}
    xml = client.get("/sparql", query_string=query, headers={"Accept": "application/sparql-results+xml"})
    assert "<boolean>true</boolean>" in xml.get_data(as_text=True)
    refused = client.get("/sparql", query_string=query, headers={"Accept": "text/csv"})
    assert refused.status_code == 406 and "JSON, XML" in refused.get_data(as_text=True)


@pytest.mark.parametrize("accept, rdflib_format", [
    (None, "turtle"), ("text/turtle", "turtle"), ("application/n-triples", "nt"),
    ("application/ld+json", "json-ld"), ("application/rdf+xml", "xml"),
])
def test_construct_in_every_graph_format(client, accept, rdflib_format):
    headers = {"Accept": accept} if accept else {}
    response = client.get("/sparql", query_string={"query": CONSTRUCT}, headers=headers)
    assert response.status_code == 200
    got = rdflib.Graph().parse(data=response.get_data(), format=rdflib_format)
    want = rdflib.Graph()
    want += [(s, p, o) for g in data().values() for s, p, o in g if p == EX.label]
    assert isomorphic(got, want)


def test_describe_and_a_graph_result_refusing_results_formats(client):
    response = client.get("/sparql", query_string={"query": f"DESCRIBE <{EX.a}>"})
    assert media(response) == "text/turtle"
    assert (EX.a, EX.n, Literal(1)) in rdflib.Graph().parse(data=response.get_data(), format="turtle")
    refused = client.get("/sparql", query_string={"query": CONSTRUCT},
                         headers={"Accept": "application/sparql-results+json"})
    assert refused.status_code == 406 and "Turtle" in refused.get_data(as_text=True)


def test_format_parameter_overrides_accept(client):
    response = client.get("/sparql", query_string={"query": SELECT, "format": "csv"},
                          headers={"Accept": "application/sparql-results+json"})
    assert media(response) == "text/csv"


# -- datasets ---------------------------------------------------------------------------------

def test_default_graph_uri_narrows_the_default_graph(client):
    response = client.get("/sparql", query_string={"query": SELECT, "default-graph-uri": str(G2)})
    assert rows_of(response) == [(str(EX.b), 'beta, "b"')]


def test_named_graph_uri_chooses_the_named_graphs(client):
    query = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = client.get("/sparql", query_string=[("query", query), ("named-graph-uri", str(G1))])
    assert {b["g"]["value"] for b in response.get_json()["results"]["bindings"]} == {str(G1)}
    default = client.get("/sparql", query_string=[("query", SELECT), ("named-graph-uri", str(G1))])
    assert rows_of(default) == []  # only named graphs given: the default graph is empty


def test_from_names_a_local_graph(client):
    query = SELECT.replace("WHERE", f"FROM <{G1}> WHERE")
    assert rows_of(client.get("/sparql", query_string={"query": query})) == [(str(EX.a), "alfa")]


def test_a_relative_dataset_iri_is_400(client):
    response = client.get("/sparql", query_string={"query": SELECT, "default-graph-uri": "g1"})
    assert response.status_code == 400 and "absolute IRI" in response.get_data(as_text=True)


# -- errors -----------------------------------------------------------------------------------

def test_a_syntax_error_is_400_in_danish_and_english(client):
    response = client.get("/sparql", query_string={"query": "SELECT ?s WHERE {\n  ?s ?p\n}"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and media(response) == "text/plain"
    assert "syntaksfejl i linje 2" in text and "syntax error at line 2" in text
    assert text.index("syntaksfejl") < text.index("syntax error")
    english = client.get("/sparql", query_string={"query": "SELECT {", "lang": "en"})
    assert english.get_data(as_text=True).startswith("The query")


@pytest.mark.parametrize("query, word", [
    ("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }", "SERVICE"),
    ("SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE SILENT <http://example.org/s> { ?s ?p ?o } } }",
     "SERVICE"),
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("INSERT DATA { GRAPH <http://x/g> { <http://x/a> <http://x/b> <http://x/c> } }", "update"),
])
def test_guard_refusals_are_400(client, query, word):
    response = client.get("/sparql", query_string={"query": query})
    assert response.status_code == 400
    assert word.lower() in response.get_data(as_text=True).lower()


@pytest.mark.parametrize("method, kwargs, status", [
    ("put", {"data": "ASK {}"}, 405),
    ("post", {"data": "ASK {}", "content_type": "text/plain"}, 415),
    ("post", {"data": "ASK {}"}, 415),
    ("post", {"data": "ASK {}".encode("utf-16"),
              "content_type": "application/sparql-query; charset=UTF-16"}, 415),
    ("get", {"query_string": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),
    ("get", {"query_string": {"update": "CLEAR ALL"}}, 400),
])
def test_protocol_errors(client, method, kwargs, status):
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    assert media(response) == "text/plain"
    if status == 405:
        assert response.headers["Allow"] == "GET, POST"


# -- service description ----------------------------------------------------------------------

def test_service_description(client):
    response = client.get("/sparql")
    assert response.status_code == 200 and media(response) == "text/turtle"
    graph = rdflib.Graph().parse(data=response.get_data(), format="turtle")
    service = next(graph.subjects(RDF.type, SD.Service))
    assert graph.value(service, SD.endpoint) == URIRef("http://localhost/sparql")
    assert set(graph.objects(service, SD.supportedLanguage)) == {SD.SPARQL11Query}
    assert {graph.value(n, SD.name) for n in graph.objects(None, SD.namedGraph)} == {G1, G2}
    jsonld = client.get("/sparql/", headers={"Accept": "application/ld+json"})
    assert media(jsonld) == "application/ld+json" and json.loads(jsonld.get_data())


def test_service_description_announces_updates_when_on(writer):
    graph = rdflib.Graph().parse(data=writer.get("/sparql").get_data(), format="turtle")
    assert SD.SPARQL11Update in set(graph.objects(None, SD.supportedLanguage))


# -- updates ----------------------------------------------------------------------------------

INSERT = f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX.new}> <{EX.label}> 'ny' }} }}"
ASK_NEW = {"query": f"ASK {{ <{EX.new}> ?p ?o }}"}


def test_updates_are_off_by_default(client):
    for response in (client.post("/sparql", data=INSERT, content_type="application/sparql-update",
                                 headers=bearer()),
                     client.post("/sparql", data={"update": INSERT}, headers=bearer())):
        assert response.status_code == 403
        assert "--allow-update" in response.get_data(as_text=True)
    assert client.get("/sparql", query_string=ASK_NEW).get_json()["boolean"] is False


@pytest.mark.parametrize("headers, challenge", [
    ({}, 'Bearer realm="regelgraf"'),
    (bearer("wrong-token"), 'Bearer realm="regelgraf", error="invalid_token"'),
    (bearer(TOKEN + "x"), 'Bearer realm="regelgraf", error="invalid_token"'),
    ({"Authorization": f"Basic {TOKEN}"}, 'Bearer realm="regelgraf", error="invalid_token"'),
])
def test_updates_need_the_right_token(writer, headers, challenge):
    response = writer.post("/sparql", data=INSERT, content_type="application/sparql-update",
                           headers=headers)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == challenge
    assert writer.get("/sparql", query_string=ASK_NEW).get_json()["boolean"] is False


def test_an_update_with_the_token_is_applied(writer):
    response = writer.post("/sparql", data=INSERT, content_type="application/sparql-update",
                           headers=bearer())
    assert response.status_code == 204, response.get_data(as_text=True)
    assert writer.get("/sparql", query_string=ASK_NEW).get_json()["boolean"] is True
    form = writer.post("/sparql", data={"update": f"DROP GRAPH <{G1}>"}, headers=bearer())
    assert form.status_code == 204
    assert writer.get("/sparql", query_string=ASK_NEW).get_json()["boolean"] is False


def test_the_token_is_compared_in_constant_time(writer, monkeypatch):
    import webui.views.sparql as view

    calls = []
    real = view.hmac.compare_digest
    monkeypatch.setattr(view.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    writer.post("/sparql", data=INSERT, content_type="application/sparql-update", headers=bearer("x"))
    assert calls == [(b"x", TOKEN.encode())]


@pytest.mark.parametrize("update, words", [
    ("LOAD <http://example.org/data.ttl>", "LOAD"),
    ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "GRAPH <iri>"),
    ("CLEAR XYZ", "syntax error"),
    ("INSERT { GRAPH <http://x/g> { ?s ?p ?o } } WHERE { SERVICE <http://example.org/s> { ?s ?p ?o } }",
     "SERVICE"),
])
def test_refused_updates_are_400_and_change_nothing(writer, filled, update, words):
    before = filled.dump("nquads")
    response = writer.post("/sparql", data={"update": update}, headers=bearer())
    assert response.status_code == 400 and words in response.get_data(as_text=True)
    assert filled.dump("nquads") == before


def test_update_dataset_conflict_is_400(writer):
    response = writer.post(
        f"/sparql?using-named-graph-uri={G2}", headers=bearer(),
        data=f"WITH <{G1}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
        content_type="application/sparql-update")
    assert response.status_code == 400 and "using-graph-uri" in response.get_data(as_text=True)


def test_updates_cannot_be_enabled_without_a_long_token(store):
    for token in (None, "", "short"):
        with pytest.raises(ValueError, match="REGELGRAF_UPDATE_TOKEN"):
            make_app(store, REGELGRAF_ALLOW_UPDATE=True, REGELGRAF_UPDATE_TOKEN=token)


@pytest.mark.parametrize("key, value", [("REGELGRAF_SPARQL_TIMEOUT", 0),
                                        ("REGELGRAF_SPARQL_ROW_LIMIT", -1),
                                        ("REGELGRAF_SPARQL_MAX_BODY", "1000")])
def test_limits_must_be_positive_numbers(store, key, value):
    with pytest.raises(ValueError, match=key):
        make_app(store, **{key: value})


def test_serve_refuses_to_start_with_updates_but_no_token(tmp_path, monkeypatch):
    monkeypatch.delenv("REGELGRAF_UPDATE_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "s"), "serve", "--allow-update",
                                      "--port", "0"])
    assert result.exit_code != 0 and "REGELGRAF_UPDATE_TOKEN" in result.output


@pytest.mark.slow
def test_serve_with_allow_update_accepts_updates_with_the_token(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import free_port

    port = free_port()
    env = {**os.environ, "REGELGRAF_UPDATE_TOKEN": TOKEN}
    log = (tmp_path / "serve.log").open("w+b")
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "--store", str(tmp_path / "store"), "serve", "--port",
         str(port), "--allow-update"], stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            try:
                httpx.get(url, timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        update = {"Content-Type": "application/sparql-update"}
        body = INSERT.encode()
        assert httpx.post(url, content=body, headers=update).status_code == 401
        assert httpx.post(url, content=body, headers={**update, **bearer()}).status_code == 204
        assert httpx.get(url, params=ASK_NEW).json()["boolean"] is True
        description = httpx.get(url).text
        assert "SPARQL11Update" in description
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


# -- limits -----------------------------------------------------------------------------------

def test_the_row_limit_cuts_and_says_so(filled):
    client = make_app(filled, REGELGRAF_SPARQL_ROW_LIMIT=1).test_client()
    cut = client.get("/sparql", query_string={"query": SELECT})
    assert len(rows_of(cut)) == 1
    assert cut.headers["X-Regelgraf-Truncated"] == "true" and cut.headers["X-SPARQL-MaxRows"] == "1"
    whole = make_app(filled, REGELGRAF_SPARQL_ROW_LIMIT=2).test_client().get(
        "/sparql", query_string={"query": SELECT})
    assert len(rows_of(whole)) == 2 and "X-Regelgraf-Truncated" not in whole.headers


def test_a_body_over_the_limit_is_413(filled):
    client = make_app(filled, REGELGRAF_SPARQL_MAX_BODY=100).test_client()
    big = "ASK {} #" + "x" * 200
    for response in (client.post("/sparql", data=big, content_type="application/sparql-query"),
                     client.post("/sparql", data={"query": big})):
        assert response.status_code == 413 and "100 bytes" in response.get_data(as_text=True)
    small = client.post("/sparql", data="ASK {}", content_type="application/sparql-query")
    assert small.status_code == 200


def test_a_body_over_the_limit_is_413_over_http(filled):
    app = make_app(filled, REGELGRAF_SPARQL_MAX_BODY=1000)
    with served(app) as url:
        response = httpx.post(f"{url}/sparql", content=b"ASK {} #" + b"x" * 5000,
                              headers={"Content-Type": "application/sparql-query"})
        assert response.status_code == 413
        assert httpx.post(f"{url}/sparql", content=b"ASK {}", headers={
            "Content-Type": "application/sparql-query"}).status_code == 200


def test_a_runaway_query_is_503_and_others_are_still_answered():
    store = open_store("oxigraph")
    big = rdflib.Graph()
    for i in range(3000):
        big.add((EX[f"s{i}"], EX.p, Literal(i)))
    store.replace_graphs({G1: big})
    app = make_app(store, REGELGRAF_SPARQL_TIMEOUT=0.5)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y . FILTER(?x < ?y) }"
    with served(app) as url, httpx.Client(base_url=url, timeout=30) as http:
        answers: dict[str, httpx.Response] = {}
        runaway = threading.Thread(target=lambda: answers.setdefault(
            "slow", http.get("/sparql", params={"query": slow})))
        started = time.monotonic()
        runaway.start()
        time.sleep(0.1)
        quick = http.get("/sparql", params={"query": "ASK { ?s ?p 7 }"})
        assert quick.status_code == 200 and quick.json()["boolean"] is True
        runaway.join()
        assert time.monotonic() - started < 3
        slow_answer = answers["slow"]
        assert slow_answer.status_code == 503 and slow_answer.headers["Retry-After"]
        assert "0.5 seconds" in slow_answer.text and "0.5 sekunder" in slow_answer.text
    for _ in range(300):
        if running_late() == 0:
            break
        time.sleep(0.05)


# -- the guard over HTTP: nothing leaves the machine ------------------------------------------

@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "LOAD <{url}>",
], ids=["service", "from", "from-named", "load"])
def test_no_request_leaves_through_the_endpoint(filled, listener, template):  # noqa: F811
    url, requests = listener
    app = make_app(filled, REGELGRAF_ALLOW_UPDATE=True, REGELGRAF_UPDATE_TOKEN=TOKEN)
    with served(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        text = template.format(url=url)
        http.get("/sparql", params={"query": text})
        http.get("/sparql", params={"query": "ASK { ?s ?p ?o }", "default-graph-uri": url,
                                    "named-graph-uri": url})
        http.post("/sparql", data={"update": text}, headers=bearer())
        http.post("/sparql", params={"using-graph-uri": url}, headers={
            **bearer(), "Content-Type": "application/sparql-update"},
            content=b"INSERT { GRAPH <http://x/o> { ?s ?p ?o } } WHERE { ?s ?p ?o }")
    assert requests == []


# -- real clients -----------------------------------------------------------------------------

@pytest.fixture
def live_url(filled):
    app = make_app(filled, REGELGRAF_ALLOW_UPDATE=True, REGELGRAF_UPDATE_TOKEN=TOKEN)
    with served(app) as url:
        yield f"{url}/sparql"


def test_sparqlwrapper(live_url):
    from SPARQLWrapper import JSON, POST, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(live_url)
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert [(r["s"]["value"], r["label"]["value"]) for r in rows] == expected_rows()
    client.setMethod(POST)
    client.setReturnFormat(XML)
    assert len(client.queryAndConvert().getElementsByTagName("result")) == 2
    client.setQuery(f"ASK {{ <{EX.b}> ?p ?o }}")
    client.setReturnFormat(JSON)
    assert client.queryAndConvert()["boolean"] is True
    client.setQuery(CONSTRUCT)
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert (EX.a, EX.label, Literal("alfa", lang="da")) in graph

    writer = SPARQLWrapper(live_url, updateEndpoint=live_url)
    writer.setMethod(POST)
    writer.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    writer.setQuery(f"INSERT DATA {{ GRAPH <{G2}> {{ <{EX.c}> <{EX.label}> 'c' }} }}")
    writer.query()
    client.setQuery(SELECT)
    client.setReturnFormat(JSON)
    assert len(client.queryAndConvert()["results"]["bindings"]) == 3


def test_sparqlwrapper_sees_a_refusal(live_url):
    from urllib.error import HTTPError

    from SPARQLWrapper import JSON, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    client = SPARQLWrapper(live_url)
    client.setReturnFormat(JSON)
    client.setQuery("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    with pytest.raises((QueryBadFormed, HTTPError)) as caught:
        client.queryAndConvert()
    assert "SERVICE" in str(caught.value)


def test_rdflib_sparqlstore(live_url):
    from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore

    store = SPARQLStore(query_endpoint=live_url)
    rows = sorted((str(s), str(label)) for s, label in store.query(SELECT))
    assert rows == expected_rows()
    assert store.query(f"ASK {{ <{EX.a}> ?p ?o }}").askAnswer is True
    one = rdflib.Graph(store=store, identifier=G1)  # reads go with default-graph-uri=<g1>
    assert set(one.subjects()) == {EX.a}
    assert (EX.a, EX.n, Literal(1, datatype=XSD.integer)) in one

    updates = SPARQLUpdateStore(query_endpoint=live_url, update_endpoint=live_url,
                                headers={"Authorization": f"Bearer {TOKEN}"})
    two = rdflib.Graph(store=updates, identifier=G2)
    two.add((EX.d, EX.label, Literal("d")))
    assert (EX.d, EX.label, Literal("d")) in rdflib.Graph(store=store, identifier=G2)
    two.remove((EX.d, None, None))
    assert set(rdflib.Graph(store=store, identifier=G2).subjects()) == {EX.b}
