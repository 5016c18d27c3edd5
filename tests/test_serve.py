"""`regelgraf serve --build-if-empty` — what `make run` does — on a fresh store, over real HTTP."""

import socket
import subprocess
import sys
import time

import httpx
import pytest


@pytest.fixture
def free_loopback_port():
    """A free loopback port for the server under test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_serve_builds_the_shipped_data_and_answers_over_http(tmp_path, free_loopback_port):
    port = free_loopback_port
    log = (tmp_path / "serve.log").open("w+b")
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "--store", str(tmp_path / "store"), "serve", "--port", str(port), "--build-if-empty"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 180
        page = None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                page = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        log.seek(0)
        output = log.read().decode(errors="replace")
        assert page is not None, f"the server never answered:\n{output}"
        assert page.status_code == 200
        for municipality in ("Helsingør", "Rebild", "Esbjerg", "Holbæk", "Viborg", "Middelfart", "Langeland"):
            assert municipality in page.text
        assert "waitress" in output.lower() or "Serving on" in output or "regelgraf kører" in output
        english = httpx.get(f"http://127.0.0.1:{port}/?lang=en", timeout=5)
        assert english.status_code == 200 and english.text != page.text
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()
