"""Each impact export, read back with the usual library for its format and compared with the JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pydot
import pytest
import rdflib
from rdflib import URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS

from graph import export
from graph.export import CSV_COLUMNS, IMPACT_FORMATS, ExportError, export_impact
from graph.impact import ImpactEdge, ImpactGraph, ImpactNode, ImpactTarget, clear_cache, impact
from graph.impact.model import Hop
from graph.impact.relations import RELATIONS
from graph.namespaces import RG
from graph.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "impact" / "impact.ttl"


@pytest.fixture(scope="module")
def result() -> ImpactGraph:
    """One real answer with partial nodes, several kinds and an as-of date."""
    store = open_store("oxigraph")
    store.replace_graphs({URIRef("https://regelgraf.dk/id/graph/source/impact-fixture"): rdflib.Graph().parse(FIXTURE)})
    answer = impact(store, "serviceloven § 79 a, stk. 7", as_of=dt.date(2023, 1, 1), depth=3)
    clear_cache(store)
    store.close()
    assert any(n.partial for n in answer.nodes) and len({n.kind for n in answer.nodes}) >= 4
    return answer


def expected(graph: ImpactGraph) -> dict:
    """What every format must carry, in one comparable shape."""
    data = graph.to_json()
    return {
        "target": data["target"]["id"], "target_label": data["target"]["label"], "as_of": data["as_of"] or "",
        "nodes": {n["id"]: (n["label"], n["kind"], n["depth"], n["partial"], tuple(n["path"]), tuple(n["relations"]))
                  for n in data["nodes"]},
        "edges": sorted((e["source"], e["target"], e["relation"]) for e in data["edges"]),
    }


def test_every_format_is_listed_with_a_media_type():
    assert set(IMPACT_FORMATS) == {"json", "graphml", "gexf", "dot", "svg", "cyjs", "jsonld", "ttl", "csv"}
    for fmt in IMPACT_FORMATS.values():
        assert fmt.media_type and fmt.extension and fmt.description


def test_json_is_the_json_result(result):
    assert json.loads(export_impact(result, "json")) == result.to_json()


def _from_networkx(g: nx.MultiDiGraph, *, label_key: str = "label") -> dict:
    split = lambda text: tuple(text.split("|")) if text else ()  # noqa: E731 - tiny local reader
    return {
        "target": g.graph["target"], "target_label": g.graph["target_label"], "as_of": g.graph["as_of"],
        "nodes": {n: (a[label_key], a["kind"], int(a["depth"]), a["partial"] in (True, "true", "True"), split(a["path"]),
                      split(a["relations"])) for n, a in g.nodes(data=True)},
        "edges": sorted((s, t, a["relation"]) for s, t, a in g.edges(data=True)),
    }


def test_graphml_reads_back_with_networkx(result):
    g = nx.read_graphml(io.BytesIO(export_impact(result, "graphml")), force_multigraph=True)
    assert _from_networkx(g) == expected(result)
    assert g.graph["direction"] == "dependents" and g.graph["max_depth"] == "3"


def test_gexf_reads_back_with_networkx(result):
    data = export_impact(result, "gexf")
    g = nx.read_gexf(io.BytesIO(data), node_type=str)
    meta = json.loads(ET.fromstring(data).find("{http://www.gexf.net/1.2draft}meta/{http://www.gexf.net/1.2draft}description").text)
    g.graph.update(target=meta["target"]["id"], target_label=meta["target"]["label"], as_of=meta["as_of"])
    assert _from_networkx(nx.MultiDiGraph(g)) == expected(result)
    assert meta["as_of"] == "2023-01-01" and meta["direction"] == "dependents"


def _unquote(value: str | None) -> str:
    if value is None:
        return ""
    if value.startswith('"') and value.endswith('"'):
        value = value[1:-1]
    out, i = [], 0
    while i < len(value):  # DOT escapes: \" \\ \n
        if value[i] == "\\" and i + 1 < len(value):
            out.append({"n": "\n"}.get(value[i + 1], value[i + 1]))
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def _from_dot(data: bytes) -> tuple[dict, dict[str, str]]:
    (dot,) = pydot.graph_from_dot_data(data.decode("utf-8"))
    iris = {node.get_name(): _unquote(node.get("iri")) for node in dot.get_nodes() if node.get("iri")}
    nodes = {iris[n.get_name()]: (_unquote(n.get("label")), _unquote(n.get("kind")), int(_unquote(n.get("depth"))),
                                  _unquote(n.get("partial")) == "true") for n in dot.get_nodes() if n.get("iri")}
    edges = sorted((iris[e.get_source()], iris[e.get_destination()], _unquote(e.get("relation"))) for e in dot.get_edges())
    attributes = {key: _unquote(value) for key, value in dot.get_attributes().items()}
    return {"nodes": nodes, "edges": edges}, attributes


def test_dot_reads_back_with_pydot_and_uses_safe_ids(result):
    data = export_impact(result, "dot")
    read, attributes = _from_dot(data)
    want = expected(result)
    assert read["nodes"] == {k: v[:4] for k, v in want["nodes"].items()}
    assert read["edges"] == want["edges"]
    assert attributes["target"] == want["target"] and attributes["as_of"] == "2023-01-01"
    (dot,) = pydot.graph_from_dot_data(data.decode("utf-8"))
    assert all(node.get_name().startswith("n") and ":" not in node.get_name() for node in dot.get_nodes())


def test_dot_escapes_quotes_and_backslashes():
    odd = 'Rule "A" \\ B\nnext line'
    node = ImpactNode("https://example.org/a:b", odd, "resource", 0, False, ("https://example.org/a:b",), (),
                      {"da": odd, "en": odd})
    graph = ImpactGraph(ImpactTarget(node.id, odd, "resource", "a:b"), None, "dependents", None, ("cites",), [node], [])
    read, attributes = _from_dot(export_impact(graph, "dot"))
    assert read["nodes"] == {node.id: (odd, "resource", 0, False)}
    assert attributes["target_label"] == odd
    rows = list(csv.DictReader(io.StringIO(export_impact(graph, "csv").decode("utf-8"))))
    assert rows[1]["label"] == odd and rows[1]["id"] == node.id


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz' dot is not installed (apt-get install graphviz)")
def test_svg_is_drawn_by_graphviz(result):
    svg = ET.fromstring(export_impact(result, "svg"))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    texts = {el.text for el in svg.iter("{http://www.w3.org/2000/svg}text")}
    for node in result.nodes:
        assert node.label in texts
    assert "Konsekvenser af serviceloven § 79 a, stk. 7 pr. 2023-01-01" in texts
    links = {el.get("{http://www.w3.org/1999/xlink}href") for el in svg.iter("{http://www.w3.org/2000/svg}a")}
    assert {node.id for node in result.nodes} <= links


def test_svg_without_graphviz_says_how_to_install_it(result, monkeypatch):
    monkeypatch.setattr(export.shutil, "which", lambda name: None)
    with pytest.raises(ExportError, match="apt-get install graphviz") as caught:
        export_impact(result, "svg")
    assert "install" in caught.value.message_en


def test_cyjs_holds_cytoscape_elements(result):
    data = json.loads(export_impact(result, "cyjs"))
    nodes = {el["data"]["id"]: el["data"] for el in data["elements"]["nodes"]}
    want = expected(result)
    assert {k: (v["label"], v["kind"], v["depth"], v["partial"], tuple(v["path"]), tuple(v["relations"]))
            for k, v in nodes.items()} == want["nodes"]
    assert sorted((e["data"]["source"], e["data"]["target"], e["data"]["relation"]) for e in data["elements"]["edges"]) == want["edges"]
    assert len({e["data"]["id"] for e in data["elements"]["edges"]}) == len(data["elements"]["edges"])
    assert data["data"]["target"]["id"] == want["target"] and data["data"]["as_of"] == "2023-01-01"


def _from_rdf(g: rdflib.Graph) -> dict:
    (analysis,) = g.subjects(RDF.type, RG.ImpactAnalysis)
    assert (analysis, RDF.type, PROV.Activity) in g
    target = g.value(analysis, PROV.used)
    nodes = {}
    for entry in g.objects(analysis, RG.entry):
        resource = g.value(entry, RG.entryResource)
        label = next(str(l) for l in g.objects(resource, RDFS.label) if l.language == "da")
        nodes[str(resource)] = (label, str(g.value(entry, DCTERMS.type)), g.value(entry, RG.depth).toPython(),
                                g.value(entry, RG.partial).toPython(),
                                tuple(str(n) for n in Collection(g, g.value(entry, RG.path))),
                                tuple(str(r) for r in Collection(g, g.value(entry, RG.pathRelations))))
    predicates = {RELATIONS[name].predicate: name for name in RELATIONS}
    edges = sorted((str(s), str(o), predicates[p]) for s, p, o in g if p in predicates)
    return {"target": str(target), "target_label": next(str(l) for l in g.objects(target, RDFS.label) if l.language == "da"),
            "as_of": str(g.value(analysis, RG.asOf)), "nodes": nodes, "edges": edges}


@pytest.mark.parametrize("fmt,parser", [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_rdf_reads_back_with_rdflib(result, fmt, parser):
    g = rdflib.Graph().parse(data=export_impact(result, fmt), format=parser)
    assert _from_rdf(g) == expected(result)
    (analysis,) = g.subjects(RDF.type, RG.ImpactAnalysis)
    assert str(g.value(analysis, PROV.startedAtTime)) == result.generated_at.isoformat()
    assert str(g.value(analysis, RG.targetText)) == "serviceloven § 79 a, stk. 7"
    assert {str(o) for o in g.objects(analysis, RG.followsRelation)} == set(result.relations)
    kinds = {str(g.value(e, RG.entryResource)): str(g.value(e, DCTERMS.type)) for e in g.objects(analysis, RG.entry)}
    assert kinds[result.target.id] == "provision"


def test_ttl_and_jsonld_hold_the_same_graph(result):
    ttl = rdflib.Graph().parse(data=export_impact(result, "ttl"), format="turtle")
    jsonld = rdflib.Graph().parse(data=export_impact(result, "jsonld"), format="json-ld")
    assert isomorphic(ttl, jsonld)


def test_csv_has_an_analysis_row_then_nodes_then_edges(result):
    rows = list(csv.DictReader(io.StringIO(export_impact(result, "csv").decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [r["record"] for r in rows] == ["analysis"] + ["node"] * len(result.nodes) + ["edge"] * len(result.edges)
    analysis = rows[0]
    split = lambda text: tuple(text.split("|")) if text else ()  # noqa: E731 - tiny local reader
    read = {
        "target": analysis["id"], "target_label": analysis["label"], "as_of": analysis["as_of"],
        "nodes": {r["id"]: (r["label"], r["kind"], int(r["depth"]), r["partial"] == "true", split(r["path"]), split(r["relations"]))
                  for r in rows if r["record"] == "node"},
        "edges": sorted((r["source"], r["target"], r["relation"]) for r in rows if r["record"] == "edge"),
    }
    assert read == expected(result)
    assert analysis["direction"] == "dependents" and analysis["depth"] == "3"
    assert all(r["explanation_da"] and r["explanation_en"] for r in rows if r["record"] == "node")


def test_an_unknown_format_lists_the_known_ones(result):
    with pytest.raises(ExportError, match="graphml"):
        export_impact(result, "xlsx")


def test_a_graph_without_as_of_or_depth_exports_everywhere():
    target = ImpactTarget("https://example.org/x", "x", "provision", "x")
    nodes = [ImpactNode(target.id, "x", "provision", 0, False, (target.id,), (), {"da": "x.", "en": "x."}),
             ImpactNode("https://example.org/y", "y", "provision", 1, True, (target.id, "https://example.org/y"),
                        (Hop("part_of", target.id, "https://example.org/y"),), {"da": "y.", "en": "y."},
                        partial_via=target.id)]
    graph = ImpactGraph(target, None, "dependents", None, ("part_of",), nodes,
                        [ImpactEdge(target.id, "https://example.org/y", "part_of")])
    for fmt in IMPACT_FORMATS:
        if fmt == "svg" and shutil.which("dot") is None:
            continue
        assert export_impact(graph, fmt)
    g = rdflib.Graph().parse(data=export_impact(graph, "ttl"), format="turtle")
    assert not list(g.objects(None, RG.asOf)) and not list(g.objects(None, RG.maxDepth))
    assert nx.read_graphml(io.BytesIO(export_impact(graph, "graphml"))).graph["as_of"] == ""


def test_the_rdf_export_conforms_to_the_shapes(result):
    from graph.validation import validate

    report = validate(rdflib.Graph().parse(data=export_impact(result, "ttl"), format="turtle"))
    assert report.conforms, [r.message for r in report.results]
    assert not [r for r in report.results if "violation" in str(r.severity).lower()]
