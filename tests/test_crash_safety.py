"""kill -9 at any moment leaves the embedded store in its previous or its next state, never between.

A writer process replaces one named graph again and again, each version tagged with its number;
it is killed at several moments. Reopened, the graph must hold exactly one complete version.
The same is checked for `regelgraf build` killed while it works, and for `regelgraf import` (both
modes) and `regelgraf load` run as real CLI subprocesses on corpus documents and killed at moments
they announce and at fractions of a run.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest
from rdflib import URIRef

from graph.store import open_store

GRAPH = "https://example.org/crash/g"
TRIPLES_PER_VERSION = 20_000

WRITER = textwrap.dedent(f"""
    import sys
    from rdflib import Graph, Literal, URIRef
    from graph.store import open_store

    store = open_store("oxigraph", location=sys.argv[1])
    version = 0
    while True:
        version += 1
        content = Graph()
        for i in range({TRIPLES_PER_VERSION}):
            content.add((URIRef(f"https://example.org/s{{i}}"), URIRef("https://example.org/version"), Literal(version)))
        store.replace_graphs({{URIRef("{GRAPH}"): content}})
        print(version, flush=True)
""")


def versions_in(location) -> tuple[int, set[int]]:
    store = open_store("oxigraph", location=location)
    try:
        rows = store.query(f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?v }} }} GROUP BY ?v").rows
        return sum(int(n) for _, n in rows), {int(v) for v, _ in rows}
    finally:
        store.close()


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 1.1, 2.3, 3.7])
def test_replace_graphs_survives_kill_9(tmp_path, delay):
    location = tmp_path / "store"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(location)], stdout=subprocess.PIPE, text=True)
    time.sleep(delay)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    count, versions = versions_in(location)
    assert len(versions) <= 1, f"a mix of versions {sorted(versions)} after kill -9"
    assert count in (0, TRIPLES_PER_VERSION), f"{count} triples: a partial version after kill -9"


def snapshot(location) -> frozenset:
    """Every quad but the build time stamps, blank-node labels folded.

    Two complete builds differ in their prov:generatedAtTime and in the labels of their blank
    nodes, nothing else; the count of each folded line still tells a partial write apart.
    """
    store = open_store("oxigraph", location=location)
    try:
        lines = store.dump("nquads").decode("utf-8").splitlines()
        kept = [re.sub(r"_:\S+", "_:b", line) for line in lines if "http://www.w3.org/ns/prov#generatedAtTime" not in line]
        return frozenset(Counter(kept).items())
    finally:
        store.close()


@pytest.mark.slow
def test_build_killed_at_several_moments_leaves_old_or_new_state(tmp_path):
    """A store holding a fixture is rebuilt with the shipped data; kills land in parse, validation and write."""
    fixture = os.path.join(os.path.dirname(__file__), "fixtures", "rdf", "municipality.ttl")
    location = tmp_path / "store"
    cli = [sys.executable, "-m", "graph", "--store", str(location)]
    subprocess.run([*cli, "load", fixture], check=True, capture_output=True)
    old = snapshot(location)
    started = time.monotonic()
    subprocess.run([*cli, "build"], check=True, capture_output=True, cwd=tmp_path)
    full_build = time.monotonic() - started
    new = snapshot(location)
    assert new != old
    subprocess.run([*cli, "build"], check=True, capture_output=True, cwd=tmp_path)
    assert snapshot(location) == new, "two complete builds must compare equal"
    # Back to the old state, then kill rebuilds at fractions of a full build's duration.
    for fraction in (0.2, 0.5, 0.8, 0.95):
        store = open_store("oxigraph", location=location)
        store.remove_graphs([URIRef(line.rsplit(" ", 2)[-2].strip("<>")) for line, _ in new - old if line.strip()])
        store.close()
        assert snapshot(location) == old
        process = subprocess.Popen([*cli, "build"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tmp_path)
        time.sleep(full_build * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = snapshot(location)
        assert after in (old, new), f"killed at {fraction:.0%} of a build: neither the old nor the new state"


# -- kill -9 during `regelgraf import` and `regelgraf load`, end to end ------------------------
#
# The real CLI runs in a subprocess on a store holding a known earlier state and is killed with
# SIGKILL at moments it announces on standard error (a wrapper pauses it there: after the copy,
# before and between the swap's renames, after a transaction) and at fractions of a full run.
# The store is then opened as any later command opens it, and must hold exactly the old or the
# new state; the same command run again must then reach the new state and leave nothing behind.

RUNNER = textwrap.dedent("""
    import os, shutil, sys, time

    point, args = sys.argv[1], sys.argv[2:]

    def pause(name):
        if name == point:
            print(f"@{name}", file=sys.stderr, flush=True)
            time.sleep(120)  # the test kills the process here

    import graph.importers.targets as targets
    import graph.store.oxigraph as backend

    rename, renames = os.rename, []

    def renaming(source, target, *args, **kwargs):
        swapping = ".previous-" in str(target) or ".import-" in str(source)
        if swapping:
            pause(f"before-rename-{len(renames) + 1}")
        rename(source, target, *args, **kwargs)
        if swapping:
            renames.append(target)
            pause(f"after-rename-{len(renames)}")

    os.rename = renaming
    index, write, update = targets.SwapTarget.index, targets.StoreTarget.write, backend.OxigraphStore._run_update
    writes, updates = [], []

    def indexed(self, *args):
        index(self, *args)
        pause("copied")

    def writing(self, graphs):
        write(self, graphs)
        writes.append(1)
        pause(f"batch-{len(writes)}")

    def updating(self, request):
        pause(f"before-update-{len(updates) + 1}")
        update(self, request)
        updates.append(1)
        pause(f"after-update-{len(updates)}")

    targets.SwapTarget.index, targets.StoreTarget.write = indexed, writing
    backend.OxigraphStore._run_update = updating

    from graph.cli import main

    sys.argv = ["regelgraf", *args]
    main()
""")


def run_cli(location, args, cwd, point: str = "-") -> subprocess.Popen:
    """The real CLI in a subprocess, pausing at ``point`` (``-``: nowhere)."""
    return subprocess.Popen([sys.executable, "-c", RUNNER, point, "--store", str(location), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=cwd)


def kill_at(location, args, cwd, point: str) -> None:
    """Run the CLI until it announces ``point``, then kill -9 it there."""
    process = run_cli(location, args, cwd, point)
    seen = []
    for line in process.stderr:  # type: ignore[union-attr]
        if line.strip() == f"@{point}":
            break
        seen.append(line)
    else:
        process.wait()
        pytest.fail(f"the run ended (exit {process.returncode}) before {point}: {''.join(seen)[-2000:]}")
    process.send_signal(signal.SIGKILL)
    process.wait()


def kill_after(location, args, cwd, seconds: float) -> None:
    process = run_cli(location, args, cwd)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()


def complete(location, args, cwd) -> float:
    """Run the CLI to its end; the seconds it took."""
    started = time.monotonic()
    process = run_cli(location, args, cwd)
    _, err = process.communicate()
    assert process.returncode == 0, err
    return time.monotonic() - started


def assert_old_or_new(location, old: frozenset, new: frozenset, where: str) -> None:
    after = snapshot(location)
    assert after in (old, new), (
        f"killed {where}: neither the old nor the new state ({len(after)} distinct quads; "
        f"old {len(old)}, new {len(new)})")


def assert_each_graph_old_or_new(location, old: frozenset, new: frozenset, where: str) -> None:
    before, after, wanted = graphs_of(old), graphs_of(snapshot(location)), graphs_of(new)
    for name in set(before) | set(after) | set(wanted):
        assert after.get(name) in (before.get(name), wanted.get(name)), f"killed {where}: graph {name} is half written"


def graphs_of(state: frozenset) -> dict[str, Counter]:
    """A snapshot's quads by named graph."""
    graphs: dict[str, Counter] = {}
    for line, count in state:
        graphs.setdefault(line.rsplit(" ", 2)[-2], Counter())[line] += count
    return graphs


def nothing_left_beside(location) -> list[str]:
    return sorted(p.name for p in location.parent.iterdir() if p.name.startswith(f".{location.name}."))


@pytest.fixture(scope="module")
def corpus_docs(tmp_path_factory):
    """Four real corpus documents: two make the old state, three (one again) the new one."""
    from test_fuzz_importers import MEMBERS, corpus_member

    shared_dir = Path(os.environ.get("REGELGRAF_SHARED") or Path(__file__).resolve().parents[2] / "shared")
    if not shared_dir.is_dir():
        pytest.skip(f"shared reference material not found at {shared_dir}; set REGELGRAF_SHARED")
    folder = tmp_path_factory.mktemp("corpus")
    paths = []
    for member in MEMBERS:
        path = folder / member.rsplit("/", 1)[-1]
        path.write_bytes(corpus_member(shared_dir, member))
        paths.append(str(path))
    return paths[:2], [paths[1], *paths[2:]]


@pytest.fixture(scope="module")
def import_states(tmp_path_factory, corpus_docs):
    """A store holding the old documents, the new state reached from it, per mode, and a run's duration."""
    old_docs, new_docs = corpus_docs
    states = {}
    for mode in ("swap", "transactional"):
        base = tmp_path_factory.mktemp(f"import-{mode}")
        pristine = base / "old" / "store"
        complete(pristine, ["import", "--mode", mode, "--validate", "rules", *old_docs], base)
        reached = base / "new" / "store"
        shutil.copytree(pristine.parent, reached.parent)
        args = ["import", "--mode", mode, "--validate", "rules", "--batch", "1", *new_docs]
        seconds = complete(reached, args, base)
        old, new = snapshot(pristine), snapshot(reached)
        assert old != new and len(new) > len(old)
        states[mode] = (pristine, args, old, new, seconds)
    return states


def fresh_copy(pristine, tmp_path):
    location = tmp_path / "live" / "store"
    shutil.copytree(pristine.parent, location.parent)
    return location


def run_again(location, args) -> None:
    """The next command: the same import, in this process, through the CLI; it must succeed."""
    from click.testing import CliRunner

    from graph.cli import cli

    result = CliRunner().invoke(cli, ["--store", str(location), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr


def kill_when(location: Path, args: list[str], tmp_path: Path, moment: str | float, seconds: float) -> None:
    """Kill the import at a named point of its work, or after a fraction of a normal run's time."""
    if isinstance(moment, str):
        kill_at(location, args, tmp_path, moment)
    else:
        kill_after(location, args, tmp_path, seconds * moment)


SWAP_POINTS = ["copied", "before-rename-1", "after-rename-1", "after-rename-2"]


@pytest.mark.parametrize("moment", [*SWAP_POINTS, 0.3, 0.6, 0.9])
def test_swap_import_killed_leaves_old_or_new_state_and_the_next_import_works(import_states, tmp_path, moment):
    """Killed after the copy, before or between the two renames, after them, or at a fraction of a run."""
    pristine, args, old, new, seconds = import_states["swap"]
    location = fresh_copy(pristine, tmp_path)
    kill_when(location, args, tmp_path, moment, seconds)
    # Opened as any command opens it (the CLI makes the directory first if it is missing).
    location.mkdir(exist_ok=True)
    assert_old_or_new(location, old, new, f"at {moment}")
    if moment == "after-rename-1":
        assert snapshot(location) == old, "a store left aside between the renames is put back"
    if moment == "after-rename-2":
        assert snapshot(location) == new
    run_again(location, args)
    assert snapshot(location) == new
    assert nothing_left_beside(location) == [], "copies or a previous store left behind"


@pytest.mark.parametrize("moment", ["before-update-1", "after-update-1", 0.5, 0.9])
def test_transactional_import_in_one_batch_killed_leaves_old_or_new_state(import_states, tmp_path, moment):
    """With every document in one batch, the import is one transaction: old or new, whole."""
    pristine, args, old, new, seconds = import_states["transactional"]
    args = [a if a != "1" else "25" for a in args]  # --batch 25: one transaction for the three documents
    location = fresh_copy(pristine, tmp_path)
    kill_when(location, args, tmp_path, moment, seconds)
    assert_old_or_new(location, old, new, f"at {moment}")
    if moment == "after-update-1":
        assert snapshot(location) == new, "a committed transaction survives kill -9"
    run_again(location, args)
    assert snapshot(location) == new


@pytest.mark.parametrize("moment", ["batch-1", "batch-2", 0.5])
def test_transactional_import_killed_between_batches_leaves_each_document_old_or_new(import_states, tmp_path, moment):
    """A batch is a transaction, the import as a whole is not: each document graph is old or new, whole."""
    pristine, args, old, new, seconds = import_states["transactional"]
    location = fresh_copy(pristine, tmp_path)
    kill_when(location, args, tmp_path, moment, seconds)
    assert_each_graph_old_or_new(location, old, new, f"at {moment}")
    if moment == "batch-2":  # the first document is the same in both states, the second is new
        assert snapshot(location) not in (old, new), "two batches are committed, the third not"
    run_again(location, args)
    assert snapshot(location) == new


def triples_file(path, name: str, count: int, version: int) -> str:
    path.write_text("".join(f"<https://example.org/{name}/s{i}> <https://example.org/version> {version} .\n"
                            for i in range(count)), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def load_states(tmp_path_factory):
    """A store holding a.ttl (version 1); the new state replaces it (version 2, larger) and adds b.ttl."""
    base = tmp_path_factory.mktemp("load")
    first, second = base / "v1", base / "v2"
    first.mkdir()
    second.mkdir()
    pristine = base / "old" / "store"
    complete(pristine, ["load", triples_file(first / "a.ttl", "a", 500, 1)], base)
    args = ["load", triples_file(second / "a.ttl", "a", 3000, 2), triples_file(second / "b.ttl", "b", 3000, 2)]
    reached = base / "new" / "store"
    shutil.copytree(pristine.parent, reached.parent)
    seconds = complete(reached, args, base)
    old, new = snapshot(pristine), snapshot(reached)
    assert len(old) == 500 and len(new) == 6000
    return pristine, args, old, new, seconds


@pytest.mark.parametrize("moment", ["before-update-1", "after-update-1", 0.3, 0.6, 0.9])
def test_load_killed_leaves_old_or_new_state_and_the_next_load_works(load_states, tmp_path, moment):
    pristine, args, old, new, seconds = load_states
    location = fresh_copy(pristine, tmp_path)
    kill_when(location, args, tmp_path, moment, seconds)
    assert_old_or_new(location, old, new, f"at {moment}")
    if moment == "after-update-1":
        assert snapshot(location) == new
    run_again(location, args)
    assert snapshot(location) == new
