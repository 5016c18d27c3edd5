"""SHACL validation run by the store: the whole store in seconds, one changed document in less.

:func:`validate_store` runs the shapes compiled by graph.shapes_sparql as SPARQL in the store
and returns the same ValidationReport as graph.validation (messages, labels, grouping).
:func:`load_checked` writes changed named graphs and validates only what the change can
affect, refusing (and undoing) a write that introduces violations.

What a change can affect. A shape reads a focus node's own triples, its values' triples one hop
further (sh:class, sh:node, the SPARQL constraints' agreement and qualified triple), and two
closures: the ancestors of a node by eli:is_part_of (cycles) and, from an exempted provision,
everything below it (hegnspæle). So for the triples that differ between the old and the new
graphs, the affected focus nodes are: their subjects, the objects of predicates some shape
follows backwards, all their eli:is_part_of ancestors, and every node with a triple pointing at
any of those. Computed in the store before and after the write, and united.
tests/test_conformance.py checks this against pySHACL on the whole data after every change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from graph.namespaces import ELI
from graph.shapes_sparql import Check, compile_shapes, inverse_predicates, prefix_block
from graph.store.result import QueryResult
from graph.store.terms import from_ox
from graph.validation import PROVISION_LINKS, ValidationReport, report_from_graph, shapes_graph

__all__ = ["validate_store", "load_checked", "affected_nodes", "findings", "checks", "ValidationFailedInStore"]

_CHUNK = 400  # IRIs per VALUES block
_NO_LIMIT = 10**12
Finding = tuple[Node, Node | None, Node | None, Check]  # focus, value, path, check


class ValidationFailedInStore(Exception):
    """The write would introduce violations; the store was put back as it was."""

    def __init__(self, report: ValidationReport, new_results: list) -> None:  # type: ignore[type-arg]
        super().__init__(f"{len(new_results)} SHACL violation(s); nothing was written")
        self.report = report
        self.new_results = new_results


def checks(store=None) -> tuple[tuple[Check, ...], str, frozenset[URIRef]]:  # type: ignore[no-untyped-def]
    """The compiled checks for the store's subclass statements, the PREFIX block they need, and
    the predicates paths follow backwards."""
    return _compiled(_subclasses(store) if store is not None else None)


@lru_cache(maxsize=8)
def _compiled(subclasses: frozenset | None) -> tuple[tuple[Check, ...], str, frozenset[URIRef]]:  # type: ignore[type-arg]
    shapes = shapes_graph()
    table: dict[URIRef, set[URIRef]] | None = None
    if subclasses is not None:
        table = {}
        for sub, sup in subclasses:
            table.setdefault(sup, set()).add(sub)
    return tuple(compile_shapes(shapes, table)), prefix_block(shapes), frozenset(inverse_predicates(shapes))


def _subclasses(store) -> frozenset:  # type: ignore[no-untyped-def,type-arg]
    """Every (subclass, class) pair the data states, transitively (one small query)."""
    rows = store.query("SELECT DISTINCT ?sub ?sup WHERE { ?sub <http://www.w3.org/2000/01/rdf-schema#subClassOf>+ ?sup }",
                       limit=_NO_LIMIT).rows
    return frozenset((sub, sup) for sub, sup in rows if isinstance(sub, URIRef) and isinstance(sup, URIRef))


def _values(nodes: list[str]) -> str:
    return "VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " }"


def _chunks(nodes: list[str] | None) -> Iterable[str]:
    if nodes is None:
        yield ""
        return
    for start in range(0, len(nodes), _CHUNK):
        yield _values(nodes[start:start + _CHUNK])


class Snapshot:
    """The store's quads copied into an in-memory Oxigraph, for a full run of the checks.

    The checks read every instance of the big classes several times; in memory Oxigraph answers
    them about twice as fast as from its on-disk RocksDB. The queries are the compiled checks,
    not user text, so they run without the store's guard.
    """

    def __init__(self, store) -> None:  # type: ignore[no-untyped-def]
        self.engine = ox.Store()
        self.engine.bulk_load(store.dump("nquads"), format=ox.RdfFormat.N_QUADS)

    def query(self, sparql: str, *, limit: int | None = None) -> QueryResult:
        answer = self.engine.query(sparql, use_default_graph_as_union=True)
        columns = [v.value for v in answer.variables]
        rows = tuple(tuple(from_ox(s[i]) for i in range(len(columns))) for s in answer)
        return QueryResult("select", tuple(columns), rows)


def findings(store, focus: Iterable[str] | None = None) -> list[Finding]:  # type: ignore[no-untyped-def]
    """Every (focus, value, path, check) the compiled checks find, optionally only for ``focus``.

    A full run (no ``focus``) on a local store works on an in-memory Snapshot of it.
    """
    compiled, prefixes, _ = checks(store)
    nodes = None if focus is None else sorted({str(n) for n in focus if not isinstance(n, BNode | Literal)})
    if nodes == []:
        return []
    if nodes is None and not store.remote:
        store = Snapshot(store)
    out: list[Finding] = []
    for check in compiled:
        for block in _chunks(nodes):
            rows = store.query(prefixes + check.text(nodes is not None).replace("{focus}", block), limit=_NO_LIMIT).rows
            if check.sparql is None:
                for row in rows:
                    out.append((row[0], row[1] if check.has_value and len(row) > 1 else None, check.path, check))
            elif rows:
                out += _sparql_findings(store, prefixes, check, [str(r[0]) for r in rows if isinstance(r[0], URIRef)])
    return out


def _sparql_findings(store, prefixes: str, check: Check, focus: list[str]) -> list[Finding]:  # type: ignore[no-untyped-def]
    """A SPARQL constraint run for the focus nodes its shape targets, in batches."""
    shapes = shapes_graph()
    select = str(shapes.value(check.sparql, SH.select)).replace("$this", "?this")
    head, brace, body = select.partition("{")
    out: list[Finding] = []
    for block in _chunks(focus):
        result = store.query(prefixes + head + brace + " " + block + " " + body, limit=_NO_LIMIT)
        for row in result:
            value, path = row.get("value"), row.get("path")
            messages = tuple(_fill_bindings(m, row) for m in check.messages)
            out.append((row["this"], value, path, Check(check.shape, check.component, check.severity, path,
                                                         check.query, True, check.sparql, messages)))
    return out


def _fill_bindings(message: Literal, row: Mapping[str, Node | None]) -> Literal:
    """pySHACL's ``{?var}`` and ``{$this}`` in a SPARQL constraint's message."""
    text = str(message)
    for name, term in row.items():
        if term is not None:
            text = text.replace("{?" + name + "}", str(term)).replace("{$" + name + "}", str(term))
    return Literal(text, lang=message.language)


def report(store, found: list[Finding], lang: str = "da") -> ValidationReport:  # type: ignore[no-untyped-def]
    """A ValidationReport of findings, labelled from the store's descriptions of the nodes involved."""
    graph = Graph()
    top = BNode()
    graph.add((top, RDF.type, SH.ValidationReport))
    graph.add((top, SH.conforms, Literal(not any(c.severity == SH.Violation for *_, c in found))))
    for focus, value, path, check in found:
        node = BNode()
        graph.add((top, SH.result, node))
        graph.add((node, SH.focusNode, focus))
        graph.add((node, SH.resultSeverity, check.severity))
        graph.add((node, SH.sourceShape, check.shape))
        graph.add((node, SH.sourceConstraintComponent, check.component))
        if path is not None:
            graph.add((node, SH.resultPath, path))
        if value is not None:
            graph.add((node, SH.value, value))
        if check.sparql is not None:
            graph.add((node, SH.sourceConstraint, check.sparql))
            for message in check.messages:
                graph.add((node, SH.resultMessage, message))
    dataset = _descriptions(store, [n for f, v, *_ in found for n in (f, v) if isinstance(n, URIRef)])
    return report_from_graph(graph, _union(dataset), dataset, lang)


def _descriptions(store, nodes: list[URIRef]) -> Dataset:  # type: ignore[no-untyped-def]
    """The quads describing the nodes, their linked provisions and their is_part_of ancestors."""
    dataset = Dataset()
    seen: set[str] = set()
    wanted = {str(n) for n in nodes}
    follow = {ELI.is_part_of, *PROVISION_LINKS}
    for _ in range(12):  # ancestor chains are short; the bound only stops a cycle
        todo = sorted(wanted - seen)
        if not todo:
            break
        seen |= set(todo)
        wanted = set()
        for start in range(0, len(todo), _CHUNK):
            values = " ".join(f"<{n}>" for n in todo[start:start + _CHUNK])
            rows = store.query(f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}",
                               limit=_NO_LIMIT).rows
            for g, s, p, o in rows:
                dataset.graph(g).add((s, p, o))
                if p in follow and isinstance(o, URIRef):
                    wanted.add(str(o))
    return dataset


def _union(dataset: Dataset) -> Graph:
    union = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def validate_store(store, *, focus: Iterable[str] | None = None, lang: str = "da") -> ValidationReport:  # type: ignore[no-untyped-def]
    """Validate the whole store (or only the ``focus`` nodes) with the compiled shapes."""
    found = findings(store, focus)
    return report(store, found, lang)


def affected_nodes(store, changed: Iterable[tuple[Node, Node, Node]]) -> set[str]:  # type: ignore[no-untyped-def]
    """The focus nodes whose validation may read one of the ``changed`` triples (see the module doc)."""
    _, prefixes, backwards = checks(store)
    seeds = set()
    for s, p, o in changed:
        if isinstance(s, URIRef):
            seeds.add(str(s))
        if p in backwards and isinstance(o, URIRef):
            seeds.add(str(o))
    found = set(seeds)
    ordered = sorted(seeds)
    for start in range(0, len(ordered), _CHUNK):
        block = _values(ordered[start:start + _CHUNK])
        rows = store.query(prefixes + f"SELECT DISTINCT ?a WHERE {{ {block} ?this eli:is_part_of+ ?a }}",
                           limit=_NO_LIMIT).rows
        found |= {str(r[0]) for r in rows if isinstance(r[0], URIRef)}
    ordered = sorted(found)
    for start in range(0, len(ordered), _CHUNK):
        block = _values(ordered[start:start + _CHUNK])
        rows = store.query(f"SELECT DISTINCT ?a WHERE {{ {block} ?a ?p ?this }}", limit=_NO_LIMIT).rows
        found |= {str(r[0]) for r in rows if isinstance(r[0], URIRef)}
    return found


def _key(finding: Finding) -> tuple[str, str, str, str, str]:
    focus, value, path, check = finding
    return (str(focus), str(check.shape), str(check.component), str(path), str(value))


def load_checked(store, graphs: Mapping[URIRef, Graph], *, lang: str = "da") -> ValidationReport:  # type: ignore[no-untyped-def]
    """Replace named graphs, validating only what the change affects; undo it on new violations.

    Like graph.loading.load_graphs, a write is refused only for violations it introduces. Unlike
    it, the new graphs are in the store while they are checked (the check runs there): a reader
    may see them for that moment, and a refused write is undone by writing the old graphs back.
    Returns the report of the affected nodes after the write.
    """
    old = {name: store.get_graph(name) for name in graphs}
    changed: set[tuple[Node, Node, Node]] = set()
    for name, new in graphs.items():
        before, after = set(old[name]), set(new)
        changed |= before ^ after
    affected = affected_nodes(store, changed)
    store.replace_graphs(graphs)
    affected |= affected_nodes(store, changed)
    after = findings(store, affected)
    violations = [f for f in after if f[3].severity == SH.Violation]
    if violations:
        _restore(store, old)
        before_keys = {_key(f) for f in findings(store, affected)}
        introduced = [f for f in violations if _key(f) not in before_keys]
        if introduced:
            full = report(store, after, lang)
            keys = {(str(f), str(s)) for f, _, _, c in introduced for s in (c.shape,)}
            raise ValidationFailedInStore(full, [r for r in full.results
                                                 if (str(r.focus), str(r.source_shape)) in keys])
        store.replace_graphs(graphs)
    return report(store, after, lang)


def _restore(store, old: Mapping[URIRef, Graph]) -> None:  # type: ignore[no-untyped-def]
    present = {name: graph for name, graph in old.items() if len(graph)}
    absent = [name for name, graph in old.items() if not len(graph)]
    if present:
        store.replace_graphs(present)
    if absent:
        store.remove_graphs(absent)
