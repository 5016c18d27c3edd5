"""The YAML authoring format: every error names file, line, column and fix; output follows the model."""

import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS
from rdflib.namespace import XSD as _XSD

from graph.authoring import AuthoringError, AuthoringErrors, compile_sources, source_graph_iri
from graph.authoring.docs import DOC_PATH, render
from graph.authoring.errors import MESSAGES
from graph.identifiers import base_iri, document_iri
from graph.namespaces import CERTAINTY, ELI, RG
from graph.settings import DATA_DIR

FIXTURES = Path(__file__).parent / "fixtures" / "authoring"
BASE = FIXTURES / "base"
GOOD = FIXTURES / "good"
ERRORS = FIXTURES / "errors"


def iri(path: str) -> URIRef:
    return URIRef(base_iri() + path)


def errors_of(*paths: Path, context: Graph | None = None) -> list[AuthoringError]:
    with pytest.raises(AuthoringErrors) as caught:
        compile_sources(list(paths), context=context)
    return caught.value.errors


def union(graphs: dict[URIRef, Graph]) -> Graph:
    result = Graph()
    for graph in graphs.values():
        result += graph
    return result


@pytest.fixture(scope="module")
def compiled() -> dict[URIRef, Graph]:
    return compile_sources([BASE, GOOD])


# ---- every error kind, with a fixture written for it ------------------------------------------

@pytest.mark.parametrize(
    ("fixture", "code", "line", "column", "message", "fix"),
    [
        ("ukendt-bestemmelse.yaml", "unknown-provision", 4, 15, "ukendt bestemmelse »prøveloven § 3 b«", "ret til en af: »prøveloven § 3 a«"),
        ("ukendt-lov.yaml", "unknown-law", 4, 15, "ukendt lov »prøvelven«", "ret til en af: »prøveloven«"),
        ("ukendt-kommune.yaml", "unknown-municipality", 2, 15, "ukendt kommune »Prøvekomune«", "ret til en af: »Prøvekommune«"),
        ("forkert-dato.yaml", "bad-date", 5, 13, "»12-02-2020« er ikke en dato på formen ÅÅÅÅ-MM-DD", "fx 2021-05-12"),
        ("mangler-kilde.yaml", "missing-source", 1, 1, "aftalen mangler en kilde", "source: https://"),
        ("ukendt-noegle.yaml", "unknown-key", 8, 1, "ukendt nøgle »valid_form« i aftalen", "mente du »valid_from«? tilladte nøgler: kind, id, municipality"),
        ("forkert-sikkerhed.yaml", "bad-certainty", 13, 16, "ukendt sikkerhed »sure«", "certain (sikker), inferred (udledt), unverified (ubekræftet)"),
        ("ugyldig-yaml.yaml", "yaml-syntax", 3, 7, "ugyldig YAML", "indryk med mellemrum"),
        ("ukendt-kind.yaml", "unknown-kind", 1, 7, "ukendt kind »aftale«", "law, act, executive-order"),
        ("hegnspael.yaml", "protected", 9, 18, "prøveloven § 2 må ikke fraviges", "fjern bestemmelsen"),
        ("uden-for-perioden.yaml", "outside-period", 11, 21, "uden for aftalens periode 2020-02-01 – 2023-12-31", "ret »effective_from«"),
    ],
)
def test_each_error_names_file_line_column_and_fix(fixture, code, line, column, message, fix):
    (error,) = errors_of(BASE, ERRORS / fixture)
    assert (error.code, error.path.name, error.line, error.column) == (code, fixture, line, column)
    assert message in error.message
    assert fix in error.fix
    assert str(error).startswith(f"{error.loc}: ") and f"{fixture}:{line}:{column}: " in str(error)
    assert error.message_en and error.fix_en and error.render("en") != error.render("da")


def test_the_hegnspael_error_points_to_the_hegnspael_too():
    (error,) = errors_of(BASE, ERRORS / "hegnspael.yaml")
    assert "ordning.yaml:16:16" in error.message and "prøveloven § 2, stk. 1" in error.message


def test_english_rendering():
    (error,) = errors_of(BASE, ERRORS / "ukendt-bestemmelse.yaml")
    assert "unknown provision 'prøveloven § 3 b'" in error.render("en")
    assert "change to one of: 'prøveloven § 3 a'" in error.fix_en


def test_all_errors_of_a_run_are_reported_together():
    with pytest.raises(AuthoringErrors) as caught:
        compile_sources([BASE, ERRORS / "flere-fejl.yaml", ERRORS / "forkert-dato.yaml"])
    codes = [(e.path.name, e.line, e.code) for e in caught.value]
    assert codes == [("flere-fejl.yaml", 2, "unknown-municipality"), ("flere-fejl.yaml", 4, "unknown-provision"),
                     ("flere-fejl.yaml", 5, "bad-date"), ("forkert-dato.yaml", 5, "bad-date")]
    text = str(caught.value)
    assert text.splitlines()[0] == "4 fejl i kildefilerne; intet blev bygget:"
    assert len(text.splitlines()) == 5 and "error(s)" in caught.value.render("en")


def test_duplicate_file_names_would_share_a_graph():
    (error,) = errors_of(BASE, ERRORS / "dublet")
    assert error.code == "duplicate-stem" and "base/proeveloven.yaml" in error.message


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


AGREEMENT = textwrap.dedent("""\
    kind: agreement
    municipality: Prøvekommune
    area: dagtilbud
    legal_basis: [prøveloven § 3 a]
    valid_from: 2020-02-01
    valid_until: 2023-12-31
    source: https://example.org/a
""")


@pytest.mark.parametrize(
    ("text", "code", "line", "fragment"),
    [
        (AGREEMENT.replace("https://example.org/a", "example.org/a"), "bad-url", 7, "https://"),
        (AGREEMENT.replace("2020-02-01", "2021-02-30"), "bad-date", 5, "ÅÅÅÅ-MM-DD"),
        (AGREEMENT.replace("2020-02-01", "2020-2-1"), "bad-date", 5, "ÅÅÅÅ-MM-DD"),
        (AGREEMENT.replace("area: dagtilbud", "area: børnehave"), "bad-code", 3, "dagtilbud"),
        (AGREEMENT.replace("[prøveloven § 3 a]", '["prøveloven § 2, stk. 2, nr. 1, litra q"]'), "unknown-provision", 4, "prøveloven"),
        (AGREEMENT.replace("[prøveloven § 3 a]", "[prøveloven § 2, stk. 1]"), "bad-citation", 4, "anførselstegn"),
        (AGREEMENT.replace("[prøveloven § 3 a]", "[§ 3 a]"), "no-law-in-citation", 4, "serviceloven § 3 a"),
        (AGREEMENT.replace("[prøveloven § 3 a]", "[prøveloven §§ 1-3]"), "bad-citation", 4, "én henvisning"),
        (AGREEMENT.replace("valid_until: 2023-12-31", "valid_until: 2020-01-01"), "date-order", 6, "begynder før"),
        (AGREEMENT.replace("area:", "id: Prøve\narea:"), "bad-slug", 3, "små bogstaver"),
        (AGREEMENT + "extensions:\n  - {previous_end: 2022-12-31, new_end: 2023-06-30, effective_from: 2022-06-01, changed_by: L 5 (2019-20), source: https://example.org/x}\n",
         "extension-mismatch", 6, "2023-06-30"),
        (AGREEMENT + "extensions:\n  - {previous_end: 2022-12-31, new_end: 2023-12-31, effective_from: 2022-06-01, changed_by: L 6 (2019-20), source: https://example.org/x}\n",
         "unknown-bill", 9, "L 5 (2019-20)"),
        (AGREEMENT + "extensions:\n  - {previous_end: 2022-12-31, new_end: 2023-12-31, effective_from: 2022-06-01, changed_by: LBK 1/2020, source: https://example.org/x}\n",
         "doc-type-mismatch", 9, "LOV 1/2020"),
        (AGREEMENT + "extensions:\n  - {previous_end: 2022-12-31, new_end: 2023-12-31, effective_from: 2022-06-01, changed_by: lov nr. 1 af 3. januar 2020, source: https://example.org/x}\n",
         "doc-date-mismatch", 9, "2. januar 2020"),
        (AGREEMENT + "extensions:\n  - {previous_end: 2022-12-31, new_end: 2023-12-31, effective_from: 2022-06-01, changed_by: LOV 2/2020, source: https://example.org/x}\n",
         "unknown-document", 9, "LOV 1/2020"),
        (AGREEMENT + "extensions:\n  - {previous_end: 2022-12-31, new_end: 2023-12-31, effective_from: 2022-06-01, changed_by: prøveloven § 1, source: https://example.org/x}\n",
         "wrong-ref-kind", 9, "et dokument eller et lovforslag"),
        (AGREEMENT + "decisions:\n  - {sets_aside: [prøveloven § 1], effective_from: 2021-01-01, source: https://example.org/x}\n",
         "missing-key", 9, "extent"),
        (AGREEMENT + "decisions:\n  - {sets_aside: [prøveloven § 1], extent: lidt, effective_from: 2021-01-01, source: https://example.org/x}\n",
         "bad-code", 9, "delvis, helt"),
        (AGREEMENT + "decisions:\n  - {sets_aside: [prøveloven § 1], extent: helt, effective_from: 2021-01-01, under_possibility: proeve-adgangen, source: https://example.org/x}\n",
         "unknown-possibility", 9, "proeve-adgang"),
        (AGREEMENT.replace("Prøvekommune", "Eksempelby") + "decisions:\n  - {sets_aside: [prøveloven § 1], extent: helt, effective_from: 2021-01-01, under_possibility: proeve-adgang, source: https://example.org/x}\n",
         "municipality-mismatch", 9, "omfatter kommunen"),
        (AGREEMENT + "decisions: {sets_aside: x}\n", "wrong-type", 8, "linjer med »- …«"),
        (AGREEMENT.replace("legal_basis: [prøveloven § 3 a]\n", "legal_basis:\n  - {value: prøveloven § 3 a, certainty: inferred, note: Udledt, men usikkert.}\n"),
         "unknown-key", 5, "anførselstegn"),
        (AGREEMENT.replace("legal_basis: [prøveloven § 3 a]\n", "legal_basis:\n  - {certainty: inferred}\n"), "missing-key", 5, "value"),
        ("kind: law\nkey: proeveloven\ntitle: X\npopular_name: y\nsource: https://example.org/x\n", "duplicate", 1, "fjern den ene"),
        ("kind: law\nkey: andet\ntitle: X\npopular_name: prøveloven\nsource: https://example.org/x\n", "alias-clash", 1, "aliases"),
        ("kind: law\nkey: andet\ntitle: X\npopular_name: y\nsource: https://example.org/x\nprovisions:\n  - {cite: prøveloven § 1, summary: {da: a, en: b}, source: https://example.org/x}\n",
         "foreign-law-in-cite", 7, "§ 1"),
        ("kind: law\nkey: andet\ntitle: X\npopular_name: y\nsource: https://example.org/x\nprovisions:\n  - {cite: § 1, summary: {da: a}, source: https://example.org/x}\n",
         "missing-key", 7, "engelsk"),
        ("kind: law\nkey: andet\ntitle: X\npopular_name: y\nsource: https://example.org/x\nprovisions:\n  - {cite: § 1, summary: {da: a, en: b}, source: https://example.org/x}\n  - {cite: § 1, summary: {da: a, en: b}, source: https://example.org/x}\n",
         "duplicate", 8, "fjern den ene"),
        ("kind: municipalities\nmunicipalities:\n  - {code: '0999', name: X, region: DK-84, source: https://example.org/x}\n", "duplicate", 3, "fjern den ene"),
        ("kind: municipalities\nmunicipalities:\n  - {code: '0997', name: X, region: DK-89, source: https://example.org/x}\n", "bad-code", 3, "DK-81"),
        ("- a\n- b\n", "not-mapping", 1, "nøgle: værdi"),
        ("# nothing\n", "empty-file", 1, "kind: …"),
        ("municipality: x\n", "missing-kind", 1, "kind: …"),
    ],
)
def test_error_catalogue(tmp_path, text, code, line, fragment):
    path = _write(tmp_path, "kilde.yaml", text)
    errors = errors_of(BASE, path)
    assert [(e.code, e.path, e.line) for e in errors] == [(code, path, line)], [str(e) for e in errors]
    assert fragment in errors[0].message + errors[0].fix


def test_paths_that_are_not_sources(tmp_path):
    (tmp_path / "tom").mkdir()
    _write(tmp_path, "noter.txt", "hej")
    found = {e.code for e in errors_of(tmp_path / "findes-ikke.yaml", tmp_path / "tom", tmp_path / "noter.txt")}
    assert found == {"file-missing", "no-files", "not-yaml"}


def test_every_message_has_danish_and_english_with_the_same_fields():
    for code, (da_message, da_fix, en_message, en_fix) in MESSAGES.items():
        fields = lambda text: {f.removesuffix("_en") for f in re.findall(r"\{(\w+)\}", text)}  # noqa: E731
        assert fields(en_message) <= fields(da_message) | {"what"}, code
        assert all((da_message, da_fix, en_message, en_fix)), code


# ---- all or nothing, across files, against a context -----------------------------------------

def test_one_bad_file_means_nothing_is_built(tmp_path):
    from graph.cli import cli

    store = ["--store", str(tmp_path / "store")]
    result = CliRunner().invoke(cli, [*store, "build", str(BASE), str(GOOD), str(ERRORS / "forkert-dato.yaml")])
    assert result.exit_code == 2, result.output
    assert "forkert-dato.yaml:5:13:" in result.output
    info = CliRunner().invoke(cli, [*store, "info"])
    assert "0 navngivne grafer" in info.output
    built = CliRunner().invoke(cli, [*store, "build", str(BASE), str(GOOD)])
    assert built.exit_code == 0, built.output
    before = CliRunner().invoke(cli, [*store, "export", "--format", "nquads"]).stdout_bytes
    again = CliRunner().invoke(cli, [*store, "build", str(GOOD), str(ERRORS / "ukendt-kommune.yaml")])
    assert again.exit_code == 2
    after = CliRunner().invoke(cli, [*store, "export", "--format", "nquads"]).stdout_bytes
    assert set(before.splitlines()) == set(after.splitlines())


def test_references_cross_files_and_fail_without_them():
    assert len(compile_sources([BASE, GOOD])) == 5
    codes = {e.code for e in errors_of(GOOD)}
    assert codes == {"unknown-municipality", "unknown-law", "unknown-bill", "unknown-possibility"}


def test_a_new_file_compiles_against_a_context_graph(compiled):
    context = union(compile_sources([BASE]))
    graphs = compile_sources([GOOD / "proeve-aftale.yaml"], context=context)
    assert list(graphs) == [source_graph_iri(GOOD / "proeve-aftale.yaml")]
    (graph,) = graphs.values()
    agreement = iri("aftale/proevekommune-dagtilbud")
    assert (agreement, RG.legalBasis, iri("work/proeveloven/par_3a")) in graph
    assert (iri("work/proeveloven"), RDF.type, RG.LawWork) not in graph  # the law stays in its own graph
    assert _without_time(graph).isomorphic(_without_time(compiled[source_graph_iri(GOOD / "proeve-aftale.yaml")]))
    codes = {e.code for e in errors_of(GOOD / "proeve-aftale.yaml", context=Graph())}
    assert "unknown-municipality" in codes


def test_context_does_not_hide_a_rebuilt_files_own_parents():
    # Rebuilding the shipped laws against a store that already holds them must still write the
    # implied parent provisions into the law's own graph.
    first = compile_sources([BASE])
    again = compile_sources([BASE], context=union(first))
    law = source_graph_iri(BASE / "proeveloven.yaml")
    assert (iri("work/proeveloven/par_2"), RDF.type, RG.Provision) in again[law]


def _without_time(graph: Graph) -> Graph:
    result = Graph()
    for triple in graph:
        if triple[1] != PROV.generatedAtTime:
            result.add(triple)
    return result


# ---- what the output looks like -------------------------------------------------------------

def test_each_file_is_a_named_graph_that_describes_itself(compiled):
    assert set(compiled) == {source_graph_iri(BASE / n) for n in ("kommuner.yaml", "proeveloven.yaml", "ordning.yaml")} | \
        {source_graph_iri(GOOD / n) for n in ("proeve-aftale.yaml", "eksempelby-regler.yaml")}
    name = iri("graph/source/proeve-aftale")
    graph = compiled[name]
    assert (name, RDF.type, PROV.Entity) in graph
    assert (name, PROV.wasDerivedFrom, iri("source/tests/fixtures/authoring/good/proeve-aftale.yaml")) in graph
    assert graph.value(name, PROV.generatedAtTime).datatype == _XSD.dateTime


def test_law_work_documents_and_provisions(compiled):
    graph = compiled[iri("graph/source/proeveloven")]
    work = iri("work/proeveloven")
    assert graph.value(work, RG.workKey) == Literal("proeveloven")
    assert (work, URIRef("http://www.w3.org/2004/02/skos/core#altLabel"), Literal("lov nr. 1 af 2. januar 2020", lang="da")) in graph
    doc = document_iri(2020, 1)
    assert (doc, ELI.is_member_of, work) in graph and (work, ELI.has_member, doc) in graph
    assert graph.value(doc, ELI.date_document) == Literal("2020-01-02", datatype=_XSD.date)
    item = iri("work/proeveloven/par_2/stk_2/nr_1")
    assert graph.value(item, RG.citation) == Literal("prøveloven § 2, stk. 2, nr. 1")
    assert graph.value(item, ELI.is_part_of) == iri("work/proeveloven/par_2/stk_2")
    # The implied parents exist, with the child's source and a note saying why.
    for parent in ("par_2/stk_2", "par_2"):
        node = iri(f"work/proeveloven/{parent}")
        assert (node, RDF.type, RG.Provision) in graph and graph.value(node, RG.sourceNote) is not None
        assert graph.value(node, RG.summary) is None
    assert graph.value(iri("work/proeveloven/par_2"), ELI.is_part_of) == work


def test_a_qualified_value_becomes_an_rdf_statement(compiled):
    law = compiled[iri("graph/source/proeveloven")]
    item, cited = iri("work/proeveloven/par_2/stk_2/nr_1"), iri("work/proeveloven/par_2/stk_1")
    assert (item, ELI.cites, cited) in law
    (statement,) = law.subjects(RDF.subject, item)
    assert law.value(statement, RDF.object) == cited and law.value(statement, RG.certainty) == CERTAINTY.inferred
    assert law.value(statement, PROV.wasDerivedFrom) == URIRef("https://example.org/proeveloven")
    agreement = compiled[iri("graph/source/proeve-aftale")]
    decision = iri("aftale/proevekommune-dagtilbud/beslutning/formaal")
    (qualifier,) = agreement.subjects(RDF.subject, decision)
    assert agreement.value(qualifier, RG.certainty) == CERTAINTY.unverified
    assert agreement.value(decision, RG.certainty) == CERTAINTY.certain


def test_agreement_decisions_and_scheme(compiled):
    graph = compiled[iri("graph/source/proeve-aftale")]
    agreement = iri("aftale/proevekommune-dagtilbud")
    assert graph.value(agreement, RG.municipality) == iri("kommune/0999")
    first = iri("aftale/proevekommune-dagtilbud/beslutning/1")
    assert graph.value(first, RG.setsAside) == iri("work/proeveloven/par_3a")  # written in the genitive
    assert graph.value(first, RG.underPossibility) == iri("fravigelsesadgang/proeve-adgang")
    assert graph.value(iri("aftale/proevekommune-dagtilbud/forlaengelse/1"), RG.changedBy) == iri("lovforslag/2019-20/l5")
    scheme = compiled[iri("graph/source/ordning")]
    assert (iri("hegnspael/proeve-hegn"), RG.protects, iri("work/proeveloven/par_2/stk_1")) in scheme
    rules = compiled[iri("graph/source/eksempelby-regler")]
    assert (iri("kommune/0998/regel/kvalitet"), RG.implements, iri("work/proeveloven/par_2/stk_2/nr_1")) in rules
    municipalities = compiled[iri("graph/source/kommuner")]
    assert municipalities.value(iri("kommune/0998"), RG.kommunekode) == Literal("0998")
    assert municipalities.value(iri("kommune/0998"), RDFS.label) == Literal("Eksempelby Kommune", lang="da")


def test_output_conforms_to_the_shapes(compiled):
    from graph.loading import ontology_graphs
    from graph.validation import validate

    report = validate(union({**ontology_graphs(), **compiled}))
    assert report.conforms, report.to_text("en")


# ---- the documentation ----------------------------------------------------------------------

def test_docs_key_tables_and_error_list_are_generated_from_the_schema():
    text = DOC_PATH.read_text(encoding="utf-8")
    assert render(text) == text, "run: python -m graph.authoring.docs"
    for code in MESSAGES:
        assert f"`{code}`" in text


def _examples() -> dict[str, str]:
    text = DOC_PATH.read_text(encoding="utf-8")
    return dict(re.findall(r"<!-- example: (\S+) -->\n```yaml\n(.*?)```", text, re.S))


def test_the_documented_example_builds_with_the_shipped_data(tmp_path):
    from graph.loading import ontology_graphs
    from graph.validation import validate

    examples = _examples()
    assert set(examples) == {"eksempelby-kommune.yaml", "eksempelby-dagtilbud.yaml"}
    for name, text in examples.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    graphs = compile_sources([DATA_DIR, tmp_path])
    agreement = iri("aftale/eksempelby-dagtilbud")
    graph = graphs[source_graph_iri(tmp_path / "eksempelby-dagtilbud.yaml")]
    assert len(set(graph.subjects(RG.agreement, agreement))) == 2
    assert report_conforms(validate(union({**ontology_graphs(), **graphs})))


def report_conforms(report) -> bool:  # type: ignore[no-untyped-def]
    assert report.conforms, report.to_text("en")
    return True
