"""Any SPARQL 1.1 endpoint over HTTP: query URL, optional update URL and Graph Store URL.

- Union default graph: every query carries Oxigraph's `union-default-graph` parameter, so an
  Oxigraph server answers over the union of its named graphs. Other servers ignore it and use
  their own setting (Fuseki/TDB2: `tdb2:unionDefaultGraph true`; GraphDB/RDF4J and Virtuoso
  already query all graphs when a query names none).
- Bindings: sent as a one-row VALUES block of typed terms opening every group pattern, which
  answers like pre-bound variables (see sparql_text.with_values; the same as the embedded
  Oxigraph backend). Blank nodes cannot be bound.
- Writes: one SPARQL Update request per call. It is atomic when the server runs a request as
  one transaction (Oxigraph does, verified by tests/test_store.py); the client cannot check
  that for other servers, so `transactional` is False.
- Results are streamed, so `limit` stops reading (and closes the connection) early.
- A QueryDataset is sent as default-graph-uri / named-graph-uri (instead of the union
  parameter); updates go to the update URL as they are. Oxigraph reads those IRIs as names of
  its own graphs and fetches nothing (tests/test_store_protocol.py checks); whether another
  server fetches them is up to that server.
"""

from __future__ import annotations

import functools
import io
import ssl
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import certifi
import httpx
import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from graph.store.base import QueryResult, Store, graph_result, select_result
from graph.store.dataset import QueryDataset
from graph.store.deadline import Deadline
from graph.store.errors import (
    ClosedStoreError, EndpointHTTPError, EndpointUnreachableError, QueryTimeoutError, ReadOnlyStoreError,
    StoreConfigError, StoreError,
)
from graph.store.sparql_text import (
    oxigraph_syntax_error, query_form, update_request, with_values,
)
from graph.store.terms import Term, from_ox, graph_name, to_sparql

__all__ = ["RemoteStore"]

_RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.8"
# Only formats whose parsers cannot expand entities or fetch anything: pyoxigraph's RDF/XML
# parser expands internal entities (a hostile answer grows without bound), JSON-LD may name
# remote @contexts.
_GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9"
_GRAPH_FORMATS = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)
_ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
_IRI_PAIRS = "SELECT ?s ?o WHERE { GRAPH ?g { ?s %s ?o } FILTER(isIRI(?s) && isIRI(?o)) }"


class RemoteStore(Store):
    """A SPARQL 1.1 Protocol client; nothing is assumed about the server's URL layout."""

    name = "remote"
    persistent = True
    remote = True
    transactional = False

    def __init__(self, endpoint: str, *, update_endpoint: str | None = None,
                 store_endpoint: str | None = None, read_only: bool = False,
                 timeout: float = 60.0) -> None:
        for option, url in (("endpoint", endpoint), ("update_endpoint", update_endpoint),
                            ("store_endpoint", store_endpoint)):
            if url is not None and not url.startswith(("http://", "https://")):
                raise StoreConfigError(
                    f"{option} skal være en http(s)-adresse, ikke {url!r}.",
                    f"{option} must be an http(s) URL, not {url!r}.",
                )
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint
        self.store_endpoint = store_endpoint
        self.read_only = read_only
        self._client: httpx.Client | None = httpx.Client(
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            headers={"User-Agent": "regelgraf"}, verify=_tls(),
        )

    @classmethod
    def open(cls, *, location: str | Path | None = None, endpoint: str | None = None,
             update_endpoint: str | None = None, store_endpoint: str | None = None,
             read_only: bool = False, timeout: float = 60.0) -> RemoteStore:
        """A client for `endpoint`; a location is ignored so a default path can be passed."""
        if not endpoint:
            raise StoreConfigError(
                "Backend 'remote' kræver et query-endpoint (fx http://127.0.0.1:7878/query).",
                "The 'remote' backend needs a query endpoint (e.g. http://127.0.0.1:7878/query).",
            )
        return cls(endpoint, update_endpoint=update_endpoint, store_endpoint=store_endpoint,
                   read_only=read_only, timeout=timeout)

    # -- querying ---------------------------------------------------------------------------

    def _query(self, sparql: str, bindings: dict[str, Term], limit: int | None, *,
               dataset: QueryDataset | None = None, base_iri: str | None = None,
               deadline: Deadline | None = None) -> QueryResult:
        form = query_form(sparql)
        text = _with_base(with_values(sparql, bindings), base_iri)
        accept = _RESULTS_ACCEPT if form in ("select", "ask") else _GRAPH_ACCEPT
        params: list[tuple[str, str]] = [("union-default-graph", "")]
        if dataset is not None:
            params = ([("default-graph-uri", str(iri)) for iri in dataset.default]
                      + [("named-graph-uri", str(iri)) for iri in dataset.named])
        # With a deadline, the server gets no longer than the time left (the worker that waits
        # for it would otherwise linger, counted as running late, until the client's timeout).
        wait = None if deadline is None else max(deadline.at - time.monotonic(), 0.05)
        try:
            return self._send_query(form, sparql, text, accept, params, wait, limit, deadline)
        except EndpointUnreachableError as error:
            # The server was given only the time left: its silence is the query's time limit.
            if deadline is not None and isinstance(error.__cause__, httpx.TimeoutException):
                raise QueryTimeoutError(deadline.seconds) from error
            raise

    def _send_query(self, form: str, sparql: str, text: str, accept: str, params: list[tuple[str, str]],
                    wait: float | None, limit: int | None, deadline: Deadline | None) -> QueryResult:
        """POST a query and read its answer (results or triples) as a QueryResult."""
        with self._request("POST", self.endpoint, query=sparql, accept=accept,
                           params=params, content=text.encode("utf-8"),
                           content_type="application/sparql-query", wait=wait) as response:
            media = _media_type(response)
            if form in ("select", "ask"):
                answer = self._parse(ox.parse_query_results, response, _results_format(media))
                if isinstance(answer, ox.QueryBoolean):
                    return QueryResult("ask", boolean=bool(answer))
                columns = [v.value for v in answer.variables]
                rows = (tuple(from_ox(s[i]) for i in range(len(columns))) for s in answer)
                return self._guarded(lambda: select_result(columns, rows, limit, deadline))
            quads = self._parse(ox.parse, response, _rdf_format(media, self.endpoint))
            triples = ((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                       for q in quads)
            return self._guarded(lambda: graph_result(form, triples, limit, deadline))

    def _update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Send a checked update to the update endpoint."""
        self._run_update(_with_base(sparql, base_iri), query=sparql)

    # -- writing ----------------------------------------------------------------------------

    def _write(self, drop: list[URIRef], add: Mapping[URIRef, rdflib.Graph]) -> None:
        request = update_request(drop, add)
        if request:
            self._run_update(request)

    def _run_update(self, request: str, query: str | None = None) -> None:
        """Send one SPARQL Update request; a separate method so tests can break it."""
        if self.update_endpoint is None:
            raise ReadOnlyStoreError(
                self.describe(),
                "Angiv et update-endpoint (Oxigraph-server: …/update) for at skrive.",
                "Give an update endpoint (Oxigraph server: …/update) to write.",
            )
        with self._request("POST", self.update_endpoint, content=request.encode("utf-8"),
                           content_type="application/sparql-update", query=query):
            pass

    # -- reading ----------------------------------------------------------------------------

    def _ox_quads(self, graph: URIRef | None) -> Iterator[ox.Quad]:
        if graph is not None and self.store_endpoint is not None:
            yield from self._gsp_quads(graph)
            return
        bindings = {} if graph is None else {"g": graph}
        text = with_values(_ALL_QUADS, bindings)
        with self._request("POST", self.endpoint, accept=_RESULTS_ACCEPT, query=_ALL_QUADS,
                           content=text.encode("utf-8"),
                           content_type="application/sparql-query") as response:
            answer = self._parse(ox.parse_query_results, response,
                                 _results_format(_media_type(response)))
            try:
                for s in answer:
                    yield ox.Quad(s["s"], s["p"], s["o"], s["g"])
            except (SyntaxError, ValueError, OSError) as exc:
                raise _bad_answer(self.endpoint, exc) from exc

    def iri_pairs(self, predicate: URIRef) -> Iterator[tuple[str, str]]:
        """Row by row from a plain SELECT: no rdflib terms, and no answer-sized single value
        (one GROUP_CONCAT of 334,000 citation pairs is past the 16 MB a parsed value may have)."""
        text = _IRI_PAIRS % to_sparql(predicate)
        with self._request("POST", self.endpoint, accept=_RESULTS_ACCEPT, query=text,
                           content=text.encode("utf-8"), content_type="application/sparql-query") as response:
            answer = self._parse(ox.parse_query_results, response, _results_format(_media_type(response)))
            try:
                for solution in answer:
                    yield solution[0].value, solution[1].value
            except (SyntaxError, ValueError, OSError) as exc:
                raise _bad_answer(self.endpoint, exc) from exc

    def _gsp_quads(self, graph: URIRef) -> Iterator[ox.Quad]:
        """One graph through the Graph Store Protocol (GET ?graph=…); 404 means empty."""
        name = graph_name(graph)
        with self._request("GET", self.store_endpoint, accept=_GRAPH_ACCEPT,
                           params={"graph": str(graph)}, missing_ok=True) as response:
            if response.status_code == 404:
                return
            quads = self._parse(ox.parse, response, _rdf_format(_media_type(response),
                                                                self.store_endpoint))
            try:
                for q in quads:
                    yield ox.Quad(q.subject, q.predicate, q.object, name)
            except (SyntaxError, ValueError, OSError) as exc:
                raise _bad_answer(str(self.store_endpoint), exc) from exc

    # -- HTTP -------------------------------------------------------------------------------

    def _request(self, method: str, url: str | None, *, accept: str = "*/*",
                 params: dict[str, str] | list[tuple[str, str]] | None = None,
                 content: bytes | None = None, content_type: str | None = None,
                 query: str | None = None, missing_ok: bool = False,
                 wait: float | None = None) -> _Exchange:
        """An open streamed exchange; HTTP and connection errors become StoreErrors."""
        if self._client is None:
            raise ClosedStoreError(self.describe())
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = f"{content_type}; charset=utf-8"
        timeout = self._client.timeout if wait is None else httpx.Timeout(
            wait, connect=min(wait, self._client.timeout.connect or wait))
        request = self._client.build_request(method, url or "", params=params, content=content,
                                             headers=headers, timeout=timeout)
        return _Exchange(self._client, request, str(url), query, missing_ok)

    def _parse(self, parser: Callable[..., Any], response: httpx.Response, fmt: object) -> Any:
        """Start a streaming pyoxigraph parser on the response body."""
        try:
            return parser(_ResponseReader(response), fmt)
        except (SyntaxError, ValueError, OSError) as exc:
            raise _bad_answer(str(response.url), exc) from exc

    def _guarded(self, build: Callable[[], QueryResult]) -> QueryResult:
        """Run a function that reads the streamed answer, mapping read errors."""
        try:
            return build()
        except (SyntaxError, ValueError, OSError) as exc:
            raise _bad_answer(self.endpoint, exc) from exc

    # -- lifecycle --------------------------------------------------------------------------

    def describe(self) -> str:
        """Backend and endpoints."""
        parts = [f"query {self.endpoint}", f"update {self.update_endpoint or '-'}"]
        if self.store_endpoint:
            parts.append(f"graph store {self.store_endpoint}")
        mode = " (skrivebeskyttet / read-only)" if self.read_only else ""
        return f"remote: {', '.join(parts)}{mode}"

    def close(self) -> None:
        """Close the HTTP connections."""
        if self._client is not None:
            self._client.close()
        self._client = None


class _Exchange:
    """A context manager around one streamed HTTP request."""

    def __init__(self, client: httpx.Client, request: httpx.Request, url: str,
                 query: str | None, missing_ok: bool) -> None:
        self._client, self._request, self._url = client, request, url
        self._query, self._missing_ok = query, missing_ok
        self._response: httpx.Response | None = None

    def __enter__(self) -> httpx.Response:
        try:
            self._response = self._client.send(self._request, stream=True)
        except httpx.TimeoutException as exc:
            raise EndpointUnreachableError(self._url, f"timeout: {exc}") from exc
        except httpx.HTTPError as exc:
            raise EndpointUnreachableError(self._url, f"{type(exc).__name__}: {exc}") from exc
        status = self._response.status_code
        if status >= 400 and not (status == 404 and self._missing_ok):
            body = self._response.read().decode("utf-8", errors="replace")
            self._response.close()
            if status == 400 and self._query is not None:
                syntax = oxigraph_syntax_error(self._query, body)
                if syntax is not None:
                    raise syntax
            raise EndpointHTTPError(self._url, status, body)
        return self._response

    def __exit__(self, *exc_info: object) -> None:
        if self._response is not None:
            self._response.close()


class _ResponseReader(io.RawIOBase):
    """A file-like view of a streamed response body, for pyoxigraph's streaming parsers."""

    def __init__(self, response: httpx.Response) -> None:
        self._chunks = response.iter_bytes()
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
            except httpx.HTTPError as exc:
                raise OSError(f"connection lost while reading: {exc}") from exc
        size = min(len(buffer), len(self._buffer))
        buffer[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


@functools.cache
def _tls() -> ssl.SSLContext:
    """httpx's default certificate checks, built once: loading the CA bundle takes ~40 ms."""
    return ssl.create_default_context(cafile=certifi.where())


def _with_base(text: str, base_iri: str | None) -> str:
    """The text with a BASE declaration first (a later BASE in the text still wins)."""
    return text if base_iri is None else f"BASE <{ox.NamedNode(base_iri).value}>\n{text}"


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _results_format(media: str) -> ox.QueryResultsFormat:
    return ox.QueryResultsFormat.from_media_type(media) or ox.QueryResultsFormat.JSON


def _rdf_format(media: str, url: str | None) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_media_type(media) if media else None
    if fmt not in _GRAPH_FORMATS:
        raise StoreError(
            f"Svaret fra {url} er {media or 'uden medietype'}, som ikke læses: kun N-Triples og "
            "Turtle accepteres (RDF/XML kan udvide entiteter uden grænse, JSON-LD kan hente "
            "eksterne kontekster). Indstil endpointet til at svare N-Triples eller Turtle.",
            f"The answer from {url} is {media or 'without a media type'}, which is not read: only "
            "N-Triples and Turtle are accepted (RDF/XML can expand entities without bound, JSON-LD "
            "can fetch remote contexts). Configure the endpoint to answer N-Triples or Turtle.",
        )
    return fmt


def _bad_answer(url: str, exc: Exception) -> StoreError:
    return StoreError(
        f"Svaret fra {url} kunne ikke læses: {exc}. Kontroller at adressen er et SPARQL-endpoint.",
        f"The answer from {url} could not be read: {exc}. Check that the URL is a SPARQL "
        "endpoint.",
    )
