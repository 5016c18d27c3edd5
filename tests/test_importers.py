"""The importer's readers of text: numbers, places, amendment instructions, hjemmel, consolidation, works."""

from __future__ import annotations

import datetime as dt

import pytest

from graph.identifiers import format_steps
from graph.importers.amendments import CHANGE, INSERT, REPEAL, amended_act, parse_instruction
from graph.importers.introductions import consolidated_documents, hjemmel
from graph.importers.model import Unit
from graph.importers.numbering import (
    afsnit_numbers, bilag_numbers, expand_range, kapitel_numbers, list_item, paragraf_numbers, stk_numbers,
)
from graph.importers.references import document_refs, path_lists
from graph.importers.text import parse_danish_date, plain, roman_to_int
from graph.importers.works import DocumentKey, WorkIndex, display_name, law_title, name_in_title, slug


def places(text: str) -> list[list[str]]:
    return [[format_steps(p) for p in found.places] for found in path_lists(text)]


# -- text and numbers ---------------------------------------------------------------------------

def test_plain_removes_invisible_characters_and_every_kind_of_space() -> None:
    assert plain("af\u00adprøve\u200d §\u00a083,  stk.\u202f1\n") == "afprøve § 83, stk. 1"


@pytest.mark.parametrize("label, numbers", [
    ("§ 79 a.", ["79 a"]), ("§\u00a09 A.", ["9 a"]), ("§\u00a09a.", ["9 a"]), ("§§ 13-15.", ["13", "14", "15"]),
    ("§§ 160 b-d.", ["160 b", "160 c", "160 d"]), ("§§ 5.-7.", ["5", "6", "7"]), ("»§ 2 a.", ["2 a"]), ("§ 1", ["1"]), ("§", []), ("§ l", []),
])
def test_paragraf_labels(label: str, numbers: list[str]) -> None:
    assert paragraf_numbers(label) == numbers


@pytest.mark.parametrize("label, numbers", [
    ("Stk. 2.", ["2"]), ("Stk.\u00a02-4.", ["2", "3", "4"]), ("Stk. 2 og 3.", ["2", "3"]), ("Stk.", []),
])
def test_stk_labels(label: str, numbers: list[str]) -> None:
    assert stk_numbers(label) == numbers


def test_kapitel_numbers_are_arabic_and_afsnit_roman_as_the_shapes_require() -> None:
    assert kapitel_numbers("Kapitel IV") == ["4"]
    assert kapitel_numbers("Kapitel VIII A") == ["8 a"]
    assert kapitel_numbers("1. kapitel") == ["1"]
    assert kapitel_numbers("Kapitel 4 a") == ["4 a"]
    assert afsnit_numbers("Første afsnit.") == ["I"]
    assert afsnit_numbers("Afsnit 3") == ["III"]
    assert afsnit_numbers("Afsnit X a") == []  # no form the identifiers accept
    assert bilag_numbers("Bilag II", 1) == ["2"] and bilag_numbers("Bilag", 3) == ["3"] and bilag_numbers("Bilag A", 1) == []


def test_list_items_become_nr_or_litra_and_bullets_stay_text() -> None:
    assert list_item("1)", "Nummer") == ("nr", "1")
    assert list_item("9 A)", "Nummer") == ("nr", "9 a")
    assert list_item("b)", "Litra") == ("litra", "b")
    assert list_item("-", "Pind") is None and list_item("ii)", "Romer") is None and list_item("aa)", "Litra") is None


def test_ranges_expand_numbers_and_letters() -> None:
    assert expand_range("5", "5 c") == ["5", "5 a", "5 b", "5 c"]
    assert expand_range("a", "d") == ["a", "b", "c", "d"]
    assert expand_range("10", "8") == ["10", "8"]
    assert roman_to_int("XIV") == 14 and roman_to_int("IIII") is None


def test_danish_dates() -> None:
    assert parse_danish_date("jf. lov nr. 5 af 8. september 2015") == dt.date(2015, 9, 8)
    assert parse_danish_date("30. februar 2015") is None


# -- places and documents -----------------------------------------------------------------------

def test_place_lists_inherit_the_levels_above_from_the_item_before() -> None:
    assert places("I § 13, stk. 2, nr. 5, og stk. 3, nr. 5, ændres") == [["§ 13, stk. 2, nr. 5", "§ 13, stk. 3, nr. 5"]]
    assert places("I § 8 a, stk. 1 og 2, indsættes") == [["§ 8 a, stk. 1", "§ 8 a, stk. 2"]]
    assert places("§§ 10-12 ophæves") == [["§ 10", "§ 11", "§ 12"]]
    assert places("jf. § 83 stk. 1, og §§ 5 og 6") == [["§ 83, stk. 1", "§ 5", "§ 6"]]
    assert places("§ 3, stk. 2, og § 4 i lov om hunde") == [["§ 3, stk. 2", "§ 4"]]  # "4 i" is not § 4 i
    assert places("jf. lovbekendtgørelse nr. 1023 af 8. september 2015") == []  # a document number is no place


def test_document_references() -> None:
    refs = document_refs("jf. lovbekendtgørelse nr. 1053 af 8. september 2015, med de ændringer, der følger af "
                         "§ 1 i lov nr. 1576 af 15. december 2015")
    assert [(r.doc_type, r.number, r.date.year) for r in refs] == [("LBK", "1053", 2015), ("LOV", "1576", 2015)]
    assert str(refs[0].iri) == "https://www.retsinformation.dk/eli/lta/2015/1053"


# -- amendment instructions ---------------------------------------------------------------------

@pytest.mark.parametrize("text, new, action, expected", [
    ("I § 5, stk. 2, ændres »§ 7, stk. 1« til: »§ 8«.", None, CHANGE, ["§ 5, stk. 2"]),
    ("§ 3 ophæves.", None, REPEAL, ["§ 3"]),
    ("§§ 3 og 4 ophæves.", None, REPEAL, ["§ 3", "§ 4"]),
    ("§ 12, stk. 2, 3. pkt., ophæves.", None, CHANGE, ["§ 12, stk. 2"]),  # a sentence goes: the stk. changes
    ("§ 12, stk. 3, ophæves. Stk. 4-6 bliver herefter stk. 3-5.", None, REPEAL, ["§ 12, stk. 3"]),
    ("Efter § 16 a indsættes:", [Unit("paragraf", "16 b")], INSERT, ["§ 16 b"]),
    ("I § 11 indsættes som stk. 3-5:", None, INSERT, ["§ 11, stk. 3", "§ 11, stk. 4", "§ 11, stk. 5"]),
    ("I § 161 indsættes efter stk. 2, der bliver stk. 1, som nye stykker:", [Unit("stk", "2"), Unit("stk", "3")],
     INSERT, ["§ 161, stk. 2", "§ 161, stk. 3"]),
    ("Overskriften til kapitel 4 affattes således:", None, CHANGE, ["kapitel 4"]),
    ("I § 4, stk. 1, ændres »a« til: »b«, og i stk. 2 ændres »c« til: »d«.", None, CHANGE, ["§ 4, stk. 1", "§ 4, stk. 2"]),
])
def test_amendment_instructions(text: str, new: list[Unit] | None, action: str, expected: list[str]) -> None:
    instruction = parse_instruction(text, new)
    assert instruction is not None
    assert (instruction.action, [format_steps(p) for p in instruction.places]) == (action, expected)


def test_an_instruction_without_a_place_is_none() -> None:
    assert parse_instruction("Lovens titel affattes således:") is None


def test_the_amended_act_is_the_version_cited_not_the_earlier_amendments() -> None:
    act = amended_act("I lov om aktiv socialpolitik, jf. lovbekendtgørelse nr. 806 af 1. juli 2015, som ændret ved "
                      "§ 1 i lov nr. 1522 af 27. december 2014, foretages følgende ændringer:")
    assert act is not None and act.name == "lov om aktiv socialpolitik"
    assert [(d.doc_type, d.number) for d in act.documents] == [("LBK", "806")]
    by_number = amended_act("I lov nr. 550 af 5. juni 2012 om frikommuner m.v. foretages følgende ændringer:")
    assert by_number is not None and by_number.name == "lov om frikommuner m.v."
    assert [(d.doc_type, d.number) for d in by_number.documents] == [("LOV", "550")]
    assert amended_act("Loven træder i kraft den 1. juli 2016.") is None


# -- introductions ------------------------------------------------------------------------------

def test_consolidation_reads_only_the_herved_bekendtgoeres_sentence() -> None:
    refs = consolidated_documents([
        "Herved bekendtgøres lov om forældelse af fordringer (forældelsesloven), jf. lovbekendtgørelse nr. 1063 af "
        "28. august 2013, med de ændringer, der følger af lov nr. 1622 af 26. december 2013 og § 5 i lov nr. 1500 af "
        "23. december 2014.",
        "Den ændring, der følger af § 1, nr. 2, i lov nr. 495 af 21. maj 2013 er ikke indarbejdet i denne lovbekendtgørelse.",
    ])
    assert [(r.doc_type, r.number) for r in refs] == [("LBK", "1063"), ("LOV", "1622"), ("LOV", "1500")]


def test_hjemmel_pairs_each_list_with_its_law() -> None:
    found = hjemmel(["I medfør af § 3, stk. 2, og § 4 i lov om hunde, jf. lovbekendtgørelse nr. 1023 af "
                     "8. september 2015, og § 5 i sundhedsloven fastsættes:"])
    assert [(h.name, [d.number for d in h.documents], [format_steps(p) for p in h.places]) for h in found] == [
        ("lov om hunde", ["1023"], ["§ 3, stk. 2", "§ 4"]), ("sundhedsloven", [], ["§ 5"])]
    by_number = hjemmel(["I medfør af § 5, stk. 2, i lov nr. 550 af 5. juni 2012 om frikommuner fastsættes:"])
    assert by_number[0].name is None and by_number[0].documents[0].number == "550"
    assert hjemmel(["I medfør af servicelovens § 83 fastsættes:"])[0].name == "serviceloven"


# -- works --------------------------------------------------------------------------------------

def test_work_names_and_keys_follow_the_shipped_data() -> None:
    assert slug("Serviceloven") == "serviceloven" and slug("Forældelsesloven") == "foraeldelsesloven"
    assert display_name("Serviceloven") == "serviceloven" and display_name("SU-Loven") == "SU-loven"
    assert law_title("Bekendtgørelse af lov om social service") == "lov om social service"
    assert name_in_title("Bekendtgørelse af lov om merværdiafgift (momsloven)") == "momsloven"
    assert name_in_title("Bekendtgørelse af konkurrenceloven") == "konkurrenceloven"


def _key(doc_type: str, year: int, number: str, title: str, popular: str | None = None, intro: tuple[str, ...] = ()) -> DocumentKey:
    return DocumentKey(doc_type, year, number, title, popular, dt.date(year, 6, 1), intro)


def test_work_rules() -> None:
    index = WorkIndex()
    index.add_documents([
        _key("LBK", 2015, "1284", "Bekendtgørelse af lov om social service", "Serviceloven"),
        _key("LOV", 2012, "550", "Lov om frikommuner m.v."),
        _key("LBK", 2013, "1027", "Bekendtgørelse af lov om frikommuner m.v.",
             intro=("Herved bekendtgøres lov nr. 550 af 5. juni 2012 om frikommuner m.v.",)),
        _key("LBK", 2015, "10", "Bekendtgørelse af lov om social service"),  # no popular title: by its law title
        _key("LBK", 2015, "11", "Bekendtgørelse af lov om finansiel virksomhed"),
        _key("BEK", 2016, "99", "Bekendtgørelse om noget"),
    ])
    assert index.documents[(2015, "1284")] == "serviceloven"
    assert index.documents[(2012, "550")] == "lov-2012-550"
    assert index.documents[(2013, "1027")] == "lov-2012-550"
    assert index.documents[(2015, "10")] == "serviceloven"
    assert index.documents[(2015, "11")] == "lov-om-finansiel-virksomhed"
    assert index.documents[(2016, "99")] == "bek-2016-99"
    assert index.name_of("lov-2012-550") == "lov nr. 550 af 1. juni 2012"
    assert index.find("servicelovens") == "serviceloven" and index.find("lov om social service") == "serviceloven"


def test_a_work_in_the_store_keeps_its_name() -> None:
    index = WorkIndex()
    index.add_store_work("serviceloven", ["serviceloven"], ["Lov om social service"], [(2015, "1284")])
    index.add_documents([_key("LBK", 2016, "1", "Bekendtgørelse af lov om social service", "SERVICELOVEN")])
    assert index.documents[(2016, "1")] == "serviceloven" and index.name_of("serviceloven") == "serviceloven"
