"""Every shape has a conforming and a violating fixture written for it (tests/fixtures/shapes/).

Each ``<Shape>.trig`` holds two graphs that are validated on top of ``base.ttl``: ``fx:ok`` must
produce no finding at all, ``fx:bad`` must produce a finding from the node shape (when it has
constraints of its own) and from every one of its property shapes, with a Danish and an English
message that names the provision involved by its citation.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF, SH

from graph.namespaces import RG
from graph.validation import RGSH, ontology_graph, shapes_graph, validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
OK = URIRef("urn:regelgraf:fixture:ok")
BAD = URIRef("urn:regelgraf:fixture:bad")
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
NOT_CONSTRAINTS = {*TARGETS, SH.property, SH.message, SH.severity, SH.name, SH.description,
                   SH.deactivated, SH.path, SH.order, SH.group}
# How an authored node names its provisions (independent of graph.validation's own list).
LINKS = (RG.setsAside, RG.exemptibleProvision, RG.protects, RG.statedIn, RG.implements, RG.legalBasis, RG.occursIn)
LEFTOVER = re.compile(r"\{[?$]?\w+\}")


def targeted_shapes() -> list[URIRef]:
    """Named node shapes that select focus nodes themselves."""
    shapes = shapes_graph()
    return sorted(
        s for s in set(shapes.subjects(RDF.type, SH.NodeShape))
        if isinstance(s, URIRef) and any((s, t, None) in shapes for t in TARGETS)
    )


def has_own_constraints(shape: URIRef, *, sparql: bool = True) -> bool:
    """Whether the shape constrains its focus itself (not only through sh:property)."""
    shapes = shapes_graph()
    skipped = NOT_CONSTRAINTS if sparql else NOT_CONSTRAINTS | {SH.sparql}
    return any(p.startswith(str(SH)) and p not in skipped for p in shapes.predicates(shape, None))


def expected_sources(shape: URIRef) -> set[URIRef]:
    """The shape itself (if it constrains anything) and each of its property shapes."""
    shapes = shapes_graph()
    expected = set(shapes.objects(shape, SH.property))
    if has_own_constraints(shape):
        expected.add(shape)
    return expected


SHAPES = [s.removeprefix(str(RGSH)) for s in targeted_shapes()]


@lru_cache(maxsize=1)
def base() -> Graph:
    return Graph().parse(FIXTURES / "base.ttl", format="turtle")


def fixture(shape: str, which: URIRef) -> Graph:
    dataset = Dataset()
    dataset.parse(FIXTURES / f"{shape}.trig", format="trig")
    graph = Graph()
    for triple in base():
        graph.add(triple)
    part = dataset.graph(which)
    assert len(part), f"{shape}.trig has no graph <{which}>; write one"
    for triple in part:
        graph.add(triple)
    return graph


def citation(data: Graph, node: object) -> str | None:
    value = data.value(node, RG.citation) if isinstance(node, URIRef) else None
    return None if value is None else str(value)


def involved_citations(data: Graph, focus: URIRef, value: object) -> list[str]:
    """Citations a message must name: the focus's, else the value's, else those the focus links to."""
    if own := citation(data, focus):
        return [own]
    if cited := citation(data, value):
        return [cited]
    return sorted({c for p in LINKS for o in data.objects(focus, p) if (c := citation(data, o))})


def test_every_targeted_shape_has_exactly_one_fixture_file():
    files = {p.stem for p in FIXTURES.glob("*.trig")}
    assert set(SHAPES) == files, f"missing fixtures: {set(SHAPES) - files}; fixtures without a shape: {files - set(SHAPES)}"
    assert len(SHAPES) >= 25


def test_the_base_world_conforms_with_and_without_the_ontology():
    assert validate(base()).results == []
    assert validate(base() + ontology_graph()).results == []


@pytest.mark.parametrize("shape", SHAPES)
def test_ok_fixture_conforms(shape):
    report = validate(fixture(shape, OK), lang="en")
    assert report.conforms and report.results == [], report.to_text("en")


@pytest.mark.parametrize("shape", SHAPES)
def test_bad_fixture_breaks_every_rule_of_the_shape(shape):
    node = RGSH[shape]
    data = fixture(shape, BAD)
    report = validate(data)
    sources = {r.source_shape for r in report.results}
    missing = expected_sources(node) - sources
    assert not missing, f"{shape}.trig fx:bad triggers no result from {sorted(missing)}:\n{report.to_text()}"
    own = [r for r in report.results if r.source_shape in expected_sources(node)]
    for result in own:
        da, en = result.messages["da"], result.messages["en"]
        assert da and en and da != en, f"{result.source_shape}: needs distinct Danish and English messages"
        assert result.message == da
        for text in (da, en):
            assert not LEFTOVER.search(text), f"unfilled placeholder in {text!r}"
        assert result.path is None or isinstance(result.path, URIRef), "result paths must be simple"
        wanted = involved_citations(data, result.focus, result.value)
        if wanted:
            assert any(c in da for c in wanted) and any(c in en for c in wanted), (
                f"{result.source_shape} on {result.focus}: the messages must name {wanted}:\n{da}\n{en}")
    if all(r.severity != "Violation" for r in own):
        assert report.conforms, "warnings alone must not make the data non-conforming"
    else:
        assert not report.conforms


def _constraint_nodes() -> list[object]:
    """Every shape or SPARQL constraint that can produce a result, with its messages."""
    shapes = shapes_graph()
    # A SPARQL-based shape carries its messages on the sh:sparql constraint node.
    nodes = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if has_own_constraints(s, sparql=False)}
    nodes |= set(shapes.objects(None, SH.property))
    nodes |= set(shapes.objects(None, SH.sparql))
    return sorted(nodes, key=str)


def test_every_constraint_has_one_message_in_danish_and_one_in_english():
    shapes = shapes_graph()
    for node in _constraint_nodes():
        languages = sorted(m.language or "-" for m in shapes.objects(node, SH.message))
        assert languages == ["da", "en"], f"{node}: messages in {languages}; write one @da and one @en"


def test_every_message_says_how_to_fix_it():
    """Danish messages carry an instruction (imperative or 'skal'), English ones likewise."""
    shapes = shapes_graph()
    fixes = {"da": re.compile(r"\b(skal|ret|angiv|brug|behold|skriv|fjern|tilføj|peg|importér)\b", re.IGNORECASE),
             "en": re.compile(r"\b(must|fix|give|use|keep|write|remove|add|point|import)\b", re.IGNORECASE)}
    for node in _constraint_nodes():
        for message in shapes.objects(node, SH.message):
            if message.language in fixes:
                assert fixes[message.language].search(str(message)), f"{node}: say how to fix it: {message}"


def test_sparql_constraints_use_a_sparql_target_prefilter():
    """SPARQL constraints cost ~5 ms per focus node; each must be reached through a SPARQL target."""
    shapes = shapes_graph()
    for shape in shapes.subjects(SH.sparql, None):
        targets = list(shapes.objects(shape, SH.target))
        assert targets and all((t, RDF.type, SH.SPARQLTarget) in shapes for t in targets), shape
        assert not any((shape, t, None) in shapes for t in TARGETS if t != SH.target), shape
