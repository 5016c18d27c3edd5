"""Impact analysis that explains itself: what depends on a provision, a decision or an agreement.

``impact(store, "serviceloven § 79 a")`` finds every resource that depends on the target —
transitively, through the relations in :data:`RELATIONS` — with the shortest path from the
target and that path as a Danish and an English sentence. See docs/impact.md.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable

from rdflib import URIRef

from graph.impact.describe import KINDS, describe
from graph.impact.index import CACHE, EdgeIndex
from graph.impact.model import Explainer, Hop, ImpactEdge, ImpactGraph, ImpactNode, ImpactTarget
from graph.impact.relations import DEFAULT_REFERENCE_HOPS, REFERENCE, RELATION_NAMES, RELATIONS, Relation
from graph.impact.search import DIRECTIONS, search
from graph.impact.target import ImpactTargetError, resolve_target

__all__ = [
    "impact", "ImpactGraph", "ImpactNode", "ImpactEdge", "ImpactTarget", "Hop", "ImpactError",
    "ImpactTargetError", "RELATIONS", "RELATION_NAMES", "Relation", "DIRECTIONS", "KINDS",
    "parse_relations", "parse_reference_hops", "clear_cache", "REFERENCE", "DEFAULT_REFERENCE_HOPS",
]


class ImpactError(ValueError):
    """An impact question that cannot be asked as given (bad direction, depth, relation or date)."""

    def __init__(self, message: str, message_en: str):
        self.message_en = message_en
        super().__init__(message)


def parse_relations(names: str | Iterable[str] | None) -> frozenset[str]:
    """Relation names from "cites,based_on" or a collection; None means all of them."""
    if names is None:
        return frozenset(RELATION_NAMES)
    items = names.replace(",", " ").split() if isinstance(names, str) else [str(n).strip() for n in names]
    unknown = [n for n in items if n not in RELATIONS]
    if unknown:
        hint = difflib.get_close_matches(unknown[0], RELATION_NAMES, n=1)
        known = ", ".join(RELATION_NAMES)
        raise ImpactError(
            f"ukendt relation {unknown[0]!r}{f' (mente du {hint[0]!r}?)' if hint else ''}; kendte relationer: {known}",
            f"unknown relation {unknown[0]!r}{f' (did you mean {hint[0]!r}?)' if hint else ''}; known relations: {known}")
    if not items:
        raise ImpactError("angiv mindst én relation", "give at least one relation")
    return frozenset(items)


def parse_reference_hops(value: int | str | None) -> int | None:
    """The reference limit from what a user typed: a whole number of at least 0, or "all"/"alle"
    for no limit; None or "" is the default (DEFAULT_REFERENCE_HOPS)."""
    if value is None or value == "":
        return DEFAULT_REFERENCE_HOPS
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    text = str(value).strip().casefold()
    if text in ("all", "alle"):
        return None
    if text.isdigit():
        return int(text)
    raise ImpactError(f"antallet af henvisninger på en sti skal være et helt tal på mindst 0 eller 'alle', ikke {value!r}",
                      f"the number of references on a path must be a whole number of at least 0 or 'all', not {value!r}")


def _as_date(as_of: dt.date | str | None) -> dt.date | None:
    if as_of is None or as_of == "":
        return None
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    try:
        return dt.date.fromisoformat(str(as_of))
    except ValueError:
        raise ImpactError(f"datoen {as_of!r} skal skrives ÅÅÅÅ-MM-DD", f"the date {as_of!r} must be written YYYY-MM-DD") from None


def impact(store, target: str | URIRef, *, as_of: dt.date | str | None = None, depth: int | None = None,  # type: ignore[no-untyped-def]
           relations: Iterable[str] | str | None = None, direction: str = "dependents",
           reference_hops: int | None = DEFAULT_REFERENCE_HOPS) -> ImpactGraph:
    """Everything that depends on ``target`` (or that it depends on), each with its explanation.

    ``as_of`` keeps only what is valid on that day (None: ignore validity); ``depth`` limits the
    number of hops (None: no limit); ``relations`` limits the relations followed (None: all);
    ``reference_hops`` limits the references (citations, amendments, repeals, consolidations) on
    any one path — by default one: what cites the target is reported, what cites that is not
    (None: no limit; see docs/impact.md).
    """
    if direction not in DIRECTIONS:
        raise ImpactError(f"retningen skal være en af {', '.join(DIRECTIONS)}, ikke {direction!r}",
                          f"the direction must be one of {', '.join(DIRECTIONS)}, not {direction!r}")
    if depth is not None and (not isinstance(depth, int) or isinstance(depth, bool) or depth < 0):
        raise ImpactError(f"dybden skal være et helt tal på mindst 0, ikke {depth!r}",
                          f"the depth must be a whole number of at least 0, not {depth!r}")
    if reference_hops is not None and (not isinstance(reference_hops, int) or isinstance(reference_hops, bool)
                                       or reference_hops < 0):
        raise ImpactError(f"antallet af henvisninger på en sti skal være et helt tal på mindst 0, ikke {reference_hops!r}",
                          f"the number of references on a path must be a whole number of at least 0, not {reference_hops!r}")
    followed = parse_relations(relations)
    day = _as_date(as_of)
    index = CACHE.get(store)
    root = resolve_target(store, index, target)
    start_kind = index.statement_kinds.get(root)
    visits, edges = search(
        index, root, start_mode="own" if start_kind else "dep", as_of=day, max_depth=depth,
        relations=followed, direction=direction, owner=root if start_kind == "municipality" else None,
        reference_hops=reference_hops)
    extra = {v.partial_via for v in visits.values() if v.partial_via} | {
        v.partial_decision for v in visits.values() if v.partial_decision}
    described = describe(store, index, list(visits) + sorted(extra - set(visits)))
    explainer = Explainer({node: (d.da, d.en) for node, d in described.items()})
    nodes = []
    for node, visit in visits.items():
        path, hops = visit.path()
        nodes.append(ImpactNode(
            id=node, label=described[node].da, kind=described[node].kind, depth=visit.depth,
            partial=visit.partial, path=path, hops=hops, partial_via=visit.partial_via,
            explanation=explainer.explain(visit, visit.partial_via, visit.partial_decision),
            label_en=described[node].en))
    nodes.sort(key=lambda n: (n.depth, n.label.casefold(), n.id))
    the_target = ImpactTarget(root, described[root].da, described[root].kind, str(target), described[root].en)
    return ImpactGraph(
        target=the_target, as_of=day, direction=direction, depth=depth, reference_hops=reference_hops,
        relations=tuple(name for name in RELATION_NAMES if name in followed), nodes=nodes,
        edges=sorted((ImpactEdge(*edge[:2], edge[2]) for edge in edges), key=lambda e: (e.source, e.relation, e.target)))


def clear_cache(store=None) -> None:  # type: ignore[no-untyped-def]
    """Forget the cached edge index of one store (or all); the next search rebuilds it."""
    CACHE.clear(store)


def edge_index(store) -> EdgeIndex:  # type: ignore[no-untyped-def]
    """The cached edge index for the store's current state (built on first use)."""
    return CACHE.get(store)
