"""All-or-nothing loading: parse and validate everything first, then write in one transaction.

A load never leaves a partial document in the store. Validation runs over the new graphs
together with the rest of the store (cross-document constraints need both); a load is refused
only for violations it would *introduce*, so an already imperfect store can still be repaired
one document at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph, URIRef

from graph.identifiers import base_iri
from graph.settings import ONTOLOGY_DIR
from graph.store.base import Store


@dataclass
class LoadSummary:
    """What a load wrote."""

    graphs: dict[URIRef, int] = field(default_factory=dict)  # graph → triples written

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())


class ValidationFailed(Exception):
    """The data violates shapes; nothing was written. ``report`` holds the new violations."""

    def __init__(self, report, new_results):  # type: ignore[no-untyped-def]
        super().__init__(f"{len(new_results)} SHACL violation(s); nothing was written")
        self.report = report
        self.new_results = new_results


def ontology_graph_iri() -> URIRef:
    return URIRef(f"{base_iri()}graph/ontology")


def ontology_graphs() -> dict[URIRef, Graph]:
    """The vocabulary and code lists as one named graph, so queries can read their labels."""
    combined = Graph()
    for path in sorted(ONTOLOGY_DIR.rglob("*.ttl")):
        if "shapes" in path.relative_to(ONTOLOGY_DIR).parts:
            continue
        combined.parse(path, format="turtle")
    return {ontology_graph_iri(): combined}


def _violation_key(result) -> tuple[str, str, str, str]:  # type: ignore[no-untyped-def]
    return (str(result.focus), str(result.source_shape), str(result.path), str(result.value))


def _is_violation(result) -> bool:  # type: ignore[no-untyped-def]
    return "violation" in str(result.severity).lower()


def _dataset(graphs: Mapping[URIRef, Graph]) -> Dataset:
    dataset = Dataset()
    for name, content in graphs.items():
        target = dataset.graph(name)
        for triple in content:
            target.add(triple)
    return dataset


def existing_graphs(store: Store, excluding: set[URIRef]) -> dict[URIRef, Graph]:
    """The store's other named graphs (the context the new data is validated against)."""
    return {name: store.get_graph(name) for name in store.graph_names() if name not in excluding}


def load_graphs(
    store: Store,
    graphs: Mapping[URIRef, Graph],
    *,
    validate: bool = True,
    replace: bool = True,
    lang: str = "da",
) -> LoadSummary:
    """Validate ``graphs`` with the rest of the store, then write them atomically.

    ``replace`` swaps each named graph for the new content (the normal case: one graph per source
    document); otherwise the triples are added to what the graphs already hold.
    Raises ValidationFailed (nothing written) when the load would introduce violations.
    """
    if validate:
        from graph.validation import validate as shacl_validate

        names = set(graphs)
        context = existing_graphs(store, excluding=names if replace else set())
        incoming = dict(graphs)
        if not replace:
            for name in names & set(store.graph_names()):
                incoming[name] = store.get_graph(name) + graphs[name]
        after = shacl_validate(_dataset({**context, **incoming}), lang=lang)
        introduced = [r for r in after.results if _is_violation(r)]
        if introduced:
            before_keys = set()
            if context or not replace:
                before = shacl_validate(_dataset(existing_graphs(store, excluding=set())), lang=lang)
                before_keys = {_violation_key(r) for r in before.results if _is_violation(r)}
            introduced = [r for r in introduced if _violation_key(r) not in before_keys]
        if introduced:
            raise ValidationFailed(after, introduced)
    if replace:
        store.replace_graphs(graphs)
    else:
        store.add_graphs(graphs)
    return LoadSummary({name: len(content) for name, content in graphs.items()})


def load_files(
    store: Store,
    paths: list[Path],
    *,
    graph: URIRef | None = None,
    replace: bool = True,
    validate: bool = True,
    lang: str = "da",
) -> LoadSummary:
    """Parse RDF files (see graph.rdfio) and load them all-or-nothing.

    By default each file's graph is replaced, so loading the same file twice is harmless.
    """
    from graph.rdfio import read_rdf_files

    return load_graphs(store, read_rdf_files(paths, graph), validate=validate, replace=replace, lang=lang)
