"""Store.iri_pairs, the impact index's bulk read, on every backend that has one."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef

from graph.impact import clear_cache, edge_index
from graph.namespaces import ELI
from graph.store import open_store

EX = "https://example.org/"


@pytest.fixture(params=["oxigraph", "remote"])
def store(request, tmp_path):  # type: ignore[no-untyped-def]
    if request.param == "remote":
        server = request.getfixturevalue("oxigraph_server")
        server.clear()
        store = server.open()
    else:
        store = open_store("oxigraph", location=tmp_path / "store")
    graph = rdflib.Graph()
    for i in range(2000):  # enough rows to stream, as a corpus' citations are
        graph.add((URIRef(f"{EX}a/{i}"), ELI.cites, URIRef(f"{EX}b/{i % 97}")))
    graph.add((URIRef(EX + "lit"), ELI.cites, Literal("not an IRI")))
    graph.add((BNode(), ELI.cites, URIRef(EX + "b/1")))
    store.replace_graphs({URIRef(EX + "g1"): graph, URIRef(EX + "g2"): rdflib.Graph().parse(
        data=f"<{EX}c> <{ELI.cites}> <{EX}d> .", format="turtle")})
    yield store
    clear_cache(store)
    store.close()


def test_pairs_are_the_iri_pairs_of_the_property(store):
    pairs = set(store.iri_pairs(ELI.cites))
    assert pairs == {(f"{EX}a/{i}", f"{EX}b/{i % 97}") for i in range(2000)} | {(EX + "c", EX + "d")}


def test_the_impact_index_reads_them(store):
    index = edge_index(store)
    assert ("cites", EX + "b/5") in index.outgoing[EX + "a/5"] and ("cites", EX + "c") in index.incoming[EX + "d"]
