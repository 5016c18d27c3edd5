"""What the SPARQL endpoint needs from every store: datasets of local graphs, FROM read as local
names, guarded SPARQL Update, time limits — and that nothing ever leaves the machine."""

from __future__ import annotations

import threading
import time

import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef

from graph.sparql_guard import check_update, split_dataset
from graph.store import (
    QueryDataset, QuerySyntaxError, QueryTimeoutError, ReadOnlyStoreError, StoreBusyError,
    UnsafeQueryError, UnsupportedUpdateError, open_store,
)
from graph.store import deadline as deadline_module
from graph.store.deadline import Deadline, run_with_deadline, running_late
from test_sparql_guard import listener  # noqa: F401  (the fixture: a recording HTTP server)

EX = Namespace("http://example.org/")
G1, G2, G3 = EX.g1, EX.g2, EX.g3


def graph_of(*subjects: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    for name in subjects:
        graph.add((EX[name], EX.p, Literal(name)))
    return graph


@pytest.fixture
def filled(store):
    """A store of each backend with three graphs: g1 {a}, g2 {b}, g3 {c}."""
    store.replace_graphs({G1: graph_of("a"), G2: graph_of("b"), G3: graph_of("c")})
    return store


def subjects(result) -> set[str]:
    return {str(row[0]).rsplit("/", 1)[-1] for row in result.rows if row[0] is not None}


# -- datasets ---------------------------------------------------------------------------------

def test_without_a_dataset_the_default_graph_is_the_union(filled):
    assert subjects(filled.query("SELECT ?s WHERE { ?s ?p ?o }")) == {"a", "b", "c"}


def test_default_graphs_narrow_the_default_graph(filled):
    result = filled.query("SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[G1, G3])
    assert subjects(result) == {"a", "c"}
    # No named graphs were given, so GRAPH sees none.
    assert filled.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", default_graphs=[G1]).rows == ()


def test_named_graphs_alone_leave_the_default_graph_empty(filled):
    assert filled.query("SELECT ?s WHERE { ?s ?p ?o }", named_graphs=[G2]).rows == ()
    result = filled.query("SELECT ?g ?s WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[G2, G3])
    assert {(str(g), str(s)) for g, s in result.rows} == {(str(G2), str(EX.b)), (str(G3), str(EX.c))}


def test_a_graph_name_without_a_graph_is_an_empty_graph(filled):
    assert filled.query("ASK { ?s ?p ?o }", default_graphs=[EX.nothing]).boolean is False
    assert filled.query("ASK {}", default_graphs=[EX.nothing]).boolean is True


def test_from_is_refused_unless_allowed(filled):
    with pytest.raises(UnsafeQueryError):
        filled.query(f"SELECT ?s FROM <{G1}> WHERE {{ ?s ?p ?o }}")


def test_from_names_local_graphs_when_allowed(filled):
    text = f"PREFIX ex: <{EX}> SELECT ?s FROM ex:g1 FROM <{G2}> WHERE {{ ?s ?p ?o }}"
    assert subjects(filled.query(text, allow_from=True)) == {"a", "b"}
    named = f"SELECT ?s FROM NAMED <{G3}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert subjects(filled.query(named, allow_from=True)) == {"c"}


def test_the_protocol_dataset_wins_over_from(filled):
    text = f"SELECT ?s FROM <{G1}> WHERE {{ ?s ?p ?o }}"
    assert subjects(filled.query(text, allow_from=True, default_graphs=[G3])) == {"c"}


def test_relative_from_resolves_against_the_base(filled):
    text = "SELECT ?s FROM <g2> WHERE { ?s ?p ?o }"
    assert subjects(filled.query(text, allow_from=True, base_iri=str(EX))) == {"b"}
    with pytest.raises(QuerySyntaxError, match="relative"):
        filled.query(text, allow_from=True)


def test_relative_iris_in_a_query_resolve_against_the_base(filled):
    result = filled.query("SELECT ?o WHERE { <a> <p> ?o }", base_iri=str(EX))
    assert [str(row[0]) for row in result.rows] == ["a"]


def test_split_dataset_keeps_strings_and_comments():
    text = 'SELECT * FROM <http://x/g> WHERE { ?s ?p "FROM <http://y/>" } # FROM <http://z/>'
    stripped, dataset = split_dataset(text)
    assert dataset == QueryDataset((URIRef("http://x/g"),), ())
    assert "<http://x/g>" not in stripped and '"FROM <http://y/>"' in stripped
    assert split_dataset("SELECT * WHERE { ?s ?p ?o }") == ("SELECT * WHERE { ?s ?p ?o }", None)


# -- updates ----------------------------------------------------------------------------------

def test_update_inserts_and_deletes_in_named_graphs(filled):
    filled.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX.d}> <{EX.p}> 'd' }} }}")
    assert subjects(filled.query("SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[G1])) == {"a", "d"}
    filled.update(f"DELETE WHERE {{ GRAPH ?g {{ <{EX.a}> ?p ?o }} }}")
    assert subjects(filled.query("SELECT ?s WHERE { ?s ?p ?o }")) == {"b", "c", "d"}
    filled.update(f"WITH <{G2}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}")
    assert G2 not in filled.graph_names()


def test_update_with_protocol_using_graphs(filled):
    update = (f"INSERT {{ GRAPH <{EX.out}> {{ ?s <{EX.seen}> true }} }} WHERE {{ ?s ?p ?o }} ;"
              f"DELETE WHERE {{ GRAPH ?g {{ ?s <{EX.p}> 'c' }} }}")
    filled.update(update, using_graphs=[G1, G2], using_named_graphs=[G2])
    assert subjects(filled.query("SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[EX.out])) == {"a", "b"}
    # DELETE WHERE became DELETE … USING NAMED g2 WHERE …, so g3's triple stays.
    assert subjects(filled.query("SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[G3])) == {"c"}


def test_using_in_the_text_names_local_graphs(filled):
    filled.update(f"INSERT {{ GRAPH <{EX.out}> {{ ?s ?p ?o }} }} USING <{G3}> WHERE {{ ?s ?p ?o }}")
    assert subjects(filled.query("SELECT ?s WHERE { ?s ?p ?o }", default_graphs=[EX.out])) == {"c"}


def test_relative_iris_in_an_update_resolve_against_the_base(filled):
    filled.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <s> <p> <o> }} }}", base_iri="http://h/sparql/")
    assert filled.query("ASK { <http://h/sparql/s> <http://h/sparql/p> <http://h/sparql/o> }").boolean


@pytest.mark.parametrize("update, construct", [
    ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "DEFAULT"),
    ("DELETE DATA { <http://x/a> <http://x/b> <http://x/c> }", "DEFAULT"),
    ("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", "DEFAULT"),
    ("DELETE WHERE { ?s ?p ?o }", "DEFAULT"),
    ("CLEAR DEFAULT", "DEFAULT"),
    ("DROP DEFAULT", "DEFAULT"),
    ("COPY <http://example.org/g1> TO DEFAULT", "DEFAULT"),
    ("MOVE DEFAULT TO <http://example.org/g9>", "DEFAULT"),
    # Reads the default graph without choosing it: the union is not what an update sees.
    ("INSERT { GRAPH <http://x/out> { ?s ?p ?o } } WHERE { ?s ?p ?o }", "DEFAULT"),
    ("LOAD <http://example.org/data.ttl> INTO GRAPH <http://x/g>", "LOAD"),
    ("INSERT { GRAPH <http://x/g> { ?s ?p ?o } } WHERE { SERVICE <http://example.org/sparql> "
     "{ ?s ?p ?o } }", "SERVICE"),
])
def test_refused_updates_change_nothing(filled, update, construct):
    before = filled.dump("nquads")
    with pytest.raises((UnsafeQueryError, UnsupportedUpdateError)) as caught:
        filled.update(update)
    assert caught.value.construct == construct
    assert caught.value.messages["da"] and caught.value.messages["en"]
    assert filled.dump("nquads") == before


def test_protocol_using_conflicts_with_using_or_with(filled):
    for text in (f"WITH <{G1}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
                 f"INSERT {{ GRAPH <{G1}> {{ ?s ?p ?o }} }} USING <{G2}> WHERE {{ ?s ?p ?o }}"):
        with pytest.raises(UnsupportedUpdateError, match="using-graph-uri"):
            filled.update(text, using_named_graphs=[G3])


def test_a_failing_update_changes_nothing(filled):
    before = filled.dump("nquads")
    with pytest.raises(Exception):
        filled.update(f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX.x}> <{EX.p}> 1 }} }} ; "
                      f"CREATE GRAPH <{G2}>")  # G2 exists: CREATE fails, the insert is undone
    assert filled.dump("nquads") == before


def test_update_syntax_errors_have_a_position(filled):
    with pytest.raises(QuerySyntaxError) as caught:
        filled.update("CLEAR XYZ")
    assert caught.value.line == 1


def test_read_only_stores_refuse_updates(tmp_path):
    with open_store("oxigraph", location=tmp_path / "s") as store:
        store.replace_graphs({G1: graph_of("a")})
    with open_store("oxigraph", location=tmp_path / "s", read_only=True) as store:
        with pytest.raises(ReadOnlyStoreError):
            store.update("CLEAR ALL")


def test_check_update_describes_each_operation():
    plan = check_update(f"WITH <{G1}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }} ; "
                        f"INSERT {{ GRAPH <{G2}> {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o "
                        f"FILTER EXISTS {{ ?s ?p ?o }} }} }} ; CLEAR ALL")
    assert [(op.own_dataset, op.reads_default) for op in plan.operations] == [
        (True, True), (False, False), (False, False)]


# -- nothing leaves the machine ---------------------------------------------------------------

def test_engines_on_their_own_pyoxigraph_keeps_from_local_rdflib_fetches(listener, monkeypatch):  # noqa: F811
    """Why FROM is taken out before rdflib sees it, and why USING may reach pyoxigraph."""
    import pyoxigraph
    import rdflib.plugins.sparql

    url, requests = listener
    engine = pyoxigraph.Store()
    list(engine.query(f"SELECT * FROM <{url}> FROM NAMED <{url}> WHERE {{ ?s ?p ?o }}"))
    engine.update(f"INSERT {{ GRAPH <http://x/o> {{ ?s ?p ?o }} }} USING <{url}> USING NAMED "
                  f"<{url}> WHERE {{ ?s ?p ?o }}")
    assert requests == []
    monkeypatch.setattr(rdflib.plugins.sparql, "SPARQL_LOAD_GRAPHS", True)  # rdflib's default
    with pytest.raises(Exception):  # the listener's answer is no RDF, but it was asked
        rdflib.Dataset().query(f"SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}")
    assert requests


@pytest.mark.parametrize("template, as_update", [
    ("SELECT * FROM <{url}> WHERE {{ ?s ?p ?o }}", False),
    ("SELECT * FROM NAMED <{url}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}", False),
    ("ASK FROM <{url}> FROM NAMED <{url}/2> {{ ?s ?p ?o }}", False),
    ("INSERT {{ GRAPH <http://x/o> {{ ?s ?p ?o }} }} USING <{url}> WHERE {{ ?s ?p ?o }}", True),
    ("INSERT {{ GRAPH <http://x/o> {{ ?s ?p ?o }} }} USING NAMED <{url}> WHERE "
     "{{ GRAPH ?g {{ ?s ?p ?o }} }}", True),
], ids=["from", "from-named", "both", "using", "using-named"])
def test_allowed_dataset_clauses_fetch_nothing(filled, listener, template, as_update):  # noqa: F811
    url, requests = listener
    text = template.format(url=url)
    if as_update:
        filled.update(text)
        filled.update("INSERT { GRAPH <http://x/o> { ?s ?p ?o } } WHERE { GRAPH ?g { ?s ?p ?o } }",
                      using_graphs=[URIRef(url)], using_named_graphs=[URIRef(url)])
    else:
        answer = filled.query(text, allow_from=True)
        assert not answer.rows and not answer.boolean  # the graphs are local, and empty
        filled.query("SELECT * WHERE { ?s ?p ?o }", default_graphs=[URIRef(url)],
                     named_graphs=[URIRef(url)])
    assert requests == []


@pytest.mark.parametrize("text", [
    "LOAD <{url}>",
    "LOAD SILENT <{url}> INTO GRAPH <http://x/g>",
    "INSERT {{ GRAPH <http://x/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "INSERT {{ GRAPH <http://x/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
    "DELETE {{ GRAPH ?g {{ ?s ?p ?o }} }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} OPTIONAL {{ SERVICE "
    "<{url}> {{ ?s ?p ?o }} }} }}",
    "INSERT {{ GRAPH <http://x/g> {{ ?s ?p ?o }} }} WHERE {{ {{ SELECT * WHERE {{ SERVICE <{url}> "
    "{{ ?s ?p ?o }} }} }} }}",
    "INSERT {{ GRAPH <http://x/g> {{ ?s ?p ?o }} }} WHERE {{ ?s ?p ?o LATERAL {{ SERVICE <{url}> "
    "{{ ?s ?p ?o }} }} }}",
], ids=["load", "load-silent", "service", "service-silent", "optional", "subquery", "lateral"])
def test_updates_never_reach_the_network(filled, listener, text):  # noqa: F811
    url, requests = listener
    with pytest.raises((UnsafeQueryError, QuerySyntaxError)):
        filled.update(text.format(url=url))
    assert requests == []


# -- time limits ------------------------------------------------------------------------------

def test_a_query_within_its_time_runs_normally(filled):
    assert subjects(filled.query("SELECT ?s WHERE { ?s ?p ?o }", timeout=30)) == {"a", "b", "c"}


def test_errors_in_the_worker_reach_the_caller(filled):
    with pytest.raises(QuerySyntaxError):
        filled.query("SELECT ?s WHERE { ?s ?p }", timeout=30)


def test_work_that_checks_the_deadline_stops():
    def endless(deadline: Deadline) -> None:
        while True:
            deadline.tick()

    started = time.monotonic()
    with pytest.raises(QueryTimeoutError) as caught:
        run_with_deadline(endless, 0.2)
    assert time.monotonic() - started < 2
    assert "0.2" in caught.value.messages["en"] and "0.2" in caught.value.messages["da"]


def test_work_that_cannot_be_interrupted_is_abandoned_and_counted(monkeypatch):
    release = threading.Event()
    monkeypatch.setattr(deadline_module, "MAX_RUNNING_LATE", 1)
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        run_with_deadline(lambda deadline: release.wait(30), 0.2)
    assert time.monotonic() - started < 2  # the caller did not wait for the work
    assert running_late() == 1
    with pytest.raises(StoreBusyError):
        run_with_deadline(lambda deadline: "quick", 5)
    release.set()
    for _ in range(100):
        if running_late() == 0:
            break
        time.sleep(0.02)
    assert running_late() == 0
    assert run_with_deadline(lambda deadline: "quick", 5) == "quick"


def test_a_slow_oxigraph_query_times_out_while_others_are_answered(tmp_path):
    store = open_store("oxigraph")
    big = rdflib.Graph()
    for i in range(3000):
        big.add((EX[f"s{i}"], EX.p, Literal(i)))
    store.replace_graphs({G1: big})
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y . FILTER(?x < ?y) }"
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        store.query(slow, timeout=0.3)
    assert time.monotonic() - started < 1.5
    quick_started = time.monotonic()
    assert store.query("ASK { ?s ?p 7 }", timeout=5).boolean is True
    assert time.monotonic() - quick_started < 1.5  # the abandoned work does not hold the engine
    for _ in range(300):  # let the abandoned count finish before the next test
        if running_late() == 0:
            break
        time.sleep(0.05)


def test_a_remote_query_gives_up_waiting_at_its_deadline(oxigraph_server):
    oxigraph_server.clear()
    store = oxigraph_server.open()
    big = rdflib.Graph()
    for i in range(3000):
        big.add((EX[f"s{i}"], EX.p, Literal(i)))
    store.replace_graphs({G1: big})
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?x . ?b ?p ?y . FILTER(?x < ?y) }"
    with pytest.raises(QueryTimeoutError):
        store.query(slow, timeout=0.3)
    started = time.monotonic()
    while running_late() and time.monotonic() - started < 10:
        time.sleep(0.02)
    # The worker's request timed out with the deadline, not after the client's 60 s (the margin
    # allows for a busy CI machine; the failure this guards against waits the full 60 s).
    assert running_late() == 0 and time.monotonic() - started < 10
    store.close()
