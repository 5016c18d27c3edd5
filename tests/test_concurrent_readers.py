"""Readers while a document graph is being replaced see the old or the new version, never half.

A writer thread replaces one named graph over and over with versions of different sizes, each of
whose triples carries its version number; reader threads count the graph per version, copy it,
and count it through the store's helper. Every observation must be exactly one whole version, and
no reader may see an older version after a newer one. The same holds for a real document
re-imported through the transactional target while readers read it. The swap target (bulk load
into a copy, then a rename) never runs under open readers, read-only ones included: the store's
lock refuses it; and a read-only open during the swap's renames waits for them (deterministic:
the swap is paused between its two renames) or names the swap, never failing raw or reading an
empty store.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import rdflib
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import PROV

from graph.importers.pipeline import run_import
from graph.importers.targets import StoreTarget, SwapTarget
from graph.store import Store, StoreInUseError, StoreLockedError, SwapInProgressError, open_store
from test_fuzz_importers import MEMBERS, corpus_member

EX = Namespace("http://example.org/")
G = EX.document
OTHER = EX.other  # a neighbouring graph that must never change
VERSIONS = 40
MIN_VERSIONS = 10
RUN_SECONDS = 1.5


def size_of(version: int) -> int:
    """Versions differ in size, so that a mix of two would show in the counts."""
    return 150 + (version * 37) % 200


def version_graph(version: int) -> rdflib.Graph:
    graph = rdflib.Graph()
    for i in range(size_of(version)):
        graph.add((EX[f"p{i}"], EX.version, Literal(version)))
    return graph


@dataclass
class Observations:
    """What the readers saw, and what went wrong."""

    seen: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, version: int) -> None:
        with self.lock:
            self.seen.append(version)

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)


def by_query(store: Store) -> int:
    rows = store.query(f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ GRAPH <{G}> {{ ?s <{EX.version}> ?v }} }} GROUP BY ?v").rows
    if len(rows) != 1:
        raise AssertionError(f"one graph held {len(rows)} versions at once: {rows}")
    version, count = int(rows[0][0]), int(rows[0][1])
    if count != size_of(version):
        raise AssertionError(f"version {version} seen with {count} of its {size_of(version)} triples")
    return version


def by_copy(store: Store) -> int:
    graph = store.get_graph(G)
    versions = {int(o) for o in graph.objects(None, EX.version)}
    if len(versions) != 1 or len(graph) != size_of(next(iter(versions))):
        raise AssertionError(f"a copy held versions {sorted(versions)} in {len(graph)} triples")
    return versions.pop()


def by_count(store: Store) -> int:
    count = store.count(G)
    matching = [v for v in range(VERSIONS + 1) if size_of(v) == count]
    if not matching:
        raise AssertionError(f"the graph had {count} triples, the size of no version")
    return -1  # a count alone does not say which version; its size must still be one


def read_until(stop: threading.Event, store: Store, read: Callable[[Store], int], seen: Observations) -> None:
    """Read over and over; versions must never go backwards for one reader."""
    last = -1
    while not stop.is_set():
        try:
            version = read(store)
        except Exception as error:  # noqa: BLE001 — a reader that fails is what this test looks for
            seen.problem(f"{type(error).__name__}: {error}")
            continue
        if version >= 0:
            if version < last:
                seen.problem(f"version {version} seen after version {last}")
            last = max(last, version)
            seen.add(version)


@pytest.mark.parametrize("backend", ["oxigraph", "memory", "remote"])
def test_readers_see_one_whole_version_while_a_writer_replaces_the_graph(backend, tmp_path, request):
    if backend == "remote":
        server = request.getfixturevalue("oxigraph_server")
        server.clear()
        store = server.open()
    else:
        store = open_store(backend, location=tmp_path / "store" if backend == "oxigraph" else None)
    neighbour = rdflib.Graph()
    neighbour.add((EX.n, EX.label, Literal("unchanged")))
    store.replace_graphs({G: version_graph(0), OTHER: neighbour})
    for read in (by_query, by_copy, by_count):
        read(store)  # once alone first: rdflib's parser breaks when first used by threads at once
    stop, seen = threading.Event(), Observations()
    readers = [threading.Thread(target=read_until, args=(stop, store, read, seen))
               for read in (by_query, by_query, by_copy, by_count)]
    for reader in readers:
        reader.start()
    written, started = 0, time.monotonic()
    try:
        for version in range(1, VERSIONS + 1):
            store.replace_graphs({G: version_graph(version)})
            written = version
            # At least MIN_VERSIONS, however busy the machine; more while time allows.
            if version >= MIN_VERSIONS and time.monotonic() - started > RUN_SECONDS:
                break
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert seen.problems == []
    assert len(seen.seen) >= 20, f"{written} versions written, only {len(seen.seen)} reads"
    assert len(set(seen.seen)) >= 2, "the readers should have seen more than one version"
    assert by_query(store) == written
    assert len(store.get_graph(OTHER)) == 1
    store.close()


# -- real imports -----------------------------------------------------------------------------

DOCUMENT = MEMBERS[2]  # love/2014/2014-724.xml, an amending act of 17 numbered units


def content_hash(graph: rdflib.Graph) -> str:
    """The graph without its import time, hashed: two imports of one file hash alike."""
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in graph if p != PROV.generatedAtTime)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@pytest.fixture
def two_versions(shared_dir, tmp_path) -> tuple[Path, Path]:
    """The real document, and a version of it whose last paragraph (with all below it) is gone."""
    original = corpus_member(shared_dir, DOCUMENT)
    first, second = tmp_path / "v1" / "2014-724.xml", tmp_path / "v2" / "2014-724.xml"
    first.parent.mkdir()
    second.parent.mkdir()
    first.write_bytes(original)
    last = list(re.finditer(rb"<(Paragraf|AendringCentreretParagraf|IkraftCentreretParagraf)[\s>]", original))[-1]
    close = original.index(b"</" + last.group(1) + b">", last.start()) + len(last.group(1)) + 3
    second.write_bytes(original[:last.start()] + original[close:])
    return first, second


def imported(path: Path) -> tuple[URIRef, str]:
    """The graph a file imports into, and its content hash."""
    scratch = open_store("oxigraph")
    summary = run_import([path], StoreTarget(scratch))
    assert not summary.failures and len(summary.graphs) == 1
    name = URIRef(summary.graphs[0])
    return name, content_hash(scratch.get_graph(name))


def test_readers_see_the_old_or_the_new_document_during_transactional_imports(two_versions, tmp_path):
    (name, first), (same, second) = imported(two_versions[0]), imported(two_versions[1])
    assert name == same and first != second
    store = open_store("oxigraph", location=tmp_path / "store")
    run_import([two_versions[0]], StoreTarget(store))
    stop, seen = threading.Event(), Observations()
    expected = {first: 1, second: 2}

    def read() -> None:
        while not stop.is_set():
            try:
                digest = content_hash(store.get_graph(name))
            except Exception as error:  # noqa: BLE001
                seen.problem(f"{type(error).__name__}: {error}")
                continue
            if digest in expected:
                seen.add(expected[digest])
            else:
                seen.problem(f"a graph of {store.count(name)} triples is neither version")

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for round_ in range(8):
            summary = run_import([two_versions[(round_ + 1) % 2]], StoreTarget(store))
            assert not summary.failures
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert seen.problems == []
    assert set(seen.seen) == {1, 2}, "both versions should have been read"
    store.close()


def test_a_swap_import_is_refused_while_the_store_is_open_and_changes_nothing(two_versions, tmp_path):
    """A swap import renames the store's directory, so it must not run under a process that has the
    store open (as `regelgraf serve` has): it is refused with the lock holder named, and the open
    store keeps its whole old version."""
    (name, first), _ = imported(two_versions[0]), imported(two_versions[1])
    location = tmp_path / "store"
    assert not run_import([two_versions[0]], SwapTarget(location)).failures
    serving = open_store("oxigraph", location=location)
    try:
        with pytest.raises(StoreLockedError) as caught:
            run_import([two_versions[1]], SwapTarget(location))
        assert str(location) in str(caught.value)
        assert content_hash(serving.get_graph(name)) == first
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [], "leftover copies"
    finally:
        serving.close()
    assert not run_import([two_versions[1]], SwapTarget(location)).failures  # once closed, it runs


# -- read-only opens take part in the store's lock ---------------------------------------------


@pytest.fixture
def paused_between_renames(monkeypatch):
    """Stops a swap import after its first rename (the live store moved aside, the copy not yet in)."""
    import graph.importers.targets as targets

    between, go, rename = threading.Event(), threading.Event(), os.rename

    def renaming(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
        rename(source, target, *args, **kwargs)
        if ".previous-" in str(target):
            between.set()
            assert go.wait(30), "the test never let the swap go on"

    monkeypatch.setattr(targets.os, "rename", renaming)
    yield between, go
    go.set()


def swap_in_thread(path: Path, location: Path, outcome: dict) -> threading.Thread:
    def run() -> None:
        try:
            outcome["summary"] = run_import([path], SwapTarget(location))
        except Exception as error:  # noqa: BLE001 — the test looks at it
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def read_only_hash(location: Path, name: URIRef, outcome: dict) -> None:
    try:
        store = open_store("oxigraph", location=location, read_only=True)
        try:
            outcome["hash"] = content_hash(store.get_graph(name))
        finally:
            store.close()
    except Exception as error:  # noqa: BLE001 — the test looks at it
        outcome["error"] = error


def test_a_read_only_open_during_the_swap_waits_and_sees_the_new_version(two_versions, tmp_path, paused_between_renames):
    """Opened between the swap's two renames (no store at its name), a read-only open waits for the
    swap to finish instead of failing or seeing an empty store, then reads the whole new version."""
    between, go = paused_between_renames
    (name, first), (_, second) = imported(two_versions[0]), imported(two_versions[1])
    location = tmp_path / "store"
    assert not run_import([two_versions[0]], SwapTarget(location)).failures
    go.clear()
    importing: dict = {}
    importer = swap_in_thread(two_versions[1], location, importing)
    assert between.wait(30), importing
    assert not (location / "CURRENT").exists()  # the dangerous moment: the live store is aside
    reading: dict = {}
    reader = threading.Thread(target=read_only_hash, args=(location, name, reading), daemon=True)
    reader.start()
    reader.join(0.5)
    assert reader.is_alive() and not reading, f"the read-only open did not wait for the swap: {reading}"
    go.set()
    reader.join(30)
    importer.join(30)
    assert "error" not in importing and not importing["summary"].failures
    assert reading == {"hash": second}, reading


def test_a_read_only_open_that_waits_too_long_names_the_swap_and_the_fix(two_versions, tmp_path, paused_between_renames,
                                                                       monkeypatch):
    import graph.store.lock as lock

    between, go = paused_between_renames
    name, first = imported(two_versions[0])
    location = tmp_path / "store"
    assert not run_import([two_versions[0]], SwapTarget(location)).failures
    go.clear()
    monkeypatch.setattr(lock, "OPEN_WAIT", 0.3)
    importing: dict = {}
    importer = swap_in_thread(two_versions[1], location, importing)
    assert between.wait(30), importing
    with pytest.raises(SwapInProgressError) as caught:
        open_store("oxigraph", location=location, read_only=True)
    error = caught.value
    assert error.pid == os.getpid() and str(location) in str(error)
    assert "Vent til importen er færdig" in error.message("da") and "Wait for the import to finish" in error.message("en")
    go.set()
    importer.join(30)
    assert "error" not in importing


def test_a_swap_import_is_refused_at_once_while_a_reader_has_the_store_open(two_versions, tmp_path):
    """A read-only reader holds no RocksDB lock, yet the swap must not rename its directory."""
    name, first = imported(two_versions[0])
    location = tmp_path / "store"
    assert not run_import([two_versions[0]], SwapTarget(location)).failures
    reader = open_store("oxigraph", location=location, read_only=True)
    try:
        started = time.monotonic()
        with pytest.raises(StoreInUseError) as caught:
            run_import([two_versions[1]], SwapTarget(location))
        assert time.monotonic() - started < 5, "refused before any work, not after a wait"
        assert "this process" in caught.value.message("en") and "--mode transactional" in caught.value.message("en")
        assert content_hash(reader.get_graph(name)) == first
    finally:
        reader.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [], "leftover copies"


def test_a_reader_that_opens_during_the_import_stops_the_swap_and_nothing_changes(two_versions, tmp_path, monkeypatch):
    """Opened while the copy is loaded, a reader makes the swap wait, then give up: the copy is
    thrown away and the store (and the reader) keep the old version whole."""
    name, first = imported(two_versions[0])
    location = tmp_path / "store"
    assert not run_import([two_versions[0]], SwapTarget(location)).failures
    readers: list[Store] = []
    replacing = SwapTarget.replacing

    def open_a_reader(self, graphs):  # type: ignore[no-untyped-def]
        readers.append(open_store("oxigraph", location=location, read_only=True))
        return replacing(self, graphs)

    monkeypatch.setattr(SwapTarget, "replacing", open_a_reader)
    try:
        with pytest.raises(StoreInUseError) as caught:
            run_import([two_versions[1]], SwapTarget(location, wait=0.3))
        assert str(location) in str(caught.value) and "was not changed" in caught.value.message("en")
        assert readers and content_hash(readers[0].get_graph(name)) == first
    finally:
        for reader in readers:
            reader.close()
    again = open_store("oxigraph", location=location, read_only=True)
    try:
        assert content_hash(again.get_graph(name)) == first
    finally:
        again.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [], "leftover copies"


# -- the SPARQL parser under concurrency --------------------------------------------------------

RACE = """
import sys, threading
from rdflib import Graph, Literal, URIRef
from graph.store import open_store
store = open_store(sys.argv[1])
graph = Graph()
graph.add((URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(1)))
store.replace_graphs({URIRef("http://example.org/g"): graph})
queries = ["SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }",
           "SELECT * FROM NAMED <http://example.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
           "SELECT ?v (COUNT(*) AS ?n) WHERE { ?s ?p ?v } GROUP BY ?v",
           "ASK { ?s ?p ?o OPTIONAL { ?o ?x ?y } FILTER(?o > 0) }"]
errors, start = [], threading.Barrier(8)
def client(i):
    start.wait()
    for k in range(8):
        try:
            store.query(queries[(i + k) % 4] + " " * (10 * i + k), allow_from=True)
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
threads = [threading.Thread(target=client, args=(i,)) for i in range(8)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(len(errors)); print("\\n".join(errors[:3]))
"""


@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_queries_parsed_by_many_threads_at_once_all_succeed(backend):
    for _ in range(3):  # each run is a fresh interpreter, where the parser has never been used
        run = subprocess.run([sys.executable, "-c", RACE, backend], capture_output=True, text=True,
                             cwd=Path(__file__).resolve().parent.parent, timeout=120)
        assert run.returncode == 0, run.stderr[-2000:]
        failures, _, examples = run.stdout.partition("\n")
        assert failures.strip() == "0", f"{failures.strip()} of 64 queries failed, e.g.\n{examples}"
