"""The shipped knowledge graph (data/): it compiles, holds the velfærdsaftaler, records where every
statement comes from and how certain it is, and conforms to the shapes."""

from datetime import date

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from graph.authoring import compile_sources
from graph.identifiers import base_iri, document_iri
from graph.namespaces import AREA, CERTAINTY, ELI, EXTENT, REGION, RG
from graph.settings import DATA_DIR

AGREEMENTS = {  # municipality code, area, legal basis, local start, current end
    "helsingoer-dagtilbud": ("0217", "dagtilbud", "velfaerdsaftaler-dagtilbud-folkeskole/par_2/nr_1", date(2021, 7, 1), date(2025, 7, 31)),
    "rebild-dagtilbud": ("0840", "dagtilbud", "velfaerdsaftaler-dagtilbud-folkeskole/par_2/nr_1", date(2021, 6, 1), date(2025, 7, 31)),
    "esbjerg-folkeskole": ("0561", "folkeskole", "velfaerdsaftaler-dagtilbud-folkeskole/par_2/nr_2", date(2021, 8, 1), date(2025, 7, 31)),
    "holbaek-folkeskole": ("0316", "folkeskole", "velfaerdsaftaler-dagtilbud-folkeskole/par_2/nr_2", None, date(2025, 7, 31)),
    "viborg-aeldre": ("0791", "aeldre", "velfaerdsaftaler-aeldre/par_2", None, date(2025, 7, 1)),
    "middelfart-aeldre": ("0410", "aeldre", "velfaerdsaftaler-aeldre/par_2", None, date(2025, 7, 1)),
    "langeland-aeldre": ("0482", "aeldre", "velfaerdsaftaler-aeldre/par_2", None, date(2025, 7, 1)),
}
REGIONS = {"0217": "DK-84", "0840": "DK-81", "0561": "DK-83", "0316": "DK-85", "0791": "DK-82", "0410": "DK-83", "0482": "DK-83"}
AUTHORED = (RG.WelfareAgreement, RG.ExemptionPossibility, RG.ExemptionDecision, RG.NonDerogableProvision,
            RG.NonApplicationClause, RG.MunicipalRule, RG.TermChange, RG.Municipality, RG.LawWork, RG.Bill, RDF.Statement)


def iri(path: str) -> URIRef:
    return URIRef(base_iri() + path)


@pytest.fixture(scope="module")
def graphs() -> dict[URIRef, Graph]:
    return compile_sources([DATA_DIR])


@pytest.fixture(scope="module")
def g(graphs) -> Graph:
    union = Graph()
    for graph in graphs.values():
        union += graph
    return union


def certainty_of(g: Graph, subject: URIRef, predicate: URIRef, obj) -> URIRef:  # type: ignore[no-untyped-def]
    """The certainty of one triple: its qualifier's, else its subject's."""
    assert (subject, predicate, obj) in g, (subject, predicate, obj)
    for statement in g.subjects(RDF.subject, subject):
        if g.value(statement, RDF.predicate) == predicate and g.value(statement, RDF.object) == obj:
            return g.value(statement, RG.certainty)
    return g.value(subject, RG.certainty)


def test_every_file_compiles_to_its_own_graph(graphs):
    assert len(graphs) == len(list(DATA_DIR.rglob("*.yaml")))
    for name, graph in graphs.items():
        assert (name, RDF.type, PROV.Entity) in graph and graph.value(name, PROV.wasDerivedFrom) is not None


def test_seven_municipalities_with_code_and_region(g):
    found = {str(g.value(m, RG.kommunekode)): g.value(m, RG.region) for m in g.subjects(RDF.type, RG.Municipality)}
    assert found == {code: REGION[region] for code, region in REGIONS.items()}
    assert g.value(iri("kommune/0217"), SKOS.prefLabel) == Literal("Helsingør", lang="da")


@pytest.mark.parametrize("slug", sorted(AGREEMENTS))
def test_the_seven_agreements(g, slug):
    code, area, basis, local_start, until = AGREEMENTS[slug]
    agreement = iri(f"aftale/{slug}")
    assert (agreement, RDF.type, RG.WelfareAgreement) in g
    assert g.value(agreement, RG.municipality) == iri(f"kommune/{code}")
    assert g.value(agreement, RG.welfareArea) == AREA[area]
    assert g.value(agreement, RG.legalBasis) == iri(f"work/{basis}")
    assert g.value(agreement, RG.validUntil).toPython() == until
    start = g.value(agreement, RG.localStart)
    assert (start.toPython() if start is not None else None) == local_start
    # The period runs from the law's date, a documented lower bound: recorded as inferred.
    valid_from = g.value(agreement, RG.validFrom)
    assert valid_from.toPython() == date(2021, 5, 12)
    assert certainty_of(g, agreement, RG.validFrom, valid_from) == CERTAINTY.inferred
    (extension,) = g.subjects(RG.changedPeriodOf, agreement)
    assert (g.value(extension, RG.previousEnd).toPython(), g.value(extension, RG.newEnd).toPython()) == (date(2024, 9, 30), until)


def test_the_laws_end_dates_as_term_changes(g):
    dagtilbud = iri("work/velfaerdsaftaler-dagtilbud-folkeskole")
    (change,) = g.subjects(RG.changedPeriodOf, dagtilbud)
    assert g.value(change, RG.newEnd).toPython() == date(2025, 7, 31)
    bill = g.value(change, RG.changedBy)
    assert (bill, RDF.type, RG.Bill) in g and str(g.value(bill, RG.billNumber)) == "L 89"
    assert str(g.value(bill, RG.parliamentarySession)) == "2023-24"
    aeldre = iri("work/velfaerdsaftaler-aeldre")
    (change,) = g.subjects(RG.changedPeriodOf, aeldre)
    assert g.value(change, RG.newEnd).toPython() == date(2025, 7, 1)
    # L 109 (2023-24) = lov 678/2024 is an inference: the link records it.
    assert certainty_of(g, change, RG.changedBy, document_iri(2024, 678)) == CERTAINTY.inferred


def test_law_versions_and_amendments(g):
    lov880, lbk1171 = document_iri(2021, 880), document_iri(2022, 1171)
    work = iri("work/velfaerdsaftaler-dagtilbud-folkeskole")
    assert g.value(lov880, ELI.is_member_of) == work and g.value(lbk1171, ELI.is_member_of) == work
    assert (lbk1171, ELI.consolidates, lov880) in g
    for year, number in ((2023, 1544), (2024, 174)):
        assert (document_iri(year, number), ELI.amends, lbk1171) in g
    for year, number in ((2023, 749), (2024, 678)):
        assert (document_iri(year, number), ELI.amends, iri("work/velfaerdsaftaler-aeldre")) in g
    assert certainty_of(g, document_iri(2023, 749), ELI.changes, iri("work/velfaerdsaftaler-aeldre/par_9a")) == CERTAINTY.inferred
    # Sector-law versions are members of the work keys an importer will use.
    expected = {"dagtilbudsloven": {2, 1912, 454, 985, 55, 1038}, "folkeskoleloven": {1396, 1887, 90, 989},
                "serviceloven": {1284, 1114, 1287}}
    for key, numbers in expected.items():
        members = {int(g.value(d, ELI.number)) for d in g.subjects(ELI.is_member_of, iri(f"work/{key}"))}
        assert members == numbers, key
    assert g.value(document_iri(2020, 1287), RG.certainty) == CERTAINTY.unverified


def test_aliases_include_the_practical_names(g):
    aliases = {str(a) for a in g.objects(iri("work/velfaerdsaftaler-aeldre"), SKOS.altLabel)}
    assert {"lov nr. 879 af 12. maj 2021"} <= aliases
    assert str(g.value(iri("work/velfaerdsaftaler-aeldre"), RG.popularName)) == "lov om velfærdsaftaler på ældreområdet"


def test_exemption_possibilities_per_area(g):
    possibilities = {str(p).rsplit("/", 1)[-1]: p for p in g.subjects(RDF.type, RG.ExemptionPossibility)}
    assert set(possibilities) == {"dagtilbud-kapitel-4", "folkeskole-kapitel-5", "aeldre-kapitel-4"}
    dagtilbud = possibilities["dagtilbud-kapitel-4"]
    confirmed = {iri(f"work/dagtilbudsloven/{p}") for p in ("par_1", "par_2/stk_3", "par_3a/stk_2", "par_3a/stk_3")}
    for provision in confirmed:
        assert certainty_of(g, dagtilbud, RG.exemptibleProvision, provision) == CERTAINTY.certain
    assert certainty_of(g, dagtilbud, RG.exemptibleProvision, iri("work/dagtilbudsloven/par_8")) == CERTAINTY.inferred
    aeldre = possibilities["aeldre-kapitel-4"]
    assert certainty_of(g, aeldre, RG.exemptibleProvision, iri("work/serviceloven/par_79a")) == CERTAINTY.certain
    assert certainty_of(g, aeldre, RG.exemptibleProvision, iri("work/serviceloven/par_83a")) == CERTAINTY.inferred
    assert certainty_of(g, aeldre, RG.exemptibleProvision, iri("work/serviceloven/par_88")) == CERTAINTY.unverified
    folkeskole = possibilities["folkeskole-kapitel-5"]
    assert {certainty_of(g, folkeskole, RG.exemptibleProvision, p) for p in g.objects(folkeskole, RG.exemptibleProvision)} == {CERTAINTY.unverified}


def test_hegnspaele_with_and_without_provisions(g):
    fences = {str(h).rsplit("/", 1)[-1]: h for h in g.subjects(RDF.type, RG.NonDerogableProvision)}
    assert g.value(fences["dagtilbud-grundrettigheder"], RG.certainty) == CERTAINTY.inferred
    parental = fences["dagtilbud-foraeldrebetalingsloft"]
    assert g.value(parental, RG.certainty) == CERTAINTY.certain
    assert certainty_of(g, parental, RG.protects, iri("work/dagtilbudsloven/par_32")) == CERTAINTY.unverified
    assert g.value(fences["folkeskole-gratis"], RG.protects) is None  # policy-level, no provision known
    assert {p for p in g.objects(fences["aeldre-sikkerhedsnet"], RG.protects)} == {
        iri("work/velfaerdsaftaler-aeldre/par_9"), iri("work/velfaerdsaftaler-aeldre/par_9a")}
    assert g.value(fences["aeldre-basale-regler"], RG.certainty) == CERTAINTY.unverified


def test_middelfarts_decisions(g):
    decision = iri("aftale/middelfart-aeldre/beslutning/forebyggende-hjemmebesoeg")
    assert set(g.objects(decision, RG.setsAside)) == {iri("work/serviceloven/par_79a"), iri("work/serviceloven/par_139/stk_2")}
    assert g.value(decision, RG.extent) == EXTENT.helt and g.value(decision, RG.certainty) == CERTAINTY.certain
    assert g.value(decision, RG.underPossibility) == iri("fravigelsesadgang/aeldre-kapitel-4")
    effective = g.value(decision, RG.effectiveFrom)
    assert certainty_of(g, decision, RG.effectiveFrom, effective) == CERTAINTY.inferred
    other = iri("aftale/middelfart-aeldre/beslutning/hjemmehjaelp-rehabilitering")
    assert certainty_of(g, other, RG.extent, EXTENT.delvis) == CERTAINTY.unverified
    assert certainty_of(g, other, RG.setsAside, iri("work/serviceloven/par_83a")) == CERTAINTY.inferred


def test_what_rests_on_the_exempted_provisions(g):
    bek716 = document_iri(2019, 716)
    assert set(g.objects(bek716, ELI.based_on)) == {iri("work/serviceloven/par_79a/stk_7"), iri("work/serviceloven/par_139/stk_2")}
    assert (iri("work/serviceloven/par_91"), ELI.cites, iri("work/serviceloven/par_83")) in g
    assert (iri("work/velfaerdsaftaler-aeldre/par_9a"), ELI.cites, iri("work/serviceloven/par_83/stk_1/nr_3")) in g
    assert (iri("work/dagtilbudsloven/par_3a/stk_2"), ELI.cites, iri("work/serviceloven/par_19/stk_2")) in g
    rule = iri("kommune/0410/regel/kvalitetsstandard-forebyggende-hjemmebesoeg")
    assert (rule, RG.implements, iri("work/serviceloven/par_139/stk_2")) in g
    assert certainty_of(g, iri("work/serviceloven/par_161/stk_4"), ELI.cites, iri("work/serviceloven/par_83/stk_1/nr_3")) == CERTAINTY.inferred


def test_non_application_clauses_for_the_dagtilbud_municipalities(g):
    clauses = list(g.subjects(RDF.type, RG.NonApplicationClause))
    assert {g.value(c, RG.disapplies) for c in clauses} == {document_iri(2021, 2594), document_iri(2021, 2595)}
    for clause in clauses:
        assert set(g.objects(clause, RG.municipality)) == {iri("kommune/0217"), iri("kommune/0840")}
        until = g.value(clause, RG.validUntil)
        assert until.toPython() == date(2025, 7, 31)
        assert certainty_of(g, clause, RG.validUntil, until) == CERTAINTY.inferred
    assert (iri("work/lov-2021-2594/par_2/stk_3"), ELI.cites, iri("work/velfaerdsaftaler-dagtilbud-folkeskole/par_2/nr_1")) in g


def test_every_statement_has_a_source_and_a_certainty(g):
    nodes = set(g.subjects(RG.certainty, None)) | set(g.subjects(RG.summary, None))
    for cls in AUTHORED:
        nodes |= set(g.subjects(RDF.type, cls))
    nodes |= set(g.subjects(RDF.type, RG.Provision)) | set(g.subjects(ELI.type_document, None))
    assert len(nodes) > 200
    for node in nodes:
        certainties = list(g.objects(node, RG.certainty))
        assert len(certainties) == 1 and certainties[0] in (CERTAINTY.certain, CERTAINTY.inferred, CERTAINTY.unverified), node
        sources = list(g.objects(node, PROV.wasDerivedFrom))
        assert sources and all(str(s).startswith(("http://", "https://")) for s in sources), node


def test_inferred_and_unverified_statements_explain_themselves(g):
    for node in set(g.subjects(RG.certainty, CERTAINTY.inferred)) | set(g.subjects(RG.certainty, CERTAINTY.unverified)):
        assert g.value(node, RG.sourceNote) is not None, node


def test_summaries_are_bilingual(g):
    for node in set(g.subjects(RG.summary, None)):
        assert {o.language for o in g.objects(node, RG.summary)} == {"da", "en"}, node


def test_gaps_are_not_encoded(g):
    # The enacted number of L 89 (2023-24) and of the ældrelov are unknown: no act stands for them.
    for bill in g.subjects(RDF.type, RG.Bill):
        assert (None, ELI.is_member_of, bill) not in g
    assert not [d for d in g.subjects(ELI.type_document, None) if str(d).endswith("/2023/1771")]


def test_the_shipped_data_conforms_to_the_shapes(graphs):
    from graph.loading import ontology_graphs
    from graph.validation import validate

    report = validate(_union({**ontology_graphs(), **graphs}))
    assert report.conforms, report.to_text("en")
    assert not report.results, report.to_text("en")


def _union(graphs) -> Graph:  # type: ignore[no-untyped-def]
    """All named graphs as one graph, as the shapes see the store."""
    result = Graph()
    for graph in graphs.values():
        result += graph
    return result


def test_decisions_and_possibilities_have_readable_names_in_both_languages():
    """Pages and reports name statements by label; a slug like 'aeldre-kapitel-4' is not a name."""
    from rdflib.namespace import RDF, RDFS

    from graph.authoring import compile_sources
    from graph.namespaces import RG
    from graph.settings import DATA_DIR

    merged = Graph()
    for graph in compile_sources([DATA_DIR]).values():
        merged += graph
    for kind in (RG.ExemptionDecision, RG.ExemptionPossibility):
        for node in merged.subjects(RDF.type, kind):
            languages = {label.language for label in merged.objects(node, RDFS.label)}
            assert languages == {"da", "en"}, node
    middelfart = [str(label) for node in merged.subjects(RDF.type, RG.ExemptionDecision)
                  for label in merged.objects(node, RDFS.label) if label.language == "da"]
    assert "Middelfart Kommunes fravigelse af serviceloven § 79 a og serviceloven § 139, stk. 2" in middelfart
