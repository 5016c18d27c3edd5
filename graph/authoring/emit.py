"""Writing statements with their provenance: certainty and source on every authored node, and an
rdf:Statement for any single triple whose certainty or source differs from its subject's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

from graph.authoring.reader import Qualifier, Record, Value
from graph.identifiers import base_iri
from graph.namespaces import CERTAINTY, RG

__all__ = ["Prov", "Writer", "mint", "date_literal", "da", "en"]


def mint(*parts: str) -> URIRef:
    """An IRI under the configured base: ``mint("aftale", "rebild-dagtilbud")``."""
    return URIRef(base_iri() + "/".join(parts))


def date_literal(day: dt.date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def da(text: str) -> Literal:
    return Literal(text, lang="da")


def en(text: str) -> Literal:
    return Literal(text, lang="en")


@dataclass(frozen=True)
class Prov:
    """How certain a statement is and where it comes from."""

    certainty: str
    sources: tuple[str, ...]
    note: str | None = None

    @classmethod
    def of(cls, record: Record) -> Prov:
        return cls(record.certainty, record.sources, record.note)

    def qualified(self, qualifier: Qualifier | None) -> Prov | None:
        """The provenance of one value, or None when it is the same as this one."""
        if qualifier is None:
            return None
        merged = Prov(qualifier.certainty or self.certainty, qualifier.sources or self.sources, qualifier.note)
        return None if merged == Prov(self.certainty, self.sources) else merged


class Writer:
    """Adds triples to one named graph, qualifying those whose provenance differs."""

    def __init__(self, graph: Graph):
        self.graph = graph

    def describe(self, subject: URIRef, prov: Prov) -> None:
        """Certainty, sources and note of an authored node."""
        self.graph.add((subject, RG.certainty, CERTAINTY[prov.certainty]))
        for source in prov.sources:
            self.graph.add((subject, PROV.wasDerivedFrom, URIRef(source)))
        if prov.note:
            self.graph.add((subject, RG.sourceNote, Literal(prov.note)))

    def add(self, subject: URIRef, predicate: URIRef, obj: Node, prov: Prov, qualifier: Qualifier | None = None) -> None:
        """One triple; reified with its own provenance when ``qualifier`` differs from ``prov``."""
        self.graph.add((subject, predicate, obj))
        own = prov.qualified(qualifier)
        if own is not None:
            digest = hashlib.sha1(f"{subject} {predicate} {obj.n3()}".encode()).hexdigest()[:16]
            statement = mint("udsagn", digest)
            self.graph.add((statement, RDF.type, RDF.Statement))
            self.graph.add((statement, RDF.subject, subject))
            self.graph.add((statement, RDF.predicate, predicate))
            self.graph.add((statement, RDF.object, obj))
            self.describe(statement, own)

    def value(self, subject: URIRef, predicate: URIRef, value: Value | None, obj: Node | None, prov: Prov) -> None:
        """Add ``obj`` for a read value (skipped when the value or its resolution is missing)."""
        if value is not None and obj is not None:
            self.add(subject, predicate, obj, prov, value.qualifier)

    def date(self, subject: URIRef, predicate: URIRef, record: Record, key: str, prov: Prov) -> None:
        """A date field as xsd:date, with the field's own provenance if it has one."""
        value = record.v(key)
        if value is not None:
            self.add(subject, predicate, date_literal(value.value), prov, value.qualifier)

    def langtext(self, subject: URIRef, predicate: URIRef, texts: dict[str, str] | None) -> None:
        if texts:
            self.graph.add((subject, predicate, da(texts["da"])))
            self.graph.add((subject, predicate, en(texts["en"])))
