"""Browsing pages: the front page, search, and every resource by its IRI."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, redirect, request, url_for
from rdflib import URIRef
from rdflib.term import _is_valid_uri

from graph.identifiers import document_iri
from webui.dereference import RDF_FORMATS, negotiate
from webui.dereference import description as rdf_description
from webui.dereference import serialize as serialize_rdf
from webui.overview import front_page
from webui.provisions import law_page, provision_page
from webui.rendering import fail, href, output_format, respond, split_suffix, t
from webui.resources import agreement_page, describe, document_page, generic_page, is_mentioned, kind_of, municipality_page
from webui.search import search_text
from webui.state import current_store, row_limit

bp = Blueprint("browse", __name__)

# Which function builds the data of each kind of page; each takes (store, iri, description, as_of, lang).
PAGE_BUILDERS = {
    "law": law_page,
    "provision": provision_page,
    "municipality": municipality_page,
    "agreement": agreement_page,
    "document": document_page,
    "resource": generic_page,
}
CITATION_HINTS = ("§", "kapitel", "kap.", "bilag", "stk.", "http://", "https://")


@bp.route("/")
@bp.route("/index.json", endpoint="index_json", defaults={"suffix": "json"})
def index(suffix: str | None = None) -> Response:
    """What the graph holds, the agreements as a timeline, laws and municipalities."""
    return respond("index.html", front_page(current_store(), g.as_of_effective, g.lang), fmt=output_format(suffix))


@bp.route("/search")
@bp.route("/search.json", endpoint="search_json", defaults={"suffix": "json"})
def search(suffix: str | None = None) -> Response:
    """A citation (or one of our IRIs) jumps to its provision; anything else is a free-text search."""
    fmt = output_format(suffix)
    text = " ".join(request.args.get("q", "").split())
    data: dict[str, Any] = {"query": text, "results": [], "truncated": False, "citation_error": None, "suggestions": []}
    if text:
        target, error, suggestions = _resolve_citation(text)
        if target is not None:
            location = href(str(target))
            if fmt == "json":
                location += ("&" if "?" in location else "?") + "format=json"
            return redirect(location, code=303)
        data.update(search_text(current_store(), text, g.lang, limit=min(row_limit(), 500)))
        data["citation_error"], data["suggestions"] = error, suggestions
    return respond("search.html", data, fmt=fmt)


def _resolve_citation(text: str) -> tuple[URIRef | None, str | None, list[str]]:
    """The provision a citation names; for text that looks like a citation, why it did not resolve."""
    from graph.resolve import ResolveError, resolve_provision

    looks_like_citation = any(hint in text.casefold() for hint in CITATION_HINTS)
    try:
        return resolve_provision(current_store(), text), None, []
    except ResolveError as error:
        if looks_like_citation:
            return None, error.message, list(error.suggestions)
        return None, None, []


@bp.route("/id/<path:rest>")
def resource(rest: str) -> Response:
    """One of our own IRIs ({base}{rest}): the page for browsers, its .json twin, or its RDF.

    The representation comes from a suffix (``.json``, ``.ttl``, ``.jsonld``, ``.nt``), else
    ``?format=``, else the Accept header; the same URL answers every form (no redirect).
    """
    rest, suffix = split_suffix(rest, ("json", *RDF_FORMATS))
    iri = URIRef(current_app.config["REGELGRAF_BASE"] + rest)
    chosen = suffix or request.args.get("format") or negotiate(request.accept_mimetypes)
    if chosen in RDF_FORMATS:
        return _rdf(iri, chosen)
    response = show(iri, "json" if chosen == "json" else "html")
    if chosen != "json":
        response.headers["Link"] = ", ".join(
            f'<{url_for("browse.resource", rest=f"{rest}.{f.name}")}>; rel="alternate"; type="{f.media_type}"'
            for f in RDF_FORMATS.values())
    return response


@bp.after_request
def _vary_on_accept(response: Response) -> Response:
    """Caches must keep the HTML, JSON and RDF answers of one /id/ URL apart (errors included)."""
    if request.path.startswith("/id/"):
        response.vary.add("Accept")
    return response


def _rdf(iri: URIRef, fmt: str) -> Response:
    """The resource's description in an RDF syntax; 404 when the graph knows nothing of it."""
    graph = rdf_description(current_store(), iri)
    if len(graph) == 0:
        raise fail(404, t("error.not_found", iri=str(iri)))
    return Response(serialize_rdf(graph, fmt), mimetype=RDF_FORMATS[fmt].media_type)


@bp.route("/document/<series>/<int:year>/<number>")
def document(series: str, year: int, number: str) -> Response:
    """A Retsinformation document by its ELI parts (its IRI is on Retsinformation's host)."""
    number, suffix = split_suffix(number, ("json",))
    if series not in ("lta", "ltb", "ltc", "accn") or not number.isdigit():
        raise fail(404, t("error.not_found", iri=f"{series}/{year}/{number}"))
    return show(document_iri(year, number, series), output_format(suffix))


@bp.route("/resource")
@bp.route("/resource.json", endpoint="resource_by_iri_json", defaults={"suffix": "json"})
def resource_by_iri(suffix: str | None = None) -> Response:
    """Any IRI in the graph, given as ``?iri=``."""
    iri = request.args.get("iri", "").strip()
    if not iri:
        raise fail(400, t("error.iri_missing"))
    if not _is_valid_uri(iri) or ":" not in iri:
        raise fail(400, t("error.iri_invalid", iri=iri))
    return show(URIRef(iri), output_format(suffix))


def show(iri: URIRef, fmt: str) -> Response:
    """Render the page that fits what the graph says about ``iri``; 404 when it says nothing."""
    store = current_store()
    description = describe(store, iri)
    kind = kind_of(description)
    if kind is None:
        if not is_mentioned(store, iri):
            raise fail(404, t("error.not_found", iri=str(iri)))
        kind = "resource"  # only pointed at (a source, a class) or a graph name: list what points at it
    data = PAGE_BUILDERS[kind](store, iri, description, g.as_of_effective, g.lang)
    return respond(f"{kind}.html", data, fmt=fmt)
