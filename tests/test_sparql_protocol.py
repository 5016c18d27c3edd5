"""The W3C SPARQL 1.1 Protocol test manifest, run against /sparql over real HTTP on every backend.

The manifest (../shared/conformance/sparql11-protocol/manifest.ttl) is read with rdflib. For
each test the graph data is loaded into named graphs named by each rdfs:label, the requests are
sent in order to the app under waitress (path /sparql/, as the manifest writes it), and every
expectation of every response is checked: status class, result format, boolean answer. Updates
are enabled for the runner, and every request carries the server's bearer token, so a refusal
for want of authorisation can never pass for the 4xx a test expects (those are checked too).
The manifest marks no test optional, so none is skipped.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, RDFS, Namespace, URIRef
from rdflib.collection import Collection

from graph.store import open_store
from live_server import served
from webui import create_app

REPO = Path(__file__).resolve().parent.parent
MANIFEST_DIR = Path("conformance") / "sparql11-protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "manifest-runner-token-0123456789"
BOOLEAN_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml": "xml", "text/turtle": "turtle",
             "application/n-triples": "nt", "text/plain": "nt"}  # the manifest's RDF formats
STATUS_CLASSES = {HTS.StatusCode2xx: 2, HTS.StatusCode3xx: 3, HTS.StatusCode4xx: 4,
                  HTS.StatusCode5xx: 5}


@dataclass
class Request:
    """One ht:Request of a test and the ht:Response it expects."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[int]
    format: str | None
    boolean: bool | None


@dataclass
class ProtocolTest:
    """One mf:ProtocolTest: its graph data and its requests in order."""

    name: str
    title: str
    graph_data: dict[URIRef, Path] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)


def shared_path() -> Path:
    """Where the shared material is, as the `shared_dir` fixture finds it."""
    return Path(os.environ.get("REGELGRAF_SHARED") or REPO.parent / "shared")


def read_manifest(directory: Path) -> list[ProtocolTest]:
    """Every test of the manifest, in the order of mf:entries."""
    manifest = directory / "manifest.ttl"
    graph = rdflib.Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    root = next(graph.subjects(RDF.type, MF.Manifest))
    return [read_test(graph, entry) for entry in Collection(graph, graph.value(root, MF.entries))]


def read_test(graph: rdflib.Graph, entry: URIRef) -> ProtocolTest:
    test = ProtocolTest(name=str(entry).rsplit("#", 1)[-1], title=str(graph.value(entry, MF.name)))
    for data in graph.objects(entry, UT.graphData):
        file = Path(URIRef(graph.value(data, UT.graph)).replace("file://", ""))
        test.graph_data[URIRef(str(graph.value(data, RDFS.label)))] = file
    action = graph.value(entry, MF.action)
    for node in Collection(graph, graph.value(action, HT.requests)):
        headers = {}
        if graph.value(node, HT.headers) is not None:
            for header in Collection(graph, graph.value(node, HT.headers)):
                headers[str(graph.value(header, HT.fieldName))] = str(graph.value(header, HT.fieldValue))
        body = graph.value(node, HT.body)
        content = None
        if body is not None:
            encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
            content = str(graph.value(body, CNT.chars)).encode(encoding)
        response = graph.value(node, HT.resp)
        boolean = graph.value(response, MF.expectedBoolean)
        fmt = graph.value(response, MF.expectedFormat)
        test.requests.append(Request(
            method=str(graph.value(node, HT.methodName)), path=str(graph.value(node, HT.absolutePath)),
            headers=headers, body=content,
            statuses={STATUS_CLASSES[s] for s in graph.objects(response, MF.expectedStatus)},
            format=str(fmt) if fmt is not None else None,
            boolean=bool(boolean.toPython()) if boolean is not None else None,
        ))
    return test


def manifest_ids() -> list[str]:
    """Test names for parametrisation; one placeholder (which then skips) without shared/."""
    directory = shared_path() / MANIFEST_DIR
    if not (directory / "manifest.ttl").is_file():
        return ["manifest-missing"]
    return [test.name for test in read_manifest(directory)]


@pytest.fixture
def manifest(shared_dir: Path) -> dict[str, ProtocolTest]:
    directory = shared_dir / MANIFEST_DIR
    if not (directory / "manifest.ttl").is_file():
        pytest.skip(f"no SPARQL 1.1 Protocol manifest at {directory}")
    return manifest_tests(directory)


@functools.cache
def manifest_tests(directory: Path) -> dict[str, ProtocolTest]:
    """The manifest's tests by name, read once per run."""
    return {test.name: test for test in read_manifest(directory)}


@pytest.fixture(scope="module", params=["oxigraph", "memory", "remote"])
def endpoint(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[tuple[str, object]]:
    """The app over one backend, served over HTTP with updates allowed; yields URL and store."""
    if request.param == "remote":
        server = request.getfixturevalue("oxigraph_server")
        server.clear()
        store = server.open()
    elif request.param == "oxigraph":
        store = open_store("oxigraph", location=tmp_path_factory.mktemp("protocol") / "store")
    else:
        store = open_store("memory")
    app = create_app({"REGELGRAF_STORE": store, "REGELGRAF_ALLOW_UPDATE": True,
                      "REGELGRAF_UPDATE_TOKEN": TOKEN})
    with served(app) as url:
        yield url, store
    store.close()


@pytest.mark.parametrize("name", manifest_ids())
def test_protocol_manifest(name: str, manifest: dict[str, ProtocolTest], endpoint) -> None:
    url, store = endpoint
    test = manifest[name]
    store.remove_graphs(store.graph_names())
    store.replace_graphs({iri: rdflib.Graph().parse(path, format="nt")
                          for iri, path in test.graph_data.items()})
    with httpx.Client(base_url=url, timeout=60) as client:
        for number, req in enumerate(test.requests, start=1):
            where = f"{test.name} ({test.title}), request {number}"
            headers = {**req.headers, "Authorization": f"Bearer {TOKEN}"}
            response = client.request(req.method, req.path, headers=headers, content=req.body)
            check_response(where, req, response)


def check_response(where: str, req: Request, response: httpx.Response) -> None:
    """Every expectation the manifest states for one response."""
    assert response.status_code // 100 in req.statuses, (
        f"{where}: status {response.status_code}, expected {sorted(req.statuses)}xx: {response.text}")
    if 4 in req.statuses:
        # The token is right and updates are on, so these are never why a request fails.
        assert response.status_code not in (401, 403), f"{where}: {response.text}"
    media = response.headers.get("content-type", "").split(";")[0].strip()
    if req.format == "boolean":
        assert media in BOOLEAN_TYPES, f"{where}: {media} is not a boolean result format"
        answer = ox.parse_query_results(response.content, ox.QueryResultsFormat.from_media_type(media))
        assert isinstance(answer, ox.QueryBoolean), f"{where}: not a boolean result"
        if req.boolean is not None:
            assert bool(answer) is req.boolean, f"{where}: answered {bool(answer)}"
    elif req.format == "tabular":
        assert media in TABULAR_TYPES, f"{where}: {media} is not a tabular result format"
        assert read_table(media, response.content) is not None, f"{where}: unreadable table"
    elif req.format == "RDF":
        assert media in RDF_TYPES, f"{where}: {media} is not one of the manifest's RDF formats"
        rdflib.Graph().parse(data=response.content, format=RDF_TYPES[media])
    else:
        assert req.format is None, f"{where}: unknown expected format {req.format}"


def read_table(media: str, content: bytes) -> list[dict[str, str]]:
    """The rows of a SELECT answer in any of the four formats (so a broken body fails)."""
    if media == "text/csv":
        return list(csv.DictReader(io.StringIO(content.decode("utf-8"))))
    if media == "application/sparql-results+json":
        data = json.loads(content)
        assert "vars" in data["head"]
        return data["results"]["bindings"]
    answer = ox.parse_query_results(content, ox.QueryResultsFormat.from_media_type(media))
    assert isinstance(answer, ox.QuerySolutions)
    return [{v.value: str(s[v]) for v in answer.variables} for s in answer]


def test_the_runner_reads_every_entry_with_its_expectations(manifest: dict[str, ProtocolTest]) -> None:
    assert len(manifest) == 34
    assert all(test.requests for test in manifest.values())
    assert all(req.statuses for test in manifest.values() for req in test.requests)
    data = manifest["query_dataset_full"].graph_data
    assert sorted(data) == [URIRef(f"http://kasei.us/2009/09/sparql/data/data{n}.rdf") for n in (1, 2, 3)]
    assert all(path.is_file() for path in data.values())
    assert manifest["bad_query_non_utf8"].requests[0].body == "ASK {}".encode("utf-16")
    assert [r.boolean for r in manifest["update_base_uri"].requests] == [None, True]
