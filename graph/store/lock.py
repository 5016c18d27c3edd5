"""The lock on an embedded store's parent directory, and the repair of a swap cut off halfway.

RocksDB's own LOCK file lives inside the store's directory, and a swap import (see
graph.importers.targets.SwapTarget) renames that directory: a process that opened the store
read-only, or one that opens it while the directory is being renamed, is not protected by it.
So every open of an on-disk store also holds a *shared* ``flock`` on the store's parent
directory for as long as the store stays open, and a swap holds it *exclusively* while it
renames directories. An open therefore never sees a directory half-swapped, and a swap never
renames a directory that anyone has open: it waits briefly, then gives up naming who has it.
The parent is locked, not a file beside the store, because it is never renamed and leaves
nothing behind; the price is that stores sharing a parent directory share the lock (a swap
also waits for readers of a sibling store), so keep each store in a folder of its own.

A swap killed between its two renames leaves the store at ``.{name}.previous-{pid}`` and
nothing (or an empty directory) at its own name; ``restore_interrupted_swap`` puts it back
before anything opens or creates a store there.
"""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from graph.store.errors import StoreAccessError, StoreInUseError, SwapInProgressError

__all__ = ["DirectoryLock", "OPEN_WAIT", "SWAP_WAIT", "lock_holders",
           "restore_interrupted_swap", "previous_stores"]

OPEN_WAIT = 10.0  # seconds an open waits for a swap's renames (they take milliseconds)
SWAP_WAIT = 10.0  # seconds a swap waits for processes that have the store open to close it
_POLL = 0.02
_HELD: set[int] = set()  # descriptors of locks held by this process


def _forget_in_child() -> None:
    """A forked child (an import worker) does not keep its parent's stores open.

    Its copies of the descriptors would hold the flock for as long as it lives, even after its
    parent died; closing the copies leaves the parent's locks as they are.
    """
    for fd in list(_HELD):
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_in_child)


class DirectoryLock:
    """A shared or exclusive flock on a store's lock file, held until ``release``."""

    def __init__(self, location: Path, fd: int) -> None:
        self.location = location
        self._fd: int | None = fd
        self._pid = os.getpid()  # a forked child has closed its copy already (_forget_in_child)
        _HELD.add(fd)

    @classmethod
    def shared(cls, location: Path, wait: float | None = None, *, create: bool = False) -> DirectoryLock:
        """Hold the store open against swaps; waits out a swap's renames, else SwapInProgressError."""
        wait = OPEN_WAIT if wait is None else wait
        fd = _open_lock_file(location, create=create)
        if not _take(fd, fcntl.LOCK_SH, wait):
            holders = lock_holders(location, writers_only=True)
            os.close(fd)
            pid, command = holders[0] if holders else (None, None)
            raise SwapInProgressError(str(location), pid, command, wait)
        return cls(location, fd)

    @classmethod
    def exclusive(cls, location: Path, wait: float = SWAP_WAIT) -> DirectoryLock:
        """No one else has the store open; waits ``wait`` seconds for them, else StoreInUseError."""
        fd = _open_lock_file(location, create=True)
        if not _take(fd, fcntl.LOCK_EX, wait):
            holders = lock_holders(location)
            os.close(fd)
            raise StoreInUseError(str(location), holders)
        return cls(location, fd)

    def release(self) -> None:
        """Let go of the lock (closing the file releases the flock)."""
        if self._fd is not None and self._pid == os.getpid():
            _HELD.discard(self._fd)
            os.close(self._fd)
        self._fd = None

    def __del__(self) -> None:
        self.release()


def _open_lock_file(location: Path, create: bool = False) -> int:
    """A descriptor of the parent directory, to flock.

    ``create`` makes a missing parent (a swap, a writer); a reader of a missing parent is told
    there is no store there.
    """
    parent = location.parent
    try:
        if create:
            parent.mkdir(parents=True, exist_ok=True)
        return os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError as error:
        raise StoreAccessError(str(location), f"its parent directory {parent} does not exist",
                               f"den overordnede mappe {parent} findes ikke") from error
    except OSError as error:
        raise StoreAccessError(
            str(location), f"its parent directory {parent} cannot be used ({error.strerror}); choose a "
            "--store inside an existing, writable directory",
            f"den overordnede mappe {parent} kan ikke bruges ({error.strerror}); vælg et --store i en "
            "eksisterende, skrivbar mappe") from error


def _take(fd: int, kind: int, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, kind | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(_POLL)


def lock_holders(location: Path, *, writers_only: bool = False) -> list[tuple[int, str | None]]:
    """The processes holding a flock on the store's parent directory, from /proc/locks (Linux only)."""
    try:
        stat = location.parent.stat()
        wanted = f"{os.major(stat.st_dev):02x}:{os.minor(stat.st_dev):02x}:{stat.st_ino}"
        with open("/proc/locks", encoding="ascii") as locks:
            pids = []
            for line in locks:
                fields = line.split()
                # "1: FLOCK  ADVISORY  READ 6833 fe:00:2211871 0 EOF" ("->" marks a waiter)
                if (len(fields) >= 6 and fields[1] != "->" and fields[5] == wanted
                        and (fields[3] == "WRITE" or not writers_only)):
                    pids.append(int(fields[4]))
    except (OSError, ValueError, IndexError):
        return []
    return [(pid, process_command(pid)) for pid in sorted(set(pids))]


def process_command(pid: int) -> str | None:
    """The command line of a process, shortened."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)[:200] or None


def previous_stores(location: Path) -> list[Path]:
    """Stores a swap moved aside (``.{name}.previous-{pid}``), the newest last."""
    try:
        found = list(location.parent.glob(f".{location.name}.previous-*"))
        return sorted(found, key=lambda p: p.stat().st_mtime_ns)
    except OSError:
        return []


def _is_store(location: Path) -> bool:
    return (location / "CURRENT").exists()


def restore_interrupted_swap(location: Path, wait: float | None = None) -> bool:
    """Put back a store that a swap killed between its two renames left aside; True if it did.

    Safe to call from anywhere: it holds the lock exclusively, so no swap is renaming and no one
    has the store open; a live swap's directories are never touched.
    """
    aside = previous_stores(location)
    if _is_store(location) or not aside:
        return False
    try:
        lock = DirectoryLock.exclusive(location, OPEN_WAIT if wait is None else wait)
    except StoreInUseError as error:
        # Not a live swap (it would have finished within `wait`): a store beside it is open.
        raise StoreAccessError(
            str(location), f"an interrupted import left the store at {aside[-1]}; it is "
            f"put back when no process has a store in {location.parent} open ({error.message('en')})",
            f"en afbrudt import efterlod lageret i {aside[-1]}; det flyttes tilbage, "
            f"når ingen proces har et lager i {location.parent} åbent ({error.message('da')})") from error
    try:
        previous = previous_stores(location)
        if _is_store(location) or not previous:
            return False
        try:
            if location.is_dir() and not any(location.iterdir()):
                location.rmdir()  # an empty directory made by a caller before opening
            if location.exists():
                raise StoreAccessError(
                    str(location), f"an interrupted import left the store at {previous[-1]}, and {location} "
                    "holds something else; move it away, then open the store again",
                    f"en afbrudt import efterlod lageret i {previous[-1]}, og {location} indeholder noget "
                    "andet; flyt det væk, og åbn lageret igen")
            os.rename(previous[-1], location)
        except OSError as error:
            raise StoreAccessError(
                str(location), f"the store left at {previous[-1]} by an interrupted import could not be "
                f"put back ({error.strerror}); rename it to {location.name} by hand",
                f"lageret, som en afbrudt import efterlod i {previous[-1]}, kunne ikke flyttes tilbage "
                f"({error.strerror}); omdøb det til {location.name} manuelt") from error
        return True
    finally:
        lock.release()
