"""The store's own SHACL checks (graph.conformance) find exactly what pySHACL finds.

On every shape fixture (fx:ok and fx:bad on top of base.ttl) and on the shipped data, the
compiled queries return the same (focus, shape, constraint, path, value) results as pySHACL.
For incremental checking, turning each fixture's ok graph into its bad graph (and back) changes
no result outside the nodes graph.conformance.affected_nodes names, and within them the store
finds what pySHACL finds on the whole data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyshacl
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH

from graph.conformance import ValidationFailedInStore, affected_nodes, findings, load_checked, validate_store
from graph.namespaces import ELI
from graph.shapes_sparql import UnsupportedShape, compile_shapes
from graph.store import open_store
from graph.validation import shapes_graph, validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
OK = URIRef("urn:regelgraf:fixture:ok")
BAD = URIRef("urn:regelgraf:fixture:bad")
BASE = URIRef("urn:regelgraf:fixture:base")
SHAPES = sorted(p.stem for p in FIXTURES.glob("*.trig"))


def _term(node: object) -> str:
    # Blank nodes get new labels in every engine; compare them by kind only.
    return "_:b" if isinstance(node, BNode) else str(node)


def pyshacl_keys(graph: Graph) -> set[tuple[str, ...]]:
    """pySHACL's results on a graph, as comparable keys."""
    _, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), advanced=True, inference="none",
                                    allow_warnings=True)
    keys = set()
    top = report.value(predicate=RDF.type, object=SH.ValidationReport)
    for node in report.objects(top, SH.result):  # not the sh:detail results nested in them
        path = report.value(node, SH.resultPath)
        keys.add((_term(report.value(node, SH.focusNode)), str(report.value(node, SH.sourceShape)),
                  str(report.value(node, SH.sourceConstraintComponent)),
                  str(path) if isinstance(path, URIRef) else "", _term(report.value(node, SH.value))))
    return keys


@lru_cache(maxsize=None)
def fixture_keys(shape: str, which: URIRef) -> frozenset[tuple[str, ...]]:
    """pySHACL's results on base.ttl plus one of a fixture's graphs (computed once per test run)."""
    graphs = parts(shape)
    return frozenset(pyshacl_keys(union(graphs[BASE], graphs[which])))


def store_keys(store, focus=None) -> set[tuple[str, ...]]:  # type: ignore[no-untyped-def]
    """The store's findings as the same keys."""
    return {(_term(f), str(c.shape), str(c.component), str(p) if isinstance(p, URIRef) else "", _term(v))
            for f, v, p, c in findings(store, focus)}


def parts(shape: str) -> dict[URIRef, Graph]:
    dataset = Dataset()
    dataset.parse(FIXTURES / f"{shape}.trig", format="trig")
    base = Graph().parse(FIXTURES / "base.ttl", format="turtle")
    return {BASE: base, OK: dataset.graph(OK), BAD: dataset.graph(BAD)}


def union(*graphs: Graph) -> Graph:
    out = Graph()
    for graph in graphs:
        for triple in graph:
            out.add(triple)
    return out


def memory_store(graphs: dict[URIRef, Graph]):  # type: ignore[no-untyped-def]
    store = open_store("oxigraph")
    store.replace_graphs(graphs)
    return store


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("which", [OK, BAD], ids=["ok", "bad"])
def test_store_finds_what_pyshacl_finds(shape: str, which: URIRef) -> None:
    graphs = parts(shape)
    store = memory_store({BASE: graphs[BASE], which: graphs[which]})
    expected = fixture_keys(shape, which)
    assert store_keys(store) == expected
    if which == BAD:
        assert expected, f"{shape}.trig's bad graph should break something"


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("direction", ["ok-to-bad", "bad-to-ok"])
def test_a_change_affects_only_the_nodes_named(shape: str, direction: str) -> None:
    graphs = parts(shape)
    (first, before), (second, after) = ((graphs[OK], fixture_keys(shape, OK)), (graphs[BAD], fixture_keys(shape, BAD)))
    if direction == "bad-to-ok":
        (first, before), (second, after) = (second, after), (first, before)
    store = memory_store({BASE: graphs[BASE], OK: first})
    changed = set(first) ^ set(second)
    affected = affected_nodes(store, changed)
    store.replace_graphs({OK: second})
    affected |= affected_nodes(store, changed)
    outside = {key for key in before ^ after if key[0] not in affected and key[0] != "_:b"}
    assert not outside, f"results changed for nodes not counted as affected: {sorted(outside)[:3]}"
    within = {key for key in after if key[0] in affected}
    assert {key for key in store_keys(store, affected) if key[0] != "_:b"} == {k for k in within if k[0] != "_:b"}


def test_shipped_data_gives_the_same_report(shipped_graphs) -> None:  # type: ignore[no-untyped-def]
    store = memory_store(shipped_graphs)
    assert store_keys(store) == pyshacl_keys(union(*shipped_graphs.values()))
    dataset = Dataset()
    for name, graph in shipped_graphs.items():
        dataset.graph(name).__iadd__(graph)
    expected = validate(dataset)
    got = validate_store(store)
    assert got.conforms == expected.conforms
    assert sorted((str(r.focus), r.messages["da"], r.messages["en"], str(r.graph), str(r.document_label))
                  for r in got.results) == sorted(
        (str(r.focus), r.messages["da"], r.messages["en"], str(r.graph), str(r.document_label)) for r in expected.results)


def test_load_checked_refuses_and_undoes_a_violating_change(shipped_graphs) -> None:  # type: ignore[no-untyped-def]
    store = memory_store(shipped_graphs)
    name = next(n for n, g in shipped_graphs.items() if (None, ELI.is_part_of, None) in g
                and (None, RDF.type, URIRef("https://regelgraf.dk/def#Provision")) in g)
    broken = Graph()
    for triple in shipped_graphs[name]:
        broken.add(triple)
    provision = next(broken.subjects(RDF.type, URIRef("https://regelgraf.dk/def#Provision")))
    broken.remove((provision, ELI.is_part_of, None))
    with pytest.raises(ValidationFailedInStore) as caught:
        load_checked(store, {name: broken})
    assert any(str(r.focus) == str(provision) for r in caught.value.new_results)
    assert set(store.get_graph(name)) == set(shipped_graphs[name])
    # A harmless change goes through (a new title would break the rdf:Statement qualifying the old).
    commented = Graph()
    for triple in shipped_graphs[name]:
        commented.add(triple)
    commented.add((provision, RDFS.comment, Literal("Bemærkning", lang="da")))
    assert load_checked(store, {name: commented}).conforms
    assert set(store.get_graph(name)) == set(commented)


def test_unsupported_shapes_are_refused_by_name() -> None:
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <urn:ex:> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:xone ( ex:A ex:B ) ] .
    """, format="turtle")
    with pytest.raises(UnsupportedShape, match="xone"):
        compile_shapes(shapes)


@pytest.fixture(scope="module")
def shipped_graphs() -> dict[URIRef, Graph]:
    from graph.authoring import compile_sources
    from graph.loading import ontology_graphs
    from graph.settings import DATA_DIR

    return {**ontology_graphs(), **compile_sources([DATA_DIR])}
