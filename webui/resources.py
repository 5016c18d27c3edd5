"""Reading one resource: its statements, kind, provenance, and the municipality/agreement/document pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rdflib import BNode, URIRef
from rdflib.term import Identifier

from graph.namespaces import PREFIXES
from webui.labels import Labeller, as_date, pick_lang, plain, rows_as_dicts, sparql
from webui.overview import in_period

if TYPE_CHECKING:
    from graph.store.base import Store

# The page a resource gets, by its most specific type (first match wins).
KINDS = (
    ("rg:LawWork", "law"), ("rg:Provision", "provision"), ("rg:Municipality", "municipality"),
    ("rg:WelfareAgreement", "agreement"), ("eli:LegalResourceSubdivision", "resource"),
    ("eli:LegalResource", "document"),
)
INCOMING_LIMIT = 200
Description = dict[str, list[Identifier]]

_DESCRIBE = sparql("SELECT ?p ?o WHERE { ?s ?p ?o }")
_INCOMING = sparql("SELECT DISTINCT ?p ?s WHERE { ?s ?p ?o }")
_MENTIONED = sparql("ASK { ?s ?p ?o }")
_IS_GRAPH = sparql("ASK { GRAPH ?g { ?s ?p ?o } }")
_GRAPHS = sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
_QUALIFIED = sparql("""
SELECT ?predicate ?object ?certainty ?source WHERE {
  ?statement rdf:subject ?s ; rdf:predicate ?predicate ; rdf:object ?object .
  OPTIONAL { ?statement rg:certainty ?certainty } OPTIONAL { ?statement prov:wasDerivedFrom ?source }
}""")
_BASIS_OF_DOCUMENT = sparql("SELECT DISTINCT ?provision WHERE { ?part eli:is_part_of* ?doc . ?part eli:based_on ?provision }")


def compact_iri(iri: str) -> str:
    """``rg:validFrom`` for a known namespace, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def describe(store: Store, iri: URIRef) -> Description:
    """Every statement about ``iri`` as compact predicate → objects (empty when unknown)."""
    out: Description = defaultdict(list)
    for predicate, obj in store.query(_DESCRIBE, bindings={"s": iri}).rows:
        if obj not in out[compact_iri(str(predicate))]:
            out[compact_iri(str(predicate))].append(obj)  # type: ignore[arg-type]
    return out


def is_mentioned(store: Store, iri: URIRef) -> bool:
    """Whether anything points at ``iri`` or it names a graph (it has a page even without statements)."""
    return bool(store.query(_MENTIONED, bindings={"o": iri}).boolean) or bool(store.query(_IS_GRAPH, bindings={"g": iri}).boolean)


def kind_of(description: Description) -> str | None:
    """Which page shows a resource ("law", "provision", …); None when the graph says nothing of it."""
    if not description:
        return None
    types = {compact_iri(str(t)) for t in description.get("rdf:type", [])}
    if "eli:type_document" in description:
        types.add("eli:LegalResource")
    return next((kind for type_, kind in KINDS if type_ in types), "resource")


def first(description: Description, key: str) -> str | None:
    """The first value of a predicate as plain text."""
    values = description.get(key)
    return plain(values[0]) if values else None


def provenance(store: Store, iri: URIRef, description: Description, names: Labeller) -> dict[str, Any]:
    """Certainty, sources, the named graphs that state it and any qualified single statements."""
    graphs = sorted(str(row[0]) for row in store.query(_GRAPHS, bindings={"s": iri}).rows if row[0] is not None)
    qualified = rows_as_dicts(store.query(_QUALIFIED, bindings={"s": iri}))
    return {
        "certainty": names.refs(description.get("rg:certainty", [])),
        "sources": [plain(s) for s in description.get("prov:wasDerivedFrom", [])],
        "graphs": graphs,
        "qualified": [{
            "predicate": compact_iri(str(r["predicate"])),
            "object": names.ref(r["object"]) if isinstance(r["object"], URIRef) else {"iri": None, "label": plain(r["object"])},
            "certainty": names.ref(r["certainty"]), "source": plain(r["source"]),
        } for r in qualified],
    }


def generic_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """Any resource: its statements with labelled values, what points at it, its provenance."""
    names = Labeller(store, lang)
    incoming = store.query(_INCOMING, bindings={"o": iri}, limit=INCOMING_LIMIT)
    data = names.label({
        "kind": "resource", "iri": str(iri),
        "types": names.refs(description.get("rdf:type", [])),
        "statements": [{
            "predicate": predicate,
            "values": [names.ref(o) if isinstance(o, URIRef) else {"value": plain(o), "lang": getattr(o, "language", None)}
                       for o in description[predicate]],
        } for predicate in sorted(description)],
        "incoming": [{"predicate": compact_iri(str(p)), **names.ref(s)} if isinstance(s, BNode)  # type: ignore[dict-item]
                     else names.label({"predicate": compact_iri(str(p)), "iri": str(s)}) for p, s in incoming.rows],
        "incoming_truncated": incoming.truncated,
        "graph_size": store.count(iri) if store.query(_IS_GRAPH, bindings={"g": iri}).boolean else None,
        "external": str(iri) if str(iri).startswith(("http://", "https://")) else None,
        "provenance": provenance(store, iri, description, names),
    })
    names.resolve()
    return data


def document_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """A published document: metadata, its law work, what it amends or consolidates, its hjemmel."""
    names = Labeller(store, lang)
    based_on = [row[0] for row in store.query(_BASIS_OF_DOCUMENT, bindings={"doc": iri}).rows]
    amended_by = [row[1] for row in store.query(_INCOMING, bindings={"o": iri}).rows if compact_iri(str(row[0])) == "eli:amends"]
    data = names.label({
        "kind": "document", "iri": str(iri),
        "title": pick_lang(description.get("eli:title", []), lang),
        "type": names.refs(description.get("eli:type_document", [])),
        "number": first(description, "eli:number"),
        "date_document": first(description, "eli:date_document"),
        "in_force_from": first(description, "eli:first_date_entry_in_force"),
        "in_force_until": first(description, "eli:date_no_longer_in_force"),
        "in_force": in_period(as_of, as_date(first(description, "eli:first_date_entry_in_force")),
                              as_date(first(description, "eli:date_no_longer_in_force"))),
        "works": names.refs(description.get("eli:is_member_of", [])),
        "consolidates": names.refs(description.get("eli:consolidates", [])),
        "amends": names.refs(description.get("eli:amends", [])),
        "amended_by": names.refs(amended_by),
        "changes": names.refs(description.get("eli:changes", [])),
        "based_on": names.refs(based_on),
        "provenance": provenance(store, iri, description, names),
    })
    names.resolve()
    return data


_MUNICIPALITY_LINKS = sparql("""
SELECT ?node ?type ?from ?until ?effective ?area ?agreementEnd WHERE {
  ?node rg:municipality ?m ; a ?type .
  OPTIONAL { ?node rg:validFrom ?from } OPTIONAL { ?node rg:validUntil ?until }
  OPTIONAL { ?node rg:effectiveFrom ?effective } OPTIONAL { ?node rg:welfareArea ?area }
  OPTIONAL { ?node rg:agreement ?agreement . ?agreement rg:validUntil ?agreementEnd }
}""")
_PROVISIONS_OF = sparql("""
SELECT ?node ?rel ?provision WHERE {
  VALUES ?rel { rg:setsAside rg:exemptibleProvision rg:legalBasis rg:implements rg:disapplies }
  ?node rg:municipality ?m ; ?rel ?provision .
}""")
MUNICIPALITY_SECTIONS = ("WelfareAgreement", "ExemptionDecision", "ExemptionPossibility", "MunicipalRule", "NonApplicationClause")


def municipality_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """A municipality: code, region, and its agreements, decisions, possibilities, rules, clauses."""
    names = Labeller(store, lang)
    provisions: dict[str, dict[str, list[Identifier]]] = defaultdict(lambda: defaultdict(list))
    for node, rel, provision in store.query(_PROVISIONS_OF, bindings={"m": iri}).rows:
        provisions[str(node)][compact_iri(str(rel))].append(provision)  # type: ignore[arg-type]
    sections: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in rows_as_dicts(store.query(_MUNICIPALITY_LINKS, bindings={"m": iri})):
        section = compact_iri(str(r["type"])).removeprefix("rg:")
        if section not in MUNICIPALITY_SECTIONS or str(r["node"]) in sections[section]:
            continue
        sections[section][str(r["node"])] = names.label({
            "iri": str(r["node"]), "area": names.ref(r["area"]),
            "valid_from": plain(r["from"]), "valid_until": plain(r["until"]), "effective_from": plain(r["effective"]),
            # A decision has no end of its own: it lapses with its agreement.
            "lapses": plain(r["agreementEnd"]) if r["until"] is None else None,
            "in_force": in_period(as_of, as_date(r["effective"]) or as_date(r["from"]), as_date(r["until"]) or as_date(r["agreementEnd"])),
            "provisions": {rel: names.refs(ps) for rel, ps in provisions.get(str(r["node"]), {}).items()},
        })
    data = names.label({
        "kind": "municipality", "iri": str(iri),
        "name": pick_lang(description.get("rdfs:label", []), lang),
        "code": first(description, "rg:kommunekode"),
        "region": names.refs(description.get("rg:region", [])),
        "provenance": provenance(store, iri, description, names),
    })
    names.resolve()
    data["sections"] = {name: sorted(items.values(), key=lambda i: (i["effective_from"] or i["valid_from"] or "", i["label"]))
                        for name, items in sections.items()}
    return data


_AGREEMENT_DECISIONS = sparql("""
SELECT ?decision ?provision ?effective ?extent ?certainty WHERE {
  ?decision rg:agreement ?a .
  OPTIONAL { ?decision rg:setsAside ?provision } OPTIONAL { ?decision rg:effectiveFrom ?effective }
  OPTIONAL { ?decision rg:extent ?extent } OPTIONAL { ?decision rg:certainty ?certainty }
}""")
_AGREEMENT_POSSIBILITIES = sparql("""
SELECT ?possibility ?provision ?from ?until WHERE {
  ?a rg:municipality ?m ; rg:welfareArea ?area .
  ?possibility a rg:ExemptionPossibility ; rg:municipality ?m ; rg:welfareArea ?area .
  OPTIONAL { ?possibility rg:exemptibleProvision ?provision }
  OPTIONAL { ?possibility rg:validFrom ?from } OPTIONAL { ?possibility rg:validUntil ?until }
}""")
_TERM_CHANGES = sparql("""
SELECT ?change ?by ?previous ?new ?effective WHERE {
  ?change rg:changedPeriodOf ?a .
  OPTIONAL { ?change rg:changedBy ?by } OPTIONAL { ?change rg:previousEnd ?previous }
  OPTIONAL { ?change rg:newEnd ?new } OPTIONAL { ?change rg:effectiveFrom ?effective }
} ORDER BY ?effective""")


def term_changes(store: Store, iri: URIRef, names: Labeller) -> list[dict[str, Any]]:
    """The dated changes of the end of an agreement's, a law's or a document's period, oldest first."""
    return [{
        "iri": str(r["change"]), "changed_by": names.ref(r["by"]), "previous_end": plain(r["previous"]),
        "new_end": plain(r["new"]), "effective_from": plain(r["effective"]),
    } for r in rows_as_dicts(store.query(_TERM_CHANGES, bindings={"a": iri}))]


def agreement_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """An agreement: municipality, area, legal basis, period, term changes, possibilities, decisions."""
    names = Labeller(store, lang)
    start, end = as_date(first(description, "rg:validFrom")), as_date(first(description, "rg:validUntil"))
    possibilities: dict[str, dict[str, Any]] = {}
    for r in rows_as_dicts(store.query(_AGREEMENT_POSSIBILITIES, bindings={"a": iri})):
        item = possibilities.get(str(r["possibility"])) or names.label({
            "iri": str(r["possibility"]), "provisions": [], "from": plain(r["from"]), "until": plain(r["until"]),
            "in_force": in_period(as_of, as_date(r["from"]), as_date(r["until"]))})
        possibilities[item["iri"]] = item
        if r["provision"] is not None and str(r["provision"]) not in [p["iri"] for p in item["provisions"]]:
            item["provisions"].append(names.ref(r["provision"]))
    decisions: dict[str, dict[str, Any]] = {}
    for r in rows_as_dicts(store.query(_AGREEMENT_DECISIONS, bindings={"a": iri})):
        # A decision has no end of its own: it lapses with its agreement.
        item = decisions.get(str(r["decision"])) or names.label({
            "iri": str(r["decision"]), "provisions": [], "from": plain(r["effective"]),
            "in_force": in_period(as_of, as_date(r["effective"]), end) if r["effective"] else None,
            "extent": names.ref(r["extent"]), "certainty": names.ref(r["certainty"])})
        decisions[item["iri"]] = item
        if r["provision"] is not None and str(r["provision"]) not in [p["iri"] for p in item["provisions"]]:
            item["provisions"].append(names.ref(r["provision"]))
    data = names.label({
        "kind": "agreement", "iri": str(iri),
        "municipality": names.refs(description.get("rg:municipality", [])),
        "area": names.refs(description.get("rg:welfareArea", [])),
        "legal_basis": names.refs(description.get("rg:legalBasis", [])),
        "local_start": first(description, "rg:localStart"),
        "valid_from": first(description, "rg:validFrom"), "valid_until": first(description, "rg:validUntil"),
        "in_force": in_period(as_of, start, end),
        "term_changes": term_changes(store, iri, names),
        "provenance": provenance(store, iri, description, names),
    })
    names.resolve()
    data["possibilities"] = sorted(possibilities.values(), key=lambda i: (i["from"] or "", i["label"]))
    data["decisions"] = sorted(decisions.values(), key=lambda i: (i["from"] or "", i["label"]))
    return data
