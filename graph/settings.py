"""All of regelgraf's settings in one documented table.

Each setting has a default and an environment variable (``REGELGRAF_<NAME>``); command-line
options override the environment. ``Settings.from_env()`` is called by the CLI and the web app,
never at import time.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
QUERIES_DIR = REPO_ROOT / "queries"
ONTOLOGY_DIR = REPO_ROOT / "ontology"
DEFAULT_QUERY_TIMEOUT = 60.0  # seconds; generous, since library queries are our own


@dataclass(frozen=True)
class Setting:
    """Documentation of one setting (rendered in the README's settings table)."""

    name: str
    default: str
    description: str


SETTINGS_TABLE: tuple[Setting, ...] = (
    Setting("store", "instance/store", "Directory of the embedded Oxigraph store."),
    Setting("backend", "oxigraph (remote when an endpoint is set)", "Store backend: oxigraph, memory or remote."),
    Setting("endpoint", "", "SPARQL 1.1 query endpoint URL of a remote store."),
    Setting("update_endpoint", "", "SPARQL 1.1 update endpoint URL of a remote store."),
    Setting("store_endpoint", "", "Graph Store Protocol URL of a remote store (optional)."),
    Setting("base", "https://regelgraf.dk/id/", "Base IRI under which regelgraf mints IRIs."),
    Setting("row_limit", "10000", "Maximum rows a query returns before it is reported as truncated."),
    Setting("query_timeout", "60", "Seconds any query the library runs (catalogue queries, pages, CLI, imports) may take before it is stopped with a timeout error, unless the caller sets its own; 0 turns the limit off. /sparql has its own limit (`REGELGRAF_SPARQL_TIMEOUT`)."),
    Setting("lang", "da", "Language of messages and reports: da or en."),
)


@dataclass(frozen=True)
class Settings:
    """Effective settings of one run."""

    store: Path = REPO_ROOT / "instance" / "store"
    backend: str | None = None
    endpoint: str | None = None
    update_endpoint: str | None = None
    store_endpoint: str | None = None
    row_limit: int = 10_000
    query_timeout: float = DEFAULT_QUERY_TIMEOUT
    lang: str = "da"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``REGELGRAF_*`` variables, then explicit (non-None) overrides."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for field in fields(cls):
            raw = env.get(f"REGELGRAF_{field.name.upper()}")
            if raw:
                values[field.name] = _convert(field.name, raw)
        values.update({k: _convert(k, v) if isinstance(v, str) else v for k, v in overrides.items() if v is not None})
        return cls(**values)


def _convert(name: str, raw: str) -> object:
    if name == "store":
        return Path(raw)
    if name == "row_limit":
        try:
            value = int(raw)
        except ValueError:
            raise ValueError(f"REGELGRAF_ROW_LIMIT must be a whole number, not {raw!r}") from None
        if value < 1:
            raise ValueError("REGELGRAF_ROW_LIMIT must be at least 1")
        return value
    if name == "query_timeout":
        try:
            seconds = float(raw)
        except ValueError:
            raise ValueError(f"REGELGRAF_QUERY_TIMEOUT must be a number of seconds, not {raw!r}") from None
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError(f"REGELGRAF_QUERY_TIMEOUT must be 0 (no limit) or a positive number of seconds, not {raw!r}")
        return seconds
    if name == "lang" and raw not in ("da", "en"):
        raise ValueError(f"language must be 'da' or 'en', not {raw!r}")
    return raw


def query_timeout(environ: Mapping[str, str] | None = None) -> float | None:
    """Seconds a query may run when its caller sets no limit; None when the setting is 0 (off)."""
    env = os.environ if environ is None else environ
    raw = env.get("REGELGRAF_QUERY_TIMEOUT")
    seconds = _convert("query_timeout", raw) if raw else DEFAULT_QUERY_TIMEOUT
    return float(seconds) or None  # type: ignore[arg-type]
