"""The SPARQL guard: no user query may reach the network or the file system, or change data."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph
import pytest
import rdflib

from graph.sparql_guard import UnsafeQueryError, check_query, check_query_thoroughly
from graph.store import QuerySyntaxError, StoreError

X = "http://example.org/remote/sparql"

UNSAFE = {
    "service": ("SERVICE", f"SELECT * WHERE {{ SERVICE <{X}> {{ ?s ?p ?o }} }}"),
    "service silent": ("SERVICE", f"SELECT * WHERE {{ SERVICE SILENT <{X}> {{ ?s ?p ?o }} }}"),
    "service variable": ("SERVICE", "SELECT * WHERE { ?x ?y ?e SERVICE ?e { ?s ?p ?o } }"),
    "lower case": ("SERVICE", f"select * where {{ service <{X}> {{ ?s ?p ?o }} }}"),
    "in optional": ("SERVICE",
                    f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE <{X}> {{ ?a ?p ?o }} }} }}"),
    "in union": ("SERVICE", f"SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE SILENT <{X}> "
                            "{ ?s ?p ?o } } }"),
    "in subquery": ("SERVICE", f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{X}> "
                               "{ ?s ?p ?o } } } }"),
    "in nested subquery": ("SERVICE", "SELECT * WHERE { { SELECT ?s WHERE { { SELECT ?s WHERE "
                                      f"{{ OPTIONAL {{ SERVICE <{X}> {{ ?s ?p ?o }} }} }} }} "
                                      "} } }"),
    "in exists": ("SERVICE", f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{X}> "
                             "{ ?s ?p ?o } } }"),
    "in not exists": ("SERVICE", f"ASK {{ ?s ?p ?o FILTER NOT EXISTS {{ SERVICE <{X}> "
                                 "{ ?s ?p ?o } } }"),
    "in minus": ("SERVICE",
                 f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ SERVICE <{X}> {{ ?s ?p ?o }} }} }}"),
    "in graph": ("SERVICE", f"SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{X}> {{ ?s ?p ?o }} }} }}"),
    "in construct": ("SERVICE",
                     f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{X}> {{ ?s ?p ?o }} }}"),
    "in describe": ("SERVICE", f"DESCRIBE ?s WHERE {{ SERVICE <{X}> {{ ?s ?p ?o }} }}"),
    "in projection": ("SERVICE", f"SELECT (EXISTS {{ SERVICE <{X}> {{ ?s ?p ?o }} }} AS ?e) "
                                 "WHERE { ?s ?p ?o }"),
    "escaped keyword": ("SERVICE", f"SELECT * WHERE {{ \\u0053ERVICE <{X}> {{ ?s ?p ?o }} }}"),
    "service file": ("SERVICE", "SELECT * WHERE { SERVICE <file:///etc/passwd> { ?s ?p ?o } }"),
    "from": ("FROM", f"SELECT * FROM <{X}> WHERE {{ ?s ?p ?o }}"),
    "from file": ("FROM", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }"),
    "from named": ("FROM NAMED", "SELECT * FROM NAMED <file:///etc/shadow> WHERE "
                                 "{ GRAPH ?g { ?s ?p ?o } }"),
    "from in ask": ("FROM", f"ASK FROM <{X}> {{ ?s ?p ?o }}"),
    "from in construct": ("FROM", f"CONSTRUCT {{ ?s ?p ?o }} FROM <{X}> WHERE {{ ?s ?p ?o }}"),
    "load": ("LOAD", f"LOAD <{X}>"),
    "load file": ("LOAD", "LOAD SILENT <file:///etc/passwd> INTO GRAPH <urn:g>"),
    "insert": ("UPDATE", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
    "delete": ("UPDATE", "DELETE WHERE { ?s ?p ?o }"),
    "drop": ("UPDATE", "DROP ALL"),
    "clear": ("UPDATE", "CLEAR GRAPH <urn:g>"),
    "query then update": ("UPDATE", "PREFIX ex: <urn:x:> INSERT { ?s ex:p 1 } WHERE { ?s ?p ?o }"),
}

BENIGN = [
    "SELECT * WHERE { ?s ?p ?o }",
    "PREFIX ex: <https://example.org/> SELECT ?service WHERE { ?service ex:from ?load }",
    "PREFIX service: <https://example.org/service#> SELECT * WHERE { ?s service:from ?o }",
    'SELECT * WHERE { ?s ?p "SERVICE <http://example.org/> { ?s ?p ?o }" }',
    "SELECT * WHERE { ?s ?p 'FROM <file:///etc/passwd>' }",
    'SELECT * WHERE { ?s ?p """LOAD <file:///x>\n SERVICE""" }',
    "SELECT * WHERE { ?s <https://example.org/service/from/load> ?o }",
    "# SERVICE <http://example.org/> FROM <file:///etc/passwd>\nSELECT * WHERE { ?s ?p ?o }",
    'SELECT * WHERE { ?s ?p "x"@from }',
    "SELECT * WHERE { GRAPH <file:///not/fetched> { ?s ?p ?o } }",
    "PREFIX rg: <https://regelgraf.dk/def#> ASK { ?a a rg:WelfareAgreement }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
    "DESCRIBE <https://example.org/x>",
    "SELECT * WHERE { ?s ?p ?o } VALUES ?o { 1 2 }",
]


@pytest.mark.parametrize("construct, text", UNSAFE.values(), ids=UNSAFE.keys())
def test_unsafe_queries_are_refused_in_both_languages(construct, text):
    with pytest.raises(UnsafeQueryError) as caught:
        check_query(text)
    error = caught.value
    assert error.construct == construct
    assert isinstance(error, StoreError)
    assert "Forespørgs" in error.messages["da"] or "Teksten" in error.messages["da"] or (
        "LOAD" in error.messages["da"])
    assert "quer" in error.messages["en"] or "LOAD" in error.messages["en"]
    assert error.messages["da"] in str(error) and error.messages["en"] in str(error)


def test_the_refusal_names_the_target():
    with pytest.raises(UnsafeQueryError, match="file:///etc/passwd"):
        check_query("SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    with pytest.raises(UnsafeQueryError, match=r"SERVICE \?e"):
        check_query("SELECT * WHERE { SERVICE ?e { ?s ?p ?o } }")


@pytest.mark.parametrize("text", BENIGN)
def test_benign_queries_pass(text):
    assert check_query(text) is None


@pytest.mark.parametrize("text, line, column", [
    ("SELECT ?s\nWHERE {\n  ?s ?p\n}", 3, 3),
    ("SELEC * WHERE { ?s ?p ?o }", 1, 1),
    ("SELECT * WHERE { ?s ?p ?o } LIMIT x", 1, 29),
    ("PREFIX ex: <urn:x:>\nSELECT * WHERE {\n  ?s ex:p ?o ;\n     nope:q ?z }", 4, 6),
])
def test_syntax_errors_have_a_position(text, line, column):
    with pytest.raises(QuerySyntaxError) as caught:
        check_query_thoroughly(text)
    assert (caught.value.line, caught.value.column) == (line, column)


# -- nothing leaves the machine, on any backend ----------------------------------------------

class Recorder(BaseHTTPRequestHandler):
    """Answers like an empty SPARQL endpoint and records every request."""

    requests: list[str] = []

    def _answer(self) -> None:
        type(self).requests.append(f"{self.command} {self.path}")
        body = json.dumps({"head": {"vars": []}, "results": {"bindings": []}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802
        self._answer()

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server on a free port; yields its URL and the list of requests it got."""
    Recorder.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/sparql", Recorder.requests
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_listener_would_notice_an_unguarded_engine(listener):
    """Without the guard both engines do call out, so the tests below can fail."""
    url, requests = listener
    list(pyoxigraph.Store().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
    assert len(requests) == 1
    list(rdflib.Graph().query(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}"))
    assert len(requests) == 2


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "LOAD <{url}>",
    # Not SPARQL 1.1 (LATERAL is an Oxigraph extension), so rdflib cannot parse it at all:
    "SELECT * WHERE {{ ?s ?p ?o LATERAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    # Broken syntax must not be handed to an engine either:
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} ",
], ids=["service", "optional", "subquery", "exists", "from", "from-named", "load", "lateral",
        "broken"])
def test_no_request_leaves_through_any_backend(store, listener, template):
    url, requests = listener
    with pytest.raises((UnsafeQueryError, QuerySyntaxError)):
        store.query(template.format(url=url))
    with pytest.raises((UnsafeQueryError, QuerySyntaxError)):
        store.query(template.format(url=url), bindings={"s": rdflib.URIRef(url)}, limit=1)
    assert requests == []
