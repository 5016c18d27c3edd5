"""From found citations to IRIs: provisions by their identity, documents by ELI; the store says which exist.

A target of a law known by key becomes ``provision_iri(key, steps)`` (the work-level identity);
a target naming a document becomes ``version_subdivision_iri(document, steps)``; a target
without a path is the law work or the document itself. ``resolve_found`` first completes what
the text alone could not say — a title only the store knows, the law a cited document belongs
to — and then keeps, in ``FoundCitation.resolved``, the candidate IRIs the store holds.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rdflib import URIRef

from graph.citations.canonical import Citation, LawIndex, normalise_text, parse_citation
from graph.citations.laws import LawNames
from graph.citations.model import LEVELS, RANK, UNRESOLVED, FoundCitation, Range, Target
from graph.identifiers import (base_iri, canonical_document_iri, document_iri, provision_iri, steps_from_segments,
                               version_subdivision_iri, work_iri)
from graph.namespaces import PREFIXES, SUBDIV
from graph.store.base import Store

_PREFIX_BLOCK = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def target_iris(target: Target) -> list[URIRef]:
    """The IRIs a target may have: its provision under the law work and/or under the document."""
    steps = target.steps()
    iris: list[URIRef] = []
    try:
        if target.law is not None:
            iris.append(provision_iri(target.law, steps) if steps else work_iri(target.law))
        if target.document is not None:
            iris.append(version_subdivision_iri(target.document, steps) if steps else URIRef(target.document))
    except ValueError:
        pass  # a key or document the identifiers module refuses names nothing we could hold
    return iris


def resolve_found(found: FoundCitation | Sequence[FoundCitation], store: Store, *,
                  index: LawIndex | None = None) -> list[str]:
    """Complete the targets from the store and fill ``resolved``; returns every resolved IRI."""
    citations = [found] if isinstance(found, FoundCitation) else list(found)
    if index is None:
        from graph.resolve import law_index  # graph.resolve imports this package

        index = law_index(store)
    works = _works_of_documents(store, {t.document for c in citations for t in c.targets if t.document and not t.law})
    numbers = _store_numbers(store)
    for citation in citations:
        citation.targets = [_complete(target, citation, index, works) for target in citation.targets]
        citation.ranges = [dataclasses.replace(r, parent=_complete(r.parent, citation, index, works)) for r in citation.ranges]
        complete_ranges(citation, numbers)
    candidates = {iri for citation in citations for target in citation.targets for iri in target_iris(target)}
    existing = _existing(store, candidates)
    resolved: list[str] = []
    for citation in citations:
        citation.resolved = [str(iri) for target in citation.targets for iri in target_iris(target) if iri in existing]
        if citation.resolved and citation.certainty == UNRESOLVED and all(t.law or t.document for t in citation.targets):
            citation.notes = [n for n in citation.notes if not n.startswith("ukendt lov")]
            citation.certainty = "certain" if not citation.notes else "inferred"
        resolved.extend(citation.resolved)
    return resolved


def complete_ranges(found: FoundCitation, numbers: Callable[[Target, str], Iterable[str]]) -> int:
    """Add what a range covers that only the law tells ("§§ 64-80" and the law has § 70 a).

    ``numbers(parent, level)`` gives the numbers the law has at ``level`` below ``parent``; the
    range's targets are put back in order. Returns how many targets were added.
    """
    added = 0
    for span in found.ranges:
        low, high = _order(span.first), _order(span.last)
        if low is None or high is None or low > high:
            continue
        inside = [i for i, t in enumerate(found.targets) if _in_range(t, span, low, high)]
        have = {getattr(t, span.level) for t in found.targets if _below(t, span)}
        extra = [n for n in set(numbers(span.parent, span.level)) - have if (o := _order(n)) is not None and low <= o <= high]
        if not extra or not inside:
            continue
        block = [found.targets[i] for i in inside] + [dataclasses.replace(span.parent, **{span.level: n}) for n in extra]
        block.sort(key=lambda t: _order(getattr(t, span.level)) or (0, ""))
        found.targets[inside[0]:inside[-1] + 1] = block
        added += len(extra)
    return added


def _order(number: str | None) -> tuple[int, str] | None:
    match = re.fullmatch(r"(\d+)(?: ([a-z]{1,2}))?", number or "")
    return (int(match.group(1)), match.group(2) or "") if match else None


def _in_range(target: Target, span: Range, low: tuple[int, str], high: tuple[int, str]) -> bool:
    order = _order(getattr(target, span.level))
    return order is not None and low <= order <= high and dataclasses.replace(target, **{span.level: None}) == span.parent


def _below(target: Target, span: Range) -> bool:
    """Whether ``target`` is at or below the range's level under its parent ("§ 12, stk. 1" for §§ 10-12)."""
    deeper = {level: None for level in LEVELS if RANK[level] >= RANK[span.level]}
    return getattr(target, span.level) is not None and dataclasses.replace(target, **deeper) == span.parent


def _store_numbers(store: Store) -> Callable[[Target, str], list[str]]:
    """The numbers of the subdivisions the store holds below a target, by level (remembered)."""
    cache: dict[tuple[Target, str], list[str]] = {}

    def numbers(parent: Target, level: str) -> list[str]:
        if (parent, level) not in cache:
            found: list[str] = []
            for iri in target_iris(parent):
                rows = store.query(
                    _PREFIX_BLOCK + "SELECT ?n WHERE { ?p eli:is_part_of ?parent ; eli:type_subdivision ?type ; eli:number ?n }",
                    bindings={"parent": iri, "type": SUBDIV[level]},
                ).rows
                found.extend(str(row[0]) for row in rows)
            cache[(parent, level)] = found
        return cache[(parent, level)]

    return numbers


def _complete(target: Target, citation: FoundCitation, index: LawIndex, works: dict[str, str]) -> Target:
    """The target with its law filled in from the store, where the text named it in a way only the store knows."""
    if target.law is None and target.document is None and citation.law_text:
        key = index.lookup(citation.law_text) or _title_prefix(citation.law_text, index)
        if key is not None:
            return dataclasses.replace(target, law=key)
    if target.law is None and target.document in works:
        return dataclasses.replace(target, law=works[target.document])
    return target


def _title_prefix(law_text: str, index: LawIndex) -> str | None:
    """The law whose known title the text starts with ("lov om X som ændret …"), longest title first."""
    text = normalise_text(law_text).casefold()
    for name in sorted(index.names(), key=len, reverse=True):
        lowered = name.casefold()
        if lowered.startswith("lov om ") and text.startswith(lowered) and text[len(lowered):len(lowered) + 1] in ("", " ", ","):
            return index.lookup(name)
    return None


def _works_of_documents(store: Store, documents: Iterable[str]) -> dict[str, str]:
    """Document ELI → work key of the law it is a version of, for the documents the store knows."""
    out: dict[str, str] = {}
    for document in sorted(documents):
        rows = store.query(
            _PREFIX_BLOCK + "SELECT ?key WHERE { ?doc eli:is_member_of ?work . ?work rg:workKey ?key }",
            bindings={"doc": URIRef(document)},
        ).rows
        if rows:
            out[document] = str(rows[0][0])
    return out


def _existing(store: Store, iris: set[URIRef]) -> set[URIRef]:
    """The IRIs among ``iris`` that occur as a subject in the store."""
    found: set[URIRef] = set()
    for iri in sorted(iris):
        if store.query(_PREFIX_BLOCK + "ASK { ?s ?p ?o }", bindings={"s": iri}).boolean:
            found.add(iri)
    return found



@dataclass(frozen=True)
class Context:
    """Where a text stands: the provision (as a citation), the law's work key, the document's ELI."""

    citation: Citation | None = None
    law_key: str | None = None
    document: str | None = None


def context_from(text: str, index: LawIndex | None = None) -> Context:
    """A provision IRI (work or document level), a document ELI, or a canonical citation → Context.

    Raises CitationError (for a citation it cannot read) or ValueError (for an IRI it does not know).
    """
    text = text.strip()
    if not re.match(r"https?://", text):
        citation = parse_citation(text)
        key = LawNames(index).popular_key(citation.law) if citation.law else None
        return Context(citation, key, None)
    base = re.escape(base_iri())
    work = re.fullmatch(base + r"work/([a-z0-9][a-z0-9-]*)(?:/(.*))?", text)
    if work is not None:
        key, path = work.group(1), work.group(2) or ""
        return Context(Citation(key, steps_from_segments(path)), key, None)
    version = re.fullmatch(base + r"eli/(lta|ltb|ltc|accn)/(\d{4})/(\d+)/(.+)", text)
    if version is not None:
        series, year, number, path = version.groups()
        return Context(Citation(None, steps_from_segments(path)), None, str(document_iri(year, number, series)))
    return Context(None, None, str(canonical_document_iri(text)))
