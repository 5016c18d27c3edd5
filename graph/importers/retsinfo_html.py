"""Retsinformation HTML (a saved document page, or the JSON API's ``documentHtml``) → ParsedDocument.

The text is a flat run of ``<p>`` elements whose first class says what each is: ``Kapitel`` and
``KapitelOverskrift2`` (chapter number and heading), ``Afsnit``/``AfsnitOverskrift``,
``ParagrafGruppeOverskrift`` (a heading over the next §), ``Paragraf`` (a new § and its stk. 1,
number in ``span.ParagrafNr``), ``Stk2`` (the next stk., ``span.StkNr``), ``Liste1`` (a list item,
``span.Liste1Nr``), ``Titel2`` and ``Indledning2``. Everything from the first
``hr.IKraftStreg`` on is the commencement text of *other* acts and is not read, nor are notes
(``Fodnote``) and footnote markers (``a.FodnoteHenvisning``).

A saved page also carries the metadata box: ``span.kortNavn`` ("LBK nr 1238 af 09/11/2015
Gældende") and ``div.ressort`` (popular title in parentheses, publication date, ministry).
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from graph.importers.model import DOCUMENT_TYPES, DocumentMeta, ImportFailure, ParsedDocument, Source, Unit
from graph.importers.numbering import kapitel_numbers, afsnit_numbers, list_item, paragraf_numbers, stk_numbers
from graph.importers.text import parse_iso_date, plain

__all__ = ["parse_retsinfo_html", "html_body", "short_name", "html_root"]

_SHORT_NAME = re.compile(r"^(?P<type>[A-ZÆØÅ]{2,4})\s+nr\.?\s*(?P<nr>\d+)\s+af\s+(?P<date>\d{1,2}/\d{1,2}/\d{4})", re.IGNORECASE)
_STOP_CLASSES = ("IKraftStreg", "IkraftStreg", "IkraftTekst", "Fodnote", "Givet")
_NUMBER_SPANS = ("ParagrafNr", "StkNr", "Liste1Nr", "Liste2Nr")


def html_root(data: bytes | str, where: str) -> etree._Element:
    """Parse HTML without network access; an empty or unreadable page is an ImportFailure."""
    parser = lxml.html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, encoding=None if isinstance(data, str) else "utf-8")
    if isinstance(data, bytes):
        data = data.removeprefix(b"\xef\xbb\xbf")
    try:
        root = lxml.html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise ImportFailure(where, f"kan ikke læse HTML: {error}", "gem siden igen fra Retsinformation",
                            f"cannot read HTML: {error}", "save the page again from Retsinformation") from None
    return root


def short_name(text: str) -> tuple[str, str, object] | None:
    """``"LBK nr 1238 af 09/11/2015"`` → ("LBK", "1238", date(2015, 11, 9))."""
    match = _SHORT_NAME.match(plain(text))
    if match is None:
        return None
    day, month, year = match.group("date").split("/")
    date = parse_iso_date(f"{year}-{int(month):02d}-{int(day):02d}")
    return match.group("type").upper(), match.group("nr").lstrip("0"), date


def _classes(element: etree._Element) -> list[str]:
    return (element.get("class") or "").split()


def _text(element: etree._Element) -> str:
    """The element's text without number spans and footnote markers."""
    parts = []
    for node in element.iter():
        if node is not element and (set(_classes(node)) & {"FodnoteHenvisning", *_NUMBER_SPANS}):
            parts.append(node.tail or "")
            continue
        if node is element or not _inside_skipped(node, element):
            parts.append(node.text or "")
            if node is not element:
                parts.append(node.tail or "")
    return plain("".join(parts))


def _inside_skipped(node: etree._Element, top: etree._Element) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not top:
        if set(_classes(parent)) & {"FodnoteHenvisning", *_NUMBER_SPANS}:
            return True
        parent = parent.getparent()
    return False


def _label(element: etree._Element, span_class: str) -> str:
    spans = element.find_class(span_class)
    return plain(spans[0].text_content()) if spans else ""


class _Tree:
    """Builds the unit tree from the flat run of paragraphs."""

    def __init__(self, warnings: list[str]):
        self.units: list[Unit] = []
        self.warnings = warnings
        self.afsnit: Unit | None = None
        self.kapitel: Unit | None = None
        self.paragraf: Unit | None = None
        self.stk: Unit | None = None
        self.item: Unit | None = None
        self.heading: str | None = None

    def _container(self) -> list[Unit]:
        if self.kapitel is not None:
            return self.kapitel.children
        return self.afsnit.children if self.afsnit is not None else self.units

    def division(self, kind: str, label: str) -> None:
        numbers = afsnit_numbers(label) if kind == "afsnit" else kapitel_numbers(label)
        self.finish()
        if not numbers:
            self.warnings.append(f"{kind} »{label}« har intet nummer regelgraf kan bruge; dets indhold står direkte i dokumentet")
            return
        unit = Unit(kind, numbers[0])
        if kind == "afsnit":
            self.units.append(unit)
            self.afsnit, self.kapitel = unit, None
        else:
            (self.afsnit.children if self.afsnit is not None else self.units).append(unit)
            self.kapitel = unit

    def division_heading(self, kind: str, text: str) -> None:
        unit = self.afsnit if kind == "afsnit" else self.kapitel
        if unit is not None and not unit.heading:
            unit.heading = text

    def new_paragraf(self, label: str, text: str) -> None:
        self.finish()
        numbers = paragraf_numbers(label)
        if not numbers:
            self.warnings.append(f"en paragraf uden brugbart nummer (»{label}«) er udeladt")
            return
        self.paragraf = Unit("paragraf", numbers[0], heading=self.heading)
        self.heading = None
        self.stk = Unit("stk", "1", text=text)
        self.paragraf.children.append(self.stk)
        self._container().append(self.paragraf)
        self._container().extend(Unit("paragraf", n, text=text) for n in numbers[1:])

    def new_stk(self, label: str, text: str) -> None:
        if self.paragraf is None:
            self.warnings.append(f"»{label} {text[:40]}« står uden for en paragraf og er udeladt")
            return
        numbers = stk_numbers(label)
        if not numbers:
            last = self.paragraf.children[-1].number if self.paragraf.children else "0"
            numbers = [str(int(last.split(" ")[0]) + 1)]
        self.stk = Unit("stk", numbers[0], text=text)
        self.paragraf.children.append(self.stk)
        self.paragraf.children.extend(Unit("stk", n, text=text) for n in numbers[1:])
        self.item = None

    def new_item(self, label: str, text: str) -> None:
        kind = list_item(label, None)
        holder = self.stk
        if kind is not None and kind[0] == "litra" and self.item is not None and self.item.kind == "nr":
            holder = self.item
        if holder is None or kind is None:
            self.append_text(f"{label} {text}".strip())
            return
        unit = Unit(kind[0], kind[1], text=text)
        holder.children.append(unit)
        if kind[0] == "nr":
            self.item = unit

    def append_text(self, text: str) -> None:
        target = self.stk or self.paragraf
        if target is not None and text:
            target.text = f"{target.text} {text}".strip()

    def finish(self) -> None:
        """Close the open §: a lone stk. 1 is the § itself (its items are the §'s)."""
        if self.paragraf is not None and len(self.paragraf.children) == 1 and self.paragraf.children[0].kind == "stk":
            only = self.paragraf.children.pop()
            self.paragraf.text = only.text
            self.paragraf.children.extend(only.children)
        self.paragraf = self.stk = self.item = None


def html_body(root: etree._Element, warnings: list[str]) -> tuple[str, list[str], list[Unit]]:
    """The title, introduction sentences and unit tree of a document's HTML."""
    tree = _Tree(warnings)
    title, intro = "", []
    for element in root.iter("p", "hr", "div"):
        classes = _classes(element)
        first = classes[0] if classes else ""
        if any(c in _STOP_CLASSES for c in classes):
            break
        if element.tag != "p":
            continue
        text = _text(element)
        if first == "Titel2" or first == "Titel":
            title = title or text
        elif first.startswith("Indledning"):
            intro.append(text)
        elif first == "Afsnit":
            tree.division("afsnit", text)
        elif first == "AfsnitOverskrift":
            tree.division_heading("afsnit", text)
        elif first == "Kapitel":
            tree.division("kapitel", text)
        elif first.startswith("KapitelOverskrift"):
            tree.division_heading("kapitel", text)
        elif first == "ParagrafGruppeOverskrift":
            tree.heading = text
        elif first in ("Paragraf", "CentreretParagraf"):
            label = _label(element, "ParagrafNr") or text
            tree.new_paragraf(label, text if _label(element, "ParagrafNr") else "")
        elif first == "Stk2":
            tree.new_stk(_label(element, "StkNr"), text)
        elif first.startswith("Liste"):
            tree.new_item(_label(element, f"{first}Nr") or _label(element, "Liste1Nr"), text)
        elif first.startswith("Tekst"):
            tree.append_text(text)
    tree.finish()
    return title, intro, tree.units


def _page_meta(root: etree._Element, title: str, where: str) -> DocumentMeta:
    """The metadata box of a saved page (span.kortNavn, div.ressort)."""
    short = root.find_class("kortNavn")
    parsed = short_name(short[0].text_content()) if short else None
    if parsed is None:
        description = root.xpath("//meta[@name='description']/@content")
        parsed = short_name(description[0]) if description else None
    if parsed is None or parsed[0] not in DOCUMENT_TYPES or parsed[2] is None:
        raise ImportFailure(where, "siden har intet kortnavn (»LBK nr 1238 af 09/11/2015«), så dokumentet kan ikke identificeres",
                            "gem hele dokumentsiden fra Retsinformation, eller brug JSON-API'et",
                            "the page has no short name ('LBK nr 1238 af 09/11/2015'), so the document cannot be identified",
                            "save the whole document page from Retsinformation, or use the JSON API")
    doc_type, number, date = parsed
    status_text = plain(short[0].text_content()) if short else ""
    ressort = root.find_class("ressort")
    lines = [plain(line) for line in ressort[0].itertext()] if ressort else []
    lines = [line for line in lines if line]
    popular = next((line.strip("()") for line in lines if line.startswith("(")), None)
    published = next((parse_iso_date(line.split(":", 1)[1]) for line in lines if line.lower().startswith("offentliggørelsesdato")), None)
    ministry = next((line for line in lines if not line.startswith("(") and ":" not in line), None)
    return DocumentMeta(
        doc_type=doc_type, year=date.year, number=number, title=title, popular_title=popular,  # type: ignore[union-attr]
        date_signed=date, date_published=published, ministry=ministry,  # type: ignore[arg-type]
        status="Historic" if "historisk" in status_text.lower() else "Valid" if "gældende" in status_text.lower() else None,
    )


def parse_retsinfo_html(data: bytes | str, source: Source) -> ParsedDocument:
    """Read a saved Retsinformation document page."""
    root = html_root(data, source.name)
    warnings: list[str] = []
    title, intro, units = html_body(root, warnings)
    if not title:
        page_title = root.findtext(".//title") or ""
        title = plain(page_title.split(" - ")[1]) if " - " in page_title else plain(page_title)
    document = ParsedDocument(_page_meta(root, title, source.name), source, intro, units, warnings)
    if not units:
        raise ImportFailure(source.name, "siden indeholder ingen paragraffer (p.Paragraf)",
                            "gem dokumentets side med den fulde tekst", "the page contains no sections (p.Paragraf)",
                            "save the document page with the full text")
    return document
