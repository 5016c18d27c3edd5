"""The web UI served by waitress on a free loopback port, fetched over real HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from graph.rdfio import read_rdf
from graph.store import open_store
from webui import create_app, make_server

FIXTURES = Path(__file__).parent / "fixtures" / "webui"
BASE = "https://regelgraf.dk/id/"
NR_3 = "/id/work/serviceloven/par_83/stk_1/nr_3"


def fixture_app():
    store = open_store("oxigraph")
    store.replace_graphs(read_rdf(FIXTURES / "graph.trig"))
    return create_app({"REGELGRAF_STORE": store, "REGELGRAF_BASE": BASE, "REGELGRAF_QUERIES_DIR": FIXTURES / "queries"})


@pytest.fixture(scope="module")
def server_url():
    """The app under waitress in a background thread, on a port the OS chose."""
    server = make_server(fixture_app(), port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def http(server_url):
    with httpx.Client(base_url=server_url, timeout=30) as client:
        yield client


def test_front_page_over_http(http):
    response = http.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "Hvad grafen indeholder" in response.text
    assert response.headers["server"] == "regelgraf"  # waitress ident, not werkzeug
    assert http.get("/static/regelgraf.css").status_code == 200
    assert http.get("/static/favicon.svg").status_code == 200


def test_search_redirects_to_the_provision(http):
    response = http.get("/search", params={"q": "serviceloven § 83, stk. 1, nr. 3"}, follow_redirects=True)
    assert response.status_code == 200 and response.url.path == NR_3
    assert "serviceloven § 83, stk. 1, nr. 3" in response.text


def test_json_twin_and_csv_download_over_http(http):
    data = http.get(NR_3 + ".json").json()
    assert data["citation"] == "serviceloven § 83, stk. 1, nr. 3"
    csv = http.get("/queries/agreements_in_force.csv", params={"as_of": "2023-01-01"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[0] == "agreement,municipality,from,until" and len(csv.text.splitlines()) == 3


def test_language_cookie_persists_across_requests(http):
    assert "What the graph holds" in http.get("/", params={"lang": "en"}).text
    assert '<html lang="en">' in http.get(NR_3).text


def test_errors_over_http(http):
    missing = http.get("/id/work/nothing")
    assert missing.status_code == 404 and "Siden findes ikke" in missing.text
    assert http.get("/id/work/nothing.json").json()["error"]["status"] == 404
    assert http.post("/").status_code == 405


def test_concurrent_requests_are_served(http, server_url):
    paths = ["/", NR_3, "/id/work/serviceloven", "/id/kommune/0410", "/search?q=madservice", "/queries"] * 4

    def fetch(path: str) -> int:
        return httpx.get(server_url + path, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert set(pool.map(fetch, paths)) == {200}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_waitress_on_loopback():
    port = _free_port()
    script = (
        "import sys; sys.path.insert(0, {tests!r}); import test_webui_live as t; from webui import serve; "
        "serve(t.fixture_app(), port={port}, threads=2)"
    ).format(tests=str(Path(__file__).parent), port=port)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/index.json", timeout=5)
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read().decode() if process.stdout else ""
                    pytest.fail(f"serve() did not come up on port {port}: {output}")
                time.sleep(0.2)
        assert response.status_code == 200 and response.json()["counts"]["agreements"] == 2
        assert response.headers["server"] == "regelgraf"
    finally:
        process.terminate()
        process.wait(timeout=10)
