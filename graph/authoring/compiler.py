"""compile_sources: YAML source files → one named graph per file, all or nothing.

Three passes over all files together: read (keys and types), declare (laws, provisions,
documents, municipalities, possibilities), then emit RDF while resolving every reference — so a
file may refer to another file or to the ``context`` graph. Every problem of the run is
collected; if there is any, AuthoringErrors is raised and nothing is returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from graph.authoring import agreements, laws
from graph.authoring.emit import Writer, mint
from graph.authoring.errors import AuthoringError, AuthoringErrors, Loc, make_error
from graph.authoring.reader import Record, read_source
from graph.authoring.registry import Registry
from graph.namespaces import PREFIXES
from graph.settings import REPO_ROOT

__all__ = ["compile_sources", "source_graph_iri", "source_files"]

# Emission order: what later kinds check against (e.g. a possibility's municipalities) comes first.
_KIND_ORDER = ("municipalities", "law", "act", "executive-order", "exemption-scheme", "municipal-rules", "agreement")


def source_graph_iri(path: Path) -> URIRef:
    """``{base}graph/source/{file stem}`` — the named graph of one source file."""
    return mint("graph", "source", quote(path.stem, safe=""))


def _source_iri(path: Path) -> URIRef:
    """Where a graph came from: the file relative to the repository, else its absolute file: URI."""
    resolved = path.resolve()
    try:
        return mint("source", quote(resolved.relative_to(REPO_ROOT).as_posix()))
    except ValueError:
        return URIRef(resolved.as_uri())


def source_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[AuthoringError]]:
    """Expand files and folders (every *.yaml below a folder, sorted) and report bad paths."""
    files: list[Path] = []
    errors: list[AuthoringError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(path.rglob("*.yaml"))
            if not found:
                errors.append(make_error(Loc(path), "no-files"))
            files.extend(found)
        elif path.is_file():
            if path.suffix not in (".yaml", ".yml"):
                errors.append(make_error(Loc(path), "not-yaml"))
            else:
                files.append(path)
        else:
            errors.append(make_error(Loc(path), "file-missing"))
    unique = list(dict.fromkeys(files))
    stems: dict[str, Path] = {}
    for path in unique:
        if path.stem in stems:
            errors.append(make_error(Loc(path), "duplicate-stem", stem=path.stem, other=Loc(stems[path.stem]).display_path()))
        else:
            stems[path.stem] = path
    return unique, errors


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


def compile_sources(paths: Iterable[Path | str], *, context: Graph | None = None) -> dict[URIRef, Graph]:
    """Compile source files (or folders of them) to one named graph per file.

    References may cross files and may point into ``context`` (laws, provisions, documents,
    municipalities already in the store). Raises AuthoringErrors listing every problem found;
    then nothing is compiled.
    """
    files, errors = source_files(paths)
    records: list[tuple[Path, Record]] = []
    for path in files:
        record, problems = read_source(path)
        errors.extend(problems)
        if record is not None:
            records.append((path, record))
    registry = Registry()
    for _path, record in records:
        (agreements if record.spec.name in ("agreement", "exemption-scheme", "municipal-rules") else laws).declare(record, registry)
    if context is not None:
        registry.load_context(context)  # after the files, so it only fills gaps
    checks = agreements.Checks()
    graphs: dict[URIRef, Graph] = {}
    generated = Literal(dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    for path, record in sorted(records, key=lambda item: _KIND_ORDER.index(item[1].spec.name)):
        graph = _new_graph()
        writer = Writer(graph)
        if record.spec.name in ("agreement", "exemption-scheme", "municipal-rules"):
            agreements.emit(record, registry, writer, checks)
        else:
            laws.emit(record, registry, writer, path)
        name = source_graph_iri(path)
        graph.add((name, RDF.type, PROV.Entity))
        graph.add((name, PROV.wasDerivedFrom, _source_iri(path)))
        graph.add((name, PROV.generatedAtTime, generated))
        graph.add((name, RDFS.label, Literal(_display(path))))
        graphs[name] = graph
    checks.check(registry)
    errors.extend(registry.errors)
    if errors:
        unique = {(e.path, e.line, e.column, e.message): e for e in errors}
        raise AuthoringErrors(unique.values())
    return dict(sorted(graphs.items()))


def _display(path: Path) -> str:
    resolved = path.resolve()
    try:
        return resolved.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(resolved)
