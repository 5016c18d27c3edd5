"""The naive baseline over HTTP: an rdflib memory graph answering GET /sparql behind waitress.

    .venv/bin/python -m bench.naive_server --port 5050 corpus.nq

What the design card's packages give in a few lines: parse everything at start, answer each
query with rdflib's SPARQL engine, results as SPARQL JSON. Same WSGI server and thread count as
``regelgraf serve``, so the comparison is about the design, not the server.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import parse_qs

from bench.naive import load


def app_for(graph):  # type: ignore[no-untyped-def]
    """A WSGI app: GET /sparql?query=… → SPARQL JSON (or an error with status 400)."""

    def app(environ, start_response):  # type: ignore[no-untyped-def]
        if environ.get("PATH_INFO") != "/sparql":
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        query = parse_qs(environ.get("QUERY_STRING", "")).get("query", [""])[0]
        try:
            body = graph.query(query).serialize(format="json")
        except Exception as exc:  # rdflib raises bare exceptions for bad queries
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [str(exc).encode()]
        start_response("200 OK", [("Content-Type", "application/sparql-results+json")])
        return [body]

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve N-Quads from an rdflib memory graph at /sparql.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("nquads", nargs="+", type=Path)
    args = parser.parse_args(argv)
    from waitress import serve

    serve(app_for(load(args.nquads)), host="127.0.0.1", port=args.port, threads=8, ident="naive")
    return 0


if __name__ == "__main__":
    sys.exit(main())
