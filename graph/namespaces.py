"""Every namespace regelgraf writes, as closed namespaces.

Closed (`_fail = True`) so that a misspelt term is an AttributeError at import time rather
than a silent new IRI in the data. `tests/test_ontology.py` checks that every `RG` term is
declared in `ontology/regelgraf.ttl` and every code-list concept in `ontology/schemes/`.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

__all__ = [
    "ELI", "RG", "DOCTYPE", "SUBDIV", "AREA", "CERTAINTY", "REGION", "RULETYPE", "EXTENT",
    "RG_NS", "PREFIXES", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD",
]

RG_NS = "https://regelgraf.dk/def#"
CODE_LIST_BASE = "https://regelgraf.dk/def/"


class ELI(DefinedNamespace):
    """The ELI ontology terms regelgraf uses (http://data.europa.eu/eli/ontology#)."""

    _fail = True
    _NS = Namespace("http://data.europa.eu/eli/ontology#")

    LegalResource: URIRef
    LegalResourceSubdivision: URIRef
    Work: URIRef
    WorkSubdivision: URIRef
    is_part_of: URIRef
    has_part: URIRef
    is_member_of: URIRef
    has_member: URIRef
    cites: URIRef
    cited_by: URIRef
    based_on: URIRef
    basis_for: URIRef
    amends: URIRef
    amended_by: URIRef
    changes: URIRef
    changed_by: URIRef
    repeals: URIRef
    repealed_by: URIRef
    consolidates: URIRef
    consolidated_by: URIRef
    ensures_implementation_of: URIRef
    applies: URIRef
    type_document: URIRef
    type_subdivision: URIRef
    number: URIRef
    id_local: URIRef
    title: URIRef
    title_short: URIRef
    title_alternative: URIRef
    description: URIRef
    date_document: URIRef
    date_publication: URIRef
    first_date_entry_in_force: URIRef
    date_no_longer_in_force: URIRef
    passed_by: URIRef
    responsibility_of: URIRef
    in_force: URIRef


class RG(DefinedNamespace):
    """regelgraf's own vocabulary: what ELI lacks (exemptions, municipalities, certainty)."""

    _fail = True
    _NS = Namespace(RG_NS)

    # Classes
    LawWork: URIRef  # a law across its versions (original act and consolidations)
    Provision: URIRef  # a provision's identity across consolidations ("serviceloven § 83, stk. 1")
    Municipality: URIRef
    WelfareAgreement: URIRef  # velfærdsaftale
    ExemptionPossibility: URIRef  # fravigelsesadgang granted by law
    ExemptionDecision: URIRef  # a municipality's decision to set a provision aside
    NonDerogableProvision: URIRef  # hegnspæl: a protection that may not be set aside
    NonApplicationClause: URIRef  # a later act declaring itself without effect for some municipalities
    MunicipalRule: URIRef  # kvalitetsstandard, styrelsesvedtægt, …
    TermChange: URIRef  # a dated change of a period's end (e.g. trial extended)
    Bill: URIRef  # lovforslag, where an enacted act's number is unknown
    UnresolvedReference: URIRef  # a citation found in text that could not be resolved

    # Properties: identity, text, numbering
    citation: URIRef  # the canonical Danish citation of a provision ("serviceloven § 83, stk. 1")
    text: URIRef  # statute text as imported
    summary: URIRef  # our own short summary of a provision or document
    popularName: URIRef  # "serviceloven"
    workKey: URIRef  # short stable key of a LawWork ("serviceloven")
    accessionNumber: URIRef
    status: URIRef
    sortKey: URIRef  # zero-padded key for ordering provisions ("0016b")

    # Properties: municipalities and areas
    kommunekode: URIRef  # four-digit DAGI code as a string ("0217")
    region: URIRef
    welfareArea: URIRef
    municipality: URIRef

    # Properties: agreements, exemptions, decisions
    legalBasis: URIRef  # the empowering provision (sub-property of eli:based_on)
    exemptibleProvision: URIRef  # provision a possibility lets the municipality set aside
    setsAside: URIRef  # provision a decision sets aside
    extent: URIRef  # helt / delvis
    agreement: URIRef
    underPossibility: URIRef
    protects: URIRef  # provision a hegnspæl protects
    disapplies: URIRef  # act (or provision) that does not apply
    statedIn: URIRef  # provision where a clause is stated
    implements: URIRef  # municipal rule → national provision (sub-property of eli:ensures_implementation_of)
    ruleType: URIRef
    localStart: URIRef  # the municipality's own start date
    validFrom: URIRef
    validUntil: URIRef
    effectiveFrom: URIRef
    decidedOn: URIRef
    changedPeriodOf: URIRef
    changedBy: URIRef
    previousEnd: URIRef
    newEnd: URIRef
    billNumber: URIRef  # "L 89"
    parliamentarySession: URIRef  # "2023-24"

    # Properties: provenance and certainty
    certainty: URIRef
    sourceNote: URIRef  # free-text remark on a source
    referenceText: URIRef  # the citation text as it appeared
    occursIn: URIRef  # provision in which an unresolved reference occurs

    # Impact analysis results, as exported by graph/export.py (impact engineer's block)
    ImpactAnalysis: URIRef  # one impact question and its answer (a prov:Activity)
    ImpactEntry: URIRef  # one resource in an impact answer, with its depth, path and explanation
    asOf: URIRef  # the date whose validity an impact answer honours
    depth: URIRef  # number of hops from the impact target
    direction: URIRef  # "dependents" or "dependencies"
    entry: URIRef  # impact analysis → one of its entries
    entryResource: URIRef  # impact entry → the resource it is about
    explanation: URIRef  # an impact entry's path as a sentence (@da, @en)
    followsRelation: URIRef  # name of a relation an impact search followed
    maxDepth: URIRef  # the hop limit an impact search was given
    partial: URIRef  # true when a resource is touched only through one of its parts
    partialVia: URIRef  # the part through which a whole is touched
    path: URIRef  # rdf:List of the resources from the impact target to the entry
    pathRelations: URIRef  # rdf:List of the relation names of each hop of rg:path
    targetText: URIRef  # the impact target as the user wrote it


DOCTYPE = Namespace(CODE_LIST_BASE + "doctype/")  # LOV, LBK, BEK, VEJ, CIR, SKR, LF …
SUBDIV = Namespace(CODE_LIST_BASE + "subdivision/")  # afsnit, kapitel, paragraf, stk, nr, litra, pkt, bilag
AREA = Namespace(CODE_LIST_BASE + "area/")  # dagtilbud, folkeskole, aeldre
CERTAINTY = Namespace(CODE_LIST_BASE + "certainty/")  # certain, inferred, unverified
REGION = Namespace(CODE_LIST_BASE + "region/")  # DK-81 … DK-85
RULETYPE = Namespace(CODE_LIST_BASE + "ruletype/")  # kvalitetsstandard, styrelsesvedtaegt …
EXTENT = Namespace(CODE_LIST_BASE + "extent/")  # helt, delvis

PREFIXES: dict[str, str] = {
    "eli": str(ELI._NS),
    "rg": RG_NS,
    "doctype": str(DOCTYPE),
    "subdiv": str(SUBDIV),
    "area": str(AREA),
    "certainty": str(CERTAINTY),
    "region": str(REGION),
    "ruletype": str(RULETYPE),
    "extent": str(EXTENT),
    "skos": str(SKOS),
    "prov": str(PROV),
    "dcterms": str(DCTERMS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "xsd": str(XSD),
}
