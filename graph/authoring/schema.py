"""What each kind of source file may contain: its keys, their types, which are required.

One declarative table drives the reader (unknown/missing keys, types), the documentation test
(every key must be described in docs/authoring.md) and the allowed-keys lists in error messages.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Field", "Spec", "KINDS", "SPECS", "CODE_LISTS", "STATEMENT_KEYS", "QUALIFIER_KEYS"]

# Code lists the files may name, with the Danish synonyms accepted for convenience.
CODE_LISTS: dict[str, dict[str, str]] = {
    "area": {"dagtilbud": "dagtilbud", "folkeskole": "folkeskole", "aeldre": "aeldre", "ældre": "aeldre",
             "beskaeftigelse": "beskaeftigelse", "beskæftigelse": "beskaeftigelse"},
    "region": {code: code for code in ("DK-81", "DK-82", "DK-83", "DK-84", "DK-85")},
    "doctype": {code: code for code in ("LOV", "LBK", "BEK", "ANO", "CIR", "CIS", "VEJ", "SKR", "LF")},
    "extent": {"helt": "helt", "delvis": "delvis"},
    "ruletype": {code: code for code in (
        "kvalitetsstandard", "styrelsesvedtaegt", "retningslinje", "samarbejdsaftale", "vaerdighedspolitik",
        "boernepolitik", "laereplan", "maal-og-indholdsbeskrivelse")},
}
CODE_LIST_NAMES = {"area": ("velfærdsområde", "welfare area"), "region": ("region", "region"),
                   "doctype": ("dokumenttype", "document type"), "extent": ("omfang", "extent"),
                   "ruletype": ("regeltype", "rule type")}


@dataclass(frozen=True)
class Field:
    """One key: its type, whether it is required, whether a value may carry its own certainty."""

    name: str
    type: str  # text | number | slug | date | url | urls | certainty | langtext | citation | ref | code:<list> | list:<type> | spec:<name>
    doc: str
    required: bool = False
    qualifiable: bool = False  # value (or each list item) may be {value: …, certainty: …, source: …, note: …}


@dataclass(frozen=True)
class Spec:
    """A mapping: a file kind or an item inside one; ``statement`` adds source/certainty/note."""

    name: str
    label_da: str  # how messages name it ("en bestemmelse")
    fields: tuple[Field, ...]
    statement: bool = True

    def all_fields(self) -> tuple[Field, ...]:
        return self.fields + (STATEMENT_FIELDS if self.statement else ())

    def field(self, name: str) -> Field | None:
        return next((f for f in self.all_fields() if f.name == name), None)


STATEMENT_FIELDS = (
    Field("source", "urls", "URL (or list of URLs) of the source the statement comes from", required=True),
    Field("certainty", "certainty", "certain (default), inferred or unverified"),
    Field("note", "text", "free-text remark on the source or an inference (rg:sourceNote)"),
)
STATEMENT_KEYS = tuple(f.name for f in STATEMENT_FIELDS)
QUALIFIER_KEYS = ("value", "certainty", "source", "note")

_KIND = Field("kind", "text", "the file kind", required=True)
_SUMMARY = Field("summary", "langtext", "own-words summary, {da: …, en: …}", required=True)

MUNICIPALITY = Spec("municipality", "en kommune", (
    Field("code", "number", "four-digit kommunekode, e.g. \"0217\"", required=True),
    Field("name", "text", "short name, e.g. Helsingør", required=True),
    Field("label", "text", "full name; default \"<name> Kommune\""),
    Field("region", "code:region", "ISO 3166-2 region code, DK-81 … DK-85", required=True),
))
PROVISION = Spec("provision", "en bestemmelse", (
    Field("cite", "citation", "the place in this law, e.g. \"§ 3 a, stk. 2\" or \"kapitel 4\"", required=True),
    _SUMMARY,
    Field("cites", "list:citation", "provisions this one refers to (eli:cites)", qualifiable=True),
))
DOCUMENT = Spec("document", "et dokument", (
    Field("type", "code:doctype", "LOV, LBK, BEK, VEJ, CIR, SKR, … (doctype code list)", required=True),
    Field("number", "number", "Lovtidende number, e.g. \"1171\"", required=True),
    Field("year", "number", "year of the Lovtidende number; default the year of date"),
    Field("date", "date", "date of the document (eli:date_document)", qualifiable=True),
    Field("title", "text", "official title; default the law's title", qualifiable=True),
    Field("title_short", "text", "short title (eli:title_short)"),
    Field("in_force_from", "date", "first day in force", qualifiable=True),
    Field("in_force_until", "date", "first day no longer in force", qualifiable=True),
    Field("consolidates", "list:ref", "documents an LBK compiles (eli:consolidates)", qualifiable=True),
    Field("amends", "list:ref", "laws or documents this act amends (eli:amends)", qualifiable=True),
    Field("changes", "list:citation", "provisions this act changes (eli:changes)", qualifiable=True),
))
BILL = Spec("bill", "et lovforslag", (
    Field("number", "text", "bill number, e.g. \"L 89\"", required=True),
    Field("session", "text", "parliamentary session, e.g. \"2023-24\"", required=True),
    Field("title", "text", "title of the bill", required=True),
))
TERM_CHANGE = Spec("term_change", "en ændring af en periode", (
    Field("previous_end", "date", "the end date before the change", required=True),
    Field("new_end", "date", "the end date after the change", required=True),
    Field("effective_from", "date", "when the change took effect", required=True, qualifiable=True),
    Field("changed_by", "ref", "the amending act or bill, e.g. \"L 89 (2023-24)\" or \"LOV 678/2024\"", required=True, qualifiable=True),
))
CLAUSE = Spec("non_application", "en ikke-anvendelsesbestemmelse", (
    Field("stated_in", "citation", "the provision stating the clause, e.g. \"§ 2, stk. 3\"", required=True),
    Field("disapplies", "list:ref", "acts or provisions that do not apply", required=True, qualifiable=True),
    Field("municipalities", "list:ref", "municipalities the clause covers", required=True, qualifiable=True),
    Field("valid_until", "date", "last day the clause has effect, if known", qualifiable=True),
    _SUMMARY,
))
_WORK_FIELDS = (
    Field("aliases", "list:text", "other names citations may use (skos:altLabel)"),
    Field("provisions", "list:spec:provision", "the provisions the data needs"),
    Field("bills", "list:spec:bill", "bills (lovforslag) behind this law or its amendments"),
    Field("term_changes", "list:spec:term_change", "changes of the law's end date (rg:TermChange)"),
)
LAW = Spec("law", "loven", (
    _KIND,
    Field("key", "slug", "stable work key, e.g. dagtilbudsloven", required=True),
    Field("title", "text", "official title of the law", required=True, qualifiable=True),
    Field("popular_name", "text", "the name used in citations, e.g. serviceloven", required=True),
    Field("short_title", "text", "official short title, given to every version as eli:title_short"),
    *_WORK_FIELDS,
    Field("documents", "list:spec:document", "published versions (LOV, LBK) of this law"),
))
ACT = Spec("act", "loven", (
    _KIND,
    Field("key", "slug", "work key; default lov-<year>-<number>"),
    Field("type", "code:doctype", "document type; default LOV"),
    Field("number", "number", "Lovtidende number", required=True),
    Field("date", "date", "date of the act", required=True),
    Field("title", "text", "official title", required=True, qualifiable=True),
    Field("popular_name", "text", "name used in citations; default \"lov nr. <n> af <d>. <month> <year>\""),
    Field("in_force_from", "date", "first day in force", qualifiable=True),
    Field("in_force_until", "date", "first day no longer in force", qualifiable=True),
    Field("amends", "list:ref", "laws or documents this act amends (eli:amends)", qualifiable=True),
    Field("changes", "list:citation", "provisions this act changes (eli:changes)", qualifiable=True),
    Field("non_application", "list:spec:non_application", "clauses declaring the act without effect for some municipalities"),
    *_WORK_FIELDS,
))
EXECUTIVE_ORDER = Spec("executive-order", "bekendtgørelsen", (
    _KIND,
    Field("type", "code:doctype", "document type; default BEK"),
    Field("number", "number", "Lovtidende number", required=True),
    Field("date", "date", "date of the order", required=True),
    Field("title", "text", "official title", required=True, qualifiable=True),
    Field("title_short", "text", "short title"),
    Field("based_on", "list:ref", "hjemmel: empowering provisions (eli:based_on)", qualifiable=True),
    Field("cites", "list:citation", "provisions the order refers to (eli:cites)", qualifiable=True),
    Field("in_force_from", "date", "first day in force", qualifiable=True),
    Field("in_force_until", "date", "first day no longer in force", qualifiable=True),
))
MUNICIPALITIES = Spec("municipalities", "kommunelisten", (
    _KIND, Field("municipalities", "list:spec:municipality", "the municipalities", required=True),
), statement=False)
DECISION = Spec("decision", "en beslutning", (
    Field("id", "slug", "stable id within the agreement; default its position (1, 2, …)"),
    Field("sets_aside", "list:citation", "provisions the municipality sets aside", required=True, qualifiable=True),
    Field("extent", "code:extent", "helt (wholly) or delvis (partly)", required=True, qualifiable=True),
    Field("effective_from", "date", "first day the decision applies", required=True, qualifiable=True),
    Field("decided_on", "date", "date of the council's decision", qualifiable=True),
    Field("under_possibility", "slug", "id of the exemption possibility used", qualifiable=True),
    Field("summary", "langtext", "own-words summary, {da: …, en: …}"),
))
EXTENSION = Spec("extension", "en forlængelse", TERM_CHANGE.fields)
AGREEMENT = Spec("agreement", "aftalen", (
    _KIND,
    Field("id", "slug", "IRI slug; default <municipality>-<area>"),
    Field("municipality", "ref", "kommunekode or name", required=True),
    Field("area", "code:area", "dagtilbud, folkeskole or aeldre", required=True),
    Field("legal_basis", "list:citation", "the provisions that make the agreement (rg:legalBasis)", required=True, qualifiable=True),
    Field("local_start", "date", "the municipality's own start", qualifiable=True),
    Field("valid_from", "date", "first day of the agreement period", required=True, qualifiable=True),
    Field("valid_until", "date", "current last day of the period", required=True, qualifiable=True),
    Field("extensions", "list:spec:extension", "changes of the end date (rg:TermChange)"),
    Field("decisions", "list:spec:decision", "the municipality's exemption decisions"),
))
POSSIBILITY = Spec("possibility", "en fravigelsesadgang", (
    Field("id", "slug", "stable id, e.g. dagtilbud-kapitel-4", required=True),
    Field("legal_basis", "list:citation", "the empowering provisions", required=True, qualifiable=True),
    Field("exemptible", "list:citation", "provisions that may be set aside", required=True, qualifiable=True),
    Field("municipalities", "list:ref", "municipalities that may use it", required=True, qualifiable=True),
    Field("valid_from", "date", "first day it can be used", required=True, qualifiable=True),
    Field("valid_until", "date", "last day it can be used", required=True, qualifiable=True),
    _SUMMARY,
))
HEGNSPAEL = Spec("hegnspael", "en hegnspæl", (
    Field("id", "slug", "stable id, e.g. dagtilbud-foraeldrebetaling", required=True),
    Field("label", "langtext", "short name, {da: …, en: …}", required=True),
    _SUMMARY,
    Field("protects", "list:citation", "provisions that may not be set aside", qualifiable=True),
))
EXEMPTION_SCHEME = Spec("exemption-scheme", "ordningen", (
    _KIND,
    Field("area", "code:area", "dagtilbud, folkeskole or aeldre", required=True),
    Field("possibilities", "list:spec:possibility", "what may be set aside (rg:ExemptionPossibility)"),
    Field("hegnspaele", "list:spec:hegnspael", "what may not (rg:NonDerogableProvision)"),
), statement=False)
RULE = Spec("rule", "en kommunal regel", (
    Field("id", "slug", "IRI slug, unique within the municipality", required=True),
    Field("type", "code:ruletype", "kvalitetsstandard, styrelsesvedtaegt, retningslinje or samarbejdsaftale", required=True),
    Field("title", "text", "the rule's name", required=True),
    Field("implements", "list:citation", "national provisions it implements (rg:implements)", qualifiable=True),
    _SUMMARY,
))
MUNICIPAL_RULES = Spec("municipal-rules", "reglerne", (
    _KIND,
    Field("municipality", "ref", "kommunekode or name", required=True),
    Field("rules", "list:spec:rule", "the rules", required=True),
), statement=False)

KINDS: dict[str, Spec] = {s.name: s for s in (
    LAW, ACT, EXECUTIVE_ORDER, MUNICIPALITIES, AGREEMENT, EXEMPTION_SCHEME, MUNICIPAL_RULES)}
SPECS: dict[str, Spec] = {s.name: s for s in (
    MUNICIPALITY, PROVISION, DOCUMENT, BILL, TERM_CHANGE, CLAUSE, DECISION, EXTENSION, POSSIBILITY, HEGNSPAEL, RULE)}
