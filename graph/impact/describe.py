"""Kinds and human labels (Danish and English) for the resources in an impact result."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.term import _is_valid_uri

from graph.identifiers import Step, format_steps
from graph.impact.index import EdgeIndex
from graph.namespaces import ELI, PREFIXES, RDF, RDFS, RG, SKOS

KINDS: dict[str, tuple[str, str]] = {
    "provision": ("bestemmelse", "provision"),
    "law": ("lov", "law"),
    "document": ("dokument", "document"),
    "subdivision": ("del af et dokument", "part of a document"),
    "agreement": ("velfærdsaftale", "welfare agreement"),
    "possibility": ("fravigelsesadgang", "exemption possibility"),
    "decision": ("fravigelsesbeslutning", "exemption decision"),
    "non_derogable": ("hegnspæl", "non-derogable provision"),
    "non_application": ("undtagelsesklausul", "non-application clause"),
    "municipal_rule": ("kommunal regel", "municipal rule"),
    "municipality": ("kommune", "municipality"),
    "bill": ("lovforslag", "bill"),
    "resource": ("ressource", "resource"),
}
"""Every node kind with its Danish and English name."""

KIND_CLASSES: dict[str, URIRef] = {
    "provision": RG.Provision, "law": RG.LawWork, "document": ELI.LegalResource,
    "subdivision": ELI.LegalResourceSubdivision, "agreement": RG.WelfareAgreement,
    "possibility": RG.ExemptionPossibility, "decision": RG.ExemptionDecision,
    "non_derogable": RG.NonDerogableProvision, "non_application": RG.NonApplicationClause,
    "municipal_rule": RG.MunicipalRule, "municipality": RG.Municipality, "bill": RG.Bill,
}
"""The class a kind stands for (most specific first when a resource has several types)."""

_MONTHS_DA = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
              "oktober", "november", "december")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
_PROPERTIES = (RDF.type, RG.citation, RDFS.label, SKOS.prefLabel, RG.popularName, ELI.title, ELI.title_short,
               ELI.type_document, ELI.number, ELI.date_document, ELI.type_subdivision, RG.billNumber)
_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
_NAMING = {"decision": ("municipality", "sets_aside"), "possibility": ("based_on",)}
_CHUNK = 400  # IRIs per VALUES block: keeps each query text small


@dataclass(frozen=True)
class Description:
    """What an impact node shows: its kind and its label in both languages."""

    kind: str
    da: str
    en: str


def danish_date(day: dt.date) -> str:
    """``7. juli 2019``."""
    return f"{day.day}. {_MONTHS_DA[day.month - 1]} {day.year}"


def english_date(day: dt.date) -> str:
    """``7 July 2019``."""
    return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"


def describe(store, index: EdgeIndex, nodes: Iterable[str]) -> dict[str, Description]:  # type: ignore[no-untyped-def]
    """Kind and labels for each node; a document part is named after its document."""
    wanted = list(dict.fromkeys(nodes))
    missing = [n for n in wanted if n not in index.descriptions]
    ancestors: list[str] = []
    for node in missing:
        # An unlabelled decision or possibility is named after what it sets aside or rests on.
        ancestors += [o for r, o in index.outgoing.get(node, ()) if r in _NAMING.get(index.statement_kinds.get(node, ""), ())]
        seen = {node}
        parents = index.parents(node)
        while parents and parents[0] not in seen:  # the whole chain, for "§ 1 i BEK nr. …"
            seen.add(parents[0])
            ancestors.append(parents[0])
            parents = index.parents(parents[0])
    if missing:
        facts = _facts(store, list(dict.fromkeys(missing + ancestors)))
        for node in missing:
            index.descriptions[node] = _describe(node, facts, index)
    return {node: index.descriptions[node] for node in wanted}  # type: ignore[misc]


def _facts(store, nodes: list[str]) -> dict[str, dict[URIRef, list]]:  # type: ignore[no-untyped-def]
    facts: dict[str, dict[URIRef, list]] = defaultdict(lambda: defaultdict(list))
    safe = [n for n in nodes if _is_valid_uri(n)]  # they come from the store; refuse anything odd
    properties = ", ".join(p.n3() for p in _PROPERTIES)
    for start in range(0, len(safe), _CHUNK):
        values = " ".join(URIRef(n).n3() for n in safe[start:start + _CHUNK])
        # FILTER IN, not a second VALUES: Oxigraph joins two VALUES blocks as a cross product (200x slower).
        query = _PREFIXES + f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o . FILTER(?p IN ({properties})) }}"
        for s, p, o in store.query(query, limit=10**12).rows:
            facts[str(s)][p].append(o)
    return facts


def kind_of(types: Iterable[object], facts: dict[URIRef, list] | None = None) -> str:
    """The node kind from its rdf:types (documents also from eli:type_document)."""
    types = set(types)
    for kind, cls in KIND_CLASSES.items():
        if cls in types and kind not in ("document", "subdivision"):
            return kind
    if ELI.LegalResourceSubdivision in types:
        return "subdivision"
    if ELI.LegalResource in types or (facts and facts.get(ELI.type_document)):
        return "document"
    return "resource"


def _pick(values: list, lang: str) -> str | None:
    by_lang: dict[str, str] = {}
    for value in values:
        if isinstance(value, Literal):
            by_lang.setdefault(value.language or "", str(value))
    for wanted in (lang, "da", ""):
        if wanted in by_lang:
            return by_lang[wanted]
    return next(iter(by_lang.values()), None)


def _document_label(facts: dict[URIRef, list]) -> tuple[str, str] | None:
    doctype = facts.get(ELI.type_document)
    number = facts.get(ELI.number)
    if not doctype or not number:
        return None
    code = str(doctype[0]).rstrip("/").rsplit("/", 1)[-1]
    da, en = f"{code} nr. {number[0]}", f"{code} no. {number[0]}"
    dates = [d for d in facts.get(ELI.date_document, []) if isinstance(d, Literal)]
    try:
        day = dt.date.fromisoformat(str(dates[0])[:10]) if dates else None
    except ValueError:
        day = None
    if day:
        da, en = f"{da} af {danish_date(day)}", f"{en} of {english_date(day)}"
    return da, en


def _describe(node: str, facts: dict[str, dict[URIRef, list]], index: EdgeIndex) -> Description:
    own = facts.get(node, {})
    kind = kind_of(own.get(RDF.type, []), own)
    if kind == "resource" and node in index.statement_kinds:
        kind = index.statement_kinds[node]
    elif kind == "resource" and node in index.law_works:
        kind = "law"
    citation = _pick(own.get(RG.citation, []), "da")
    if citation:
        return Description(kind, citation, citation)
    document = _document_label(own)
    if document:
        return Description(kind, *document)
    if kind == "subdivision":
        label = _part_label(node, facts, index)
        if label:
            return Description(kind, *label)
    for prop in (RDFS.label, SKOS.prefLabel, RG.popularName, ELI.title_short, ELI.title, RG.billNumber):
        if own.get(prop):
            return Description(kind, _pick(own[prop], "da") or node, _pick(own[prop], "en") or node)
    composed = _statement_label(node, kind, facts, index)
    if composed:
        return Description(kind, *composed)
    tail = node.rstrip("/#").rsplit("/", 1)[-1].rsplit("#", 1)[-1] or node
    return Description(kind, tail, tail)


def _statement_label(node: str, kind: str, facts: dict[str, dict[URIRef, list]], index: EdgeIndex) -> tuple[str, str] | None:
    """``Fravigelse (Middelfart): serviceloven § 79 a`` for a decision nobody labelled."""
    def names(relation: str) -> list[str]:
        found = []
        for r, other in index.outgoing.get(node, ()):
            if r == relation:
                own = facts.get(other, {})
                for prop in (RG.citation, SKOS.prefLabel, RDFS.label, RG.popularName):
                    if own.get(prop):
                        found.append(_pick(own[prop], "da") or other)
                        break
        return sorted(found)

    if kind == "decision" and names("sets_aside"):
        where = ", ".join(names("municipality"))
        what = "; ".join(names("sets_aside"))
        return (f"Fravigelse{f' ({where})' if where else ''}: {what}", f"Exemption decision{f' ({where})' if where else ''}: {what}")
    if kind == "possibility" and names("based_on"):
        basis = "; ".join(names("based_on"))
        return f"Fravigelsesadgang efter {basis}", f"Exemption possibility under {basis}"
    return None


def _part_label(node: str, facts: dict[str, dict[URIRef, list]], index: EdgeIndex) -> tuple[str, str] | None:
    """``§ 1 i BEK nr. 716 af 7. juli 2019`` from the chain of eli:is_part_of up to the document."""
    steps: list[Step] = []
    current, seen = node, set()
    while current not in seen:
        seen.add(current)
        own = facts.get(current, {})
        document = _document_label(own)
        if document:
            if not steps:
                return document
            path = format_steps(list(reversed(steps)))
            return f"{path} i {document[0]}", f"{path} of {document[1]}"
        kinds, numbers = own.get(ELI.type_subdivision, []), own.get(ELI.number, [])
        if not kinds or not numbers:
            return None
        try:
            steps.append(Step(str(kinds[0]).rstrip("/").rsplit("/", 1)[-1], str(numbers[0])))
        except ValueError:
            return None
        parents = index.parents(current)
        if not parents:
            return None
        current = parents[0]
    return None
