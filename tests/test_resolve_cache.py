"""graph.resolve keeps the law index while the store is unchanged and reads it again after a write."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import Literal, URIRef

from graph.namespaces import RG
from graph.resolve import ResolveError, law_index, resolve_provision
from graph.store import open_store

ID = "https://regelgraf.dk/id/"


def law(key: str, provision: str) -> rdflib.Graph:
    graph = rdflib.Graph()
    work = URIRef(ID + f"work/{key}")
    graph.add((work, rdflib.RDF.type, RG.LawWork))
    graph.add((work, RG.workKey, Literal(key)))
    part = URIRef(ID + f"work/{key}/par_{provision}")
    graph.add((part, rdflib.RDF.type, RG.Provision))
    graph.add((part, URIRef("http://data.europa.eu/eli/ontology#is_part_of"), work))
    graph.add((part, RG.citation, Literal(f"{key} § {provision}")))
    return graph


@pytest.fixture(params=["memory", "oxigraph"])
def store(request):  # type: ignore[no-untyped-def]
    store = open_store(request.param)
    store.replace_graphs({URIRef(ID + "graph/a"): law("alfaloven", "1")})
    yield store
    store.close()


def test_the_index_is_kept_until_the_store_changes(store):
    first = law_index(store)
    assert law_index(store) is first
    store.replace_graphs({URIRef(ID + "graph/b"): law("betaloven", "2")})
    second = law_index(store)
    assert second is not first and second.lookup("betaloven") == "betaloven"
    assert resolve_provision(store, "betaloven § 2") == URIRef(ID + "work/betaloven/par_2")


def test_a_missing_provision_suggests_ones_of_the_same_law(store):
    with pytest.raises(ResolveError) as caught:
        resolve_provision(store, "alfaloven § 2")
    assert caught.value.suggestions == ["alfaloven § 1"]
    assert resolve_provision(store, "Alfaloven § 1") == URIRef(ID + "work/alfaloven/par_1")
