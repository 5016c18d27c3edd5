"""A helper for tests: an app served by waitress on a free loopback port, over real HTTP."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from webui import make_server


@contextmanager
def served(app: Flask, threads: int = 4) -> Iterator[str]:
    """The app under waitress in a background thread; yields its base URL."""
    server = make_server(app, port=0, threads=threads)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()
        thread.join(timeout=5)
