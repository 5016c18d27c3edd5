"""graph.validation: typed results, languages, grouping, renderings, Dataset input."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from graph.namespaces import RG
from graph.validation import ValidationReport, ValidationResult, ontology_graph, shapes_graph, validate

FIXTURES = Path(__file__).parent / "fixtures" / "shapes"
ID = "https://regelgraf.dk/id/"
WORK = ID + "work/dagtilbudsloven"
STK1, STK2 = URIRef(WORK + "/par_3a/stk_1"), URIRef(WORK + "/par_3a/stk_2")
DECISION = URIRef(ID + "kommune/0217/beslutning/dagtilbudsloven-3a-2")
MUNICIPALITY = URIRef(ID + "kommune/0217")
LAWS, AGREEMENTS = URIRef(ID + "graph/source/laws"), URIRef(ID + "graph/source/agreements")


@lru_cache(maxsize=1)
def _base() -> Graph:
    return Graph().parse(FIXTURES / "base.ttl", format="turtle")


def base() -> Graph:
    """A fresh copy of the conforming base world."""
    graph = Graph()
    for triple in _base():
        graph.add(triple)
    return graph


def broken() -> Graph:
    """The base world with three faults: two provisions without a type, a decision out of its period."""
    graph = base()
    graph.remove((STK1, URIRef("http://data.europa.eu/eli/ontology#type_subdivision"), None))
    graph.remove((STK2, URIRef("http://data.europa.eu/eli/ontology#type_subdivision"), None))
    graph.set((DECISION, RG.effectiveFrom, Literal("2026-01-01", datatype=XSD.date)))
    return graph


def split(graph: Graph) -> Dataset:
    """The same triples as a Dataset: decisions, agreements … in one graph, everything else in another."""
    dataset = Dataset()
    agreements = {s for s in graph.subjects() if str(s).startswith((ID + "kommune/0217/", ID + "aftale/", ID + "fravigelse/", ID + "hegnspael/", ID + "undtagelse/", ID + "lovforslag/"))}
    for s, p, o in graph:
        dataset.graph(AGREEMENTS if s in agreements else LAWS).add((s, p, o))
    return dataset


def test_a_conforming_graph_has_no_results_and_a_short_text():
    report = validate(base())
    assert report.conforms and report.results == []
    assert report.to_text() == "Validering: ingen fund; data overholder formerne."
    assert report.to_text("en").startswith("Validation: no findings")


def test_results_are_typed_and_name_the_provision_by_citation():
    report = validate(broken())
    assert not report.conforms
    by_focus = {r.focus: r for r in report.results if r.source_shape == URIRef("https://regelgraf.dk/def/shapes#Subdivision-type")}
    result = by_focus[STK2]
    assert isinstance(result, ValidationResult)
    assert result.severity == "Violation"
    assert result.focus_label == "dagtilbudsloven § 3 a, stk. 2"
    assert result.path == URIRef("http://data.europa.eu/eli/ontology#type_subdivision")
    assert result.value is None
    assert result.message == result.messages["da"]
    assert result.messages["da"].startswith("dagtilbudsloven § 3 a, stk. 2 skal have præcis én underinddelingstype")
    assert result.messages["en"].startswith("dagtilbudsloven § 3 a, stk. 2 must have exactly one subdivision type")
    assert result.provision == STK2 and result.provision_label == "dagtilbudsloven § 3 a, stk. 2"
    assert result.document == URIRef(WORK) and result.document_label == "dagtilbudsloven"
    assert result.graph is None


def test_a_decision_outside_its_agreement_is_reported_in_both_languages():
    report = validate(broken(), lang="en")
    [period] = [r for r in report.results if r.source_shape == URIRef("https://regelgraf.dk/def/shapes#DecisionPeriodShape")]
    assert period.focus == DECISION and period.focus_label == "Helsingør fraviger rammerne for dagtilbud"
    assert period.value == Literal("2026-01-01", datatype=XSD.date)
    assert period.provision == STK2  # the decision sets it aside
    # pySHACL fills {?period} and drops the language tag; each language keeps its own text.
    assert period.messages["da"].startswith("Fravigelsesbeslutningen Helsingør fraviger rammerne for dagtilbud (dagtilbudsloven § 3 a, stk. 2) har virkning fra 2026-01-01")
    assert "2021-06-01 – 2025-07-31" in period.messages["da"]
    assert period.messages["en"].startswith("The exemption decision Helsingør fraviger rammerne for dagtilbud (dagtilbudsloven § 3 a, stk. 2) takes effect on 2026-01-01")
    assert period.message == period.messages["en"]


def test_text_report_groups_per_document_then_provision_in_statute_order():
    text = validate(broken()).to_text("da")
    lines = text.splitlines()
    assert lines[0] == "Validering: 3 overtrædelser."
    header = lines.index("Dokument: dagtilbudsloven <https://regelgraf.dk/id/work/dagtilbudsloven>")
    group = lines[header + 1:]
    assert group[0].startswith("[Overtrædelse] dagtilbudsloven § 3 a, stk. 1: ")
    assert group[1].startswith("[Overtrædelse] dagtilbudsloven § 3 a, stk. 2: ")
    english = validate(broken()).to_text("en")
    assert english.splitlines()[0] == "Validation: 3 violations."
    assert "[Violation] dagtilbudsloven § 3 a, stk. 2: dagtilbudsloven § 3 a, stk. 2 must have" in english


def test_dataset_input_validates_the_union_and_remembers_each_focus_graph():
    report = validate(split(broken()))
    graphs = {r.focus: r.graph for r in report.results}
    assert graphs[STK1] == LAWS and graphs[STK2] == LAWS
    assert graphs[DECISION] == AGREEMENTS
    # The decision's links to provisions and agreement cross graphs, and the union sees them.
    assert {str(r.source_shape).split("#")[1] for r in report.results} == {"Subdivision-type", "DecisionPeriodShape"}
    text = report.to_text()
    assert f"Dokument: <{AGREEMENTS}>" in text and f"Dokument: <{LAWS}>" in text
    assert all(r.document == r.graph for r in report.results)


def test_a_focus_described_in_several_graphs_belongs_to_the_one_that_types_it():
    dataset = split(broken())
    dataset.graph(LAWS).add((DECISION, RG.decidedOn, Literal("2021-06-24", datatype=XSD.date)))
    report = validate(dataset)
    assert {r.graph for r in report.results if r.focus == DECISION} == {AGREEMENTS}


def test_default_graph_triples_have_no_graph():
    dataset = Dataset()
    for triple in broken():
        dataset.default_graph.add(triple)
    report = validate(dataset)
    assert report.results and all(r.graph is None for r in report.results)


def test_json_rendering_is_json_ready_and_complete():
    report = validate(broken())
    data = report.to_json("en")
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["conforms"] is False and data["lang"] == "en"
    assert data["counts"] == {"Violation": 3, "Warning": 0, "Info": 0}
    first = next(r for r in data["results"] if r["focus"] == str(STK2))
    assert first["severity"] == "Violation" and first["severity_label"] == "Violation"
    assert first["source_shape"] == "rgsh:Subdivision-type" and first["path"] == "eli:type_subdivision"
    assert first["message"] == first["messages"]["en"] != first["messages"]["da"]
    assert first["provision_label"] == "dagtilbudsloven § 3 a, stk. 2"
    assert validate(broken()).to_json("da")["results"][0]["severity_label"] == "Overtrædelse"


def test_turtle_rendering_is_a_shacl_report_with_both_languages():
    report = validate(broken())
    graph = Graph().parse(data=report.to_turtle(), format="turtle")
    [node] = graph.subjects(RDF.type, SH.ValidationReport)
    assert graph.value(node, SH.conforms) == Literal(False)
    results = list(graph.objects(node, SH.result))
    assert len(results) == len(report.results) == 3
    for result in results:
        assert {m.language for m in graph.objects(result, SH.resultMessage)} == {"da", "en"}
        assert graph.value(result, SH.resultSeverity) == SH.Violation
        assert graph.value(result, SH.sourceShape) is not None


def test_warnings_do_not_break_conformance():
    graph = base()
    graph.add((DECISION, RG.decidedOn, Literal("2021-09-01", datatype=XSD.date)))
    graph.remove((DECISION, RG.decidedOn, Literal("2021-06-24", datatype=XSD.date)))
    report = validate(graph)
    assert report.conforms
    assert [r.severity for r in report.results] == ["Warning"]
    assert report.to_text().splitlines()[0] == "Validering: 1 advarsel."
    assert report.to_text("en").splitlines()[3].startswith("[Warning] dagtilbudsloven § 3 a, stk. 2: ")


def test_a_report_can_be_rebuilt_from_results_alone():
    """The loader and CLI render only the results a load would introduce."""
    results = validate(broken()).results[:1]
    rebuilt = ValidationReport(conforms=False, results=results)
    assert rebuilt.to_text().splitlines()[-1].startswith("[Overtrædelse] ")
    assert "sh:ValidationReport" in rebuilt.to_turtle()


def test_labels_fall_back_from_citation_to_label_to_iri():
    graph = base()
    graph.add((MUNICIPALITY, RG.kommunekode, Literal("217")))
    graph.remove((MUNICIPALITY, RG.kommunekode, Literal("0217")))
    anonymous = URIRef(ID + "kommune/0999")
    graph.add((anonymous, RDF.type, RG.Municipality))
    results = {r.focus: r for r in validate(graph).results}
    assert results[MUNICIPALITY].focus_label == "Helsingør Kommune"
    assert results[MUNICIPALITY].value == Literal("217")
    assert 'Kommunekoden "217" for Helsingør Kommune' in results[MUNICIPALITY].messages["da"]
    assert results[anonymous].focus_label == str(anonymous)
    assert results[anonymous].document is None
    assert "Uden for dokumenter:" in validate(graph).to_text()


def test_the_ontology_in_the_data_changes_nothing():
    """The loader stores the ontology as a named graph; its subclass axioms must not add results."""
    without = validate(broken())
    with_ontology = validate(broken() + ontology_graph())
    key = lambda r: (str(r.focus), str(r.source_shape), str(r.value))  # noqa: E731
    assert sorted(map(key, without.results)) == sorted(map(key, with_ontology.results))


def test_validation_does_not_change_the_data():
    graph = broken()
    before = set(graph)
    validate(graph)
    assert set(graph) == before


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="da, en"):
        validate(base(), lang="de")
    with pytest.raises(ValueError, match="unsupported language"):
        validate(base()).to_text("sv")


def test_shapes_are_parsed_once():
    assert shapes_graph() is shapes_graph()
    assert len(shapes_graph()) > 500
