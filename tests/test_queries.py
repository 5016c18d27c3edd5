"""The query catalogue: headers are checked loudly, parameters are typed and bound."""

import textwrap
from pathlib import Path

import pytest

from graph.queries import Catalogue, CatalogueError, UnknownQueryError, parse_query_file

GOOD = """\
#+ summary: Provisions of a law
#+ description: Lists provisions.
#+ tags: [laws]
#+ params:
#+   - name: law
#+     type: iri
#+     required: true
#+     description: The law work.
#+   - name: as_of
#+     type: date
#+ example: {law: "https://regelgraf.dk/id/work/serviceloven"}
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?p WHERE { ?p eli:is_part_of ?law . FILTER(!BOUND(?as_of) || true) }
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_good_file_is_parsed_with_typed_params(tmp_path):
    query = parse_query_file(write(tmp_path, "provisions", GOOD))
    assert query.name == "provisions" and query.summary == "Provisions of a law"
    assert [(p.name, p.type, p.required) for p in query.params] == [("law", "iri", True), ("as_of", "date", False)]
    assert query.example == {"law": "https://regelgraf.dk/id/work/serviceloven"}
    assert query.tags == ("laws",)


@pytest.mark.parametrize("text,needle", [
    ("SELECT * WHERE { ?s ?p ?o }", "no '#+' header"),
    ("#+ description: x\nSELECT * WHERE { ?s ?p ?o }", "needs a 'summary'"),
    ("#+ summary: [unclosed\nSELECT * WHERE { ?s ?p ?o }", "not valid YAML"),
    ("#+ summary: x\n#+ colour: red\nSELECT * WHERE { ?s ?p ?o }", "unknown header key"),
    ("#+ summary: x\nSELEKT * WHERE { ?s ?p ?o }", "not valid SPARQL"),
    ("#+ summary: x\n#+ params:\n#+   - {name: who, type: iri}\nSELECT * WHERE { ?s ?p ?o }", "'who' is not used"),
    ("#+ summary: x\n#+ params:\n#+   - {name: s, type: colour}\nSELECT * WHERE { ?s ?p ?o }", "has type 'colour'"),
    ("#+ summary: x\n#+ example: {nobody: 1}\nSELECT * WHERE { ?s ?p ?o }", "'example' must map"),
])
def test_broken_files_fail_naming_the_file(tmp_path, text, needle):
    path = write(tmp_path, "broken", text)
    with pytest.raises(CatalogueError) as caught:
        parse_query_file(path)
    assert str(path) in str(caught.value) and needle in str(caught.value)


def test_catalogue_fails_loudly_on_any_broken_file(tmp_path):
    write(tmp_path, "good", GOOD)
    write(tmp_path, "bad", "SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(CatalogueError, match="bad.rq"):
        Catalogue.load(tmp_path)


def test_unknown_name_suggests_close_matches(tmp_path):
    write(tmp_path, "provisions", GOOD)
    catalogue = Catalogue.load(tmp_path)
    with pytest.raises(UnknownQueryError) as caught:
        catalogue.get("provision")
    assert caught.value.suggestions == ["provisions"]


def test_the_shipped_catalogue_loads():
    catalogue = Catalogue.load()
    for query in catalogue:
        assert query.summary


@pytest.fixture(scope="module")
def shipped_store():
    """The shipped data, compiled and loaded into an in-memory store."""
    from graph.authoring import compile_sources
    from graph.loading import load_graphs, ontology_graphs
    from graph.settings import DATA_DIR
    from graph.store import open_store

    store = open_store("memory")
    load_graphs(store, {**ontology_graphs(), **compile_sources([DATA_DIR])}, validate=False)
    yield store
    store.close()


@pytest.mark.parametrize("name", Catalogue.load().names())
def test_every_catalogue_example_returns_rows_on_the_shipped_data(shipped_store, name):
    from graph.queries import run_named_query

    query = Catalogue.load().get(name)
    assert query.example or not any(p.required for p in query.params), f"{name}: required params need an example"
    result = run_named_query(shipped_store, query, query.example)
    assert result.rows or result.boolean, f"{name}: its example {query.example} returned nothing"
    assert not result.truncated


def test_parameters_are_bound_not_spliced(shipped_store):
    """A hostile string parameter is a literal value, so it simply matches nothing."""
    from graph.queries import run_named_query

    query = parse_query_file(Path(__file__).parent / "fixtures" / "queries" / "municipality_by_code.rq")
    hostile = '0217" } ; DROP ALL ; SELECT * WHERE { ?s ?p "'
    assert not run_named_query(shipped_store, query, {"code": hostile}).rows
    assert run_named_query(shipped_store, query, {"code": "0217"}).rows


def test_typed_parameters_resolve_names_codes_and_citations(shipped_store):
    from graph.queries import ParameterError, QueryParam, convert_parameter

    municipality = QueryParam("m", "municipality")
    assert convert_parameter(shipped_store, municipality, "217") == convert_parameter(shipped_store, municipality, "Helsingør Kommune")
    provision = QueryParam("p", "provision")
    assert str(convert_parameter(shipped_store, provision, "serviceloven § 79 a")).endswith("/work/serviceloven/par_79a")
    with pytest.raises(ParameterError, match="Mente du"):
        convert_parameter(shipped_store, municipality, "Helsingr")
    with pytest.raises(ParameterError, match="ÅÅÅÅ-MM-DD"):
        convert_parameter(shipped_store, QueryParam("d", "date"), "12/5/2021")
