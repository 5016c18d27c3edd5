"""LexDania 2.1 XML (Retsinformation's ``…/eli/lta/{year}/{nr}/xml``) → ParsedDocument.

Parsed with lxml set to read nothing but the bytes given: no DTD loading, no entity
expansion, no network, no huge trees; a document that declares a DTD is refused outright, so
entity tricks (billion laughs, external entities) never get as far as the parser's expansion.

Element names follow the schema: ``Meta`` (metadata), ``Indledning`` (introduction),
``Bog``/``Afsnit``/``Kapitel``/``ParagrafGruppe``/``Paragraf``/``Stk``/``Indentatio`` (structure),
``AendringCentreretParagraf``/``AendringsNummer``/``Aendring`` (amending acts, whose
``AendringNyTekst`` is the new wording, not the act's own provisions), ``Ikraft`` (commencement
provisions of *other* acts that a consolidation reprints — not its own), ``Bilag`` (annexes).
"""

from __future__ import annotations

import re

from lxml import etree

from graph.importers.model import DOCUMENT_TYPES, DocumentMeta, ImportFailure, ParsedDocument, Source, Unit
from graph.importers.numbering import (
    RANK, afsnit_numbers, bilag_numbers, kapitel_numbers, list_item, paragraf_numbers, stk_numbers,
)
from graph.importers.text import danish_number, parse_iso_date, plain

__all__ = ["parse_lexdania", "safe_xml", "xml_parser"]

# "LBK H#LOKDOK03": the words before '#' name the type; H = main document, Æ = amending.
_TYPE_CODES = {"LOKDOK01": ("LOV", False), "LOKDOK02": ("LOV", True), "LOKDOK03": ("LBK", False),
               "LOKDOK04": ("BEK", False), "LOKDOK05": ("BEK", True)}
_PARAGRAF_TAGS = ("Paragraf", "AendringCentreretParagraf", "IkraftCentreretParagraf")
_CONTAINERS = ("Bog", "ParagrafGruppe", "TekstGruppe")
_PUNCTUATION_GAP = re.compile(r"(?<=\w) ([,.])(?=\s|$)")


def xml_parser() -> etree.XMLParser:
    """An lxml parser that reads only the bytes given: no DTD, entities, network or huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True, dtd_validation=False)


def safe_xml(data: bytes, where: str) -> etree._Element:
    """Parse XML that may be hostile; a DTD is refused before parsing; errors name line and column."""
    parser = xml_parser()
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data:
        raise ImportFailure(where, "dokumentet erklærer en DTD eller entiteter, som regelgraf ikke læser",
                            "fjern <!DOCTYPE …>/<!ENTITY …>; Retsinformations XML har ingen",
                            "the document declares a DTD or entities, which regelgraf does not read",
                            "remove <!DOCTYPE …>/<!ENTITY …>; Retsinformation's XML has none")
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position if error.position else (error.lineno, 0)
        message = plain(error.msg or str(error))
        raise ImportFailure(f"{where}:{line}:{column}", f"ugyldig XML: {message}",
                            "ret filen eller hent den igen fra Retsinformation",
                            f"invalid XML: {message}", "fix the file or fetch it again from Retsinformation") from None
    if root is None:
        raise ImportFailure(where, "tom XML-fil", "hent filen igen", "empty XML file", "fetch the file again")
    return root


def _text(element: etree._Element | None) -> str:
    """All text below an element as printed: Chars joined with the spaces between them."""
    if element is None:
        return ""
    # The whitespace between <Char>s is where the printed text has a word space (files split a
    # Linea at word boundaries), so tails are kept (parse_lexdania removes the one before a sub-
    # or superscript); "§ 5 ," from a split before a comma is undone.
    text = plain(etree.tostring(element, method="text", encoding=str, with_tail=False).replace("\\n", " "))
    return _PUNCTUATION_GAP.sub(r"\1", text) if " ," in text or " ." in text else text


def _meta(root: etree._Element, where: str) -> DocumentMeta:
    meta = root.find("Meta")
    if meta is None:
        raise ImportFailure(where, "elementet <Meta> mangler; det er ikke et LexDania-dokument",
                            "hent dokumentet som …/eli/lta/ÅR/NR/xml",
                            "the <Meta> element is missing; this is not a LexDania document",
                            "fetch the document as …/eli/lta/YEAR/NR/xml")
    raw_type = _text(meta.find("DocumentType"))
    words, _, code = raw_type.partition("#")
    code = code.replace(" ", "")
    doc_type, amending = _TYPE_CODES.get(code, (words.split(" ")[0].upper() if words else "", "Æ" in words))
    if doc_type not in DOCUMENT_TYPES:
        raise ImportFailure(where, f"ukendt dokumenttype {raw_type!r}", f"kendte typer: {', '.join(DOCUMENT_TYPES)}",
                            f"unknown document type {raw_type!r}", f"known types: {', '.join(DOCUMENT_TYPES)}")
    year, number = _text(meta.find("Year")), _text(meta.find("Number"))
    if not year.isdigit() or not number.isdigit() or int(number) == 0:
        raise ImportFailure(where, f"år {year!r} eller nummer {_text(meta.find('Number'))!r} mangler eller er ugyldigt",
                            "<Year> og <Number> skal være heltal", f"year {year!r} or number is missing or invalid",
                            "<Year> and <Number> must be whole numbers")
    historic = parse_iso_date(_text(meta.find("DateOfHistoricMark")))
    return DocumentMeta(
        doc_type=doc_type, amending=amending, year=int(year), number=str(int(number)),
        title=_text(meta.find("DocumentTitle")) or _text(root.find("TitelGruppe")),
        popular_title=_text(meta.find("PopularTitle")) or None,
        date_signed=parse_iso_date(_text(meta.find("DiesSigni"))),
        date_published=parse_iso_date(_text(meta.find("DiesEdicti"))),
        date_in_force=parse_iso_date(_text(meta.find("StartDate"))),
        date_end=historic if _text(meta.find("Status")) == "Historic" else None,
        ministry=_text(meta.find("Ministry")) or None,
        status=_text(meta.find("Status")) or None,
        accession_number=_text(meta.find("AccessionNumber")) or None,
        schema=root.get("SchemaLocation"),
    )


class _Reader:
    """Walks DokumentIndhold and builds the unit tree; notes what it cannot represent."""

    def __init__(self, warnings: list[str]):
        self.warnings = warnings

    # -- text -------------------------------------------------------------------------------

    def exitus(self, exitus: etree._Element, holder: Unit | None) -> str:
        """The text of one Exitus; numbered list items become children of ``holder``."""
        if all(child.tag == "Linea" for child in exitus):
            return _text(exitus)  # the common case, in one pass
        parts = []
        for child in exitus:
            tag = child.tag
            if tag == "Linea":
                parts.append(_text(child))
            elif tag == "Index":
                parts.extend(self.items(child, holder))
            elif tag == "Table":
                parts.append("\n".join(" | ".join(_text(cell) for cell in row) for row in child.iter("Tr")))
        return " ".join(p for p in parts if p)

    def items(self, index: etree._Element, holder: Unit | None) -> list[str]:
        """List items: units when numbered and deeper than ``holder``, else text lines."""
        lines = []
        for item in index.iter("Indentatio"):
            if item.getparent() is not index:
                continue
            label = _text(item.find("Explicatus"))
            kind = list_item(label, item.get("formaInd"))
            if holder is not None and kind and RANK[kind[0]] > RANK.get(holder.kind, 0):
                unit = Unit(kind[0], kind[1])
                unit.text = " ".join(t for t in (self.exitus(e, unit) for e in item.findall("Exitus")) if t)
                holder.children.append(unit)
            else:
                text = " ".join(self.exitus(e, None) for e in item.findall("Exitus"))
                lines.append(f"{label} {text}".strip())
        return lines

    # -- structure --------------------------------------------------------------------------

    def children(self, parent: etree._Element, heading: str | None = None) -> list[Unit]:
        """The units directly below a container, lifting unnumbered levels into their parent."""
        units: list[Unit] = []
        for child in parent:
            tag = child.tag
            if tag in ("Afsnit", "Kapitel"):
                units.extend(self.division(child))
            elif tag in _CONTAINERS:
                group_heading = _text(child.find("Rubrica")) or None
                units.extend(self.children(child, group_heading))
            elif tag in _PARAGRAF_TAGS:
                units.extend(self.paragraf(child, heading))
                heading = None
        return units

    def division(self, element: etree._Element) -> list[Unit]:
        """An afsnit or kapitel; one without a usable number gives its children to its parent."""
        label = _text(element.find("Explicatus"))
        kind = "afsnit" if element.tag == "Afsnit" else "kapitel"
        numbers = afsnit_numbers(label) if kind == "afsnit" else kapitel_numbers(label)
        below = self.children(element)
        if not numbers:
            if label:
                self.warnings.append(f"{kind} »{label}« har intet nummer regelgraf kan bruge; dets indhold står direkte i dokumentet")
            return below
        unit = Unit(kind, numbers[0], heading=_text(element.find("Rubrica")) or None, children=below)
        return [unit]

    def paragraf(self, element: etree._Element, heading: str | None) -> list[Unit]:
        """A § (also the amending and commencement kinds), with its stk. or amendment numbers."""
        label = _text(element.find("Explicatus"))
        stks = [s for s in element if s.tag == "Stk"]
        labels = [_text(s.find("Explicatus")) for s in stks]
        numbers = paragraf_numbers(label)
        if not numbers and not label and labels and paragraf_numbers(labels[0]):
            # Some files print the § number as the first stk.'s label ("§ 78." in <Stk>).
            numbers, labels[0] = paragraf_numbers(labels[0]), ""
        if not numbers:
            text = " ".join(_text(s) for s in stks)[:60]
            self.warnings.append(f"en paragraf uden brugbart nummer (»{label or text}«) er udeladt")
            return []
        unit = Unit("paragraf", numbers[0], heading=_text(element.find("Rubrica")) or heading)
        own = [self.exitus(e, unit) for e in element.findall("Exitus")]
        unit.text = " ".join(t for t in own if t)
        self.stks(unit, stks, labels)
        self.amendments(unit, element)
        if len(numbers) > 1:  # "§§ 13-15. (Ophævet)": each number is a unit with the same text
            return [unit] + [Unit("paragraf", n, text=unit.text) for n in numbers[1:]]
        return [unit]

    def stks(self, paragraf: Unit, elements: list[etree._Element], labels: list[str]) -> None:
        """Stk. units; a lone unnumbered stk. is the § itself (cited "§ 5, nr. 2", not "stk. 1")."""
        built: list[Unit] = []
        for position, (element, label) in enumerate(zip(elements, labels), start=1):
            numbers = stk_numbers(label) or [str(int(built[-1].number.split(" ")[0]) + 1) if built else "1"]
            stk = Unit("stk", numbers[0])
            stk.text = " ".join(t for t in (self.exitus(e, stk) for e in element.findall("Exitus")) if t)
            self.amendments(stk, element)
            built.append(stk)
            built.extend(Unit("stk", n, text=stk.text) for n in numbers[1:])
            if position == 1 and not label and len(elements) == 1:
                paragraf.text = " ".join(t for t in (paragraf.text, stk.text) if t)
                paragraf.children.extend(stk.children)
                paragraf.amends_intro = paragraf.amends_intro or stk.amends_intro
                return
        paragraf.children.extend(built)

    def amendments(self, holder: Unit, element: etree._Element) -> None:
        """AendringsNummer children: numbered changes to another act ("1. I § 5 ændres …")."""
        numbered = [n for n in element if n.tag == "AendringsNummer"]
        if not numbered:
            return
        holder.amends_intro = holder.text
        for item in numbered:
            number = danish_number(_text(item.find("Explicatus")).rstrip("."))
            if number is None:
                self.warnings.append(f"en ændring under {holder.kind} {holder.number} har intet nummer og er udeladt")
                continue
            instructions, new_units, new_text = [], [], []
            for change in item.iter("Aendring"):
                instructions.append(" ".join(self.exitus(e, None) for e in change.iterfind("AendringDefinition/Exitus")))
                for wording in change.iterfind("AendringAktion/AendringNyTekst"):
                    new_units.extend(self.new_wording(wording))
                    new_text.append(_text(wording))
            clause = _text(item.find("Rykningsklausul"))
            instruction = " ".join(t for t in instructions if t)
            holder.children.append(Unit("nr", number, text=" ".join(t for t in (instruction, *new_text, clause) if t),
                                        instruction=instruction, new_units=new_units))

    def new_wording(self, wording: etree._Element) -> list[Unit]:
        """The top-level units an amendment inserts; their numbers name what is inserted."""
        scratch = _Reader([])
        units = scratch.children(wording)
        for child in wording:
            if child.tag == "Stk":
                units.extend(Unit("stk", n) for n in stk_numbers(_text(child.find("Explicatus"))))
            elif child.tag == "Indentatio":
                kind = list_item(_text(child.find("Explicatus")), child.get("formaInd"))
                if kind:
                    units.append(Unit(*kind))
        return units


def _intro(content: etree._Element) -> list[str]:
    """The introduction sentences: consolidation formula, hjemmel, preamble (notes left out)."""
    sentences = []
    for block in content:
        if block.tag in ("Indledning", "Praeambel"):
            for exitus in block.iter("Exitus"):
                if exitus.getparent().tag in ("Indledning", "Praeambel"):
                    lines = [_text(linea) for linea in exitus if linea.tag == "Linea"]
                    sentences.append(" ".join(line for line in lines if line))
    return [s for s in sentences if s]


def parse_lexdania(data: bytes, source: Source) -> ParsedDocument:
    """Read one LexDania 2.1 document; raises ImportFailure naming the file and what is wrong."""
    root = safe_xml(data, source.name)
    if root.tag != "Dokument":
        raise ImportFailure(source.name, f"rodelementet er <{root.tag}>, ikke <Dokument>",
                            "importér LexDania 2.1-XML fra Retsinformation",
                            f"the root element is <{root.tag}>, not <Dokument>", "import LexDania 2.1 XML from Retsinformation")
    document = ParsedDocument(_meta(root, source.name), source)
    if b"script" in data:  # "CO" + subscript "2" is one word: no space before the script Char
        for char in root.iter("Char"):
            if char.get("formaChar") in ("Subscript", "Superscript"):
                previous = char.getprevious()
                if previous is not None and previous.tail is not None and not previous.tail.strip():
                    previous.tail = None
    content = root.find("DokumentIndhold")
    reader = _Reader(document.warnings)
    if content is not None:
        document.intro = _intro(content)
        document.units = reader.children(content)
    for position, annex in enumerate(root.iter("Bilag"), start=1):
        label = _text(annex.find("Explicatus"))
        numbers = bilag_numbers(label, position)
        if not numbers:
            document.warnings.append(f"bilaget »{label}« har intet nummer regelgraf kan bruge og er udeladt")
            continue
        body = annex.find("BilagIndhold")
        document.units.append(Unit("bilag", numbers[0], text=_text(body) if body is not None else "",
                                   heading=_text(annex.find("Rubrica")) or None))
    return document

