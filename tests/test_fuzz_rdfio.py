"""Mutation fuzzing of RDF files read by graph.rdfio (what `regelgraf load` and `validate` read):
a damaged file is either still RDF or an RdfFileError naming the file (and, for the text formats,
line and column) — never another exception. And reading a file never reads anything else."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef

from graph.rdfio import RdfFileError, read_rdf
from graph.settings import ONTOLOGY_DIR
from graph.store import StoreError, open_store
from test_sparql_guard import listener  # noqa: F401  (the fixture: a recording HTTP server)

FIXTURES = Path(__file__).parent / "fixtures"
CANARY = "regelgraf-canary-7c1f0a"  # the content of a local file no parser may read
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Bytes that matter to the grammars: delimiters, escapes, prefixes, quotes, comments, brackets.
TOKENS = [b'"', b"'''", b"<", b">", b"{", b"}", b"[", b"]", b"(", b")", b".", b";", b",", b"@", b":",
          b"_:", b"^^", b"\\", b"\\u00", b"#", b"\n", b"\r", b"\x00", b"\xff", b"\xc3", b"@prefix",
          b"GRAPH", b"a", b"true", b"1e", b"\"@id\"", b"\"@context\"", b"\"@graph\"", b"null", b"<!--",
          b"&amp;", b"&#0;", b"rdf:about=", b"xml:lang=\"", b"\xef\xbb\xbf"]


def _seeds() -> dict[str, bytes]:
    """Real files: the ontology (Turtle), shape fixtures (TriG), and the same data in other formats."""
    trig = (FIXTURES / "shapes" / "DecisionPeriodShape.trig").read_bytes()
    quads = list(ox.parse(trig, format=ox.RdfFormat.TRIG))
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return {
        "ontology.ttl": (ONTOLOGY_DIR / "regelgraf.ttl").read_bytes(),
        "shape.trig": trig,
        "two-graphs.trig": (FIXTURES / "rdf" / "two-graphs.trig").read_bytes(),
        "shape.jsonld": ox.serialize(quads, format=ox.RdfFormat.JSON_LD),
        "shape.nq": ox.serialize(quads, format=ox.RdfFormat.N_QUADS),
        "shape.rdf": ox.serialize(triples, format=ox.RdfFormat.RDF_XML),
    }


SEEDS = _seeds()
POSITIONED = [name for name in SEEDS if not name.endswith(".rdf")]


@st.composite
def mutations(draw: st.DrawFn, data: bytes) -> bytes:
    """One to four damages: truncation, deletion, insertion of tokens or random bytes, a moved
    slice, or a flipped byte."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["truncate", "delete", "token", "bytes", "move", "flip"]))
        if kind == "truncate":
            data = data[:at]
        elif kind == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 60)):]
        elif kind == "token":
            data = data[:at] + draw(st.sampled_from(TOKENS)) + data[at:]
        elif kind == "bytes":
            data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
        elif kind == "move":
            start = draw(st.integers(0, len(data)))
            piece = data[start:start + draw(st.integers(1, 200))]
            data = data[:at] + piece + data[at:]
        elif data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1:]
    return data


@st.composite
def damaged(draw: st.DrawFn, names: list[str]) -> tuple[str, bytes]:
    name = draw(st.sampled_from(names))
    return name, draw(mutations(SEEDS[name]))


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-rdf")


def test_the_seeds_are_valid_rdf(workdir):
    for name, data in SEEDS.items():
        path = workdir / name
        path.write_bytes(data)
        assert sum(len(g) for g in read_rdf(path).values()) > 0, name


@FUZZ
@given(case=damaged(POSITIONED))
def test_damaged_text_formats_fail_with_file_line_and_column(workdir, case):
    name, data = case
    path = workdir / name
    path.write_bytes(data)
    try:
        read_rdf(path)
    except RdfFileError as error:
        assert error.path == path
        assert error.line is not None and 1 <= error.line <= data.count(b"\n") + 2, str(error)
        assert str(error).startswith(f"{path}:{error.line}")
        assert error.message.strip()


@FUZZ
@given(data=mutations(SEEDS["shape.rdf"]))
def test_damaged_rdf_xml_fails_naming_the_file(workdir, data):
    path = workdir / "shape.rdf"
    path.write_bytes(data)
    try:
        read_rdf(path)
    except RdfFileError as error:
        assert error.path == path and str(error).startswith(str(path))
        assert error.message.strip()


def test_rdf_xml_errors_have_a_position(workdir):
    path = workdir / "broken.rdf"
    assert b"</ExemptionDecision>" in SEEDS["shape.rdf"]
    path.write_bytes(SEEDS["shape.rdf"].replace(b"</ExemptionDecision>", b"</ExemptionDecisio>", 1))
    with pytest.raises(RdfFileError) as caught:
        read_rdf(path)
    assert caught.value.line is not None


# -- nothing is read but the file -------------------------------------------------------------

RDF_XML = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [ {declarations} ]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>{use}</ex:p></rdf:Description>
</rdf:RDF>
"""


def _everything_read(graphs) -> str:  # type: ignore[no-untyped-def]
    return " ".join(f"{s} {p} {o}" for g in graphs.values() for s, p, o in g)


def test_an_external_entity_in_rdf_xml_reads_no_local_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY, encoding="utf-8")
    path = tmp_path / "xxe.rdf"
    path.write_text(RDF_XML.format(declarations=f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">', use="&xxe;"),
                    encoding="utf-8")
    with pytest.raises(RdfFileError) as caught:
        read_rdf(path)
    assert caught.value.path == path and CANARY not in str(caught.value)


def test_an_external_entity_in_rdf_xml_fetches_nothing(tmp_path, listener):  # noqa: F811
    url, requests = listener
    for number, declaration in enumerate([f'<!ENTITY xxe SYSTEM "{url}">',
                                          f'<!ENTITY % remote SYSTEM "{url}"> %remote;']):
        path = tmp_path / f"remote-{number}.rdf"
        path.write_text(RDF_XML.format(declarations=declaration, use="&xxe;" if number == 0 else "x"),
                        encoding="utf-8")
        with pytest.raises(RdfFileError):
            read_rdf(path)
    assert requests == []


@pytest.mark.parametrize("context", ["{url}", "file://{secret}"], ids=["http", "file"])
def test_a_remote_json_ld_context_is_not_loaded(tmp_path, listener, context):  # noqa: F811
    url, requests = listener
    secret = tmp_path / "context.jsonld"
    secret.write_text(json.dumps({"@context": {"p": f"http://example.org/{CANARY}"}}), encoding="utf-8")
    path = tmp_path / "remote-context.jsonld"
    path.write_text(json.dumps({"@context": context.format(url=url, secret=secret), "@id": "http://example.org/s",
                                "p": "x"}), encoding="utf-8")
    with pytest.raises(RdfFileError) as caught:
        read_rdf(path)
    assert "context" in caught.value.message.lower()
    assert requests == []


# Four levels only (10⁴ characters): enough to tell expansion from refusal, cheap if it regresses.
LAUGHS = ('<!ENTITY a "aaaaaaaaaa"> <!ENTITY b "' + "&a;" * 10 + '"> <!ENTITY c "' + "&b;" * 10
          + '"> <!ENTITY d "' + "&c;" * 10 + '">')


def test_entity_expansion_in_rdf_xml_is_refused(tmp_path):
    declarations = LAUGHS
    path = tmp_path / "laughs.rdf"
    path.write_text(RDF_XML.format(declarations=declarations, use="&d;"), encoding="utf-8")
    try:
        graphs = read_rdf(path)
    except RdfFileError as error:
        assert error.path == path
    else:
        pytest.fail(f"the entities were expanded: {len(_everything_read(graphs))} characters read")


# -- answers of a remote endpoint are untrusted too --------------------------------------------

class LaughingEndpoint(BaseHTTPRequestHandler):
    """A hostile SPARQL endpoint: every graph answer is RDF/XML with nested entities."""

    accepts: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.accepts.append(self.headers.get("Accept", ""))
        body = RDF_XML.format(declarations=LAUGHS, use="&d;").encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rdf+xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST  # noqa: N815

    def log_message(self, *args: object) -> None:
        pass


def test_a_remote_endpoint_cannot_make_the_client_expand_entities():
    """A CONSTRUCT answer and a Graph Store read in RDF/XML are refused, naming the fix; RDF/XML is not asked for."""
    LaughingEndpoint.accepts = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), LaughingEndpoint)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        store = open_store("remote", endpoint=f"{base}/query", store_endpoint=f"{base}/store")
        try:
            for read in (lambda: store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"),
                         lambda: store.get_graph(URIRef("http://example.org/g"))):
                with pytest.raises(StoreError) as caught:
                    result = read()
                    expanded = sum(len(str(o)) for _, _, o in getattr(result, "graph", result))
                    pytest.fail(f"the remote answer's entities were expanded into {expanded} characters")
                assert "application/rdf+xml" in caught.value.message("en")
                assert "N-Triples or Turtle" in caught.value.message("en")
                assert "N-Triples eller Turtle" in caught.value.message("da")
        finally:
            store.close()
    finally:
        server.shutdown()
        server.server_close()
    assert len(LaughingEndpoint.accepts) == 2
    assert not any("rdf+xml" in accept for accept in LaughingEndpoint.accepts)


def test_a_json_ld_rule_broken_in_well_formed_json_is_reported_with_a_place(workdir):
    """Found by the fuzzing in CI: pyoxigraph gives no position for a JSON-LD keyword where none
    may stand ("@graph" inside a value object); the error now points at the keyword."""
    path = workdir / "keyword.jsonld"
    path.write_text('[{"@id": "urn:x:ok", "@graph": []},\n {"@type": "http://www.w3.org/2001/XMLSchema#date",\n'
                    '  "@value": "2025-07-31", "@graph": []}]', encoding="utf-8")
    with pytest.raises(RdfFileError) as caught:
        read_rdf(path)
    assert caught.value.line == 3 and caught.value.column == 27  # the "@graph" beside the "@value"
    assert '"@graph"' in str(caught.value) and str(caught.value).startswith(f"{path}:3")
