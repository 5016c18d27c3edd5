"""Law works and provisions: versions, the provision tree, text in force, citations and exemptions.

Bound variables appear only at the top level of these queries: a store may bind them with a
VALUES block at the start of the WHERE group, which UNION branches and nested BINDs do not see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Identifier

from graph.identifiers import Step, format_steps
from graph.namespaces import ELI, RG
from webui.labels import Labeller, as_date, pick_lang, plain, rows_as_dicts, sparql
from webui.overview import in_period
from webui.resources import Description, compact_iri, first, provenance, term_changes

if TYPE_CHECKING:
    from graph.store.base import Store

_VERSIONS = sparql("""
SELECT DISTINCT ?doc ?type ?number ?date ?from ?until WHERE {
  ?doc eli:is_member_of|^eli:has_member ?w .
  OPTIONAL { ?doc eli:type_document ?type } OPTIONAL { ?doc eli:number ?number }
  OPTIONAL { ?doc eli:date_document ?date }
  OPTIONAL { ?doc eli:first_date_entry_in_force ?from } OPTIONAL { ?doc eli:date_no_longer_in_force ?until }
}""")
_AMENDMENTS = sparql("""
SELECT DISTINCT ?doc ?date WHERE { ?doc eli:amends/eli:is_member_of? ?w . OPTIONAL { ?doc eli:date_document ?date } } ORDER BY ?date
""")
# The provisions first (a sub-select from the bound work), then only the properties the tree
# shows, each as one row. The plain form — ?p a rg:Provision ; eli:is_part_of+ ?w with four
# OPTIONALs — ran past the 60 s limit on the 5.7-million-quad corpus store (Oxigraph 0.5 joins
# the type and each OPTIONAL over the whole store); this takes under a second there.
_TREE = sparql("""
SELECT DISTINCT ?p ?prop ?value WHERE {
  { SELECT DISTINCT ?p WHERE { ?p eli:is_part_of+ ?w . FILTER EXISTS { ?p a rg:Provision } } }
  ?p ?prop ?value .
  FILTER(?prop IN (eli:is_part_of, rg:sortKey, eli:type_subdivision, eli:number, rg:summary))
}""")
_TREE_PROPERTY = {str(ELI.is_part_of): "parent", str(RG.sortKey): "sort", str(ELI.type_subdivision): "type",
                  str(ELI.number): "number", str(RG.summary): "summary"}
_TEXT_IN = sparql("SELECT ?p ?text WHERE { ?v eli:is_part_of+ ?doc ; eli:is_member_of ?p ; rg:text ?text }")
_PROVISION_VERSIONS = sparql("""
SELECT ?v ?doc ?text WHERE {
  ?v eli:is_member_of ?s .
  OPTIONAL { ?v rg:text ?text }
  OPTIONAL { ?v eli:is_part_of+ ?doc . ?doc eli:type_document ?type }
}""")
_ANCESTORS = sparql("SELECT ?a ?parent ?type WHERE { ?s eli:is_part_of+ ?a OPTIONAL { ?a eli:is_part_of ?parent } OPTIONAL { ?a a ?type } }")
_CHILDREN = sparql("SELECT ?c ?sort WHERE { ?c eli:is_part_of ?s OPTIONAL { ?c rg:sortKey ?sort } }")
_CITES = sparql("SELECT DISTINCT ?other WHERE { ?s eli:cites ?other }")
_CITED_BY = sparql("SELECT DISTINCT ?other WHERE { ?other eli:cites ?s }")
_BASED_ON = sparql("SELECT DISTINCT ?doc WHERE { ?x eli:based_on ?s . ?x eli:is_part_of* ?doc . ?doc eli:type_document ?type }")
# Exemption statements touch a provision directly, through an ancestor (setting aside § 83
# covers § 83, stk. 1) or through a descendant (protecting § 83, stk. 1 limits § 83).
_RELATIONS = "VALUES ?rel { rg:exemptibleProvision rg:legalBasis rg:setsAside rg:protects rg:statedIn rg:disapplies rg:implements }"
_DESCENDANTS = sparql("SELECT DISTINCT ?d WHERE { ?d eli:is_part_of+ ?s }")
_TOUCHING = f"SELECT DISTINCT ?node ?type ?rel ?target WHERE {{ VALUES ?target {{ %s }} {_RELATIONS} ?node ?rel ?target ; a ?type . }}"
_NODE_DETAILS = """
SELECT ?node ?p ?o WHERE {
  VALUES ?node { %s }
  VALUES ?p { rg:municipality rg:effectiveFrom rg:validFrom rg:validUntil rg:extent rg:certainty rg:agreement rg:welfareArea }
  ?node ?p ?o
}"""
_AGREEMENT_ENDS = "SELECT ?node ?end WHERE { VALUES ?node { %s } ?node rg:agreement ?a . ?a rg:validUntil ?end }"
SECTION_OF = {
    "rg:ExemptionPossibility": "possibilities", "rg:ExemptionDecision": "decisions",
    "rg:NonDerogableProvision": "hegnspaele", "rg:WelfareAgreement": "agreements",
    "rg:NonApplicationClause": "clauses", "rg:MunicipalRule": "rules",
}


def work_versions(store: Store, work: URIRef, as_of: dt.date, names: Labeller) -> list[dict[str, Any]]:
    """The published documents of a work, oldest first; the one in force on ``as_of`` is marked."""
    versions = []
    for r in rows_as_dicts(store.query(_VERSIONS, bindings={"w": work})):
        versions.append(names.label({
            "iri": str(r["doc"]), "type": names.ref(r["type"]), "number": plain(r["number"]),
            "date_document": plain(r["date"]), "in_force_from": plain(r["from"]), "in_force_until": plain(r["until"]),
        }))
    versions.sort(key=lambda v: (v["in_force_from"] or v["date_document"] or "", v["iri"]))
    current = version_in_force(versions, as_of)
    for v in versions:
        v["in_force"] = v is current
    return versions


def version_in_force(versions: list[dict[str, Any]], as_of: dt.date) -> dict[str, Any] | None:
    """The latest version whose period holds ``as_of``; an undated start counts from the document date."""
    def holds(v: dict[str, Any]) -> bool:
        start = as_date(v["in_force_from"]) or as_date(v["date_document"])
        return start is not None and bool(in_period(as_of, start, as_date(v["in_force_until"])))

    candidates = [v for v in versions if holds(v)]
    return candidates[-1] if candidates else None


def step_label(type_: Identifier | None, number: Identifier | None) -> str | None:
    """``§ 83``, ``stk. 1``, ``nr. 3`` from a subdivision type and number."""
    if type_ is None or number is None:
        return None
    kind = str(type_).rsplit("/", 1)[-1]
    try:
        return format_steps([Step(kind, str(number))])
    except ValueError:
        return f"{kind} {number}"


def provision_tree(store: Store, work: URIRef, document: str | None, names: Labeller, lang: str) -> list[dict[str, Any]]:
    """The provisions of a work nested by eli:is_part_of, with summaries and the text of ``document``."""
    texts: dict[str, list[Identifier]] = defaultdict(list)
    if document:
        for p, text in store.query(_TEXT_IN, bindings={"doc": URIRef(document)}).rows:
            texts[str(p)].append(text)  # type: ignore[arg-type]
    nodes: dict[str, dict[str, Any]] = {}
    parents: dict[str, str] = {}
    order: dict[str, str] = {}
    summaries: dict[str, list[Identifier]] = defaultdict(list)
    facts: dict[str, dict[str, Identifier]] = defaultdict(dict)
    for p, prop, value in store.query(_TREE, bindings={"w": work}).rows:
        field = _TREE_PROPERTY[str(prop)]
        if field == "summary":
            summaries[str(p)].append(value)  # type: ignore[arg-type]
        else:
            facts[str(p)].setdefault(field, value)  # type: ignore[arg-type]
    for iri, r in facts.items():  # every provision found has a parent: it was found through one
        nodes[iri] = names.label({"iri": iri, "step": step_label(r.get("type"), r.get("number")), "children": []})
        parents[iri] = str(r["parent"])
        order[iri] = plain(r.get("sort")) or plain(r.get("number")) or iri  # type: ignore[assignment]
    roots = []
    for iri, node in nodes.items():
        node["summary"] = pick_lang(summaries.get(iri, []), lang)
        node["text"] = pick_lang(texts.get(iri, []), lang)
        parent = nodes.get(parents[iri])
        (parent["children"] if parent else roots).append(node)
    for node in nodes.values():
        node["children"].sort(key=lambda n: order[n["iri"]])
    return sorted(roots, key=lambda n: order[n["iri"]])


def law_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """A law work: metadata, versions, amending acts and the provision tree with text in force."""
    names = Labeller(store, lang)
    versions = work_versions(store, iri, as_of, names)
    current = next((v["iri"] for v in versions if v["in_force"]), None)
    data = names.label({
        "kind": "law", "iri": str(iri),
        "title": pick_lang(description.get("eli:title", []), lang),
        "popular_name": pick_lang(description.get("rg:popularName", []), lang),
        "key": first(description, "rg:workKey"),
        "summary": pick_lang(description.get("rg:summary", []), lang),
        "versions": versions,
        "in_force": current,
        "amended_by": names.refs(row[0] for row in store.query(_AMENDMENTS, bindings={"w": iri}).rows),
        "term_changes": term_changes(store, iri, names),
        "provisions": provision_tree(store, iri, current, names, lang),
        "provenance": provenance(store, iri, description, names),
    })
    names.resolve()
    return data


def provision_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """A provision: citation, summary, text per version, place, citations, hjemmel and exemptions."""
    names = Labeller(store, lang)
    chain, work = _ancestors(store, iri)
    children = sorted(store.query(_CHILDREN, bindings={"s": iri}).rows, key=lambda r: plain(r[1]) or str(r[0]))
    data = names.label({
        "kind": "provision", "iri": str(iri),
        "citation": first(description, "rg:citation"),
        "type": names.refs(description.get("eli:type_subdivision", [])),
        "number": first(description, "eli:number"),
        "summary": pick_lang(description.get("rg:summary", []), lang),
        "work": names.ref(work),
        "ancestors": names.refs(chain),
        "children": names.refs(r[0] for r in children),
        "versions": _provision_versions(store, iri, work, as_of, names, lang),
        "cites": names.refs(r[0] for r in store.query(_CITES, bindings={"s": iri}).rows),
        "cited_by": names.refs(r[0] for r in store.query(_CITED_BY, bindings={"s": iri}).rows),
        "executive_orders": names.refs(r[0] for r in store.query(_BASED_ON, bindings={"s": iri}).rows),
        "provenance": provenance(store, iri, description, names),
    })
    data["exemptions"] = exemptions_touching(store, iri, chain, as_of, names)
    names.resolve()
    if not data["citation"]:
        data["citation"] = data["label"]
    return data


def _ancestors(store: Store, iri: URIRef) -> tuple[list[str], str | None]:
    """The chain of parents from the top down to the direct parent, and the law work at its top."""
    parent_of: dict[str, str | None] = {}
    works = set()
    for a, parent, type_ in store.query(_ANCESTORS, bindings={"s": iri}).rows:
        parent_of[str(a)] = plain(parent)
        if compact_iri(str(type_)) == "rg:LawWork":
            works.add(str(a))
    chain: list[str] = []
    current = next((a for a in parent_of if a not in parent_of.values()), None)  # nobody's parent: the direct one
    while current and current not in chain:
        chain.append(current)
        current = parent_of.get(current)
    chain.reverse()
    return chain, chain[0] if chain and chain[0] in works else None


def _provision_versions(store: Store, iri: URIRef, work: str | None, as_of: dt.date, names: Labeller, lang: str) -> list[dict[str, Any]]:
    """The provision's wording in each published version, the version in force on ``as_of`` marked."""
    documents = {v["iri"]: v for v in work_versions(store, URIRef(work), as_of, names)} if work else {}
    out = []
    for r in rows_as_dicts(store.query(_PROVISION_VERSIONS, bindings={"s": iri})):
        meta = documents.get(plain(r["doc"]) or "", {})
        out.append({
            "iri": str(r["v"]), "document": names.ref(r["doc"]),
            "in_force_from": meta.get("in_force_from"), "in_force_until": meta.get("in_force_until"),
            "in_force": bool(meta.get("in_force")), "text": pick_lang([r["text"]] if r["text"] else [], lang),
        })
    return sorted(out, key=lambda v: (v["in_force_from"] or "", v["iri"]))


def exemptions_touching(store: Store, iri: URIRef, ancestors: list[str], as_of: dt.date, names: Labeller) -> dict[str, Any]:
    """Possibilities, decisions, hegnspæle, agreements, clauses and rules touching the provision."""
    # The targets are listed first and then passed as IRIs: one indexed lookup per target
    # instead of a property path joined against every exemption statement.
    scope = {str(iri): "self", **{a: "ancestor" for a in ancestors}}
    scope.update({str(r[0]): "descendant" for r in store.query(_DESCENDANTS, bindings={"s": iri}).rows})
    values = " ".join(URIRef(t).n3() for t in scope)  # IRIs read from the store, not typed by the reader
    rows = rows_as_dicts(store.query(sparql(_TOUCHING % values)))
    for row in rows:
        row["scope"] = scope[str(row["target"])]  # type: ignore[assignment]
    details, agreement_ends = _node_details(store, list(dict.fromkeys(str(r["node"]) for r in rows)))
    sections: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in rows:
        section = SECTION_OF.get(compact_iri(str(r["type"])))
        if section is None:
            continue
        node = str(r["node"])
        entry = sections[section].get(node) or _entry(node, details[node], agreement_ends.get(node), names, as_of)
        sections[section][node] = entry
        if not any(v["relation"] == compact_iri(str(r["rel"])) and v["provision"]["iri"] == str(r["target"]) for v in entry["via"]):
            entry["via"].append({"relation": compact_iri(str(r["rel"])), "scope": r["scope"], "provision": names.ref(r["target"])})
    names.resolve()
    out: dict[str, Any] = {name: sorted(items.values(), key=lambda i: (i["effective_from"] or i["valid_from"] or "", i["label"]))
                           for name, items in sections.items()}
    out["protected"] = any(v["scope"] == "self" for h in out.get("hegnspaele", []) for v in h["via"])
    return out


def _node_details(store: Store, nodes: list[str]) -> tuple[dict[str, dict[str, list[Identifier]]], dict[str, dt.date | None]]:
    """The dates, municipalities, extent and certainty of each node, and the end of its agreement."""
    details: dict[str, dict[str, list[Identifier]]] = defaultdict(lambda: defaultdict(list))
    ends: dict[str, dt.date | None] = {}
    if nodes:
        values = " ".join(URIRef(n).n3() for n in nodes)  # IRIs read from the store, not typed by the reader
        for node, p, o in store.query(sparql(_NODE_DETAILS % values)).rows:
            details[str(node)][compact_iri(str(p))].append(o)  # type: ignore[arg-type]
        for node, end in store.query(sparql(_AGREEMENT_ENDS % values)).rows:
            ends[str(node)] = as_date(end)
    return details, ends


def _entry(node: str, d: Mapping[str, list[Identifier]], agreement_end: dt.date | None, names: Labeller, as_of: dt.date) -> dict[str, Any]:
    """One possibility, decision, hegnspæl … as shown on a provision page."""
    def one(key: str) -> Identifier | None:
        return d[key][0] if d.get(key) else None

    start = as_date(one("rg:effectiveFrom")) or as_date(one("rg:validFrom"))
    # A decision has no end of its own: it lapses with its agreement.
    end = as_date(one("rg:validUntil")) or agreement_end
    return names.label({
        "iri": node, "via": [],
        "municipalities": names.refs(d.get("rg:municipality", [])),
        "effective_from": plain(one("rg:effectiveFrom")), "valid_from": plain(one("rg:validFrom")),
        "valid_until": plain(one("rg:validUntil")),
        "lapses": agreement_end.isoformat() if agreement_end and not one("rg:validUntil") else None,
        "in_force": in_period(as_of, start, end),
        "extent": names.ref(one("rg:extent")), "certainty": names.ref(one("rg:certainty")),
        "agreement": names.ref(one("rg:agreement")),
    })
