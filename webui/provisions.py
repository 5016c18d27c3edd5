"""Law works and provisions: versions, the provision tree, text in force, citations and exemptions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rdflib import URIRef
from rdflib.term import Identifier

from graph.identifiers import Step, format_steps
from webui.labels import PREFIX_BLOCK, as_date, labels, linked, pick_lang, plain, rows_as_dicts
from webui.overview import in_period
from webui.resources import Description, compact_iri, first, provenance

if TYPE_CHECKING:
    from graph.store.base import Store

_VERSIONS = PREFIX_BLOCK + """
SELECT DISTINCT ?doc ?type ?number ?date ?from ?until WHERE {
  ?doc eli:is_member_of|^eli:has_member ?w .
  OPTIONAL { ?doc eli:type_document ?type } OPTIONAL { ?doc eli:number ?number }
  OPTIONAL { ?doc eli:date_document ?date }
  OPTIONAL { ?doc eli:first_date_entry_in_force ?from } OPTIONAL { ?doc eli:date_no_longer_in_force ?until }
}
"""
_AMENDMENTS = PREFIX_BLOCK + """
SELECT DISTINCT ?doc ?date WHERE {
  ?doc eli:amends/eli:is_member_of? ?w .
  OPTIONAL { ?doc eli:date_document ?date }
} ORDER BY ?date
"""
_TREE = PREFIX_BLOCK + """
SELECT ?p ?parent ?sort ?type ?number ?summary WHERE {
  ?p a rg:Provision ; eli:is_part_of+ ?w ; eli:is_part_of ?parent .
  OPTIONAL { ?p rg:sortKey ?sort } OPTIONAL { ?p eli:type_subdivision ?type }
  OPTIONAL { ?p eli:number ?number } OPTIONAL { ?p rg:summary ?summary }
}
"""
_TEXT_IN = PREFIX_BLOCK + """
SELECT ?p ?text WHERE { ?v eli:is_part_of+ ?doc ; eli:is_member_of ?p ; rg:text ?text }
"""
_PROVISION_VERSIONS = PREFIX_BLOCK + """
SELECT ?v ?doc ?text WHERE {
  ?v eli:is_member_of ?s .
  OPTIONAL { ?v rg:text ?text }
  OPTIONAL { ?v eli:is_part_of+ ?doc . ?doc eli:type_document ?type }
}
"""
_ANCESTORS = PREFIX_BLOCK + "SELECT ?a ?parent WHERE { ?s eli:is_part_of+ ?a OPTIONAL { ?a eli:is_part_of ?parent } }"
_CHILDREN = PREFIX_BLOCK + "SELECT ?c ?sort WHERE { ?c eli:is_part_of ?s OPTIONAL { ?c rg:sortKey ?sort } }"
# Bound variables are used only at the top level of a query: the store may bind them with a
# VALUES block at the start of the WHERE group, which UNION branches and BINDs inside them do not see.
_CITES = PREFIX_BLOCK + "SELECT DISTINCT ?other WHERE { ?s eli:cites ?other }"
_CITED_BY = PREFIX_BLOCK + "SELECT DISTINCT ?other WHERE { ?other eli:cites ?s }"
_BASED_ON = PREFIX_BLOCK + """
SELECT DISTINCT ?doc ?type WHERE {
  ?x eli:based_on ?s . ?x eli:is_part_of* ?doc . ?doc eli:type_document ?type
}
"""
# Exemption statements touch a provision directly, through an ancestor (setting aside § 83
# covers § 83, stk. 1) or through a descendant (protecting § 83, stk. 1 limits § 83).
_RELATIONS = "VALUES ?rel { rg:exemptibleProvision rg:legalBasis rg:setsAside rg:protects rg:statedIn rg:disapplies rg:implements }"
_TOUCHING_ABOVE = PREFIX_BLOCK + """
SELECT DISTINCT ?node ?type ?rel ?target WHERE { ?s eli:is_part_of* ?target . %s ?node ?rel ?target ; a ?type . }
""" % _RELATIONS
_TOUCHING_BELOW = PREFIX_BLOCK + """
SELECT DISTINCT ?node ?type ?rel ?target WHERE { ?target eli:is_part_of+ ?s . %s ?node ?rel ?target ; a ?type . }
""" % _RELATIONS
_NODE_DETAILS = PREFIX_BLOCK + """
SELECT ?node ?p ?o WHERE {
  VALUES ?node { %s }
  VALUES ?p { rg:municipality rg:effectiveFrom rg:validFrom rg:validUntil rg:extent rg:certainty rg:agreement rg:welfareArea }
  ?node ?p ?o
}
"""
_AGREEMENT_ENDS = PREFIX_BLOCK + "SELECT ?node ?end WHERE { VALUES ?node { %s } ?node rg:agreement ?a . ?a rg:validUntil ?end }"
SECTION_OF = {
    "rg:ExemptionPossibility": "possibilities", "rg:ExemptionDecision": "decisions",
    "rg:NonDerogableProvision": "hegnspaele", "rg:WelfareAgreement": "agreements",
    "rg:NonApplicationClause": "clauses", "rg:MunicipalRule": "rules",
}


def work_versions(store: Store, work: URIRef, as_of: dt.date, lang: str) -> list[dict[str, Any]]:
    """The published documents of a work, oldest first; the one in force on ``as_of`` is marked."""
    rows = rows_as_dicts(store.query(_VERSIONS, bindings={"w": work}))
    names = labels(store, [r[k] for r in rows for k in ("doc", "type")], lang)
    versions = []
    for r in rows:
        start, end = as_date(r["from"]), as_date(r["until"])
        versions.append({
            "iri": str(r["doc"]), "label": names[str(r["doc"])],
            "type": {"iri": str(r["type"]), "label": names[str(r["type"])]} if r["type"] else None,
            "number": plain(r["number"]), "date_document": plain(r["date"]),
            "in_force_from": plain(r["from"]), "in_force_until": plain(r["until"]),
            "in_force": False, "_start": start, "_end": end,
        })
    versions.sort(key=lambda v: (v["in_force_from"] or v["date_document"] or "", v["iri"]))
    current = version_in_force(versions, as_of)
    for v in versions:
        v["in_force"] = v is current
        del v["_start"], v["_end"]
    return versions


def version_in_force(versions: list[dict[str, Any]], as_of: dt.date) -> dict[str, Any] | None:
    """The latest version whose period holds ``as_of``; undated versions count from their document date."""
    candidates = [v for v in versions if (v["_start"] or as_date(v["date_document"])) and
                  in_period(as_of, v["_start"] or as_date(v["date_document"]), v["_end"])]
    return candidates[-1] if candidates else None


def step_label(type_: Identifier | None, number: Identifier | None) -> str | None:
    """``§ 83``, ``stk. 1``, ``nr. 3`` from a subdivision type and number."""
    if type_ is None or number is None:
        return None
    try:
        return format_steps([Step(str(type_).rsplit("/", 1)[-1], str(number))])
    except ValueError:
        return f"{str(type_).rsplit('/', 1)[-1]} {number}"


def provision_tree(store: Store, work: URIRef, document: str | None, lang: str) -> list[dict[str, Any]]:
    """The provisions of a work nested by eli:is_part_of, with summaries and the text of ``document``."""
    rows = rows_as_dicts(store.query(_TREE, bindings={"w": work}))
    texts: dict[str, list[Identifier]] = defaultdict(list)
    if document:
        for p, text in store.query(_TEXT_IN, bindings={"doc": URIRef(document)}).rows:
            texts[str(p)].append(text)
    nodes: dict[str, dict[str, Any]] = {}
    summaries: dict[str, list[Identifier]] = defaultdict(list)
    for r in rows:
        iri = str(r["p"])
        nodes.setdefault(iri, {
            "iri": iri, "parent": str(r["parent"]), "sort": plain(r["sort"]) or plain(r["number"]) or iri,
            "step": step_label(r["type"], r["number"]), "children": [],
        })
        if r["summary"] is not None:
            summaries[iri].append(r["summary"])
    names = labels(store, list(nodes), lang)
    roots = []
    for iri, node in nodes.items():
        node["label"] = names[iri]
        node["summary"] = pick_lang(summaries.get(iri, []), lang)
        node["text"] = pick_lang(texts.get(iri, []), lang)
        parent = nodes.get(node.pop("parent"))
        (parent["children"] if parent else roots).append(node)
    order = {iri: node.pop("sort") for iri, node in nodes.items()}
    for node in nodes.values():
        node["children"].sort(key=lambda n: order[n["iri"]])
    roots.sort(key=lambda n: order[n["iri"]])
    return roots


def law_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """A law work: metadata, versions, amending acts and the provision tree with text in force."""
    versions = work_versions(store, iri, as_of, lang)
    current = next((v for v in versions if v["in_force"]), None)
    amendments = [r["doc"] for r in rows_as_dicts(store.query(_AMENDMENTS, bindings={"w": iri}))]
    return {
        "kind": "law", "iri": str(iri), "label": labels(store, [iri], lang)[str(iri)],
        "title": pick_lang(description.get("eli:title", []), lang),
        "popular_name": pick_lang(description.get("rg:popularName", []), lang),
        "key": first(description, "rg:workKey"),
        "summary": pick_lang(description.get("rg:summary", []), lang),
        "versions": versions,
        "in_force": current["iri"] if current else None,
        "amended_by": linked(store, amendments, lang),
        "provisions": provision_tree(store, iri, current["iri"] if current else None, lang),
        "provenance": provenance(store, iri, description, lang),
    }


def _ancestors(store: Store, iri: URIRef) -> list[str]:
    """The chain of parents from the top (the work) down to the direct parent."""
    parent_of = {str(r["a"]): plain(r["parent"]) for r in rows_as_dicts(store.query(_ANCESTORS, bindings={"s": iri}))}
    chain: list[str] = []
    current = next((a for a in parent_of if a not in parent_of.values()), None)  # the direct parent
    while current and current not in chain:
        chain.append(current)
        current = parent_of.get(current)
    return list(reversed(chain))


def provision_page(store: Store, iri: URIRef, description: Description, as_of: dt.date, lang: str) -> dict[str, Any]:
    """A provision: citation, summary, text per version, place, citations, hjemmel and exemptions."""
    chain = _ancestors(store, iri)
    children = sorted(rows_as_dicts(store.query(_CHILDREN, bindings={"s": iri})), key=lambda r: plain(r["sort"]) or str(r["c"]))
    cites = [row[0] for row in store.query(_CITES, bindings={"s": iri}).rows]
    cited_by = [row[0] for row in store.query(_CITED_BY, bindings={"s": iri}).rows]
    based_on = rows_as_dicts(store.query(_BASED_ON, bindings={"s": iri}))
    work = chain[0] if chain and _is_work(store, chain[0]) else None
    return {
        "kind": "provision", "iri": str(iri),
        "citation": first(description, "rg:citation") or labels(store, [iri], lang)[str(iri)],
        "label": labels(store, [iri], lang)[str(iri)],
        "type": linked(store, description.get("eli:type_subdivision", []), lang),
        "number": first(description, "eli:number"),
        "summary": pick_lang(description.get("rg:summary", []), lang),
        "work": linked(store, [work], lang)[0] if work else None,
        "ancestors": linked(store, chain, lang),
        "children": linked(store, [r["c"] for r in children], lang),
        "versions": _provision_versions(store, iri, work, as_of, lang),
        "cites": linked(store, cites, lang),
        "cited_by": linked(store, cited_by, lang),
        "executive_orders": linked(store, [r["doc"] for r in based_on], lang),
        "exemptions": exemptions_touching(store, iri, as_of, lang),
        "provenance": provenance(store, iri, description, lang),
    }


def _is_work(store: Store, iri: str) -> bool:
    return bool(store.query(PREFIX_BLOCK + "ASK { ?w a rg:LawWork }", bindings={"w": URIRef(iri)}).boolean)


def _provision_versions(store: Store, iri: URIRef, work: str | None, as_of: dt.date, lang: str) -> list[dict[str, Any]]:
    """The provision's wording in each published version, the version in force on ``as_of`` marked."""
    rows = rows_as_dicts(store.query(_PROVISION_VERSIONS, bindings={"s": iri}))
    documents = {v["iri"]: v for v in work_versions(store, URIRef(work), as_of, lang)} if work else {}
    names = labels(store, [r["doc"] for r in rows if r["doc"] is not None], lang)
    out = []
    for r in rows:
        doc = plain(r["doc"])
        meta = documents.get(doc or "", {})
        out.append({
            "iri": str(r["v"]), "document": {"iri": doc, "label": names[doc]} if doc else None,
            "in_force_from": meta.get("in_force_from"), "in_force_until": meta.get("in_force_until"),
            "in_force": bool(meta.get("in_force")), "text": pick_lang([r["text"]] if r["text"] else [], lang),
        })
    return sorted(out, key=lambda v: (v["in_force_from"] or "", v["iri"]))


def exemptions_touching(store: Store, iri: URIRef, as_of: dt.date, lang: str) -> dict[str, Any]:
    """Possibilities, decisions, hegnspæle, agreements, clauses and rules touching the provision."""
    rows = []
    for query, below in ((_TOUCHING_ABOVE, False), (_TOUCHING_BELOW, True)):
        for row in rows_as_dicts(store.query(query, bindings={"s": iri})):
            row["scope"] = "descendant" if below else "self" if row["target"] == iri else "ancestor"
            rows.append(row)
    nodes = list(dict.fromkeys(str(r["node"]) for r in rows))
    details, agreement_ends = _node_details(store, nodes)
    names = labels(store, nodes + [str(r["target"]) for r in rows] + [
        str(o) for d in details.values() for k in ("rg:municipality", "rg:extent", "rg:certainty", "rg:agreement") for o in d.get(k, [])], lang)
    sections: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for r in rows:
        section = SECTION_OF.get(compact_iri(str(r["type"])))
        if section is None:
            continue
        node = str(r["node"])
        entry = sections[section].get(node) or _entry(node, details[node], agreement_ends.get(node), names, as_of)
        sections[section][node] = entry
        via = {"relation": compact_iri(str(r["rel"])), "scope": r["scope"],
               "provision": {"iri": str(r["target"]), "label": names[str(r["target"])]}}
        if via not in entry["via"]:
            entry["via"].append(via)
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
        for r in rows_as_dicts(store.query(_NODE_DETAILS % values)):
            details[str(r["node"])][compact_iri(str(r["p"]))].append(r["o"])  # type: ignore[arg-type]
        for node, end in store.query(_AGREEMENT_ENDS % values).rows:
            ends[str(node)] = as_date(end)
    return details, ends


def _entry(node: str, d: Mapping[str, list[Identifier]], agreement_end: dt.date | None, names: dict[str, str], as_of: dt.date) -> dict[str, Any]:
    """One possibility, decision, hegnspæl … as shown on a provision page."""
    def one(key: str) -> Identifier | None:
        return d[key][0] if d.get(key) else None

    start = as_date(one("rg:effectiveFrom")) or as_date(one("rg:validFrom"))
    # A decision has no end of its own: it lapses with its agreement.
    end = as_date(one("rg:validUntil")) or agreement_end
    return {
        "iri": node, "label": names[node], "via": [],
        "municipalities": [{"iri": str(m), "label": names[str(m)]} for m in d.get("rg:municipality", [])],
        "effective_from": plain(one("rg:effectiveFrom")), "valid_from": plain(one("rg:validFrom")),
        "valid_until": plain(one("rg:validUntil")),
        "in_force": in_period(as_of, start, end) if start or end else None,
        **{key.removeprefix("rg:"): {"iri": str(one(key)), "label": names[str(one(key))]} if one(key) else None
           for key in ("rg:extent", "rg:certainty", "rg:agreement")},
    }
