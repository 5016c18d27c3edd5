"""Danish citations: the canonical forms parse to the right steps; everything else is refused clearly."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graph.citations import Citation, CitationError, LawIndex, law_name_variants, normalise_text, parse_citation
from graph.identifiers import Step, format_steps


def steps(*pairs: tuple[str, str]) -> tuple[Step, ...]:
    return tuple(Step(kind, number) for kind, number in pairs)


@pytest.mark.parametrize(
    ("text", "law", "expected"),
    [
        ("serviceloven § 83, stk. 1, nr. 3", "serviceloven", steps(("paragraf", "83"), ("stk", "1"), ("nr", "3"))),
        ("dagtilbudsloven § 3 a, stk. 2", "dagtilbudsloven", steps(("paragraf", "3 a"), ("stk", "2"))),
        ("dagtilbudsloven § 16b", "dagtilbudsloven", steps(("paragraf", "16 b"),)),
        ("serviceloven§79a", "serviceloven", steps(("paragraf", "79 a"),)),
        ("dagtilbudsloven § 16 B", "dagtilbudsloven", steps(("paragraf", "16 b"),)),
        ("servicelovens § 83", "servicelovens", steps(("paragraf", "83"),)),
        ("lov om velfærdsaftaler på ældreområdet kapitel 4", "lov om velfærdsaftaler på ældreområdet", steps(("kapitel", "4"),)),
        ("folkeskoleloven kap. 2", "folkeskoleloven", steps(("kapitel", "2"),)),
        ("lov x § 2, nr. 1, litra b", "lov x", steps(("paragraf", "2"), ("nr", "1"), ("litra", "b"))),
        ("lov x § 9, stk. 3, 2. pkt.", "lov x", steps(("paragraf", "9"), ("stk", "3"), ("pkt", "2"))),
        ("lov x kapitel 4, § 7", "lov x", steps(("kapitel", "4"), ("paragraf", "7"))),
        ("lov x afsnit II", "lov x", steps(("afsnit", "II"),)),
        ("lov x bilag 1", "lov x", steps(("bilag", "1"),)),
        ("§ 2, stk. 4, i lov nr. 2594 af 28. december 2021", "lov nr. 2594 af 28. december 2021", steps(("paragraf", "2"), ("stk", "4"))),
        ("§ 83 i serviceloven", "serviceloven", steps(("paragraf", "83"),)),
        ("lov nr. 880 af 12. maj 2021 § 2, nr. 1", "lov nr. 880 af 12. maj 2021", steps(("paragraf", "2"), ("nr", "1"))),
        ("§ 3 a, stk. 2", None, steps(("paragraf", "3 a"), ("stk", "2"))),
        ("kapitel 5", None, steps(("kapitel", "5"),)),
        ("serviceloven § 83 stk. 1", "serviceloven", steps(("paragraf", "83"), ("stk", "1"))),
        ("Serviceloven § 83, Stk. 1, Nr. 3", "Serviceloven", steps(("paragraf", "83"), ("stk", "1"), ("nr", "3"))),
    ],
)
def test_canonical_forms(text, law, expected):
    citation = parse_citation(text)
    assert citation == Citation(law, expected)


def test_published_text_characters_do_not_matter():
    # Retsinformation writes U+00A0 after § and stk., and soft hyphens / zero-width joiners in words.
    text = "service\u00adloven\u200d §\u00a083, stk.\u00a01,  nr.\u202f3"
    assert parse_citation(text) == parse_citation("serviceloven § 83, stk. 1, nr. 3")


def test_str_is_the_canonical_form():
    assert str(parse_citation("serviceloven  §83 ,stk.1 , nr.3")) == "serviceloven § 83, stk. 1, nr. 3"
    assert str(parse_citation("§ 83 i serviceloven")) == "serviceloven § 83"
    assert parse_citation("§ 16b").path_text() == "§ 16 b"


@pytest.mark.parametrize(
    ("text", "message_part", "fix_part"),
    [
        ("", "tom henvisning", "serviceloven § 83"),
        ("serviceloven", "hverken § eller kapitel", "lovens navn efterfulgt af stedet"),
        ("stk. 2", "hverken § eller kapitel", "lovens navn"),
        ("serviceloven §§ 91-93", "flere bestemmelser", "én henvisning pr. bestemmelse"),
        ("serviceloven § 91-93", "flere bestemmelser", "én henvisning pr. bestemmelse"),
        ("serviceloven § 83, stk. 1-3", "flere bestemmelser", "én henvisning pr. bestemmelse"),
        ("serviceloven § 83 og § 84", "kan ikke læse »og § 84«", "opremsninger"),
        ("serviceloven § 83, nr. 1, stk. 2", "»stk« kan ikke stå efter »nr«", "rækkefølgen"),
        ("serviceloven § x", "forventede §, stk., nr., litra, pkt. eller kapitel", "§ 83, stk. 1, nr. 3"),
        ("serviceloven § 83, litra 7", "forventede", "kapitel 4"),
        ("serviceloven § 83 i dagtilbudsloven", "både før og efter", "nævn loven én gang"),
    ],
)
def test_unreadable_text_is_refused_with_a_fix(text, message_part, fix_part):
    with pytest.raises(CitationError) as caught:
        parse_citation(text)
    error = caught.value
    assert message_part in error.message
    assert fix_part in error.fix
    assert error.message_en and error.fix_en and error.render("en") != error.render("da")


def test_error_offset_points_at_the_problem():
    text = "serviceloven § 83, nr. 1, stk. 2"
    with pytest.raises(CitationError) as caught:
        parse_citation(text)
    assert text[caught.value.offset:].lstrip().startswith("stk. 2")


def test_normalise_text():
    assert normalise_text("  a\u00a0\u00a0b\u00ad c\n") == "a b c"


def test_law_index_is_case_insensitive_and_genitive_tolerant():
    index = LawIndex()
    index.add_all(["serviceloven", "lov om social service"], "serviceloven")
    index.add("dagtilbudsloven", "dagtilbudsloven")
    assert index.lookup("Serviceloven") == "serviceloven"
    assert index.lookup("servicelovens") == "serviceloven"
    assert index.lookup("lov om  social\u00a0service") == "serviceloven"
    assert index.lookup("folkeskoleloven") is None
    assert "dagtilbudslovens" in index
    assert index.suggestions("servicelove") == ["serviceloven"]
    assert index.add("serviceloven", "andet") == "serviceloven"  # a clash names the other law


def test_law_name_variants():
    assert law_name_variants("Servicelovens") == ["servicelovens", "serviceloven"]
    assert law_name_variants("lov x") == ["lov x"]


_LAWS = st.sampled_from(["serviceloven", "dagtilbudsloven", "lov om velfærdsaftaler på ældreområdet", "lov nr. 2594 af 28. december 2021"])
_NUMBER = st.builds(lambda n, letter: f"{n}{' ' + letter if letter else ''}", st.integers(1, 250), st.sampled_from(["", "a", "b", "c"]))


@st.composite
def _paths(draw):  # type: ignore[no-untyped-def]
    path = [Step("paragraf", draw(_NUMBER))]
    for kind, numbers in (("stk", st.integers(1, 12).map(str)), ("nr", st.integers(1, 20).map(str)),
                          ("litra", st.sampled_from("abcdefg")), ("pkt", st.integers(1, 4).map(str))):
        if draw(st.booleans()):
            path.append(Step(kind, draw(numbers)))
    return tuple(path)


@given(law=_LAWS, path=_paths(), law_first=st.booleans())
def test_formatting_then_parsing_gives_the_same_citation(law, path, law_first):
    text = f"{law} {format_steps(path)}" if law_first else f"{format_steps(path)}, i {law}"
    assert parse_citation(text) == Citation(law, path)
