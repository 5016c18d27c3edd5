"""The ontology declares every term the code uses, in Danish and English; code lists are complete."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from graph import diagram
from graph.namespaces import AREA, CERTAINTY, CODE_LIST_BASE, DOCTYPE, ELI, EXTENT, REGION, RG, RG_NS, RULETYPE, SUBDIV
from graph.settings import ONTOLOGY_DIR, REPO_ROOT
from graph.validation import shapes_graph

ONTOLOGY_IRI = URIRef("https://regelgraf.dk/def")
SCHEMES = {"doctype": DOCTYPE, "subdivision": SUBDIV, "area": AREA, "certainty": CERTAINTY,
           "region": REGION, "ruletype": RULETYPE, "extent": EXTENT}
TERM_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)


def vocabulary() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "regelgraf.ttl", format="turtle")


def schemes() -> Graph:
    graph = Graph()
    for path in sorted((ONTOLOGY_DIR / "schemes").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def rg_terms() -> list[str]:
    """Every term of the closed RG namespace in graph/namespaces.py."""
    return sorted(name for name in RG.__annotations__ if not name.startswith("_"))


def languages(graph: Graph, node: URIRef, predicate: URIRef) -> list[str]:
    return sorted(o.language or "-" for o in graph.objects(node, predicate) if isinstance(o, Literal))


@pytest.mark.parametrize("path", sorted(ONTOLOGY_DIR.rglob("*.ttl")), ids=lambda p: str(p.relative_to(ONTOLOGY_DIR)))
def test_every_ontology_file_parses(path: Path):
    assert len(Graph().parse(path, format="turtle")) > 0


@pytest.mark.parametrize("name", rg_terms())
def test_every_rg_term_is_declared_with_danish_and_english_label_and_definition(name: str):
    graph = vocabulary()
    term = RG[name]
    kinds = set(graph.objects(term, RDF.type)) & set(TERM_TYPES)
    assert len(kinds) == 1, f"rg:{name} must be declared as exactly one of owl:Class, owl:ObjectProperty, owl:DatatypeProperty"
    assert languages(graph, term, RDFS.label) == ["da", "en"], f"rg:{name}: one rdfs:label @da and one @en"
    assert languages(graph, term, SKOS.definition) == ["da", "en"], f"rg:{name}: one skos:definition @da and one @en"
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in graph
    if kinds != {OWL.Class}:
        assert graph.value(term, RDFS.range) is not None, f"rg:{name}: give an (informative) rdfs:range"


def test_the_ontology_declares_no_rg_term_the_code_cannot_name():
    declared = {str(s)[len(RG_NS):] for t in TERM_TYPES for s in vocabulary().subjects(RDF.type, t) if str(s).startswith(RG_NS)}
    assert declared == set(rg_terms()), f"append {sorted(declared - set(rg_terms()))} to RG in graph/namespaces.py"


def test_the_ontology_header_and_eli_alignment():
    graph = vocabulary()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in graph
    assert {"da", "en"} <= set(languages(graph, ONTOLOGY_IRI, RDFS.comment)), "document the use of PROV-O"
    for axiom in [(RG.LawWork, RDFS.subClassOf, ELI.LegalResource),
                  (RG.Provision, RDFS.subClassOf, ELI.LegalResourceSubdivision),
                  (RG.legalBasis, RDFS.subPropertyOf, ELI.based_on),
                  (RG.implements, RDFS.subPropertyOf, ELI.ensures_implementation_of)]:
        assert axiom in graph, f"missing alignment {axiom}"


def test_danish_legal_terms_are_the_danish_labels():
    graph = vocabulary()
    danish = {str(o) for o in graph.objects(None, RDFS.label) if o.language == "da"}
    for term in ("velfærdsaftale", "fravigelsesadgang", "fravigelsesbeslutning", "hegnspæl", "kommunekode", "lovforslag"):
        assert term in danish
    scheme_labels = {str(o) for o in schemes().objects(None, SKOS.prefLabel) if o.language == "da"}
    for term in ("bekendtgørelse", "lovbekendtgørelse", "kvalitetsstandard", "styrelsesvedtægt", "helt", "delvis"):
        assert term in scheme_labels


@pytest.mark.parametrize("name", sorted(SCHEMES))
def test_every_scheme_is_a_complete_skos_concept_scheme(name: str):
    graph = schemes()
    scheme = URIRef(CODE_LIST_BASE + name)
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert languages(graph, scheme, SKOS.prefLabel) == ["da", "en"]
    concepts = set(graph.subjects(SKOS.inScheme, scheme))
    assert concepts and concepts == set(graph.objects(scheme, SKOS.hasTopConcept))
    notations = []
    for concept in concepts:
        assert str(concept).startswith(str(SCHEMES[name])), f"{concept} is not in the {name}/ namespace"
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert (concept, SKOS.topConceptOf, scheme) in graph
        assert languages(graph, concept, SKOS.prefLabel) == ["da", "en"], concept
        assert languages(graph, concept, SKOS.definition) == ["da", "en"], concept
        notations += [str(n) for n in graph.objects(concept, SKOS.notation)]
    assert len(notations) == len(concepts) == len(set(notations)), f"{name}: one distinct skos:notation per concept"


def test_the_codes_the_contract_names_exist():
    graph = schemes()
    required = {
        DOCTYPE: ["LOV", "LBK", "BEK", "VEJ", "CIR", "SKR", "LF"],
        SUBDIV: ["afsnit", "kapitel", "paragraf", "stk", "nr", "litra", "pkt", "bilag"],
        AREA: ["dagtilbud", "folkeskole", "aeldre"],
        CERTAINTY: ["certain", "inferred", "unverified"],
        REGION: ["DK-81", "DK-82", "DK-83", "DK-84", "DK-85"],
        RULETYPE: ["kvalitetsstandard", "styrelsesvedtaegt", "retningslinje", "samarbejdsaftale"],
        EXTENT: ["helt", "delvis"],
    }
    for namespace, codes in required.items():
        for code in codes:
            assert (namespace[code], RDF.type, SKOS.Concept) in graph, f"missing concept {namespace[code]}"
    assert {str(graph.value(CERTAINTY[c], SKOS.notation)) for c in ("certain", "inferred", "unverified")} == {"C", "I", "U"}


CODE_IRI = re.compile(r"https://regelgraf\.dk/def/(?:" + "|".join(SCHEMES) + r")/[A-Za-z0-9_-]+")
PREFIXED_CODE = re.compile(r"\b(doctype|subdiv|area|certainty|region|ruletype|extent):([A-Za-z][A-Za-z0-9_-]*)")
ATTRIBUTE_CODE = re.compile(r"\b(DOCTYPE|SUBDIV|AREA|CERTAINTY|REGION|RULETYPE|EXTENT)(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\"([^\"]+)\"\])")
PYTHON_NAMES = {"DOCTYPE": DOCTYPE, "SUBDIV": SUBDIV, "AREA": AREA, "CERTAINTY": CERTAINTY, "REGION": REGION,
                "RULETYPE": RULETYPE, "EXTENT": EXTENT}
PREFIX_NAMES = {"doctype": DOCTYPE, "subdiv": SUBDIV, "area": AREA, "certainty": CERTAINTY, "region": REGION,
                "ruletype": RULETYPE, "extent": EXTENT}


def code_iris_in_shapes() -> set[str]:
    """Code-list IRIs the shapes use: as RDF terms and inside SPARQL text (prefixed or full)."""
    shapes = shapes_graph()
    found = {str(t) for triple in shapes for t in triple if CODE_IRI.fullmatch(str(t))}
    for select in shapes.objects(None, SH.select):
        found |= set(CODE_IRI.findall(str(select)))
        found |= {str(PREFIX_NAMES[p][code]) for p, code in PREFIXED_CODE.findall(str(select))}
    return found


def code_iris_in_code() -> dict[str, str]:
    """Code-list concepts named in Python modules and named queries: IRI → where."""
    found = {}
    for path in [*sorted((REPO_ROOT / "graph").rglob("*.py")), *sorted((REPO_ROOT / "webui").rglob("*.py")),
                 *sorted((REPO_ROOT / "queries").glob("*.rq"))]:
        text = path.read_text(encoding="utf-8")
        for iri in CODE_IRI.findall(text):
            found[iri] = str(path.relative_to(REPO_ROOT))
        for name, attribute, key in ATTRIBUTE_CODE.findall(text):
            code = attribute or key
            if not code.startswith("_"):
                found[str(PYTHON_NAMES[name][code])] = str(path.relative_to(REPO_ROOT))
        if path.suffix == ".rq":
            for prefix, code in PREFIXED_CODE.findall(text):
                found[str(PREFIX_NAMES[prefix][code])] = str(path.relative_to(REPO_ROOT))
    return found


def test_every_code_list_iri_the_shapes_use_is_a_concept():
    concepts = {str(c) for c in schemes().subjects(RDF.type, SKOS.Concept)}
    used = code_iris_in_shapes()
    assert len(used) >= 30
    assert used <= concepts, f"not in any scheme: {sorted(used - concepts)}"


def test_every_code_list_iri_the_code_and_queries_use_is_a_concept():
    concepts = {str(c) for c in schemes().subjects(RDF.type, SKOS.Concept)}
    unknown = {iri: where for iri, where in code_iris_in_code().items() if iri not in concepts}
    assert not unknown, f"code-list concepts that no scheme in ontology/schemes/ declares: {unknown}"


def test_every_code_list_value_in_the_shapes_equals_its_scheme():
    """Each sh:in list of a code-list property lists exactly the concepts of one scheme."""
    shapes, graph = shapes_graph(), schemes()
    lists = 0
    for shape in shapes.subjects(SH["in"], None):
        items = {str(i) for i in shapes.items(shapes.value(shape, SH["in"]))}
        for name in SCHEMES:
            scheme = URIRef(CODE_LIST_BASE + name)
            members = {str(c) for c in graph.subjects(SKOS.inScheme, scheme)}
            if items & members:
                lists += 1
                assert items == members, f"{shape}: sh:in must list every concept of {name}, and only those"
    assert lists == len(SCHEMES)


def test_the_class_diagram_in_docs_model_is_up_to_date():
    text = diagram.MODEL_DOC.read_text(encoding="utf-8")
    fresh = diagram.updated_text(text, diagram.class_diagram(*diagram.load()))
    assert fresh == text, "docs/model.md: the class diagram is out of date; run `python -m graph.diagram`"


def test_the_class_diagram_shows_every_rg_class_and_the_alignment():
    source = diagram.class_diagram(*diagram.load())
    for name in rg_terms():
        if (RG[name], RDF.type, OWL.Class) in vocabulary():
            assert f"class {name}[" in source
    assert "eli_LegalResource <|-- LawWork" in source
    assert "Provision --> LawWork : eli.is_part_of" in source
    assert "ExemptionDecision --> Provision : setsAside" in source


def test_diagram_check_mode_reports_a_stale_document(tmp_path, capsys):
    stale = tmp_path / "model.md"
    stale.write_text(f"# Model\n\n{diagram.START}\nold\n{diagram.END}\n", encoding="utf-8")
    assert diagram.main(["--check", "--path", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().err
    assert diagram.main(["--path", str(stale)]) == 0
    assert diagram.main(["--check", "--path", str(stale)]) == 0
    assert "```mermaid\nclassDiagram" in stale.read_text(encoding="utf-8")


def test_diagram_needs_the_markers(tmp_path):
    bare = tmp_path / "model.md"
    bare.write_text("# Model without markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="diagram:start"):
        diagram.main(["--path", str(bare)])
