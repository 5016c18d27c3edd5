"""Laws, amending acts, executive orders and municipalities: declaration and RDF.

A ``law`` file declares a work (``{base}work/{key}``) with its published versions, the
provisions the data needs, bills and changes of its end date. An ``act`` file is an amending
act: a work with one document, its effects (eli:amends, eli:changes) and its non-application
clauses. An ``executive-order`` file is one document with its hjemmel (eli:based_on).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.authoring.emit import Prov, Writer, da, date_literal, mint
from graph.authoring.reader import Record, Value
from graph.authoring.registry import DocumentDecl, ProvisionDecl, Registry, core_steps, danish_date
from graph.identifiers import provision_iri, sort_key, work_iri
from graph.namespaces import DOCTYPE, ELI, REGION, RG, SUBDIV

__all__ = ["declare", "emit"]

_TYPE_WORDS = {"LOV": "Lov", "LBK": "Lovbekendtgørelse", "BEK": "Bekendtgørelse", "VEJ": "Vejledning",
               "CIR": "Cirkulære", "SKR": "Skrivelse"}
_ORDER_REFS = ("provision", "work")


def _act_key(record: Record) -> str | None:
    if record.get("key"):
        return record.get("key")
    if record.get("number") and record.get("date"):
        return f"lov-{record.get('date').year}-{record.get('number')}"
    return None


def _act_name(record: Record) -> str | None:
    if record.get("popular_name"):
        return record.get("popular_name")
    if record.get("number") and record.get("date"):
        return f"lov nr. {record.get('number')} af {danish_date(record.get('date'))}"
    return None


def _document_year(record: Record) -> int | None:
    if record.get("year"):
        return int(record.get("year"))
    return record.get("date").year if record.get("date") else None


def _declare_work_parts(record: Record, reg: Registry, key: str) -> None:
    for item in record.items("bills"):
        bill = item.value
        if bill.complete:
            reg.declare_bill(bill.get("number"), bill.get("session"), bill.loc)
    for item in record.items("provisions"):
        provision = item.value
        citation = provision.get("cite")
        if citation is None:
            continue
        # A citation naming another law is reported when the file is emitted.
        if citation.law is None or reg.laws.lookup(citation.law) == key:
            reg.declare_provision(key, citation.steps, provision.key_loc("cite"))


def declare(record: Record, reg: Registry) -> None:
    """Register what a law, act, executive-order or municipalities file declares."""
    kind = record.spec.name
    if kind == "municipalities":
        for item in record.items("municipalities"):
            m = item.value
            if m.complete:
                reg.declare_municipality(m.get("code"), m.get("name"), m.get("label") or f"{m.get('name')} Kommune", m.loc)
        return
    if kind == "executive-order":
        year = _document_year(record)
        if record.get("number") and year:
            reg.declare_document(record.get("type", "BEK"), record.get("number"), year, record.get("date"), record.loc)
        return
    key = record.get("key") if kind == "law" else _act_key(record)
    name = record.get("popular_name") if kind == "law" else _act_name(record)
    if not key or not name:
        return
    names = [*(v.value for v in record.items("aliases")), *(v for v in (record.get("title"), record.get("short_title")) if v)]
    if reg.declare_work(key, name, names, record.loc) is None:
        return
    if kind == "act":
        if record.get("number") and record.get("date"):
            reg.declare_document(record.get("type", "LOV"), record.get("number"), record.get("date").year, record.get("date"), record.loc)
    for item in record.items("documents"):
        doc = item.value
        year = _document_year(doc)
        if doc.get("type") and doc.get("number") and year:
            reg.declare_document(doc.get("type"), doc.get("number"), year, doc.get("date"), doc.loc)
        elif doc.get("number") and not year:
            reg.error(doc.loc, "missing-key", key="year", where="dokumentet", doc="årstallet for Lovtidende-nummeret, når »date« ikke kendes")
    _declare_work_parts(record, reg, key)


def _designation(decl: DocumentDecl) -> str:
    word = _TYPE_WORDS.get(decl.type, decl.type)
    if decl.date is not None:
        return f"{word} nr. {decl.number} af {danish_date(decl.date)}"
    return f"{word} nr. {decl.number} ({decl.year})"


def _document(w: Writer, reg: Registry, record: Record, decl: DocumentDecl, default_title: Value | None, work: URIRef | None) -> None:
    """A published document (LOV, LBK, BEK …) and its relations."""
    prov = Prov.of(record)
    iri = decl.iri
    g = w.graph
    g.add((iri, RDF.type, ELI.LegalResource))
    g.add((iri, ELI.type_document, DOCTYPE[decl.type]))
    g.add((iri, ELI.number, Literal(decl.number)))
    g.add((iri, RDFS.label, da(_designation(decl))))
    w.date(iri, ELI.date_document, record, "date", prov)
    title = record.v("title") or default_title
    if title is not None:
        w.add(iri, ELI.title, da(title.value), prov, title.qualifier)
    if record.get("title_short"):
        g.add((iri, ELI.title_short, da(record.get("title_short"))))
    w.date(iri, ELI.first_date_entry_in_force, record, "in_force_from", prov)
    w.date(iri, ELI.date_no_longer_in_force, record, "in_force_until", prov)
    if work is not None:
        g.add((iri, ELI.is_member_of, work))
        g.add((work, ELI.has_member, iri))
    for item in record.items("consolidates"):
        w.value(iri, ELI.consolidates, item, reg.ref(item, ("document",)), prov)
    for item in record.items("amends"):
        w.value(iri, ELI.amends, item, reg.ref(item, ("document", "work")), prov)
    for item in record.items("changes"):
        w.value(iri, ELI.changes, item, reg.provision(item), prov)
    w.describe(iri, prov)


def _provision(w: Writer, reg: Registry, decl: ProvisionDecl, prov: Prov) -> None:
    """The work-level identity of a provision (declared or implied by a descendant)."""
    g = w.graph
    iri = decl.iri
    parent = provision_iri(decl.work_key, decl.steps[:-1]) if len(decl.steps) > 1 else work_iri(decl.work_key)
    g.add((iri, RDF.type, RG.Provision))
    g.add((iri, ELI.is_part_of, parent))
    g.add((iri, ELI.type_subdivision, SUBDIV[decl.steps[-1].kind]))
    g.add((iri, ELI.number, Literal(decl.steps[-1].number)))
    g.add((iri, RG.citation, Literal(decl.citation)))
    g.add((iri, RDFS.label, da(decl.citation)))
    g.add((iri, RG.sortKey, Literal(sort_key(decl.steps))))
    w.describe(iri, prov)


def _work_parts(w: Writer, reg: Registry, record: Record, key: str, path: Path) -> None:
    """Provisions (declared and implied), bills and end-date changes of a work."""
    work = work_iri(key)
    declared_provs: dict[URIRef, Prov] = {}
    for item in record.items("provisions"):
        provision = item.value
        citation = provision.get("cite")
        if citation is None:
            continue
        if citation.law is not None and reg.laws.lookup(citation.law) != key:
            other = reg.laws.lookup(citation.law) or citation.law
            reg.error(provision.key_loc("cite"), "foreign-law-in-cite", text=provision.v("cite").raw, other=other,
                      law=key, path=citation.path_text())
            continue
        decl = reg.provisions.get(provision_iri(key, core_steps(citation.steps)))
        if decl is None or decl.loc != provision.key_loc("cite"):
            continue  # a duplicate, already reported
        prov = Prov.of(provision)
        declared_provs[decl.iri] = prov
        _provision(w, reg, decl, prov)
        w.langtext(decl.iri, RG.summary, provision.get("summary"))
        for cited in provision.items("cites"):
            w.value(decl.iri, ELI.cites, cited, reg.provision(cited, work_key=key), prov)
    for decl in reg.provisions.values():
        if decl.work_key == key and not decl.declared and decl.loc is not None and decl.loc.path == path:
            below = [p for iri, p in declared_provs.items() if str(iri).startswith(str(decl.iri) + "/")]
            if below:
                best = min(below, key=lambda p: ("certain", "inferred", "unverified").index(p.certainty))
                sources = tuple(dict.fromkeys(s for p in below for s in p.sources))
                _provision(w, reg, decl, Prov(best.certainty, sources, "Findes, fordi en underliggende bestemmelse findes."))
    for item in record.items("bills"):
        bill = item.value
        decl = reg.bills.get(reg.bill_key(bill.get("number"), bill.get("session"))) if bill.complete else None
        if decl is None or decl.loc != bill.loc:
            continue
        w.graph.add((decl.iri, RDF.type, RG.Bill))
        w.graph.add((decl.iri, RG.billNumber, Literal(decl.number)))
        w.graph.add((decl.iri, RG.parliamentarySession, Literal(decl.session)))
        w.graph.add((decl.iri, ELI.title, da(bill.get("title"))))
        w.graph.add((decl.iri, RDFS.label, da(decl.designation())))
        w.describe(decl.iri, Prov.of(bill))
    for index, item in enumerate(record.items("term_changes"), start=1):
        term_change(w, reg, item.value, mint("periodeaendring", key, str(index)), work)


def term_change(w: Writer, reg: Registry, record: Record, iri: URIRef, period_of: URIRef) -> None:
    """A dated change of a period's end (rg:TermChange)."""
    if not record.complete:
        return
    prov = Prov.of(record)
    if record.get("previous_end") == record.get("new_end"):
        reg.error(record.key_loc("new_end"), "date-order", start_key="previous_end", start=record.get("previous_end"),
                  end_key="new_end", end=record.get("new_end"))
    w.graph.add((iri, RDF.type, RG.TermChange))
    w.graph.add((iri, RG.changedPeriodOf, period_of))
    w.graph.add((iri, RG.previousEnd, date_literal(record.get("previous_end"))))
    w.graph.add((iri, RG.newEnd, date_literal(record.get("new_end"))))
    w.date(iri, RG.effectiveFrom, record, "effective_from", prov)
    changed_by = record.v("changed_by")
    w.value(iri, RG.changedBy, changed_by, reg.ref(changed_by, ("document", "bill")), prov)
    w.describe(iri, prov)


def _work(w: Writer, record: Record, key: str, name: str) -> URIRef:
    prov = Prov.of(record)
    iri = work_iri(key)
    g = w.graph
    g.add((iri, RDF.type, RG.LawWork))
    g.add((iri, RG.workKey, Literal(key)))
    g.add((iri, RG.popularName, da(name)))
    g.add((iri, RDFS.label, da(name)))
    title = record.v("title")
    if title is not None:
        w.add(iri, ELI.title, da(title.value), prov, title.qualifier)
    if record.get("short_title"):
        g.add((iri, ELI.title_short, da(record.get("short_title"))))
    for alias in record.items("aliases"):
        g.add((iri, SKOS.altLabel, da(alias.value)))
    w.describe(iri, prov)
    return iri


def _clause(w: Writer, reg: Registry, record: Record, iri: URIRef, key: str) -> None:
    if not record.complete:
        return
    prov = Prov.of(record)
    g = w.graph
    g.add((iri, RDF.type, RG.NonApplicationClause))
    stated = record.v("stated_in")
    w.value(iri, RG.statedIn, stated, reg.provision(stated, work_key=key), prov)
    for item in record.items("disapplies"):
        w.value(iri, RG.disapplies, item, reg.ref(item, ("document", "work", "provision")), prov)
    for item in record.items("municipalities"):
        w.value(iri, RG.municipality, item, reg.municipality(item), prov)
    w.date(iri, RG.validUntil, record, "valid_until", prov)
    w.langtext(iri, RG.summary, record.get("summary"))
    w.describe(iri, prov)


def emit(record: Record, reg: Registry, w: Writer, path: Path) -> None:
    """Write the RDF of a law, act, executive-order or municipalities file."""
    kind = record.spec.name
    if kind == "municipalities":
        for item in record.items("municipalities"):
            m = item.value
            decl = reg.municipalities.get(str(m.get("code", "")).zfill(4)) if m.complete else None
            if decl is None or decl.loc != m.loc:
                continue
            w.graph.add((decl.iri, RDF.type, RG.Municipality))
            w.graph.add((decl.iri, RG.kommunekode, Literal(decl.code)))
            w.graph.add((decl.iri, SKOS.prefLabel, da(decl.name)))
            w.graph.add((decl.iri, RDFS.label, da(decl.label)))
            w.graph.add((decl.iri, RG.region, REGION[m.get("region")]))
            w.describe(decl.iri, Prov.of(m))
        return
    if kind == "executive-order":
        year = _document_year(record)
        decl = reg.documents.get((year, str(int(record.get("number"))))) if year and record.get("number") else None
        if decl is None or decl.loc != record.loc:
            return
        _document(w, reg, record, decl, None, None)
        prov = Prov.of(record)
        for item in record.items("based_on"):
            w.value(decl.iri, ELI.based_on, item, reg.ref(item, _ORDER_REFS), prov)
        for item in record.items("cites"):
            w.value(decl.iri, ELI.cites, item, reg.provision(item), prov)
        return
    key = record.get("key") if kind == "law" else _act_key(record)
    name = record.get("popular_name") if kind == "law" else _act_name(record)
    if not key or not name or reg.works.get(key) is None or reg.works[key].loc != record.loc:
        return
    work = _work(w, record, key, name)
    if kind == "act" and record.get("number") and record.get("date"):
        decl = reg.documents.get((record.get("date").year, str(int(record.get("number")))))
        if decl is not None and decl.loc == record.loc:
            _document(w, reg, record, decl, None, work)
    for item in record.items("documents"):
        doc = item.value
        year = _document_year(doc)
        decl = reg.documents.get((year, str(int(doc.get("number"))))) if year and doc.get("number") else None
        if decl is not None and decl.loc == doc.loc:
            _document(w, reg, doc, decl, record.v("title"), work)
    _work_parts(w, reg, record, key, path)
    for index, item in enumerate(record.items("non_application"), start=1):
        _clause(w, reg, item.value, mint("klausul", key, str(index)), key)
