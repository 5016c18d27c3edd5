"""What an imported document becomes: document, work, provisions, links, provenance — on the fixtures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from graph.identifiers import base_iri
from graph.importers import ImportOptions, import_paths
from graph.importers.build import build_document
from graph.importers.detect import parse_document
from graph.importers.links import Known, Linker
from graph.importers.model import Source
from graph.importers.triples import Lit, to_graph, to_nquads
from graph.importers.works import DocumentKey, WorkIndex
from graph.namespaces import DOCTYPE, ELI, RG, SUBDIV
from graph.store import open_store
from graph.validation import validate

GOOD = Path(__file__).parent / "fixtures" / "importers" / "good"
XML = sorted(GOOD.glob("*.xml"))
ELI_BASE = "https://www.retsinformation.dk/eli/lta/"


def work(path: str = "") -> URIRef:
    return URIRef(f"{base_iri()}work/{path}")


def version(path: str) -> URIRef:
    return URIRef(f"{base_iri()}eli/lta/{path}")


@pytest.fixture(scope="module")
def imported():  # type: ignore[no-untyped-def]
    """The XML fixtures imported together (each graph SHACL-validated) into a memory store."""
    store = open_store("memory")
    summary = import_paths(store, XML, options=ImportOptions(shacl=True))
    yield store, summary
    store.close()


def objects(store, subject: URIRef, predicate: URIRef) -> set:  # type: ignore[no-untyped-def]
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }", bindings={"s": subject, "p": predicate}).rows
    return {row[0] for row in rows}


def test_summary_counts_and_every_graph_conforms(imported) -> None:  # type: ignore[no-untyped-def]
    store, summary = imported
    assert summary.failures == [] and summary.validated == 4 == summary.documents
    assert sorted(summary.graphs) == [f"{base_iri()}graph/lta/{p}" for p in ("2014/901", "2015/1901", "2015/1902", "2016/99")]
    assert summary.provisions == sum(
        1 for _ in store.query("PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?v WHERE { ?v a eli:LegalResourceSubdivision }").rows)


def test_document_metadata(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    lov = URIRef(ELI_BASE + "2014/901")
    assert objects(store, lov, RDF.type) == {ELI.LegalResource}
    assert objects(store, lov, ELI.type_document) == {DOCTYPE.LOV}
    assert objects(store, lov, ELI.number) == {Literal("901")}
    assert objects(store, lov, ELI.date_document) == {Literal("2014-06-04", datatype=XSD.date)}
    assert objects(store, lov, ELI.date_no_longer_in_force) == {Literal("2015-12-20", datatype=XSD.date)}
    assert objects(store, lov, ELI.title) == {Literal("Lov om prøveordninger for kommuner", lang="da")}
    assert objects(store, lov, ELI.title_short) == {Literal("Prøveloven", lang="da")}
    assert objects(store, lov, RG.status) == {Literal("Historic")}
    assert objects(store, lov, RG.accessionNumber) == {Literal("A20149999930")}
    assert objects(store, lov, ELI.is_member_of) == {work("proeveloven")}
    (ministry,) = objects(store, lov, ELI.responsibility_of)
    assert objects(store, ministry, RDFS.label) == {Literal("Økonomi- og Indenrigsministeriet", lang="da")}


def test_law_work_of_a_popular_title_and_of_an_amending_act(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    law = work("proeveloven")
    assert objects(store, law, RDF.type) == {RG.LawWork}
    assert objects(store, law, RG.workKey) == {Literal("proeveloven")}
    assert objects(store, law, RG.popularName) == {Literal("prøveloven", lang="da")}
    assert objects(store, law, ELI.title) == {Literal("Lov om prøveordninger for kommuner", lang="da")}
    assert objects(store, law, ELI.has_member) == {URIRef(ELI_BASE + "2014/901"), URIRef(ELI_BASE + "2015/1901")}
    amending = work("lov-2015-1902")
    assert objects(store, amending, RG.popularName) == {Literal("lov nr. 1902 af 15. december 2015", lang="da")}
    assert objects(store, work("bek-2016-99"), RG.workKey) == {Literal("bek-2016-99")}


def test_provisions_are_shared_by_the_versions_of_a_law(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    provision = work("proeveloven/par_2/stk_2")
    members = {row[0] for row in store.query("SELECT ?v WHERE { ?v <http://data.europa.eu/eli/ontology#is_member_of> ?p }",
                                              bindings={"p": provision}).rows}
    assert members == {version("2014/901/par_2/stk_2"), version("2015/1901/par_2/stk_2")}
    assert objects(store, provision, RG.citation) == {Literal("prøveloven § 2, stk. 2")}
    assert objects(store, provision, ELI.is_part_of) == {work("proeveloven/par_2")}
    assert objects(store, work("proeveloven/par_2"), ELI.is_part_of) == {work("proeveloven")}
    deepest = work("proeveloven/par_2/stk_2/nr_2/litra_b")
    assert objects(store, deepest, RG.citation) == {Literal("prøveloven § 2, stk. 2, nr. 2, litra b")}
    assert objects(store, deepest, ELI.type_subdivision) == {SUBDIV.litra}
    assert objects(store, work("proeveloven/par_2a"), RG.sortKey) == {Literal("00002a")}
    assert objects(store, work("proeveloven/kap_2"), ELI.is_part_of) == {work("proeveloven")}


def test_version_subdivisions_carry_number_heading_and_text(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    paragraph = version("2014/901/par_2")
    assert objects(store, paragraph, ELI.is_part_of) == {version("2014/901/kap_2")}
    assert objects(store, version("2014/901/kap_2"), ELI.is_part_of) == {URIRef(ELI_BASE + "2014/901")}
    assert objects(store, paragraph, ELI.title) == {Literal("Ansøgning", lang="da")}
    assert objects(store, paragraph, ELI.number) == {Literal("2")}
    assert objects(store, version("2014/901/par_2/stk_2/nr_2"), RG.text) == {Literal("en plan for udledningen af CO2 og", lang="da")}


def test_cross_references_resolve_within_the_document(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    assert objects(store, work("proeveloven/par_2/stk_3"), ELI.cites) == {
        work("proeveloven/par_2/stk_1"), work("proeveloven/par_2/stk_2/nr_2")}
    assert objects(store, work("proeveloven/par_2/stk_2/nr_2/litra_b"), ELI.cites) == {work("proeveloven/par_2/stk_2/nr_1")}
    assert objects(store, work("proeveloven/bilag_1"), ELI.cites) == set()  # an annex numbers itself
    assert objects(store, work("lov-2015-1902/par_2/stk_2"), ELI.cites) == {work("lov-2015-1902/par_1/nr_3")}


def test_a_law_named_by_a_title_only_this_import_knows_resolves(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    assert objects(store, work("bek-2016-99/par_1"), ELI.cites) == {work("proeveloven/par_2"), work("bek-2016-99/par_2")}


def test_unresolved_references_keep_their_text(imported) -> None:  # type: ignore[no-untyped-def]
    store, summary = imported
    rows = store.query("PREFIX rg: <https://regelgraf.dk/def#> SELECT ?text ?in WHERE { ?r a rg:UnresolvedReference ; "
                       "rg:referenceText ?text ; rg:occursIn ?in }").rows
    found = {(str(text), str(where)) for text, where in rows}
    assert ("konkurslovens § 13", str(version("2014/901/par_2a"))) in found  # konkursloven is not imported
    assert ("§ 7", str(version("2014/901/par_5/stk_2"))) in found  # the law has no § 7
    assert summary.unresolved == len(rows)


def test_a_citation_resolves_to_a_law_the_store_holds() -> None:
    store = open_store("memory")
    konkurs = GOOD.parent / "konkursloven.ttl"
    from rdflib import Graph

    graph = Graph().parse(konkurs, format="turtle")
    store.replace_graphs({URIRef(f"{base_iri()}graph/source/konkursloven"): graph})
    import_paths(store, [GOOD / "lov-2014-901-proeveloven.xml"])
    assert objects(store, work("proeveloven/par_2a"), ELI.cites) == {work("proeveloven/par_2/stk_2"), work("konkursloven/par_13")}


def test_consolidation_links_the_documents_of_the_introduction(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    assert objects(store, URIRef(ELI_BASE + "2015/1901"), ELI.consolidates) == {
        URIRef(ELI_BASE + "2014/901"), URIRef(ELI_BASE + "2015/1902")}  # not 1903: "ikke indarbejdet"


def test_amendment_instructions_become_change_links(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    act = "lov-2015-1902/par_1/nr_"
    assert objects(store, URIRef(ELI_BASE + "2015/1902"), ELI.amends) == {URIRef(ELI_BASE + "2014/901"), work("proeveloven")}
    assert objects(store, work(act + "1"), ELI.changes) == {work("proeveloven/par_2/stk_2")}
    assert objects(store, work(act + "2"), ELI.repeals) == {work("proeveloven/par_2/stk_3")}
    assert objects(store, work(act + "3"), ELI.changes) == {work("proeveloven/par_2a")}
    assert objects(store, work(act + "4"), ELI.changes) == {work("proeveloven/par_2/stk_3")}
    assert objects(store, work(act + "5"), ELI.repeals) == {work("proeveloven/par_3"), work("proeveloven/par_4")}
    assert objects(store, work(act + "3"), ELI.cites) == set()  # the new wording's "jf. § 2" is the amended act's
    assert objects(store, work("lov-2015-1902/par_2a"), RDF.type) == set()  # inserted text is not this act's §


def test_executive_order_is_based_on_its_hjemmel(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    assert objects(store, URIRef(ELI_BASE + "2016/99"), ELI.based_on) == {
        work("proeveloven/par_2a"), work("proeveloven/par_2/stk_2"), work("lov-2015-1902/par_2")}


def test_each_document_graph_describes_its_own_provenance(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    graph = URIRef(f"{base_iri()}graph/lta/2014/901")
    assert objects(store, graph, RDF.type) == {PROV.Entity}
    assert objects(store, graph, PROV.wasDerivedFrom) == {URIRef((GOOD / "lov-2014-901-proeveloven.xml").resolve().as_uri())}
    (stamp,) = objects(store, graph, PROV.generatedAtTime)
    assert stamp.datatype == XSD.dateTime
    from rdflib.namespace import DCTERMS

    assert objects(store, graph, DCTERMS.format) == {Literal("application/xml")}


def _graph(path: Path, at: dt.datetime) -> set:
    document = parse_document(path.read_bytes(), Source(path.resolve().as_uri(), str(path)))
    index = WorkIndex()
    index.add_documents([DocumentKey(document.meta.doc_type, document.meta.year, document.meta.number, document.meta.title,
                                     document.meta.popular_title, document.meta.date_signed, tuple(document.intro))])
    built = build_document(document, index, imported_at=at)
    Linker(index, Known()).link(built, document)
    return set(built.triples)


def test_reimport_gives_the_same_triples_but_the_time_of_import() -> None:
    first = _graph(XML[2], dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc))
    second = _graph(XML[2], dt.datetime(2025, 6, 1, 12, 30, tzinfo=dt.timezone.utc))
    generated = str(PROV.generatedAtTime)
    assert {t for t in first if t[1] != generated} == {t for t in second if t[1] != generated}
    assert {t[2] for t in first if t[1] == generated} == {Lit("2024-01-01T00:00:00Z", None, str(XSD.dateTime))}
    assert first != second


def test_nquads_and_rdflib_forms_are_the_same_graph() -> None:
    triples = list(_graph(XML[0], dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)))
    triples.append(("urn:x", "urn:p", Lit('quote " backslash \\ newline \n', "da")))
    from rdflib.compare import isomorphic

    graph = to_graph("urn:g", triples)
    parsed = Dataset().parse(data=to_nquads("urn:g", triples), format="nquads").graph(URIRef("urn:g"))
    assert len(parsed) == len(graph) and isomorphic(parsed, graph)


def test_the_fixture_graphs_together_conform_to_the_shapes(imported) -> None:  # type: ignore[no-untyped-def]
    store, _ = imported
    dataset = Dataset()
    for name in store.graph_names():
        target = dataset.graph(name)
        for triple in store.get_graph(name):
            target.add(triple)
    report = validate(dataset)
    assert [r for r in report.results if "violation" in str(r.severity).lower()] == []


@pytest.mark.parametrize("backend", ["memory", "oxigraph"])
def test_cross_document_rules_find_a_provision_named_twice(backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Two graphs giving one provision different citations are found; a node that is no provision is not."""
    from rdflib import Graph

    from graph.importers.checks import store_findings

    store = open_store(backend, location=tmp_path / "store") if backend == "oxigraph" else open_store(backend)
    provision, other = work("lov-a/par_1"), work("lov-a/par_2")
    graphs = {}
    for n, citation in enumerate(("lov a § 1", "lov b § 1")):
        g = Graph(identifier=URIRef(f"urn:test:g{n}"))
        g.add((provision, RDF.type, RG.Provision))
        g.add((provision, RG.citation, Literal(citation)))
        g.add((other, RG.citation, Literal(citation)))  # two values, but not typed rg:Provision
        graphs[g.identifier] = g
    store.add_graphs(graphs)
    assert store_findings(store) == [("citation", "rgsh:Provision-citation", str(provision), 2)]


@pytest.mark.parametrize("path", XML, ids=lambda p: p.stem)
def test_paths_citations_and_sort_keys_are_those_the_identifiers_give(path) -> None:  # type: ignore[no-untyped-def]
    """The builder extends its parent's strings as it walks down; they must equal graph.identifiers' own."""
    from graph.identifiers import format_steps, path_segments, sort_key, version_subdivision_iri

    document = parse_document(path.read_bytes(), Source(path.resolve().as_uri(), str(path)))
    index = WorkIndex()
    index.add_documents([DocumentKey(document.meta.doc_type, document.meta.year, document.meta.number, document.meta.title,
                                     document.meta.popular_title, document.meta.date_signed, tuple(document.intro))])
    built = build_document(document, index)
    by_subject: dict[str, dict[str, object]] = {}
    for s, p, o in built.triples:
        by_subject.setdefault(s, {})[p] = o
    name = index.name_of(built.work_key)
    if "proeveloven" in path.stem:  # chapters above §§ and stk.: the paths below them leave them out
        assert any(placed.steps[0].kind == "kapitel" and len(placed.steps) > 2 for placed in built.placed)
    for placed in built.placed:
        steps = placed.steps
        core = tuple(s for i, s in enumerate(steps) if s.kind not in ("kapitel", "afsnit") or i == len(steps) - 1)
        assert placed.version == str(version_subdivision_iri(built.document, steps))
        assert placed.provision == f"{work(built.work_key)}/{path_segments(steps)}"
        provision, version = by_subject[placed.provision], by_subject[placed.version]
        assert provision[str(RG.citation)] == Lit(f"{name} {format_steps(core)}")
        assert provision[str(RG.sortKey)] == Lit(sort_key(core))
        parent = f"{work(built.work_key)}/{path_segments(core[:-1])}" if len(core) > 1 else str(work(built.work_key))
        assert provision[str(ELI.is_part_of)] == parent
        above = str(version_subdivision_iri(built.document, steps[:-1])) if len(steps) > 1 else built.document
        assert version[str(ELI.is_part_of)] == above
