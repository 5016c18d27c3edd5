"""The questions the shipped data must answer, asked the way a user asks them: through the CLI,
`regelgraf --store TMP build data`, then `regelgraf query NAME --param k=v --format json`."""

import json

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.queries import Catalogue

MY_QUERIES = ("agreements", "exemptions_of_municipality", "municipalities_exempt_from", "dependents_of", "laws_not_applying_to")


@pytest.fixture(scope="module", autouse=True)
def catalogue_parsed_once():
    """Every CLI call would parse all query files again (tested in test_queries.py); here once."""
    catalogue = Catalogue.load()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Catalogue, "load", classmethod(lambda cls, directory=None: catalogue))
        yield


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> list[str]:
    args = ["--store", str(tmp_path_factory.mktemp("shipped") / "store")]
    result = CliRunner().invoke(cli, [*args, "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return args


def ask(store: list[str], name: str, expect: int = 0, **params: str) -> list[dict[str, str]]:
    """Run a named query and return its rows as {variable: value}."""
    args = [*store, "query", name, "--format", "json"]
    for key, value in params.items():
        args += ["--param", f"{key}={value}"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == expect, result.output
    if expect:
        return [{"error": result.output}]
    answer = json.loads(result.output)
    return [{k: v["value"] for k, v in row.items()} for row in answer["results"]["bindings"]]


def column(rows: list[dict[str, str]], name: str) -> set[str]:
    return {row[name] for row in rows if name in row}


def test_which_municipalities_have_an_agreement_on_an_area(store):
    assert column(ask(store, "agreements", area="folkeskole"), "name") == {"Esbjerg", "Holbæk"}
    assert column(ask(store, "agreements", area="ældre"), "name") == {"Viborg", "Middelfart", "Langeland"}
    (row,) = ask(store, "agreements", municipality="0217")
    assert (row["areaCode"], row["localStart"], row["validUntil"], row["originalEnd"]) == ("dagtilbud", "2021-07-01", "2025-07-31", "2024-09-30")
    assert row["validFromCertainty"] == "inferred" and row["certainty"] == "certain"
    assert "§ 2, nr. 1" in row["legalBasis"] and row["sources"].startswith("https://")


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2020-12-31", set()),
        ("2023-01-01", {"Helsingør", "Rebild", "Esbjerg", "Holbæk", "Viborg", "Middelfart", "Langeland"}),
        ("2024-12-01", {"Helsingør", "Rebild", "Esbjerg", "Holbæk", "Viborg", "Middelfart", "Langeland"}),
        ("2025-07-15", {"Helsingør", "Rebild", "Esbjerg", "Holbæk"}),  # the ældre trial ended 1 July 2025
        ("2025-08-01", set()),
    ],
)
def test_which_agreements_were_in_force_on_a_date(store, as_of, expected):
    assert column(ask(store, "agreements", as_of=as_of), "name") == expected


def test_which_provisions_a_municipality_may_set_aside_or_has_set_aside(store):
    rows = ask(store, "exemptions_of_municipality", municipality="Middelfart", as_of="2023-01-01")
    done = {row["citation"]: row for row in rows if row["how"] == "sets_aside"}
    assert set(done) == {"serviceloven § 79 a", "serviceloven § 139, stk. 2", "serviceloven § 83", "serviceloven § 83 a"}
    assert done["serviceloven § 79 a"]["extent"] == "helt" and done["serviceloven § 83 a"]["certainty"] == "inferred"
    possible = {row["citation"]: row["certainty"] for row in rows if row["how"] == "exemptible"}
    assert possible["serviceloven § 83, stk. 1, nr. 3"] == "certain" and possible["serviceloven § 88"] == "unverified"
    certain = ask(store, "exemptions_of_municipality", municipality="0410", min_certainty="certain")
    assert column(certain, "certainty") == {"certain"} and "serviceloven § 88" not in column(certain, "citation")
    inferred = ask(store, "exemptions_of_municipality", municipality="0410", min_certainty="inferred")
    assert column(inferred, "certainty") == {"certain", "inferred"}
    assert ask(store, "exemptions_of_municipality", municipality="Middelfart", as_of="2025-08-01") == []
    helsingoer = ask(store, "exemptions_of_municipality", municipality="Helsingør Kommune")
    assert {(r["how"], r["citation"]) for r in helsingoer} >= {("sets_aside", "dagtilbudsloven § 8"), ("exemptible", "dagtilbudsloven § 1")}


def test_which_municipalities_are_freed_from_a_provision(store):
    rows = ask(store, "municipalities_exempt_from", provision="serviceloven § 79 a")
    assert {(r["name"], r["how"]) for r in rows} == {
        ("Middelfart", "sets_aside"), ("Middelfart", "exemptible"), ("Viborg", "exemptible"), ("Langeland", "exemptible")}
    # Setting aside § 83 (partly) touches its parts too, and says so.
    rows = ask(store, "municipalities_exempt_from", provision="serviceloven § 83, stk. 1, nr. 3")
    assert ("Middelfart", "sets_aside", "part") in {(r["name"], r["how"], r["scope"]) for r in rows}
    # The minimum-staffing rules were inserted by lov 2594/2021, which does not apply to Helsingør and Rebild.
    rows = ask(store, "municipalities_exempt_from", provision="dagtilbudsloven § 19 a")
    assert {(r["name"], r["how"], r["until"]) for r in rows} == {("Helsingør", "disapplied", "2025-07-31"), ("Rebild", "disapplied", "2025-07-31")}
    assert ask(store, "municipalities_exempt_from", provision="dagtilbudsloven § 19 a", as_of="2025-08-01") == []


def test_what_rests_on_a_provision(store):
    rows = ask(store, "dependents_of", provision="serviceloven § 79 a")
    found = {(r["kind"], r["relation"]) for r in rows}
    assert found == {("executive_order", "based_on"), ("provision", "cites"), ("possibility", "exemptible"),
                     ("municipal_rule", "implements"), ("decision", "sets_aside")}
    (order,) = [r for r in rows if r["kind"] == "executive_order"]
    assert order["dependent"] == "https://www.retsinformation.dk/eli/lta/2019/716"
    assert order["targetCitation"] == "serviceloven § 79 a, stk. 7"
    by_iri = ask(store, "dependents_of", provision="https://regelgraf.dk/id/work/serviceloven/par_83/stk_1/nr_3")
    assert {r["label"] for r in by_iri if r["relation"] == "cites"} == {"lov om velfærdsaftaler på ældreområdet § 9 a", "serviceloven § 161, stk. 4"}
    assert {r["certainty"] for r in by_iri if r["label"] == "serviceloven § 161, stk. 4"} == {"inferred"}


def test_which_laws_do_not_apply_to_a_municipality_and_until_when(store):
    rows = ask(store, "laws_not_applying_to", municipality="Helsingør")
    assert {(r["disapplied"].rsplit("/", 2)[-2:][1], r["until"], r["untilCertainty"]) for r in rows} == {
        ("2594", "2025-07-31", "inferred"), ("2595", "2025-07-31", "inferred")}
    assert any("dagtilbudsloven § 19 a" in r.get("changes", "") for r in rows)
    assert len(ask(store, "laws_not_applying_to", municipality="840", as_of="2024-03-01")) == 2
    assert ask(store, "laws_not_applying_to", municipality="Helsingør", as_of="2021-06-01") == []  # before the acts
    assert ask(store, "laws_not_applying_to", municipality="Viborg") == []


def test_a_mistyped_parameter_is_a_clear_error(store):
    (row,) = ask(store, "laws_not_applying_to", expect=2, municipality="Helsingr")
    assert "Helsingør" in row["error"]
    (row,) = ask(store, "dependents_of", expect=2, provision="serviceloven § 79 b")
    assert "serviceloven § 79 a" in row["error"]


@pytest.mark.parametrize("name", MY_QUERIES)
def test_each_query_documents_itself_and_its_example_answers(store, name):
    query = Catalogue.load().get(name)
    assert query.summary and query.description and query.tags and query.example
    assert ask(store, name, **query.example), name
