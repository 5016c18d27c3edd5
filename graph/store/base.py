"""The store interface every backend implements, and the QueryResult they all return.

Terms at the interface are rdflib terms. The default graph of every query is the union of
all named graphs. Every user query passes graph.sparql_guard.check_query before it runs.
"""

from __future__ import annotations

import csv
import io
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef

from graph import sparql_guard
from graph.namespaces import PREFIXES
from graph.store.errors import BindingError, FormatError, QueryError, ReadOnlyStoreError, StoreConfigError
from graph.store.sparql_text import VARIABLE_NAME
from graph.store.terms import Term, from_ox, graph_name, json_term, to_sparql

__all__ = [
    "Store", "QueryResult", "FORMATS", "rdf_format", "select_result", "graph_result",
    "no_endpoints", "dump_prefixes",
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


@dataclass(frozen=True)
class QueryResult:
    """A query's answer: rows for SELECT, boolean for ASK, graph for CONSTRUCT/DESCRIBE."""

    kind: str  # "select", "ask", "construct" or "describe"
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    truncated: bool = False  # more rows (or triples) existed than the limit allowed
    boolean: bool | None = None
    graph: rdflib.Graph | None = field(default=None, compare=False)

    def __iter__(self) -> Iterator[dict[str, Term | None]]:
        """Each row as a dict from column name to term (None when unbound)."""
        for row in self.rows:
            yield dict(zip(self.columns, row))

    def to_sparql_json(self) -> dict:
        """SPARQL 1.1 Query Results JSON (SELECT and ASK)."""
        if self.kind == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        self._require_rows("JSON")
        bindings = [{name: json_term(term) for name, term in zip(self.columns, row)
                     if term is not None} for row in self.rows]
        return {"head": {"vars": list(self.columns)}, "results": {"bindings": bindings}}

    def to_csv(self) -> str:
        """SPARQL 1.1 CSV: plain values, CRLF line ends."""
        self._require_rows("CSV")
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t)
                             for t in row])
        return out.getvalue()

    def to_tsv(self) -> str:
        """SPARQL 1.1 TSV: terms in SPARQL syntax, escaped so no tab or newline is raw."""
        self._require_rows("TSV")
        lines = ["\t".join(f"?{c}" for c in self.columns)]
        lines += ["\t".join("" if t is None else to_sparql(t) for t in row) for row in self.rows]
        return "\n".join(lines) + "\n"

    def _require_rows(self, what: str) -> None:
        if self.kind != "select":
            raise FormatError(
                f"{what} kræver en SELECT-forespørgsel; brug grafen (result.graph) for "
                f"{self.kind.upper()}.",
                f"{what} needs a SELECT query; use the graph (result.graph) for "
                f"{self.kind.upper()}.",
            )


def dump_prefixes(rdf: ox.RdfFormat) -> dict[str, str] | None:
    """The project's prefixes for the formats that abbreviate with them."""
    return PREFIXES if rdf in _WITH_PREFIXES else None


def select_result(columns: Iterable[str], rows: Iterable[tuple[Term | None, ...]],
                  limit: int | None) -> QueryResult:
    """A SELECT result holding at most `limit` rows, reading one more to know if it truncated."""
    kept: list[tuple[Term | None, ...]] = []
    truncated = False
    for row in rows:
        if limit is not None and len(kept) >= limit:
            truncated = True
            break
        kept.append(tuple(row))
    return QueryResult("select", tuple(columns), tuple(kept), truncated)


def graph_result(kind: str, triples: Iterable[tuple[Term, Term, Term]],
                 limit: int | None) -> QueryResult:
    """A CONSTRUCT/DESCRIBE result holding at most `limit` distinct triples."""
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    truncated = False
    for triple in triples:
        if limit is not None and len(graph) >= limit and triple not in graph:
            truncated = True
            break
        graph.add(triple)
    return QueryResult(kind, truncated=truncated, graph=graph)


class Store(ABC):
    """An RDF dataset of named graphs that can be queried, written atomically and dumped."""

    name: ClassVar[str]
    persistent: ClassVar[bool]  # the data outlives close()
    remote: ClassVar[bool]  # the data lives behind a network endpoint
    # replace_graphs/add_graphs/remove_graphs are all-or-nothing, guaranteed by this client
    transactional: ClassVar[bool]

    read_only: bool = False

    @classmethod
    @abstractmethod
    def open(cls, *, location: str | Path | None, endpoint: str | None,
             update_endpoint: str | None, store_endpoint: str | None, read_only: bool,
             timeout: float) -> Store:
        """Open from open_store's options, refusing options that contradict this backend."""

    # -- querying ---------------------------------------------------------------------------

    def query(self, sparql: str, *, bindings: Mapping[str, Term] | None = None,
              limit: int | None = None) -> QueryResult:
        """Run a SPARQL query over the union of all named graphs, with pre-bound variables."""
        sparql_guard.check_query(sparql)
        if limit is not None and (not isinstance(limit, int) or limit < 0):
            raise BindingError(f"limit skal være et ikke-negativt heltal, ikke {limit!r}.",
                               f"limit must be a non-negative integer, not {limit!r}.")
        try:
            return self._query(sparql, _bindings(bindings), limit)
        except QueryError:
            # Engines word and place errors differently; rdflib's grammar gives one answer
            # for all backends (it returns quietly for syntax only the engine knows).
            sparql_guard.check_query_thoroughly(sparql)
            raise

    @abstractmethod
    def _query(self, sparql: str, bindings: dict[str, Term], limit: int | None) -> QueryResult:
        """Run a query already checked by the guard."""

    # -- writing ----------------------------------------------------------------------------

    def replace_graphs(self, mapping: Mapping[URIRef, rdflib.Graph]) -> None:
        """Replace each named graph by the given content, all or nothing."""
        self._check_writable()
        self._write(list(mapping), mapping)

    def add_graphs(self, mapping: Mapping[URIRef, rdflib.Graph]) -> None:
        """Add the given triples to each named graph, all or nothing."""
        self._check_writable()
        self._write([], mapping)

    def remove_graphs(self, iris: Iterable[URIRef]) -> None:
        """Remove the named graphs, all or nothing; unknown graphs are ignored."""
        self._check_writable()
        iris = list(iris)
        for iri in iris:
            graph_name(iri)
        self._write(iris, {})

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

