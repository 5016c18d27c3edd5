"""The web UI over a small fixture graph, through Flask's test client, on every store backend."""

from __future__ import annotations

import csv
import io
import json
import re
import socket
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from graph.namespaces import RG
from graph.rdfio import read_rdf
from graph.store import open_store
from webui import create_app
from webui.i18n import LANGUAGES, MESSAGES, translate

FIXTURES = Path(__file__).parent / "fixtures" / "webui"
TEMPLATES = Path(__file__).parent.parent / "webui" / "templates"
BASE = "https://regelgraf.dk/id/"
NR_3 = "/id/work/serviceloven/par_83/stk_1/nr_3"
PAGES = [
    "/", "/search?q=madservice", "/id/work/serviceloven", NR_3, "/id/work/serviceloven/par_83",
    "/id/kommune/0410", "/id/aftale/viborg-aeldre", "/document/lta/2019/1200", "/document/lta/2020/1287",
    "/id/hegnspael/aeldre-hjaelp", "/id/kommune/0410/beslutning/par_79a", "/resource?iri=https://regelgraf.dk/id/hegnspael/aeldre-hjaelp", "/id/graph/source/fixture-aftaler",
    "/queries", "/queries/agreements_in_force", "/queries/protected_provisions",
]


@pytest.fixture(scope="module", params=["oxigraph", "memory", "remote"])
def store(request, tmp_path_factory):
    """The fixture graph in a fresh store of each backend (remote: the session's oxigraph server)."""
    if request.param == "remote":
        server = request.getfixturevalue("oxigraph_server")
        server.clear()
        store = server.open()
    else:
        store = open_store(request.param, location=tmp_path_factory.mktemp("webui-store") if request.param == "oxigraph" else None)
    store.replace_graphs(read_rdf(FIXTURES / "graph.trig"))
    yield store
    store.close()


@pytest.fixture
def app(store):
    return create_app({
        "REGELGRAF_STORE": store, "REGELGRAF_BASE": BASE, "TESTING": True,
        "REGELGRAF_QUERIES_DIR": FIXTURES / "queries",
    })


@pytest.fixture
def client(app):
    return app.test_client()


def page_json(client, path: str) -> dict:
    response = client.get(_json_path(path))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def _json_path(path: str) -> str:
    return path + ("&" if "?" in path else "?") + "format=json"


# --- messages ------------------------------------------------------------------------------

def test_every_message_exists_in_every_language():
    keys = {lang: set(MESSAGES[lang]) for lang in LANGUAGES}
    for lang in LANGUAGES:
        for other in LANGUAGES:
            assert not keys[lang] - keys[other], f"keys in {lang} but missing in {other}: {sorted(keys[lang] - keys[other])}"


def test_placeholders_agree_between_languages():
    for key, text in MESSAGES["da"].items():
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", MESSAGES["en"][key])), key


def test_every_literal_key_used_by_a_template_exists():
    used = {key for path in TEMPLATES.glob("*.html") for key in re.findall(r"_\('([\w.:]+)'\)", path.read_text())}
    assert used, "no message keys found in the templates"
    assert not used - set(MESSAGES["da"]), sorted(used - set(MESSAGES["da"]))


def test_unknown_message_key_names_the_fix():
    with pytest.raises(KeyError, match="webui/i18n.py"):
        translate("da", "no.such.key")


def test_every_config_key_the_app_reads_is_documented():
    from webui import CONFIG_KEYS

    source = "".join(path.read_text() for path in (TEMPLATES.parent).rglob("*.py"))
    read = set(re.findall(r'config(?:\.get\(|\[)"([A-Z_]+)"', source))
    assert read and read <= {key.name for key in CONFIG_KEYS}, read - {key.name for key in CONFIG_KEYS}
    assert all(key.description.endswith(".") for key in CONFIG_KEYS)


# --- front page ----------------------------------------------------------------------------

def test_front_page_counts_what_the_graph_holds(client):
    data = page_json(client, "/")
    assert data["counts"] == {"laws": 2, "documents": 5, "provisions": 11, "municipalities": 2,
                              "agreements": 2, "decisions": 2, "executive_orders": 1}
    html = client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'name="q"' in html


def test_front_page_agreements_are_a_timeline_with_periods(client):
    agreements = page_json(client, "/?as_of=2023-01-01")["timeline"]["agreements"]
    assert [a["municipality"]["label"] for a in agreements] == ["Viborg", "Middelfart"]  # by start, then local start
    assert all(a["valid_until"] == "2025-07-01" and a["in_force"] for a in agreements)
    assert not any(a["in_force"] for a in page_json(client, "/?as_of=2025-07-02")["timeline"]["agreements"])
    html = client.get("/?as_of=2023-01-01").get_data(as_text=True)
    assert "1. juni 2021" in html and "1. juli 2025" in html


# --- every page and its twin ---------------------------------------------------------------

@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_with_language_switch_and_as_of_form(client, path):
    response = client.get(path)
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    assert '<html lang="da">' in html
    assert 'hreflang="en"' in html and "lang=en" in html
    assert '<label for="as-of-date">' in html and 'id="as-of-date"' in html
    assert "<main" in html and "<h1" in html


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_json_twin_with_the_same_data(client, path):
    by_format = page_json(client, path)
    split = urlsplit(path)
    suffix_path = (split.path.rstrip("/") or "/index") + ".json" + (f"?{split.query}" if split.query else "")
    if split.path == "/":
        suffix_path = "/index.json"
    response = client.get(suffix_path)
    assert response.status_code == 200, suffix_path
    assert response.get_json() == by_format


# --- language and as-of --------------------------------------------------------------------

def test_english_with_one_click_and_remembered(client):
    danish = client.get("/").get_data(as_text=True)
    assert "Hvad grafen indeholder" in danish
    switch = re.search(r'<a href="([^"]+)" hreflang="en"', danish).group(1)
    response = client.get(switch.replace("&amp;", "&"))
    assert "What the graph holds" in response.get_data(as_text=True)
    assert "regelgraf_lang=en" in response.headers["Set-Cookie"]
    later = client.get("/id/work/serviceloven").get_data(as_text=True)
    assert '<html lang="en">' in later and "Versions and documents" in later
    back = client.get("/?lang=da").get_data(as_text=True)
    assert '<html lang="da">' in back


def test_summaries_follow_the_language(client):
    assert page_json(client, NR_3 + "?lang=en")["summary"] == "Meals for citizens who cannot cook for themselves."
    assert page_json(client, NR_3 + "?lang=da")["summary"] == "Madservice til borgere der ikke selv kan lave mad."


def test_as_of_chooses_the_version_in_force(client):
    old = page_json(client, NR_3 + "?as_of=2019-06-01")["versions"]
    new = page_json(client, NR_3 + "?as_of=2021-06-01")["versions"]
    assert [v["in_force"] for v in old] == [True, False] and [v["in_force"] for v in new] == [False, True]
    law = client.get("/id/work/serviceloven?as_of=2019-06-01").get_data(as_text=True)
    assert "Gammel tekst" in law and "Ny tekst" not in law
    assert "Ny tekst" in client.get("/id/work/serviceloven?as_of=2021-06-01").get_data(as_text=True)


def test_as_of_is_kept_on_links(client):
    html = client.get(NR_3 + "?as_of=2019-06-01").get_data(as_text=True)
    links = re.findall(r'<a href="(/id/[^"]+)"', html)  # the "today" link (class="clear") drops the date on purpose
    assert links and all("as_of=2019-06-01" in link for link in links)
    assert 'value="2019-06-01"' in html


def test_bad_as_of_is_a_friendly_400(client):
    response = client.get("/?as_of=1.7.2025")
    assert response.status_code == 400 and "ÅÅÅÅ-MM-DD" in response.get_data(as_text=True)
    response = client.get("/index.json?as_of=1.7.2025")
    assert response.status_code == 400 and response.get_json()["error"]["status"] == 400


# --- search --------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["serviceloven § 83, stk. 1, nr. 3", "Serviceloven  §\u00a083, stk. 1, nr. 3"])
def test_citation_jumps_to_the_provision(client, text):
    response = client.get("/search", query_string={"q": text})
    assert response.status_code == 303 and urlsplit(response.headers["Location"]).path == NR_3


def test_citation_jump_keeps_as_of_and_json(client):
    response = client.get("/search.json", query_string={"q": "serviceloven § 83", "as_of": "2020-01-01"})
    location = urlsplit(response.headers["Location"])
    assert location.path == "/id/work/serviceloven/par_83"
    assert parse_qs(location.query) == {"as_of": ["2020-01-01"], "format": ["json"]}


def test_free_text_searches_summaries_text_and_titles(client):
    hits = {r["iri"]: r for r in page_json(client, "/search?q=madservice")["results"]}
    assert BASE + "work/serviceloven/par_83/stk_1/nr_3" in hits
    assert "https://www.retsinformation.dk/eli/lta/2019/1200" in hits  # by title
    assert hits[BASE + "work/serviceloven/par_83/stk_1/nr_3"]["kind"] == "Provision"
    text_only = page_json(client, "/search?q=brug for det")["results"]
    assert [r["iri"] for r in text_only] == [BASE + "work/serviceloven/par_83/stk_1/nr_3"]
    assert "text" in text_only[0]["matched"]


def test_all_words_must_match(client):
    assert page_json(client, "/search?q=madservice viborg")["results"] == []
    assert page_json(client, "/search?q=viborg fraviger")["results"][0]["iri"] == BASE + "kommune/0791/beslutning/par_83"


def test_unknown_citation_explains_itself(client):
    response = client.get("/search", query_string={"q": "serviceloven § 999"})
    assert response.status_code == 200
    assert "fører ikke til en bestemmelse" in response.get_data(as_text=True)


def test_search_input_is_bound_not_spliced(client):
    response = client.get("/search.json", query_string={"q": '") } ; DROP ALL ; #'})
    assert response.status_code == 200 and response.get_json()["results"] == []


# --- resource pages ------------------------------------------------------------------------

def test_law_page_has_versions_and_a_nested_provision_tree(client):
    data = page_json(client, "/id/work/serviceloven?as_of=2021-01-01")
    assert [v["number"] for v in data["versions"]] == ["1114", "1287"]
    assert data["in_force"] == "https://www.retsinformation.dk/eli/lta/2020/1287"
    tree = {n["step"]: n for n in data["provisions"]}
    assert list(tree) == ["§ 79 a", "§ 83", "§ 139", "kapitel 16"]
    assert [c["step"] for c in tree["§ 83"]["children"][0]["children"]] == ["nr. 1", "nr. 3"]
    html = client.get("/id/work/serviceloven").get_data(as_text=True)
    assert "<details" in html and "<summary>" in html
    law = page_json(client, "/id/work/velfaerdsaftaler-aeldre")
    assert [(c["previous_end"], c["new_end"]) for c in law["term_changes"]] == [("2024-09-30", "2025-07-01")]
    assert [a["iri"] for a in law["amended_by"]] == ["https://www.retsinformation.dk/eli/lta/2024/678"]


def test_provision_page_shows_place_citations_orders_and_exemptions(client):
    data = page_json(client, "/id/work/serviceloven/par_83?as_of=2023-01-01")
    assert [a["label"] for a in data["ancestors"]] == ["serviceloven"]
    assert [c["label"] for c in data["cited_by"]] == ["lov om velfærdsaftaler på ældreområdet § 9, stk. 1"]
    decision = data["exemptions"]["decisions"][0]
    assert decision["in_force"] and decision["extent"]["iri"].endswith("/delvis")
    assert decision["certainty"]["iri"].endswith("/unverified")
    nr3 = page_json(client, NR_3 + "?as_of=2023-01-01")
    assert [o["iri"] for o in nr3["executive_orders"]] == ["https://www.retsinformation.dk/eli/lta/2019/1200"]
    assert nr3["exemptions"]["possibilities"][0]["via"][0]["scope"] == "ancestor"
    assert nr3["provenance"]["certainty"][0]["iri"].endswith("/inferred")
    assert nr3["provenance"]["sources"] == ["https://example.org/fixture/serviceloven"]


def test_decisions_lapse_with_their_agreement(client):
    decision = page_json(client, "/id/work/serviceloven/par_83?as_of=2025-08-01")["exemptions"]["decisions"][0]
    assert decision["in_force"] is False and decision["lapses"] == "2025-07-01"
    assert page_json(client, "/id/kommune/0791?as_of=2025-08-01")["sections"]["ExemptionDecision"][0]["in_force"] is False
    assert page_json(client, "/id/kommune/0791?as_of=2025-06-30")["sections"]["ExemptionDecision"][0]["in_force"] is True
    assert page_json(client, "/id/aftale/viborg-aeldre?as_of=2025-08-01")["decisions"][0]["in_force"] is False


def test_hegnspael_flags_the_protected_provision(client):
    html = client.get("/id/work/velfaerdsaftaler-aeldre/par_9/stk_1").get_data(as_text=True)
    assert "Hegnspæl: bestemmelsen må ikke fraviges." in html
    assert "Hegnspæl" not in client.get(NR_3).get_data(as_text=True).split("<main")[1].split("Fravigelser")[0]


def test_municipality_page_lists_agreements_and_decisions(client):
    data = page_json(client, "/id/kommune/0410")
    assert data["code"] == "0410" and data["name"] == "Middelfart Kommune"
    decisions = data["sections"]["ExemptionDecision"]
    assert [d["provisions"]["rg:setsAside"][0]["label"] for d in decisions] == ["serviceloven § 79 a"]
    assert [a["iri"] for a in data["sections"]["WelfareAgreement"]] == [BASE + "aftale/middelfart-aeldre"]


def test_agreement_page_has_period_term_changes_possibilities_and_decisions(client):
    data = page_json(client, "/id/aftale/viborg-aeldre?as_of=2024-08-01")
    assert (data["valid_from"], data["valid_until"], data["in_force"]) == ("2021-06-01", "2025-07-01", True)
    change = data["term_changes"][0]
    assert (change["previous_end"], change["new_end"]) == ("2024-09-30", "2025-07-01")
    assert change["changed_by"]["iri"] == "https://www.retsinformation.dk/eli/lta/2024/678"
    assert [p["label"] for p in data["decisions"][0]["provisions"]] == ["serviceloven § 83"]
    assert {p["label"] for p in data["possibilities"][0]["provisions"]} == {"serviceloven § 83", "serviceloven § 79 a"}


def test_document_page_shows_hjemmel_and_work(client):
    data = page_json(client, "/document/lta/2019/1200")
    assert [b["iri"] for b in data["based_on"]] == [BASE + "work/serviceloven/par_83/stk_1/nr_3"]
    assert data["label"].startswith("BEK nr. 1200 af 20. november 2019")
    amending = page_json(client, "/document/lta/2024/678")
    assert [a["iri"] for a in amending["amends"]] == [BASE + "work/velfaerdsaftaler-aeldre"]


def test_links_lead_to_the_pages_of_their_iris(client):
    html = client.get("/id/aftale/viborg-aeldre").get_data(as_text=True)
    assert 'href="/id/kommune/0791"' in html
    assert 'href="/document/lta/2024/678"' in html
    assert 'href="/resource?iri=https://regelgraf.dk/def/area/aeldre"' in html


def test_sources_and_graphs_have_pages_listing_what_points_at_them(client):
    source = page_json(client, "/resource?iri=https://viborg.dk/fixture-fakta")
    assert source["statements"] == [] and source["external"] == "https://viborg.dk/fixture-fakta"
    assert {i["iri"] for i in source["incoming"]} == {BASE + "aftale/viborg-aeldre", BASE + "kommune/0791/beslutning/par_83"}
    graph = page_json(client, "/id/graph/source/fixture-kommuner")
    assert graph["graph_size"] == 13 and graph["types"][0]["iri"] == "http://www.w3.org/ns/prov#Entity"


def test_blank_nodes_are_shown_without_links(store, client):
    from rdflib import BNode

    node, blank = URIRef(BASE + "hegnspael/med-blank"), BNode()
    graph = Graph()
    graph.add((node, RDF.type, RG.NonDerogableProvision))
    graph.add((node, RG.protects, blank))
    graph.add((blank, RG.protects, node))
    name = URIRef(BASE + "graph/source/fixture-blank")
    store.replace_graphs({name: graph})
    try:
        data = page_json(client, "/id/hegnspael/med-blank")
        protects = next(s for s in data["statements"] if s["predicate"] == "rg:protects")["values"]
        assert protects[0]["value"].startswith("_:") and "iri" not in protects[0]
        assert data["incoming"][0]["iri"] is None and data["incoming"][0]["label"].startswith("_:")
        assert 'href=""' not in client.get("/id/hegnspael/med-blank").get_data(as_text=True)
    finally:
        store.remove_graphs([name])


# --- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/id/work/nothing-here", "/document/lta/1999/1", "/resource?iri=https://example.org/x", "/no/such/page"])
def test_unknown_resources_are_404_in_both_forms(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert "Til forsiden" in response.get_data(as_text=True)
    twin = client.get(_json_path(path))
    assert twin.status_code == 404 and twin.get_json()["error"]["status"] == 404


def test_json_suffix_404_is_json(client):
    response = client.get("/id/work/nothing-here.json")
    assert response.status_code == 404 and response.get_json()["error"]["title"] == "Siden findes ikke"


def test_missing_or_bad_iri_is_400(client):
    assert client.get("/resource").status_code == 400
    assert client.get("/resource.json", query_string={"iri": "not an iri"}).status_code == 400


def test_no_stack_trace_reaches_the_client(client, monkeypatch):
    import webui.views.browse as browse

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(browse, "describe", broken)
    for path in (NR_3, NR_3 + ".json"):
        response = client.get(path)
        body = response.get_data(as_text=True)
        assert response.status_code == 500
        assert "Traceback" not in body and "secret internal detail" not in body


def test_an_unreachable_store_is_a_friendly_503():
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app({"REGELGRAF_ENDPOINT": f"http://127.0.0.1:{port}/query", "REGELGRAF_QUERIES_DIR": FIXTURES / "queries"})
    response = app.test_client().get("/?lang=en")
    assert response.status_code == 503 and "does not answer" in response.get_data(as_text=True)
    twin = app.test_client().get("/index.json")
    assert twin.status_code == 503 and "svarer ikke" in twin.get_json()["error"]["message"]


def test_summaries_are_escaped(store, client):
    evil = URIRef(BASE + "work/serviceloven/par_1")
    graph = Graph()
    graph.add((evil, RDF.type, RG.Provision))
    graph.add((evil, RG.citation, Literal("serviceloven § 1")))
    graph.add((evil, RG.summary, Literal('<script>alert("x")</script> & mere', lang="da")))
    name = URIRef(BASE + "graph/source/fixture-escaping")
    store.replace_graphs({name: graph})
    try:
        html = client.get("/id/work/serviceloven/par_1").get_data(as_text=True)
        assert '<script>alert("x")</script>' not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; mere" in html
        hits = client.get("/search?q=alert").get_data(as_text=True)
        assert "<script>alert" not in hits and "&lt;script&gt;" in hits
    finally:
        store.remove_graphs([name])


# --- query catalogue -----------------------------------------------------------------------

def test_catalogue_lists_the_named_queries(client):
    data = page_json(client, "/queries")
    assert [q["name"] for q in data["queries"]] == ["agreements_in_force", "decisions_setting_aside", "protected_provisions"]
    assert data["tags"] == ["agreements", "exemptions", "provisions"]


def test_query_form_is_generated_from_the_params(client):
    html = client.get("/queries/agreements_in_force").get_data(as_text=True)
    assert '<label for="param-as_of">' in html and 'id="param-as_of" name="as_of" type="date"' in html
    assert '<select id="param-municipality" name="municipality"' in html and '<option value="0791"' in html
    assert 'name="run"' in html and "results-table" not in html  # not run until the form is sent


def test_query_form_selects_a_municipality_named_any_way(client):
    for value in ("Viborg", "0791", "viborg kommune", BASE + "kommune/0791"):
        html = client.get("/queries/agreements_in_force", query_string={"municipality": value}).get_data(as_text=True)
        assert '<option value="0791" selected>' in html, value


def test_a_query_param_named_like_a_page_argument_is_refused(store, tmp_path):
    (tmp_path / "clash.rq").write_text("#+ summary: x\n#+ params:\n#+   - {name: lang, type: string}\n"
                                       "SELECT ?s WHERE { ?s ?p ?lang }\n", encoding="utf-8")
    with pytest.raises(ValueError, match="clash.rq.*'lang' collides"):
        create_app({"REGELGRAF_STORE": store, "REGELGRAF_QUERIES_DIR": tmp_path})


def test_query_runs_with_a_permalink_and_downloads(client):
    response = client.get("/queries/agreements_in_force", query_string={"as_of": "2023-01-01", "municipality": "Viborg", "run": "1"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "results-table" in html
    assert html.count("<tr>") == 2  # header and one row
    permalink = re.search(r'<a href="([^"]+)" rel="bookmark">', html).group(1).replace("&amp;", "&")
    assert client.get(permalink).get_data(as_text=True).count("<tr>") == 2
    csv_link = re.search(r'<a href="([^"]+)" download>', html).group(1).replace("&amp;", "&")
    rows = list(csv.reader(io.StringIO(client.get(csv_link).get_data(as_text=True))))
    assert rows == [["agreement", "municipality", "from", "until"],
                    [BASE + "aftale/viborg-aeldre", BASE + "kommune/0791", "2021-06-01", "2025-07-01"]]
    data = client.get("/queries/agreements_in_force.json", query_string={"as_of": "2023-01-01"}).get_json()
    assert [r["agreement"] for r in data["result"]["rows"]] == [BASE + "aftale/middelfart-aeldre", BASE + "aftale/viborg-aeldre"]


def test_query_with_provision_citation_and_ask(client):
    data = client.get("/queries/decisions_setting_aside.json", query_string={"provision": "serviceloven § 83, stk. 1, nr. 3"}).get_json()
    assert [r["decision"] for r in data["result"]["rows"]] == [BASE + "kommune/0791/beslutning/par_83"]
    ask = client.get("/queries/protected_provisions").get_data(as_text=True)  # no params: runs at once
    assert '<p class="boolean">Ja</p>' in ask


@pytest.mark.parametrize("args", [{"run": "1"}, {"provision": "serviceloven § 999", "run": "1"}, {"colour": "red"}])
def test_bad_query_parameters_are_400_with_the_reason(client, args):
    response = client.get("/queries/decisions_setting_aside", query_string=args)
    assert response.status_code == 400 and 'role="alert"' in response.get_data(as_text=True)
    twin = client.get("/queries/decisions_setting_aside.json", query_string=args)
    assert twin.status_code == 400 and twin.get_json()["error"]["message"]


def test_unknown_query_is_404_with_suggestions(client):
    response = client.get("/queries/agreements_in_forc")
    assert response.status_code == 404 and "agreements_in_force" in response.get_data(as_text=True)


# --- validation ----------------------------------------------------------------------------

def test_validation_page_reports_a_broken_decision_grouped(store, client):
    assert page_json(client, "/validation")["conforms"] is True
    broken = URIRef(BASE + "kommune/0410/beslutning/uden-kommune")
    graph = Graph()
    graph.add((broken, RDF.type, RG.ExemptionDecision))
    graph.add((broken, RG.setsAside, URIRef(BASE + "work/serviceloven/par_139")))
    name = URIRef(BASE + "graph/source/fixture-broken")
    store.replace_graphs({name: graph})
    try:
        data = page_json(client, "/validation")  # the store changed, so the report is computed again
        assert data["conforms"] is False and data["counts"]["Violation"] == data["total"] >= 1
        findings = [r for d in data["documents"] for f in d["foci"] for r in f["results"]]
        assert {r["focus"] for r in findings} == {str(broken)}
        english = page_json(client, "/validation?lang=en")
        assert english["total"] == data["total"]
        assert {r["message"] for d in english["documents"] for f in d["foci"] for r in f["results"]} != {r["message"] for r in findings}
        html = client.get("/validation").get_data(as_text=True)
        assert 'href="/id/kommune/0410/beslutning/uden-kommune"' in html and "[" in html
    finally:
        store.remove_graphs([name])


def test_app_refuses_an_unknown_default_language(store):
    with pytest.raises(ValueError, match="REGELGRAF_LANG"):
        create_app({"REGELGRAF_STORE": store, "REGELGRAF_LANG": "de"})


def test_json_is_utf8_not_escaped(client):
    body = client.get("/index.json").get_data(as_text=True)
    assert "velfærdsaftaler" in body and json.loads(body)
