"""What the graph holds: counts, the agreements as a timeline, and the lists to browse from."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from webui.labels import Labeller, as_date, plain, rows_as_dicts, sparql

if TYPE_CHECKING:
    from graph.store.base import Store

COUNT_KINDS = ("laws", "documents", "provisions", "municipalities", "agreements", "decisions", "executive_orders")

_COUNTS = sparql("""
SELECT ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
  { ?x a rg:LawWork BIND("laws" AS ?kind) }
  UNION { ?x a eli:LegalResource ; eli:type_document ?t BIND("documents" AS ?kind) }
  UNION { ?x a rg:Provision BIND("provisions" AS ?kind) }
  UNION { ?x a rg:Municipality BIND("municipalities" AS ?kind) }
  UNION { ?x a rg:WelfareAgreement BIND("agreements" AS ?kind) }
  UNION { ?x a rg:ExemptionDecision BIND("decisions" AS ?kind) }
  UNION { ?x eli:type_document doctype:BEK BIND("executive_orders" AS ?kind) }
} GROUP BY ?kind
""")
_AGREEMENTS = sparql("""
SELECT ?a ?m ?area ?localStart ?from ?until ?certainty WHERE {
  ?a a rg:WelfareAgreement .
  OPTIONAL { ?a rg:municipality ?m } OPTIONAL { ?a rg:welfareArea ?area }
  OPTIONAL { ?a rg:localStart ?localStart } OPTIONAL { ?a rg:validFrom ?from }
  OPTIONAL { ?a rg:validUntil ?until } OPTIONAL { ?a rg:certainty ?certainty }
}
""")
_LAWS = sparql("""
SELECT ?w ?key (COUNT(DISTINCT ?doc) AS ?versions) WHERE {
  ?w a rg:LawWork .
  OPTIONAL { ?w rg:workKey ?key } OPTIONAL { ?doc eli:is_member_of ?w }
} GROUP BY ?w ?key
""")
_MUNICIPALITIES = sparql("""
SELECT ?m ?code ?region WHERE {
  ?m a rg:Municipality . OPTIONAL { ?m rg:kommunekode ?code } OPTIONAL { ?m rg:region ?region }
}
""")


def front_page(store: Store, as_of: dt.date, lang: str) -> dict[str, Any]:
    """Everything the front page shows: counts, the agreement timeline, laws and municipalities."""
    return {
        "counts": graph_counts(store),
        "timeline": agreement_timeline(store, as_of, lang),
        "laws": law_list(store, lang),
        "municipalities": municipality_list(store, lang),
    }


def graph_counts(store: Store) -> dict[str, int]:
    """How many laws, documents, provisions, municipalities, agreements, decisions and BEKs."""
    counts = dict.fromkeys(COUNT_KINDS, 0)
    for row in rows_as_dicts(store.query(_COUNTS)):
        counts[str(row["kind"])] = int(row["n"])  # type: ignore[arg-type]
    return counts


def in_period(as_of: dt.date, start: dt.date | None, end: dt.date | None) -> bool | None:
    """Whether a date lies in a period with inclusive ends (an open end is unbounded); None without any end."""
    if start is None and end is None:
        return None
    return (start is None or start <= as_of) and (end is None or as_of <= end)


def agreement_timeline(store: Store, as_of: dt.date, lang: str) -> dict[str, Any]:
    """All agreements ordered by start, with their period and a bar position on a shared scale."""
    names = Labeller(store, lang)
    items = [names.label({
        "iri": str(row["a"]), "municipality": names.ref(row["m"]), "area": names.ref(row["area"]),
        "local_start": plain(row["localStart"]), "valid_from": plain(row["from"]), "valid_until": plain(row["until"]),
        "in_force": in_period(as_of, as_date(row["from"]), as_date(row["until"])),
        "certainty": names.ref(row["certainty"]),
    }) for row in rows_as_dicts(store.query(_AGREEMENTS))]
    names.resolve()
    items.sort(key=lambda i: (i["valid_from"] or "9999", i["local_start"] or "9999", i["municipality"]["label"] if i["municipality"] else ""))
    return {"agreements": items, "scale": _scale(items, as_of)}


def _scale(items: list[dict[str, Any]], as_of: dt.date) -> dict[str, Any]:
    """Positions (per cent of the whole span) of each agreement's bar and of the as-of marker."""
    known = [d for i in items for d in (as_date(i["valid_from"]), as_date(i["local_start"]), as_date(i["valid_until"])) if d]
    if not known:
        return {"start": None, "end": None, "marker": None}
    first, last = min(known), max(known)
    span = max((last - first).days, 1)

    def percent(day: dt.date) -> float:
        return round(100 * min(max((day - first).days, 0), span) / span, 2)

    for item in items:
        start = as_date(item["local_start"]) or as_date(item["valid_from"]) or first
        end = as_date(item["valid_until"]) or last
        item["bar"] = {"left": percent(start), "width": max(percent(end) - percent(start), 0.5)}
    marker = percent(as_of) if first <= as_of <= last else None
    return {"start": first.isoformat(), "end": last.isoformat(), "marker": marker}


def law_list(store: Store, lang: str) -> list[dict[str, Any]]:
    """Every law work with its name and number of versions, by name."""
    names = Labeller(store, lang)
    laws = [names.label({"iri": str(r["w"]), "key": plain(r["key"]), "versions": int(r["versions"] or 0)})  # type: ignore[arg-type]
            for r in rows_as_dicts(store.query(_LAWS))]
    names.resolve()
    return sorted(laws, key=lambda law: law["label"].casefold())


def municipality_list(store: Store, lang: str) -> list[dict[str, Any]]:
    """Every municipality with its code and region, by name."""
    names = Labeller(store, lang)
    items = [names.label({"iri": str(r["m"]), "code": plain(r["code"]), "region": names.ref(r["region"])})
             for r in rows_as_dicts(store.query(_MUNICIPALITIES))]
    names.resolve()
    return sorted(items, key=lambda m: m["label"].casefold())
