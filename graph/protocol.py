"""The SPARQL 1.1 Protocol without a web framework: read a request, choose a format, serialise.

`parse_request` turns method, Content-Type, URL parameters and body into a ProtocolRequest
(query, update or service description) or raises ProtocolError with the HTTP status the
protocol asks for and a message in Danish and English. `choose_format` picks the result format
from the Accept header (q-values honoured; JSON for results and Turtle for graphs when the
client does not care) or a `format`/`output` parameter. `serialize` writes a QueryResult.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

import pyoxigraph as ox
import rdflib
from rdflib import URIRef

from graph.store.result import QueryResult, graph_bytes

__all__ = [
    "ProtocolRequest", "ProtocolError", "ResultFormat", "RESULT_FORMATS", "GRAPH_FORMATS",
    "parse_request", "choose_format", "best_match", "serialize",
]

QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
FORM_TYPE = "application/x-www-form-urlencoded"
_DATASET_PARAMS = {"query": ("default-graph-uri", "named-graph-uri"),
                   "update": ("using-graph-uri", "using-named-graph-uri")}


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation: short name, the media type answered with, other types accepted."""

    name: str
    media_type: str
    also: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # values of the format parameter that choose it

    @property
    def content_type(self) -> str:
        """The Content-Type header: every format here is UTF-8 text."""
        return f"{self.media_type}; charset=utf-8"


# In order of preference: the first is the answer to "Accept: */*" or no Accept at all.
RESULT_FORMATS = (
    ResultFormat("json", "application/sparql-results+json", ("application/json",), ("json",)),
    ResultFormat("xml", "application/sparql-results+xml", ("application/xml", "text/xml"),
                 ("xml",)),
    ResultFormat("csv", "text/csv", (), ("csv",)),
    ResultFormat("tsv", "text/tab-separated-values", (), ("tsv",)),
)
GRAPH_FORMATS = (
    ResultFormat("turtle", "text/turtle", ("application/x-turtle", "text/n3"),
                 ("turtle", "ttl", "n3")),
    ResultFormat("ntriples", "application/n-triples", ("text/plain",), ("ntriples", "nt")),
    ResultFormat("jsonld", "application/ld+json", ("application/json",),
                 ("jsonld", "json-ld", "json")),
    ResultFormat("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"),
                 ("rdfxml", "rdf+xml", "rdf", "xml")),
)
_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}


class ProtocolError(Exception):
    """A request the protocol rejects: HTTP status, message in Danish and English, headers."""

    def __init__(self, status: int, da: str, en: str,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{da} / {en}")
        self.status = status
        self.messages = {"da": da, "en": en}
        self.headers = headers or {}


@dataclass(frozen=True)
class ProtocolRequest:
    """What a request asks for: a query, an update, or the service description."""

    operation: str  # "query", "update" or "service"
    text: str = ""
    default_graphs: tuple[URIRef, ...] | None = None  # default-graph-uri / using-graph-uri
    named_graphs: tuple[URIRef, ...] | None = None  # named-graph-uri / using-named-graph-uri
    format: str | None = None  # the format / output parameter, if any


def parse_request(method: str, content_type: str | None, args: Sequence[tuple[str, str]],
                  body: bytes) -> ProtocolRequest:
    """Read a protocol request from its parts; `args` are the URL's parameters in order."""
    method = method.upper()
    params = list(args)
    if method in ("GET", "HEAD"):
        if any(name == "update" for name, _ in params):
            raise ProtocolError(
                400, "Opdateringer skal sendes med POST, ikke GET.",
                "Updates must be sent with POST, not GET.")
    elif method == "POST":
        media, charset = _media_type(content_type)
        if media == FORM_TYPE:
            params += _form(body)
        elif media in (QUERY_TYPE, UPDATE_TYPE):
            if charset not in (None, "utf-8", "utf8"):
                raise ProtocolError(
                    415, f"{media} skal være kodet som UTF-8, ikke {charset}.",
                    f"{media} must be encoded as UTF-8, not {charset}.")
            params.append(("query" if media == QUERY_TYPE else "update", _utf8(body)))
        else:
            shown = media or "(ingen / none)"
            raise ProtocolError(
                415,
                f"Content-Type {shown} understøttes ikke. Send {QUERY_TYPE}, {UPDATE_TYPE} eller "
                f"{FORM_TYPE} med query= eller update=.",
                f"Content-Type {shown} is not supported. Send {QUERY_TYPE}, {UPDATE_TYPE} or "
                f"{FORM_TYPE} with query= or update=.")
    else:
        raise ProtocolError(
            405, f"Metoden {method} understøttes ikke; brug GET eller POST.",
            f"The method {method} is not supported; use GET or POST.", {"Allow": "GET, POST"})
    texts = [(name, value) for name, value in params if name in ("query", "update")]
    if len(texts) > 1:
        names = "/".join(sorted({name for name, _ in texts}))
        raise ProtocolError(
            400, f"Anmodningen har mere end én forespørgsel eller opdatering ({names}); send "
                 "præcis én.",
            f"The request has more than one query or update ({names}); send exactly one.")
    fmt = next((value for name, value in params if name in ("format", "output") and value), None)
    if not texts:
        if method in ("GET", "HEAD") and not any(
                name in _DATASET_PARAMS["query"] + _DATASET_PARAMS["update"] for name, _ in params):
            return ProtocolRequest("service", format=fmt)
        raise ProtocolError(
            400, "Anmodningen mangler query= eller update=.",
            "The request has no query= or update=.")
    operation, text = texts[0]
    if not text.strip():
        raise ProtocolError(400, f"{operation}= er tom.", f"{operation}= is empty.")
    other = "update" if operation == "query" else "query"
    wrong = next((name for name, _ in params if name in _DATASET_PARAMS[other]), None)
    if wrong:
        da = {"query": "en forespørgsel", "update": "en opdatering"}
        en = {"query": "a query", "update": "an update"}
        raise ProtocolError(
            400, f"Parameteren {wrong} hører til {da[other]}, ikke til {da[operation]}.",
            f"The parameter {wrong} belongs to {en[other]}, not to {en[operation]}.")
    default_name, named_name = _DATASET_PARAMS[operation]
    default = _graphs(params, default_name)
    named = _graphs(params, named_name)
    return ProtocolRequest(operation, text, default, named, fmt)


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """The media type (lower case) and the charset parameter of a Content-Type header."""
    if not content_type:
        return "", None
    media, *parameters = content_type.split(";")
    charset = None
    for parameter in parameters:
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(
            400, f"Indholdet er ikke gyldig UTF-8 (byte {error.start}).",
            f"The body is not valid UTF-8 (byte {error.start}).") from None


def _form(body: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(_utf8(body), keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(
            400, "Formularens værdier er ikke gyldig UTF-8.",
            "The form's values are not valid UTF-8.") from None


def _graphs(params: Sequence[tuple[str, str]], name: str) -> tuple[URIRef, ...] | None:
    """The IRIs given for one dataset parameter, checked; None when it is absent."""
    values = [value for key, value in params if key == name]
    if not values:
        return None
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as error:
            raise ProtocolError(
                400, f"{name}={value!r} er ikke en fuld IRI ({error}).",
                f"{name}={value!r} is not an absolute IRI ({error}).") from None
    return tuple(URIRef(value) for value in values)


# -- content negotiation -------------------------------------------------------------------

def best_match(accept: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the Accept header likes best; ties go to the earlier offer.

    No (or an empty) header accepts the first offer. Each offer gets the q-value of the most
    specific range matching it (type/subtype over type/* over */*); q=0 refuses it.
    """
    if not accept or not accept.strip():
        return offers[0] if offers else None
    ranges = []
    for part in accept.split(","):
        media, *parameters = part.split(";")
        media = media.strip().lower()
        if "/" not in media:
            continue
        q = 1.0
        for parameter in parameters:
            key, _, value = parameter.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    best, best_q = None, 0.0
    for offer in offers:
        kind = offer.split("/")[0]
        matches = [(3 if media == offer else 2 if media == f"{kind}/*" else 1, q)
                   for media, q in ranges if media in (offer, f"{kind}/*", "*/*")]
        if matches:
            q = max(matches)[1]
            if q > best_q:
                best, best_q = offer, q
    return best


def choose_format(kind: str, accept: str | None, format_param: str | None = None
                  ) -> ResultFormat | None:
    """The format for a result of `kind` (select, ask, construct, describe, service); None
    means nothing acceptable (406). A recognised format parameter wins over Accept."""
    if kind in ("select", "ask"):
        candidates = RESULT_FORMATS if kind == "select" else RESULT_FORMATS[:2]
    else:
        candidates = GRAPH_FORMATS
    if format_param:
        wanted = format_param.strip().lower()
        for fmt in candidates:
            if wanted in fmt.names or wanted in (fmt.media_type, *fmt.also):
                return fmt
    # Every format's own media type before any alias, so that text/* means CSV, not text/xml.
    offers = [fmt.media_type for fmt in candidates] + [m for fmt in candidates for m in fmt.also]
    chosen = best_match(accept, offers)
    return next((fmt for fmt in candidates if chosen in (fmt.media_type, *fmt.also)), None)


def serialize(result: QueryResult | rdflib.Graph, fmt: ResultFormat) -> bytes:
    """A query result (or a graph, such as the service description) in the chosen format."""
    if isinstance(result, rdflib.Graph):
        return graph_bytes(result, _OX_FORMATS[fmt.name])
    if result.graph is not None:
        return graph_bytes(result.graph, _OX_FORMATS[fmt.name])
    if fmt.name == "json":
        return json.dumps(result.to_sparql_json(), ensure_ascii=False).encode("utf-8")
    if fmt.name == "xml":
        return result.to_sparql_xml().encode("utf-8")
    return (result.to_csv() if fmt.name == "csv" else result.to_tsv()).encode("utf-8")
