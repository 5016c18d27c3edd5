"""Import Danish legislation from Retsinformation into the graph: LexDania XML, HTML, API JSON.

    from graph.importers import import_paths
    summary = import_paths(store, [Path("corpus.tar.xz")])          # transactional, any backend
    summary = import_paths(None, paths, location=Path("instance/store"))  # rebuild-and-swap

One reader per format (``lexdania``, ``retsinfo_html``, ``retsinfo_json``; ``detect`` picks
one) turns a file into a ``ParsedDocument``; ``build`` and ``links`` turn that into the triples of
the document's named graph; ``pipeline`` runs many documents (in worker processes) and
``targets`` writes them. docs/import.md describes the mapping and the choices.
"""

from __future__ import annotations

from pathlib import Path

from graph.importers.build import DocumentGraph, build_document, graph_iri_for
from graph.importers.detect import detect_format, parse_document
from graph.importers.links import Known, Linker
from graph.importers.model import DocumentMeta, ImportFailure, ParsedDocument, Source, Unit
from graph.importers.pipeline import ImportOptions, ImportSummary, Progress, run_import
from graph.importers.targets import StoreTarget, SwapTarget
from graph.importers.works import DocumentKey, WorkIndex

__all__ = [
    "import_paths", "parse_document", "detect_format", "build_document", "graph_iri_for", "import_document",
    "ParsedDocument", "DocumentMeta", "Unit", "Source", "ImportFailure", "DocumentGraph", "WorkIndex",
    "DocumentKey", "Known", "Linker", "ImportOptions", "ImportSummary", "StoreTarget", "SwapTarget",
]


def import_paths(store, paths: list[Path], *, location: Path | None = None,  # type: ignore[no-untyped-def]
                 options: ImportOptions = ImportOptions(), progress: Progress | None = None) -> ImportSummary:
    """Import every document under ``paths``: into ``store``, or by rebuild-and-swap at ``location``."""
    target = SwapTarget(location) if location is not None else StoreTarget(store)
    return run_import(list(paths), target, options, progress)


def import_document(data: bytes, name: str = "document", *, index: WorkIndex | None = None,
                    known: Known | None = None) -> DocumentGraph:
    """One document's graph with its links, without a store (the index is this document alone)."""
    document = parse_document(data, Source(f"urn:regelgraf:import:{name}", name))
    index = index or WorkIndex()
    meta = document.meta
    if (meta.year, meta.number) not in index.documents:
        index.add_documents([DocumentKey(meta.doc_type, meta.year, meta.number, meta.title, meta.popular_title,
                                         meta.date_signed, tuple(document.intro))])
    graph = build_document(document, index)
    Linker(index, known or Known()).link(graph, document)
    return graph
