"""What every reader produces: one format-independent parsed document.

A reader (LexDania XML, Retsinformation HTML, the JSON API) turns its input into a
``ParsedDocument``: the metadata, the introduction sentences and a tree of numbered ``Unit``s
(afsnit, kapitel, §, stk., nr., litra, bilag). The RDF builder only ever sees this model, so
every format gets the same identities and links.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["DocumentMeta", "Unit", "ParsedDocument", "Source", "ImportFailure", "DOCUMENT_TYPES"]

# The document types Lovtidende and Retsinformation use, as regelgraf's doctype codes.
DOCUMENT_TYPES = ("LOV", "LBK", "BEK", "ANO", "CIR", "CIS", "VEJ", "SKR", "LF")


@dataclass(frozen=True)
class Source:
    """Where a document was read from: an IRI for provenance and a name for messages."""

    iri: str  # file:///…/2015-1284.xml, file:///…/corpus.tar.xz#love/2015/2015-1284.xml, https://…
    name: str  # what messages call it (a path, or archive!member)
    format: str = ""  # "lexdania", "retsinfo-html" or "retsinfo-json"; set by detection


@dataclass
class DocumentMeta:
    """The document's metadata as published."""

    doc_type: str  # one of DOCUMENT_TYPES
    year: int
    number: str  # "1284": digits, no leading zeros
    title: str
    amending: bool = False  # an amending act or order ("LOV Æ", "BEK Æ")
    popular_title: str | None = None
    date_signed: dt.date | None = None
    date_published: dt.date | None = None
    date_in_force: dt.date | None = None
    date_end: dt.date | None = None
    ministry: str | None = None
    status: str | None = None  # "Valid" / "Historic" (Retsinformation's words)
    accession_number: str | None = None
    schema: str | None = None  # the LexDania schema the XML names


@dataclass
class Unit:
    """One numbered unit of the text with its own text (not its children's)."""

    kind: str  # afsnit, kapitel, paragraf, stk, nr, litra, bilag
    number: str  # Danish form: "83", "16 b", "IV" (afsnit), "a" (litra)
    text: str = ""
    heading: str | None = None
    children: list[Unit] = field(default_factory=list)
    # An amendment instruction ("I § 5, stk. 2, ændres …"); the unit is then one of the amending
    # act's numbered changes and ``new_units`` are the top-level units of the new wording.
    instruction: str | None = None
    new_units: list[Unit] = field(default_factory=list)
    # "I lov om …, jf. lovbekendtgørelse nr. …, foretages følgende ændringer:" — set on the unit
    # whose children are amendment instructions.
    amends_intro: str | None = None

    def walk(self):  # type: ignore[no-untyped-def]
        """This unit and every unit below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class ParsedDocument:
    """A document read from any format."""

    meta: DocumentMeta
    source: Source
    intro: list[str] = field(default_factory=list)  # introduction sentences (LBK, BEK hjemmel)
    units: list[Unit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was read but could not be represented

    def walk(self):  # type: ignore[no-untyped-def]
        """Every unit of the document, depth first."""
        for unit in self.units:
            yield from unit.walk()


class ImportFailure(Exception):
    """A document that cannot be imported; ``where`` names the file (and position) and the fix."""

    def __init__(self, where: str, reason: str, fix: str = "", reason_en: str = "", fix_en: str = ""):
        self.where = where
        self.reason = reason
        self.fix = fix
        self.reason_en = reason_en or reason
        self.fix_en = fix_en or fix
        super().__init__(self.render("da"))

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # Worker processes send failures back pickled; the default would call __init__(message).
        return (ImportFailure, (self.where, self.reason, self.fix, self.reason_en, self.fix_en))

    def render(self, lang: str = "da") -> str:
        """``file:line:col: reason — fix`` in Danish or English."""
        reason, fix = (self.reason, self.fix) if lang == "da" else (self.reason_en, self.fix_en)
        return f"{self.where}: {reason}" + (f" — {fix}" if fix else "")
