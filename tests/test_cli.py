"""The regelgraf command end to end on a real embedded store (and a real remote server)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph

from graph.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "rdf" / "municipality.ttl"
BAD_CODE = FIXTURES / "rdf" / "municipality-bad-code.ttl"
BROKEN = FIXTURES / "rdf" / "broken.ttl"
QUERY = FIXTURES / "queries" / "municipality_by_code.rq"


@pytest.fixture(params=["oxigraph", "remote"])
def store_args(request, tmp_path):
    """Global options selecting a fresh embedded store, or the real `oxigraph serve` of the suite."""
    if request.param == "oxigraph":
        return ["--store", str(tmp_path / "store")]
    server = request.getfixturevalue("oxigraph_server")
    server.clear()
    return ["--endpoint", server.query_url, "--update-endpoint", server.update_url, "--store-endpoint", server.store_url]


def run(args, *, expect=0):
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result


def snapshot(store_args) -> Dataset:
    dataset = Dataset()
    dataset.parse(data=run([*store_args, "export", "--format", "nquads"]).stdout_bytes, format="nquads")
    return dataset


def quads(dataset: Dataset) -> set:
    return set(dataset.quads((None, None, None, None)))


def test_load_then_query_then_export(store_args):
    out = run([*store_args, "load", str(GOOD)]).output
    assert "indlæst: 7 tripler i 1 graf(er)" in out
    table = run([*store_args, "query", str(QUERY), "--param", "code=0999"]).output
    assert "Prøvekommune" in table and "(1 række)" in table
    answer = json.loads(run([*store_args, "query", str(QUERY), "-p", "code=0999", "--format", "json"]).output)
    assert answer["head"]["vars"] == ["municipality", "name"]
    assert answer["results"]["bindings"][0]["name"] == {"type": "literal", "value": "Prøvekommune", "xml:lang": "da"}
    csv_text = run([*store_args, "query", str(QUERY), "-p", "code=0999", "--format", "csv"]).output
    assert csv_text.splitlines()[0] == "municipality,name"
    exported = Graph().parse(data=run([*store_args, "export", "--format", "ttl", "--graph", "https://regelgraf.dk/id/graph/file/municipality"]).output, format="turtle")
    assert len(exported) == 7


def test_loading_twice_replaces_instead_of_duplicating(store_args):
    run([*store_args, "load", str(GOOD)])
    first = quads(snapshot(store_args))
    run([*store_args, "load", str(GOOD)])
    assert quads(snapshot(store_args)) == first


def test_malformed_turtle_names_the_place_and_changes_nothing(store_args):
    run([*store_args, "load", str(GOOD)])
    before = quads(snapshot(store_args))
    result = run([*store_args, "load", str(GOOD), str(BROKEN)], expect=2)
    assert f"{BROKEN}:3:11:" in result.output
    assert quads(snapshot(store_args)) == before


def test_violation_is_reported_by_provision_and_changes_nothing(store_args):
    run([*store_args, "load", str(GOOD)])
    before = quads(snapshot(store_args))
    result = run([*store_args, "load", str(BAD_CODE)], expect=1)
    assert "intet blev skrevet" in result.output
    assert "Fejlkommune" in result.output and '"0217"' in result.output  # names the place and the fix
    assert quads(snapshot(store_args)) == before


def test_validate_files_in_both_languages_and_formats():
    danish = run(["--backend", "memory", "validate", str(BAD_CODE)], expect=1).output
    english = run(["--backend", "memory", "--lang", "en", "validate", str(BAD_CODE)], expect=1).output
    assert danish != english and "Fejlkommune" in danish
    report = json.loads(run(["--backend", "memory", "validate", "--format", "json", str(BAD_CODE)], expect=1).output)
    assert report["conforms"] is False
    run(["--backend", "memory", "validate", str(GOOD)])


def test_validate_the_store(tmp_path):
    args = ["--store", str(tmp_path / "s")]
    run([*args, "load", str(GOOD)])
    run([*args, "validate"])


def test_validating_the_store_finds_what_the_files_would_show(tmp_path):
    """Whole-store validation runs the compiled shapes in the store; it reports what pySHACL
    reports for the same data given as a file (a store written past validation, as by another tool)."""
    from rdflib import URIRef

    from graph.store import open_store

    location = tmp_path / "s"
    store = open_store("oxigraph", location=location)
    store.replace_graphs({URIRef("https://regelgraf.dk/id/graph/test/bad"): Graph().parse(BAD_CODE)})
    store.close()
    from_store = json.loads(run(["--store", str(location), "validate", "--format", "json"], expect=1).output)
    from_file = json.loads(run(["--backend", "memory", "validate", "--format", "json", str(BAD_CODE)], expect=1).output)
    assert from_store["conforms"] is False

    def essence(report):  # type: ignore[no-untyped-def]
        return sorted((r["focus"], r["path"], r["severity"]) for r in report["results"])

    assert essence(from_store) == essence(from_file)
    english = run(["--store", str(location), "--lang", "en", "validate"], expect=1).output
    assert "Fejlkommune" in english


def test_unknown_query_suggests_names(tmp_path):
    result = run(["--store", str(tmp_path / "s"), "query", "agreement"], expect=2)
    assert "agreement" in result.output and "fejl:" in result.output


def test_bad_parameter_value_is_a_clear_error(tmp_path):
    result = run(["--store", str(tmp_path / "s"), "query", str(QUERY)], expect=2)
    assert "'code'" in result.output and "mangler" in result.output
    result = run(["--store", str(tmp_path / "s"), "query", str(QUERY), "-p", "nonsense"], expect=2)
    assert "NAVN=VÆRDI" in result.output


def test_python_dash_m_graph_is_the_same_command():
    out = subprocess.run([sys.executable, "-m", "graph", "--help"], capture_output=True, text=True, check=True).stdout
    for verb in ("build", "load", "validate", "query", "export", "serve"):
        assert verb in out


def test_serve_takes_documented_web_settings_from_the_environment():
    from graph.cli import _web_config_from_env

    config = _web_config_from_env({"REGELGRAF_SPARQL_TIMEOUT": "2.5", "REGELGRAF_SPARQL_ROW_LIMIT": "50",
                                   "REGELGRAF_EDITOR_PERSISTENCE": "false", "REGELGRAF_STORE_DIR": "/elsewhere",
                                   "UNRELATED": "x"})
    assert config == {"REGELGRAF_SPARQL_TIMEOUT": 2.5, "REGELGRAF_SPARQL_ROW_LIMIT": 50, "REGELGRAF_EDITOR_PERSISTENCE": False}


@pytest.mark.parametrize("verb", ["build", "info"])
def test_a_store_under_a_file_is_a_clear_error_not_a_traceback(tmp_path, verb):
    (tmp_path / "afile").write_text("not a directory")
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "afile" / "store"), verb])
    assert result.exit_code == 2, result.output
    assert str(tmp_path / "afile") in result.output and "Traceback" not in result.output
