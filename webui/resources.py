"""Reading one resource: its statements, kind, provenance, and the municipality/agreement/document pages."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Identifier

from graph.namespaces import PREFIXES
from webui.labels import PREFIX_BLOCK, as_date, labels, linked, pick_lang, plain, rows_as_dicts
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


def compact_iri(iri: str) -> str:
    """``rg:validFrom`` for a known namespace, else the IRI itself."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def describe(store: Store, iri: URIRef) -> Description:
    """Every statement about ``iri`` as compact predicate → objects (empty when unknown)."""
    result = store.query(PREFIX_BLOCK + "SELECT ?p ?o WHERE { ?s ?p ?o }", bindings={"s": iri})
    out: Description = defaultdict(list)
    for predicate, obj in result.rows:
        if obj not in out[compact_iri(str(predicate))]:
            out[compact_iri(str(predicate))].append(obj)
    return out


def incoming(store: Store, iri: URIRef) -> list[tuple[str, Identifier]]:
    """``(compact predicate, subject)`` of statements pointing at ``iri``, capped at INCOMING_LIMIT."""
    result = store.query(PREFIX_BLOCK + "SELECT DISTINCT ?p ?s WHERE { ?s ?p ?o }", bindings={"o": iri}, limit=INCOMING_LIMIT)
    return [(compact_iri(str(p)), s) for p, s in result.rows]


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


def provenance(store: Store, iri: URIRef, description: Description, lang: str) -> dict[str, Any]:
    """Certainty, sources, the named graphs that state it and any qualified single statements."""
    graphs = [plain(row[0]) for row in store.query(
        PREFIX_BLOCK + "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", bindings={"s": iri}).rows]
    qualified = rows_as_dicts(store.query(PREFIX_BLOCK + """
        SELECT ?statement ?predicate ?object ?certainty ?source WHERE {
          ?statement rdf:subject ?s ; rdf:predicate ?predicate ; rdf:object ?object .
          OPTIONAL { ?statement rg:certainty ?certainty }
          OPTIONAL { ?statement prov:wasDerivedFrom ?source } }""", bindings={"s": iri}))
    certainty = description.get("rg:certainty", [])
    names = labels(store, certainty + [r[k] for r in qualified for k in ("object", "certainty")], lang)
    return {
        "certainty": [{"iri": str(c), "label": names[str(c)]} for c in certainty],
        "sources": [plain(s) for s in description.get("prov:wasDerivedFrom", [])],
        "graphs": sorted(g for g in graphs if g),
        "qualified": [{
            "predicate": compact_iri(str(r["predicate"])),
            "object": {"iri": plain(r["object"]), "label": names.get(str(r["object"]), plain(r["object"]))},
            "certainty": {"iri": plain(r["certainty"]), "label": names[str(r["certainty"])]} if r["certainty"] else None,
            "source": plain(r["source"]),
        } for r in qualified],
    }


def statements(store: Store, description: Description, lang: str) -> list[dict[str, Any]]:
    """Every statement about a resource, values labelled, for the generic resource page."""
    names = labels(store, [o for values in description.values() for o in values if isinstance(o, URIRef)], lang)
    out = []
    for predicate in sorted(description):
        values = []
        for obj in description[predicate]:
            if isinstance(obj, URIRef):
                values.append({"iri": str(obj), "label": names[str(obj)]})
            else:
                values.append({"value": plain(obj), "lang": getattr(obj, "language", None)})
        out.append({"predicate": predicate, "values": values})
    return out


def generic_page(store: Store, iri: URIRef, description: Description, lang: str) -> dict[str, Any]:
    """Any resource: its statements, what points at it and its provenance."""
    refs = incoming(store, iri)
    names = labels(store, [s for _, s in refs] + [iri], lang)
    return {
        "kind": "resource", "iri": str(iri), "label": names[str(iri)],
        "types": linked(store, description.get("rdf:type", []), lang),
        "statements": statements(store, description, lang),
        "incoming": [{"predicate": p, "iri": str(s), "label": names[str(s)]} for p, s in refs],
        "provenance": provenance(store, iri, description, lang),
    }


def document_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """A published document: metadata, its law work, what it amends or consolidates, its hjemmel."""
    based_on = rows_as_dicts(store.query(PREFIX_BLOCK + """
        SELECT DISTINCT ?provision WHERE { ?part eli:is_part_of* ?doc . ?part eli:based_on ?provision }""",
        bindings={"doc": iri}))
    amended_by = [s for p, s in incoming(store, iri) if p == "eli:amends"]
    start, end = as_date(first(description, "eli:first_date_entry_in_force")), as_date(first(description, "eli:date_no_longer_in_force"))
    return {
        "kind": "document", "iri": str(iri),
        "title": pick_lang(description.get("eli:title", []), lang),
        "label": labels(store, [iri], lang)[str(iri)],
        "type": linked(store, description.get("eli:type_document", []), lang),
        "number": first(description, "eli:number"),
        "date_document": first(description, "eli:date_document"),
        "in_force_from": first(description, "eli:first_date_entry_in_force"),
        "in_force_until": first(description, "eli:date_no_longer_in_force"),
        "in_force": in_period(as_of, start, end) if start or end else None,
        "works": linked(store, description.get("eli:is_member_of", []), lang),
        "consolidates": linked(store, description.get("eli:consolidates", []), lang),
        "amends": linked(store, description.get("eli:amends", []), lang),
        "amended_by": linked(store, amended_by, lang),
        "changes": linked(store, description.get("eli:changes", []), lang),
        "based_on": linked(store, [r["provision"] for r in based_on], lang),
        "provenance": provenance(store, iri, description, lang),
    }


_MUNICIPALITY_LINKS = PREFIX_BLOCK + """
SELECT ?node ?type ?from ?until ?effective ?area WHERE {
  ?node rg:municipality ?m ; a ?type .
  OPTIONAL { ?node rg:validFrom ?from } OPTIONAL { ?node rg:validUntil ?until }
  OPTIONAL { ?node rg:effectiveFrom ?effective } OPTIONAL { ?node rg:welfareArea ?area }
}
"""
_PROVISIONS_OF = PREFIX_BLOCK + """
SELECT ?node ?rel ?provision WHERE {
  VALUES ?rel { rg:setsAside rg:exemptibleProvision rg:legalBasis rg:implements rg:disapplies }
  ?node rg:municipality ?m ; ?rel ?provision .
}
"""


def municipality_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """A municipality: code, region, and its agreements, decisions, possibilities, rules, clauses."""
    rows = rows_as_dicts(store.query(_MUNICIPALITY_LINKS, bindings={"m": iri}))
    provisions = group_rows(rows_as_dicts(store.query(_PROVISIONS_OF, bindings={"m": iri})))
    names = labels(store, [r[k] for r in rows for k in ("node", "area")] + [p for rels in provisions.values() for ps in rels.values() for p in ps], lang)
    sections: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in rows:
        section = compact_iri(str(r["type"])).removeprefix("rg:")
        if section not in ("WelfareAgreement", "ExemptionDecision", "ExemptionPossibility", "MunicipalRule", "NonApplicationClause"):
            continue
        start = as_date(r["effective"]) or as_date(r["from"])
        end = as_date(r["until"])
        sections[section][str(r["node"])] = {
            "iri": str(r["node"]), "label": names[str(r["node"])],
            "area": {"iri": str(r["area"]), "label": names[str(r["area"])]} if r["area"] else None,
            "valid_from": plain(r["from"]), "valid_until": plain(r["until"]), "effective_from": plain(r["effective"]),
            "in_force": in_period(as_of, start, end) if start or end else None,
            "provisions": {rel: [{"iri": str(p), "label": names[str(p)]} for p in ps]
                           for rel, ps in provisions.get(str(r["node"]), {}).items()},
        }
    return {
        "kind": "municipality", "iri": str(iri), "label": labels(store, [iri], lang)[str(iri)],
        "name": pick_lang(description.get("rdfs:label", []), lang),
        "code": first(description, "rg:kommunekode"),
        "region": linked(store, description.get("rg:region", []), lang),
        "sections": {name: sorted(items.values(), key=lambda i: (i["effective_from"] or i["valid_from"] or "", i["label"]))
                     for name, items in sections.items()},
        "provenance": provenance(store, iri, description, lang),
    }


def group_rows(rows: list[dict[str, Identifier | None]]) -> dict[str, dict[str, list[Identifier]]]:
    """node → compact relation → provisions, from rows with ?node ?rel ?provision."""
    out: dict[str, dict[str, list[Identifier]]] = defaultdict(lambda: defaultdict(list))
    for r in rows:
        out[str(r["node"])][compact_iri(str(r["rel"]))].append(r["provision"])  # type: ignore[arg-type]
    return out


_AGREEMENT_DECISIONS = PREFIX_BLOCK + """
SELECT ?decision ?provision ?effective ?extent ?certainty WHERE {
  ?decision rg:agreement ?a .
  OPTIONAL { ?decision rg:setsAside ?provision } OPTIONAL { ?decision rg:effectiveFrom ?effective }
  OPTIONAL { ?decision rg:extent ?extent } OPTIONAL { ?decision rg:certainty ?certainty }
}
"""
_AGREEMENT_POSSIBILITIES = PREFIX_BLOCK + """
SELECT ?possibility ?provision ?from ?until WHERE {
  ?a rg:municipality ?m ; rg:welfareArea ?area .
  ?possibility a rg:ExemptionPossibility ; rg:municipality ?m ; rg:welfareArea ?area .
  OPTIONAL { ?possibility rg:exemptibleProvision ?provision }
  OPTIONAL { ?possibility rg:validFrom ?from } OPTIONAL { ?possibility rg:validUntil ?until }
}
"""
_TERM_CHANGES = PREFIX_BLOCK + """
SELECT ?change ?by ?previous ?new ?effective WHERE {
  ?change rg:changedPeriodOf ?a .
  OPTIONAL { ?change rg:changedBy ?by } OPTIONAL { ?change rg:previousEnd ?previous }
  OPTIONAL { ?change rg:newEnd ?new } OPTIONAL { ?change rg:effectiveFrom ?effective }
} ORDER BY ?effective
"""


def agreement_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """An agreement: municipality, area, legal basis, period, term changes, possibilities, decisions."""
    decisions = rows_as_dicts(store.query(_AGREEMENT_DECISIONS, bindings={"a": iri}))
    possibilities = rows_as_dicts(store.query(_AGREEMENT_POSSIBILITIES, bindings={"a": iri}))
    changes = rows_as_dicts(store.query(_TERM_CHANGES, bindings={"a": iri}))
    names = labels(store, [v for rows in (decisions, possibilities, changes) for r in rows for v in r.values() if isinstance(v, URIRef)], lang)
    start, end = as_date(first(description, "rg:validFrom")), as_date(first(description, "rg:validUntil"))
    decided = _collect(decisions, "decision", names, as_of, ("effective", None), extra=("extent", "certainty"))
    for decision in decided:
        if end and as_of > end:  # a decision lapses with its agreement
            decision["in_force"] = False
    return {
        "kind": "agreement", "iri": str(iri), "label": labels(store, [iri], lang)[str(iri)],
        "municipality": linked(store, description.get("rg:municipality", []), lang),
        "area": linked(store, description.get("rg:welfareArea", []), lang),
        "legal_basis": linked(store, description.get("rg:legalBasis", []), lang),
        "local_start": first(description, "rg:localStart"),
        "valid_from": first(description, "rg:validFrom"),
        "valid_until": first(description, "rg:validUntil"),
        "in_force": in_period(as_of, start, end) if start or end else None,
        "term_changes": [{
            "iri": str(r["change"]), "changed_by": _named(r["by"], names),
            "previous_end": plain(r["previous"]), "new_end": plain(r["new"]), "effective_from": plain(r["effective"]),
        } for r in changes],
        "possibilities": _collect(possibilities, "possibility", names, as_of, ("from", "until")),
        "decisions": decided,
        "provenance": provenance(store, iri, description, lang),
    }


def _named(term: Identifier | None, names: dict[str, str]) -> dict[str, str] | None:
    return None if term is None else {"iri": str(term), "label": names.get(str(term), str(term))}


def _collect(rows: list[dict[str, Identifier | None]], key: str, names: dict[str, str], as_of: dt.date,
             period: tuple[str, str | None], extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """One entry per node with its provisions, period and in-force flag."""
    items: dict[str, dict[str, Any]] = {}
    for r in rows:
        node = str(r[key])
        start = as_date(r[period[0]])
        end = as_date(r[period[1]]) if period[1] else None
        item = items.setdefault(node, {
            "iri": node, "label": names[node], "provisions": [],
            "from": plain(r[period[0]]), "until": plain(r[period[1]]) if period[1] else None,
            "in_force": in_period(as_of, start, end) if start or end else None,
            **{name: _named(r[name], names) for name in extra},
        })
        provision = _named(r["provision"], names)
        if provision and provision not in item["provisions"]:
            item["provisions"].append(provision)
    return sorted(items.values(), key=lambda i: (i["from"] or "", i["label"]))
