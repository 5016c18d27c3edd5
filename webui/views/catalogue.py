"""The query catalogue: a form per named query, results as a table, CSV/JSON and a permalink."""

from __future__ import annotations

import csv
import io
from typing import Any

from flask import Blueprint, Response, g, request
from rdflib import BNode, Literal, URIRef
from rdflib.term import Identifier

from graph.namespaces import AREA
from graph.queries import NamedQuery, ParameterError, UnknownQueryError, run_named_query
from webui.labels import labels, plain
from webui.overview import municipality_list
from webui.rendering import fail, output_format, page_url, respond, split_suffix, t
from webui.state import current_store, row_limit, state

bp = Blueprint("catalogue", __name__)

INPUT_TYPES = {"date": "date", "integer": "number", "iri": "url", "string": "text", "provision": "text"}
AREAS = ("dagtilbud", "folkeskole", "aeldre")
# Arguments that belong to the page, not to the query.
PAGE_ARGS = ("lang", "format", "run")


def describe_query(query: NamedQuery) -> dict[str, Any]:
    """A named query's header as plain data."""
    return {
        "name": query.name, "summary": query.summary, "description": query.description, "tags": list(query.tags),
        "params": [{"name": p.name, "type": p.type, "required": p.required, "default": p.default,
                    "description": p.description} for p in query.params],
        "example": dict(query.example),
    }


@bp.route("/queries")
@bp.route("/queries.json", endpoint="index_json", defaults={"suffix": "json"})
def index(suffix: str | None = None) -> Response:
    """Every named query with its summary and tags."""
    queries = [describe_query(q) for q in state().catalogue]
    tags = sorted({tag for q in queries for tag in q["tags"]})
    return respond("queries.html", {"queries": queries, "tags": tags}, fmt=output_format(suffix))


@bp.route("/queries/<name>")
def query(name: str) -> Response:
    """The form of one query; with its parameters given (or none needed), its results too."""
    name, suffix = split_suffix(name)
    fmt = output_format(suffix)
    try:
        named = state().catalogue.get(name)
    except UnknownQueryError as error:
        raise fail(404, t("error.unknown_query", name=name, suggestions=", ".join(error.suggestions) or "–")) from None
    values = {p.name: request.args.get(p.name, "") for p in named.params}
    unknown = sorted(set(request.args) - set(values) - set(PAGE_ARGS) - {"as_of"})
    data: dict[str, Any] = {**describe_query(named), "text": named.text, "values": values, "error": None, "result": None,
                            "fields": _fields(named, values), "permalink": None, "downloads": None}
    if unknown:
        data["error"] = {"param": unknown[0], "message": t("query.unknown_param", param=unknown[0])}
        return _page_or_error(data, fmt, 400)
    given = {k: v for k, v in values.items() if v.strip()}
    # A query without parameters runs at once; one with parameters runs once its form is sent.
    should_run = fmt != "html" or "run" in request.args or not named.params or bool(given)
    if not should_run:
        return respond("query.html", data, fmt=fmt)
    try:
        result = run_named_query(current_store(), named, given, limit=row_limit())
    except ParameterError as error:
        data["error"] = {"param": error.param, "message": str(error)}
        return _page_or_error(data, fmt, 400)
    table = result_table(result)
    if fmt == "csv":
        return _csv(named.name, table)
    data["result"] = _labelled(table) if fmt == "html" else _as_objects(table)
    data["permalink"] = page_url("catalogue.query", name=named.name, run="1", **given)
    data["downloads"] = {kind: page_url("catalogue.query", name=f"{named.name}.{kind}", **given) for kind in ("csv", "json")}
    return respond("query.html", data, fmt=fmt)


def _page_or_error(data: dict[str, Any], fmt: str, status: int) -> Response:
    if fmt == "html":
        return respond("query.html", data, status=status, fmt=fmt)
    raise fail(status, data["error"]["message"])


def _fields(named: NamedQuery, values: dict[str, str]) -> list[dict[str, Any]]:
    """One form control per parameter: its input type, and the choices where the graph has them."""
    fields = []
    for p in named.params:
        field: dict[str, Any] = {"name": p.name, "type": p.type, "input": INPUT_TYPES.get(p.type, "text"),
                                 "required": p.required, "default": p.default, "description": p.description,
                                 "value": values.get(p.name, ""), "example": named.example.get(p.name), "choices": None}
        given = field["value"].strip().casefold()
        if p.type == "municipality":
            # A permalink may name the municipality by code, name or IRI; the matching choice is selected.
            field["choices"] = [{
                "value": m["code"] or m["iri"], "label": m["label"],
                "selected": bool(given) and given in {str(m["code"]).casefold(), m["iri"].casefold(), m["label"].casefold(),
                                                      f"{m['label']} kommune".casefold()},
            } for m in municipality_list(current_store(), g.lang)]
        elif p.type == "area":
            names = labels(current_store(), [str(AREA[a]) for a in AREAS], g.lang)
            chosen = _area_code(given)
            field["choices"] = [{"value": a, "label": names[str(AREA[a])], "selected": a == chosen} for a in AREAS]
        fields.append(field)
    return fields


def _area_code(text: str) -> str | None:
    """The area code a typed value names ("ældre" → "aeldre"), or None."""
    from graph.resolve import ResolveError, resolve_area

    try:
        return str(resolve_area(text)).rsplit("/", 1)[-1] if text else None
    except ResolveError:
        return None


def check_param_names(catalogue: Any) -> None:
    """Fail loudly when a query parameter would collide with an argument the page itself uses."""
    for named in catalogue:
        for param in named.params:
            if param.name in PAGE_ARGS:
                raise ValueError(f"{named.path}: parameter {param.name!r} collides with the web UI's own "
                                 f"?{param.name}=; rename it (reserved: {', '.join(PAGE_ARGS)})")


def result_table(result: Any) -> dict[str, Any]:
    """A QueryResult as columns and rows of terms, whether it came from SELECT, ASK or CONSTRUCT."""
    if result.boolean is not None:
        return {"columns": ["boolean"], "rows": [[Literal(bool(result.boolean))]], "truncated": False, "boolean": bool(result.boolean)}
    if result.graph is not None:
        rows = [list(triple) for triple in sorted(result.graph)]
        return {"columns": ["subject", "predicate", "object"], "rows": rows, "truncated": bool(result.truncated), "boolean": None}
    return {"columns": list(result.columns), "rows": [list(row) for row in result.rows], "truncated": bool(result.truncated), "boolean": None}


def _labelled(table: dict[str, Any]) -> dict[str, Any]:
    """Cells for the HTML table: IRIs get a label and a link, literals their text."""
    iris = [cell for row in table["rows"] for cell in row if isinstance(cell, URIRef)]
    names = labels(current_store(), iris, g.lang)
    rows = [[_cell(cell, names) for cell in row] for row in table["rows"]]
    return {**table, "rows": rows}


def _cell(cell: Identifier | None, names: dict[str, str]) -> dict[str, Any] | None:
    if cell is None:
        return None
    if isinstance(cell, URIRef):
        return {"iri": str(cell), "label": names.get(str(cell), str(cell))}
    return {"value": plain(cell), "lang": getattr(cell, "language", None), "blank": isinstance(cell, BNode)}


def _as_objects(table: dict[str, Any]) -> dict[str, Any]:
    """Rows as objects keyed by column, values as plain text (IRIs as strings)."""
    rows = [{column: plain(cell) for column, cell in zip(table["columns"], row)} for row in table["rows"]]
    return {**table, "rows": rows}


def _csv(name: str, table: dict[str, Any]) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table["columns"])
    for row in table["rows"]:
        writer.writerow(["" if cell is None else plain(cell) for cell in row])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
