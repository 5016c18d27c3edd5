"""Where pre-bound variables go in a query (graph.store.sparql_text.with_values), and that the
answers stay those of pre-binding on every backend."""

from __future__ import annotations

import pytest
import rdflib
from rdflib import Literal, URIRef

from graph.namespaces import ELI
from graph.store import open_store
from graph.store.sparql_text import with_values

EX = "https://example.org/"
ONE = URIRef(EX + "one")


def test_only_groups_that_name_a_bound_variable_get_the_row():
    text = "SELECT ?v WHERE { ?v <p> ?s . OPTIONAL { ?v <q> ?x } OPTIONAL { ?s <r> ?y } }"
    out = with_values(text, {"s": ONE})
    assert out.count("VALUES") == 2
    assert "OPTIONAL { ?v <q> ?x }" in out  # untouched: it does not name ?s
    assert out.index("VALUES") < out.index("?v <p> ?s")


def test_a_variable_named_nowhere_in_a_group_is_bound_by_a_trailing_row():
    out = with_values("SELECT ?s WHERE { ?a ?b ?c }", {"s": ONE})
    assert out.rstrip().endswith("}") and out.count("VALUES") == 1 and "{ ?a ?b ?c }" in out


@pytest.fixture(params=["memory", "oxigraph"])
def store(request):  # type: ignore[no-untyped-def]
    store = open_store(request.param)
    graph = rdflib.Graph()
    doc, part, sub = URIRef(EX + "doc"), URIRef(EX + "doc/par_1"), URIRef(EX + "doc/par_1/stk_1")
    graph.add((part, ELI.is_part_of, doc))
    graph.add((sub, ELI.is_part_of, part))
    graph.add((sub, ELI.is_member_of, ONE))
    graph.add((URIRef(EX + "other"), ELI.is_member_of, URIRef(EX + "two")))
    graph.add((sub, rdflib.RDFS.label, Literal("stk. 1")))
    store.replace_graphs({URIRef(EX + "g"): graph})
    yield store
    store.close()


def test_answers_are_those_of_pre_binding(store):
    # ?s is named only in the first pattern; the OPTIONAL paths must still start from each ?v.
    query = """SELECT ?v ?doc ?label WHERE {
      ?v <http://data.europa.eu/eli/ontology#is_member_of> ?s .
      OPTIONAL { ?v <http://www.w3.org/2000/01/rdf-schema#label> ?label }
      OPTIONAL { ?v <http://data.europa.eu/eli/ontology#is_part_of>+ ?doc . FILTER(STRENDS(STR(?doc), "doc")) } }"""
    rows = {tuple(map(str, row)) for row in store.query(query, bindings={"s": ONE}).rows}
    assert rows == {(EX + "doc/par_1/stk_1", EX + "doc", "stk. 1")}

