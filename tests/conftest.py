"""Shared fixtures: a real `oxigraph serve` for the session, a fresh store of every backend,
and the shared reference material."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from graph.store import Store, open_store

REPO = Path(__file__).resolve().parent.parent
BACKEND_NAMES = ["oxigraph", "memory", "remote"]


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class OxigraphServer:
    """A running `oxigraph serve` on loopback, with its SPARQL and Graph Store URLs."""

    base_url: str
    location: Path
    process: subprocess.Popen

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

    def clear(self) -> None:
        """Remove every graph, so a test starts from an empty server."""
        with httpx.Client(verify=False) as client:  # plain http on loopback
            response = client.post(self.update_url, content=b"DROP ALL",
                                   headers={"Content-Type": "application/sparql-update"})
        response.raise_for_status()

    def open(self) -> Store:
        """A remote store talking to this server."""
        return open_store("remote", endpoint=self.query_url, update_endpoint=self.update_url,
                          store_endpoint=self.store_url)


def oxigraph_binary() -> str:
    """The `oxigraph` CLI of this virtualenv, else the one on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        pytest.fail("The oxigraph CLI is missing; install the test extras: "
                    "pip install -e '.[test]'")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """`oxigraph serve --location <tmp> --bind 127.0.0.1:<free port>` for the whole session."""
    location = tmp_path_factory.mktemp("oxigraph-server")
    port = free_port()
    log = (location.parent / "oxigraph-server.log").open("w+b")
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    server = OxigraphServer(f"http://127.0.0.1:{port}", location, process)
    try:
        _wait_until_ready(server, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_ready(server: OxigraphServer, log) -> None:  # noqa: ANN001
    """Poll the query endpoint until it answers; fail with the server's output if it dies."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log.seek(0)
            pytest.fail(f"oxigraph serve exited with {server.process.returncode}: "
                        f"{log.read().decode(errors='replace')}")
        try:
            answer = httpx.get(server.query_url, params={"query": "ASK {}"}, timeout=1)
            if answer.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    pytest.fail(f"oxigraph serve did not answer on {server.base_url} within 30 s")


@pytest.fixture(params=BACKEND_NAMES)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A fresh, empty store of each backend: on-disk Oxigraph, rdflib memory, remote server."""
    if request.param == "oxigraph":
        opened = open_store("oxigraph", location=tmp_path / "store")
    elif request.param == "memory":
        opened = open_store("memory")
    else:
        server = request.getfixturevalue("oxigraph_server")
        server.clear()
        opened = server.open()
    yield opened
    opened.close()


@pytest.fixture
def shared_dir() -> Path:
    """The shared reference material: $REGELGRAF_SHARED, else ../shared beside the repository."""
    path = Path(os.environ.get("REGELGRAF_SHARED") or REPO.parent / "shared")
    if not path.is_dir():
        pytest.skip(f"shared reference material not found at {path}; set REGELGRAF_SHARED")
    return path
