"""The naive baseline: what the design card's packages give without regelgraf's design.

One rdflib in-memory ``Graph`` holding every triple (named graphs dropped: pySHACL validates
each graph of a Dataset on its own, which would miss every link between documents), pySHACL
over the whole graph with the project's shapes, and impact as one SPARQL property path in
rdflib: the dependants are the ends of the path, with no explanation of how each was reached.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

import pyshacl
from rdflib import Graph, URIRef

from graph.impact.relations import PREDICATE_RELATION, RELATIONS, STRUCTURAL
from graph.validation import shapes_graph

__all__ = ["load", "validate", "impact_query", "impact", "NAIVE_IMPACT"]

# Dependants: anything linked to the target by a followed property (forwards, or backwards for
# the inverse properties), and the parts of the target — transitively.
_FORWARD = " | ".join(f"^<{p}>" for p, (name, forward) in PREDICATE_RELATION.items()
                      if forward and name != STRUCTURAL)
_INVERSE = " | ".join(f"<{p}>" for p, (name, forward) in PREDICATE_RELATION.items()
                      if not forward and name != STRUCTURAL)
_PARTS = f"^<{RELATIONS[STRUCTURAL].predicate}>"
NAIVE_IMPACT = f"SELECT DISTINCT ?d WHERE {{ ?target ({_FORWARD} | {_INVERSE} | {_PARTS})+ ?d }}"


def load(paths: Iterable[Path]) -> Graph:
    """Every triple of the N-Quads files in one memory graph (rdflib's N-Triples parser)."""
    graph = Graph()
    for path in paths:
        for chunk in _as_ntriples(path):
            graph.parse(data=chunk, format="nt")
    return graph


def _as_ntriples(path: Path, lines_per_chunk: int = 200_000) -> Iterable[str]:
    """N-Quads lines without their graph name, in chunks (every line of ours ends ``<graph> .``)."""
    out: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip()
            if not line or line.startswith("#"):
                continue
            cut = line.rfind(" <", 0, len(line) - 1)
            out.append(line[:cut] + " .\n")
            if len(out) >= lines_per_chunk:
                yield "".join(out)
                out = []
    if out:
        yield "".join(out)


def validate(graph: Graph) -> tuple[bool, int, float]:
    """pySHACL over the whole graph as the shapes README runs it: conforms, results, seconds."""
    start = time.perf_counter()
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), advanced=True, inference="none",
                                           inplace=True, allow_warnings=True)
    results = sum(1 for _ in report.subjects(predicate=URIRef("http://www.w3.org/ns/shacl#focusNode")))
    return bool(conforms), results, time.perf_counter() - start


def impact_query(graph: Graph, target: str) -> list[str]:
    """The dependants of ``target`` by one SPARQL property path (no paths, no explanations)."""
    rows = graph.query(NAIVE_IMPACT, initBindings={"target": URIRef(target)})
    return [str(row[0]) for row in rows]


def impact(graph: Graph, target: str) -> int:
    """How many dependants the property path finds."""
    return len(impact_query(graph, target))
