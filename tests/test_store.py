"""The store interface, run against every backend (fixture `store`), plus backend specifics."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import rdflib
import rdflib.plugins.sparql
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from graph.store import (
    BACKENDS, BindingError, ClosedStoreError, EndpointHTTPError, EndpointUnreachableError,
    FormatError, InvalidDataError, MemoryStore, OxigraphStore, QuerySyntaxError,
    ReadOnlyStoreError, RemoteStore, StoreConfigError, StoreError, StoreLockedError,
    UnknownBackendError, open_store,
)

REPO = Path(__file__).resolve().parent.parent
EX = Namespace("https://example.org/")
G1, G2, G3 = EX["graph/one"], EX["graph/two"], EX["graph/three"]
PREFIX = "PREFIX ex: <https://example.org/>\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIX.replace("PREFIX ", "@prefix ").replace(">\n", "> .\n")
                         + textwrap.dedent(text), format="turtle")


ONE = turtle("""
    ex:a ex:p "alpha"@da ; ex:n 1 ; ex:when "2023-01-01"^^xsd:date .
    ex:b ex:p "beta" .
""")
TWO = turtle("""
    ex:c ex:p "gamma" ; ex:n 3 .
""")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def snapshot(store) -> tuple:
    """Everything observable about the content: names, counts and every graph's triples."""
    names = store.graph_names()
    lines = {g: sorted(store.dump("ntriples", g).decode().splitlines()) for g in names}
    return names, store.count(), lines


def rows(result) -> set[tuple]:
    return {tuple(row) for row in result.rows}


# -- writing and reading back -----------------------------------------------------------------

def test_replace_then_read_back(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    assert store.graph_names() == [G1, G2]
    assert store.count() == len(ONE) + len(TWO)
    assert store.count(G1) == len(ONE)
    assert isomorphic(store.get_graph(G1), ONE)
    assert store.get_graph(G1).identifier == G1


def test_replace_swaps_one_graph_and_leaves_the_others(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    store.replace_graphs({G1: TWO})
    assert isomorphic(store.get_graph(G1), TWO)
    assert isomorphic(store.get_graph(G2), TWO)
    assert store.count() == 2 * len(TWO)


def test_replace_with_an_empty_graph_removes_it(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    store.replace_graphs({G1: Graph()})
    assert store.graph_names() == [G2]


def test_add_graphs_keeps_what_is_there(store):
    store.replace_graphs({G1: ONE})
    store.add_graphs({G1: TWO, G2: TWO})
    assert isomorphic(store.get_graph(G1), ONE + TWO)
    assert store.count(G2) == len(TWO)


def test_remove_graphs_ignores_unknown_names(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    store.remove_graphs([G1, G3])
    assert store.graph_names() == [G2]
    assert store.count() == len(TWO)


def test_unknown_graph_is_empty(store):
    assert store.count(G3) == 0
    assert len(store.get_graph(G3)) == 0
    assert store.graph_names() == []


def test_terms_round_trip_exactly(store):
    tricky = Graph()
    tricky.add((EX.s, EX.text, Literal('line\nbreak\ttab "quote" \\ æøå } ; #', lang="da")))
    tricky.add((EX.s, EX.plain, Literal("plain")))
    tricky.add((EX.s, EX.typed, Literal("plain-typed", datatype=XSD.string)))
    tricky.add((EX.s, EX.date, Literal("2024-02-29", datatype=XSD.date)))
    tricky.add((EX.s, EX.odd, Literal("not a number", datatype=XSD.integer)))
    tricky.add((EX["s?a=1&b=%C3%A6"], EX.blank, BNode()))
    store.replace_graphs({G1: tricky})
    back = store.get_graph(G1)
    # xsd:string literals come back plain, as RDF 1.1 defines them to be the same term.
    expected = Graph()
    for s, p, o in tricky:
        expected.add((s, p, Literal(str(o)) if p == EX.typed else o))
    assert isomorphic(back, expected)


# -- querying -------------------------------------------------------------------------------

def test_default_graph_is_the_union_of_named_graphs(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    result = store.query(PREFIX + "SELECT ?s WHERE { ?s ex:p ?o }")
    assert {row["s"] for row in result} == {EX.a, EX.b, EX.c}


def test_graph_clause_selects_one_graph(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    result = store.query(PREFIX + "SELECT ?s ?g WHERE { GRAPH ?g { ?s ex:n ?n } }")
    assert rows(result) == {(EX.a, G1), (EX.c, G2)}


def test_select_columns_and_unbound_values(store):
    store.replace_graphs({G1: ONE})
    result = store.query(PREFIX + "SELECT ?s ?n WHERE { ?s ex:p ?o OPTIONAL { ?s ex:n ?n } }")
    assert result.kind == "select"
    assert result.columns == ("s", "n")
    assert rows(result) == {(EX.a, Literal(1)), (EX.b, None)}


def test_bindings_restrict_the_answer(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    query = PREFIX + "SELECT ?s WHERE { ?s ex:n ?n }"
    assert rows(store.query(query, bindings={"n": Literal(3)})) == {(EX.c,)}
    assert rows(store.query(query, bindings={"?s": EX.a})) == {(EX.a,)}
    when = PREFIX + "SELECT ?s WHERE { ?s ex:when ?d }"
    assert rows(store.query(when, bindings={"d": Literal("2023-01-01", datatype=XSD.date)})) == {
        (EX.a,)}
    assert rows(store.query(when, bindings={"d": Literal("2023-01-01")})) == set()


def test_a_malicious_string_binding_stays_a_literal(store):
    payload = '" } } ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> "z" } #\n>'
    graph = Graph()
    graph.add((EX.evil, EX.p, Literal(payload)))
    store.replace_graphs({G1: ONE, G2: graph})
    before = snapshot(store)
    query = PREFIX + "SELECT ?s WHERE { ?s ex:p ?o }"
    assert rows(store.query(query, bindings={"o": Literal(payload)})) == {(EX.evil,)}
    assert rows(store.query(query, bindings={"o": Literal(payload + " ")})) == set()
    assert snapshot(store) == before


@pytest.mark.parametrize("bound, expected", [(None, {EX.a, EX.b}), ("2023-01-01", {EX.a})])
def test_an_optional_parameter_may_stay_unbound(store, bound, expected):
    store.replace_graphs({G1: ONE})
    query = PREFIX + ("SELECT ?s WHERE { ?s ex:p ?o OPTIONAL { ?s ex:when ?d } "
                      "FILTER(!BOUND(?as_of) || ?d = ?as_of) }")
    bindings = {} if bound is None else {"as_of": Literal(bound, datatype=XSD.date)}
    assert {row["s"] for row in store.query(query, bindings=bindings)} == expected


@pytest.mark.parametrize("where", [
    "{ ?s ex:n ?n FILTER(?n = ?v) }",
    "{ { ?s ex:n ?n FILTER(?n = ?v) } }",
    "{ { ?s ex:n ?n FILTER(?n = ?v) } UNION { ?s ex:p ?n FILTER(?n = ?v) } }",
    "{ { SELECT ?s WHERE { ?s ex:n ?n FILTER(?n = ?v) } } }",
    "{ ?s ex:p ?o FILTER EXISTS { ?s ex:n ?v } }",
    "{ ?s ex:p ?o MINUS { ?s ex:n ?n FILTER(?n != ?v) } FILTER(EXISTS { ?s ex:n ?x }) }",
], ids=["top", "nested", "union", "subquery", "exists", "minus"])
def test_bindings_reach_every_group_like_pre_bound_variables(store, where):
    store.replace_graphs({G1: ONE, G2: TWO})
    result = store.query(PREFIX + f"SELECT DISTINCT ?s WHERE {where}", bindings={"v": Literal(3)})
    assert rows(result) == {(EX.c,)}


def test_bindings_leave_strings_templates_and_inline_data_alone(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    query = PREFIX + textwrap.dedent("""
        # a comment with { braces }
        SELECT ?s ?label WHERE {
          ?s ex:p ?o .
          BIND(CONCAT("{", STR(?o), "} '{'") AS ?label)
          VALUES ?o { "beta" "gamma" }
        }""")
    result = store.query(query, bindings={"s": EX.c})
    assert rows(result) == {(EX.c, Literal("{gamma} '{'"))}
    described = store.query("DESCRIBE ?s", bindings={"s": EX.c})
    assert (EX.c, EX.p, Literal("gamma")) in described.graph


def test_a_bound_variable_need_not_be_projected(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    result = store.query(PREFIX + "SELECT (COUNT(*) AS ?k) WHERE { ?s ex:p ?o }",
                         bindings={"s": EX.c})
    assert int(result.rows[0][0]) == 1


@pytest.mark.parametrize("bindings", [
    {"bad name": Literal(1)}, {"x) } DROP ALL #": Literal(1)}, {"v": "a plain str"},
    {"v": BNode()},
])
def test_bad_bindings_are_refused(store, bindings):
    with pytest.raises(BindingError):
        store.query("SELECT ?v WHERE { ?s ?p ?v }", bindings=bindings)


def test_limit_marks_truncation(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    total = len(ONE) + len(TWO)
    everything = store.query(query)
    assert len(everything.rows) == total and not everything.truncated
    cut = store.query(query, limit=2)
    assert len(cut.rows) == 2 and cut.truncated
    exact = store.query(query, limit=total)
    assert len(exact.rows) == total and not exact.truncated
    none = store.query(query, limit=0)
    assert none.rows == () and none.truncated
    with pytest.raises(BindingError):
        store.query(query, limit=-1)


def test_ask(store):
    store.replace_graphs({G1: ONE})
    assert store.query(PREFIX + "ASK { ex:a ex:n 1 }").boolean is True
    assert store.query(PREFIX + "ASK { ex:a ex:n ?n }", bindings={"n": Literal(2)}).boolean is False
    result = store.query(PREFIX + "ASK { ?s ex:n 1 }")
    assert result.kind == "ask" and result.to_sparql_json() == {"head": {}, "boolean": True}


def test_construct_and_describe(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    result = store.query(PREFIX + "CONSTRUCT { ?s ex:q ?o } WHERE { ?s ex:p ?o }")
    assert result.kind == "construct"
    expected = Graph()
    for s, o in [(EX.a, Literal("alpha", lang="da")), (EX.b, Literal("beta")),
                 (EX.c, Literal("gamma"))]:
        expected.add((s, EX.q, o))
    assert isomorphic(result.graph, expected) and not result.truncated
    cut = store.query(PREFIX + "CONSTRUCT { ?s ex:q ?o } WHERE { ?s ex:p ?o }", limit=2)
    assert len(cut.graph) == 2 and cut.truncated
    bound = store.query(PREFIX + "CONSTRUCT WHERE { ?s ex:p ?o }", bindings={"s": EX.c})
    assert set(bound.graph) == {(EX.c, EX.p, Literal("gamma"))}
    described = store.query(PREFIX + "DESCRIBE ex:c")
    assert described.kind == "describe" and (EX.c, EX.n, Literal(3)) in described.graph


def test_result_serialisations(store):
    graph = Graph()
    graph.add((EX.s, EX.p, Literal("tab\there\nnew", lang="da")))
    graph.add((EX.s, EX.n, Literal(7)))
    store.replace_graphs({G1: graph})
    result = store.query("SELECT ?s ?p ?o ?none WHERE { ?s ?p ?o } ORDER BY ?p")
    data = result.to_sparql_json()
    assert data["head"]["vars"] == ["s", "p", "o", "none"]
    first, second = data["results"]["bindings"]
    assert first["o"] == {"type": "literal", "value": "7",
                          "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert second["o"] == {"type": "literal", "value": "tab\there\nnew", "xml:lang": "da"}
    assert "none" not in first and second["s"] == {"type": "uri", "value": str(EX.s)}
    table = list(csv.reader(io.StringIO(result.to_csv())))
    assert table[0] == ["s", "p", "o", "none"]
    assert table[2] == [str(EX.s), str(EX.p), "tab\there\nnew", ""]
    tsv = result.to_tsv().splitlines()
    assert tsv[0] == "?s\t?p\t?o\t?none" and len(tsv) == 3
    assert tsv[2].split("\t") == [f"<{EX.s}>", f"<{EX.p}>", '"tab\\there\\nnew"@da', ""]
    json.dumps(data)
    with pytest.raises(FormatError):
        store.query("ASK { ?s ?p ?o }").to_csv()


# -- dumping --------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt, rdflib_format", [
    ("nquads", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_dump_whole_store_in_quad_formats(store, fmt, rdflib_format):
    store.replace_graphs({G1: ONE, G2: TWO})
    dataset = rdflib.Dataset()
    dataset.parse(data=store.dump(fmt), format=rdflib_format)
    assert isomorphic(dataset.graph(G1), ONE) and isomorphic(dataset.graph(G2), TWO)


@pytest.mark.parametrize("fmt, rdflib_format", [
    ("turtle", "turtle"), ("ttl", "turtle"), ("ntriples", "nt"), ("rdfxml", "xml"),
    ("jsonld", "json-ld"), ("nquads", "nquads"), ("trig", "trig")])
def test_dump_one_graph_in_any_format(store, fmt, rdflib_format):
    store.replace_graphs({G1: ONE, G2: TWO})
    data = store.dump(fmt, G1)
    if rdflib_format in ("nquads", "trig", "json-ld"):
        parsed = rdflib.Dataset()
        parsed.parse(data=data, format=rdflib_format)
        graph = parsed.graph(G1)
    else:
        graph = Graph().parse(data=data, format=rdflib_format)
    assert isomorphic(graph, ONE)


def test_dump_refuses_a_triple_format_for_the_whole_store(store):
    with pytest.raises(FormatError, match="nquads"):
        store.dump("turtle")
    with pytest.raises(FormatError, match="ntriples"):
        store.dump("n3-ish")


# -- atomicity ------------------------------------------------------------------------------

def test_invalid_content_changes_nothing(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    before = snapshot(store)
    bad = Graph()
    bad.add((URIRef("https://example.org/has space"), EX.p, Literal("x")))
    with pytest.raises(InvalidDataError) as caught:
        store.replace_graphs({G1: TWO, G3: TWO, G2: bad})
    assert str(G2) in str(caught.value) and "has space" in str(caught.value)
    with pytest.raises(InvalidDataError):
        store.add_graphs({G3: TWO, URIRef("not an iri"): TWO})
    with pytest.raises(InvalidDataError):
        store.remove_graphs([G1, URIRef("also not an iri")])
    assert snapshot(store) == before


class BreakingGraph(Graph):
    """A graph whose triples fail half way through, as a broken source would."""

    def triples(self, pattern, *args, **kwargs):  # noqa: ANN001, ANN201
        for number, triple in enumerate(super().triples(pattern, *args, **kwargs)):
            if number == 1:
                raise RuntimeError("source broke while reading")
            yield triple


def test_failure_while_reading_the_input_changes_nothing(store):
    store.replace_graphs({G1: ONE, G2: TWO})
    before = snapshot(store)
    broken = BreakingGraph()
    broken += ONE
    with pytest.raises(RuntimeError, match="source broke"):
        store.replace_graphs({G1: TWO, G2: broken})
    assert snapshot(store) == before


def test_failure_inside_the_write_changes_nothing(store, monkeypatch):
    """The backend's own atomic step fails after the drops and inserts have been applied."""
    store.replace_graphs({G1: ONE, G2: TWO})
    before = snapshot(store)
    if isinstance(store, MemoryStore):
        real_build = store._build

        def build_then_fail(*args):  # noqa: ANN002, ANN202
            real_build(*args)
            raise MemoryError("simulated failure after building")

        monkeypatch.setattr(store, "_build", build_then_fail)
        expected: type[BaseException] = MemoryError
    else:
        real_run = store._run_update

        def run_then_fail(request: str) -> None:
            # The last operation fails at run time (the graph does not exist), after the
            # DROP and INSERT DATA before it succeeded inside the same transaction.
            real_run(request + " ;\nDROP GRAPH <urn:regelgraf:test:does-not-exist>")

        monkeypatch.setattr(store, "_run_update", run_then_fail)
        expected = StoreError
    with pytest.raises(expected):
        store.replace_graphs({G1: TWO, G3: ONE})
    with pytest.raises(expected):
        store.remove_graphs([G1, G2])
    assert snapshot(store) == before


# -- opening, errors and capabilities ---------------------------------------------------------

def test_unknown_backend_lists_the_known_ones():
    with pytest.raises(UnknownBackendError) as caught:
        open_store("sqlite")
    assert "memory, oxigraph, remote" in str(caught.value)
    assert sorted(BACKENDS) == ["memory", "oxigraph", "remote"]


def test_default_backend_choice(tmp_path):
    with open_store(location=tmp_path / "s") as local:
        assert isinstance(local, OxigraphStore) and str(tmp_path / "s") in local.describe()
    with open_store(endpoint="http://127.0.0.1:9/query") as remote:
        assert isinstance(remote, RemoteStore) and "127.0.0.1:9/query" in remote.describe()
    with pytest.raises(StoreConfigError):
        open_store("oxigraph", endpoint="http://127.0.0.1:9/query")
    with pytest.raises(StoreConfigError):
        open_store("remote")
    with pytest.raises(StoreConfigError):
        open_store("remote", endpoint="ftp://example.org/sparql")


def test_capability_flags():
    assert OxigraphStore.persistent and OxigraphStore.transactional and not OxigraphStore.remote
    assert not MemoryStore.persistent and MemoryStore.transactional
    assert RemoteStore.remote and not RemoteStore.transactional


def test_malformed_query_names_line_and_column(store):
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT ?s\nWHERE {\n  ?s ?p\n}")
    assert (caught.value.line, caught.value.column) == (3, 3)
    assert "linje 3, kolonne 3" in str(caught.value) and "line 3, column 3" in str(caught.value)
    assert "'?s ?p'" in str(caught.value)
    with pytest.raises(QuerySyntaxError) as caught:
        store.query("SELECT ?s WHERE {\n  ?s ex:p ?o }")
    assert (caught.value.line, caught.value.column) == (2, 6) and "ex:" in str(caught.value)


def test_closed_store_refuses_work(store):
    store.close()
    with pytest.raises(ClosedStoreError):
        store.query("ASK {}")


def test_read_only_store_refuses_writes(store, tmp_path, oxigraph_server):
    if isinstance(store, OxigraphStore):
        store.replace_graphs({G1: ONE})
        store.close()
        reader = open_store("oxigraph", location=tmp_path / "store", read_only=True)
    elif isinstance(store, MemoryStore):
        reader = open_store("memory", read_only=True)
    else:
        reader = open_store(endpoint=oxigraph_server.query_url)  # no update endpoint
    with reader:
        with pytest.raises(ReadOnlyStoreError):
            reader.replace_graphs({G2: TWO})
        with pytest.raises(ReadOnlyStoreError):
            reader.remove_graphs([G1])
        assert "read-only" in reader.describe() or reader.update_endpoint is None


def test_memory_backend_turns_off_rdflib_graph_loading(monkeypatch):
    monkeypatch.setattr(rdflib.plugins.sparql, "SPARQL_LOAD_GRAPHS", True)
    open_store("memory")
    assert rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS is False


def test_unreachable_endpoint_names_the_url():
    port = free_port()
    url = f"http://127.0.0.1:{port}/query"
    with open_store(endpoint=url, update_endpoint=f"http://127.0.0.1:{port}/update") as remote:
        with pytest.raises(EndpointUnreachableError) as caught:
            remote.query("ASK {}")
        assert url in str(caught.value) and "oxigraph serve" in str(caught.value)
        with pytest.raises(EndpointUnreachableError):
            remote.replace_graphs({G1: ONE})


def test_http_error_carries_the_server_message(oxigraph_server):
    with open_store(endpoint=oxigraph_server.base_url + "/no-such-path") as remote:
        with pytest.raises(EndpointHTTPError) as caught:
            remote.query("ASK {}")
    assert caught.value.status == 404 and "/no-such-path" in str(caught.value)
    with oxigraph_server.open() as remote, pytest.raises(EndpointHTTPError) as caught:
        remote._run_update("DROP GRAPH <urn:regelgraf:test:does-not-exist>")
    assert caught.value.status >= 400 and "does not exist" in caught.value.body


# -- the on-disk lock ------------------------------------------------------------------------

def test_a_second_process_gets_a_clear_lock_error(tmp_path):
    location = tmp_path / "store"
    with open_store("oxigraph", location=location) as holder:
        holder.replace_graphs({G1: ONE})
        probe = textwrap.dedent(f"""
            from graph.store import open_store, StoreLockedError
            try:
                open_store("oxigraph", location={str(location)!r})
            except StoreLockedError as error:
                print(error.pid)
                print(error)
            """)
        done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              cwd=REPO, check=True)
        pid, message = done.stdout.split("\n", 1)
        assert int(pid) == os.getpid()
        assert str(location) in message and f"proces {os.getpid()}" in message
        assert "read_only" in message and "oxigraph serve" in message
        reader = subprocess.run(
            [sys.executable, "-c", "from graph.store import open_store; "
             f"print(open_store('oxigraph', location={str(location)!r}, read_only=True).count())"],
            capture_output=True, text=True, cwd=REPO, check=True)
        assert int(reader.stdout) == len(ONE)


def test_a_running_server_is_named_as_the_lock_holder(oxigraph_server):
    with pytest.raises(StoreLockedError) as caught:
        open_store("oxigraph", location=oxigraph_server.location)
    assert caught.value.pid == oxigraph_server.process.pid
    assert "oxigraph serve" in (caught.value.command or "")


def test_the_same_process_opening_twice_is_told_so(tmp_path):
    with open_store("oxigraph", location=tmp_path / "s"):
        with pytest.raises(StoreLockedError, match="this process"):
            open_store("oxigraph", location=tmp_path / "s")


def test_close_releases_the_directory(tmp_path):
    first = open_store("oxigraph", location=tmp_path / "s")
    first.replace_graphs({G1: ONE})
    first.close()
    with open_store("oxigraph", location=tmp_path / "s") as second:
        assert second.count() == len(ONE)
