"""A document's triples in a light form, written out as N-Quads or as an rdflib graph.

The corpus makes millions of triples; building rdflib terms for each costs more than reading
the XML. The builder therefore collects plain tuples — subject and predicate as IRI strings, the
object as an IRI string or a ``Lit`` — which become N-Quads text for a bulk load, or an rdflib
``Graph`` for the ordinary transactional write and for SHACL validation.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from rdflib import Graph, Literal, URIRef

from graph.namespaces import PREFIXES, XSD

__all__ = ["Lit", "Triples", "to_nquads", "to_graph", "date_lit", "text_lit", "XSD_DATE", "XSD_DATETIME"]

XSD_DATE = str(XSD.date)
XSD_DATETIME = str(XSD.dateTime)
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


class Lit(NamedTuple):
    """A literal: its lexical form, a language tag or a datatype (neither: xsd:string)."""

    value: str
    lang: str | None = None
    datatype: str | None = None


Triple = tuple[str, str, "str | Lit"]


class Triples(list):  # type: ignore[type-arg]
    """The triples of one named graph (a list of (subject, predicate, object) tuples)."""

    def add(self, subject: str, predicate: str, obj: str | Lit) -> None:
        self.append((subject, predicate, obj))


def date_lit(day: dt.date) -> Lit:
    return Lit(day.isoformat(), None, XSD_DATE)


def text_lit(text: str, lang: str | None = "da") -> Lit:
    return Lit(text, lang)


def to_nquads(graph: str, triples: list[Triple]) -> str:
    """The triples as N-Quads in ``graph`` (IRIs are minted or percent-encoded, so never escaped)."""
    suffix = f" <{graph}> .\n"
    lines = []
    add = lines.append
    for s, p, o in triples:  # the hot loop of a corpus import: no helper calls
        if o.__class__ is str:
            add(f"<{s}> <{p}> <{o}>{suffix}")
            continue
        value = o[0]
        if '"' in value or "\\" in value or "\n" in value or "\r" in value:
            value = value.translate(_ESCAPES)
        if o[1]:
            add(f'<{s}> <{p}> "{value}"@{o[1]}{suffix}')
        elif o[2]:
            add(f'<{s}> <{p}> "{value}"^^<{o[2]}>{suffix}')
        else:
            add(f'<{s}> <{p}> "{value}"{suffix}')
    return "".join(lines)


def to_graph(graph: str, triples: list[Triple]) -> Graph:
    """The triples as an rdflib graph named ``graph`` (with the project's prefixes bound)."""
    out = Graph(identifier=URIRef(graph))
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for s, p, o in triples:
        if isinstance(o, Lit):
            term = Literal(o.value, lang=o.lang) if o.lang else Literal(
                o.value, datatype=URIRef(o.datatype) if o.datatype else None)
        else:
            term = URIRef(o)
        out.add((URIRef(s), URIRef(p), term))
    return out
