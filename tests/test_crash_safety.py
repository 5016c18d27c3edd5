"""kill -9 at any moment leaves the embedded store in its previous or its next state, never between.

A writer process replaces one named graph again and again, each version tagged with its number;
it is killed at several moments. Reopened, the graph must hold exactly one complete version.
The same is checked for `regelgraf build` killed while it works.
"""

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter

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
