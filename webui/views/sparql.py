"""The SPARQL 1.1 Protocol endpoint at /sparql (and /sparql/): queries, guarded updates, and the
service description. The protocol itself lives in graph.protocol; this view only wires it to
Flask, the app's store, its limits and its update token."""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Response, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

from graph.protocol import ProtocolError, ProtocolRequest, choose_format, parse_request, serialize
from graph.service_description import service_description
from graph.store.errors import (
    EndpointHTTPError, EndpointUnreachableError, QueryError, QueryTimeoutError,
    ReadOnlyStoreError, StoreBusyError, StoreError, UnsafeQueryError,
)
from graph.store.sparql_text import query_form
from webui.state import current_store

bp = Blueprint("sparql", __name__)
log = logging.getLogger(__name__)
# Every method reaches the view, so that the protocol's own 405 (with Allow) is what answers.
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH"]
RETRY_AFTER = "5"


@bp.route("/sparql", methods=METHODS)
@bp.route("/sparql/", methods=METHODS, endpoint="endpoint_slash")
def endpoint() -> Response:
    """One SPARQL 1.1 Protocol request."""
    config = current_app.config
    limit = int(config["REGELGRAF_SPARQL_MAX_BODY"])
    request.max_content_length = limit
    try:
        body = request.get_data(cache=False) if request.method == "POST" else b""
        parsed = parse_request(request.method, request.headers.get("Content-Type"),
                               list(request.args.items(multi=True)), body)
    except RequestEntityTooLarge:
        return problem(413, f"Anmodningen er større end grænsen på {limit} bytes.",
                       f"The request is larger than the limit of {limit} bytes.")
    except ProtocolError as error:
        return problem(error.status, error.messages["da"], error.messages["en"], error.headers)
    if parsed.operation == "service":
        return _describe_service(parsed)
    if parsed.operation == "update":
        return _update(parsed)
    return _query(parsed)


def _query(parsed: ProtocolRequest) -> Response:
    config = current_app.config
    try:
        kind = query_form(parsed.text)
    except ValueError:
        kind = None  # not a query at all: the store reports the syntax error
    fmt = choose_format(kind, request.headers.get("Accept"), parsed.format) if kind else None
    if kind and fmt is None:
        return _not_acceptable(kind)
    row_limit = int(config["REGELGRAF_SPARQL_ROW_LIMIT"])
    try:
        result = current_store().query(
            parsed.text, limit=row_limit, default_graphs=parsed.default_graphs,
            named_graphs=parsed.named_graphs, allow_from=True, base_iri=request.base_url,
            timeout=float(config["REGELGRAF_SPARQL_TIMEOUT"]))
    except StoreError as error:
        return _store_problem(error)
    if fmt is None:  # the text passed as a query after all (an engine-only form)
        fmt = choose_format(result.kind, request.headers.get("Accept"), parsed.format)
        if fmt is None:
            return _not_acceptable(result.kind)
    response = Response(serialize(result, fmt), status=200, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    if result.truncated:
        # The result formats have no field for it, so the cut is reported in headers.
        response.headers["X-SPARQL-MaxRows"] = str(row_limit)
        response.headers["X-Regelgraf-Truncated"] = "true"
    return response


def _update(parsed: ProtocolRequest) -> Response:
    config = current_app.config
    if not config["REGELGRAF_ALLOW_UPDATE"]:
        return problem(
            403, "Opdateringer er slået fra. Start serveren med 'regelgraf serve --allow-update' "
                 "og et token i REGELGRAF_UPDATE_TOKEN.",
            "Updates are disabled. Start the server with 'regelgraf serve --allow-update' and a "
            "token in REGELGRAF_UPDATE_TOKEN.")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    expected = str(config["REGELGRAF_UPDATE_TOKEN"]).encode("utf-8")
    # compare_digest takes as long for a wrong token as for a right one of the same length.
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode("utf-8"),
                                                            expected):
        challenge = 'Bearer realm="regelgraf"' + (', error="invalid_token"' if given else "")
        log.warning("refused an update without a valid token from %s", request.remote_addr)
        return problem(
            401, "Opdateringen kræver headeren 'Authorization: Bearer <token>' med serverens "
                 "token.",
            "The update needs the header 'Authorization: Bearer <token>' with the server's "
            "token.", {"WWW-Authenticate": challenge})
    try:
        current_store().update(parsed.text, using_graphs=parsed.default_graphs,
                               using_named_graphs=parsed.named_graphs, base_iri=request.base_url)
    except StoreError as error:
        return _store_problem(error)
    log.info("update applied for %s", request.remote_addr)
    return Response(status=204)


def _describe_service(parsed: ProtocolRequest) -> Response:
    config = current_app.config
    fmt = choose_format("service", request.headers.get("Accept"), parsed.format)
    if fmt is None:
        return _not_acceptable("service")
    try:
        names = current_store().graph_names()
    except StoreError as error:
        return _store_problem(error)
    description = service_description(
        request.base_url, names, update=bool(config["REGELGRAF_ALLOW_UPDATE"]),
        row_limit=int(config["REGELGRAF_SPARQL_ROW_LIMIT"]),
        timeout=float(config["REGELGRAF_SPARQL_TIMEOUT"]),
        max_body=int(config["REGELGRAF_SPARQL_MAX_BODY"]))
    response = Response(serialize(description, fmt), status=200, content_type=fmt.content_type)
    response.headers["Vary"] = "Accept"
    return response


def _not_acceptable(kind: str) -> Response:
    fmt_names = {"select": "JSON, XML, CSV, TSV", "ask": "JSON, XML"}.get(
        kind, "Turtle, N-Triples, JSON-LD, RDF/XML")
    return problem(406, f"Accept-headeren tillader ingen af de formater, der kan svares med "
                        f"({fmt_names}).",
                   f"The Accept header allows none of the formats this answer comes in "
                   f"({fmt_names}).")


def _store_problem(error: StoreError) -> Response:
    """The status for a store error: the client's query (400), time (503) or the store (503)."""
    da, en = error.messages["da"], error.messages["en"]
    if isinstance(error, (QueryTimeoutError, StoreBusyError)):
        log.warning("sparql query stopped: %s", en)
        return problem(503, da, en, {"Retry-After": RETRY_AFTER})
    if isinstance(error, ReadOnlyStoreError):
        return problem(403, da, en)
    if isinstance(error, UnsafeQueryError) and error.construct == "UPDATE":
        # The guard's own advice is for the UI; here the protocol has a way to send updates.
        da += " Her: send den som update= eller application/sparql-update (POST)."
        en += " Here: send it as update= or application/sparql-update (POST)."
    if isinstance(error, QueryError):
        return problem(400, da, en)
    if isinstance(error, (EndpointUnreachableError, EndpointHTTPError)):
        log.warning("store unavailable for /sparql: %s", error)
        return problem(503, da, en)
    log.error("store error on /sparql: %s", error)
    return problem(503, da, en)


def problem(status: int, da: str, en: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text error in both languages, the reader's language first."""
    first, second = (en, da) if g.get("lang") == "en" else (da, en)
    response = Response(f"{first}\n{second}\n", status=status,
                        content_type="text/plain; charset=utf-8")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
