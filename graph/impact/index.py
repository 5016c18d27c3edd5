"""The dependency edges of a store as an in-memory adjacency, cached per store state.

A handful of SPARQL queries fetch every edge of the followed relations, every validity date
and the few types the search needs; a breadth-first search over these dicts then finds each
dependant *and its path* (see docs/impact.md for why this beats a SPARQL property path).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import Literal

from graph.impact.relations import PREDICATE_RELATION, RELATION_NAMES
from graph.namespaces import ELI, EXTENT, PREFIXES, RG
from graph.store.cache import StoreCache

_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
_DATE_PROPERTIES = {
    RG.validFrom: "start", RG.effectiveFrom: "start", ELI.first_date_entry_in_force: "start",
    ELI.date_document: "start",  # nothing is in force before its own date (a fallback: the latest start wins)
    RG.validUntil: "end", ELI.date_no_longer_in_force: "end",
}
# Classes whose instances the search treats specially (see search.py); everything else is
# found from the edges alone, so provisions need no type lookup at build time.
STATEMENT_KINDS = {
    RG.WelfareAgreement: "agreement", RG.ExemptionPossibility: "possibility",
    RG.ExemptionDecision: "decision", RG.NonDerogableProvision: "non_derogable",
    RG.NonApplicationClause: "non_application", RG.Municipality: "municipality",
    RG.MunicipalRule: "municipal_rule",
}
# No row limit: the index must hold every edge; a truncated result would silently drop dependants.
_NO_LIMIT = 10**12

# One row per property with all its (subject, object) pairs joined into one string: converting
# tens of thousands of rows to rdflib terms costs ~5x more than the query itself. IRIs hold
# neither spaces nor newlines, so the split is exact.
EDGE_QUERY = _PREFIXES + """SELECT ?p (GROUP_CONCAT(DISTINCT CONCAT(STR(?s), " ", STR(?o)); separator="\\n") AS ?pairs)
WHERE { VALUES ?p { %s } ?s ?p ?o . FILTER(isIRI(?s) && isIRI(?o)) } GROUP BY ?p""" % (
    " ".join(p.n3() for p in PREDICATE_RELATION)
)
DATE_QUERY = _PREFIXES + "SELECT DISTINCT ?s ?p ?d WHERE { VALUES ?p { %s } ?s ?p ?d . FILTER(isIRI(?s)) }" % (
    " ".join(p.n3() for p in _DATE_PROPERTIES)
)
TYPE_QUERY = _PREFIXES + "SELECT DISTINCT ?s ?t WHERE { VALUES ?t { rg:LawWork %s } ?s a ?t . FILTER(isIRI(?s)) }" % (
    " ".join(t.n3() for t in STATEMENT_KINDS)
)
PARTIAL_QUERY = _PREFIXES + "SELECT DISTINCT ?s WHERE { ?s rg:extent %s }" % EXTENT.delvis.n3()
# One query (each query costs a parse in the store's safety check): the number of relation and
# date triples, and every named graph's generatedAtTime.
STATE_QUERY = _PREFIXES + """SELECT ?n ?g ?t WHERE {
  { SELECT (COUNT(*) AS ?n) WHERE { VALUES ?p { %s } ?s ?p ?o } }
  UNION { GRAPH ?g { ?g prov:generatedAtTime ?t } } }""" % " ".join(p.n3() for p in (*PREDICATE_RELATION, *_DATE_PROPERTIES))

Interval = tuple[dt.date | None, dt.date | None]


@dataclass
class EdgeIndex:
    """Edges by node in both directions, validity dates, law works and statement kinds."""

    outgoing: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    own_dates: dict[str, Interval] = field(default_factory=dict)
    law_works: set[str] = field(default_factory=set)
    statement_kinds: dict[str, str] = field(default_factory=dict)
    partial_decisions: set[str] = field(default_factory=set)
    # Memos valid as long as this index is (it is replaced when the store changes).
    descriptions: dict[str, object] = field(default_factory=dict, repr=False)
    targets: dict[str, str] = field(default_factory=dict, repr=False)
    _intervals: dict[str, Interval] = field(default_factory=dict, repr=False)

    def add(self, subject: str, relation: str, obj: str) -> None:
        """Record that ``subject`` depends on ``obj`` through ``relation`` (once)."""
        if (relation, obj) not in self.outgoing[subject]:
            self.outgoing[subject].append((relation, obj))
            self.incoming[obj].append((relation, subject))

    def knows(self, node: str) -> bool:
        """True when the node takes part in any followed relation or carries dates or a kind."""
        return node in self.outgoing or node in self.incoming or node in self.own_dates or node in self.statement_kinds

    def parents(self, node: str) -> list[str]:
        """The wholes a node is part of."""
        return [o for r, o in self.outgoing.get(node, ()) if r == "part_of"]

    def interval(self, node: str) -> Interval:
        """When the node is valid: its own dates, narrowed by its whole's and — for a decision —
        by its agreement's and possibility's (a decision ends with the agreement it rests on)."""
        if node in self._intervals:
            return self._intervals[node]
        self._intervals[node] = (None, None)  # guards against is_part_of cycles in bad data
        start, end = self.own_dates.get(node, (None, None))
        inherited = [o for r, o in self.outgoing.get(node, ()) if r == "part_of"]
        if self.statement_kinds.get(node) == "decision":
            inherited += [o for r, o in self.outgoing.get(node, ()) if r in ("agreement", "under_possibility")]
        for other in inherited:
            o_start, o_end = self.interval(other)
            start = o_start if start is None or (o_start is not None and o_start > start) else start
            end = o_end if end is None or (o_end is not None and o_end < end) else end
        self._intervals[node] = (start, end)
        return start, end

    def valid_at(self, node: str, day: dt.date | None) -> bool:
        """True when ``day`` is None or falls within the node's interval (both ends included)."""
        if day is None:
            return True
        start, end = self.interval(node)
        return (start is None or start <= day) and (end is None or day <= end)


def _date(term: object) -> dt.date | None:
    if isinstance(term, Literal):
        try:
            return dt.date.fromisoformat(str(term)[:10])
        except ValueError:
            return None  # an ill-typed date is SHACL's to report, not a reason to fail the search
    return None


def build_index(store) -> EdgeIndex:  # type: ignore[no-untyped-def]
    """Read the edges, dates and kinds from the store (four queries)."""
    index = EdgeIndex()
    for p, pairs in _edges(store):
        relation, forward = PREDICATE_RELATION[p]
        for s, o in pairs:
            subject, obj = (s, o) if forward else (o, s)
            if subject != obj:
                index.add(subject, relation, obj)
    # Sorted, so that among equally short paths the search always picks the same one, whatever
    # order the store returned the edges in.
    rank = {name: i for i, name in enumerate(RELATION_NAMES)}
    for table in (index.outgoing, index.incoming):
        for edges in table.values():
            edges.sort(key=lambda edge: (rank[edge[0]], edge[1]))
    starts: dict[str, list[dt.date]] = defaultdict(list)
    ends: dict[str, list[dt.date]] = defaultdict(list)
    for s, p, d in _rows(store, DATE_QUERY):
        day = _date(d)
        if day is not None:
            (starts if _DATE_PROPERTIES[p] == "start" else ends)[str(s)].append(day)
    for node in set(starts) | set(ends):
        # Several start dates (e.g. validFrom and effectiveFrom) narrow the interval.
        index.own_dates[node] = (max(starts[node]) if starts[node] else None, min(ends[node]) if ends[node] else None)
    for s, t in _rows(store, TYPE_QUERY):
        if t == RG.LawWork:
            index.law_works.add(str(s))
        else:
            index.statement_kinds[str(s)] = STATEMENT_KINDS[t]
    index.partial_decisions = {str(row[0]) for row in _rows(store, PARTIAL_QUERY)}
    return index


def _edges(store):  # type: ignore[no-untyped-def]
    """(property, its (subject, object) IRI pairs) for every followed property.

    A store that reads pairs natively (Store.iri_pairs) skips SPARQL; otherwise one query
    returns each property's pairs joined in one string (see EDGE_QUERY).
    """
    native = getattr(store, "iri_pairs", None)
    if native is not None and native(next(iter(PREDICATE_RELATION))) is not None:
        for p in PREDICATE_RELATION:
            yield p, native(p)
        return
    for p, pairs in _rows(store, EDGE_QUERY):
        yield p, (pair.partition(" ")[::2] for pair in str(pairs).split("\n")) if pairs else ()


def _rows(store, query: str) -> list[tuple]:  # type: ignore[no-untyped-def]
    result = store.query(query, limit=_NO_LIMIT)
    if getattr(result, "truncated", False):
        raise RuntimeError("graph.impact: the store truncated the edge query; raise the store's row limit")
    return list(result.rows)


def store_state(store) -> object:  # type: ignore[no-untyped-def]
    """A token that changes whenever the store's content may have changed.

    A store that counts its own writes (a ``generation`` attribute) answers for free; otherwise
    the token is every named graph's ``prov:generatedAtTime`` plus the number of relation and
    date triples, which changes when a graph is replaced, added, removed or edited.
    """
    generation = getattr(store, "generation", None)
    if generation is not None:
        return ("generation", generation() if callable(generation) else generation)
    rows = store.query(STATE_QUERY, limit=_NO_LIMIT).rows
    count = next((str(n) for n, _, _ in rows if n is not None), "0")
    stamps = tuple(sorted((str(g), str(t)) for n, g, t in rows if g is not None))
    return ("content", count, stamps)


# The index per live store, rebuilt when store_state changes. build_index is looked up at each
# build (not bound here), so tests can replace it.
CACHE: StoreCache[EdgeIndex] = StoreCache(lambda store: build_index(store), store_state)
