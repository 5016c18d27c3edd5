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
            "generated_at": self.generated_at.isoformat(),
            "nodes": [node.to_json() for node in self.nodes],
            "edges": [edge.to_json() for edge in self.edges],
        }


def explain(path: tuple[str, ...], hops: tuple[Hop, ...], labels: dict[str, tuple[str, str]],
            partial_via: str | None, partial_decision: str | None) -> dict[str, str]:
    """The path read from the node back to the target, as one Danish and one English sentence.

    "BEK nr. 716 af 7. juli 2019 hviler på (hjemmel) serviceloven § 79 a, stk. 7, som er en del
    af serviceloven § 79 a".
    """
    def name(node: str, lang: int) -> str:
        return labels.get(node, (node, node))[lang]

    if not hops:
        return {"da": f"{name(path[0], 0)} er målet for analysen.", "en": f"{name(path[0], 1)} is the target of the analysis."}
    out = {}
    for lang, key, which in ((0, "da", ", som "), (1, "en", ", which ")):
        sentence = name(path[-1], lang)
        for step, i in enumerate(range(len(hops) - 1, -1, -1)):
            hop, here, there = hops[i], path[i + 1], path[i]
            relation = RELATIONS[hop.relation]
            active = hop.subject == here  # the nearer node is the statement's subject
            phrase = (relation.da if active else relation.da_inverse) if lang == 0 else (relation.en if active else relation.en_inverse)
            sentence += (" " if step == 0 else which) + f"{phrase} {name(there, lang)}"
        if partial_via:
            sentence += (f" (delvis: berøres kun gennem {name(partial_via, 0)})" if lang == 0
                         else f" (partly: touched only through {name(partial_via, 1)})")
        elif partial_decision:
            sentence += (f" (delvis: {name(partial_decision, 0)} fraviger kun en del)" if lang == 0
                         else f" (partly: {name(partial_decision, 1)} sets aside only a part)")
        out[key] = sentence + "."
    return out
