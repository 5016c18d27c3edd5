"""Benchmark steps, each run in its own process by the runner: ``python -m bench.steps STEP …``.

Every step prints one JSON object on its last line: its figures and its own peak RSS.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import latencies, median, peak_rss_mb, percentile, timed

SHIPPED_CACHE = Path("/tmp/regelgraf-bench-shipped.nq")


def _emit(figures: dict[str, Any]) -> None:
    print(json.dumps({**figures, "peak_rss_mb": round(peak_rss_mb(), 1)}))


def shipped(args: argparse.Namespace) -> None:
    """The shipped data and ontology, compiled once, as N-Quads (the corpus is loaded beside them)."""
    from graph.authoring import compile_sources
    from graph.loading import ontology_graphs
    from graph.settings import DATA_DIR
    from graph.store import open_store

    seconds, graphs = timed(lambda: {**ontology_graphs(), **compile_sources([DATA_DIR])})
    store = open_store("oxigraph")
    store.replace_graphs(graphs)
    Path(args.output).write_bytes(store.dump("nquads"))
    _emit({"seconds": seconds, "graphs": len(graphs), "triples": store.count()})


def build_store(args: argparse.Namespace) -> None:
    """Bulk-load N-Quads files into a new on-disk Oxigraph store, as the importer's SwapTarget does."""
    import pyoxigraph as ox

    Path(args.store).mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    store = ox.Store(args.store)
    for path in args.nquads:
        store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - start
    _emit({"seconds": seconds, "triples": len(store)})


def validate(args: argparse.Namespace) -> None:
    """Full validation of a built store by regelgraf: ``engine`` pyshacl (graph.validation) or sparql."""
    from graph.store import open_store

    store = open_store("oxigraph", location=args.store)
    if args.engine == "pyshacl":
        from rdflib import Dataset

        from graph.loading import existing_graphs
        from graph.validation import validate as shacl_validate

        def run():  # type: ignore[no-untyped-def]
            dataset = Dataset()
            for name, content in existing_graphs(store, excluding=set()).items():
                dataset.graph(name).__iadd__(content)
            return shacl_validate(dataset)
    else:
        from graph.conformance import validate_store

        def run():  # type: ignore[no-untyped-def]
            return validate_store(store)
    times = []
    report = None
    for _ in range(args.runs):
        seconds, report = timed(run)
        times.append(seconds)
    counts = report.counts() if report is not None else {}
    _emit({"seconds": median(times), "times": times, "conforms": report.conforms if report else None,
           "counts": counts})


def revalidate(args: argparse.Namespace) -> None:
    """One document changes (its title): load it back through regelgraf's validating write."""
    from rdflib import Literal

    from graph.loading import load_graphs
    from graph.namespaces import ELI
    from graph.store import open_store
    from rdflib import URIRef

    store = open_store("oxigraph", location=args.store)
    name = URIRef(args.graph)
    times = []
    for run in range(args.runs):
        graph = store.get_graph(name)
        for document in list(graph.subjects(ELI.type_document, None)):
            graph.set((document, ELI.title, Literal(f"Ændret titel {run}", lang="da")))
        if args.engine == "pyshacl":
            seconds, _ = timed(lambda: load_graphs(store, {name: graph}))
        else:
            from graph.conformance import load_checked

            seconds, _ = timed(lambda: load_checked(store, {name: graph}))
        times.append(seconds)
    _emit({"seconds": median(times), "times": times, "graph_triples": len(graph)})


def choose_targets(args: argparse.Namespace) -> None:
    """Typical, 90th-percentile and hub targets: provisions ranked by how many depend on them."""
    from rdflib import URIRef

    from graph.impact import impact
    from graph.namespaces import PREFIXES
    from graph.store import open_store

    store = open_store("oxigraph", location=args.store, read_only=True)
    prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    provisions = [str(r[0]) for r in store.query(prefixes + "SELECT ?p WHERE { ?p a rg:Provision }",
                                                  limit=10**9).rows]
    rng = random.Random(8)
    sample = rng.sample(provisions, min(args.sample, len(provisions)))
    cited = store.query(prefixes + """SELECT ?p (COUNT(?s) AS ?n) WHERE { ?s eli:cites ?p }
        GROUP BY ?p ORDER BY DESC(?n) LIMIT 5""").rows
    candidates = sample + [str(r[0]) for r in cited if str(r[0]) not in sample]
    counts = {}
    # The most cited first (the hub candidates), then the sample until the time budget is spent:
    # where most provisions reach a giant component, each count takes seconds.
    stop = time.perf_counter() + args.budget
    for iri in [c for c in candidates if c not in sample] + sample:
        if iri in sample and counts and time.perf_counter() > stop:
            break
        counts[iri] = len(impact(store, iri).nodes) - 1
    sample = [i for i in sample if i in counts]
    candidates = [c for c in candidates if c in counts]
    ranked = sorted(counts[i] for i in sample)
    def near(value: float, n: int) -> list[str]:
        return sorted(sample, key=lambda i: (abs(counts[i] - value), i))[:n]
    typical = near(percentile(ranked, 50), args.per_class)
    p90 = near(percentile(ranked, 90), args.per_class)
    hub = max(candidates, key=lambda i: counts[i])
    # A document graph to change for the re-validation row: the one describing a typical target.
    graph = store.query("SELECT ?g WHERE { GRAPH ?g { ?p ?x ?y } } LIMIT 1", bindings={"p": URIRef(typical[0])}).rows
    _emit({"typical": typical, "p90": p90, "hub": [hub], "graph": str(graph[0][0]) if graph else None,
           "sampled": len(sample),
           "dependents": {"typical": median([counts[i] for i in typical]),
                          "p90": median([counts[i] for i in p90]), "hub": counts[hub]}})


def impact_library(args: argparse.Namespace) -> None:
    """regelgraf's impact(): p50/p95 per target class, with the index built once beforehand."""
    from graph.impact import impact
    from graph.store import open_store

    # Opened as `regelgraf serve` opens it (writable, so it counts its writes); --read-only
    # measures a store without a generation counter, where every call asks the store's state.
    if args.endpoint:
        store = open_store(endpoint=args.endpoint)
    else:
        store = open_store("oxigraph", location=args.store, read_only=args.read_only)
    targets = json.loads(Path(args.targets).read_text())
    build, _ = timed(lambda: impact(store, targets["typical"][0]))
    out: dict[str, Any] = {"first_call_seconds": build}
    for kind in ("typical", "p90", "hub"):
        times: list[float] = []
        # Large answers take seconds each: fewer repetitions, still several samples per class.
        runs = {"typical": args.runs, "p90": max(2, args.runs // 5), "hub": 3}[kind]
        for iri in targets[kind]:
            times += latencies(lambda: impact(store, iri), runs)
        out[kind] = {"p50": percentile(times, 50), "p95": percentile(times, 95), "n": len(times)}
    _emit(out)


def naive(args: argparse.Namespace) -> None:
    """The naive design end to end in one process: load, pySHACL, change one document, impact."""
    from rdflib import Literal, URIRef

    from bench import naive as baseline
    from graph.namespaces import ELI

    out: dict[str, Any] = {}
    out["load_seconds"], graph = timed(lambda: baseline.load([Path(p) for p in args.nquads]))
    out["triples"] = len(graph)
    out["load_peak_rss_mb"] = peak_rss_mb()
    if not args.skip_validation:
        conforms, results, out["validate_seconds"] = baseline.validate(graph)
        out["validate_results"] = results
        # One document changes: swap its title, then validate everything again.
        document = URIRef(args.document)
        graph.set((document, ELI.title, Literal("Ændret titel", lang="da")))
        _, _, out["revalidate_seconds"] = baseline.validate(graph)
    if args.targets:
        targets = json.loads(Path(args.targets).read_text())
        for kind in ("typical", "p90", "hub"):
            times: list[float] = []
            budget = time.perf_counter() + args.impact_budget
            for iri in targets[kind]:
                for _ in range(args.runs if kind != "hub" else 3):
                    if times and time.perf_counter() > budget:
                        break
                    times += latencies(lambda: baseline.impact(graph, iri), 1)
            out[kind] = {"p50": percentile(times, 50), "p95": percentile(times, 95), "n": len(times),
                         "dependents": baseline.impact(graph, targets[kind][0])}
    _emit(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.steps")
    sub = parser.add_subparsers(dest="step", required=True)
    p = sub.add_parser("shipped")
    p.add_argument("--output", default=str(SHIPPED_CACHE))
    p = sub.add_parser("build-store")
    p.add_argument("--store", required=True)
    p.add_argument("nquads", nargs="+")
    p = sub.add_parser("validate")
    p.add_argument("--store", required=True)
    p.add_argument("--engine", choices=("pyshacl", "sparql"), default="sparql")
    p.add_argument("--runs", type=int, default=1)
    p = sub.add_parser("revalidate")
    p.add_argument("--store", required=True)
    p.add_argument("--graph", required=True)
    p.add_argument("--engine", choices=("pyshacl", "sparql"), default="sparql")
    p.add_argument("--runs", type=int, default=3)
    p = sub.add_parser("choose-targets")
    p.add_argument("--store", required=True)
    p.add_argument("--sample", type=int, default=300)
    p.add_argument("--per-class", type=int, default=10)
    p.add_argument("--budget", type=float, default=150.0, help="seconds for counting the sample's dependents")
    p = sub.add_parser("impact")
    p.add_argument("--store")
    p.add_argument("--endpoint")
    p.add_argument("--read-only", action="store_true")
    p.add_argument("--targets", required=True)
    p.add_argument("--runs", type=int, default=20)
    p = sub.add_parser("naive")
    p.add_argument("--document", required=True)
    p.add_argument("--targets")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--impact-budget", type=float, default=60.0)
    p.add_argument("--skip-validation", action="store_true")
    p.add_argument("nquads", nargs="+")
    args = parser.parse_args(argv)
    {"shipped": shipped, "build-store": build_store, "validate": validate, "revalidate": revalidate,
     "choose-targets": choose_targets, "impact": impact_library, "naive": naive}[args.step](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
