"""Reading the three formats: detection, LexDania XML, Retsinformation HTML and API JSON, hostile input."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from lxml import etree

from graph.importers.detect import detect_format, parse_document
from graph.importers.lexdania import xml_parser
from graph.importers.model import ImportFailure, ParsedDocument, Source, Unit

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
GOOD, BAD = FIXTURES / "good", FIXTURES / "bad"


def read(path: Path) -> ParsedDocument:
    return parse_document(path.read_bytes(), Source(path.resolve().as_uri(), str(path)))


def unit(units: list[Unit], *path: tuple[str, str]) -> Unit:
    """The unit at a path of (kind, number) pairs."""
    found = None
    for kind, number in path:
        found = next((u for u in units if (u.kind, u.number) == (kind, number)), None)
        assert found is not None, f"no {kind} {number} among {[(u.kind, u.number) for u in units]}"
        units = found.children
    assert found is not None
    return found


def shape(units: list[Unit]) -> list:
    return [(u.kind, u.number, u.text, u.heading, shape(u.children)) for u in units]


@pytest.mark.parametrize("name, fmt", [
    ("lov-2014-901-proeveloven.xml", "lexdania"), ("bek-2016-120-html.html", "retsinfo-html"),
    ("bek-2016-120-api.json", "retsinfo-json"),
])
def test_formats_are_detected_from_the_content_behind_the_byte_order_mark(name: str, fmt: str) -> None:
    data = (GOOD / name).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert detect_format(data, name) == fmt
    assert detect_format(b"\xef\xbb\xbf\n  " + data.removeprefix(b"\xef\xbb\xbf"), name) == fmt


def test_lexdania_metadata() -> None:
    meta = read(GOOD / "lov-2014-901-proeveloven.xml").meta
    assert (meta.doc_type, meta.amending, meta.year, meta.number) == ("LOV", False, 2014, "901")  # "0901" normalised
    assert meta.title == "Lov om prøveordninger for kommuner" and meta.popular_title == "Prøveloven"
    assert meta.date_signed == dt.date(2014, 6, 4)
    assert (meta.status, meta.date_end) == ("Historic", dt.date(2015, 12, 20))  # historic since the mark
    assert meta.ministry == "Økonomi- og Indenrigsministeriet" and meta.accession_number == "A20149999930"
    amending = read(GOOD / "lov-2015-1902-aendring.xml").meta
    assert (amending.doc_type, amending.amending, amending.date_end) == ("LOV", True, None)
    assert read(GOOD / "bek-2016-99-ansoegning.xml").meta.doc_type == "BEK"


def test_lexdania_structure_to_the_finest_printed_unit() -> None:
    document = read(GOOD / "lov-2014-901-proeveloven.xml")
    units = document.units
    assert [(u.kind, u.number, u.heading) for u in units] == [
        ("kapitel", "1", "Formål"), ("kapitel", "2", "Prøveordninger"), ("kapitel", "3", "Ikrafttræden"),
        ("bilag", "1", "Skema")]  # "Kapitel II" is kapitel 2
    first = unit(units, ("kapitel", "1"), ("paragraf", "1"))
    assert first.children == [] and first.text.startswith("Formålet med loven er at lade kommuner afprøve")  # soft hyphen gone
    second = unit(units, ("kapitel", "2"), ("paragraf", "2"))
    assert second.heading == "Ansøgning"  # the group's heading stands over its first §
    assert [(c.kind, c.number) for c in second.children] == [("stk", "1"), ("stk", "2"), ("stk", "3")]
    stk2 = unit(second.children, ("stk", "2"))
    assert [(c.kind, c.number) for c in stk2.children] == [("nr", "1"), ("nr", "2")]
    assert stk2.text == "Ansøgningen skal indeholde - bilag efter behov."  # a bullet is text, not a unit
    nr2 = unit(stk2.children, ("nr", "2"))
    assert nr2.text == "en plan for udledningen af CO2 og"  # subscript joined to its word
    assert [(c.kind, c.number, c.text) for c in nr2.children] == [("litra", "a", "et budget og"), ("litra", "b", "en tidsplan, jf. nr. 1.")]
    stk3 = unit(second.children, ("stk", "3"))
    assert stk3.text == ("Ansøgninger efter stk. 1 behandles efter reglerne i stk. 2, nr. 2, "
                         "Kommunen oplyser om ansøgningen efter forvaltningslovens § 7.")  # Chars joined; the note left out
    chapter = unit(units, ("kapitel", "2")).children
    assert [(u.number, u.text) for u in chapter[1:]] == [("2 a", unit(chapter, ("paragraf", "2 a")).text),
                                                          ("3", "(Ophævet)"), ("4", "(Ophævet)")]
    assert unit(units, ("bilag", "1")).text == "Skema til ansøgning efter § 2."


def test_a_consolidation_leaves_out_the_commencement_provisions_of_other_acts() -> None:
    document = read(GOOD / "lbk-2015-1901-proeveloven.xml")
    paragraphs = [u.number for u in document.walk() if u.kind == "paragraf"]
    assert paragraphs == ["1", "2", "2 a"]
    assert unit(document.units, ("kapitel", "2"), ("paragraf", "2"), ("stk", "1")).text == "En kommune kan søge om at deltage i en prøveordning."
    assert document.intro[0].startswith("Herved bekendtgøres lov nr. 901 af 4. juni 2014")
    assert len(document.intro) == 2


def test_amending_act_numbers_its_changes_and_keeps_new_wording_out_of_its_own_provisions() -> None:
    document = read(GOOD / "lov-2015-1902-aendring.xml")
    first = unit(document.units, ("paragraf", "1"))
    assert first.amends_intro is not None and first.amends_intro.startswith("I lov nr. 901 af 4. juni 2014")
    changes = first.children
    assert [(c.kind, c.number) for c in changes] == [("nr", str(n)) for n in range(1, 6)]
    assert changes[0].instruction == "I § 2, stk. 2, ændres »indeholde« til: »være skriftlig og indeholde«."
    assert changes[1].instruction == "§ 2, stk. 3, ophæves." and "bliver herefter" in changes[1].text
    assert [(u.kind, u.number) for u in changes[2].new_units] == [("paragraf", "2 a")]
    assert [(u.kind, u.number) for u in changes[3].new_units] == [("stk", "3")]
    own = [u.number for u in document.walk() if u.kind == "paragraf"]
    assert own == ["1", "2"]  # the inserted § 2 a is the amended act's, not this act's


HTML_UNITS = [
    ("kapitel", "1", "", "Område", [
        ("paragraf", "1", "", None, [
            ("stk", "1", "Bekendtgørelsen gælder for prøvedyr i kommunerne.", None, []),
            ("stk", "2", "Den gælder ikke for dyr omfattet af", None, [
                ("nr", "1", "§ 3, eller", None, []), ("nr", "2", "stk. 1 i særlige tilfælde.", None, [])])])]),
    ("kapitel", "2", "", "Krav", [
        ("paragraf", "2", "Stalde skal være tørre.", "Indretning", []),
        ("paragraf", "3", "Dyr skal have adgang til", None, [
            ("nr", "1", "vand og", None, []), ("nr", "2", "foder, jf. § 2.", None, [])])]),
]


def test_html_page() -> None:
    document = read(GOOD / "bek-2016-120-html.html")
    meta = document.meta
    assert (meta.doc_type, meta.year, meta.number, meta.date_signed) == ("BEK", 2016, "120", dt.date(2016, 3, 2))
    assert (meta.popular_title, meta.date_published, meta.ministry, meta.status) == (
        "Prøvedyrsbekendtgørelsen", dt.date(2016, 3, 4), "Økonomi- og Indenrigsministeriet", "Valid")
    assert meta.title == "Bekendtgørelse om hold af prøvedyr"
    assert document.intro == ["I medfør af § 2, stk. 2, i lov om prøveordninger for kommuner, jf. lovbekendtgørelse nr. "
                              "1901 af 18. december 2015, fastsættes:"]
    assert shape(document.units) == HTML_UNITS  # nothing after IKraftStreg; footnote marker and note left out


def test_json_api_answer_reads_like_the_page() -> None:
    document = read(GOOD / "bek-2016-120-api.json")
    meta = document.meta
    assert (meta.doc_type, meta.year, meta.number, meta.popular_title, meta.status, meta.date_published) == (
        "BEK", 2016, "120", "Prøvedyrsbekendtgørelsen", "Valid", dt.date(2016, 3, 4))
    assert shape(document.units) == HTML_UNITS


# -- hostile and broken input -------------------------------------------------------------------

def test_billion_laughs_is_refused_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(ImportFailure) as caught:
        read(BAD / "hostile-billion-laughs.xml")
    assert time.monotonic() - started < 2
    assert "DTD" in caught.value.reason and "hostile-billion-laughs.xml" in caught.value.where


def test_external_entity_reads_no_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPHEMMELIG-1234")
    xml = (f'<?xml version="1.0"?>\n<!DOCTYPE Dokument [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
           "<Dokument><Meta><DocumentType>LOV H#LOKDOK01</DocumentType><Year>2014</Year><Number>3</Number>"
           "<DocumentTitle>&xxe;</DocumentTitle></Meta></Dokument>").encode()
    with pytest.raises(ImportFailure) as caught:
        parse_document(xml, Source("urn:test", "xxe.xml"))
    assert "TOPHEMMELIG" not in str(caught.value)


def test_the_parser_itself_expands_no_entity_and_fetches_nothing(tmp_path: Path) -> None:
    """Even past the DTD refusal, the parser settings read nothing but the bytes given."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPHEMMELIG-1234")
    external = f'<!DOCTYPE a [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]><a>&xxe;</a>'.encode()
    laughs = (BAD / "hostile-billion-laughs.xml").read_bytes()
    assert "TOPHEMMELIG" not in etree.tostring(etree.fromstring(external, xml_parser()), method="text", encoding=str)
    try:
        root = etree.fromstring(laughs, xml_parser())
    except etree.XMLSyntaxError as error:  # libxml2 stops the amplification itself
        assert "amplification" in str(error)
    else:
        assert len(etree.tostring(root)) < 10_000  # &lol9; stays a reference: nothing was expanded


def test_broken_xml_names_the_file_and_position() -> None:
    with pytest.raises(ImportFailure) as caught:
        read(BAD / "broken-unclosed.xml")
    assert caught.value.where.endswith("broken-unclosed.xml:10:21")
    assert "ugyldig XML" in caught.value.reason and "invalid XML" in caught.value.render("en")


def test_json_without_a_document_and_unknown_formats_are_refused() -> None:
    with pytest.raises(ImportFailure, match="documentHtml"):
        read(BAD / "not-a-document.json")
    with pytest.raises(ImportFailure, match="ukendt format"):
        parse_document(b"just some text", Source("urn:test", "notes.txt"))
    with pytest.raises(ImportFailure, match="rodelementet"):
        parse_document(b"<?xml version='1.0'?><other/>", Source("urn:test", "other.xml"))


def test_deeply_nested_json_is_refused_naming_the_file() -> None:
    with pytest.raises(ImportFailure, match="for dybt") as caught:
        parse_document(b"[" * 100_000 + b"]" * 100_000, Source("urn:test", "deep.json"))
    assert caught.value.where == "deep.json"
