"""The impact view: what depends on a target, drawn with Cytoscape.js, listed with explanations,
and downloadable in every export format of graph.export."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, g, request
from werkzeug.datastructures import MultiDict

from graph.export import IMPACT_FORMATS, ExportError, export_impact
from graph.impact import (
    DEFAULT_REFERENCE_HOPS, DIRECTIONS, KINDS, RELATION_NAMES, ImpactError, ImpactGraph, ImpactTargetError, impact,
    parse_reference_hops,
)
from webui.rendering import fail, href, output_format, page_url, respond, t
from webui.state import current_store, row_limit

bp = Blueprint("impact", __name__)

DRAW_LIMIT = 400  # more nodes than this make a drawing nobody can read; the list and exports stay whole
DEPTH_CHOICES = (1, 2, 3, 4, 5, 6)
REFERENCE_CHOICES = (0, 1, 2, 3)  # and "all"


def question(args: MultiDict[str, str]) -> dict[str, Any]:
    """The impact question the query string asks: target, depth, relations and direction."""
    raw_depth = args.get("depth", "").strip()
    if raw_depth and not raw_depth.isdigit():
        raise fail(400, t("impact.error.depth", value=raw_depth))
    try:
        reference_hops = parse_reference_hops(args.get("references", "").strip())
    except ImpactError:
        raise fail(400, t("impact.error.references", value=args.get("references", ""))) from None
    # Checkboxes send ?relations=a&relations=b; a typed link may say ?relations=a,b.
    relations = [name for value in args.getlist("relations") for name in re.split(r"[,\s]+", value) if name]
    return {
        "target": " ".join(args.get("target", "").split()),
        "depth": int(raw_depth) if raw_depth else None,
        "reference_hops": reference_hops,
        "relations": relations or None,
        "direction": args.get("direction", "dependents") or "dependents",
    }


def query_args(asked: dict[str, Any]) -> dict[str, Any]:
    """The question as URL arguments (the as-of date is added by page_url)."""
    args: dict[str, Any] = {"target": asked["target"]}
    if asked["depth"] is not None:
        args["depth"] = asked["depth"]
    if asked["reference_hops"] != DEFAULT_REFERENCE_HOPS:
        args["references"] = "all" if asked["reference_hops"] is None else asked["reference_hops"]
    if asked["relations"] and set(asked["relations"]) != set(RELATION_NAMES):
        args["relations"] = ",".join(name for name in RELATION_NAMES if name in asked["relations"])
    if asked["direction"] != "dependents":
        args["direction"] = asked["direction"]
    return args


def run(asked: dict[str, Any]) -> ImpactGraph:
    """Ask graph.impact the question, as of the page's chosen date (validity ignored without one)."""
    try:
        return impact(current_store(), asked["target"], as_of=g.as_of, depth=asked["depth"],
                      relations=asked["relations"], direction=asked["direction"],
                      reference_hops=asked["reference_hops"])
    except ImpactError as error:
        raise fail(400, error.message_en if g.lang == "en" else str(error)) from None


@bp.route("/impact")
@bp.route("/impact.<fmt>")
def page(fmt: str | None = None) -> Response:
    """The form, and for a target its graph, node list and downloads; ``/impact.<format>`` exports."""
    if fmt is not None and fmt not in IMPACT_FORMATS:
        raise fail(404, t("impact.error.format", fmt=fmt, known=", ".join(IMPACT_FORMATS)))
    wanted = fmt or output_format()
    asked = question(request.args)
    data = form_data(asked)
    if not asked["target"]:
        if wanted != "html":
            raise fail(400, t("impact.error.no_target"))
        return respond("impact.html", data)
    try:
        graph = run(asked)
    except ImpactTargetError as error:
        if wanted != "html":
            raise fail(404, error.render(g.lang)) from None
        data["error"] = {"message": error.message_en if g.lang == "en" else error.message,
                         "suggestions": [{"label": s, "url": page_url("impact.page", **{**query_args(asked), "target": s})}
                                         for s in error.suggestions]}
        return respond("impact.html", data, status=404)
    if wanted == "html":
        return respond("impact.html", {**data, **graph_data(graph, asked)})
    return download(graph, "json" if wanted not in IMPACT_FORMATS else wanted, attachment=fmt not in (None, "json"))


def download(graph: ImpactGraph, fmt: str, *, attachment: bool) -> Response:
    """The graph in one export format; a file to save unless it is the page's JSON twin."""
    try:
        body = export_impact(graph, fmt)
    except ExportError as error:
        raise fail(503, error.message_en if g.lang == "en" else str(error)) from None
    spec = IMPACT_FORMATS[fmt]
    response = Response(body, mimetype=spec.media_type)
    if spec.media_type.startswith("text/") or spec.media_type.endswith(("+xml", "/json", "+json")):
        response.charset = "utf-8"
    if attachment:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename(graph, fmt)}"'
    return response


def filename(graph: ImpactGraph, fmt: str) -> str:
    """``impact-serviceloven-83.graphml``: the target in ASCII letters, digits and dashes."""
    name = re.sub(r"[^\w.-]+", "-", graph.target.label, flags=re.ASCII).strip("-.").lower() or "target"
    return f"impact-{name}.{IMPACT_FORMATS[fmt].extension}"


def form_data(asked: dict[str, Any]) -> dict[str, Any]:
    """The question as the form shows it, with every choice labelled in the reader's language."""
    chosen = set(asked["relations"] or RELATION_NAMES)
    return {
        "question": {**asked, "as_of": g.as_of.isoformat() if g.as_of else None},
        "relations": [{"name": name, "label": t(f"impact.relation.{name}"), "checked": name in chosen}
                      for name in RELATION_NAMES],
        "directions": [{"name": name, "label": t(f"impact.direction.{name}"), "checked": name == asked["direction"]}
                       for name in DIRECTIONS],
        "depths": list(DEPTH_CHOICES),
        "reference_choices": list(REFERENCE_CHOICES),
        "error": None, "result": None,
    }


def graph_data(graph: ImpactGraph, asked: dict[str, Any]) -> dict[str, Any]:
    """The answer for the page: nodes with their paths and sentences, the drawing's elements, downloads."""
    en = g.lang == "en"
    names = {node.id: (node.label_en or node.label) if en else node.label for node in graph.nodes}
    nodes = [{
        "id": node.id, "href": href(node.id), "label": names[node.id], "kind": node.kind,
        "kind_label": KINDS.get(node.kind, KINDS["resource"])[1 if en else 0], "depth": node.depth,
        "partial": node.partial, "explanation": node.explanation["en" if en else "da"],
        "path": [{"iri": step, "href": href(step), "label": names.get(step, step)} for step in node.path],
        "relations": [t(f"impact.relation.{name}") for name in node.relations],
    } for node in graph.nodes]
    limit = row_limit()
    args = query_args(asked)
    return {"result": {
        "target": {"iri": graph.target.id, "label": names.get(graph.target.id, graph.target.label),
                   "kind": graph.target.kind, "href": href(graph.target.id)},
        "node_count": len(graph.nodes), "edge_count": len(graph.edges),
        "nodes": nodes[:limit], "truncated": len(nodes) > limit,
        "drawable": len(nodes) <= DRAW_LIMIT, "draw_limit": DRAW_LIMIT,
        "elements": {
            # "via" is the previous node of the path (not "parent", which Cytoscape reads as a compound node).
            "nodes": [{"data": {**{key: n[key] for key in ("id", "label", "kind", "depth", "href", "explanation", "partial")},
                                **({"via": n["path"][-2]["iri"]} if len(n["path"]) > 1 else {})}}
                      for n in nodes] if len(nodes) <= DRAW_LIMIT else [],
            "edges": [{"data": {"id": f"e{i}", "source": e.source, "target": e.target, "relation": e.relation,
                                "label": t(f"impact.relation.{e.relation}")}}
                      for i, e in enumerate(graph.edges)] if len(nodes) <= DRAW_LIMIT else [],
        },
        "downloads": [{"format": name, "label": t(f"impact.format.{name}"), "extension": spec.extension,
                       "filename": filename(graph, name),
                       "url": page_url("impact.page", fmt=name, **args)} for name, spec in IMPACT_FORMATS.items()],
    }}


@bp.app_template_global()
def impact_url(iri: str) -> str:
    """The impact page of a resource (the button on provision, law, municipality and agreement pages)."""
    return page_url("impact.page", target=iri)
