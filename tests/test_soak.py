"""A bounded soak test on loopback: `regelgraf serve` over the shipped data, as `make run` starts it,
answers concurrent clients reading pages, JSON twins, catalogue queries, the impact view and
/sparql for a fixed time with no error, while the server process's memory stays within a bound.
Latency (p50/p95) is printed, not asserted: machines differ too much for a time target.

REGELGRAF_SOAK_SECONDS sets the duration (default 20).
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import httpx
import pytest

from conftest import free_port
from graph.queries import Catalogue

SECONDS = float(os.environ.get("REGELGRAF_SOAK_SECONDS", "20"))
CLIENTS = 6
WARM_UP = 0.25  # share of the run before the memory baseline is taken: caches fill first
GROWTH_LIMIT_MB = 25  # RSS growth allowed after the warm-up: ~1000 requests, so a leak above ~25 kB each fails
BASE = "https://regelgraf.dk/id/"
PREFIXES = "PREFIX rg: <https://regelgraf.dk/def#> PREFIX eli: <http://data.europa.eu/eli/ontology#> "

pytestmark = pytest.mark.slow


@dataclass
class Request:
    """One kind of request the clients choose from."""

    kind: str  # "page" or "sparql", for the latency report
    method: str
    url: str
    expect: int = 200
    data: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Server:
    """The serving process and its address."""

    process: subprocess.Popen
    url: str

    def rss_mb(self) -> float:
        """Resident memory of the server process, from /proc."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS for the server process")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`regelgraf --store <tmp> serve --build-if-empty` on a free loopback port."""
    if not Path("/proc/self/status").exists():
        pytest.skip("the soak test reads the server's memory from /proc (Linux only)")
    where = tmp_path_factory.mktemp("soak")
    port = free_port()
    log = (where / "serve.log").open("w+b")
    env = {**os.environ, "REGELGRAF_QUERY_TIMEOUT": "30"}
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "--store", str(where / "store"), "serve", "--port", str(port), "--build-if-empty"],
        stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            log.seek(0)
            pytest.fail(f"the server did not start:\n{log.read().decode(errors='replace')[-3000:]}")
        yield Server(process, url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def sparql_rows(url: str, query: str) -> list[dict[str, str]]:
    answer = httpx.get(url + "/sparql", params={"query": PREFIXES + query}, timeout=30)
    answer.raise_for_status()
    return [{k: v["value"] for k, v in row.items()} for row in answer.json()["results"]["bindings"]]


def page_of(iri: str) -> str:
    return "/id/" + iri.removeprefix(BASE) if iri.startswith(BASE) else "/resource?" + urlencode({"iri": iri})


def request_mix(url: str) -> list[Request]:
    """Pages of real resources of the shipped data, their JSON twins, every catalogue query with its
    example, the impact view, and /sparql in several forms and formats."""
    provisions = sparql_rows(url, "SELECT ?p ?c WHERE { ?p a rg:Provision ; rg:citation ?c } ORDER BY ?p LIMIT 400")
    chosen = random.Random(7).sample(provisions, 12)
    others = sparql_rows(url, "SELECT ?s WHERE { { ?s a rg:WelfareAgreement } UNION { ?s a rg:Municipality } "
                              "UNION { ?s a rg:LawWork } UNION { ?s a rg:ExemptionDecision } } ORDER BY ?s")
    assert len(chosen) == 12 and len(others) >= 20, "the shipped data should have been built"
    pages = ["/", "/?lang=en", "/search?q=" + quote("madservice"), "/search?q=" + quote("§ 83"), "/queries",
             "/editor", "/impact"]
    pages += [page_of(row["p"]) for row in chosen] + [page_of(row["s"]) for row in others[::2]]
    pages += [f"/impact?{urlencode({'target': row['c']})}" for row in chosen[:4]]
    requests = [Request("page", "GET", path) for path in pages]
    requests += [Request("page", "GET", path + ("&" if "?" in path else "?") + "format=json") for path in pages[8:14]]
    for query in Catalogue.load():
        requests.append(Request("page", "GET", f"/queries/{query.name}?{urlencode({**query.example, 'run': '1'})}"))
        requests.append(Request("page", "GET", f"/queries/{query.name}.json?{urlencode(query.example)}"))
    select = PREFIXES + "SELECT ?p ?c WHERE { ?p a rg:Provision ; rg:citation ?c } LIMIT 50"
    construct = PREFIXES + "CONSTRUCT { ?a rg:municipality ?m } WHERE { ?a a rg:WelfareAgreement ; rg:municipality ?m }"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    requests += [
        Request("sparql", "GET", "/sparql?" + urlencode({"query": select})),
        Request("sparql", "GET", "/sparql?" + urlencode({"query": count}), headers={"Accept": "text/csv"}),
        Request("sparql", "GET", "/sparql?" + urlencode({"query": construct}), headers={"Accept": "text/turtle"}),
        Request("sparql", "POST", "/sparql", data={"query": select},
                headers={"Accept": "application/sparql-results+xml"}),
        Request("sparql", "GET", "/sparql?" + urlencode({"query": PREFIXES + "ASK { ?s a rg:ExemptionDecision }"})),
        Request("sparql", "GET", "/sparql?" + urlencode({"query": "SELECT * WHERE { ?s ?p }"}), expect=400),
        Request("sparql", "GET", "/sparql"),  # the service description
    ]
    return requests


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"page": [], "sparql": []})
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(url: str, mix: list[Request], until: float, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    with httpx.Client(base_url=url, timeout=60) as http:
        while time.monotonic() < until:
            request = rng.choice(mix)
            started = time.perf_counter()
            try:
                answer = http.request(request.method, request.url, data=request.data, headers=request.headers)
                status, body = answer.status_code, answer.text
            except httpx.HTTPError as error:
                status, body = -1, repr(error)
            elapsed = time.perf_counter() - started
            with tally.lock:
                tally.latencies[request.kind].append(elapsed)
                if status != request.expect or "Traceback" in body:
                    tally.errors.append(f"{request.method} {request.url} → {status}: {body[:200]}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def test_concurrent_clients_get_no_errors_and_memory_stays_bounded(server):
    mix = request_mix(server.url)
    for request in mix:  # every request works once on its own before the load starts
        answer = httpx.request(request.method, server.url + request.url, data=request.data,
                               headers=request.headers, timeout=60)
        assert answer.status_code == request.expect, f"{request.url}: {answer.status_code} {answer.text[:300]}"
    tally, samples = Tally(), []
    started = time.monotonic()
    until = started + SECONDS
    clients = [threading.Thread(target=client, args=(server.url, mix, until, seed, tally)) for seed in range(CLIENTS)]
    for thread in clients:
        thread.start()
    while time.monotonic() < until:
        samples.append((time.monotonic() - started, server.rss_mb()))
        time.sleep(0.5)
    for thread in clients:
        thread.join()
    samples.append((time.monotonic() - started, server.rss_mb()))

    after_warm_up = [rss for at, rss in samples if at >= WARM_UP * SECONDS]
    baseline, final, peak = after_warm_up[0], statistics.median(after_warm_up[-3:]), max(after_warm_up)
    total = sum(len(v) for v in tally.latencies.values())
    print(f"\nsoak: {total} requests in {SECONDS:g} s from {CLIENTS} clients ({total / SECONDS:.0f}/s), "
          f"{len(tally.errors)} errors")
    for kind, values in tally.latencies.items():
        print(f"  {kind:>6}: {len(values)} requests, p50 {percentile(values, 0.5) * 1000:.0f} ms, "
              f"p95 {percentile(values, 0.95) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms")
    print(f"  server RSS: {samples[0][1]:.0f} MB at start, {baseline:.0f} MB after warm-up, peak {peak:.0f} MB, "
          f"{final:.0f} MB at the end (limit: +{GROWTH_LIMIT_MB} MB)")
    assert tally.errors == []
    assert total >= 10 * CLIENTS, "the clients should have made many requests"
    assert all(len(values) > 0 for values in tally.latencies.values())
    assert final - baseline <= GROWTH_LIMIT_MB, f"RSS grew from {baseline:.0f} to {final:.0f} MB after the warm-up"
    assert server.process.poll() is None, "the server stopped"
