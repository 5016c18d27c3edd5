"""The benchmark's parts on tiny data: generator, statistics, steps, clients and table (no timing asserts)."""

from __future__ import annotations

import json
import sys
import threading
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loopback, naive  # noqa: E402
from bench.generator import HUB_CITE_SHARE, Profile, SyntheticCorpus, generate  # noqa: E402
from bench.measure import percentile, run_command, run_step  # noqa: E402
from bench.naive_server import app_for  # noqa: E402
from bench.table import Row, fit_exponent, render, rows_from  # noqa: E402

TINY = 0.003


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> tuple[Path, SyntheticCorpus]:  # type: ignore[no-untyped-def]
    corpus = SyntheticCorpus()
    path = tmp_path_factory.mktemp("bench") / "tiny.nq"
    path.write_text("".join(text for _, text in generate(TINY, corpus=corpus)), encoding="utf-8")
    return path, corpus


def test_the_generator_is_deterministic_and_scales() -> None:
    first = [text for _, text in generate(TINY, seed=3)]
    assert first == [text for _, text in generate(TINY, seed=3)]
    assert first != [text for _, text in generate(TINY, seed=4)]
    small, larger = SyntheticCorpus(), SyntheticCorpus()
    list(generate(0.002, corpus=small))
    list(generate(0.006, corpus=larger))
    profile = Profile.load()
    assert small.documents == round(profile.documents * 0.002)
    assert larger.documents == round(profile.documents * 0.006)
    assert 1.5 < larger.triples / small.triples < 6


def test_the_generated_corpus_is_one_graph_per_document_and_valid(tiny) -> None:  # type: ignore[no-untyped-def]
    from rdflib import Dataset

    from graph.validation import validate

    path, corpus = tiny
    dataset = Dataset()
    dataset.parse(path, format="nquads")
    names = {g.identifier for g in dataset.graphs() if len(g)}
    assert set(map(URIRef, corpus.graphs)) <= names
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == corpus.triples
    report = validate(dataset)
    assert report.conforms, report.to_text("en")[:2000]
    cited = sum(1 for _ in dataset.quads((None, URIRef("http://data.europa.eu/eli/ontology#cites"),
                                           URIRef(corpus.hub), None)))
    assert cited > 0 and corpus.cites > cited
    assert HUB_CITE_SHARE < 1


def test_statistics() -> None:
    assert percentile([1, 2, 3, 4, 5], 50) == 3
    assert percentile([1, 2, 3, 4, 5], 95) == pytest.approx(4.8)
    assert fit_exponent([(1, 2), (10, 20), (100, 200)]) == pytest.approx(1.0)
    assert fit_exponent([(1, 1), (10, 100)]) == pytest.approx(2.0)
    assert fit_exponent([(1, 5)]) is None


def test_run_command_reports_time_exit_and_memory() -> None:
    done = run_command([sys.executable, "-c", "x = bytearray(50_000_000); print('done')"])
    assert done["returncode"] == 0 and "done" in done["output"]
    assert done["peak_rss_mb"] >= 50 and done["seconds"] > 0


def test_steps_build_validate_and_pick_targets(tiny, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path, corpus = tiny
    store = str(tmp_path / "store")
    built = run_step("build-store", "--store", store, str(path))
    assert built["triples"] == corpus.triples
    checked = run_step("validate", "--store", store)
    assert checked["conforms"] is True and checked["counts"]["Violation"] == 0
    chosen = run_step("choose-targets", "--store", store, "--sample", "8", "--per-class", "2")
    assert len(chosen["typical"]) == 2 and chosen["hub"]
    assert chosen["dependents"]["hub"] >= chosen["dependents"]["typical"]
    targets = tmp_path / "targets.json"
    targets.write_text(json.dumps(chosen))
    measured = run_step("impact", "--store", store, "--targets", str(targets), "--runs", "2")
    assert {"typical", "p90", "hub"} <= set(measured) and measured["typical"]["n"] == 4


def test_the_naive_impact_query_finds_transitive_dependants() -> None:
    graph = Graph()
    cites = URIRef("http://data.europa.eu/eli/ontology#cites")
    a, b, c = (URIRef(f"https://regelgraf.dk/id/test/{n}") for n in "abc")
    graph.add((b, cites, a))
    graph.add((c, cites, b))
    assert sorted(naive.impact_query(graph, str(a))) == [str(b), str(c)]


def test_clients_count_answers_and_errors() -> None:
    from waitress.server import create_server

    graph = Graph()
    graph.add((URIRef("https://regelgraf.dk/id/test/x"), RDFS.label, Literal("x")))
    server = create_server(app_for(graph), host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.effective_port}"
        good = loopback.sparql_path("SELECT ?s WHERE { ?s ?p ?o }")
        load = loopback.run_clients(base, [good, "/nowhere"], clients=2, seconds=0.5)
        summary = load.summary()
        assert summary["requests"] > 0 and summary["errors"] > 0
        assert summary["error_samples"][0].startswith("404")
        times, errors = loopback.latencies_of(base, [good], runs=2)
        assert len(times) == 2 and errors == 0
    finally:
        server.close()


def test_the_table_has_every_row_and_says_what_was_not_measured() -> None:
    step = {"p50": 0.001, "p95": 0.002, "n": 3}
    size = {"scale": 0.01, "triples": 1000, "import": {"seconds": 1.0, "peak_rss_mb": 100},
            "validate": {"seconds": 0.5}, "revalidate": {"seconds": 0.1},
            "impact": {"typical": step, "p90": step, "hub": step},
            "targets": {"dependents": {"typical": 3, "p90": 30, "hub": 300}},
            "naive": {"load_seconds": 2.0, "validate_seconds": 5.0, "revalidate_seconds": 5.0,
                      "process_peak_rss_mb": 200, "typical": step, "p90": step, "hub": step}}
    load = {"throughput_rps": 10.0, "p95_ms": 50.0, "errors": 0}
    report = {"machine": {"cpu": "test", "cores": 2, "memory_gb": 1, "python": "3", "rdflib": "7",
                          "pyshacl": "0", "pyoxigraph": "0"},
              "load_average_start": (1.0, 1.0, 1.0), "load_average_end": (1.0, 1.0, 1.0),
              "real": {"missing": "regelgraf import is not available"}, "sizes": [size], "main": "test data",
              "http": {"ready_seconds": 1.0, "load": {"1": load, "4": load, "16": load},
                       "impact_typical": step, "impact_p90": step, "impact_hub": step},
              "growth": {"import": None, "validate": 1.0, "impact_hub": 0.5, "import_rss": 0.9}}
    rows = rows_from(report)
    assert all(isinstance(row, Row) for row in rows)
    assert {row.row for row in rows} >= {"1", "2", "2r", "3", "4", "5", "6"}
    assert "not measured: regelgraf import is not available" in rows[0].regelgraf
    assert next(r for r in rows if r.row == "2").ratio.startswith("10.0×")
    text = render(rows, report)
    assert text.count("\n| ") == len(rows) + 1 and "2 cores" in text


def test_the_quick_benchmark_runs_end_to_end(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """CI's smoke run of `make bench`: every step in its own process, servers on loopback, the table."""
    import os
    import subprocess

    output = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, "-m", "bench", "--quick", "--output", str(output)],
                          cwd=Path(__file__).parent.parent, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "REGELGRAF_BENCH_DIR": str(tmp_path / "work")})
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(output.read_text())
    rows = {row["row"] for row in report["rows"]}
    assert rows >= {"1", "1s", "2", "2r", "3", "3h", "3p", "4", "5", "6", "7"}
    assert all(load["errors"] == 0 for load in report["http"]["load"].values())
    assert all(page["errors"] == 0 for page in report["http"]["pages"].values())
    assert "| 5 | cold start of regelgraf serve" in done.stdout
