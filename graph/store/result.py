"""QueryResult, the answer every backend returns, and its serialisations.

SELECT and ASK results serialise to the four SPARQL 1.1 result formats (JSON, XML, CSV, TSV);
CONSTRUCT and DESCRIBE results hold an rdflib graph, serialised with `graph_bytes`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
import rdflib
from rdflib import BNode, Literal, URIRef

from graph.namespaces import PREFIXES
from graph.store.deadline import Deadline
from graph.store.errors import FormatError
from graph.store.terms import Term, json_term, to_ox, to_sparql

__all__ = ["QueryResult", "select_result", "graph_result", "graph_bytes"]

_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


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

    def to_sparql_xml(self) -> str:
        """SPARQL Query Results XML Format (SELECT and ASK)."""
        out = ['<?xml version="1.0" encoding="utf-8"?>\n', f'<sparql xmlns="{_RESULTS_NS}">\n',
               "  <head>\n"]
        if self.kind == "ask":
            out.append("  </head>\n")
            out.append(f"  <boolean>{'true' if self.boolean else 'false'}</boolean>\n</sparql>\n")
            return "".join(out)
        self._require_rows("XML")
        out += [f"    <variable name={quoteattr(name)}/>\n" for name in self.columns]
        out.append("  </head>\n  <results>\n")
        for row in self.rows:
            out.append("    <result>\n")
            for name, term in zip(self.columns, row):
                if term is not None:
                    out.append(f"      <binding name={quoteattr(name)}>{_xml_term(term)}"
                               "</binding>\n")
            out.append("    </result>\n")
        out.append("  </results>\n</sparql>\n")
        return "".join(out)

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


def _xml_term(term: Term) -> str:
    """One term as the XML results format writes it."""
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attributes = ""
    if term.language:
        attributes = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None and str(term.datatype) != _XSD_STRING:
        attributes = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attributes}>{escape(str(term))}</literal>"


def select_result(columns: Iterable[str], rows: Iterable[tuple[Term | None, ...]],
                  limit: int | None, deadline: Deadline | None = None) -> QueryResult:
    """A SELECT result holding at most `limit` rows, reading one more to know if it truncated."""
    kept: list[tuple[Term | None, ...]] = []
    truncated = False
    for row in rows:
        if deadline is not None:
            deadline.tick()
        if limit is not None and len(kept) >= limit:
            truncated = True
            break
        kept.append(tuple(row))
    return QueryResult("select", tuple(columns), tuple(kept), truncated)


def graph_result(kind: str, triples: Iterable[tuple[Term, Term, Term]],
                 limit: int | None, deadline: Deadline | None = None) -> QueryResult:
    """A CONSTRUCT/DESCRIBE result holding at most `limit` distinct triples."""
    graph = rdflib.Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    truncated = False
    for triple in triples:
        if deadline is not None:
            deadline.tick()
        if limit is not None and len(graph) >= limit and triple not in graph:
            truncated = True
            break
        graph.add(triple)
    return QueryResult(kind, truncated=truncated, graph=graph)


def graph_bytes(graph: rdflib.Graph, rdf: ox.RdfFormat) -> bytes:
    """An rdflib graph serialised by pyoxigraph (which never fetches a JSON-LD context).

    Triples are sorted by subject so that Turtle groups them; Turtle declares those of the
    graph's prefixes that its IRIs use.
    """
    ordered = sorted(graph, key=lambda t: (isinstance(t[0], BNode), str(t[0]), str(t[1])))
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in ordered]
    prefixes = None
    if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        used = {_namespace_of(str(term)) for triple in ordered for term in triple
                if isinstance(term, URIRef)}
        used |= {_namespace_of(str(o.datatype)) for _, _, o in ordered
                 if isinstance(o, Literal) and o.datatype is not None}
        prefixes = {prefix: str(ns) for prefix, ns in graph.namespaces()
                    if prefix and str(ns) in used}
    return ox.serialize(triples, format=rdf, prefixes=prefixes)


def _namespace_of(iri: str) -> str:
    """The IRI up to and including its last '#' or '/'."""
    return iri[:max(iri.rfind("#"), iri.rfind("/")) + 1]
