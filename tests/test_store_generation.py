"""Store.generation: a write counter that caches (the impact edge index) can key on."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from graph.impact.index import store_state
from graph.store import open_store

G = URIRef("https://regelgraf.dk/id/graph/test")


def one_triple(text: str) -> dict[URIRef, Graph]:
    graph = Graph()
    graph.add((URIRef("https://regelgraf.dk/id/test/x"), RDFS.label, Literal(text)))
    return {G: graph}


@pytest.mark.parametrize("backend", ["oxigraph", "memory"])
def test_every_write_changes_the_generation(backend: str) -> None:
    store = open_store(backend)
    seen = [store.generation]
    store.replace_graphs(one_triple("a"))
    seen.append(store.generation)
    store.add_graphs(one_triple("b"))
    seen.append(store.generation)
    store.update(f"DELETE WHERE {{ GRAPH <{G}> {{ ?s ?p \"b\" }} }}")
    seen.append(store.generation)
    store.remove_graphs([G])
    seen.append(store.generation)
    assert len(set(seen)) == len(seen)
    assert store_state(store) == ("generation", store.generation)


def test_stores_others_can_write_have_no_generation(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with open_store("oxigraph", location=tmp_path / "s") as store:
        store.replace_graphs(one_triple("a"))
    with open_store("oxigraph", location=tmp_path / "s", read_only=True) as view:
        assert view.generation is None
        assert store_state(view)[0] == "content"
    assert open_store("remote", endpoint="http://127.0.0.1:9/sparql").generation is None
