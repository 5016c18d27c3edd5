"""Free-text search over titles, citations, names, summaries and provision text."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from graph.textsearch import FIELDS, find_text, search_words
from webui.labels import MAX_LABELLED, labels, pick_lang, rows_as_dicts, sparql

if TYPE_CHECKING:
    from graph.store.base import Store

_TYPES = "SELECT ?s ?type WHERE { VALUES ?s { %s } ?s a ?type }"


def search_text(store: Store, text: str, lang: str, limit: int = 100) -> dict[str, Any]:
    """Things whose citation, title, name, summary or text contains every word of ``text``
    (graph.textsearch), with their labels, kinds and a snippet in the reader's language."""
    words = search_words(text)
    if not words:
        return {"query": text, "results": [], "truncated": False}
    hits, truncated = find_text(store, text, limit=limit)
    names = labels(store, [hit.iri for hit in hits], lang)
    kinds = _kinds(store, [hit.iri for hit in hits])
    results = []
    for hit in hits:
        # Show where the words were found, unless that is just the label already shown.
        snippet_field = next((f for f in ("summary", "text", "title", "name") if f in hit.matches
                              and pick_lang(hit.matches[f], lang) != names[hit.iri]), None)
        results.append({
            "iri": hit.iri,
            "label": names[hit.iri],
            "kind": kinds.get(hit.iri),
            "matched": list(hit.fields),
            "snippet": _snippet(pick_lang(hit.matches[snippet_field], lang), words) if snippet_field else None,
        })
    results.sort(key=lambda r: (FIELDS.index(r["matched"][0]), r["label"].casefold()))
    return {"query": text, "results": results, "truncated": truncated}


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
