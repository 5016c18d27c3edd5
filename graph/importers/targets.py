"""Where imported graphs go: any store, transactionally; or an embedded Oxigraph store, by rebuild and swap.

``StoreTarget`` writes through ``Store.replace_graphs`` in batches: each batch (and so each
document graph) is replaced atomically, on every backend.

``SwapTarget`` is the fast path for a large import into the embedded store: pyoxigraph's bulk
loader is several times faster than transactional updates but is not transactional, so it never
writes into the live store. It copies the store (a RocksDB checkpoint: hard links, instant) into
``.{name}.import-{pid}`` beside it, drops the graphs being replaced there, bulk-loads the new
ones, and then swaps directories: the live store is renamed ``.{name}.previous-{pid}`` and the
copy takes its name. Killed before the swap, the live store is untouched and the copy is
removed by the next import; killed between the two renames, the next open of the store (or
import, or ``recover``) puts the previous store back. The renames happen under the store's
lock held exclusively (graph.store.lock): no process has the store open, read-only or not,
while its directory is swapped, and no open sees it half-swapped; a swap that finds the store
open is refused naming who has it, and the live store is left as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from graph.identifiers import base_iri
from graph.importers.links import Known
from graph.importers.triples import to_graph
from graph.importers.works import WorkIndex
from graph.namespaces import PREFIXES
from graph.store.errors import StoreAccessError, StoreError, StoreFileSystemError, StoreWriteError
from graph.store.lock import SWAP_WAIT, DirectoryLock, restore_interrupted_swap

__all__ = ["StoreTarget", "SwapTarget", "index_store", "recover"]

_PREFIX_BLOCK = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def _year_number(iri: str) -> tuple[int, str] | None:
    parts = iri.rstrip("/").split("/")
    if len(parts) >= 3 and parts[-3] == "lta" and parts[-2].isdigit() and parts[-1].isdigit():
        return int(parts[-2]), str(int(parts[-1]))
    return None


def index_store(store, index: WorkIndex, known: Known) -> None:  # type: ignore[no-untyped-def]
    """Add the store's works, documents and provisions to ``index`` and ``known``."""
    names: dict[str, set[str]] = {}
    titles: dict[str, set[str]] = {}
    rows = store.query(_PREFIX_BLOCK + """SELECT ?key ?name ?title WHERE { ?w a rg:LawWork ; rg:workKey ?key .
        OPTIONAL { ?w rg:popularName ?name } OPTIONAL { ?w eli:title ?title } }""").rows
    for key, name, title in rows:
        names.setdefault(str(key), set())
        if name is not None:
            names[str(key)].add(str(name))
        if title is not None:
            titles.setdefault(str(key), set()).add(str(title))
    documents: dict[str, list[tuple[int, str]]] = {}
    for document, key in store.query(_PREFIX_BLOCK + """SELECT ?d ?key WHERE {
            ?d eli:is_member_of ?w . ?w rg:workKey ?key . ?d eli:type_document ?type }""").rows:
        known.documents.add(str(document))
        where = _year_number(str(document))
        if where is not None:
            documents.setdefault(str(key), []).append(where)
    for key in sorted(names):
        index.add_store_work(key, names[key], titles.get(key, ()), documents.get(key, ()))
    prefix = f"{base_iri()}work/"
    for (provision,) in store.query(_PREFIX_BLOCK + "SELECT ?p WHERE { ?p a rg:Provision }").rows:
        text = str(provision)
        if text.startswith(prefix):
            key, _, segments = text[len(prefix):].partition("/")
            if segments:
                known.provisions.setdefault(key, set()).add(segments)


class StoreTarget:
    """Writes document graphs through the store interface, a batch per transaction."""

    swap = False
    spool = None

    def __init__(self, store):  # type: ignore[no-untyped-def]
        self.store = store

    def index(self, index: WorkIndex, known: Known) -> None:
        index_store(self.store, index, known)

    def write(self, graphs: list[tuple[str, list]]) -> None:
        """Replace each named graph by its triples (all of the batch or none)."""
        from rdflib import URIRef

        self.store.replace_graphs({URIRef(name): to_graph(name, triples) for name, triples in graphs})

    def finish(self) -> None:
        pass

    def abort(self) -> None:
        pass


class SwapTarget:
    """Bulk-loads into a copy of the embedded store and swaps it in at the end."""

    swap = True

    def __init__(self, location: Path, *, wait: float = SWAP_WAIT):
        self.location = Path(location).expanduser().resolve()
        self.work = self.location.parent / f".{self.location.name}.import-{os.getpid()}"
        self.previous = self.location.parent / f".{self.location.name}.previous-{os.getpid()}"
        self.spool = self.location.parent / f".{self.location.name}.spool-{os.getpid()}"
        self.wait = wait  # seconds to wait at the swap for processes that have the store open
        self.store: ox.Store | None = None
        self.replaced: list[str] = []

    def index(self, index: WorkIndex, known: Known) -> None:
        """Refuse a store others have open, recover from an interrupted import, read the index, copy."""
        DirectoryLock.exclusive(self.location, wait=0).release()  # says at once who has it open
        recover(self.location)
        from graph.store import open_store

        if (self.location / "CURRENT").exists():
            live = open_store("oxigraph", location=self.location)  # says who holds a lock, if anyone
            try:
                index_store(live, index, known)
                self._checked("copy", lambda: live._live().backup(str(self.work)))  # hard links, instant
            finally:
                live.close()
        self.store = self._checked("copy", lambda: ox.Store(str(self.work)))
        self._checked("copy", lambda: self.spool.mkdir(parents=True, exist_ok=True))

    def replacing(self, graphs: Iterable[str]) -> None:
        """Note graphs whose N-Quads the workers have written to the spool."""
        self.replaced.extend(graphs)

    def finish(self) -> None:
        """Drop the replaced graphs' old versions in the copy, bulk-load the spool, swap the copy in.

        One bulk load of whole files is much faster than many small ones (Oxigraph sorts and
        ingests each call's data separately).
        """
        assert self.store is not None
        store = self.store
        for name in self.replaced:
            node = ox.NamedNode(name)
            if store.contains_named_graph(node):
                self._checked("load", lambda: store.remove_graph(node))
        for part in sorted(self.spool.glob("*.nq")):
            if part.stat().st_size:
                self._checked("load", lambda: store.bulk_load(path=str(part), format=ox.RdfFormat.N_QUADS))
        shutil.rmtree(self.spool, ignore_errors=True)
        self._checked("load", store.flush)
        self.store = store = None  # type: ignore[assignment]
        import gc

        gc.collect()  # pyoxigraph releases the RocksDB lock when the Store is freed
        lock = DirectoryLock.exclusive(self.location, wait=self.wait)  # no one has it open
        try:
            self._swap()
        finally:
            lock.release()
        shutil.rmtree(self.previous, ignore_errors=True)

    def _swap(self) -> None:
        """The two renames; if the second fails, the first is undone."""
        moved = False
        try:
            if self.location.exists():
                os.rename(self.location, self.previous)
                moved = True
            os.rename(self.work, self.location)
        except OSError as error:
            if moved and not self.location.exists():
                os.rename(self.previous, self.location)
            raise StoreAccessError(
                str(self.location), f"the imported copy {self.work} could not take its place ({error.strerror}); "
                "the store is unchanged; free the directory and import again",
                f"den importerede kopi {self.work} kunne ikke tage dets plads ({error.strerror}); lageret er "
                "uændret; ryd mappen, og importér igen") from error

    def _checked(self, step: str, action):  # type: ignore[no-untyped-def]
        """Run a step on the copy; raw pyoxigraph/RocksDB and file errors become clear StoreErrors."""
        try:
            return action()
        except StoreError:
            raise
        except (OSError, RuntimeError, ValueError, SyntaxError) as error:
            if step == "load":
                kind = StoreFileSystemError if isinstance(error, OSError) else StoreWriteError
                raise kind(f"oxigraph: {self.location} (kopien {self.work} / the copy {self.work})",
                                      f"{type(error).__name__}: {error}") from error
            raise StoreAccessError(
                str(self.location), f"a copy for the import could not be made in {self.work} "
                f"({type(error).__name__}: {error}); check free space and that {self.location.parent} is writable",
                f"en kopi til importen kunne ikke laves i {self.work} ({type(error).__name__}: {error}); "
                f"kontroller ledig plads, og at {self.location.parent} er skrivbar") from error

    def abort(self) -> None:
        """Forget the copy; the live store was never touched."""
        self.store = None
        import gc

        gc.collect()
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.rmtree(self.spool, ignore_errors=True)


def recover(location: Path) -> None:
    """Undo what an interrupted import left beside the store: a half-done swap, unfinished copies."""
    location = Path(location).expanduser().resolve()
    parent = location.parent
    if not parent.exists():
        return
    restore_interrupted_swap(location)  # killed between the two renames: put the old store back
    leftovers = [*parent.glob(f".{location.name}.previous-*"), *parent.glob(f".{location.name}.import-*"),
                 *parent.glob(f".{location.name}.spool-*")]
    for leftover in leftovers:
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and _alive(int(pid)):
            continue  # another import is running right now
        shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True

