"""Impact graphs in the formats other tools read: JSON, GraphML, GEXF, DOT, SVG, Cytoscape.js,
JSON-LD, Turtle and CSV.

Every format carries the target, the as-of date, and each node's label and kind. Layouts that
are ours to choose (CSV, the RDF vocabulary) are described in docs/impact.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, XSD

from graph.identifiers import base_iri
from graph.impact import ImpactGraph
from graph.impact.relations import RELATIONS
from graph.namespaces import PREFIXES, RG

__all__ = ["ExportFormat", "IMPACT_FORMATS", "ExportError", "export_impact", "to_networkx", "CSV_COLUMNS"]


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, media type, file extension and what reads it."""

    name: str
    media_type: str
    extension: str
    description: str


IMPACT_FORMATS: dict[str, ExportFormat] = {f.name: f for f in (
    ExportFormat("json", "application/json", "json", "regelgraf's own impact JSON"),
    ExportFormat("graphml", "application/graphml+xml", "graphml", "GraphML (yEd, Gephi, networkx)"),
    ExportFormat("gexf", "application/gexf+xml", "gexf", "GEXF 1.2 (Gephi)"),
    ExportFormat("dot", "text/vnd.graphviz", "dot", "Graphviz DOT"),
    ExportFormat("svg", "image/svg+xml", "svg", "SVG drawn by Graphviz' dot (needs the dot program)"),
    ExportFormat("cyjs", "application/json", "cyjs", "Cytoscape.js / Cytoscape desktop elements JSON"),
    ExportFormat("jsonld", "application/ld+json", "jsonld", "the subgraph as JSON-LD, with provenance"),
    ExportFormat("ttl", "text/turtle", "ttl", "the subgraph as Turtle, with provenance"),
    ExportFormat("csv", "text/csv", "csv", "one CSV: an analysis row, then node rows, then edge rows"),
)}
"""Every impact export format by its ``--format`` name."""

CSV_COLUMNS = ("record", "id", "label", "kind", "depth", "partial", "partial_via", "path", "relations",
               "source", "target", "relation", "as_of", "direction", "explanation_da", "explanation_en")
"""The columns of the CSV export; ``record`` is analysis, node or edge (see docs/impact.md)."""

_SHAPES = {"provision": "box", "subdivision": "box", "document": "note", "law": "folder", "decision": "hexagon",
           "agreement": "component", "possibility": "octagon", "non_derogable": "house", "municipality": "ellipse",
           "municipal_rule": "tab", "non_application": "invhouse"}


class ExportError(ValueError):
    """An export that cannot be made (unknown format, missing Graphviz, Graphviz failed)."""

    def __init__(self, message: str, message_en: str):
        self.message_en = message_en
        super().__init__(message)


def export_impact(graph: ImpactGraph, fmt: str) -> bytes:
    """The impact graph serialised in ``fmt`` (one of IMPACT_FORMATS)."""
    writers = {"json": _json, "graphml": _graphml, "gexf": _gexf, "dot": _dot, "svg": _svg, "cyjs": _cyjs,
               "jsonld": _jsonld, "ttl": _turtle, "csv": _csv}
    if fmt not in writers:
        known = ", ".join(IMPACT_FORMATS)
        raise ExportError(f"ukendt format {fmt!r}; vælg en af: {known}", f"unknown format {fmt!r}; choose one of: {known}")
    return writers[fmt](graph)


def header(graph: ImpactGraph) -> dict[str, object]:
    """What every format states about the question: target, as-of date, direction, depth, relations."""
    data = graph.to_json()
    return {key: data[key] for key in ("target", "as_of", "direction", "depth", "relations", "generated_at")}


def _json(graph: ImpactGraph) -> bytes:
    return (json.dumps(graph.to_json(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_networkx(graph: ImpactGraph) -> nx.MultiDiGraph:
    """A networkx multigraph with scalar attributes only (what GraphML and GEXF can hold).

    Lists (path, relations) are joined with "|", which no IRI or relation name contains."""
    target = graph.target
    g = nx.MultiDiGraph(
        target=target.id, target_label=target.label, target_kind=target.kind, target_input=target.input,
        as_of=graph.as_of.isoformat() if graph.as_of else "", direction=graph.direction,
        max_depth="" if graph.depth is None else str(graph.depth), relations="|".join(graph.relations),
        generated_at=graph.generated_at.isoformat())
    for node in graph.nodes:
        g.add_node(node.id, label=node.label, kind=node.kind, depth=node.depth, partial=node.partial,
                   partial_via=node.partial_via or "", path="|".join(node.path), relations="|".join(node.relations),
                   explanation_da=node.explanation["da"], explanation_en=node.explanation["en"])
    for i, edge in enumerate(graph.edges):
        g.add_edge(edge.source, edge.target, key=f"e{i}", id=f"e{i}", relation=edge.relation)
    return g


def _graphml(graph: ImpactGraph) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(to_networkx(graph), out, encoding="utf-8")
    return out.getvalue()


def _gexf(graph: ImpactGraph) -> bytes:
    out = io.BytesIO()
    nx.write_gexf(to_networkx(graph), out, encoding="utf-8", version="1.2draft")
    # GEXF keeps graph-level facts in <meta>; networkx writes only the creator there.
    ns = "http://www.gexf.net/1.2draft"
    ET.register_namespace("", ns)
    ET.register_namespace("xsi", "http://www.w3.org/2001/XMLSchema-instance")
    root = ET.fromstring(out.getvalue())
    meta = root.find(f"{{{ns}}}meta")
    if meta is None:
        meta = ET.Element(f"{{{ns}}}meta")
        root.insert(0, meta)
    ET.SubElement(meta, f"{{{ns}}}keywords").text = f"regelgraf, impact, {graph.target.label}"
    ET.SubElement(meta, f"{{{ns}}}description").text = json.dumps(header(graph), ensure_ascii=False)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _dot_text(graph: ImpactGraph) -> str:
    """DOT with safe node ids (n0, n1 …) and the IRI in an attribute: DOT reads ``a:b`` as a port."""
    import pydot

    as_of = graph.as_of.isoformat() if graph.as_of else ""
    caption = f"Konsekvenser af {graph.target.label}" + (f" pr. {as_of}" if as_of else "")
    dot = pydot.Dot("impact", graph_type="digraph", rankdir="RL", label=_q(caption), labelloc="t",
                    fontname="Helvetica", target=_q(graph.target.id), target_label=_q(graph.target.label),
                    target_kind=_q(graph.target.kind), as_of=_q(as_of), direction=_q(graph.direction))
    ids = {node.id: f"n{i}" for i, node in enumerate(graph.nodes)}
    for node in graph.nodes:
        style = "filled,bold" if node.depth == 0 else ("dashed" if node.partial else "solid")
        dot.add_node(pydot.Node(
            ids[node.id], label=_q(node.label), iri=_q(node.id), kind=_q(node.kind), depth=str(node.depth),
            partial=_q(str(node.partial).lower()), tooltip=_q(node.explanation["da"]), URL=_q(node.id),
            shape=_SHAPES.get(node.kind, "box"), style=_q(style), fontname="Helvetica",
            fillcolor=_q("#fde68a" if node.depth == 0 else "white")))
    for edge in graph.edges:
        dot.add_edge(pydot.Edge(ids[edge.source], ids[edge.target], label=_q(edge.relation), relation=_q(edge.relation),
                                fontname="Helvetica", fontsize="10"))
    return dot.to_string()


def _q(text: str) -> str:
    """A DOT double-quoted string (pydot leaves quoting of odd characters to the caller)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _dot(graph: ImpactGraph) -> bytes:
    return _dot_text(graph).encode("utf-8")


def _svg(graph: ImpactGraph) -> bytes:
    program = shutil.which("dot")
    if program is None:
        raise ExportError("svg kræver Graphviz' program 'dot', som ikke er installeret; installer det med "
                          "'apt-get install graphviz', eller vælg --format dot og tegn grafen et andet sted",
                          "svg needs Graphviz' 'dot' program, which is not installed; install it with "
                          "'apt-get install graphviz', or choose --format dot and draw the graph elsewhere")
    try:
        done = subprocess.run([program, "-Tsvg"], input=_dot(graph), capture_output=True, timeout=120, check=False)
    except subprocess.TimeoutExpired:
        raise ExportError("Graphviz brugte mere end 120 sekunder; begræns grafen med --depth eller --relations",
                          "Graphviz took more than 120 seconds; limit the graph with --depth or --relations") from None
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip()
        raise ExportError(f"Graphviz' dot fejlede: {detail}", f"Graphviz' dot failed: {detail}")
    return done.stdout


def _cyjs(graph: ImpactGraph) -> bytes:
    data = graph.to_json()
    elements = {
        "nodes": [{"data": node, "classes": node["kind"] + (" partial" if node["partial"] else "")} for node in data["nodes"]],
        "edges": [{"data": {"id": f"e{i}", **edge}} for i, edge in enumerate(data["edges"])],
    }
    document = {"format_version": "1.0", "generated_by": "regelgraf", "target_cytoscapejs_version": "~3.35",
                "data": {"name": f"Konsekvenser af {graph.target.label}", **header(graph)}, "elements": elements}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def analysis_iri(graph: ImpactGraph) -> URIRef:
    """A stable IRI for one answer: the same question answered at the same time gets the same IRI."""
    digest = hashlib.sha256(json.dumps(header(graph), sort_keys=True).encode()).hexdigest()[:16]
    return URIRef(f"{base_iri()}impact/{digest}")


def to_rdf(graph: ImpactGraph) -> Graph:
    """The subgraph (labels and the followed relations) plus the question and its answer.

    The analysis is a prov:Activity that used the target, at generated_at; each node has an
    rg:ImpactEntry giving its kind (dcterms:type), depth, partiality, path and explanation.
    Nodes get no rdf:type: a typed provision would have to carry everything the shapes ask of a
    provision (citation, number, …), and the export is a view of the store, not a copy of it.
    """
    g = Graph()
    for prefix, iri in PREFIXES.items():
        g.bind(prefix, iri)
    analysis = analysis_iri(graph)
    target = graph.target
    g.add((analysis, RDF.type, RG.ImpactAnalysis))
    g.add((analysis, RDF.type, PROV.Activity))
    g.add((analysis, RDFS.label, Literal(f"Konsekvensanalyse af {target.label}", lang="da")))
    g.add((analysis, RDFS.label, Literal(f"Impact analysis of {target.label_en or target.label}", lang="en")))
    g.add((analysis, PROV.used, URIRef(target.id)))
    g.add((analysis, RG.targetText, Literal(target.input)))
    g.add((analysis, PROV.startedAtTime, Literal(graph.generated_at.isoformat(), datatype=XSD.dateTime)))
    g.add((analysis, RG.direction, Literal(graph.direction)))
    if graph.as_of:
        g.add((analysis, RG.asOf, Literal(graph.as_of.isoformat(), datatype=XSD.date)))
    if graph.depth is not None:
        g.add((analysis, RG.maxDepth, Literal(graph.depth)))
    for name in graph.relations:
        g.add((analysis, RG.followsRelation, Literal(name)))
    for node in graph.nodes:
        resource = URIRef(node.id)
        g.add((resource, RDFS.label, Literal(node.label, lang="da")))
        if node.label_en and node.label_en != node.label:
            g.add((resource, RDFS.label, Literal(node.label_en, lang="en")))
        entry = BNode()
        g.add((analysis, RG.entry, entry))
        g.add((entry, RDF.type, RG.ImpactEntry))
        g.add((entry, RG.entryResource, resource))
        g.add((entry, DCTERMS.type, Literal(node.kind)))
        g.add((entry, RG.depth, Literal(node.depth)))
        g.add((entry, RG.partial, Literal(node.partial)))
        if node.partial_via:
            g.add((entry, RG.partialVia, URIRef(node.partial_via)))
        for lang, sentence in node.explanation.items():
            g.add((entry, RG.explanation, Literal(sentence, lang=lang)))
        path, hops = BNode(), BNode()
        Collection(g, path, [URIRef(n) for n in node.path])
        Collection(g, hops, [Literal(r) for r in node.relations])
        g.add((entry, RG.path, path))
        g.add((entry, RG.pathRelations, hops))
    for edge in graph.edges:
        g.add((URIRef(edge.source), RELATIONS[edge.relation].predicate, URIRef(edge.target)))
    return g


def _turtle(graph: ImpactGraph) -> bytes:
    return to_rdf(graph).serialize(format="turtle", encoding="utf-8")


def _jsonld(graph: ImpactGraph) -> bytes:
    # An inline context: a remote @context would make every reader fetch it from the network.
    return to_rdf(graph).serialize(format="json-ld", context=dict(PREFIXES), indent=2, encoding="utf-8")


def _csv(graph: ImpactGraph) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    target = graph.target
    writer.writerow({"record": "analysis", "id": target.id, "label": target.label, "kind": target.kind,
                     "depth": "" if graph.depth is None else graph.depth, "relations": "|".join(graph.relations),
                     "as_of": graph.as_of.isoformat() if graph.as_of else "", "direction": graph.direction})
    for node in graph.nodes:
        writer.writerow({"record": "node", "id": node.id, "label": node.label, "kind": node.kind, "depth": node.depth,
                         "partial": str(node.partial).lower(), "partial_via": node.partial_via or "",
                         "path": "|".join(node.path), "relations": "|".join(node.relations),
                         "explanation_da": node.explanation["da"], "explanation_en": node.explanation["en"]})
    for edge in graph.edges:
        writer.writerow({"record": "edge", "source": edge.source, "target": edge.target, "relation": edge.relation})
    return out.getvalue().encode("utf-8")
