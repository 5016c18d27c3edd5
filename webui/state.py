"""What the app holds for its lifetime: the store, the query catalogue, cached reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from threading import Lock
from typing import TYPE_CHECKING, Any

from flask import current_app

if TYPE_CHECKING:
    from graph.queries import Catalogue
    from graph.store.base import Store

EXTENSION = "regelgraf"


@dataclass
class AppState:
    """The store and catalogue of one app, plus a cache of the last validation report."""

    store: Store
    catalogue: Catalogue
    report_cache: dict[Any, Any] = field(default_factory=dict)
    report_lock: Lock = field(default_factory=Lock)


def open_configured_store(config: Mapping[str, Any]) -> Store:
    """The store named by the config: an instance, a directory or an endpoint (else the settings)."""
    if config.get("REGELGRAF_STORE") is not None:
        return config["REGELGRAF_STORE"]
    from graph.store import open_store

    if config.get("REGELGRAF_ENDPOINT"):
        return open_store(endpoint=config["REGELGRAF_ENDPOINT"])
    if config.get("REGELGRAF_STORE_DIR"):
        return open_store(location=config["REGELGRAF_STORE_DIR"])
    from graph.settings import Settings

    settings = Settings.from_env()
    if settings.endpoint:
        return open_store(settings.backend, endpoint=settings.endpoint)
    return open_store(settings.backend, location=settings.store)


def state() -> AppState:
    """This app's state."""
    return current_app.extensions[EXTENSION]


def current_store() -> Store:
    """The store pages read from."""
    return state().store


def row_limit() -> int:
    """The most rows a page shows before it says the result was cut."""
    return int(current_app.config["REGELGRAF_ROW_LIMIT"])
