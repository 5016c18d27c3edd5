"""Authoring: human-editable YAML source files compiled to RDF (see docs/authoring.md).

``compile_sources(paths, context=None)`` returns one named graph per source file, or raises
``AuthoringErrors`` listing every problem (each an ``AuthoringError`` with file, line, column,
message and fix) — nothing is compiled when any file is wrong.
"""

from graph.authoring.compiler import compile_sources, source_files, source_graph_iri
from graph.authoring.errors import AuthoringError, AuthoringErrors, Loc

__all__ = ["compile_sources", "source_files", "source_graph_iri", "AuthoringError", "AuthoringErrors", "Loc"]
