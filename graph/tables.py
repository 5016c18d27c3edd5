"""Plain-text tables of query results for the terminal, with IRIs shortened by known prefixes."""

from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from graph.identifiers import base_iri
from graph.namespaces import PREFIXES
from graph.store.base import QueryResult


def compact(term: Identifier | None) -> str:
    """``eli:cites``, ``:work/serviceloven/par_83`` (our base as ``:``), literal text as is."""
    if term is None:
        return ""
    if isinstance(term, Literal):
        return str(term)
    text = str(term)
    if isinstance(term, URIRef):
        if text.startswith(base_iri()):
            return ":" + text[len(base_iri()):]
        for prefix, namespace in PREFIXES.items():
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
    return text


def render_table(result: QueryResult, max_width: int = 60) -> str:
    """An aligned table, long cells cut with '…'; ASK results print yes/no."""
    if result.boolean is not None:
        return "ja" if result.boolean else "nej"
    cells = [[_cut(compact(value), max_width) for value in row] for row in result.rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(result.columns)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(result.columns, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(cells)} række{'r' if len(cells) != 1 else ''})")
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
