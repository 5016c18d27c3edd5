"""Impact analysis over the fixture tests/fixtures/impact/impact.ttl, on the memory and Oxigraph stores."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import rdflib
from rdflib import URIRef

from graph.impact import (
    DIRECTIONS, REFERENCE, RELATION_NAMES, ImpactError, ImpactTargetError, clear_cache, edge_index, impact, parse_reference_hops, parse_relations,
)
from graph.namespaces import ELI
from graph.resolve import ResolveError
from graph.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "impact" / "impact.ttl"
GRAPH = URIRef("https://regelgraf.dk/id/graph/source/impact-fixture")
ID = "https://regelgraf.dk/id/"
SL = ID + "work/serviceloven/"
VA = ID + "work/velfaerdsaftaler-aeldre/"
LTA = "https://www.retsinformation.dk/eli/lta/"
MIDDELFART_DECISION = ID + "kommune/0410/beslutning/par_79a"
VIBORG_DECISION = ID + "kommune/0791/beslutning/par_83-stk_1-nr_3"
POSSIBILITY = ID + "fravigelse/aeldre-serviceloven"
CLAUSE = ID + "klausul/2594-aeldre"


def load(store) -> None:  # type: ignore[no-untyped-def]
    store.replace_graphs({GRAPH: rdflib.Graph().parse(FIXTURE)})


@pytest.fixture(scope="module", params=["memory", "oxigraph"])
def store(request):  # type: ignore[no-untyped-def]
    """One loaded store per backend, shared by the read-only tests of this module."""
    store = open_store(request.param)
    load(store)
    yield store
    clear_cache(store)
    store.close()


def ids(graph) -> set[str]:  # type: ignore[no-untyped-def]
    return {node.id for node in graph.nodes}


# Each relation, seen one hop from a target: (target, dependant, relation).
ONE_HOP = [
    (SL + "par_80", SL + "par_81", "cites"),
    (SL + "par_79a/stk_7", LTA + "2019/716", "based_on"),
    (VA + "par_7", ID + "aftale/viborg-aeldre", "based_on"),  # rg:legalBasis is a based_on
    (SL + "par_79a/stk_7", ID + "kommune/0410/regel/kvalitetsstandard-hjemmebesoeg", "implements"),
    (SL + "par_79a", MIDDELFART_DECISION, "sets_aside"),
    (SL + "par_79a", POSSIBILITY, "exemptible"),
    (VA + "par_9/stk_1", ID + "hegnspael/aeldre-hjaelp", "protects"),
    (LTA + "2021/2594", CLAUSE, "disapplies"),
    (ID + "work/lov-2021-2594/par_2/stk_4", CLAUSE, "stated_in"),
    (SL + "par_79a/stk_1", ID + "eli/lta/2023/1999/par_1", "changes"),
    (ID + "work/serviceloven", LTA + "2023/1999", "amends"),
    (LTA + "2019/716", LTA + "2022/300", "repeals"),
    (LTA + "2018/1114", LTA + "2020/1287", "consolidates"),
    (SL + "par_79a", ID + "eli/lta/2020/1287/par_79a", "member_of"),
    (ID + "work/serviceloven", LTA + "2018/1114", "member_of"),  # stated both ways in the data
    (SL + "par_79a", SL + "par_79a/stk_1", "part_of"),
    (ID + "kommune/0791", VIBORG_DECISION, "municipality"),
    (ID + "aftale/middelfart-aeldre", MIDDELFART_DECISION, "agreement"),
    (POSSIBILITY, VIBORG_DECISION, "under_possibility"),
]


@pytest.mark.parametrize("target,dependant,relation", ONE_HOP, ids=[f"{r}:{d.rsplit('/', 1)[-1]}" for _, d, r in ONE_HOP])
def test_every_relation_kind_is_followed(store, target, dependant, relation):
    result = impact(store, target, depth=1)
    node = result.node(dependant)
    assert (node.depth, node.relations, node.path) == (1, (relation,), (target, dependant))
    assert {"source": dependant, "target": target, "relation": relation} in [e.to_json() for e in result.edges]


def test_every_relation_name_is_tested():
    assert {relation for _, _, relation in ONE_HOP} == set(RELATION_NAMES)


def test_the_explanation_reads_the_path_back_to_the_target(store):
    node = impact(store, "serviceloven § 79 a").node(LTA + "2019/716")
    assert node.path == (SL + "par_79a", SL + "par_79a/stk_7", LTA + "2019/716")
    assert node.relations == ("part_of", "based_on")
    assert node.explanation["da"] == ("BEK nr. 716 af 7. juli 2019 hviler på (hjemmel) serviceloven § 79 a, stk. 7, "
                                      "som er en del af serviceloven § 79 a.")
    assert node.explanation["en"] == ("BEK no. 716 of 7 July 2019 is based on (legal basis) serviceloven § 79 a, stk. 7, "
                                      "which is part of serviceloven § 79 a.")


def test_the_target_is_the_root_at_depth_zero(store):
    result = impact(store, "serviceloven § 79 a")
    root = result.nodes[0]
    assert (root.id, root.depth, root.path, root.relations, root.partial) == (SL + "par_79a", 0, (SL + "par_79a",), (), False)
    assert root.explanation["da"] == "serviceloven § 79 a er målet for analysen."
    assert result.target.id == root.id and result.target.kind == "provision" and result.target.label == "serviceloven § 79 a"


def test_depth_limits_the_hops(store):
    chain = [SL + "par_80", SL + "par_81", SL + "par_82"]
    every = {n.id: n.depth for n in impact(store, SL + "par_79a", reference_hops=None).nodes if n.id in chain}
    assert every == dict(zip(chain, [1, 2, 3]))
    assert not ids(impact(store, SL + "par_79a", depth=2, reference_hops=None)) & {SL + "par_82"}
    assert SL + "par_81" in impact(store, SL + "par_79a", depth=2, reference_hops=None)
    assert ids(impact(store, SL + "par_79a", depth=0)) == {SL + "par_79a"}
    assert max(n.depth for n in impact(store, SL + "par_79a", depth=1).nodes) == 1


def test_a_whole_touches_its_parts_fully(store):
    result = impact(store, "serviceloven § 79 a")
    for part in ("par_79a/stk_1", "par_79a/stk_7", "par_79a/stk_7/nr_2"):
        assert not result.node(SL + part).partial


def test_a_part_touches_its_whole_partially_and_says_which_part(store):
    result = impact(store, "serviceloven § 79 a, stk. 7")
    whole = result.node(SL + "par_79a")
    assert whole.partial and whole.partial_via == SL + "par_79a/stk_7"
    assert "delvis: berøres kun gennem serviceloven § 79 a, stk. 7" in whole.explanation["da"]
    assert "partly: touched only through serviceloven § 79 a, stk. 7" in whole.explanation["en"]
    # What depends on the whole is touched partly too; the untouched sibling stk. 1 is not touched at all.
    assert result.node(SL + "par_80").partial
    assert SL + "par_79a/stk_1" not in result
    assert SL + "par_79a/stk_7/nr_1" in result and not result.node(SL + "par_79a/stk_7/nr_1").partial


def test_a_document_is_touched_partly_through_its_part(store):
    node = impact(store, SL + "par_79a/stk_7/nr_2").node(LTA + "2019/716")
    assert node.partial and node.partial_via == ID + "eli/lta/2019/716/par_1"
    assert node.relations == ("based_on", "part_of")


def test_a_partial_decision_touches_its_provision_partly(store):
    result = impact(store, VIBORG_DECISION)
    provision = result.node(SL + "par_83/stk_1/nr_3")
    assert provision.partial and provision.partial_via is None
    assert "fraviger kun en del" in provision.explanation["da"]
    assert result.node(VA + "par_9/stk_1").partial  # it cites the partly set-aside nr. 3


def test_the_law_reached_from_a_provision_is_not_expanded(store):
    result = impact(store, "serviceloven § 79 a")
    assert result.node(ID + "work/serviceloven").partial
    # The amending act is there through its § 1, which changes § 79 a, stk. 1 — not because
    # it amends the whole law.
    act = result.node(LTA + "2023/1999")
    assert act.relations == ("part_of", "changes", "part_of") and act.partial_via == ID + "eli/lta/2023/1999/par_1"
    assert LTA + "2024/678" not in result  # amends the ældre law only


@pytest.mark.parametrize("day,present,absent", [
    ("2021-12-01", [LTA + "2019/716"], [MIDDELFART_DECISION, LTA + "2022/300", ID + "eli/lta/2023/1999/par_1"]),
    ("2022-02-01", [MIDDELFART_DECISION, LTA + "2019/716"], [LTA + "2022/300"]),
    ("2023-06-01", [MIDDELFART_DECISION, LTA + "2022/300"], [LTA + "2019/716", ID + "eli/lta/2023/1999/par_1"]),
    ("2024-06-01", [ID + "eli/lta/2023/1999/par_1", LTA + "2023/1999"], []),
    ("2026-01-01", [LTA + "2022/300"], [MIDDELFART_DECISION, POSSIBILITY]),  # the trial ended 2025-07-01
])
def test_as_of_honours_validity(store, day, present, absent):
    found = ids(impact(store, "serviceloven § 79 a", as_of=dt.date.fromisoformat(day)))
    assert set(present) <= found
    assert not set(absent) & found


def test_versions_follow_their_document(store):
    in_2019 = ids(impact(store, SL + "par_79a/stk_7", as_of="2019-06-01"))
    assert ID + "eli/lta/2018/1114/par_79a/stk_7" in in_2019 and ID + "eli/lta/2020/1287/par_79a/stk_7" not in in_2019
    in_2021 = ids(impact(store, SL + "par_79a/stk_7", as_of="2021-06-01"))
    assert ID + "eli/lta/2018/1114/par_79a/stk_7" not in in_2021 and ID + "eli/lta/2020/1287/par_79a/stk_7" in in_2021


def test_without_as_of_nothing_is_filtered(store):
    result = impact(store, "serviceloven § 79 a")
    assert result.as_of is None and result.to_json()["as_of"] is None
    assert {MIDDELFART_DECISION, LTA + "2019/716", LTA + "2022/300"} <= ids(result)


def test_dependencies_walk_the_other_way(store):
    result = impact(store, MIDDELFART_DECISION, direction="dependencies")
    assert result.node(SL + "par_79a").relations == ("sets_aside",)
    assert result.node(ID + "aftale/middelfart-aeldre").relations == ("agreement",)
    assert result.node(VA + "par_7").relations in {("agreement", "based_on"), ("under_possibility", "based_on")}
    assert result.node(ID + "kommune/0410").relations == ("municipality",)
    assert SL + "par_79a/stk_7" in result  # setting aside § 79 a rests on all of it
    assert SL + "par_80" not in result  # a dependant, not a dependency


def test_dependencies_of_a_document_include_what_its_parts_rest_on(store):
    result = impact(store, LTA + "2019/716", direction="dependencies")
    assert result.node(SL + "par_79a/stk_7/nr_2").relations == ("part_of", "based_on")
    assert result.node(SL + "par_79a/stk_7").relations == ("based_on",)


def test_relations_limit_what_is_followed(store):
    result = impact(store, "serviceloven § 79 a", relations={"cites"}, reference_hops=None)
    assert ids(result) == {SL + "par_79a", SL + "par_80", SL + "par_81", SL + "par_82"}
    assert result.relations == ("cites",)
    assert {n.id for n in impact(store, "serviceloven § 79 a", relations="part_of,based_on").nodes} >= {LTA + "2019/716"}


def test_a_municipality_fans_out_to_what_its_statements_touch(store):
    result = impact(store, "Viborg")
    assert result.target.id == ID + "kommune/0791" and result.target.kind == "municipality"
    assert result.node(VIBORG_DECISION).relations == ("municipality",)
    nr3 = result.node(SL + "par_83/stk_1/nr_3")
    assert nr3.path[:2] == (ID + "kommune/0791", VIBORG_DECISION) or nr3.path[:2] == (ID + "kommune/0791", POSSIBILITY)
    assert result.node(LTA + "2021/2594").relations == ("municipality", "disapplies")
    # Middelfart's decision is there only because it depends on a provision Viborg may set aside,
    # never as one of Viborg's own statements through the possibility both share.
    assert result.node(MIDDELFART_DECISION).relations[-1] == "sets_aside"
    assert impact(store, "791").target.id == impact(store, "0791").target.id == ID + "kommune/0791"


def test_a_municipality_with_nothing_has_only_itself(store):
    assert ids(impact(store, "Langeland")) == {ID + "kommune/0482"}


def test_an_agreement_fans_out_through_its_decisions(store):
    result = impact(store, ID + "aftale/viborg-aeldre")
    assert result.target.kind == "agreement"
    assert result.node(VIBORG_DECISION).relations == ("agreement",)
    assert result.node(SL + "par_83/stk_1/nr_3").relations == ("agreement", "sets_aside")
    # Middelfart's decision is not one of this agreement's own; it only turns up at the end of a
    # partial chain through the possibility that lists § 83, stk. 1 (the whole of nr. 3).
    other = result.node(MIDDELFART_DECISION)
    assert other.partial and other.relations[0] == "agreement" and other.relations[-1] == "under_possibility"
    assert MIDDELFART_DECISION not in impact(store, ID + "aftale/viborg-aeldre", relations=set(RELATION_NAMES) - {"part_of"})
    assert impact(store, "Velfærdsaftale for Viborg (ældre)").target.id == ID + "aftale/viborg-aeldre"


@pytest.mark.parametrize("text,iri", [
    ("serviceloven § 79 a", SL + "par_79a"),
    ("servicelovens § 79 a, stk. 7", SL + "par_79a/stk_7"),
    ("§ 79 a i serviceloven", SL + "par_79a"),
    ("§ 79 a", SL + "par_79a"),  # only one law has it
    ("Serviceloven  § 83,\u00a0stk. 1", SL + "par_83/stk_1"),
    ("serviceloven", ID + "work/serviceloven"),
    ("Middelfart Kommune", ID + "kommune/0410"),
])
def test_targets_are_resolved_from_what_people_type(store, text, iri):
    assert impact(store, text, depth=0).target.id == iri


@pytest.mark.parametrize("text,suggestion", [
    ("serviceloven § 79 b", "serviceloven § 79 a"),
    ("servicelovn § 79 a", "serviceloven"),
    ("Vibrog", "Viborg"),
    (SL + "par_79b", SL + "par_79a"),
])
def test_an_unknown_target_lists_the_nearest_matches(store, text, suggestion):
    with pytest.raises(ImpactTargetError) as caught:
        impact(store, text)
    assert suggestion in caught.value.suggestions and not caught.value.ambiguous
    assert suggestion in str(caught.value) and "Mente du" in str(caught.value)
    assert isinstance(caught.value, ResolveError)  # the CLI's error handler already knows it


def test_an_ambiguous_citation_lists_the_candidates(store):
    with pytest.raises(ImpactTargetError) as caught:
        impact(store, "§ 9")
    error = caught.value
    assert error.ambiguous
    assert error.candidates == ["lov om velfærdsaftaler på ældreområdet § 9", "serviceloven § 9"]
    assert "tvetydig" in str(error) and "ambiguous" in error.render("en")


def test_an_unknown_kommunekode_is_an_error(store):
    with pytest.raises(ImpactTargetError, match="9999"):
        impact(store, "9999")


@pytest.mark.parametrize("kwargs,needle", [
    ({"direction": "upwards"}, "retningen"),
    ({"depth": -1}, "dybden"),
    ({"depth": "2"}, "dybden"),
    ({"relations": {"quotes"}}, "ukendt relation 'quotes'"),
    ({"relations": ""}, "mindst én relation"),
    ({"as_of": "1. juli 2024"}, "ÅÅÅÅ-MM-DD"),
])
def test_bad_questions_are_refused_with_a_reason(store, kwargs, needle):
    with pytest.raises(ImpactError, match=needle):
        impact(store, "serviceloven § 79 a", **kwargs)


def test_parse_relations_accepts_commas_and_spaces():
    assert parse_relations("cites, based_on part_of") == {"cites", "based_on", "part_of"}
    assert parse_relations(None) == set(RELATION_NAMES)
    assert DIRECTIONS == ("dependents", "dependencies")
    with pytest.raises(ImpactError, match="mente du 'cites'"):
        parse_relations("cite")


def test_json_has_the_shape_of_issue_6(store):
    result = impact(store, "serviceloven § 79 a, stk. 7", as_of="2023-01-01")
    data = json.loads(json.dumps(result.to_json()))
    assert {"target", "as_of", "nodes", "edges"} <= set(data)
    assert data["as_of"] == "2023-01-01" and data["target"]["id"] == SL + "par_79a/stk_7"
    assert data["target"]["input"] == "serviceloven § 79 a, stk. 7"
    node_ids = {node["id"] for node in data["nodes"]}
    for node in data["nodes"]:
        assert {"id", "label", "kind", "depth", "partial", "path", "relations", "explanation"} <= set(node)
        assert node["path"][0] == SL + "par_79a/stk_7" and node["path"][-1] == node["id"]
        assert len(node["relations"]) == len(node["path"]) - 1 == node["depth"]
        assert set(node["explanation"]) == {"da", "en"}
    for edge in data["edges"]:
        assert set(edge) == {"source", "target", "relation"}
        assert edge["source"] in node_ids and edge["target"] in node_ids
    # Every hop of every path is one of the edges, in its direction.
    edges = {(e["source"], e["target"], e["relation"]) for e in data["edges"]}
    for node in data["nodes"]:
        for here, there, relation in zip(node["path"], node["path"][1:], node["relations"]):
            assert (there, here, relation) in edges or (here, there, relation) in edges


def test_kinds_and_labels(store):
    result = impact(store, "serviceloven § 79 a")
    kinds = {n.id: (n.kind, n.label) for n in result.nodes}
    assert kinds[LTA + "2019/716"] == ("document", "BEK nr. 716 af 7. juli 2019")
    assert kinds[ID + "eli/lta/2019/716/par_1"] == ("subdivision", "§ 1 i BEK nr. 716 af 7. juli 2019")
    assert kinds[ID + "work/serviceloven"] == ("law", "serviceloven")
    assert kinds[MIDDELFART_DECISION] == ("decision", "Middelfart fraviger serviceloven § 79 a")
    assert kinds[POSSIBILITY][0] == "possibility"
    assert result.node(ID + "eli/lta/2019/716/par_1").label_en == "§ 1 of BEK no. 716 of 7 July 2019"


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_the_cached_index_is_rebuilt_when_the_store_changes(backend):
    store = open_store(backend)
    try:
        load(store)
        first = edge_index(store)
        assert edge_index(store) is first  # unchanged store: the same index
        assert SL + "par_9" not in impact(store, "serviceloven § 82")
        extra = rdflib.Graph()
        extra.add((URIRef(SL + "par_9"), ELI.cites, URIRef(SL + "par_82")))
        store.replace_graphs({URIRef(ID + "graph/source/extra"): extra})
        assert edge_index(store) is not first
        assert impact(store, "serviceloven § 82").node(SL + "par_9").relations == ("cites",)
        store.remove_graphs([URIRef(ID + "graph/source/extra")])
        assert SL + "par_9" not in impact(store, "serviceloven § 82")
    finally:
        clear_cache(store)
        store.close()


def test_both_backends_give_the_same_answer():
    answers = []
    for backend in ("memory", "oxigraph"):
        store = open_store(backend)
        load(store)
        data = impact(store, "Viborg", as_of="2023-01-01").to_json()
        data.pop("generated_at")
        answers.append(data)
        clear_cache(store)
        store.close()
    assert answers[0] == answers[1]


def test_a_later_path_that_binds_the_whole_still_reaches_the_parts():
    from graph.impact.index import EdgeIndex
    from graph.impact.relations import RELATION_NAMES as ALL
    from graph.impact.search import search

    index = EdgeIndex()
    index.add("X", "cites", "T")  # found first (cites sorts first): X is touched, its parts not
    index.add("X", "based_on", "T")  # the same hop again, now binding X as a whole
    index.add("P", "part_of", "X")
    index.add("Q", "part_of", "Y")
    index.add("Y", "cites", "T")  # only cites: Y's part Q is not reached
    visits, _ = search(index, "T", start_mode="dep", as_of=None, max_depth=None, relations=frozenset(ALL),
                       direction="dependents")
    assert "P" in visits and visits["P"].path()[0] == ("T", "X", "P")
    assert "Q" not in visits
    visits, _ = search(index, "T", start_mode="dep", as_of=None, max_depth=None, relations=frozenset(ALL) - {"based_on"},
                       direction="dependents")
    assert "P" not in visits


# --- The named queries that answer the same questions in SPARQL (queries/*.rq) -----------------

def ask(store, name: str, **params: str) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    from graph.queries import Catalogue, run_named_query

    result = run_named_query(store, Catalogue.load().get(name), params)
    return [{k: str(v) for k, v in row.items() if v is not None} for row in result]


def test_provisions_touched_by_an_agreement(store):
    rows = ask(store, "provisions_touched_by", statement=ID + "aftale/middelfart-aeldre")
    set_aside = {(r["citation"], r["scope"]) for r in rows if r["how"] == "sets_aside"}
    assert set_aside == {("serviceloven § 79 a", "direct"), ("serviceloven § 79 a, stk. 1", "part"),
                         ("serviceloven § 79 a, stk. 7", "part"), ("serviceloven § 79 a, stk. 7, nr. 1", "part"),
                         ("serviceloven § 79 a, stk. 7, nr. 2", "part")}
    assert {r["extent"] for r in rows if r["how"] == "sets_aside"} == {"helt"}
    exemptible = {(r["citation"], r["scope"]) for r in rows if r["how"] == "exemptible"}
    assert ("serviceloven § 83, stk. 1", "direct") in exemptible and ("serviceloven § 83", "whole") in exemptible
    assert not any(r["provision"] == ID + "work/serviceloven" for r in rows)  # the law is not a touched provision


@pytest.mark.parametrize("day,hows", [("2021-12-01", {"exemptible"}), ("2023-01-01", {"exemptible", "sets_aside"}), ("2026-01-01", set())])
def test_provisions_touched_by_honours_as_of(store, day, hows):
    rows = ask(store, "provisions_touched_by", statement=ID + "aftale/middelfart-aeldre", as_of=day)
    assert {r["how"] for r in rows} == hows


def test_provisions_touched_by_a_decision_or_a_clause(store):
    rows = ask(store, "provisions_touched_by", statement=VIBORG_DECISION)
    assert {(r["citation"], r["scope"], r["extent"]) for r in rows} == {
        ("serviceloven § 83, stk. 1, nr. 3", "direct", "delvis"), ("serviceloven § 83, stk. 1", "whole", "delvis"),
        ("serviceloven § 83", "whole", "delvis")}
    (row,) = ask(store, "provisions_touched_by", statement=CLAUSE)
    assert (row["provision"], row["how"], row["scope"]) == (LTA + "2021/2594", "disapplies", "direct")


def test_delegated_rules_of_a_provision(store):
    rows = ask(store, "delegated_rules", provision="serviceloven § 79 a")
    assert {(r["order"], r["basisCitation"], r["part"]) for r in rows} == {
        (LTA + "2019/716", "serviceloven § 79 a, stk. 7", LTA + "2019/716"),
        (LTA + "2019/716", "serviceloven § 79 a, stk. 7, nr. 2", ID + "eli/lta/2019/716/par_1"),
        (LTA + "2022/300", "serviceloven § 79 a, stk. 7", LTA + "2022/300")}
    assert {r["type"] for r in rows} == {"BEK"}
    assert {r["order"] for r in ask(store, "delegated_rules", provision=SL + "par_79a", as_of="2023-01-01")} == {LTA + "2022/300"}
    assert ask(store, "delegated_rules", provision="serviceloven § 80") == []


def test_non_derogable_provisions_of_a_law(store):
    assert {r["citation"] for r in ask(store, "non_derogable", law="serviceloven")} == {"serviceloven § 83, stk. 2"}
    assert {r["citation"] for r in ask(store, "non_derogable", law="lov om velfærdsaftaler på ældreområdet")} == {
        "lov om velfærdsaftaler på ældreområdet § 9, stk. 1"}
    assert len(ask(store, "non_derogable")) == 2
    assert ask(store, "non_derogable", area="dagtilbud") == []
    assert {r["label"] for r in ask(store, "non_derogable", area="aeldre")} == {"Hegnspæl: den nødvendige hjælp"}


def test_unresolved_citations_list_unverified_dangling_and_unresolved(store):
    rows = ask(store, "unresolved_citations")
    assert {(r["problem"], r["source"], r["target"]) for r in rows} == {("unverified", VIBORG_DECISION, SL + "par_83/stk_1/nr_3")}
    extra = rdflib.Graph().parse(format="turtle", data=f"""
        @prefix eli: <http://data.europa.eu/eli/ontology#> . @prefix rg: <https://regelgraf.dk/def#> .
        <{SL}par_81> eli:cites <{SL}par_999> .
        <{ID}uafklaret/1> a rg:UnresolvedReference ; rg:referenceText "§ 79 x" ; rg:occursIn <{VA}par_9/stk_1> .""")
    store.replace_graphs({URIRef(ID + "graph/source/unresolved-test"): extra})
    try:
        rows = ask(store, "unresolved_citations")
        assert {(r["problem"], r.get("source"), r.get("target"), r.get("text")) for r in rows} == {
            ("unverified", VIBORG_DECISION, SL + "par_83/stk_1/nr_3", None),
            ("dangling", SL + "par_81", SL + "par_999", None),
            ("unresolved", VA + "par_9/stk_1", None, "§ 79 x")}
        only_va = ask(store, "unresolved_citations", law="velfaerdsaftaler-aeldre")
        assert {r["problem"] for r in only_va} == {"unresolved"}
    finally:
        store.remove_graphs([URIRef(ID + "graph/source/unresolved-test")])


def test_a_reference_is_followed_once_by_default(store):
    # § 80 cites § 79 a, § 81 cites § 80, § 82 cites § 81: only the direct citer is affected.
    chain = [SL + "par_80", SL + "par_81", SL + "par_82"]
    default = impact(store, SL + "par_79a")
    assert default.reference_hops == 1 and default.to_json()["reference_hops"] == 1
    assert [c for c in chain if c in default] == [SL + "par_80"]
    assert [c for c in chain if c in impact(store, SL + "par_79a", reference_hops=2)] == chain[:2]
    assert [c for c in chain if c in impact(store, SL + "par_79a", reference_hops=None)] == chain
    assert impact(store, SL + "par_79a", reference_hops=None).to_json()["reference_hops"] is None
    none = impact(store, SL + "par_79a", reference_hops=0)
    assert not [c for c in chain if c in none]
    # What rests on the target without referring to it is still followed to any length.
    assert LTA + "2019/716" in none and MIDDELFART_DECISION in none


@pytest.mark.parametrize("hops", [0, 1, 2])
def test_no_path_holds_more_references_than_allowed(store, hops):
    result = impact(store, SL + "par_79a", reference_hops=hops)
    for node in result.nodes:
        assert sum(r in REFERENCE for r in node.relations) <= hops, (node.id, node.relations)
    assert any(sum(r in REFERENCE for r in n.relations) == hops for n in result.nodes)


@pytest.mark.parametrize("bad", [-1, "1", 1.5, True])
def test_bad_reference_hops_is_a_clear_error(store, bad):
    with pytest.raises(ImpactError, match="henvisninger på en sti"):
        impact(store, SL + "par_79a", reference_hops=bad)


@pytest.mark.parametrize("typed, hops", [(None, 1), ("", 1), ("0", 0), (" 3 ", 3), (2, 2), ("all", None), ("Alle", None)])
def test_a_typed_reference_limit_is_read_the_same_everywhere(typed, hops):
    assert parse_reference_hops(typed) == hops


@pytest.mark.parametrize("typed", ["-1", "many", 1.5, True, -2])
def test_a_bad_typed_reference_limit_names_what_is_allowed(typed):
    with pytest.raises(ImpactError, match="'alle'"):
        parse_reference_hops(typed)
