"""One value per live store object, kept while the store's state token stands still.

Used for what is costly to read from a large store and needed often: the impact edge index
(graph.impact.index) and the law-name index (graph.resolve). A store object is held weakly, so a
closed and dropped store frees its value. One build at a time per store: a caller arriving while
another builds (a server's warm-up, a second request) waits for that build instead of starting
its own.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class StoreCache(Generic[Value]):
    """``get(store)`` returns ``build(store)``, built again when ``state(store)`` changes.

    A state of None means the store cannot tell whether it changed: the value is built afresh
    on every call and not kept.
    """

    def __init__(self, build: Callable[[object], Value], state: Callable[[object], object]) -> None:
        self._build = build
        self._state = state
        self._entries: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._fallback: dict[int, tuple[object, Value]] = {}  # stores that cannot be weakly referenced
        self._lock = threading.Lock()
        self._builds: dict[int, threading.Lock] = {}

    def get(self, store) -> Value:  # type: ignore[no-untyped-def]
        """The value for the store's current state, built on first use or after a change."""
        state = self._state(store)
        if state is None:
            return self._build(store)
        with self._lock:
            entry = self._lookup(store)
            if entry is not None and entry[0] == state:
                return entry[1]
            building = self._builds.setdefault(id(store), threading.Lock())
        with building:
            with self._lock:
                entry = self._lookup(store)
                if entry is not None and entry[0] == state:
                    return entry[1]
            value = self._build(store)
            with self._lock:
                self._remember(store, (state, value))
        return value

    def clear(self, store=None) -> None:  # type: ignore[no-untyped-def]
        """Forget the value of one store, or of all stores."""
        with self._lock:
            if store is None:
                self._entries.clear()
                self._fallback.clear()
            elif _weakrefable(store):
                self._entries.pop(store, None)
            else:
                self._fallback.pop(id(store), None)

    def _lookup(self, store):  # type: ignore[no-untyped-def]
        return self._entries.get(store) if _weakrefable(store) else self._fallback.get(id(store))

    def _remember(self, store, entry) -> None:  # type: ignore[no-untyped-def]
        if _weakrefable(store):
            self._entries[store] = entry
        else:
            self._fallback[id(store)] = entry


def _weakrefable(obj: object) -> bool:
    try:
        weakref.ref(obj)
    except TypeError:
        return False
    return True
