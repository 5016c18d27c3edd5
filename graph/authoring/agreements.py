"""Agreements with their decisions, exemption schemes (possibilities and hegnspæle) and municipal
rules: declaration, RDF, and what the cross-file checks need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.authoring.emit import Prov, Writer, da, mint
from graph.authoring.errors import Loc
from graph.authoring.laws import term_change
from graph.authoring.reader import Record
from graph.authoring.registry import Registry, slugify
from graph.namespaces import AREA, EXTENT, RG, RULETYPE

__all__ = ["Checks", "declare", "emit"]

AREA_LABELS = {"dagtilbud": "dagtilbud", "folkeskole": "folkeskole", "aeldre": "ældre", "beskaeftigelse": "beskæftigelse"}
AREA_FIELDS_DA = {"dagtilbud": "dagtilbudsområdet", "folkeskole": "folkeskoleområdet", "aeldre": "ældreområdet", "beskaeftigelse": "beskæftigelsesområdet"}
AREA_LABELS_EN = {"dagtilbud": "day care", "folkeskole": "public school", "aeldre": "elder care", "beskaeftigelse": "employment"}


def _citations(reg: Registry, iris: list[URIRef | None], conjunction: str = "og") -> str:
    """The provisions' canonical citations as a list in prose ("a, b og c"), for a derived label."""
    cited = [reg.provisions[i].citation for i in iris if i is not None and i in reg.provisions]
    return f"{', '.join(cited[:-1])} {conjunction} {cited[-1]}" if len(cited) > 1 else "".join(cited)


def _label(w: Writer, iri: URIRef, danish: str, english: str) -> None:
    """A readable name for a statement that has none of its own (pages and reports show it)."""
    w.graph.add((iri, RDFS.label, Literal(danish, lang="da")))
    w.graph.add((iri, RDFS.label, Literal(english, lang="en")))


@dataclass
class Checks:
    """Facts gathered while emitting, checked once every file is done."""

    protected: dict[URIRef, list[tuple[str, Loc]]] = field(default_factory=dict)  # provision → hegnspæle
    exempted: list[tuple[URIRef, Loc, str]] = field(default_factory=list)  # provision set aside or exemptible
    agreements: dict[str, Loc] = field(default_factory=dict)
    rules: dict[URIRef, Loc] = field(default_factory=dict)

    def check(self, reg: Registry) -> None:
        """Nothing may set aside a protected provision or an ancestor of one."""
        for provision, loc, text in self.exempted:
            for protected, fences in self.protected.items():
                if protected == provision or str(protected).startswith(str(provision) + "/"):
                    for fence, fence_loc in fences:
                        citation = reg.provisions[protected].citation if protected in reg.provisions else str(protected)
                        reg.error(loc, "protected", text=text, fence=fence, where=str(fence_loc), protected=citation)


def declare(record: Record, reg: Registry) -> None:
    """Register the possibility ids of an exemption scheme (agreements and rules declare nothing)."""
    if record.spec.name == "exemption-scheme":
        for item in record.items("possibilities"):
            if item.value.get("id"):
                reg.declare_possibility(item.value.get("id"), item.value.loc)


def _period(reg: Registry, record: Record, start: str, end: str) -> None:
    if record.get(start) and record.get(end) and not record.get(start) < record.get(end):
        reg.error(record.key_loc(end), "date-order", start_key=start, start=record.get(start), end_key=end, end=record.get(end))


def _agreement(record: Record, reg: Registry, w: Writer, checks: Checks) -> None:
    prov = Prov.of(record)
    municipality = reg.municipality(record.v("municipality")) if record.v("municipality") else None
    # Go on without a municipality or area, so that one run reports every other problem too.
    decl = next((m for m in reg.municipalities.values() if m.iri == municipality), None)
    name = decl.name if decl is not None else str(record.get("municipality", "ukendt"))
    area = record.get("area", "ukendt")
    id_ = record.get("id") or f"{slugify(name)}-{area}"
    if id_ in checks.agreements:
        reg.error(record.key_loc("id") if record.get("id") else record.loc, "duplicate", what="aftalen",
                  what_en="the agreement", name=id_, first=str(checks.agreements[id_]))
        return
    checks.agreements[id_] = record.loc
    iri = mint("aftale", id_)
    g = w.graph
    g.add((iri, RDF.type, RG.WelfareAgreement))
    if municipality is not None:
        g.add((iri, RG.municipality, municipality))
    if record.get("area"):
        g.add((iri, RG.welfareArea, AREA[area]))
    g.add((iri, RDFS.label, da(f"Velfærdsaftale: {name} Kommune, {AREA_LABELS.get(area, area)}")))
    for item in record.items("legal_basis"):
        w.value(iri, RG.legalBasis, item, reg.provision(item), prov)
    for key, predicate in (("local_start", RG.localStart), ("valid_from", RG.validFrom), ("valid_until", RG.validUntil)):
        w.date(iri, predicate, record, key, prov)
    _period(reg, record, "valid_from", "valid_until")
    w.describe(iri, prov)
    extensions = record.items("extensions")
    for index, item in enumerate(extensions, start=1):
        term_change(w, reg, item.value, mint("aftale", id_, "forlaengelse", str(index)), iri)
    last = extensions[-1].value if extensions else None
    if last is not None and last.get("new_end") and record.get("valid_until") and last.get("new_end") != record.get("valid_until"):
        reg.error(record.key_loc("valid_until"), "extension-mismatch", until=record.get("valid_until"), new_end=last.get("new_end"))
    for index, item in enumerate(record.items("decisions"), start=1):
        _decision(item.value, reg, w, checks, iri, id_, index, municipality, record)


def _decision(record: Record, reg: Registry, w: Writer, checks: Checks, agreement: URIRef, agreement_id: str,
              index: int, municipality: URIRef | None, parent: Record) -> None:
    if not record.complete:
        return
    prov = Prov.of(record)
    iri = mint("aftale", agreement_id, "beslutning", record.get("id") or str(index))
    g = w.graph
    g.add((iri, RDF.type, RG.ExemptionDecision))
    if municipality is not None:
        g.add((iri, RG.municipality, municipality))
    g.add((iri, RG.agreement, agreement))
    set_aside = []
    for item in record.items("sets_aside"):
        provision = reg.provision(item)
        set_aside.append(provision)
        w.value(iri, RG.setsAside, item, provision, prov)
        if provision is not None:
            checks.exempted.append((provision, item.loc, item.raw))
    name = next((m.name for m in reg.municipalities.values() if m.iri == municipality), None)
    if name is not None and set_aside:
        _label(w, iri, f"{name} Kommunes fravigelse af {_citations(reg, set_aside)}",
               f"{name} Municipality's setting aside of {_citations(reg, set_aside, 'and')}")
    extent = record.v("extent")
    if extent is not None:
        w.add(iri, RG.extent, EXTENT[extent.value], prov, extent.qualifier)
    w.date(iri, RG.effectiveFrom, record, "effective_from", prov)
    w.date(iri, RG.decidedOn, record, "decided_on", prov)
    start, end, day = parent.get("valid_from"), parent.get("valid_until"), record.get("effective_from")
    if start and end and day and not start <= day <= end:
        reg.error(record.key_loc("effective_from"), "outside-period", date=day, start=start, end=end)
    under = record.v("under_possibility")
    if under is not None:
        possibility = reg.possibility(under)
        if possibility is not None:
            w.add(iri, RG.underPossibility, possibility.iri, prov, under.qualifier)
            if municipality is not None and possibility.municipalities and municipality not in possibility.municipalities:
                name = next(m.name for m in reg.municipalities.values() if m.iri == municipality)
                reg.error(under.loc, "municipality-mismatch", agreement_municipality=name, possibility=possibility.id)
    w.langtext(iri, RG.summary, record.get("summary"))
    w.describe(iri, prov)


def _scheme(record: Record, reg: Registry, w: Writer, checks: Checks) -> None:
    area = record.get("area")
    if not area:
        return
    g = w.graph
    for item in record.items("possibilities"):
        p = item.value
        decl = reg.possibilities.get(p.get("id", ""))
        if not p.complete or decl is None or decl.loc != p.loc:
            continue
        prov = Prov.of(p)
        g.add((decl.iri, RDF.type, RG.ExemptionPossibility))
        g.add((decl.iri, RG.welfareArea, AREA[area]))
        bases = []
        for value in p.items("legal_basis"):
            bases.append(reg.provision(value))
            w.value(decl.iri, RG.legalBasis, value, bases[-1], prov)
        _label(w, decl.iri, f"Fravigelsesadgang på {AREA_FIELDS_DA.get(area, area)} efter {_citations(reg, bases)}",
               f"Exemption possibility in {AREA_LABELS_EN.get(area, area)} under {_citations(reg, bases, 'and')}")
        for value in p.items("exemptible"):
            provision = reg.provision(value)
            w.value(decl.iri, RG.exemptibleProvision, value, provision, prov)
            if provision is not None:
                checks.exempted.append((provision, value.loc, value.raw))
        for value in p.items("municipalities"):
            municipality = reg.municipality(value)
            w.value(decl.iri, RG.municipality, value, municipality, prov)
            if municipality is not None:
                decl.municipalities.add(municipality)
        w.date(decl.iri, RG.validFrom, p, "valid_from", prov)
        w.date(decl.iri, RG.validUntil, p, "valid_until", prov)
        _period(reg, p, "valid_from", "valid_until")
        w.langtext(decl.iri, RG.summary, p.get("summary"))
        w.describe(decl.iri, prov)
    for item in record.items("hegnspaele"):
        h = item.value
        if not h.complete:
            continue
        prov = Prov.of(h)
        iri = mint("hegnspael", h.get("id"))
        g.add((iri, RDF.type, RG.NonDerogableProvision))
        g.add((iri, RG.welfareArea, AREA[area]))
        w.langtext(iri, RDFS.label, h.get("label"))
        w.langtext(iri, RG.summary, h.get("summary"))
        for value in h.items("protects"):
            provision = reg.provision(value)
            w.value(iri, RG.protects, value, provision, prov)
            if provision is not None:
                checks.protected.setdefault(provision, []).append((h.get("label")["da"], value.loc))
        w.describe(iri, prov)


def _rules(record: Record, reg: Registry, w: Writer, checks: Checks) -> None:
    municipality = reg.municipality(record.v("municipality")) if record.v("municipality") else None
    if municipality is None:
        return
    code = next(m.code for m in reg.municipalities.values() if m.iri == municipality)
    for item in record.items("rules"):
        rule = item.value
        if not rule.complete:
            continue
        prov = Prov.of(rule)
        iri = mint("kommune", code, "regel", rule.get("id"))
        if iri in checks.rules:
            reg.error(rule.key_loc("id"), "duplicate", what="reglen", what_en="the rule", name=rule.get("id"), first=str(checks.rules[iri]))
            continue
        checks.rules[iri] = rule.key_loc("id")
        w.graph.add((iri, RDF.type, RG.MunicipalRule))
        w.graph.add((iri, RG.ruleType, RULETYPE[rule.get("type")]))
        w.graph.add((iri, RG.municipality, municipality))
        w.graph.add((iri, RDFS.label, da(rule.get("title"))))
        for value in rule.items("implements"):
            w.value(iri, RG.implements, value, reg.provision(value), prov)
        w.langtext(iri, RG.summary, rule.get("summary"))
        w.describe(iri, prov)


def emit(record: Record, reg: Registry, w: Writer, checks: Checks) -> None:
    """Write the RDF of an agreement, exemption-scheme or municipal-rules file."""
    {"agreement": _agreement, "exemption-scheme": _scheme, "municipal-rules": _rules}[record.spec.name](record, reg, w, checks)
