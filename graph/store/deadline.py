"""Time limits for queries: a deadline checked between answers, and a worker thread to give up on.

pyoxigraph 0.5 has no timeout or cancellation, and rdflib has none either, so a timed query runs
in a worker thread while the caller waits at most `seconds`:

- Between two answers (rows or triples) the worker checks the deadline and, once it has passed,
  drops the engine's iterator. Both engines evaluate lazily, so that stops the evaluation.
- A single step that produces no answer for a long time (sorting, grouping, counting, a join
  without results, an ASK) cannot be interrupted. The caller gets QueryTimeoutError at once; the
  worker finishes that step in the background (pyoxigraph releases the GIL, so other requests
  keep being answered), then sees the deadline and stops; its answer is discarded.
- Such abandoned workers are counted. While MAX_RUNNING_LATE of them are still busy, new timed
  queries are refused with StoreBusyError instead of piling more work on the CPUs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from graph.store.errors import QueryTimeoutError, StoreBusyError

__all__ = ["Deadline", "run_with_deadline", "running_late", "MAX_RUNNING_LATE"]

T = TypeVar("T")
MAX_RUNNING_LATE = 4
_CHECK_EVERY = 64  # answers between two clock readings

_lock = threading.Lock()
_late = 0


@dataclass
class Deadline:
    """A point in time (time.monotonic) after which work on a query should stop."""

    seconds: float
    at: float
    _count: int = 0

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        """The deadline `seconds` from now."""
        return cls(seconds, time.monotonic() + seconds)

    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return time.monotonic() >= self.at

    def check(self) -> None:
        """Raise QueryTimeoutError once the deadline has passed."""
        if self.expired():
            raise QueryTimeoutError(self.seconds)

    def tick(self) -> None:
        """Called once per answer; reads the clock every few answers."""
        self._count += 1
        if self._count % _CHECK_EVERY == 0:
            self.check()


def running_late() -> int:
    """How many abandoned queries are still running in the background."""
    return _late


def run_with_deadline(work: Callable[[Deadline], T], seconds: float) -> T:
    """work(deadline) in a worker thread; QueryTimeoutError if it is not done after `seconds`."""
    global _late
    if _late >= MAX_RUNNING_LATE:
        raise StoreBusyError(_late)
    deadline = Deadline.after(seconds)
    outcome: dict[str, object] = {}
    state = {"finished": False, "late": False}

    def target() -> None:
        global _late
        try:
            outcome["value"] = work(deadline)
        except BaseException as error:  # handed to the waiting caller, who re-raises it
            outcome["error"] = error
        finally:
            with _lock:
                state["finished"] = True
                if state["late"]:
                    _late -= 1

    worker = threading.Thread(target=target, name="regelgraf-query", daemon=True)
    worker.start()
    worker.join(seconds)
    with _lock:
        if not state["finished"]:
            state["late"] = True
            _late += 1
            raise QueryTimeoutError(seconds)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
