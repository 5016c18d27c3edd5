"""The benchmark suite: every row of issue 8, regelgraf beside the naive baseline, as a table and JSON.

    .venv/bin/python -m bench                      # the default suite (make bench)
    .venv/bin/python -m bench --quick              # a smoke run on a tiny synthetic corpus
    .venv/bin/python -m bench --sizes 0.02,0.05,0.1,0.3 --naive-sizes 0.02,0.05 --runs 3

Ratios are naive ÷ regelgraf, both measured in this run on the same data. The naive baseline
cannot hold the real corpus within this machine's time budget (pySHACL needs about a second per
thousand triples here), so it runs on the synthetic sizes in ``--naive-sizes``; the table names
the size each ratio was measured at. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import loopback as http
from bench.generator import SyntheticCorpus, generate
from bench.measure import PYTHON, ROOT, machine, median, percentile, run_command, run_step
from bench.table import Row, fit_exponent, render, rows_from
from bench.steps import SHIPPED_CACHE

WORK = Path(os.environ.get("REGELGRAF_BENCH_DIR", "/tmp/regelgraf-bench"))
RESULTS = ROOT / "bench" / "results"
ARCHIVE = ROOT.parent / "shared" / "corpus" / "lexdania-lta-2010-2017.tar.xz"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def synthetic(scale: float, seed: int = 8) -> tuple[Path, dict[str, Any]]:
    """The synthetic corpus at a scale, generated once and kept in the work directory."""
    path = WORK / f"synthetic-{scale:g}x-{seed}.nq"
    meta = path.with_suffix(".json")
    if not path.exists() or not meta.exists():
        corpus = SyntheticCorpus()
        with path.open("w", encoding="utf-8") as out:
            for _, text in generate(scale, seed=seed, corpus=corpus):
                out.write(text)
        meta.write_text(json.dumps({"documents": corpus.documents, "triples": corpus.triples, "hub": corpus.hub,
                                    "graph": corpus.graphs[len(corpus.graphs) // 2]}))
    return path, json.loads(meta.read_text())


def fresh(path: Path) -> str:
    shutil.rmtree(path, ignore_errors=True)
    return str(path)


def importer_present() -> bool:
    done = subprocess.run([http.REGELGRAF, "import", "--help"], capture_output=True, text=True, cwd=ROOT)
    return done.returncode == 0


def import_real(archive: Path, runs: int) -> dict[str, Any]:
    """Row 1: ``regelgraf import`` of the whole archive into a new store, in a subprocess per run."""
    times, peaks, cpu, last = [], [], [], None
    for run in range(runs):
        store = fresh(WORK / "real-store")
        done = run_command([http.REGELGRAF, "--store", store, "import", str(archive)], timeout=3600)
        if done["returncode"] != 0:
            return {"error": done["output"][-2000:]}
        times.append(done["seconds"])
        peaks.append(done["peak_rss_mb"])
        last = store
    counted = run_step("build-store", "--store", last, str(SHIPPED_CACHE))  # shipped data beside it
    return {"seconds": median(times), "times": times, "peak_rss_mb": max(peaks), "store": last,
            "triples": counted["triples"], "documents": 2343}


def size_suite(scale: float, args: argparse.Namespace, naive: bool) -> dict[str, Any]:
    """Rows 1–3 (and 6) on one synthetic size: load, validate, re-validate, impact; naive too if asked."""
    nq, meta = synthetic(scale)
    out: dict[str, Any] = {"scale": scale, "documents": meta["documents"], "triples": meta["triples"]}
    builds = []
    for _ in range(args.runs):
        store = fresh(WORK / f"store-{scale:g}")
        builds.append(run_step("build-store", "--store", store, str(nq), str(SHIPPED_CACHE)))
    validation = run_step("validate", "--store", store, "--runs", str(args.runs))
    out["load"] = {"seconds": median([b["seconds"] for b in builds]), "times": [b["seconds"] for b in builds],
                   "peak_rss_mb": max(b["process_peak_rss_mb"] for b in builds)}
    out["import"] = {"seconds": out["load"]["seconds"] + validation["seconds"],
                     "peak_rss_mb": max(out["load"]["peak_rss_mb"], validation["process_peak_rss_mb"])}
    out["validate"] = validation
    out["revalidate"] = run_step("revalidate", "--store", store, "--graph", meta["graph"], "--runs", str(args.runs))
    targets = WORK / f"targets-{scale:g}.json"
    chosen = run_step("choose-targets", "--store", store, "--sample", str(args.sample), "--per-class",
                      str(args.per_class))
    targets.write_text(json.dumps(chosen))
    out["targets"] = chosen
    out["impact"] = run_step("impact", "--store", store, "--targets", str(targets), "--runs", str(args.impact_runs))
    out["store"] = store
    out["targets_file"] = str(targets)
    out["nquads"] = str(nq)
    document = meta["graph"].replace("https://regelgraf.dk/id/graph/", "https://www.retsinformation.dk/eli/")
    if naive:
        log(f"naive baseline at {scale:g}×")
        out["naive"] = run_step("naive", "--document", document, "--targets", str(targets), "--runs",
                                str(args.impact_runs), str(nq), str(SHIPPED_CACHE), timeout=args.naive_timeout)
    return out


def http_suite(store: str, targets: dict[str, Any], args: argparse.Namespace, *, nquads: list[str] | None = None,
               endpoint: str | None = None) -> dict[str, Any]:
    """Rows 3 (over HTTP), 4 and 5: regelgraf serve on a store or endpoint; the naive server on ``nquads``."""
    out: dict[str, Any] = {}
    typical = targets["typical"][0]
    mix = [f"/impact.json?target={t}" for t in targets["typical"][:3]] + [
        http.sparql_path(f"SELECT ?c ?p WHERE {{ <{typical}> <https://regelgraf.dk/def#citation> ?c ; "
                         "<http://data.europa.eu/eli/ontology#is_part_of> ?p }"),
        http.sparql_path(f"SELECT ?s WHERE {{ ?s <http://data.europa.eu/eli/ontology#cites> <{typical}> }} LIMIT 100"),
        http.sparql_path(f"SELECT (COUNT(?x) AS ?n) WHERE {{ ?x <http://data.europa.eu/eli/ontology#is_part_of> <{typical}> }}"),
    ]
    starts = []
    for run in range(args.runs):
        port = http.free_port()
        command = http.regelgraf_command(port, store=None if endpoint else store, endpoint=endpoint)
        with http.serving(command, port) as server:
            starts.append(server.ready_seconds)
            if run < args.runs - 1:
                continue
            # The server builds its impact index in the background as it starts; the first
            # question waits for it. Measured on its own, then the steady state below.
            first, _ = http.latencies_of(server.url, [f"/impact.json?target={typical}"], 1)
            out["first_impact_seconds"] = first[0] if first else None
            out["pages"] = {}
            for name, path in _page_paths(typical):
                times, errors = http.latencies_of(server.url, [path], 5)
                out["pages"][name] = {"path": path, "p50": percentile(times, 50), "p95": percentile(times, 95),
                                      "errors": errors}
            for kind in ("typical", "p90", "hub"):
                paths = [f"/impact.json?target={t}" for t in targets[kind]]
                times, errors = http.latencies_of(server.url, paths, 1 if kind == "hub" else max(2, args.impact_runs // 5))
                out[f"impact_{kind}"] = {"p50": percentile(times, 50), "p95": percentile(times, 95), "errors": errors}
            out["load"] = {str(n): http.run_clients(server.url, mix, n, args.http_seconds).summary() for n in (1, 4, 16)}
    out["ready_seconds"] = median(starts)
    out["ready_times"] = starts
    if nquads:
        naive_mix = [http.sparql_path(_naive_impact(t)) for t in targets["typical"][:3]] + mix[3:]
        port = http.free_port()
        with http.serving(http.naive_command(port, nquads), port, timeout=args.naive_timeout) as server:
            out["naive_ready_seconds"] = server.ready_seconds
            out["naive_load"] = {str(n): http.run_clients(server.url, naive_mix, n, args.http_seconds).summary()
                                 for n in (1, 4, 16)}
    return out


def _page_paths(provision: str) -> list[tuple[str, str]]:
    """Pages a reader opens first: the front page, the target's law and provision, a search."""
    from urllib.parse import quote, urlsplit

    path = urlsplit(provision).path  # /id/work/<law>/par_…: our IRIs dereference under /id/
    law = "/".join(path.split("/")[:4])
    return [("front page", "/"), ("law page", law), ("provision page", path),
            ("free-text search", "/search?q=" + quote("kommunalbestyrelsen"))]


def _naive_impact(target: str) -> str:
    from bench.naive import NAIVE_IMPACT

    return NAIVE_IMPACT.replace("?target", f"<{target}>")


def remote_suite(store: str, targets_file: str, targets: dict[str, Any], args: argparse.Namespace) -> dict[str, Any]:
    """Row 7: the same store behind ``oxigraph serve`` on loopback; impact and HTTP through it."""
    copy = fresh(WORK / "remote-store")
    shutil.copytree(store, copy)
    port = http.free_port()
    command = [str(Path(PYTHON).with_name("oxigraph")), "serve", "--location", copy, "--bind", f"127.0.0.1:{port}"]
    out: dict[str, Any] = {}
    with http.serving(command, port, env={}) as server:
        endpoint = f"{server.url}/query"
        out["ready_seconds"] = server.ready_seconds
        out["impact"] = run_step("impact", "--endpoint", endpoint, "--targets", targets_file,
                                 "--runs", str(max(3, args.impact_runs // 4)))
        out["http"] = http_suite(store, targets, args, endpoint=endpoint)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run: a smoke test of the plumbing")
    parser.add_argument("--sizes", default="0.02,0.05,0.1", help="synthetic sizes, as multiples of the real corpus")
    parser.add_argument("--naive-sizes", default="0.02", help="sizes the naive baseline runs at")
    parser.add_argument("--runs", type=int, default=3, help="runs per timed step (the median is reported)")
    parser.add_argument("--import-runs", type=int, default=1, help="runs of the real import (minutes each)")
    parser.add_argument("--real-validate-runs", type=int, default=1,
                        help="runs of the full validation of the real corpus (minutes each)")
    parser.add_argument("--impact-runs", type=int, default=20)
    parser.add_argument("--sample", type=int, default=40, help="provisions sampled to rank impact targets")
    parser.add_argument("--per-class", type=int, default=5, help="targets per class (typical, 90th percentile)")
    parser.add_argument("--http-seconds", type=float, default=10.0)
    parser.add_argument("--naive-timeout", type=float, default=3600.0)
    parser.add_argument("--corpus", type=Path, default=ARCHIVE, help="the real corpus archive")
    parser.add_argument("--no-real", action="store_true", help="skip the real corpus (row 1 and the real store)")
    parser.add_argument("--no-remote", action="store_true")
    parser.add_argument("--output", type=Path, help="JSON file (default bench/results/bench-<time>.json)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.naive_sizes, args.runs, args.impact_runs = "0.004,0.008", "0.004", 1, 3
        args.sample, args.http_seconds, args.no_real, args.per_class = 12, 1.0, True, 2
    sizes = [float(s) for s in args.sizes.split(",") if s]
    naive_sizes = {float(s) for s in args.naive_sizes.split(",") if s}
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {"machine": machine(), "load_average_start": os.getloadavg(), "options": {
        k: str(v) for k, v in vars(args).items()}, "started": time.strftime("%Y-%m-%dT%H:%M:%S")}
    began = time.time()
    output = args.output or RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"

    def save() -> None:  # after every phase, so a stopped run keeps what it measured
        output.write_text(json.dumps(report, indent=1, default=str))

    log("shipped data")
    run_step("shipped", "--output", str(SHIPPED_CACHE))
    if args.no_real:
        report["real"] = {"skipped": "--no-real"}
    elif not importer_present():
        report["real"] = {"missing": "regelgraf import is not available"}
    else:
        log("import of the real corpus")
        report["real"] = import_real(args.corpus, args.import_runs)
    save()
    report["sizes"] = []
    for scale in sizes:
        log(f"synthetic corpus at {scale:g}×")
        report["sizes"].append(size_suite(scale, args, naive=scale in naive_sizes))
        save()
    main_store, main_label = _main_store(report)
    log(f"targets and HTTP on {main_label}")
    if "store" in report.get("real", {}) and "error" not in report["real"]:
        chosen = run_step("choose-targets", "--store", main_store, "--sample", str(args.sample), "--per-class",
                          str(args.per_class))
        targets_file = WORK / "targets-real.json"
        targets_file.write_text(json.dumps(chosen))
        report["real"]["targets"] = chosen
        # One full validation of the real corpus takes minutes here; --real-validate-runs repeats it.
        report["real"]["validate"] = run_step("validate", "--store", main_store, "--runs",
                                              str(args.real_validate_runs))
        if chosen.get("graph"):
            report["real"]["revalidate"] = run_step("revalidate", "--store", main_store, "--graph", chosen["graph"],
                                                    "--runs", str(args.runs))
        report["real"]["impact"] = run_step("impact", "--store", main_store, "--targets", str(targets_file),
                                            "--runs", str(args.impact_runs))
        main_targets = chosen
        save()
    else:
        biggest = report["sizes"][-1]
        targets_file, main_targets = Path(biggest["targets_file"]), biggest["targets"]
    report["http"] = http_suite(main_store, main_targets, args)
    save()
    compared = [s for s in report["sizes"] if "naive" in s]
    if compared:
        at = compared[-1]
        log(f"HTTP ratios at {at['scale']:g}×")
        report["http_compared"] = {"scale": at["scale"], **http_suite(at["store"], at["targets"], args,
                                                                    nquads=[at["nquads"], str(SHIPPED_CACHE)])}
    if not args.no_remote:
        log("remote backend (oxigraph serve)")
        report["remote"] = remote_suite(main_store, str(targets_file), main_targets, args)
    report["main"] = main_label
    report["growth"] = {key: fit_exponent([(s["triples"], _figure(s, key)) for s in report["sizes"]])
                        for key in ("import", "validate", "impact_hub", "import_rss")}
    report["load_average_end"] = os.getloadavg()
    report["took_minutes"] = round((time.time() - began) / 60, 1)
    rows = rows_from(report)
    report["rows"] = [row.__dict__ for row in rows]
    save()
    print(render(rows, report))
    print(f"\nJSON: {output}")
    return 0


def _main_store(report: dict[str, Any]) -> tuple[str, str]:
    real = report.get("real", {})
    if "store" in real and "error" not in real:
        return real["store"], "the real corpus"
    biggest = report["sizes"][-1]
    return biggest["store"], f"the synthetic corpus at {biggest['scale']:g}×"


def _figure(size: dict[str, Any], key: str) -> float:
    if key == "import":
        return size["import"]["seconds"]
    if key == "import_rss":
        return size["import"]["peak_rss_mb"]
    if key == "validate":
        return size["validate"]["seconds"]
    return size["impact"]["hub"]["p95"]


if __name__ == "__main__":
    sys.exit(main())
