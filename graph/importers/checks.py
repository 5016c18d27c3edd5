"""What an import validates: the SHACL shapes per document graph, and the cross-document rules.

* ``document_findings`` runs pySHACL (graph.validation.validate) over one document's graph. A
  link to something another document describes is not in that graph, so the "link to
  something undescribed" warnings for targets the import knows (in this run or in the store) are
  dropped; everything else is returned, violations first.
* ``store_findings`` asks the store, in a few SPARQL queries, for what no single document can
  break alone but two can together: two citations for one provision (its name comes from its
  work, which another run or the shipped data may have named), two keys for one work, a
  document in two works. A provision's parent and type need no such query: both follow from
  its IRI, the same in every document. These run after every import, whatever its size.
"""

from __future__ import annotations

from rdflib import Dataset, URIRef

from graph.importers.build import DocumentGraph
from graph.importers.links import Known
from graph.importers.triples import to_graph
from graph.importers.works import WorkIndex
from graph.namespaces import PREFIXES

__all__ = ["document_findings", "store_findings", "CROSS_DOCUMENT_RULES"]

_PREFIX_BLOCK = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
# (name, the shape it mirrors, query returning ?node ?n for nodes with more than one value)
CROSS_DOCUMENT_RULES: tuple[tuple[str, str, str], ...] = (
    # Grouped first, typed after: joining every rg:citation with rg:Provision before grouping
    # cost 8 s of CPU on the corpus (406,759 citations), the group alone 1.3 s. DISTINCT: the
    # union default graph repeats the type once per graph that states it.
    ("citation", "rgsh:Provision-citation",
     "SELECT DISTINCT ?node ?n WHERE { { SELECT ?node (COUNT(DISTINCT ?v) AS ?n) WHERE { ?node rg:citation ?v } "
     "GROUP BY ?node HAVING (COUNT(DISTINCT ?v) > 1) } ?node a rg:Provision }"),
    ("work key", "rgsh:LawWork-workKey",
     "SELECT ?node (COUNT(DISTINCT ?v) AS ?n) WHERE { ?node a rg:LawWork ; rg:workKey ?v } GROUP BY ?node HAVING (COUNT(DISTINCT ?v) > 1)"),
    ("work of a document", "rgsh:Document-is_member_of",
     "SELECT ?node (COUNT(DISTINCT ?v) AS ?n) WHERE { ?node eli:type_document ?t ; eli:is_member_of ?v } GROUP BY ?node HAVING (COUNT(DISTINCT ?v) > 1)"),
)
_LINK_SHAPES = ("Link-cites", "Link-based_on", "Link-amends", "Link-consolidates", "Link-changes", "Link-repeals")


def _known_target(value: str, known: Known, index: WorkIndex) -> bool:
    from graph.identifiers import base_iri

    prefix = f"{base_iri()}work/"
    if value in known.documents:
        return True
    if value.startswith(prefix):
        key, _, segments = value[len(prefix):].partition("/")
        return known.has(key, segments) if segments else key in index.names
    return False


def document_findings(graph: DocumentGraph, known: Known, index: WorkIndex, lang: str = "da") -> list[str]:
    """Violations of the shapes in one document's graph, as messages (empty: it conforms)."""
    from graph.validation import validate

    dataset = Dataset()
    target = dataset.graph(URIRef(graph.graph))
    for triple in to_graph(graph.graph, graph.triples):
        target.add(triple)
    report = validate(dataset, lang=lang)
    findings = []
    for result in report.results:
        shape = str(result.source_shape)
        if any(shape.endswith(name) for name in _LINK_SHAPES) and _known_target(str(result.value), known, index):
            continue
        if "violation" in str(result.severity).lower():
            findings.append(result.messages.get(lang, result.message) if hasattr(result, "messages") else result.message)
    return findings


def store_findings(store) -> list[tuple[str, str, str, int]]:  # type: ignore[no-untyped-def]
    """(rule, shape, node, values) for every node the store gives too many values."""
    out = []
    for name, shape, query in CROSS_DOCUMENT_RULES:
        for node, count in store.query(_PREFIX_BLOCK + query).rows:
            out.append((name, shape, str(node), int(count)))
    return out
