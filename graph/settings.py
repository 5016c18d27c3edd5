"""All of regelgraf's settings in one documented table.

Each setting has a default and an environment variable (``REGELGRAF_<NAME>``); command-line
options override the environment. ``Settings.from_env()`` is called by the CLI and the web app,
never at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
QUERIES_DIR = REPO_ROOT / "queries"
ONTOLOGY_DIR = REPO_ROOT / "ontology"


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
    if name == "lang" and raw not in ("da", "en"):
        raise ValueError(f"language must be 'da' or 'en', not {raw!r}")
    return raw
