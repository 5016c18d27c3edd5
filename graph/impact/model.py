"""The result of an impact search: nodes with their path and explanation, edges, and its JSON."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from graph.impact.relations import RELATIONS


@dataclass(frozen=True)
class ImpactTarget:
    """What was asked about: the resolved resource and the text the user typed."""

    id: str
    label: str
    kind: str
    input: str
    label_en: str = ""

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "label": self.label, "kind": self.kind, "input": self.input}


@dataclass(frozen=True)
class Hop:
    """One step of a path: the relation and which end is the statement's subject."""

    relation: str
    subject: str
    object: str


@dataclass(frozen=True)
class ImpactNode:
    """A resource in the result, reached by the shortest path from the target (``path[0]``)."""

    id: str
    label: str
    kind: str
    depth: int
    partial: bool
    path: tuple[str, ...]
    hops: tuple[Hop, ...]
    explanation: dict[str, str]
    partial_via: str | None = None  # the part through which a whole is touched
    label_en: str = ""

    @property
    def relations(self) -> tuple[str, ...]:
        """The relation of each hop of the path."""
        return tuple(hop.relation for hop in self.hops)

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "label": self.label, "kind": self.kind, "depth": self.depth,
            "partial": self.partial, "path": list(self.path), "relations": list(self.relations),
            "partial_via": self.partial_via, "explanation": dict(self.explanation),
        }


@dataclass(frozen=True)
class ImpactEdge:
    """``source`` depends on ``target`` through ``relation`` (the RDF statement's direction)."""

    source: str
    target: str
    relation: str

    def to_json(self) -> dict[str, str]:
        return {"source": self.source, "target": self.target, "relation": self.relation}


@dataclass
class ImpactGraph:
    """An impact answer: the target, the question's settings, the nodes and the edges."""

    target: ImpactTarget
    as_of: dt.date | None
    direction: str
    depth: int | None
    relations: tuple[str, ...]
    nodes: list[ImpactNode]
    edges: list[ImpactEdge]
    reference_hops: int | None = 1  # most references on one path from the target (None: no limit)
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).replace(microsecond=0))

    def node(self, node_id: str) -> ImpactNode:
        """The node with this id; KeyError naming the id otherwise."""
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(f"{node_id} is not in the impact result of {self.target.id}")

    def __contains__(self, node_id: object) -> bool:
        return any(node.id == node_id for node in self.nodes)

    def to_json(self) -> dict[str, object]:
        """The JSON shape of issue 6, plus the question's settings and each node's explanation."""
        return {
            "target": self.target.to_json(),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "direction": self.direction,
            "depth": self.depth,
            "relations": list(self.relations),
            "reference_hops": self.reference_hops,
            "generated_at": self.generated_at.isoformat(),
            "nodes": [node.to_json() for node in self.nodes],
            "edges": [edge.to_json() for edge in self.edges],
        }


class Explainer:
    """Each node's path read back to the target, as one Danish and one English sentence.

    "BEK nr. 716 af 7. juli 2019 hviler på (hjemmel) serviceloven § 79 a, stk. 7, som er en del
    af serviceloven § 79 a". A node's sentence extends its parent's, so each is built once
    (a hub's tens of thousands of long paths would otherwise cost seconds).
    """

    def __init__(self, labels: dict[str, tuple[str, str]]):
        self.labels = labels
        self._cores: dict[int, tuple[object, tuple[str, str]]] = {}

    def name(self, node: str, lang: int) -> str:
        return self.labels.get(node, (node, node))[lang]

    def explain(self, visit, partial_via: str | None = None, partial_decision: str | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
        """The sentences for a search visit (anything with .node, .hop and .parent)."""
        if visit.hop is None:
            return {"da": f"{self.name(visit.node, 0)} er målet for analysen.",
                    "en": f"{self.name(visit.node, 1)} is the target of the analysis."}
        core = self._core(visit)
        da, en = core
        if partial_via:
            da += f" (delvis: berøres kun gennem {self.name(partial_via, 0)})"
            en += f" (partly: touched only through {self.name(partial_via, 1)})"
        elif partial_decision:
            da += f" (delvis: {self.name(partial_decision, 0)} fraviger kun en del)"
            en += f" (partly: {self.name(partial_decision, 1)} sets aside only a part)"
        return {"da": da + ".", "en": en + "."}

    def _core(self, visit) -> tuple[str, str]:  # type: ignore[no-untyped-def]
        chain = []
        while visit.hop is not None and id(visit) not in self._cores:
            chain.append(visit)
            visit = visit.parent
        for step in reversed(chain):  # from the nearest known ancestor outwards
            hop, here, there = step.hop, step.node, step.parent.node
            relation = RELATIONS[hop.relation]
            active = hop.subject == here  # the nearer node is the statement's subject
            out = []
            for lang, phrase, which in ((0, relation.da if active else relation.da_inverse, ", som "),
                                        (1, relation.en if active else relation.en_inverse, ", which ")):
                head = f"{self.name(here, lang)} {phrase} {self.name(there, lang)}"
                if step.parent.hop is not None:  # continue with the parent's sentence after its own name
                    parent = self._cores[id(step.parent)][1][lang]
                    head += which + parent[len(self.name(there, lang)) + 1:]
                out.append(head)
            self._cores[id(step)] = (step, (out[0], out[1]))  # keep the visit alive so its id stays unique
        return self._cores[id(chain[0])][1] if chain else self._cores[id(visit)][1]
