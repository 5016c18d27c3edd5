"""regelgraf's web UI: browse the graph, run catalogue queries, read the validation report.

``create_app`` builds the app (nothing is read at import time); ``serve`` runs it under waitress.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask

__all__ = ["create_app", "serve", "make_server", "CONFIG_KEYS", "DEFAULT_CONFIG", "MIN_TOKEN_LENGTH"]


@dataclass(frozen=True)
class ConfigKey:
    """One documented configuration key of the app."""

    name: str
    default: Any
    description: str


CONFIG_KEYS: tuple[ConfigKey, ...] = (
    ConfigKey("REGELGRAF_STORE", None, "A graph.store Store instance to read from; wins over the two keys below."),
    ConfigKey("REGELGRAF_STORE_DIR", None, "Directory of an embedded Oxigraph store, opened with graph.store.open_store."),
    ConfigKey("REGELGRAF_ENDPOINT", None, "URL of a remote SPARQL endpoint, opened with graph.store.open_store; "
              "without any of the three, the REGELGRAF_* settings of graph.settings decide."),
    ConfigKey("REGELGRAF_QUERIES_DIR", None, "Directory of named queries (*.rq); default: the project's queries/."),
    ConfigKey("REGELGRAF_BASE", None, "Base of our own IRIs, served under /id/; default: graph.identifiers.base_iri()."),
    ConfigKey("REGELGRAF_LANG", "da", "Language of pages when the reader has not chosen one: da or en."),
    ConfigKey("REGELGRAF_ROW_LIMIT", 1000, "Rows a query or search page shows before it says the result was cut."),
    ConfigKey("REGELGRAF_SPARQL_ROW_LIMIT", 10_000, "Rows (or triples) a /sparql answer holds at most; a cut answer has the header X-Regelgraf-Truncated."),
    ConfigKey("REGELGRAF_SPARQL_TIMEOUT", 30.0, "Seconds a /sparql query may run before it is stopped with 503."),
    ConfigKey("REGELGRAF_SPARQL_MAX_BODY", 1_048_576, "Bytes a /sparql request body may have (413 above); waitress enforces it too."),
    ConfigKey("REGELGRAF_ALLOW_UPDATE", False, "Accept SPARQL Update at /sparql (needs REGELGRAF_UPDATE_TOKEN)."),
    ConfigKey("REGELGRAF_UPDATE_TOKEN", None, "Bearer token /sparql updates must present; at least 16 characters."),
    ConfigKey("REGELGRAF_EDITOR_PERSISTENCE", True, "Whether the SPARQL editor keeps its tabs in the browser's localStorage between visits."),
    ConfigKey("SECRET_KEY", None, "Flask's secret key; the app keeps no sessions, so a random one is used unless given."),
)
MIN_TOKEN_LENGTH = 16
DEFAULT_CONFIG: dict[str, Any] = {key.name: key.default for key in CONFIG_KEYS if key.name != "SECRET_KEY"}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The Flask app over the store the config names (see CONFIG_KEYS)."""
    from graph.identifiers import base_iri
    from graph.queries import Catalogue
    from webui.i18n import LANGUAGES
    from webui.rendering import install
    from webui.state import EXTENSION, AppState, open_configured_store
    from webui.views import browse, catalogue, report, sparql
    from webui import security
    from webui.views import editor, impact

    app = Flask(__name__)
    app.config.from_mapping(DEFAULT_CONFIG)
    app.config["SECRET_KEY"] = secrets.token_hex(32)  # no sessions are kept; replaced when configured
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if config:
        app.config.update(config)
    if app.config["REGELGRAF_LANG"] not in LANGUAGES:
        raise ValueError(f"REGELGRAF_LANG must be one of {', '.join(LANGUAGES)}, not {app.config['REGELGRAF_LANG']!r}")
    _check_sparql_settings(app.config)
    base = app.config["REGELGRAF_BASE"] or base_iri()
    app.config["REGELGRAF_BASE"] = base if base.endswith(("/", "#")) else base + "/"
    queries = Catalogue.load(app.config["REGELGRAF_QUERIES_DIR"])
    catalogue.check_param_names(queries)
    app.extensions[EXTENSION] = AppState(store=open_configured_store(app.config), catalogue=queries)
    install(app)
    security.install(app)
    app.register_blueprint(browse.bp)
    app.register_blueprint(catalogue.bp)
    app.register_blueprint(report.bp)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(impact.bp)
    app.register_blueprint(editor.bp)
    return app


def _check_sparql_settings(config: Mapping[str, Any]) -> None:
    """Refuse limits that are not positive, and updates without a token long enough to resist
    guessing."""
    for key in ("REGELGRAF_SPARQL_ROW_LIMIT", "REGELGRAF_SPARQL_TIMEOUT", "REGELGRAF_SPARQL_MAX_BODY"):
        value = config[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"{key} must be a positive number, not {value!r}")
    token = config["REGELGRAF_UPDATE_TOKEN"]
    if config["REGELGRAF_ALLOW_UPDATE"] and (not token or len(str(token)) < MIN_TOKEN_LENGTH):
        raise ValueError(
            "REGELGRAF_ALLOW_UPDATE needs REGELGRAF_UPDATE_TOKEN with at least "
            f"{MIN_TOKEN_LENGTH} characters (for example: python -c 'import secrets; "
            "print(secrets.token_urlsafe(32))')")


def make_server(app: Flask, host: str = "127.0.0.1", port: int = 5000, threads: int = 8) -> Any:
    """A waitress server for the app, bound but not yet running (port 0 picks a free port)."""
    from waitress.server import create_server

    # waitress refuses larger bodies itself (413) instead of buffering them for the app.
    return create_server(app, host=host, port=port, threads=threads, ident="regelgraf",
                         max_request_body_size=int(app.config["REGELGRAF_SPARQL_MAX_BODY"]))


def serve(app: Flask, host: str = "127.0.0.1", port: int = 5000, threads: int = 8) -> None:
    """Serve the app with waitress (a production WSGI server) until interrupted."""
    from graph.warmup import warm_in_background
    from webui.state import EXTENSION

    server = make_server(app, host=host, port=port, threads=threads)
    # The server answers at once; the impact and law indexes are built beside it.
    warm_in_background(app.extensions[EXTENSION].store)
    try:
        server.run()
    finally:
        server.close()
