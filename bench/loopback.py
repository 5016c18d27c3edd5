"""Servers on loopback and the clients that measure them: cold start, latency, throughput.

``regelgraf serve`` and the naive server (bench.naive_server: rdflib behind the same waitress)
run as subprocesses on free ports; clients are threads with their own httpx connection, each
cycling through a fixed mix of requests. Every answer that is not 200 counts as an error.
"""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

from bench.measure import PYTHON, ROOT, percentile

REGELGRAF = str(Path(PYTHON).with_name("regelgraf"))
PING = "/sparql?" + urlencode({"query": "ASK { }"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A server process and its base URL; ``ready_seconds`` is spawn → first answered request."""

    process: subprocess.Popen
    url: str
    ready_seconds: float


@contextmanager
def serving(command: list[str], port: int, *, timeout: float = 600, env: dict[str, str] | None = None,
            ) -> Iterator[Server]:
    """Start a server, wait until it answers, yield it, stop it."""
    log = open(os.devnull, "w")  # noqa: SIM115 (closed below)
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        ready = _wait(process, url + PING, start + timeout) - start
        yield Server(process, url, ready)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait(process: subprocess.Popen, url: str, deadline: float) -> float:
    with httpx.Client(timeout=5) as client:
        while time.perf_counter() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode} before answering {url}")
            try:
                if client.get(url).status_code == 200:
                    return time.perf_counter()
            except httpx.TransportError:
                pass
            time.sleep(0.01)
    raise TimeoutError(f"no answer from {url} in time")


def regelgraf_command(port: int, *, store: str | None = None, endpoint: str | None = None) -> list[str]:
    """``regelgraf serve`` on a store directory or a remote endpoint."""
    where = ["--store", store] if store else ["--endpoint", endpoint or ""]
    return [REGELGRAF, *where, "serve", "--host", "127.0.0.1", "--port", str(port)]


def naive_command(port: int, nquads: list[str]) -> list[str]:
    return [PYTHON, "-m", "bench.naive_server", "--port", str(port), *nquads]


def sparql_path(query: str) -> str:
    return "/sparql?" + urlencode({"query": query})


@dataclass
class Load:
    """What a run of concurrent clients did."""

    clients: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float | int | list[str]]:
        done = len(self.latencies)
        return {"clients": self.clients, "requests": done, "errors": self.errors,
                "throughput_rps": done / self.seconds if self.seconds else 0.0,
                "p50_ms": percentile(self.latencies, 50) * 1000, "p95_ms": percentile(self.latencies, 95) * 1000,
                "error_samples": self.error_samples[:3]}


def run_clients(base: str, mix: list[str], clients: int, seconds: float) -> Load:
    """``clients`` threads, each requesting the mix in turn (from its own offset) for ``seconds``."""
    load = Load(clients, seconds)
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=120, headers={"Accept": "application/sparql-results+json, application/json"}) as http:
            i = offset
            while time.perf_counter() < stop:
                path = mix[i % len(mix)]
                i += 1
                started = time.perf_counter()
                try:
                    status = http.get(path).status_code
                    error = None if status == 200 else f"{status} {path[:120]}"
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__} {path[:120]}"
                elapsed = time.perf_counter() - started
                with lock:
                    if error:
                        load.errors += 1
                        load.error_samples.append(error)
                    else:
                        load.latencies.append(elapsed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    begun = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - begun
    return load


def latencies_of(base: str, paths: list[str], runs: int) -> tuple[list[float], int]:
    """One client asking each path ``runs`` times: latencies and the count of non-200 answers."""
    times, errors = [], 0
    with httpx.Client(base_url=base, timeout=300) as http:
        for path in paths:
            for _ in range(runs):
                started = time.perf_counter()
                status = http.get(path).status_code
                if status == 200:
                    times.append(time.perf_counter() - started)
                else:
                    errors += 1
    return times, errors
