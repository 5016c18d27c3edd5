"""Every query has a time limit and the user-facing ones a row limit: library queries take the
query_timeout setting when their caller sets none, a runaway catalogue query is stopped and
reported over real HTTP, and the server keeps answering pages and /sparql meanwhile."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib import Literal, Namespace

import graph.store.base as store_base
from graph import settings
from graph.settings import Settings
from graph.store import QueryTimeoutError, open_store
from graph.store.deadline import running_late
from live_server import served
from webui import create_app

EX = Namespace("http://example.org/")
G = EX.g
# Streams ~n² rows, so a deadline checked between answers stops it on every backend.
STREAMING = "SELECT ?a ?b WHERE { ?a ?p ?x . ?b ?p ?y }"
# Produces no answer until it has compared ~n² pairs: the one step a deadline cannot interrupt,
# so the caller must give up waiting (graph.store.deadline).
SILENT = "SELECT ?a WHERE { ?a ?p ?x . ?b ?p ?y . FILTER(?x + ?y < 0) }"


def numbers(n: int) -> rdflib.Graph:
    graph = rdflib.Graph()
    for i in range(n):
        graph.add((EX[f"s{i}"], EX.p, Literal(i)))
    return graph


def wait_for_abandoned_workers(limit: float = 60) -> None:
    """Let work given up on finish, so that it does not count against later tests."""
    started = time.monotonic()
    while running_late() and time.monotonic() - started < limit:
        time.sleep(0.05)
    assert running_late() == 0, "an abandoned query kept running for a minute"


@pytest.fixture
def no_timeout_setting(monkeypatch):
    monkeypatch.delenv("REGELGRAF_QUERY_TIMEOUT", raising=False)


# -- the setting -------------------------------------------------------------------------------

def test_the_setting_is_in_the_documented_table():
    rows = {s.name: s for s in settings.SETTINGS_TABLE}
    assert rows["query_timeout"].default == "60" == f"{settings.DEFAULT_QUERY_TIMEOUT:g}"
    assert "0 turns the limit off" in rows["query_timeout"].description
    assert "REGELGRAF_QUERY_TIMEOUT" in Path(settings.REPO_ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("raw, expected", [(None, 60.0), ("2.5", 2.5), ("30", 30.0), ("0", None)])
def test_the_setting_is_read_from_the_environment(raw, expected):
    environ = {} if raw is None else {"REGELGRAF_QUERY_TIMEOUT": raw}
    assert settings.query_timeout(environ) == expected
    assert Settings.from_env(environ).query_timeout == (expected or 0.0)


@pytest.mark.parametrize("raw", ["abc", "-1", "inf", "nan"])
def test_a_bad_setting_names_the_variable(raw, monkeypatch):
    with pytest.raises(ValueError, match="REGELGRAF_QUERY_TIMEOUT"):
        Settings.from_env({"REGELGRAF_QUERY_TIMEOUT": raw})
    monkeypatch.setenv("REGELGRAF_QUERY_TIMEOUT", raw)
    with open_store("memory") as store, pytest.raises(ValueError, match="REGELGRAF_QUERY_TIMEOUT"):
        store.query("ASK {}")


# -- which limit a query gets ------------------------------------------------------------------

class DeadlineSpy:
    """Stands in for run_with_deadline and records the seconds each query was given."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    def __call__(self, work, seconds):  # type: ignore[no-untyped-def]
        self.seconds.append(seconds)
        return work(None)


@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_a_query_without_a_limit_gets_the_default(backend, no_timeout_setting, monkeypatch):
    spy = DeadlineSpy()
    monkeypatch.setattr(store_base, "run_with_deadline", spy)
    with open_store(backend) as store:
        store.replace_graphs({G: numbers(3)})
        assert store.query("SELECT ?s WHERE { ?s ?p ?o }").rows
        store.count()  # the store's own helpers are queries too
        store.graph_names()
    assert spy.seconds and all(s == 60.0 for s in spy.seconds)


def test_the_callers_limit_wins_and_zero_turns_the_default_off(monkeypatch):
    spy = DeadlineSpy()
    monkeypatch.setattr(store_base, "run_with_deadline", spy)
    monkeypatch.setenv("REGELGRAF_QUERY_TIMEOUT", "5")
    with open_store("oxigraph") as store:
        store.query("ASK {}", timeout=1.5)
        store.query("ASK {}")
        assert spy.seconds == [1.5, 5.0]
        monkeypatch.setenv("REGELGRAF_QUERY_TIMEOUT", "0")
        assert store.query("ASK { ?s ?p ?o }").boolean is False
    assert spy.seconds == [1.5, 5.0], "with the setting 0 no deadline is set"


# -- runaway library queries are stopped ------------------------------------------------------

def test_a_runaway_library_query_is_stopped_on_every_backend(store, monkeypatch):
    store.replace_graphs({G: numbers(700)})
    monkeypatch.setenv("REGELGRAF_QUERY_TIMEOUT", "0.4")
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError) as caught:
        store.query(STREAMING)
    assert time.monotonic() - started < 5
    assert caught.value.seconds == 0.4
    assert "0.4 sekunder" in caught.value.message("da") and "0.4 seconds" in caught.value.message("en")
    assert store.query("ASK { ?s ?p 7 }").boolean is True
    wait_for_abandoned_workers()


def test_a_query_that_cannot_be_interrupted_is_abandoned_and_others_go_on(monkeypatch):
    store = open_store("oxigraph")
    store.replace_graphs({G: numbers(1000)})
    monkeypatch.setenv("REGELGRAF_QUERY_TIMEOUT", "0.1")
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        store.query(SILENT)
    assert time.monotonic() - started < 1
    assert running_late() == 1  # the engine is still comparing pairs in the background
    assert store.query("ASK { ?s ?p 7 }", timeout=5).boolean is True
    wait_for_abandoned_workers()
    store.close()


# -- over HTTP: the real app under waitress ---------------------------------------------------

RUNAWAY_RQ = f"""#+ summary: Compares every number with every other (a runaway query for tests)
PREFIX ex: <{EX}>
{SILENT}
"""

MANY_RQ = f"""#+ summary: Every number (more rows than the page shows)
PREFIX ex: <{EX}>
SELECT ?s ?n WHERE {{ ?s ex:p ?n }} ORDER BY ?n
"""


@pytest.fixture
def runaway_app(tmp_path, monkeypatch):
    """The app over 1000 numbers, with a catalogue holding a runaway query and a long one."""
    queries = tmp_path / "queries"
    queries.mkdir()
    (queries / "runaway.rq").write_text(RUNAWAY_RQ, encoding="utf-8")
    (queries / "many.rq").write_text(MANY_RQ, encoding="utf-8")
    store = open_store("oxigraph")
    store.replace_graphs({G: numbers(1000)})
    monkeypatch.setenv("REGELGRAF_QUERY_TIMEOUT", "0.3")
    app = create_app({"REGELGRAF_STORE": store, "REGELGRAF_QUERIES_DIR": str(queries),
                      "REGELGRAF_ROW_LIMIT": 25, "REGELGRAF_SPARQL_TIMEOUT": 0.3})
    yield app
    wait_for_abandoned_workers()
    store.close()


def test_a_runaway_catalogue_query_is_stopped_while_the_server_answers_others(runaway_app):
    with served(runaway_app, threads=6) as url, httpx.Client(base_url=url, timeout=30) as http:
        answers: dict[str, httpx.Response] = {}
        runaway = threading.Thread(target=lambda: answers.setdefault(
            "runaway", http.get("/queries/runaway.json")))
        started = time.monotonic()
        runaway.start()
        time.sleep(0.1)
        # While the runaway query is being given up on, pages and /sparql keep answering.
        quick = [http.get("/queries/many.json"), http.get("/sparql", params={"query": "ASK { ?s ?p 7 }"}),
                 http.get("/queries")]
        assert [r.status_code for r in quick] == [200, 200, 200]
        assert quick[1].json()["boolean"] is True
        runaway.join()
        assert time.monotonic() - started < 5
        stopped = answers["runaway"]
        assert stopped.status_code >= 500
        assert "Traceback" not in stopped.text and "QueryTimeoutError" not in stopped.text


def test_a_runaway_catalogue_query_is_reported_as_a_time_limit(runaway_app):
    with served(runaway_app) as url:
        answer = httpx.get(f"{url}/queries/runaway.json?lang=en", timeout=30)
    assert answer.status_code == 503
    assert "0.3 seconds" in answer.text


def test_a_runaway_sparql_query_and_a_runaway_page_at_once(runaway_app):
    with served(runaway_app, threads=6) as url, httpx.Client(base_url=url, timeout=30) as http:
        results: list[httpx.Response] = []
        slow = [threading.Thread(target=lambda: results.append(http.get("/sparql", params={"query": SILENT}))),
                threading.Thread(target=lambda: results.append(http.get("/queries/runaway.json")))]
        for thread in slow:
            thread.start()
        time.sleep(0.1)
        assert http.get("/", params={"lang": "en"}).status_code == 200
        for thread in slow:
            thread.join()
        statuses = sorted(r.status_code for r in results)
        assert statuses[0] >= 500 and 503 in statuses  # /sparql says 503 with Retry-After


def test_the_row_limit_cuts_a_catalogue_page_and_says_so(runaway_app):
    with served(runaway_app) as url, httpx.Client(base_url=url, timeout=30) as http:
        page = http.get("/queries/many.json").json()
        html = http.get("/queries/many", params={"lang": "en", "run": "1"}).text
    assert len(page["result"]["rows"]) == 25 and page["result"]["truncated"] is True
    assert "The result was cut" in html


def test_the_sparql_row_limit_is_a_separate_setting(runaway_app):
    runaway_app.config["REGELGRAF_SPARQL_ROW_LIMIT"] = 7
    with served(runaway_app) as url:
        answer = httpx.get(f"{url}/sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o }"}, timeout=30)
    assert len(answer.json()["results"]["bindings"]) == 7
    assert answer.headers["X-Regelgraf-Truncated"]


def test_pyoxigraph_itself_has_no_timeout():
    """Why the worker exists: pyoxigraph's query() takes no time limit (if it ever does, use it)."""
    with pytest.raises(TypeError):
        ox.Store().query("ASK {}", timeout=1)  # type: ignore[call-arg]
