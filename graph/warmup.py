"""Filling the caches a server's first questions would otherwise wait for.

On a national store the impact edge index takes tens of seconds to read (5.7 million quads:
~40 s here) and the law index about a second. A server builds both in a background thread as
it starts, so the first impact question finds the index ready, or waits only for the rest.
"""

from __future__ import annotations

import logging
import threading
import time

from graph.store.base import Store

log = logging.getLogger(__name__)


def warm(store: Store) -> dict[str, float]:
    """Build the impact edge index and the law index of ``store``; seconds each took."""
    from graph.impact import edge_index
    from graph.resolve import law_index

    took: dict[str, float] = {}
    for name, build in (("law_index", law_index), ("impact_index", edge_index)):
        start = time.perf_counter()
        build(store)
        took[name] = time.perf_counter() - start
    return took


def warm_in_background(store: Store) -> threading.Thread:
    """Run :func:`warm` in a daemon thread (errors are logged: a cache is an optimisation)."""

    def run() -> None:
        try:
            took = warm(store)
            log.info("caches ready: %s", ", ".join(f"{k} {v:.1f} s" for k, v in took.items()))
        except Exception:  # noqa: BLE001 - the request that needs the cache will report the error
            log.warning("warming the caches failed; they are built on first use", exc_info=True)

    thread = threading.Thread(target=run, name="regelgraf-warmup", daemon=True)
    thread.start()
    return thread
