"""The RDF dataset a query or update runs over, when it is not the store's usual one.

Without a QueryDataset, the default graph is the union of all named graphs and every named
graph can be reached with GRAPH. A QueryDataset (from the protocol's default-graph-uri and
named-graph-uri, or the query's FROM and FROM NAMED) narrows that down. Its IRIs are names of
graphs in the local store: nothing is ever fetched, and a name without a graph is an empty graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import URIRef

from graph.store.terms import graph_name

__all__ = ["QueryDataset"]


@dataclass(frozen=True)
class QueryDataset:
    """A default graph merged from `default` and the named graphs in `named` (both may be empty)."""

    default: tuple[URIRef, ...] = ()
    named: tuple[URIRef, ...] = ()

    @classmethod
    def of(cls, default: Iterable[URIRef] | None, named: Iterable[URIRef] | None) -> QueryDataset:
        """A dataset from two lists of graph IRIs, each checked and kept once, in order."""
        return cls(_unique(default or ()), _unique(named or ()))

    def ox_default(self) -> list[ox.NamedNode]:
        """The default graphs as pyoxigraph names."""
        return [graph_name(iri) for iri in self.default]

    def ox_named(self) -> list[ox.NamedNode]:
        """The named graphs as pyoxigraph names."""
        return [graph_name(iri) for iri in self.named]


def _unique(iris: Iterable[URIRef]) -> tuple[URIRef, ...]:
    out: list[URIRef] = []
    for iri in iris:
        iri = URIRef(str(iri))
        graph_name(iri)  # refuses what cannot name a graph
        if iri not in out:
            out.append(iri)
    return tuple(out)
