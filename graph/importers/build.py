"""ParsedDocument → the triples of its named graph: document, law work, structure, provenance.

Identities come from graph.identifiers only: the document keeps its official ELI; each unit is a
version subdivision ``{base}eli/lta/{y}/{n}/par_83/stk_1`` that ``eli:is_member_of`` the
work-level ``rg:Provision`` ``{base}work/{key}/par_83/stk_1``, which this graph describes too
(type, number, parent, citation, sort key) — so the same provision in two consolidations is one
node, the node the shipped data uses. Links (citations, amendments, hjemmel, consolidation) are
added by graph.importers.links.

Nothing here depends on the time of import except ``prov:generatedAtTime`` of the graph itself,
so importing the same file twice gives the same triples apart from that one.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from graph.identifiers import (
    Step, base_iri, document_iri, format_steps, sort_key, version_subdivision_iri, work_iri,
)
from graph.importers.model import ParsedDocument, Unit
from graph.importers.triples import XSD_DATETIME, Lit, Triples, date_lit, text_lit
from graph.importers.works import WorkIndex, law_title, slug
from graph.namespaces import DCTERMS, DOCTYPE, ELI, PROV, RDF, RDFS, RG, SKOS, SUBDIV

__all__ = ["DocumentGraph", "Placed", "build_document", "graph_iri_for", "places", "FORMAT_MEDIA_TYPES", "P"]

FORMAT_MEDIA_TYPES = {"lexdania": "application/xml", "retsinfo-html": "text/html", "retsinfo-json": "application/json"}
_DESIGNATION = {"LOV": "Lov", "LBK": "Lovbekendtgørelse", "BEK": "Bekendtgørelse", "ANO": "Anordning",
                "CIR": "Cirkulære", "CIS": "Cirkulæreskrivelse", "VEJ": "Vejledning", "SKR": "Skrivelse"}
# An http(s) IRI with a host and none of the characters IRIs exclude; anything else is not an IRI.
_WEB_IRI = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d+)?(?:/[^\s<>\"{}|\\^`]*)?$")
_MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober",
           "november", "december")


class P:
    """Predicate and class IRIs as plain strings (the builder's hot loop avoids rdflib terms)."""

    type = str(RDF.type)
    label = str(RDFS.label)
    alt_label = str(SKOS.altLabel)
    LegalResource = str(ELI.LegalResource)
    Subdivision = str(ELI.LegalResourceSubdivision)
    LawWork = str(RG.LawWork)
    Provision = str(RG.Provision)
    UnresolvedReference = str(RG.UnresolvedReference)
    is_part_of = str(ELI.is_part_of)
    is_member_of = str(ELI.is_member_of)
    has_member = str(ELI.has_member)
    type_document = str(ELI.type_document)
    type_subdivision = str(ELI.type_subdivision)
    number = str(ELI.number)
    title = str(ELI.title)
    title_short = str(ELI.title_short)
    date_document = str(ELI.date_document)
    date_publication = str(ELI.date_publication)
    in_force = str(ELI.first_date_entry_in_force)
    no_longer_in_force = str(ELI.date_no_longer_in_force)
    responsibility_of = str(ELI.responsibility_of)
    cites = str(ELI.cites)
    based_on = str(ELI.based_on)
    amends = str(ELI.amends)
    changes = str(ELI.changes)
    repeals = str(ELI.repeals)
    consolidates = str(ELI.consolidates)
    citation = str(RG.citation)
    text = str(RG.text)
    sort_key = str(RG.sortKey)
    work_key = str(RG.workKey)
    popular_name = str(RG.popularName)
    status = str(RG.status)
    accession = str(RG.accessionNumber)
    reference_text = str(RG.referenceText)
    occurs_in = str(RG.occursIn)
    Entity = str(PROV.Entity)
    derived_from = str(PROV.wasDerivedFrom)
    generated_at = str(PROV.generatedAtTime)
    format = str(DCTERMS.format)
    conforms_to = str(DCTERMS.conformsTo)
    doctype = str(DOCTYPE)
    subdiv = str(SUBDIV)


@dataclass
class Placed:
    """A unit with its place: the steps from the document down, and its two IRIs."""

    unit: Unit
    steps: tuple[Step, ...]
    version: str
    provision: str


@dataclass
class DocumentGraph:
    """One document's named graph and what the summary counts."""

    graph: str
    document: str
    work_key: str
    triples: Triples = field(default_factory=Triples)
    placed: list[Placed] = field(default_factory=list)
    by_provision: dict[str, Placed] = field(default_factory=dict)
    links: int = 0
    unresolved: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def provisions(self) -> int:
        return len(self.placed)


def graph_iri_for(year: int, number: str) -> str:
    """``{base}graph/lta/{year}/{nr}``: the named graph of one imported document."""
    return f"{base_iri()}graph/lta/{int(year)}/{int(number)}"


def _danish_date(day: dt.date) -> str:
    return f"{day.day}. {_MONTHS[day.month - 1]} {day.year}"


def _designation(doc: ParsedDocument) -> str:
    meta = doc.meta
    word = _DESIGNATION.get(meta.doc_type, meta.doc_type)
    when = f" af {_danish_date(meta.date_signed)}" if meta.date_signed else f" ({meta.year})"
    return f"{word} nr. {meta.number}{when}"


def _document(out: DocumentGraph, doc: ParsedDocument, work: str, name: str) -> None:
    meta, t, d = doc.meta, out.triples, out.document
    t.add(d, P.type, P.LegalResource)
    t.add(d, P.type_document, P.doctype + meta.doc_type)
    t.add(d, P.number, Lit(meta.number))
    t.add(d, P.label, text_lit(_designation(doc)))
    if meta.title:
        t.add(d, P.title, text_lit(meta.title))
    if meta.popular_title:
        t.add(d, P.title_short, text_lit(meta.popular_title))
    for predicate, day in ((P.date_document, meta.date_signed), (P.date_publication, meta.date_published),
                           (P.in_force, meta.date_in_force)):
        if day is not None:
            t.add(d, predicate, date_lit(day))
    if meta.date_end is not None and (meta.date_in_force is None or meta.date_in_force <= meta.date_end):
        t.add(d, P.no_longer_in_force, date_lit(meta.date_end))
    if meta.ministry:
        authority = f"{base_iri()}myndighed/{slug(meta.ministry)}"
        t.add(d, P.responsibility_of, authority)
        t.add(authority, P.label, text_lit(meta.ministry))
    if meta.status:
        t.add(d, P.status, Lit(meta.status))
    if meta.accession_number:
        t.add(d, P.accession, Lit(meta.accession_number))
    t.add(d, P.is_member_of, work)
    t.add(work, P.has_member, d)
    t.add(work, P.type, P.LawWork)
    t.add(work, P.work_key, Lit(out.work_key))
    t.add(work, P.popular_name, text_lit(name))
    t.add(work, P.label, text_lit(name))
    if meta.title and meta.doc_type in ("LOV", "LBK"):
        title = law_title(meta.title)
        t.add(work, P.title, text_lit(title[:1].upper() + title[1:]))
    if meta.popular_title and meta.popular_title.strip() != name:
        t.add(work, P.alt_label, text_lit(meta.popular_title.strip()))


_CHAPTERS = ("kapitel", "afsnit")
# Step objects are immutable and the corpus repeats few (kind, number) pairs, so each is made
# (and its number checked) once; a number the identifiers refuse is not kept and fails every time.
_STEPS: dict[tuple[str, str], Step] = {}
# Sort-key parts by number ("16 b" → "00016b"): numbers repeat across units and documents.
_SORT_PARTS: dict[str, str] = {}


def _step(kind: str, number: str) -> Step:
    step = _STEPS.get((kind, number))
    if step is None:
        step = Step(kind, number)  # raises ValueError for a number the identifiers refuse
        if len(_STEPS) < 100_000:
            _STEPS[(kind, number)] = step
    return step


def _sort_part(step: Step) -> str:
    """One step's part of ``graph.identifiers.sort_key`` (which reads only the number)."""
    part = _SORT_PARTS.get(step.number)
    if part is None:
        part = sort_key((step,))
        if len(_SORT_PARTS) < 100_000:
            _SORT_PARTS[step.number] = part
    return part


def places(doc: ParsedDocument, warnings: list[str]):  # type: ignore[no-untyped-def]
    """Every unit with its steps from the document down, once per path; unusable ones noted.

    The path segments are built from the parent's as the walk goes down (the same string
    ``graph.identifiers.path_segments`` gives: chapters and afsnit only as the last step).
    """
    seen: set[str] = set()
    first: dict[str, Unit] = {}

    def visit(unit: Unit, parent_steps: tuple[Step, ...], parent: object, core: str):  # type: ignore[no-untyped-def]
        try:
            step = _step(unit.kind, unit.number)
        except ValueError as error:
            warnings.append(f"{format_steps(parent_steps) or 'dokumentet'}: {error}; enheden er udeladt")
            return
        steps = parent_steps + (step,)
        segments = f"{core}/{step.segment}" if core else step.segment
        inner = core if step.kind in _CHAPTERS else segments  # what the children's paths start with
        if segments in seen:
            if unit.kind in _CHAPTERS:  # a part repeated (in another "bog"): keep what it holds
                warnings.append(f"{format_steps(steps)} findes to gange i dokumentet; indholdet er lagt under den første")
                for child in unit.children:
                    yield from visit(child, steps, first[segments], inner)
                return
            warnings.append(f"{format_steps(steps)} findes to gange i dokumentet; kun den første er importeret")
            return
        seen.add(segments)
        first[segments] = unit
        yield unit, steps, segments, parent
        for child in unit.children:
            yield from visit(child, steps, unit, inner)

    for unit in doc.units:
        yield from visit(unit, (), None, "")


def _structure(out: DocumentGraph, doc: ParsedDocument, name: str) -> None:
    """Every unit as a version subdivision and its work-level provision.

    A unit's citation, parent provision and sort key read its *core* path (the steps without
    chapters and afsnit, but its own); each is its parent core's plus its own step, so they are
    built from the parent's strings rather than from the whole path again.
    """
    add = out.triples.append
    version_prefix = str(version_subdivision_iri(out.document, (Step("paragraf", "1"),)))[: -len("par_1")]
    work = str(work_iri(out.work_key))
    provision_prefix = work + "/"
    # id(unit) → (version IRI, core segments, printed core, core sort key) of what its children extend
    below: dict[int, tuple[str, str, str, str]] = {}
    Subdivision, Provision, is_part_of, is_member_of = P.Subdivision, P.Provision, P.is_part_of, P.is_member_of
    rdf_type, type_subdivision, number_p, text_p, title_p = P.type, P.type_subdivision, P.number, P.text, P.title
    citation_p, label_p, sort_key_p = P.citation, P.label, P.sort_key
    for unit, steps, segments, parent in places(doc, out.warnings):
        if parent is None:
            parent_version, core, printed, sorted_ = out.document, "", "", ""
        else:
            parent_version, core, printed, sorted_ = below[id(parent)]
        version = version_prefix + segments
        provision = provision_prefix + segments
        step = steps[-1]
        placed = Placed(unit, steps, version, provision)
        out.placed.append(placed)
        out.by_provision[provision] = placed
        kind = P.subdiv + unit.kind
        number = Lit(unit.number)
        add((version, rdf_type, Subdivision))
        add((version, is_part_of, parent_version))
        add((version, is_member_of, provision))
        add((version, type_subdivision, kind))
        add((version, number_p, number))
        if unit.text:
            add((version, text_p, Lit(unit.text, "da")))
        if unit.heading:
            add((version, title_p, Lit(unit.heading, "da")))
        own_printed = format_steps((step,))
        own_printed = f"{printed}, {own_printed}" if printed else own_printed
        own_sorted = _sort_part(step)
        own_sorted = f"{sorted_}.{own_sorted}" if sorted_ else own_sorted
        citation = f"{name} {own_printed}"
        add((provision, rdf_type, Provision))
        add((provision, is_part_of, provision_prefix + core if core else work))
        add((provision, type_subdivision, kind))
        add((provision, number_p, number))
        add((provision, citation_p, Lit(citation)))
        add((provision, label_p, Lit(citation, "da")))
        add((provision, sort_key_p, Lit(own_sorted)))
        if step.kind in _CHAPTERS:  # not part of the paths below it
            below[id(unit)] = (version, core, printed, sorted_)
        else:
            below[id(unit)] = (version, segments, own_printed, own_sorted)


def _provenance(out: DocumentGraph, doc: ParsedDocument, imported_at: dt.datetime | None) -> None:
    t, g = out.triples, out.graph
    t.add(g, P.type, P.Entity)
    t.add(g, P.derived_from, doc.source.iri)
    t.add(g, P.label, text_lit(f"Importeret fra {doc.source.name}"))
    if doc.source.format:
        t.add(g, P.format, Lit(FORMAT_MEDIA_TYPES.get(doc.source.format, doc.source.format)))
    if doc.meta.schema and _WEB_IRI.match(doc.meta.schema):
        t.add(g, P.conforms_to, doc.meta.schema)
    elif doc.meta.schema:
        out.warnings.append(f"SchemaLocation »{doc.meta.schema[:80]}« er ingen IRI; dcterms:conformsTo er udeladt")
    if imported_at is not None:
        stamp = imported_at.astimezone(dt.timezone.utc).replace(microsecond=0)
        t.add(g, P.generated_at, Lit(stamp.isoformat().replace("+00:00", "Z"), None, XSD_DATETIME))


def build_document(doc: ParsedDocument, index: WorkIndex, *, imported_at: dt.datetime | None = None) -> DocumentGraph:
    """The document's graph without links (graph.importers.links adds them)."""
    meta = doc.meta
    key = index.key_of(meta)
    out = DocumentGraph(graph_iri_for(meta.year, meta.number), str(document_iri(meta.year, meta.number)), key)
    out.warnings.extend(doc.warnings)
    name = index.name_of(key)
    _document(out, doc, str(work_iri(key)), name)
    _structure(out, doc, name)
    _provenance(out, doc, imported_at)
    return out
