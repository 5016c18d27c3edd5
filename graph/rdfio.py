"""Reading RDF files into per-graph rdflib graphs, with errors that point at file, line, column.

Parsing uses pyoxigraph (fast, exact positions, no network access for JSON-LD contexts); the
result is converted to rdflib terms because the library's interface speaks rdflib.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph.identifiers import base_iri
from graph.store.terms import from_ox

FORMATS_BY_SUFFIX: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".n3": ox.RdfFormat.N3,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}


@dataclass
class RdfFileError(Exception):
    """A file that cannot be read as RDF; ``str()`` is ``path:line:column: message``."""

    path: Path
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


def detect_format(path: Path) -> ox.RdfFormat:
    """The RDF format of a file, from its suffix."""
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS_BY_SUFFIX))
        raise RdfFileError(path, f"unknown RDF file type {path.suffix!r}; rename the file to one of: {known}") from None


def file_graph_iri(path: Path) -> URIRef:
    """The named graph a file's default-graph triples go to when no graph is given."""
    return URIRef(f"{base_iri()}graph/file/{path.stem}")


def read_rdf(path: Path, graph: URIRef | None = None) -> dict[URIRef, Graph]:
    """Parse one file into named graphs.

    Triples of the default graph go to ``graph`` (or the file's own graph); quads keep their graph
    unless ``graph`` is given, which then receives everything.
    """
    path = Path(path)
    rdf_format = detect_format(path)
    if not path.is_file():
        raise RdfFileError(path, "no such file; check the path")
    if rdf_format == ox.RdfFormat.RDF_XML:
        _check_xml(path)
    target = graph or file_graph_iri(path)
    graphs: dict[URIRef, Graph] = defaultdict(Graph)
    try:
        with path.open("rb") as stream:
            for quad in ox.parse(stream, format=rdf_format, base_iri=path.resolve().as_uri()):
                name = target if graph is not None or isinstance(quad.graph_name, ox.DefaultGraph) else from_ox(quad.graph_name)
                graphs[name].add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    except SyntaxError as error:
        message = error.msg.split(": ", 1)[-1] if error.msg.startswith("Parser error") else error.msg
        line, column = error.lineno, error.offset
        if line is None and rdf_format == ox.RdfFormat.JSON_LD:
            line, column, message = _json_ld_place(path, message)
        raise RdfFileError(path, f"{message} (fix the {rdf_format.name} syntax here)", line, column) from None
    except UnicodeDecodeError as error:
        raise RdfFileError(path, f"not UTF-8 text ({error.reason}); save the file as UTF-8") from None
    except (ValueError, TypeError) as error:
        raise RdfFileError(path, str(error)) from None
    return dict(graphs)


def _json_ld_place(path: Path, message: str) -> tuple[int, int, str]:
    """A line and column for a JSON-LD error pyoxigraph gives without one (a well-formed JSON
    document that breaks a JSON-LD rule, such as "@graph" inside a value object).

    The place is an occurrence of the keyword the message names last (the one it objects to):
    the one nearest to the first occurrence of the keyword named first, when there is one ("inside
    of a @value: @graph" — the "@graph" next to a "@value"). With no keyword found, the start of
    the file, and the message says so.
    """
    text = path.read_bytes().decode("utf-8", "replace")
    keywords = [k for k in re.findall(r"@\w+", message) if f'"{k}"' in text]
    if keywords:
        culprit = keywords[-1]
        places = [m.start() for m in re.finditer(re.escape(f'"{culprit}"'), text)]
        anchor = text.find(f'"{keywords[0]}"') if len(keywords) > 1 else places[0]
        at = min(places, key=lambda place: abs(place - anchor))
        line = text.count("\n", 0, at) + 1
        return line, at - (text.rfind("\n", 0, at) + 1) + 1, f'{message}; the "{culprit}" it means is here'
    return 1, 1, f"{message}; the parser gives no position, so look through the whole document"


def _check_xml(path: Path) -> None:
    """Refuse a DOCTYPE (entities, DTDs) and report malformed XML with its position.

    pyoxigraph's RDF/XML parser expands internal entities (a billion-laughs file grows without
    bound) and reports no position, so the text is first read by lxml with every expansion,
    DTD and network access turned off.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        tree = etree.parse(io.BytesIO(path.read_bytes()), parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (None, None)
        raise RdfFileError(path, f"not well-formed XML: {error.msg} (fix the XML here)", line, column) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise RdfFileError(
            path, "RDF/XML with a DOCTYPE (entity or DTD declarations) is refused: entities can read files or "
            "grow without bound; write the IRIs out in full and remove the <!DOCTYPE …> block", 1, 1,
        )


def read_rdf_files(paths: list[Path], graph: URIRef | None = None) -> dict[URIRef, Graph]:
    """Parse several files; graphs of the same name are merged. The first bad file raises."""
    merged: dict[URIRef, Graph] = {}
    for path in paths:
        for name, content in read_rdf(Path(path), graph).items():
            if name in merged:
                merged[name] += content
            else:
                merged[name] = content
    return merged
