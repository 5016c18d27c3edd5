"""Measuring the finder against a labelled set of real citations: precision and recall of targets.

The labelled set (tests/fixtures/citations/labelled.yaml) holds excerpts of the corpus with every
citation in them and its intended targets. A target found that was not intended is a false
positive, an intended one not found a false negative; both are counted per excerpt as multisets,
so a target cited twice must be found twice.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from graph.citations.canonical import Citation, parse_citation
from graph.citations.finder import find_citations
from graph.citations.model import FoundCitation, Target
from graph.identifiers import document_iri

_DOCUMENT_LABEL = re.compile(r"(\d{4})/(\d+)")
TargetKey = tuple[str | None, str | None, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Excerpt:
    """One labelled text: where it is from, what the finder is told, and the intended targets."""

    doc: str
    at: str
    text: str
    law: str | None
    context: Citation | None
    document: str | None
    amendment: bool
    citations: list[tuple[str, list[Target]]]
    part: str = "development"


@dataclass
class Evaluation:
    """Counts, figures and the differences, overall and per document."""

    excerpts: int = 0
    citations: int = 0
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    seconds: float = 0.0
    characters: int = 0
    per_document: dict[str, Counter[str]] = field(default_factory=dict)
    differences: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        intended = self.true_positives + self.false_negatives
        return self.true_positives / intended if intended else 1.0


def parse_target(label: str, law: str | None) -> Target:
    """``§ 3, stk. 2`` (the excerpt's law), ``KEY: path``, ``2014/1500: path``, ``KEY@2014/1500``, ``?: path``."""
    head, sep, path = label.partition(": ")
    if not sep:
        is_path = label.lstrip().startswith(("§", "kapitel", "afsnit", "bilag"))
        head, path = ("", label) if is_path else (label, "")
    if head:
        law = None  # a label naming a law or document says all there is to say about it
    key, _, document = head.partition("@")
    if _DOCUMENT_LABEL.fullmatch(key):
        key, document = "", key
    if key and key != "?":
        law = key
    eli = None
    if document:
        year, number = _DOCUMENT_LABEL.fullmatch(document).groups()  # type: ignore[union-attr]
        eli = str(document_iri(year, number))
    steps = parse_citation(path).steps if path else ()
    return Target(law=law, document=eli, **{step.kind: step.number for step in steps})


def load_labelled(path: Path) -> list[Excerpt]:
    """The labelled excerpts of ``path``."""
    entries = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    excerpts = []
    for entry in entries:
        law = entry.get("law")
        context = parse_citation(entry["context"]) if entry.get("context") else None
        if context is not None and law:
            context = Citation(law, context.steps)
        document = entry.get("document")
        eli = str(document_iri(*document.split("/"))) if document else None
        citations = [(text, [parse_target(t, law) for t in targets]) for text, targets in entry.get("cite") or []]
        excerpts.append(Excerpt(entry["doc"], entry.get("at") or "", entry["text"], law, context, eli,
                                bool(entry.get("amendment")), citations, entry.get("set", "development")))
    return excerpts


def target_key(target: Target) -> TargetKey:
    """What makes two targets the same: the law, the document and the path."""
    return target.law, target.document, tuple((s.kind, s.number) for s in target.steps())


def run_finder(excerpt: Excerpt, finder: Callable[..., list[FoundCitation]] = find_citations) -> list[FoundCitation]:
    """The finder on one excerpt, told what an importer would know."""
    return finder(excerpt.text, context=excerpt.context, law_key=excerpt.law, document=excerpt.document,
                  amendment=excerpt.amendment)


def evaluate(excerpts: list[Excerpt], finder: Callable[..., list[FoundCitation]] = find_citations) -> Evaluation:
    """Precision and recall of the targets the finder reports for every excerpt."""
    result = Evaluation()
    for excerpt in excerpts:
        started = time.perf_counter()
        found = run_finder(excerpt, finder)
        result.seconds += time.perf_counter() - started
        result.characters += len(excerpt.text)
        got = Counter(target_key(t) for f in found for t in f.targets)
        wanted = Counter(target_key(t) for _, targets in excerpt.citations for t in targets)
        true_positives = sum((got & wanted).values())
        counts = result.per_document.setdefault(excerpt.doc, Counter())
        counts.update(excerpts=1, citations=len(excerpt.citations), tp=true_positives,
                      fp=sum((got - wanted).values()), fn=sum((wanted - got).values()))
        result.excerpts += 1
        result.citations += len(excerpt.citations)
        result.true_positives += true_positives
        result.false_positives += sum((got - wanted).values())
        result.false_negatives += sum((wanted - got).values())
        for key in (got - wanted).elements():
            result.differences.append(f"{excerpt.doc} {excerpt.at}: extra {_show(key)}")
        for key in (wanted - got).elements():
            result.differences.append(f"{excerpt.doc} {excerpt.at}: missing {_show(key)}")
    return result


def _show(key: TargetKey) -> str:
    law, document, steps = key
    path = ", ".join(f"{kind} {number}" for kind, number in steps)
    return f"{law or '-'} {document or ''} {path}".strip()
