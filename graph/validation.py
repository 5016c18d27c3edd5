"""SHACL validation with typed, bilingual reports that name provisions by their citation.

The shapes in ``ontology/shapes/`` are the single source of truth. pySHACL runs them over an
rdflib memory graph (a Dataset is validated as the union of its graphs). Messages are written
with placeholders that this module fills in per language after validation:

``{focus}``       citation or label of the focus node (else its IRI)
``{value}``       the value node: a label for a resource, the literal for a literal
``{path}``        the result path as a prefixed name (``rg:validFrom``)
``{provisions}``  `` (dagtilbudsloven § 3 a, stk. 2)``: the provisions the focus links to, with a
                  leading space and parentheses; empty when there are none or the focus is one

SPARQL-based constraints may also use pySHACL's own ``{?var}`` and ``{$this}``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pyshacl
from rdflib import BNode, ConjunctiveGraph, Graph, Literal, Namespace, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import RDF, RDFS, SH, SKOS, XSD
from rdflib.term import Node

from graph.namespaces import ELI, PREFIXES, RG
from graph.settings import ONTOLOGY_DIR

__all__ = ["ValidationReport", "ValidationResult", "validate", "report_from_graph", "shapes_graph", "ontology_graph",
           "LANGUAGES"]

LANGUAGES = ("da", "en")
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
SEVERITIES = ("Violation", "Warning", "Info")
SEVERITY_LABELS = {
    "Violation": {"da": ("Overtrædelse", "overtrædelse", "overtrædelser"), "en": ("Violation", "violation", "violations")},
    "Warning": {"da": ("Advarsel", "advarsel", "advarsler"), "en": ("Warning", "warning", "warnings")},
    "Info": {"da": ("Oplysning", "oplysning", "oplysninger"), "en": ("Info", "note", "notes")},
}
TEXTS = {
    "da": {"ok": "Validering: ingen fund; data overholder formerne.", "found": "Validering: {counts}.",
           "document": "Dokument", "other": "Uden for dokumenter", "and": "og"},
    "en": {"ok": "Validation: no findings; the data conforms to the shapes.", "found": "Validation: {counts}.",
           "document": "Document", "other": "Outside documents", "and": "and"},
}
RGSH = Namespace("https://regelgraf.dk/def/shapes#")
# Properties by which an authored node names the provisions it is about, in order of relevance.
PROVISION_LINKS = (RG.setsAside, RG.exemptibleProvision, RG.protects, RG.statedIn, RG.implements,
                   RG.legalBasis, RG.occursIn)
_PLACEHOLDER = re.compile(r"\{(focus|value|path|provisions)\}")
_PREFIXES = sorted({**PREFIXES, "rgsh": str(RGSH), "sh": str(SH)}.items(), key=lambda item: -len(item[1]))


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """All shape files of ``ontology/shapes/`` as one graph, parsed once per process."""
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The vocabulary and its concept schemes (labels for code values in messages)."""
    graph = Graph()
    for path in [ONTOLOGY_DIR / "regelgraf.ttl", *sorted((ONTOLOGY_DIR / "schemes").glob("*.ttl"))]:
        graph.parse(path, format="turtle")
    return graph


def compact(term: Node | None) -> str:
    """``rg:validFrom`` for a known namespace, else the IRI (or the literal's text)."""
    if term is None:
        return ""
    text = str(term)
    if isinstance(term, URIRef):
        for prefix, namespace in _PREFIXES:
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
    return text


@dataclass(frozen=True)
class ValidationResult:
    """One finding: what is wrong where, in both languages."""

    severity: str  # "Violation" | "Warning" | "Info" (sh: local name)
    focus: Node
    focus_label: str
    path: URIRef | None
    value: Node | None
    message: str  # in the language asked for
    messages: dict[str, str] = field(hash=False)  # {"da": …, "en": …}
    source_shape: Node | None
    graph: URIRef | None = None  # named graph the focus is described in (Dataset input)
    constraint: URIRef | None = None  # sh:sourceConstraintComponent
    provision: Node | None = None  # the provision involved: focus, value or one the focus links to
    provision_label: str | None = None
    document: Node | None = None  # grouping key: the graph, else the law/document of the provision
    document_label: str | None = None
    sort_key: str = ""

    @property
    def label(self) -> str:
        """What a report line starts with: the provision's citation, else the focus label."""
        return self.provision_label or self.focus_label

    def severity_label(self, lang: str) -> str:
        return SEVERITY_LABELS.get(self.severity, SEVERITY_LABELS["Info"])[_lang(lang)][0]

    def to_dict(self, lang: str = "da") -> dict[str, Any]:
        """JSON-ready description of the result."""
        lang = _lang(lang)
        return {
            "severity": self.severity, "severity_label": self.severity_label(lang),
            "focus": str(self.focus), "focus_label": self.focus_label,
            "path": None if self.path is None else compact(self.path),
            "value": None if self.value is None else str(self.value),
            "message": self.messages.get(lang, self.message), "messages": dict(self.messages),
            "source_shape": None if self.source_shape is None else compact(self.source_shape),
            "constraint": None if self.constraint is None else compact(self.constraint),
            "graph": None if self.graph is None else str(self.graph),
            "provision": None if self.provision is None else str(self.provision),
            "provision_label": self.provision_label,
            "document": None if self.document is None else str(self.document),
            "document_label": self.document_label,
        }


@dataclass
class ValidationReport:
    """Whether the data conforms (no violations; warnings allowed) and every finding."""

    conforms: bool
    results: list[ValidationResult] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counted = {name: 0 for name in SEVERITIES}
        for result in self.results:
            counted[result.severity] = counted.get(result.severity, 0) + 1
        return counted

    def groups(self) -> list[tuple[Node | None, str | None, list[ValidationResult]]]:
        """Results per document (graph or law), then ordered per provision; documents first."""
        by_document: dict[Node | None, list[ValidationResult]] = defaultdict(list)
        for result in self.results:
            by_document[result.document].append(result)
        rank = {name: i for i, name in enumerate(SEVERITIES)}
        ordered = sorted(by_document.items(), key=lambda item: (item[0] is None, str(item[1][0].document_label or item[0] or "")))
        return [
            (document, results[0].document_label,
             sorted(results, key=lambda r: (r.sort_key, r.label, rank.get(r.severity, 9), r.messages.get("da", ""))))
            for document, results in ordered
        ]

    def to_text(self, lang: str = "da") -> str:
        """Plain text for the terminal: a summary, then ``[Overtrædelse] citation: message`` lines."""
        lang = _lang(lang)
        texts = TEXTS[lang]
        if not self.results:
            return texts["ok"]
        parts = [f"{n} {SEVERITY_LABELS[name][lang][1 if n == 1 else 2]}" for name, n in self.counts().items() if n]
        joined = ", ".join(parts[:-1]) + f" {texts['and']} {parts[-1]}" if len(parts) > 1 else parts[0]
        lines = [texts["found"].format(counts=joined)]
        for document, document_label, results in self.groups():
            lines.append("")
            if document is None:
                lines.append(f"{texts['other']}:")
            else:
                shown = document_label if document_label and document_label != str(document) else ""
                lines.append(f"{texts['document']}: {shown + ' ' if shown else ''}<{document}>")
            for result in results:
                lines.append(f"[{result.severity_label(lang)}] {result.label}: {result.messages.get(lang, result.message)}")
        return "\n".join(lines)

    def to_json(self, lang: str = "da") -> dict[str, Any]:
        """A JSON-ready dict (``json.dumps`` it): conformance, counts and every result."""
        return {"conforms": self.conforms, "lang": _lang(lang), "counts": self.counts(),
                "results": [result.to_dict(lang) for result in self.results]}

    def to_turtle(self) -> str:
        """The report as a SHACL validation report in Turtle, with both languages' messages."""
        graph = Graph()
        graph.bind("sh", SH)
        for prefix, namespace in _PREFIXES:
            graph.bind(prefix, namespace)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for result in self.results:
            node = BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, result.focus))
            graph.add((node, SH.resultSeverity, SH[result.severity]))
            for predicate, term in ((SH.resultPath, result.path), (SH.value, result.value),
                                    (SH.sourceShape, result.source_shape), (SH.sourceConstraintComponent, result.constraint)):
                if term is not None:
                    graph.add((node, predicate, term))
            for lang, text in result.messages.items():
                graph.add((node, SH.resultMessage, Literal(text, lang=lang)))
        return graph.serialize(format="turtle")


def _lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of: {', '.join(LANGUAGES)}")
    return lang


class _Labels:
    """Citations and labels of nodes, looked up in the data, then in the ontology."""

    def __init__(self, data: Graph) -> None:
        self.graphs = (data, ontology_graph())
        self.data = data

    def first(self, node: Node, predicate: URIRef, lang: str | None = None) -> str | None:
        """One literal value, preferring ``lang``, then any of our languages, then the rest."""
        values = [o for g in self.graphs for o in g.objects(node, predicate) if isinstance(o, Literal)]
        if lang:
            values.sort(key=lambda o: (o.language != lang, o.language is not None and o.language not in LANGUAGES, str(o)))
        else:
            values.sort(key=str)
        return str(values[0]) if values else None

    def citation(self, node: Node) -> str | None:
        return self.first(node, RG.citation)

    def label(self, node: Node, lang: str) -> str:
        """rg:citation, document designation, rdfs:label, skos:prefLabel, names; else the IRI."""
        if isinstance(node, Literal):
            return str(node) if node.datatype in (XSD.date, XSD.dateTime) else f'"{node}"'
        found = self.citation(node) or self._document(node, lang)
        for predicate in (RDFS.label, SKOS.prefLabel, RG.popularName, ELI.title_short, ELI.title, RG.billNumber):
            found = found or self.first(node, predicate, lang)
        return found or (f"_:{node}" if isinstance(node, BNode) else str(node))

    def _document(self, node: Node, lang: str) -> str | None:
        kind = self.data.value(node, ELI.type_document)
        number = self.first(node, ELI.number)
        if kind is None or number is None:
            return None
        date = self.first(node, ELI.date_document)
        code = compact(kind).split(":")[-1]
        words = ("nr.", "af") if lang == "da" else ("no.", "of")
        return f"{code} {words[0]} {number}" + (f" {words[1]} {date}" if date else "")

    def is_provision(self, node: Node | None) -> bool:
        return isinstance(node, URIRef) and ((node, RDF.type, RG.Provision) in self.data or self.citation(node) is not None)

    def linked_provisions(self, node: Node) -> list[URIRef]:
        for predicate in PROVISION_LINKS:
            found = sorted(o for o in self.data.objects(node, predicate) if self.is_provision(o))
            if found:
                return found
        return []

    def root(self, node: Node) -> Node | None:
        """The law work or document at the top of the node's eli:is_part_of chain."""
        seen = {node}
        current = node
        while (parent := self.data.value(current, ELI.is_part_of)) is not None and parent not in seen:
            seen.add(parent)
            current = parent
        if current != node or (node, ELI.type_document, None) in self.data or (node, RDF.type, RG.LawWork) in self.data:
            return current
        return None


def _union(data: ConjunctiveGraph) -> Graph:
    """All triples of all graphs (named and default) in one memory graph, as pySHACL wants it."""
    union = Graph()
    for s, p, o, _ in data.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _graph_of(dataset: ConjunctiveGraph | None, focus: Node) -> URIRef | None:
    """The named graph describing the focus (the one typing it, if several describe it)."""
    if dataset is None:
        return None
    names: dict[URIRef, bool] = {}
    for _, predicate, _, context in dataset.quads((focus, None, None, None)):
        name = getattr(context, "identifier", context)
        if isinstance(name, URIRef) and name != DATASET_DEFAULT_GRAPH_ID:
            names[name] = names.get(name, False) or predicate == RDF.type
    ranked = sorted(names, key=lambda name: (not names[name], str(name)))
    return ranked[0] if ranked else None


def _template_pattern(template: str) -> re.Pattern[str]:
    """A regex matching ``template`` after pySHACL has filled its ``{?var}``/``{$var}``."""
    parts = re.split(r"\{[?$]\w+\}", template)
    return re.compile("^" + "(?s:.*?)".join(re.escape(part) for part in parts) + "$", re.DOTALL)


def _messages(report: Graph, node: Node, shape: Node | None) -> dict[str, str]:
    """The result's message per language; a missing language falls back to any message.

    pySHACL drops the language tag when it fills a SPARQL constraint's message, so an
    untagged message gets the language of the tagged template it was made from.
    """
    texts = [m for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal)]
    if not texts and shape is not None:
        texts = [m for m in shapes_graph().objects(shape, SH.message) if isinstance(m, Literal)]
    constraint = report.value(node, SH.sourceConstraint)
    templates = [m for m in report.objects(constraint, SH.message) if isinstance(m, Literal) and m.language]
    by_lang: dict[str | None, str] = {}
    for text in sorted(texts, key=str):
        lang = text.language or next(
            (t.language for t in templates if _template_pattern(str(t)).match(str(text))), None)
        by_lang[lang] = str(text)
    fallback = by_lang.get(None) or next(iter(by_lang.values()), "")
    return {lang: by_lang.get(lang, fallback) for lang in LANGUAGES}


def _fill(template: str, labels: _Labels, lang: str, focus: Node, value: Node | None, path: Node | None) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "focus":
            return labels.label(focus, lang)
        if name == "value":
            return "" if value is None else labels.label(value, lang)
        if name == "path":
            return compact(path)
        if labels.citation(focus):
            return ""
        cited = [labels.citation(p) or str(p) for p in labels.linked_provisions(focus)]
        return f" ({', '.join(cited[:3])}{', …' if len(cited) > 3 else ''})" if cited else ""

    return _PLACEHOLDER.sub(replace, template)


def _result(report: Graph, node: Node, labels: _Labels, lang: str, dataset: ConjunctiveGraph | None) -> ValidationResult:
    focus = report.value(node, SH.focusNode)
    path = report.value(node, SH.resultPath)
    path = path if isinstance(path, URIRef) else None
    value = report.value(node, SH.value)
    shape = report.value(node, SH.sourceShape)
    severity = str(report.value(node, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
    templates = _messages(report, node, shape)
    messages = {code: _fill(text, labels, code, focus, value, path) for code, text in templates.items()}
    provision = focus if labels.is_provision(focus) else value if labels.is_provision(value) else None
    provision = provision or next(iter(labels.linked_provisions(focus)), None)
    graph = _graph_of(dataset, focus)
    document = graph or labels.root(provision if provision is not None else focus)
    sort_key = labels.first(provision, RG.sortKey) if provision is not None else None
    return ValidationResult(
        severity=severity, focus=focus, focus_label=labels.label(focus, lang), path=path, value=value,
        message=messages[lang], messages=messages, source_shape=shape, graph=graph,
        constraint=report.value(node, SH.sourceConstraintComponent),
        provision=provision, provision_label=None if provision is None else labels.label(provision, lang),
        document=document, document_label=None if document is None else labels.label(document, lang),
        sort_key=sort_key or (labels.label(provision, lang) if provision is not None else "~"),
    )


def validate(data: Graph | ConjunctiveGraph, *, lang: str = "da") -> ValidationReport:
    """Validate an rdflib Graph, or the union of a Dataset's graphs, against the shapes.

    ``conforms`` is False only for violations; warnings are reported but do not fail.
    """
    lang = _lang(lang)
    dataset = data if isinstance(data, ConjunctiveGraph) else None
    graph = _union(data) if dataset is not None else data
    # inplace: no inference and no SHACL rules, so pySHACL only reads the graph; copying it
    # would cost as much as validating a small graph.
    conforms, report, _ = pyshacl.validate(
        graph, shacl_graph=shapes_graph(), advanced=True, inference="none", inplace=True, allow_warnings=True,
    )
    return report_from_graph(report, graph, dataset, lang, conforms=bool(conforms))


def report_from_graph(report: Graph, data: Graph, dataset: ConjunctiveGraph | None, lang: str = "da", *,
                      conforms: bool | None = None) -> ValidationReport:
    """A ValidationReport from a SHACL report graph; ``data`` (and ``dataset``) supply labels and graphs.

    graph.conformance builds the same report graph from the store's own checks.
    """
    lang = _lang(lang)
    labels = _Labels(data)
    top = report.value(predicate=RDF.type, object=SH.ValidationReport)
    results = [_result(report, node, labels, lang, dataset) for node in report.objects(top, SH.result)]
    results.sort(key=lambda r: (str(r.document or ""), r.sort_key, r.label, str(r.source_shape), str(r.value)))
    if conforms is None:
        conforms = not any(r.severity == "Violation" for r in results)
    return ValidationReport(conforms=conforms, results=results)
