"""The store interface every backend implements (QueryResult lives in graph.store.result).

Terms at the interface are rdflib terms. The default graph of every query is the union of
all named graphs unless a QueryDataset narrows it. Every user query passes
graph.sparql_guard.check_query before it runs, every update graph.sparql_guard.check_update.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef

from graph import settings, sparql_guard
from graph.namespaces import PREFIXES
from graph.store.dataset import QueryDataset
from graph.store.deadline import Deadline, run_with_deadline
from graph.store.errors import (
    BindingError, FormatError, QueryError, QueryTimeoutError, ReadOnlyStoreError, StoreBusyError,
    StoreConfigError, UnsupportedUpdateError,
)
from graph.store.result import QueryResult, graph_result, select_result
from graph.store.sparql_text import VARIABLE_NAME, with_using
from graph.store.terms import Term, from_ox, graph_name

__all__ = [
    "Store", "QueryResult", "QueryDataset", "FORMATS", "rdf_format", "select_result",
    "graph_result", "no_endpoints", "dump_prefixes",
]

# name → (pyoxigraph format, holds named graphs)
FORMATS: dict[str, tuple[ox.RdfFormat, bool]] = {
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "rdfxml": (ox.RdfFormat.RDF_XML, False),
}
_ALIASES = {"nq": "nquads", "json-ld": "jsonld", "ttl": "turtle", "nt": "ntriples",
            "xml": "rdfxml", "rdf": "rdfxml"}
_WITH_PREFIXES = {ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG}


def rdf_format(fmt: str) -> tuple[ox.RdfFormat, bool]:
    """The pyoxigraph format for a format name, and whether it can hold named graphs."""
    key = _ALIASES.get(fmt.lower(), fmt.lower())
    if key not in FORMATS:
        known = ", ".join(sorted(FORMATS))
        raise FormatError(f"Ukendt format {fmt!r}; vælg en af: {known}.",
                          f"Unknown format {fmt!r}; choose one of: {known}.")
    return FORMATS[key]


def dump_prefixes(rdf: ox.RdfFormat) -> dict[str, str] | None:
    """The project's prefixes for the formats that abbreviate with them."""
    return PREFIXES if rdf in _WITH_PREFIXES else None


class Store(ABC):
    """An RDF dataset of named graphs that can be queried, written atomically and dumped."""

    name: ClassVar[str]
    persistent: ClassVar[bool]  # the data outlives close()
    remote: ClassVar[bool]  # the data lives behind a network endpoint
    # replace_graphs/add_graphs/remove_graphs are all-or-nothing, guaranteed by this client
    transactional: ClassVar[bool]
    # every change to the data goes through this object (no other client can write it)
    sole_writer: ClassVar[bool] = False

    read_only: bool = False
    _writes: int = 0

    @property
    def generation(self) -> int | None:
        """A number that changes with every write through this object, for caches keyed on the data.

        None when the data can change without this object knowing (a remote endpoint, or a
        read-only view of a store another process may write): then callers must look at the data.
        """
        return self._writes if self.sole_writer and not self.read_only else None

    def iri_pairs(self, predicate: URIRef) -> Iterator[tuple[str, str]] | None:
        """(subject, object) IRIs of every triple of ``predicate`` in the named graphs, as plain
        strings, read natively; None when the backend has nothing faster than a SPARQL query.

        For bulk readers (the impact edge index): building rdflib terms for a million rows costs
        more than finding them. A triple stated in several graphs may come once per graph.
        """
        return None

    @classmethod
    @abstractmethod
    def open(cls, *, location: str | Path | None, endpoint: str | None,
             update_endpoint: str | None, store_endpoint: str | None, read_only: bool,
             timeout: float) -> Store:
        """Open from open_store's options, refusing options that contradict this backend."""

    # -- querying ---------------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              limit: int | None = None, default_graphs: Iterable[URIRef] | None = None,
              named_graphs: Iterable[URIRef] | None = None, allow_from: bool = False,
              base_iri: str | None = None, timeout: float | None = None) -> QueryResult:
        """Run a SPARQL query with pre-bound variables, by default over the union of all graphs.

        default_graphs / named_graphs (the protocol's default-graph-uri / named-graph-uri) choose
        local graphs as the dataset; giving either replaces any FROM in the text. FROM and FROM
        NAMED are refused unless `allow_from`, which reads them as names of local graphs; they
        are taken out of the text before any engine sees it, so nothing is ever fetched.
        `base_iri` resolves relative IRIs; `timeout` (seconds) stops the query with
        QueryTimeoutError (see graph.store.deadline for what happens to the abandoned work).
        Without `timeout` the query_timeout setting applies (REGELGRAF_QUERY_TIMEOUT, read at
        each call), so no query runs unbounded unless the operator sets it to 0.
        """
        text, dataset = sparql, None
        if allow_from:
            text, dataset = sparql_guard.split_dataset(sparql, base_iri)
        sparql_guard.check_query(text)
        if default_graphs is not None or named_graphs is not None:
            dataset = QueryDataset.of(default_graphs, named_graphs)
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            raise BindingError(f"limit skal være et ikke-negativt heltal, ikke {limit!r}.",
                               f"limit must be a non-negative integer, not {limit!r}.")
        values = _bindings(bindings)

        def run(deadline: Deadline | None) -> QueryResult:
            return self._query(text, values, limit, dataset=dataset, base_iri=base_iri,
                               deadline=deadline)

        if timeout is None:
            timeout = settings.query_timeout()
        try:
            return run(None) if timeout is None else run_with_deadline(run, timeout)
        except (QueryTimeoutError, StoreBusyError):
            raise
        except QueryError:
            # Engines word and place errors differently; rdflib's grammar gives one answer
            # for all backends (it returns quietly for syntax only the engine knows).
            sparql_guard.check_query_thoroughly(text)
            raise

    @abstractmethod
    def _query(self, sparql: str, bindings: dict[str, Term], limit: int | None, *,
               dataset: QueryDataset | None = None, base_iri: str | None = None,
               deadline: Deadline | None = None) -> QueryResult:
        """Run a query already checked by the guard, over `dataset` (None: the union)."""

    def update(self, sparql: str, *, using_graphs: Iterable[URIRef] | None = None,
               using_named_graphs: Iterable[URIRef] | None = None,
               base_iri: str | None = None) -> None:
        """Run a SPARQL 1.1 Update as one transaction, after the guard has checked it.

        LOAD and SERVICE are refused, and so is anything that would write to, or read without
        choosing it, the default graph (which is the union of the named graphs, not stored).
        using_graphs / using_named_graphs (the protocol's using-graph-uri and
        using-named-graph-uri) act as USING / USING NAMED on every operation with a WHERE
        clause; they conflict with USING or WITH in the text. Graph IRIs name local graphs.
        """
        self._check_writable()
        plan = sparql_guard.check_update(sparql)
        given = using_graphs is not None or using_named_graphs is not None
        text = plan.text
        if given:
            own = next((op for op in plan.operations if op.own_dataset), None)
            if own is not None:
                raise UnsupportedUpdateError(
                    "USING",
                    f"Opdateringen har selv USING eller WITH (i {own.kind}) og får samtidig "
                    "using-graph-uri/using-named-graph-uri; vælg det ene.",
                    f"The update has USING or WITH of its own (in {own.kind}) and also gets "
                    "using-graph-uri/using-named-graph-uri; choose one.",
                )
            dataset = QueryDataset.of(using_graphs, using_named_graphs)
            text = with_using(text, dataset.default, dataset.named)
        else:
            blind = next((op for op in plan.operations if op.reads_default and not op.own_dataset),
                         None)
            if blind is not None:
                raise UnsupportedUpdateError(
                    "DEFAULT",
                    f"WHERE-delen i {blind.kind} læser standardgrafen uden at vælge den. Lageret "
                    "gemmer kun navngivne grafer: skriv GRAPH ?g { … } eller GRAPH <iri> { … }, "
                    "eller vælg grafer med WITH, USING eller using-graph-uri.",
                    f"The WHERE clause of {blind.kind} reads the default graph without choosing "
                    "it. The store keeps named graphs only: write GRAPH ?g { … } or "
                    "GRAPH <iri> { … }, or choose graphs with WITH, USING or using-graph-uri.",
                )
        try:
            self._update(text, base_iri=base_iri)
        finally:
            self._writes += 1  # also after a failure: a needless cache rebuild is harmless

    def _update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Run an update already checked by the guard, as one transaction."""
        raise UnsupportedUpdateError(
            "UPDATE", f"Lageret {self.describe()} kan ikke køre SPARQL-opdateringer.",
            f"The store {self.describe()} cannot run SPARQL updates.")

    # -- writing ----------------------------------------------------------------------------

    def replace_graphs(self, mapping: Mapping[URIRef, rdflib.Graph]) -> None:
        """Replace each named graph by the given content, all or nothing."""
        self._check_writable()
        try:
            self._write(list(mapping), mapping)
        finally:
            self._writes += 1

    def add_graphs(self, mapping: Mapping[URIRef, rdflib.Graph]) -> None:
        """Add the given triples to each named graph, all or nothing."""
        self._check_writable()
        try:
            self._write([], mapping)
        finally:
            self._writes += 1

    def remove_graphs(self, iris: Iterable[URIRef]) -> None:
        """Remove the named graphs, all or nothing; unknown graphs are ignored."""
        self._check_writable()
        iris = list(iris)
        for iri in iris:
            graph_name(iri)
        try:
            self._write(iris, {})
        finally:
            self._writes += 1

    @abstractmethod
    def _write(self, drop: list[URIRef], add: Mapping[URIRef, rdflib.Graph]) -> None:
        """Drop the graphs in `drop`, then add the content of `add`, in one atomic step."""

    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnlyStoreError(
                self.describe(),
                "Åbn det uden read_only for at skrive.",
                "Open it without read_only to write.",
            )

    # -- reading ----------------------------------------------------------------------------

    def graph_names(self) -> list[URIRef]:
        """The named graphs holding at least one triple, sorted."""
        # GRAPH ?g {} lists the graphs without scanning their triples; EXISTS drops empty ones.
        result = self.query("SELECT ?g WHERE { GRAPH ?g { } "
                            "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } }")
        return sorted(row[0] for row in result.rows if isinstance(row[0], URIRef))

    def count(self, graph: URIRef | None = None) -> int:
        """The number of quads in all named graphs, or of triples in one graph."""
        if graph is None:
            result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        else:
            graph_name(graph)
            result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                bindings={"g": graph})
        return int(result.rows[0][0]) if result.rows else 0

    def get_graph(self, iri: URIRef) -> rdflib.Graph:
        """A copy of one named graph (empty when it does not exist)."""
        graph = rdflib.Graph(identifier=iri)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for quad in self._ox_quads(iri):
            graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        return graph

    def dump(self, fmt: str, graph: URIRef | None = None) -> bytes:
        """The whole store (a quad format) or one graph (any format) serialised."""
        rdf, holds_graphs = self._dump_format(fmt, graph)
        quads = self._ox_quads(graph)
        items: Iterable[ox.Quad | ox.Triple] = quads if holds_graphs else (
            ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        return ox.serialize(items, format=rdf, prefixes=dump_prefixes(rdf))

    @staticmethod
    def _dump_format(fmt: str, graph: URIRef | None) -> tuple[ox.RdfFormat, bool]:
        """The format, checked against what is dumped (the whole store needs named graphs)."""
        rdf, holds_graphs = rdf_format(fmt)
        if graph is None and not holds_graphs:
            raise FormatError(
                f"{fmt} kan ikke rumme navngivne grafer; dump hele lageret som nquads, trig "
                "eller jsonld, eller vælg én graf.",
                f"{fmt} cannot hold named graphs; dump the whole store as nquads, trig or "
                "jsonld, or choose one graph.",
            )
        if graph is not None:
            graph_name(graph)
        return rdf, holds_graphs

    @abstractmethod
    def _ox_quads(self, graph: URIRef | None) -> Iterator[ox.Quad]:
        """The quads of one named graph, or of all named graphs, as pyoxigraph quads."""

    # -- lifecycle --------------------------------------------------------------------------

    @abstractmethod
    def describe(self) -> str:
        """One line for status output: backend and location or endpoint."""

    def close(self) -> None:
        """Release the store (files, locks, connections)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.describe()}>"


def no_endpoints(backend: str, *urls: str | None) -> None:
    """Refuse endpoint URLs for a local backend (they signal a mistaken --store)."""
    if any(urls):
        raise StoreConfigError(
            f"Endpoint-adresser gælder kun backend 'remote', ikke {backend!r}; vælg --store "
            "remote eller udelad endpoint.",
            f"Endpoint URLs only apply to the 'remote' backend, not {backend!r}; choose "
            "--store remote or leave out the endpoint.",
        )


def _bindings(bindings: Mapping[str, Term] | None) -> dict[str, Term]:
    """Binding names without '?', checked; values must be rdflib terms."""
    out: dict[str, Term] = {}
    for key, value in (bindings or {}).items():
        name = str(key).lstrip("?$")
        if not VARIABLE_NAME.match(name):
            raise BindingError(f"Ugyldigt variabelnavn {key!r}.", f"Invalid variable name {key!r}.")
        if isinstance(value, BNode):
            raise BindingError(
                f"?{name} er bundet til en blank knude; blanke knuder har ingen fast identitet "
                "mellem forespørgsler. Brug en IRI.",
                f"?{name} is bound to a blank node; blank nodes have no stable identity between "
                "queries. Use an IRI.",
            )
        if not isinstance(value, URIRef | Literal):
            raise BindingError(
                f"?{name} skal bindes til en rdflib-term (URIRef eller Literal), ikke "
                f"{type(value).__name__}.",
                f"?{name} must be bound to an rdflib term (URIRef or Literal), not "
                f"{type(value).__name__}.",
            )
        out[name] = value
    return out

