"""One store interface, three backends: embedded Oxigraph (default), rdflib memory, remote SPARQL.

    with open_store(location="instance/store") as store:
        store.replace_graphs({graph_iri: graph})
        result = store.query("SELECT ?s WHERE { ?s a ?type }", bindings={"type": RG.Provision})
"""

from __future__ import annotations

from pathlib import Path

from graph.store.base import FORMATS, QueryResult, Store
from graph.store.dataset import QueryDataset
from graph.store.errors import (
    BindingError, ClosedStoreError, EndpointHTTPError, EndpointUnreachableError, FormatError,
    InvalidDataError, QueryError, QuerySyntaxError, QueryTimeoutError, ReadOnlyStoreError,
    StoreAccessError, StoreBusyError, StoreConfigError, StoreError, StoreLockedError,
    StoreFileSystemError, StoreInUseError, StoreWriteError, SwapInProgressError, UnknownBackendError, UnsafeQueryError,
    UnsupportedUpdateError,
)
from graph.store.memory import MemoryStore
from graph.store.oxigraph import OxigraphStore
from graph.store.remote import RemoteStore

__all__ = [
    "BACKENDS", "DEFAULT_BACKEND", "open_store", "Store", "QueryResult", "QueryDataset", "FORMATS",
    "OxigraphStore", "MemoryStore", "RemoteStore",
    "StoreError", "UnknownBackendError", "StoreConfigError", "StoreLockedError",
    "StoreAccessError", "StoreWriteError", "ClosedStoreError", "ReadOnlyStoreError",
    "InvalidDataError", "FormatError", "EndpointUnreachableError", "EndpointHTTPError",
    "QueryError", "QuerySyntaxError", "UnsafeQueryError", "BindingError",
    "UnsupportedUpdateError", "QueryTimeoutError", "StoreBusyError", "StoreInUseError",
    "SwapInProgressError", "StoreFileSystemError",
]

BACKENDS: dict[str, type[Store]] = {
    "oxigraph": OxigraphStore,
    "memory": MemoryStore,
    "remote": RemoteStore,
}
DEFAULT_BACKEND = "oxigraph"


def open_store(backend: str | None = None, *, location: str | Path | None = None,
               endpoint: str | None = None, update_endpoint: str | None = None,
               store_endpoint: str | None = None, read_only: bool = False,
               timeout: float = 60.0) -> Store:
    """Open a store by backend name; None means "remote" when an endpoint is given, else Oxigraph.

    oxigraph: `location` is the directory (None keeps the store in memory).
    memory: a fresh empty dataset; location is ignored.
    remote: `endpoint` is the query URL; `update_endpoint` enables writes; `store_endpoint`
    (Graph Store Protocol) makes reading one graph faster; `timeout` is per request in seconds.
    """
    name = backend or ("remote" if endpoint else DEFAULT_BACKEND)
    if name not in BACKENDS:
        raise UnknownBackendError(name, sorted(BACKENDS))
    return BACKENDS[name].open(location=location, endpoint=endpoint,
                               update_endpoint=update_endpoint, store_endpoint=store_endpoint,
                               read_only=read_only, timeout=timeout)
