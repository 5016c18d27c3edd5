"""Finding citations in running text: forms, lists, ranges, relative references, laws, published text."""

import pytest

from graph.citations import Citation, FoundCitation, Target, find_citations
from graph.identifiers import Step


def targets(text: str, **kwargs) -> list[str]:
    return [str(t) for found in find_citations(text, **kwargs) for t in found.targets]


CONTEXT = Citation("serviceloven", (Step("paragraf", "83"), Step("stk", "2")))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("efter § 3", ["x § 3"]),
        ("efter § 16 b", ["x § 16 b"]),
        ("efter § 16b", ["x § 16 b"]),
        ("§§ 3-5", ["x § 3", "x § 4", "x § 5"]),
        ("§§ 3 og 5", ["x § 3", "x § 5"]),
        ("§§ 3, 5 og 7", ["x § 3", "x § 5", "x § 7"]),
        ("§§ 57-57 c", ["x § 57", "x § 57 a", "x § 57 b", "x § 57 c"]),
        ("§ 3, stk. 2 og stk. 3, nr. 4", ["x § 3, stk. 2", "x § 3, stk. 3, nr. 4"]),
        ("§ 17, stk. 1, nr. 1 og 3, og stk. 3", ["x § 17, stk. 1, nr. 1", "x § 17, stk. 1, nr. 3", "x § 17, stk. 3"]),
        ("§ 2, stk. 1, nr. 3 a", ["x § 2, stk. 1, nr. 3 a"]),
        ("§ 11, stk. 1, nr. 1, litra b", ["x § 11, stk. 1, nr. 1, litra b"]),
        ("§ 5, stk. 2, 1. og 2. pkt.", ["x § 5, stk. 2, 1. pkt.", "x § 5, stk. 2, 2. pkt."]),
        ("§ 5, stk. 2, 1.-3. pkt.", ["x § 5, stk. 2, 1. pkt.", "x § 5, stk. 2, 2. pkt.", "x § 5, stk. 2, 3. pkt."]),
        ("kapitel 5, § 8, stk. 1, nr. 4", ["x kapitel 5", "x § 8, stk. 1, nr. 4"]),
    ],
)
def test_forms_lists_and_ranges(text, expected):
    assert targets(text, law_key="x") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("efter stk. 3, nr. 1", ["serviceloven § 83, stk. 3, nr. 1"]),
        ("efter nr. 1", ["serviceloven § 83, stk. 2, nr. 1"]),
        ("Stk. 3 finder anvendelse", ["serviceloven § 83, stk. 3"]),
        ("jf. dog stk. 4", ["serviceloven § 83, stk. 4"]),
        ("efter stk. 2-4", ["serviceloven § 83, stk. 2", "serviceloven § 83, stk. 3", "serviceloven § 83, stk. 4"]),
        ("efter 1. pkt.", ["serviceloven § 83, stk. 2, 1. pkt."]),
    ],
)
def test_relative_references_resolve_against_the_context(text, expected):
    assert targets(text, context=CONTEXT) == expected


def test_relative_reference_without_context_is_kept_and_reported():
    [found] = find_citations("efter stk. 3")
    assert found.targets == [Target(stk="3")]
    assert found.certainty == "unresolved" and "relativ henvisning uden kontekst" in found.notes


@pytest.mark.parametrize(
    ("text", "law", "document"),
    [
        ("§ 3 i lov om social service", "serviceloven", None),
        ("§ 3 i lov nr. 1500 af 23. december 2014", None, "https://www.retsinformation.dk/eli/lta/2014/1500"),
        ("§ 3 i lov om social service, jf. lovbekendtgørelse nr. 1284 af 17. november 2015", "serviceloven",
         "https://www.retsinformation.dk/eli/lta/2015/1284"),
        ("§ 3 i bekendtgørelse nr. 208 af 15. marts 2011", None, "https://www.retsinformation.dk/eli/lta/2011/208"),
        ("servicelovens § 3", "serviceloven", None),
        ("konkurslovens § 3", "konkursloven", None),
        ("lovens § 3", "egen", None),
        ("§ 3 i denne lov", "egen", None),
        ("§ 3 i dagtilbudsloven", "dagtilbudsloven", None),
    ],
)
def test_which_law(text, law, document):
    [found] = find_citations(text, law_key="egen")
    assert [(t.law, t.document, t.paragraf) for t in found.targets] == [(law, document, "3")]
    assert found.text == text


def test_same_law_means_the_law_named_before():
    found = find_citations("servicelovens § 83 og samme lovs § 84", law_key="egen")
    assert [str(t) for f in found for t in f.targets] == ["serviceloven § 83", "serviceloven § 84"]


def test_unknown_law_is_kept_with_its_text():
    [found] = find_citations("§ 35, stk. 5, i lov om naturgasforsyning", law_key="egen")
    assert found.targets == [Target(paragraf="35", stk="5")]
    assert found.law_text == "lov om naturgasforsyning" and found.certainty == "unresolved"


def test_documents_named_alone_are_citations():
    [found] = find_citations("Herved bekendtgøres lov om opkrævning af skatter og afgifter m.v. (opkrævningsloven), "
                             "jf. lovbekendtgørelse nr. 569 af 28. maj 2014, med de ændringer")
    assert found.targets == [Target(law="opkraevningsloven", document="https://www.retsinformation.dk/eli/lta/2014/569")]


def test_published_characters_and_offsets():
    text = "efter service\u00adlovens §\u00a083,\nstk.\u00a01\u200d og mere"
    [found] = find_citations(text)
    assert found.targets == [Target(law="serviceloven", paragraf="83", stk="1")]
    assert text[found.start:found.end] == found.text == "service\u00adlovens §\u00a083,\nstk.\u00a01"


def test_numbers_that_are_not_provisions():
    assert find_citations("forordning (EU) nr. 1234/2013 og j.nr. 2012-709-0099") == []
    assert targets("efter stk. 2 og 3 uger efter", law_key="x", context=CONTEXT) == ["x § 83, stk. 2"]


def test_json_form():
    [found] = find_citations("§ 16 b", law_key="x")
    assert isinstance(found, FoundCitation)
    assert found.to_json()["targets"] == [{"law": "x", "document": None, "kapitel": None, "paragraf": "16 b", "stk": None,
                                           "nr": None, "litra": None, "pkt": None, "afsnit": None, "bilag": None}]
