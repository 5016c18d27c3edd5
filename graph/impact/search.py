"""Breadth-first search over the edge index: every dependant, its shortest path and its partiality.

States are (node, mode, partial). *mode* is "own" while the search is still inside the
statements the target owns (a municipality's agreements and decisions, an agreement's
decisions); only there are exemption links followed forwards, from a decision to the provision
it sets aside. Everywhere else the search only walks from a resource to what depends on it.
*partial* becomes true when the search climbs from a part to its whole (setting aside a stk.
touches its § only partly) or follows a decision whose extent is "delvis"; a partial state never
descends into parts again, so a partly touched § does not drag in its untouched siblings; nor
does a provision that merely cites the target (see relations.WHOLE_UNIT).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field

from graph.impact.index import EdgeIndex
from graph.impact.model import Hop
from graph.impact.relations import DEFAULT_REFERENCE_HOPS, OWNERSHIP, REFERENCE, STRUCTURAL, TOUCH, WHOLE_UNIT

DIRECTIONS = ("dependents", "dependencies")


@dataclass(frozen=True)
class Visit:
    """How the search reached a node: depth, the hop it came by, and why it is partial."""

    node: str
    mode: str
    partial: bool
    depth: int
    parent: Visit | None
    hop: Hop | None
    partial_via: str | None = None
    partial_decision: str | None = None
    # Reference hops (relations.REFERENCE) on the path from the target: the parent's, plus this hop.
    references: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        if self.parent is not None and self.hop is not None:
            object.__setattr__(self, "references", self.parent.references + (self.hop.relation in REFERENCE))

    def path(self) -> tuple[tuple[str, ...], tuple[Hop, ...]]:
        """The nodes from the target to here and the hop between each pair."""
        nodes, hops, visit = [], [], self
        while visit is not None:
            nodes.append(visit.node)
            if visit.hop is not None:
                hops.append(visit.hop)
            visit = visit.parent
        return tuple(reversed(nodes)), tuple(reversed(hops))


    def descends(self, direction: str) -> bool:
        """Whether the search goes on from here into this node's parts (see relations.WHOLE_UNIT)."""
        return not self.partial and (direction == "dependencies" or self.hop is None or self.hop.relation in WHOLE_UNIT)


State = tuple[str, bool, bool, int]  # mode, partial, descends, reference hops so far


def _dominated(reached: set[State], state: State) -> bool:
    """A state adds nothing when one at least as capable was reached no later: "own" can do all
    that "dep" can, full all that partial can, descending all that stopping can, and a state
    with fewer reference hops behind it all that one with more can."""
    mode, partial, descends, refs = state
    return any((m == mode or m == "own") and (p == partial or not p) and (d or not descends) and r <= refs
               for m, p, d, r in reached)


def search(index: EdgeIndex, target: str, *, start_mode: str, as_of: dt.date | None, max_depth: int | None,
           relations: frozenset[str], direction: str, owner: str | None = None,
           reference_hops: int | None = DEFAULT_REFERENCE_HOPS,
           ) -> tuple[dict[str, Visit], set[tuple[str, str, str]]]:
    """The best visit of every reachable node and the edges seen between them.

    ``reference_hops`` bounds the reference relations (relations.REFERENCE) on any one path;
    None follows them without bound."""
    start = Visit(target, start_mode, False, 0, None, None)
    best: dict[str, Visit] = {target: start}
    reached: dict[str, set[State]] = {target: {(start_mode, False, True, 0)}}
    edges: set[tuple[str, str, str]] = set()
    queue = deque([start])
    while queue:
        visit = queue.popleft()
        if max_depth is not None and visit.depth >= max_depth:
            continue
        if visit.node in index.law_works and visit.node != target:
            continue  # a whole law, reached from one of its provisions, would drag in everything
        for new in _steps(index, visit, relations, direction, owner):
            if reference_hops is not None and new.references > reference_hops:
                continue
            if new.node != target and not index.valid_at(new.node, as_of):
                continue
            edges.add((new.hop.subject, new.hop.object, new.hop.relation))  # type: ignore[union-attr]
            states = reached.setdefault(new.node, set())
            state = (new.mode, new.partial, new.descends(direction), new.references)
            if _dominated(states, state):
                continue
            states.add(state)
            current = best.get(new.node)
            if current is None or (current.partial and not new.partial):
                best[new.node] = new  # a full reach beats a partial one, even when longer
            queue.append(new)
    return best, {e for e in edges if e[0] in best and e[1] in best}


def _steps(index: EdgeIndex, visit: Visit, relations: frozenset[str], direction: str, owner: str | None):  # type: ignore[no-untyped-def]
    """The states one hop away."""
    u, depth = visit.node, visit.depth + 1
    # Parts are reached fully from the target, from parts, and from what is bound as a whole;
    # when asking what a resource rests on, a whole always rests on its parts.
    descend = visit.descends(direction)
    for relation, v in index.incoming.get(u, ()):  # v depends on u
        if relation not in relations:
            continue
        hop = Hop(relation, v, u)
        if relation == STRUCTURAL:
            if descend:
                yield Visit(v, "dep", False, depth, visit, hop)
        elif direction == "dependents":
            if visit.mode == "own" and relation in OWNERSHIP:
                if owner and not any(r == "municipality" and o == owner for r, o in index.outgoing.get(v, ())):
                    continue  # another municipality's decision under a shared possibility
                yield Visit(v, "own", visit.partial, depth, visit, hop, visit.partial_via, visit.partial_decision)
            else:
                yield Visit(v, "dep", visit.partial, depth, visit, hop, visit.partial_via, visit.partial_decision)
    for relation, v in index.outgoing.get(u, ()):  # u depends on v
        if relation not in relations:
            continue
        hop = Hop(relation, u, v)
        if relation == STRUCTURAL:  # the whole is touched only through this part
            yield Visit(v, "dep", True, depth, visit, hop, visit.partial_via or u, visit.partial_decision)
        elif direction == "dependencies":
            yield Visit(v, "dep", visit.partial, depth, visit, hop, visit.partial_via, visit.partial_decision)
        elif visit.mode == "own" and relation in TOUCH:
            partly = relation == "sets_aside" and u in index.partial_decisions
            yield Visit(v, "dep", visit.partial or partly, depth, visit, hop, visit.partial_via,
                        u if partly and not visit.partial_decision else visit.partial_decision)
