"""Free-text search over titles, citations, names, summaries and provision text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from webui.labels import MAX_LABELLED, labels, pick_lang, rows_as_dicts, sparql

if TYPE_CHECKING:
    from graph.store.base import Store

MAX_WORDS = 8
# Where a match was found, best first: a hit in a citation or title outranks one in running text.
FIELDS = ("citation", "title", "name", "summary", "text")

_SEARCH = """
SELECT ?hit ?field ?value WHERE {
  { ?hit rg:citation ?value BIND("citation" AS ?field) }
  UNION { ?hit eli:title|eli:title_short|rg:popularName|rg:workKey ?value BIND("title" AS ?field) }
  UNION { ?hit skos:prefLabel|rdfs:label|rg:kommunekode|rg:billNumber ?value BIND("name" AS ?field) }
  UNION { ?hit rg:summary ?value BIND("summary" AS ?field) }
  UNION { ?version rg:text ?value ; eli:is_member_of ?hit . BIND("text" AS ?field) }
  FILTER(%s)
}
"""

_TYPES = "SELECT ?s ?type WHERE { VALUES ?s { %s } ?s a ?type }"


def search_words(text: str) -> list[str]:
    """The lower-cased words of a search, at most MAX_WORDS."""
    return [w.casefold() for w in text.replace("\u00a0", " ").split()][:MAX_WORDS]


def search_text(store: Store, text: str, lang: str, limit: int = 100) -> dict[str, Any]:
    """Things whose citation, title, name, summary or text contains every word of ``text``."""
    words = search_words(text)
    if not words:
        return {"query": text, "results": [], "truncated": False}
    # Variable names are generated from positions; the words themselves are only bound values.
    condition = " && ".join(f"CONTAINS(LCASE(STR(?value)), ?w{i})" for i in range(len(words)))
    bindings = {f"w{i}": Literal(word) for i, word in enumerate(words)}
    result = store.query(sparql(_SEARCH % condition), bindings=bindings, limit=limit * 5)
    hits: dict[str, dict[str, Any]] = {}
    for row in rows_as_dicts(result):
        iri = str(row["hit"])
        field = str(row["field"])
        hit = hits.setdefault(iri, {"iri": iri, "fields": [], "matches": {}})
        if field not in hit["fields"]:
            hit["fields"].append(field)
        hit["matches"].setdefault(field, []).append(row["value"])
    names = labels(store, list(hits), lang)
    kinds = _kinds(store, list(hits))
    results = []
    rank = {iri: min(FIELDS.index(f) for f in hit["fields"]) for iri, hit in hits.items()}
    for iri, hit in hits.items():
        # Show where the words were found, unless that is just the label already shown.
        snippet_field = next((f for f in ("summary", "text", "title", "name") if f in hit["matches"]
                              and pick_lang(hit["matches"][f], lang) != names[iri]), None)
        results.append({
            "iri": iri,
            "label": names[iri],
            "kind": kinds.get(iri),
            "matched": sorted(hit["fields"], key=FIELDS.index),
            "snippet": _snippet(pick_lang(hit["matches"][snippet_field], lang), words) if snippet_field else None,
        })
    results.sort(key=lambda r: (rank[r["iri"]], r["label"].casefold()))
    return {"query": text, "results": results[:limit], "truncated": len(results) > limit or bool(result.truncated)}


def _kinds(store: Store, iris: list[str]) -> dict[str, str]:
    """The most telling kind of each hit (provision, law, municipality, …) for the result list."""
    if not iris:
        return {}
    values = " ".join(URIRef(i).n3() for i in iris[:MAX_LABELLED])
    preference = ("Provision", "LawWork", "Municipality", "WelfareAgreement", "ExemptionDecision",
                  "ExemptionPossibility", "NonDerogableProvision", "MunicipalRule", "LegalResource")
    kinds: dict[str, str] = {}
    for row in rows_as_dicts(store.query(sparql(_TYPES % values))):
        local = str(row["type"]).rsplit("#", 1)[-1]
        if local in preference:
            current = kinds.get(str(row["s"]))
            if current is None or preference.index(local) < preference.index(current):
                kinds[str(row["s"])] = local
    return kinds


def _snippet(text: str | None, words: list[str], width: int = 160) -> str | None:
    """The part of a long text around the first matched word."""
    if not text:
        return None
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    at = min((text.casefold().find(w) for w in words if w in text.casefold()), default=0)
    start = max(at - width // 3, 0)
    cut = text[start:start + width]
    return ("…" if start else "") + cut + ("…" if start + width < len(text) else "")
