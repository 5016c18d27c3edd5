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


# -- resolution against a store, and the `regelgraf cite` verb ----------------------------------------

import json  # noqa: E402

from click.testing import CliRunner  # noqa: E402
from rdflib import Graph, Literal, URIRef  # noqa: E402
from rdflib.namespace import RDF  # noqa: E402

from graph.citations import Target, complete_ranges, find_citations, resolve_found, target_iris  # noqa: E402
from graph.citations.resolution import context_from  # noqa: E402
from graph.cli import cli  # noqa: E402
from graph.identifiers import document_iri, provision_iri, version_subdivision_iri, work_iri  # noqa: E402
from graph.namespaces import ELI, RG, SUBDIV  # noqa: E402
from graph.store import open_store  # noqa: E402

SERVICELOVEN_83_1 = provision_iri("serviceloven", steps(("paragraf", "83"), ("stk", "1")))
AELDRE_2 = provision_iri("velfaerdsaftaler-aeldre", steps(("paragraf", "2"),))
LBK_1284 = document_iri(2015, 1284)


def _laws() -> Graph:
    graph = Graph()
    for key, title in (("serviceloven", "Lov om social service"),
                       ("velfaerdsaftaler-aeldre", "Lov om velfærdsaftaler på ældreområdet")):
        graph.add((work_iri(key), RDF.type, RG.LawWork))
        graph.add((work_iri(key), RG.workKey, Literal(key)))
        graph.add((work_iri(key), ELI.title, Literal(title, lang="da")))
    for provision in (SERVICELOVEN_83_1, AELDRE_2):
        graph.add((provision, RDF.type, RG.Provision))
    graph.add((LBK_1284, ELI.is_member_of, work_iri("serviceloven")))
    return graph


@pytest.fixture
def law_store(tmp_path):
    store = open_store("oxigraph", location=tmp_path / "store")
    store.replace_graphs({URIRef("https://regelgraf.dk/id/graph/source/test-laws"): _laws()})
    yield store
    store.close()


def test_resolution_marks_what_the_store_holds(law_store):
    found = find_citations("efter servicelovens § 83, stk. 1 og 9")
    resolved = resolve_found(found, law_store)
    assert resolved == [str(SERVICELOVEN_83_1)] == found[0].resolved
    assert len(found[0].targets) == 2  # the unresolved target is kept, never dropped


def test_resolution_completes_laws_only_the_store_knows(law_store):
    found = find_citations("§ 2 i lov om velfærdsaftaler på ældreområdet og § 83, stk. 1, i lovbekendtgørelse nr. 1284 "
                           "af 17. november 2015")
    assert [t.law for f in found for t in f.targets] == [None, None]
    assert found[0].certainty == "unresolved"
    resolve_found(found, law_store)
    assert [f.resolved for f in found] == [[str(AELDRE_2)], [str(SERVICELOVEN_83_1)]]
    assert found[0].certainty == "certain" and found[0].targets[0].law == "velfaerdsaftaler-aeldre"


def test_target_iris():
    assert target_iris(Target(law="serviceloven", paragraf="83", stk="1")) == [SERVICELOVEN_83_1]
    assert target_iris(Target(document=str(LBK_1284), paragraf="83")) == [
        version_subdivision_iri(str(LBK_1284), steps(("paragraf", "83"),))]
    assert target_iris(Target(law="serviceloven")) == [work_iri("serviceloven")]
    assert target_iris(Target(document=str(LBK_1284))) == [LBK_1284]
    assert target_iris(Target(paragraf="83")) == []


def test_context_from_citations_and_iris():
    assert context_from("serviceloven § 83, stk. 2").law_key == "serviceloven"
    work_context = context_from(str(SERVICELOVEN_83_1))
    assert (work_context.law_key, work_context.citation.steps) == ("serviceloven", steps(("paragraf", "83"), ("stk", "1")))
    version = context_from(str(version_subdivision_iri(str(LBK_1284), steps(("paragraf", "5"),))))
    assert version.document == str(LBK_1284) and version.citation.steps == steps(("paragraf", "5"),)
    assert context_from("https://retsinformation.dk/eli/lta/2015/1284").document == str(LBK_1284)
    with pytest.raises(ValueError):
        context_from("https://example.org/not/a/provision")


def test_cite_json(tmp_path, law_store):
    law_store.close()
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "store"), "cite", "--format", "json",
                                      "Efter servicelovens §\u00a083, stk. 1, og § 16 b i dagtilbudsloven"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert [f["text"] for f in found] == ["servicelovens §\u00a083, stk. 1", "§ 16 b i dagtilbudsloven"]
    first = found[0]
    assert set(first) >= {"text", "start", "end", "targets", "resolved"}
    assert first["targets"][0] == {"law": "serviceloven", "document": None, "kapitel": None, "paragraf": "83",
                                   "stk": "1", "nr": None, "litra": None, "pkt": None, "afsnit": None, "bilag": None}
    assert first["resolved"] == [str(SERVICELOVEN_83_1)]
    assert found[1]["targets"][0]["paragraf"] == "16 b" and found[1]["resolved"] == []


def test_cite_with_context_and_table():
    runner = CliRunner()
    result = runner.invoke(cli, ["--backend", "memory", "cite", "--context", "serviceloven § 83, stk. 2",
                                 "--format", "json", "Stk. 3 finder anvendelse, jf. dog stk. 4"])
    assert result.exit_code == 0, result.output
    assert [(t["paragraf"], t["stk"]) for f in json.loads(result.output) for t in f["targets"]] == [("83", "3"), ("83", "4")]
    table = runner.invoke(cli, ["--backend", "memory", "cite", "--no-resolve", "efter stk. 3, og efter § 5"])
    assert table.exit_code == 0
    assert "tekst" in table.output and "relativ henvisning uden kontekst" in table.output
    assert "(2 henvisninger)" in table.output
    stdin = runner.invoke(cli, ["--backend", "memory", "--lang", "en", "cite", "--no-resolve", "-"], input="§ 3\n")
    assert "(1 citation)" in stdin.output


def test_cite_refuses_a_context_it_cannot_read():
    result = CliRunner().invoke(cli, ["--backend", "memory", "cite", "--context", "serviceloven §§ 1-3", "§ 2"])
    assert result.exit_code == 2
    assert "--context" in result.output and "flere bestemmelser" in result.output
    result = CliRunner().invoke(cli, ["--backend", "memory", "cite", "--context", "https://example.org/x", "§ 2"])
    assert result.exit_code == 2 and "--context" in result.output


def test_ranges_gain_the_lettered_provisions_the_store_holds(tmp_path):
    graph = _laws()
    for number in ("64", "65", "65 a", "66", "67"):
        provision = provision_iri("serviceloven", steps(("paragraf", number),))
        graph.add((provision, RDF.type, RG.Provision))
        graph.add((provision, ELI.is_part_of, work_iri("serviceloven")))
        graph.add((provision, ELI.type_subdivision, SUBDIV.paragraf))
        graph.add((provision, ELI.number, Literal(number)))
    store = open_store("oxigraph", location=tmp_path / "store")
    store.replace_graphs({URIRef("https://regelgraf.dk/id/graph/source/test-laws"): graph})
    try:
        [found] = find_citations("servicelovens §§ 64-66")
        assert [t.paragraf for t in found.targets] == ["64", "65", "66"]
        resolve_found(found, store)
        assert [t.paragraf for t in found.targets] == ["64", "65", "65 a", "66"]
        assert len(found.resolved) == 4
    finally:
        store.close()


def test_complete_ranges_keeps_order_and_the_targets_outside_the_range():
    [found] = find_citations("§ 2 og §§ 10-12, stk. 1-2", law_key="k")
    law = {("paragraf", None): ["9", "10", "10 a", "11", "12", "12 a"], ("stk", "12"): ["1", "1 a", "2", "3"]}
    added = complete_ranges(found, lambda parent, level: law.get((level, parent.paragraf), []))
    assert added == 2
    assert [str(t) for t in found.targets] == ["k § 2", "k § 10", "k § 10 a", "k § 11", "k § 12, stk. 1", "k § 12, stk. 1 a",
                                               "k § 12, stk. 2"]
