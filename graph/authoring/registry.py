"""What the sources declare (laws, provisions, documents, bills, municipalities, possibilities),
and the resolution of every reference against it — with "did you mean" when it fails.

All files are declared first and resolved afterwards, so a reference may point to another file
or to a ``context`` graph of things already in the store.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from graph.authoring.errors import AuthoringError, Loc, make_error
from graph.authoring.reader import Value
from graph.citations import Citation, CitationError, LawIndex, normalise_text, parse_citation
from graph.identifiers import (
    Step, base_iri, canonical_document_iri, document_iri, format_steps, provision_iri, steps_from_segments, work_iri,
)
from graph.namespaces import DOCTYPE, ELI, RG

__all__ = ["Registry", "core_steps", "slugify", "MONTHS", "danish_date"]

MONTHS = ("januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september", "oktober", "november", "december")
_DOC_WORDS = {"lov": "LOV", "lovbekendtgørelse": "LBK", "bekendtgørelse": "BEK", "vejledning": "VEJ",
              "cirkulære": "CIR", "skrivelse": "SKR"}
_DOC_SHORT = re.compile(r"^([A-ZÆØÅ]{2,3})\s+(?:nr\.\s*)?(\d+)\s*/\s*(\d{4})$", re.IGNORECASE)
_DOC_LONG = re.compile(r"^([a-zæøå]+)\s+nr\.\s*(\d+)\s+af\s+(\d{1,2})\.\s*([a-zæøå]+)\s+(\d{4})$", re.IGNORECASE)
_BILL = re.compile(r"^L\s*(\d+(?:\s?[A-Z])?)\s*\((.+)\)$")
_IRI = re.compile(r"^https?://\S+$")


def core_steps(steps: tuple[Step, ...]) -> tuple[Step, ...]:
    """The steps that make a provision's identity: a chapter only when it is the last step."""
    return tuple(s for i, s in enumerate(steps) if s.kind not in ("kapitel", "afsnit") or i == len(steps) - 1)


def slugify(text: str) -> str:
    """``Helsingør`` → ``helsingoer``; Danish letters transliterated, the rest hyphenated."""
    text = text.casefold().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def danish_date(day: dt.date) -> str:
    """``12. maj 2021``."""
    return f"{day.day}. {MONTHS[day.month - 1]} {day.year}"


@dataclass
class WorkDecl:
    key: str
    iri: URIRef
    name: str  # the popular name used in canonical citations
    loc: Loc | None  # None: known from the context graph


@dataclass
class ProvisionDecl:
    iri: URIRef
    work_key: str
    steps: tuple[Step, ...]
    citation: str
    loc: Loc | None
    declared: bool  # False for an ancestor implied by a declared descendant


@dataclass
class DocumentDecl:
    iri: URIRef
    type: str
    number: str
    year: int
    date: dt.date | None
    loc: Loc | None

    def designation(self) -> str:
        return f"{self.type} {self.number}/{self.year}"


@dataclass
class BillDecl:
    iri: URIRef
    number: str
    session: str
    loc: Loc | None

    def designation(self) -> str:
        return f"{self.number} ({self.session})"


@dataclass
class MunicipalityDecl:
    iri: URIRef
    code: str
    name: str
    label: str
    loc: Loc | None


@dataclass
class PossibilityDecl:
    iri: URIRef
    id: str
    loc: Loc | None
    municipalities: set[URIRef] = field(default_factory=set)


def _where(loc: Loc | None) -> str:
    return str(loc) if loc is not None else "lageret"


class Registry:
    """Declarations of one compile run (plus the context graph) and reference resolution."""

    def __init__(self) -> None:
        self.errors: list[AuthoringError] = []
        self.laws = LawIndex()
        self.works: dict[str, WorkDecl] = {}
        self.provisions: dict[URIRef, ProvisionDecl] = {}
        self.documents: dict[tuple[int, str], DocumentDecl] = {}
        self.bills: dict[tuple[str, str], BillDecl] = {}
        self.municipalities: dict[str, MunicipalityDecl] = {}
        self.possibilities: dict[str, PossibilityDecl] = {}

    def error(self, loc: Loc, code: str, **params: object) -> None:
        self.errors.append(make_error(loc, code, **params))

    # ---- declarations -------------------------------------------------------------------

    def declare_work(self, key: str, name: str, names: list[str], loc: Loc | None) -> WorkDecl | None:
        existing = self.works.get(key)
        if existing is not None and existing.loc is not None and loc is not None:
            self.error(loc, "duplicate", what="loven", what_en="the law", name=key, first=_where(existing.loc))
            return None
        decl = WorkDecl(key, work_iri(key), name, loc)
        self.works[key] = decl
        for alias, other in self.laws.add_all([key, name, *names], key):
            if loc is not None:
                self.error(loc, "alias-clash", name=alias, other=other)
        return decl

    def declare_provision(self, work_key: str, steps: tuple[Step, ...], loc: Loc | None, *, declared: bool = True) -> ProvisionDecl | None:
        steps = core_steps(steps)
        iri = provision_iri(work_key, steps)
        existing = self.provisions.get(iri)
        if existing is not None and existing.declared and declared and existing.loc is not None and loc is not None:
            self.error(loc, "duplicate", what="bestemmelsen", what_en="the provision", name=existing.citation, first=_where(existing.loc))
            return None
        name = self.works[work_key].name if work_key in self.works else work_key
        decl = ProvisionDecl(iri, work_key, steps, f"{name} {format_steps(steps)}", loc, declared)
        if existing is None or declared:
            self.provisions[iri] = decl
        for depth in range(1, len(steps)):
            parent = provision_iri(work_key, steps[:depth])
            if parent not in self.provisions:
                self.provisions[parent] = ProvisionDecl(parent, work_key, steps[:depth], f"{name} {format_steps(steps[:depth])}", loc, False)
        return decl

    def declare_document(self, type_: str, number: str, year: int, date: dt.date | None, loc: Loc | None) -> DocumentDecl | None:
        key = (year, str(int(number)))
        existing = self.documents.get(key)
        if existing is not None and existing.loc is not None and loc is not None:
            self.error(loc, "duplicate", what="dokumentet", what_en="the document", name=existing.designation(), first=_where(existing.loc))
            return None
        decl = DocumentDecl(document_iri(year, number), type_, key[1], year, date, loc)
        self.documents[key] = decl
        return decl

    @staticmethod
    def bill_key(number: str, session: str) -> tuple[str, str]:
        """``("L 89", "2023-24")`` however the number was spaced."""
        return " ".join(normalise_text(number).upper().replace("L", "L ", 1).split()), normalise_text(session)

    def declare_bill(self, number: str, session: str, loc: Loc | None) -> BillDecl | None:
        key = self.bill_key(number, session)
        number = key[0]
        existing = self.bills.get(key)
        if existing is not None and existing.loc is not None and loc is not None:
            self.error(loc, "duplicate", what="lovforslaget", what_en="the bill", name=existing.designation(), first=_where(existing.loc))
            return None
        iri = URIRef(f"{base_iri()}lovforslag/{slugify(key[1])}/{slugify(number).replace('-', '')}")
        decl = BillDecl(iri, number, key[1], loc)
        self.bills[key] = decl
        return decl

    def declare_municipality(self, code: str, name: str, label: str, loc: Loc | None) -> MunicipalityDecl | None:
        code = code.zfill(4)
        existing = self.municipalities.get(code)
        if existing is not None and existing.loc is not None and loc is not None:
            self.error(loc, "duplicate", what="kommunen", what_en="the municipality", name=code, first=_where(existing.loc))
            return None
        decl = MunicipalityDecl(URIRef(f"{base_iri()}kommune/{code}"), code, name, label, loc)
        self.municipalities[code] = decl
        return decl

    def declare_possibility(self, id_: str, loc: Loc | None) -> PossibilityDecl | None:
        existing = self.possibilities.get(id_)
        if existing is not None and existing.loc is not None and loc is not None:
            self.error(loc, "duplicate", what="fravigelsesadgangen", what_en="the exemption possibility", name=id_, first=_where(existing.loc))
            return None
        decl = PossibilityDecl(URIRef(f"{base_iri()}fravigelsesadgang/{id_}"), id_, loc)
        self.possibilities[id_] = decl
        return decl

    def load_context(self, graph: Graph) -> None:
        """Register what an already-loaded graph holds, so new files can refer to it."""
        work_prefix = f"{base_iri()}work/"
        for work, key in graph.subject_objects(RG.workKey):
            names = [str(o) for p in (RG.popularName, SKOS.altLabel, ELI.title, ELI.title_short) for o in graph.objects(work, p)]
            popular = next((str(o) for o in graph.objects(work, RG.popularName)), str(key))
            if str(key) not in self.works:
                self.declare_work(str(key), popular, names, None)
        for provision in graph.subjects(RDF.type, RG.Provision):
            rest = str(provision).removeprefix(work_prefix)
            if rest == str(provision) or "/" not in rest:
                continue
            key, _, path = rest.partition("/")
            try:
                steps = steps_from_segments(path)
            except ValueError:
                continue
            if key in self.works and provision not in self.provisions:
                self.declare_provision(key, steps, None)
        for document, type_ in graph.subject_objects(ELI.type_document):
            try:
                canonical = canonical_document_iri(str(document))
            except ValueError:
                continue
            year, number = str(canonical).rsplit("/", 2)[-2:]
            date = next((o.toPython() for o in graph.objects(document, ELI.date_document)), None)
            if (int(year), number) not in self.documents:
                self.declare_document(str(type_).removeprefix(str(DOCTYPE)), number, int(year),
                                      date if isinstance(date, dt.date) else None, None)
        for municipality, code in graph.subject_objects(RG.kommunekode):
            name = next((str(o) for o in graph.objects(municipality, SKOS.prefLabel)), str(code))
            label = next((str(o) for o in graph.objects(municipality, RDFS.label)), name)
            if str(code).zfill(4) not in self.municipalities:
                self.declare_municipality(str(code), name, label, None)
        for bill in graph.subjects(RDF.type, RG.Bill):
            number, session = graph.value(bill, RG.billNumber), graph.value(bill, RG.parliamentarySession)
            if number is not None and session is not None and (str(number), str(session)) not in self.bills:
                self.declare_bill(str(number), str(session), None)
        prefix = f"{base_iri()}fravigelsesadgang/"
        for possibility in graph.subjects(RDF.type, RG.ExemptionPossibility):
            id_ = str(possibility).removeprefix(prefix)
            if id_ != str(possibility) and id_ not in self.possibilities:
                decl = self.declare_possibility(id_, None)
                if decl is not None:
                    decl.municipalities.update(o for o in graph.objects(possibility, RG.municipality) if isinstance(o, URIRef))

    # ---- resolution ---------------------------------------------------------------------

    def work_key_of(self, name: str, loc: Loc) -> str | None:
        key = self.laws.lookup(name)
        if key is None:
            self.error(loc, "unknown-law", name=name, suggestions=self.laws.suggestions(name))
        return key

    def provision(self, value: Value, *, work_key: str | None = None) -> URIRef | None:
        """The IRI of the provision a citation names; None (and an error) if unknown."""
        citation: Citation = value.value
        if citation.law is None:
            if work_key is None:
                self.error(value.loc, "no-law-in-citation", text=value.raw)
                return None
            key: str | None = work_key
        else:
            key = self.work_key_of(citation.law, value.loc)
            if key is None:
                return None
        iri = provision_iri(key, core_steps(citation.steps))
        if iri in self.provisions:
            return iri
        name = self.works[key].name
        wanted = f"{name} {format_steps(core_steps(citation.steps))}"
        known = [p.citation for p in self.provisions.values() if p.work_key == key]
        decl = self.works[key]
        self.error(value.loc, "unknown-provision", text=value.raw, law=f"{name} ({_where(decl.loc).split(':')[0]})",
                   suggestions=difflib.get_close_matches(wanted, known, n=3, cutoff=0.6))
        return None

    def municipality(self, value: Value) -> URIRef | None:
        text = normalise_text(str(value.value))
        if _IRI.match(text):
            found = next((m.iri for m in self.municipalities.values() if str(m.iri) == text), None)
        elif text.isdigit():
            found = self.municipalities[text.zfill(4)].iri if text.zfill(4) in self.municipalities else None
        else:
            wanted = text.casefold().removesuffix(" kommune").strip()
            found = next((m.iri for m in self.municipalities.values()
                          if wanted in (m.name.casefold(), m.label.casefold().removesuffix(" kommune").strip())), None)
        if found is None:
            names = sorted(m.name for m in self.municipalities.values())
            self.error(value.loc, "unknown-municipality", name=text, suggestions=difflib.get_close_matches(text, names, n=3, cutoff=0.5))
        return found

    def possibility(self, value: Value) -> PossibilityDecl | None:
        decl = self.possibilities.get(str(value.value))
        if decl is None:
            self.error(value.loc, "unknown-possibility", text=value.value,
                       suggestions=difflib.get_close_matches(str(value.value), list(self.possibilities), n=3, cutoff=0.5))
        return decl

    def classify(self, text: str) -> str:
        """What a reference's text looks like: bill, document, provision or work."""
        if _BILL.match(text):
            return "bill"
        long = _DOC_LONG.match(text)
        if _IRI.match(text) or _DOC_SHORT.match(text) or (long is not None and long.group(1).casefold() in _DOC_WORDS):
            return "document"
        if re.search(r"§|\bkapitel\b|\bkap\.", text, re.IGNORECASE):
            return "provision"
        return "work"

    def ref(self, value: Value, allowed: tuple[str, ...]) -> URIRef | None:
        """Resolve a reference that may be one of several kinds (``allowed``)."""
        text = normalise_text(str(value.value))
        kind = self.classify(text)
        names = {"bill": ("et lovforslag", "a bill"), "document": ("et dokument", "a document"),
                 "provision": ("en bestemmelse", "a provision"), "work": ("en lov", "a law")}
        if kind not in allowed:
            expected = " eller ".join(names[k][0] for k in allowed)
            self.error(value.loc, "wrong-ref-kind", text=text, got=names[kind][0], got_en=names[kind][1],
                       expected=expected, expected_en=" or ".join(names[k][1] for k in allowed))
            return None
        if kind == "bill":
            return self._bill(text, value.loc)
        if kind == "document":
            return self._document(text, value.loc)
        if kind == "provision":
            try:
                citation = parse_citation(text)
            except CitationError as error:
                self.error(value.loc, "bad-citation", text=text, detail=error.message, detail_en=error.message_en,
                           fix=error.fix, fix_en=error.fix_en)
                return None
            return self.provision(Value(citation, value.loc, raw=text))
        key = self.work_key_of(text, value.loc)
        return self.works[key].iri if key is not None else None

    def _bill(self, text: str, loc: Loc) -> URIRef | None:
        match = _BILL.match(text)
        assert match is not None
        decl = self.bills.get(self.bill_key("L " + match.group(1), match.group(2)))
        if decl is None:
            known = [b.designation() for b in self.bills.values()]
            self.error(loc, "unknown-bill", text=text, suggestions=difflib.get_close_matches(text, known, n=3, cutoff=0.5))
            return None
        return decl.iri

    def _document(self, text: str, loc: Loc) -> URIRef | None:
        given_type, given_date = None, None
        if _IRI.match(text):
            try:
                iri = canonical_document_iri(text)
            except ValueError:
                self.error(loc, "unknown-document", text=text, hint="skriv en ELI som https://www.retsinformation.dk/eli/lta/2021/880 — ", hint_en="")
                return None
            year, number = str(iri).rsplit("/", 2)[-2:]
        elif (short := _DOC_SHORT.match(text)) is not None:
            given_type, number, year = short.group(1).upper(), short.group(2), short.group(3)
        else:
            long = _DOC_LONG.match(text)
            assert long is not None
            given_type, number = _DOC_WORDS[long.group(1).casefold()], long.group(2)
            month = long.group(4).casefold()
            if month not in MONTHS:
                self.error(loc, "bad-date", value=text)
                return None
            year = long.group(5)
            try:
                given_date = dt.date(int(year), MONTHS.index(month) + 1, int(long.group(3)))
            except ValueError:
                self.error(loc, "bad-date", value=text)
                return None
        decl = self.documents.get((int(year), str(int(number))))
        if decl is None:
            known = [d.designation() for d in self.documents.values()]
            self.error(loc, "unknown-document", text=text, suggestions=difflib.get_close_matches(
                f"{given_type or 'LOV'} {int(number)}/{year}", known, n=3, cutoff=0.5))
            return None
        if given_type is not None and given_type != decl.type:
            self.error(loc, "doc-type-mismatch", text=text, declared=decl.type, given=given_type, number=decl.number, year=decl.year)
            return None
        if given_date is not None and decl.date is not None and given_date != decl.date:
            self.error(loc, "doc-date-mismatch", text=text, declared=decl.date.isoformat(), given=given_date.isoformat(),
                       declared_text=danish_date(decl.date))
            return None
        return decl.iri
