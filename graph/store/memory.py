"""A small in-memory backend: an rdflib Dataset whose default graph is the union of all graphs.

Writes build a complete new Dataset and then swap one reference, so a write that fails while
building changes nothing, and a reader holding the old Dataset keeps a consistent view.
SPARQL updates run the same way: the quads are copied into an in-memory pyoxigraph store, the
update runs there (so it behaves exactly as on the Oxigraph backend, and rdflib never sees a
USING clause, which it would fetch), and the result becomes the new Dataset.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path

import pyoxigraph as ox
import rdflib
import rdflib.plugins.sparql
from rdflib import Dataset, Graph, Literal, URIRef, Variable
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalPart
from rdflib.plugins.sparql.processor import SPARQLResult, prepareQuery
from rdflib.plugins.sparql.sparql import QueryContext
from rdflib.query import Result

from graph.sparql_guard import RDFLIB_PARSE_LOCK, parse_query_locked
from graph.store.base import QueryResult, Store, graph_result, no_endpoints, select_result
from graph.store.dataset import QueryDataset
from graph.store.deadline import Deadline
from graph.store.errors import ClosedStoreError, QueryError, QuerySyntaxError, StoreWriteError
from graph.store.sparql_text import oxigraph_syntax_error, query_form, with_values
from graph.store.terms import Term, from_ox, graph_name, graph_quads, to_ox

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """rdflib's Memory store; for tests and tiny data, gone on close()."""

    name = "memory"
    persistent = False
    remote = False
    transactional = True
    sole_writer = True  # the data lives in this object; nobody else can change it

    def __init__(self, *, read_only: bool = False) -> None:
        # rdflib would otherwise fetch FROM and LOAD IRIs; the guard refuses them as well.
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        self.read_only = read_only
        self._dataset: Dataset | None = _empty()
        self._lock = threading.Lock()

    @classmethod
    def open(cls, *, location: str | Path | None = None, endpoint: str | None = None,
             update_endpoint: str | None = None, store_endpoint: str | None = None,
             read_only: bool = False, timeout: float = 60.0) -> MemoryStore:
        """A fresh empty store; a location is ignored (as for remote), endpoints are refused."""
        no_endpoints(cls.name, endpoint, update_endpoint, store_endpoint)
        return cls(read_only=read_only)

    # -- querying ---------------------------------------------------------------------------

    def _query(self, sparql: str, bindings: dict[str, Term], limit: int | None, *,
               dataset: QueryDataset | None = None, base_iri: str | None = None,
               deadline: Deadline | None = None) -> QueryResult:
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        live = self._live()
        if bindings and query_form(sparql) == "describe":
            # rdflib ignores initBindings for DESCRIBE ?v without WHERE; VALUES it does see.
            sparql, bindings = with_values(sparql, bindings), {}
        try:
            if dataset is None:
                with RDFLIB_PARSE_LOCK:  # rdflib's grammar is not thread-safe
                    prepared = prepareQuery(sparql, base=base_iri)
                answer = live.query(prepared, initBindings=bindings)
            else:
                answer = _query_dataset(live, sparql, bindings, dataset, base_iri)
            if answer.type == "ASK":
                return QueryResult("ask", boolean=bool(answer.askAnswer))
            if answer.type == "SELECT":
                columns = [str(v) for v in answer.vars or []]
                rows = (tuple(_plain(t) for t in row) for row in answer)
                return select_result(columns, rows, limit, deadline)
            triples = (tuple(_plain(t) for t in triple) for triple in answer.graph)
            return graph_result(query_form(sparql), triples, limit, deadline)
        except QueryError:
            raise
        except Exception as exc:  # rdflib raises bare Exception for evaluation errors
            raise QueryError(f"Forespørgslen fejlede i rdflib: {exc}",
                             f"The query failed in rdflib: {exc}") from exc

    def _update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """A checked update, run by an in-memory pyoxigraph store on a copy of the quads."""
        with self._lock:
            engine = ox.Store()
            engine.extend(self._ox_quads(None))
            try:
                engine.update(sparql, base_iri=base_iri)
            except SyntaxError as exc:
                raise (oxigraph_syntax_error(sparql, str(exc))
                       or QuerySyntaxError(str(exc))) from exc
            except (RuntimeError, ValueError, OSError) as exc:
                raise QueryError(f"Opdateringen fejlede, og intet blev ændret: {exc}",
                                 f"The update failed and nothing was changed: {exc}") from exc
            if next(iter(engine.quads_for_pattern(None, None, None, ox.DefaultGraph())), None):
                raise StoreWriteError(self.describe(), "the update wrote to the default graph")
            new = _empty()
            for quad in engine:
                new.graph(URIRef(quad.graph_name.value)).add(
                    (from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
            self._dataset = new

    # -- writing ----------------------------------------------------------------------------

    def _write(self, drop: list[URIRef], add: Mapping[URIRef, rdflib.Graph]) -> None:
        # Validate and convert everything before touching anything.
        quads = [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object), URIRef(str(g)))
                 for g, graph in add.items() for q in graph_quads({g: graph})]
        with self._lock:
            self._dataset = self._build(self._live(), set(drop), quads)

    def _build(self, current: Dataset, drop: set[URIRef], quads: list[tuple]) -> Dataset:
        """A new Dataset: the current graphs minus `drop`, plus `quads`."""
        new = _empty()
        for graph in current.graphs():
            if graph.identifier != DATASET_DEFAULT_GRAPH_ID and graph.identifier not in drop:
                target = new.graph(graph.identifier)
                target += graph
        for key, group in itertools.groupby(quads, key=lambda q: q[3]):
            target = new.graph(key)
            target.addN((s, p, o, target) for s, p, o, _ in group)
        return new

    # -- reading ----------------------------------------------------------------------------

    def graph_names(self) -> list[URIRef]:
        """The named graphs holding at least one triple, sorted."""
        return sorted(g.identifier for g in self._live().graphs()
                      if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g) > 0
                      and isinstance(g.identifier, URIRef))

    def count(self, graph: URIRef | None = None) -> int:
        """The number of quads in all named graphs, or of triples in one graph."""
        graphs = [g for g in self._live().graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID]
        if graph is not None:
            graph_name(graph)
            graphs = [g for g in graphs if g.identifier == graph]
        return sum(len(g) for g in graphs)

    def _ox_quads(self, graph: URIRef | None) -> Iterator[ox.Quad]:
        for g in self._live().graphs():
            if g.identifier == DATASET_DEFAULT_GRAPH_ID or (graph is not None
                                                             and g.identifier != graph):
                continue
            name = graph_name(g.identifier)
            for s, p, o in g:
                yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), name)

    # -- lifecycle --------------------------------------------------------------------------

    def describe(self) -> str:
        """Backend name."""
        mode = " (skrivebeskyttet / read-only)" if self.read_only else ""
        return f"memory: rdflib Dataset i hukommelsen / in memory{mode}"

    def close(self) -> None:
        """Drop the data."""
        self._dataset = None

    def _live(self) -> Dataset:
        if self._dataset is None:
            raise ClosedStoreError(self.describe())
        return self._dataset


def _query_dataset(live: Dataset, sparql: str, bindings: dict[str, Term],
                   dataset: QueryDataset, base_iri: str | None) -> Result:
    """Evaluate over a dataset built here from local graphs: rdflib never sees a FROM clause
    (it would fetch it), and the default graph is exactly the merge of `dataset.default`."""
    named = Dataset(default_union=False)
    for iri in dataset.named:
        target = named.graph(iri)
        target += live.get_context(iri)  # get_context, unlike graph(), adds nothing to `live`
    default = Graph()
    for iri in dataset.default:
        default += live.get_context(iri)
    query = translateQuery(parse_query_locked(sparql), base_iri, None)
    context = QueryContext(named, initBindings={Variable(k): v for k, v in bindings.items()})
    context.graph = default  # the dataset's default graph, instead of the union
    context.prologue = query.prologue
    return SPARQLResult(evalPart(context, query.algebra))


def _empty() -> Dataset:
    return Dataset(default_union=True)


def _plain(term: Term | None) -> Term | None:
    """xsd:string literals as plain literals, as the other backends return them."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term
