"""The impact view and the SPARQL editor page, through Flask's test client, on every store backend."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import networkx as nx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.export import IMPACT_FORMATS
from graph.impact import RELATION_NAMES, impact
from graph.namespaces import RG
from graph.queries import Catalogue
from graph.rdfio import read_rdf
from graph.store import open_store
from webui import create_app

FIXTURES = Path(__file__).parent / "fixtures" / "webui"
BASE = "https://regelgraf.dk/id/"
PAR_83 = BASE + "work/serviceloven/par_83"
BEK = "https://www.retsinformation.dk/eli/lta/2019/1200"
TARGET = {"target": "serviceloven § 83"}


@pytest.fixture(scope="module", params=["oxigraph", "memory", "remote"])
def store(request, tmp_path_factory):
    """The web UI's fixture graph in a fresh store of each backend."""
    if request.param == "remote":
        server = request.getfixturevalue("oxigraph_server")
        server.clear()
        opened = server.open()
    else:
        opened = open_store(request.param, location=tmp_path_factory.mktemp("impact-store") if request.param == "oxigraph" else None)
    opened.replace_graphs(read_rdf(FIXTURES / "graph.trig"))
    yield opened
    opened.close()


@pytest.fixture
def app(store):
    return create_app({"REGELGRAF_STORE": store, "REGELGRAF_BASE": BASE, "TESTING": True,
                       "REGELGRAF_QUERIES_DIR": FIXTURES / "queries", "REGELGRAF_EDITOR_PERSISTENCE": False})


@pytest.fixture
def client(app):
    return app.test_client()


def elements(html: str) -> dict:
    """The drawing's elements from the page's JSON data block."""
    match = re.search(r'<script type="application/json" id="impact-elements">(.*?)</script>', html, re.S)
    assert match, "the impact page has no elements block"
    return json.loads(match.group(1))


# --- the page --------------------------------------------------------------------------------

def test_form_without_a_target(client):
    response = client.get("/impact")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<label for="impact-target">Mål</label>' in html and 'name="target"' in html
    assert html.count('type="checkbox" name="relations"') == len(RELATION_NAMES)
    assert 'id="impact-elements"' not in html and "cytoscape.min.js" not in html
    assert client.get("/impact.json").status_code == 400


def test_nodes_and_explanations_are_listed_without_javascript(client):
    html = client.get("/impact", query_string=TARGET).get_data(as_text=True)
    assert "21 knude(r) og 24 kant(er)." in html
    # The deepest node's sentence walks all the way back to the target, with every step a link.
    assert ("BEK nr. 1200 af 20. november 2019 hviler på (hjemmel) serviceloven § 83, stk. 1, nr. 3, som er en del af "
            "serviceloven § 83, stk. 1, som er en del af serviceloven § 83.") in html
    item = html[html.index(f'data-node="{BEK}"'):]
    item = item[:item.index("</li>")]
    assert '<a href="/document/lta/2019/1200" class="node-link">' in item
    assert re.findall(r'<a href="([^"]+)">', item) == [
        "/id/work/serviceloven/par_83", "/id/work/serviceloven/par_83/stk_1",
        "/id/work/serviceloven/par_83/stk_1/nr_3", "/document/lta/2019/1200"]
    assert item.count("→ del af →") == 2 and "→ hjemmel →" in item
    assert [int(n) for n in re.findall(r"<h3>(\d) trin fra målet</h3>", html)] == [1, 2, 3]
    assert '<span class="status partial">delvis</span>' in html


def test_the_drawing_gets_every_node_with_its_link_and_way_back(client):
    html = client.get("/impact", query_string=TARGET).get_data(as_text=True)
    drawn = elements(html)
    nodes = {n["data"]["id"]: n["data"] for n in drawn["nodes"]}
    answer = impact(client.application.extensions["regelgraf"].store, "serviceloven § 83")
    assert set(nodes) == {n.id for n in answer.nodes}
    assert len(drawn["edges"]) == len(answer.edges)
    assert nodes[PAR_83]["depth"] == 0 and "via" not in nodes[PAR_83]
    assert nodes[BEK]["href"] == "/document/lta/2019/1200"
    assert nodes[BEK]["via"] == BASE + "work/serviceloven/par_83/stk_1/nr_3"
    assert all(n.get("via") in nodes for n in nodes.values() if n["depth"])
    assert "parent" not in json.dumps(drawn)  # Cytoscape would read it as a compound node
    for script in ("vendor/cytoscape.min.js", "vendor/cytoscape-dagre.min.js", "impact.js"):
        assert f'<script src="/static/{script}" defer></script>' in html


def test_english_labels_and_explanations(client):
    html = client.get("/impact", query_string={**TARGET, "lang": "en"}).get_data(as_text=True)
    assert "BEK no. 1200 of 20 November 2019 is based on (legal basis)" in html
    assert "21 node(s) and 24 edge(s)." in html and "3 step(s) from the target" in html
    assert elements(html)["edges"][0]["data"]["label"] in {
        "cites", "legal basis", "implements", "sets aside", "may be set aside", "part of", "version of",
        "exemption possibility", "non-derogable"}


def test_json_twin_is_the_library_answer(client):
    twin = client.get("/impact", query_string={**TARGET, "format": "json"})
    suffixed = client.get("/impact.json", query_string=TARGET)
    assert twin.status_code == suffixed.status_code == 200 and twin.mimetype == "application/json"
    assert "Content-Disposition" not in twin.headers
    expected = impact(client.application.extensions["regelgraf"].store, "serviceloven § 83").to_json()
    for data in (twin.get_json(), suffixed.get_json()):
        assert {k: v for k, v in data.items() if k != "generated_at"} == {k: v for k, v in expected.items() if k != "generated_at"}


@pytest.mark.parametrize("fmt", list(IMPACT_FORMATS))
def test_every_export_format_downloads(client, fmt):
    spec = IMPACT_FORMATS[fmt]
    response = client.get(f"/impact.{fmt}", query_string={**TARGET, "depth": "1"})
    if fmt == "svg" and shutil.which("dot") is None:
        assert response.status_code == 503 and "Graphviz" in response.get_data(as_text=True)
        return
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == spec.media_type
    if fmt != "json":
        assert response.headers["Content-Disposition"] == f'attachment; filename="impact-serviceloven-83.{spec.extension}"'
    body = response.get_data()
    depth_one = 8  # the target and its seven neighbours (see test_filters_depth_relations_direction)
    if fmt in ("json", "cyjs"):
        data = json.loads(body)
        nodes = data["nodes"] if fmt == "json" else data["elements"]["nodes"]
        assert len(nodes) == depth_one
    elif fmt in ("graphml", "gexf"):
        reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        assert reader(io.BytesIO(body)).number_of_nodes() == depth_one
    elif fmt in ("ttl", "jsonld"):
        graph = Graph().parse(data=body, format="turtle" if fmt == "ttl" else "json-ld")
        assert (URIRef(PAR_83), None, None) in graph or (None, None, URIRef(PAR_83)) in graph
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
        assert sum(1 for row in rows if row["record"] == "node") == depth_one
    elif fmt == "dot":
        assert body.startswith(b"digraph") or b"digraph" in body[:200]
    elif fmt == "svg":
        assert b"<svg" in body[:500]


def test_the_page_links_every_export_with_the_same_question(client):
    html = client.get("/impact", query_string={**TARGET, "depth": "2", "relations": "cites,part_of", "as_of": "2021-01-01"}).get_data(as_text=True)
    found = {fmt: url for url, fmt in re.findall(r'<a href="(/impact\.(\w+)\?[^"]+)" download="impact-serviceloven-83\.\w+"', html)}
    assert set(found) == set(IMPACT_FORMATS)
    for url in found.values():
        args = parse_qs(urlsplit(url.replace("&amp;", "&")).query)
        assert args == {"target": ["serviceloven § 83"], "depth": ["2"], "relations": ["cites,part_of"], "as_of": ["2021-01-01"]}


def test_filters_depth_relations_direction(client):
    def ask(**args):
        response = client.get("/impact.json", query_string={**TARGET, **args})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_json()

    assert {n["depth"] for n in ask(depth="1")["nodes"]} == {0, 1} and len(ask(depth="1")["nodes"]) == 8
    assert [n["id"] for n in ask(depth="0")["nodes"]] == [PAR_83]
    only = ask(relations="part_of")
    assert only["relations"] == ["part_of"] and {r for n in only["nodes"] for r in n["relations"]} == {"part_of"}
    both = client.get("/impact.json", query_string=[("target", "serviceloven § 83"), ("relations", "cites"), ("relations", "protects")]).get_json()
    assert both["relations"] == ["cites", "protects"]
    assert {n["id"] for n in both["nodes"]} == {PAR_83, BASE + "work/velfaerdsaftaler-aeldre/par_9/stk_1", BASE + "hegnspael/aeldre-hjaelp"}
    upwards = ask(direction="dependencies")
    assert upwards["direction"] == "dependencies" and BEK not in {n["id"] for n in upwards["nodes"]}
    assert ask()["reference_hops"] == 1 and ask(references="all")["reference_hops"] is None
    assert len(ask(references="0")["nodes"]) < len(ask()["nodes"]) <= len(ask(references="all")["nodes"])
    dated = ask(as_of="2019-01-01")
    assert dated["as_of"] == "2019-01-01" and len(dated["nodes"]) < len(ask()["nodes"])


def test_filter_form_keeps_the_question(client):
    html = client.get("/impact", query_string={**TARGET, "depth": "2", "relations": "cites,part_of", "direction": "dependencies", "as_of": "2021-01-01"}).get_data(as_text=True)
    assert '<option value="2" selected>' in html
    assert 'value="dependencies" checked' in html
    assert 'value="cites" checked' in html and 'value="part_of" checked' in html and 'value="based_on" checked' not in html
    assert '<input type="hidden" name="as_of" value="2021-01-01">' in html
    kept = client.get("/impact", query_string={**TARGET, "references": "all"}).get_data(as_text=True)
    assert '<option value="all" selected>' in kept and "references=all" in kept
    assert "Kun det, der gælder pr. 1. januar 2021, er fulgt." in html


def test_unknown_target_suggests_near_ones(client):
    response = client.get("/impact", query_string={"target": "serviceloven § 84"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "findes ikke i grafen" in html and "Mente du:" in html
    assert '<a href="/impact?target=serviceloven+%C2%A7+83">serviceloven § 83</a>' in html
    twin = client.get("/impact.json", query_string={"target": "serviceloven § 84", "lang": "en"})
    assert twin.status_code == 404 and "is not in the graph" in twin.get_json()["error"]["message"]


@pytest.mark.parametrize("args, status, text", [
    ({"depth": "many"}, 400, "Dybden »many« er ikke et helt tal"),
    ({"relations": "citez"}, 400, "ukendt relation"),
    ({"references": "many"}, 400, "Antallet af henvisninger »many« er hverken"),
    ({"direction": "sideways"}, 400, "retningen skal være en af dependents, dependencies"),
    ({"as_of": "2021-13-01"}, 400, "er ikke en dato"),
])
def test_bad_questions_are_400_with_the_reason(client, args, status, text):
    response = client.get("/impact", query_string={**TARGET, **args})
    assert response.status_code == status and text in response.get_data(as_text=True)


def test_unknown_export_format_is_404(client):
    response = client.get("/impact.pdf", query_string=TARGET)
    assert response.status_code == 404 and "Formatet »pdf« findes ikke" in response.get_data(as_text=True)


def test_too_large_to_draw_still_lists_everything(client, monkeypatch):
    import webui.views.impact as view

    monkeypatch.setattr(view, "DRAW_LIMIT", 5)
    html = client.get("/impact", query_string=TARGET).get_data(as_text=True)
    assert "for mange til en læsbar tegning (højst 5)" in html
    assert 'id="impact-elements"' not in html and "cytoscape.min.js" not in html
    assert html.count('class="node-link"') == 21


@pytest.mark.parametrize("path, iri", [
    ("/id/work/serviceloven/par_83", PAR_83), ("/id/kommune/0410", BASE + "kommune/0410"),
    ("/id/aftale/viborg-aeldre", BASE + "aftale/viborg-aeldre"), ("/id/work/serviceloven", BASE + "work/serviceloven"),
    ("/id/kommune/0410/beslutning/par_79a", BASE + "kommune/0410/beslutning/par_79a"), ("/document/lta/2019/1200", BEK),
])
def test_pages_have_an_impact_button_that_works(client, path, iri):
    assert '<a class="button"' not in client.get("/id/graph/source/fixture-aftaler").get_data(as_text=True)
    html = client.get(path, query_string={"as_of": "2023-01-01"}).get_data(as_text=True)
    match = re.search(r'<a class="button" href="([^"]+)">Vis konsekvenser</a>', html)
    assert match, f"{path} has no impact button"
    url = match.group(1).replace("&amp;", "&")
    assert parse_qs(urlsplit(url).query) == {"target": [iri], "as_of": ["2023-01-01"]}
    response = client.get(url)
    assert response.status_code == 200 and 'id="impact-elements"' in response.get_data(as_text=True)


def test_labels_from_the_graph_are_escaped_in_the_list_and_the_drawing(store, client):
    evil = URIRef(BASE + "kommune/0410/regel/evil")
    graph = Graph()
    graph.add((evil, RDF.type, RG.MunicipalRule))
    graph.add((evil, RDFS.label, Literal("<script>alert(1)</script></script>", lang="da")))
    graph.add((evil, RG.implements, URIRef(PAR_83)))
    name = URIRef(BASE + "graph/source/fixture-evil-rule")
    store.replace_graphs({name: graph})
    try:
        html = client.get("/impact", query_string=TARGET).get_data(as_text=True)
        assert "<script>alert(1)" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        labels = {n["data"]["label"] for n in elements(html)["nodes"]}
        assert "<script>alert(1)</script></script>" in labels  # intact once parsed, inert in the page
    finally:
        store.remove_graphs([name])


# --- the SPARQL editor page --------------------------------------------------------------------

def test_editor_points_yasgui_at_our_endpoint(client):
    response = client.get("/editor")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-endpoint="http://localhost/sparql"' in html and 'data-persistence-id=""' in html
    for asset in ('<link rel="stylesheet" href="/static/vendor/yasgui.min.css">',
                  '<script src="/static/vendor/yasgui.min.js" defer></script>', '<script src="/static/editor.js" defer></script>'):
        assert asset in html
    names = [q.name for q in Catalogue.load(FIXTURES / "queries")]
    assert re.findall(r'data-example="(\w+)"', html) == names
    assert '<a href="/queries/agreements_in_force">formular</a>' in html


def test_editor_json_twin_carries_the_examples_and_default_query(client):
    data = client.get("/editor.json").get_json()
    assert data["endpoint"] == "http://localhost/sparql" and data["persistence_id"] is None
    catalogue = {q.name: q for q in Catalogue.load(FIXTURES / "queries")}
    assert {e["name"]: e["text"] for e in data["examples"]} == {name: q.text for name, q in catalogue.items()}
    assert "rg:WelfareAgreement" in data["default_query"] and data["open"] is None
    # The default query runs on the endpoint and finds the fixture's agreements.
    answer = client.post("/sparql", data={"query": data["default_query"]}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and len(answer.get_json()["results"]["bindings"]) == 2


def test_editor_opens_a_named_query_and_keeps_tabs_when_configured(store):
    app = create_app({"REGELGRAF_STORE": store, "REGELGRAF_BASE": BASE, "REGELGRAF_QUERIES_DIR": FIXTURES / "queries"})
    client = app.test_client()
    assert client.get("/editor.json", query_string={"example": "protected_provisions"}).get_json()["open"] == "protected_provisions"
    assert client.get("/editor.json", query_string={"example": "no_such_query"}).get_json()["open"] is None
    assert 'data-persistence-id="regelgraf-yasgui"' in client.get("/editor").get_data(as_text=True)


def test_catalogue_queries_link_to_the_editor(client):
    html = client.get("/queries/protected_provisions").get_data(as_text=True)
    assert '<a href="/editor?example=protected_provisions">Åbn i SPARQL-editoren</a>' in html
