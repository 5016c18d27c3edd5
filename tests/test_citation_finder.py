"""Finding citations in running text: forms, lists, ranges, relative references, laws, published text."""

import re
import re._parser as sre
import tarfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from graph.citations import Citation, FoundCitation, Target, find_citations, finder, grammar, laws
from graph.citations import text as text_module
from graph.citations.evaluation import evaluate, load_labelled
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


def test_amendment_instructions_resolve_against_the_amended_place():
    found = find_citations("I § 32, stk. 1, 3. pkt., ændres », jf. stk. 6-8.« til: », jf. § 32 a.«",
                           law_key="serviceloven", amendment=True)
    assert [str(t) for f in found for t in f.targets] == [
        "serviceloven § 32, stk. 1, 3. pkt.", "serviceloven § 32, stk. 6", "serviceloven § 32, stk. 7",
        "serviceloven § 32, stk. 8", "serviceloven § 32 a"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "jf. stk. 1" after one § refines that §; "jf. dog" is an exception to where the text stands.
        ("§ 35, stk. 5, jf. stk. 1, i lov om planlægning", ["planloven § 35, stk. 5", "planloven § 35, stk. 1"]),
        ("efter § 16 a, stk. 1, jf. dog stk. 2", ["x § 16 a, stk. 1", "x § 83, stk. 2"]),
        ("efter §§ 152-153, jf. stk. 1", ["x § 152", "x § 153", "x § 83, stk. 1"]),
    ],
)
def test_jf_references(text, expected):
    assert targets(text, law_key="x", context=Citation("x", (Step("paragraf", "83"), Step("stk", "3")))) == expected


def test_a_heading_opening_the_text_is_not_a_reference():
    assert find_citations("Stk. 1.\n   Loven træder i kraft den 1. januar 2007.", law_key="x") == []
    assert targets("Stk. 2, 3. pkt., finder anvendelse.", law_key="x", context=CONTEXT) == ["x § 83, stk. 2, 3. pkt."]


@pytest.mark.parametrize(
    ("text", "law", "document"),
    [
        ("§§ 5 og 6 i den hidtil gældende lov om udlægning af åndssvageforsorgen", None, None),
        ("§ 5 i den hidtil gældende lov om social service", "serviceloven", None),
        ("§ 7 i lov nr. 487 af. 12. juni 1996", None, None),
        ("§ 1, stk. 1, i lov om taxikørsel", "taxiloven", None),
    ],
)
def test_other_laws_are_never_taken_for_the_own_law(text, law, document):
    found = find_citations(text, law_key="egen")
    assert found and all((t.law, t.document) == (law, document) for f in found for t in f.targets)


def test_document_with_title_and_popular_name():
    [found] = find_citations("Herved bekendtgøres lov nr. 522 af 6. juni 2007 om forældelse af fordringer "
                             "(forældelsesloven) med de ændringer")
    assert found.targets == [Target(law="foraeldelsesloven", document="https://www.retsinformation.dk/eli/lta/2007/522")]
    assert found.text.endswith("(forældelsesloven)")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("§§ 69 b-e", ["x § 69 b", "x § 69 c", "x § 69 d", "x § 69 e"]),
        ("§§ 10-12 a", ["x § 10", "x § 11", "x § 12", "x § 12 a"]),
        ("§§ 3 b-5", ["x § 3 b", "x § 4", "x § 5"]),
        ("§ 11, stk. 1, litra a-c", ["x § 11, stk. 1, litra a", "x § 11, stk. 1, litra b", "x § 11, stk. 1, litra c"]),
        ("afsnit II-IV", ["x afsnit II", "x afsnit III", "x afsnit IV"]),
        ("kapitel I og II", ["x kapitel I", "x kapitel II"]),
        ("§§ 9-3", ["x § 9", "x § 3"]),
        ("§§ 1-99999", ["x § 1", "x § 99999"]),
        ("§ 33 D eller § 46 A-skat", ["x § 33 d", "x § 46"]),
    ],
)
def test_range_expansion(text, expected):
    assert targets(text, law_key="x") == expected


def test_unexpanded_ranges_and_ff_are_noted():
    [found] = find_citations("§§ 9-3", law_key="x")
    assert found.certainty == "inferred" and any("interval" in n for n in found.notes)
    [found] = find_citations("§ 10 ff.", law_key="x")
    assert found.text == "§ 10 ff." and found.certainty == "inferred"


# -- properties: nothing crashes, everything found is where it says, formatting round-trips ----------

_PIECES = st.sampled_from([
    "§", "§§", " ", "\u00a0", "\u00ad", "\u200d", "\n", "stk.", "Stk.", "nr.", "litra", "pkt.", "kapitel", "afsnit",
    "bilag", "1", "2", "16", "57", "999999", "a", "b", "c", "B", "I", "II", "og", "eller", ",", ".", "-", "–", "jf.",
    "dog", "i", "lov", "om", "social", "service", "servicelovens", "lovens", "denne", "samme", "lovs", "nr. 1500",
    "af", "23.", "december", "2014", "ff.", "f.", "»", "«", "(", ")", "/", "lovbekendtgørelse", "den hidtil gældende",
])
_TEXTS = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=80).map("".join))


@given(text=_TEXTS, amendment=st.booleans(), with_context=st.booleans())
@settings(max_examples=400, deadline=None)
def test_no_text_crashes_the_finder_and_every_find_is_where_it_says(text, amendment, with_context):
    found = find_citations(text, law_key="x", context=CONTEXT if with_context else None, amendment=amendment)
    previous_end = 0
    for citation in found:
        assert previous_end <= citation.start < citation.end <= len(text)
        assert text[citation.start:citation.end] == citation.text
        assert citation.targets and citation.certainty in ("certain", "inferred", "unresolved")
        for target in citation.targets:
            target.steps()  # every number is in Danish form (Step validates it)
        previous_end = citation.end


_LAWS = st.sampled_from([
    ("servicelovens ", "", "serviceloven", None),
    ("", " i lov om social service", "serviceloven", None),
    ("konkurslovens ", "", "konkursloven", None),
    ("", " i lov nr. 1500 af 23. december 2014", None, "https://www.retsinformation.dk/eli/lta/2014/1500"),
    ("", " i denne lov", "x", None),
    ("", "", "x", None),
])
_SPACES = st.sampled_from([" ", "\u00a0", "\n"])


@st.composite
def _citations(draw):  # type: ignore[no-untyped-def]
    before, after, law, document = draw(_LAWS)
    number = f"{draw(st.integers(1, 300))}{draw(st.sampled_from(['', ' a', ' b', 'c']))}"
    space = draw(_SPACES)
    text = f"§{space}{number}"
    path = {"paragraf": number if " " in number or number.isdigit() else number[:-1] + " " + number[-1]}
    stks = draw(st.lists(st.integers(1, 12), min_size=0, max_size=2, unique=True))
    leaves = [dict(path)]
    if stks:
        text += ", stk." + draw(_SPACES) + " og ".join(map(str, stks))
        leaves = [{**path, "stk": str(s)} for s in stks]
        if len(stks) == 1:
            if draw(st.booleans()):
                nr = draw(st.integers(1, 20))
                text += f", nr. {nr}"
                leaves = [{**leaves[0], "nr": str(nr)}]
                if draw(st.booleans()):
                    litra = draw(st.sampled_from("abcdefg"))
                    text += f", litra {litra}"
                    leaves = [{**leaves[0], "litra": litra}]
            if draw(st.booleans()):
                pkt = draw(st.integers(1, 5))
                text += f", {pkt}. pkt."
                leaves = [{**leaves[0], "pkt": str(pkt)}]
    soft = draw(st.booleans())
    before = before.replace("lovens", "\u00adlovens") if soft else before
    return before + text + after, [Target(law=law, document=document, **leaf) for leaf in leaves]


@given(citation=_citations())
@settings(max_examples=300, deadline=None)
def test_a_formatted_citation_is_found_with_the_same_targets(citation):
    text, expected = citation
    sentence = f"Efter {text} kan kommunen træffe afgørelse."
    found = find_citations(sentence, law_key="x")
    assert len(found) == 1
    assert found[0].targets == expected
    assert found[0].text == text


# -- linear time: steps counted, not timed; no regex with nested unbounded repetition ----------------

ADVERSARIAL = {
    "list without end": "§§ 1, " + "2, " * 300,
    "ordinals without pkt.": "stk. 1, " + "2., " * 300,
    "keywords without numbers": "stk. nr. litra § " * 100,
    "jf. chains": "§ 1, stk. 2, jf. stk. 3, " * 60,
    "one § with jf. chains": "§ 1, stk. 2" + ", jf. stk. 3" * 200,
    "whitespace runs": ("§ 1" + " " * 300) * 5,
    "law names": "servicelovens § 1 i lov om social service, jf. lovbekendtgørelse nr. 1 af 1. januar 2000 " * 20,
    "long words": "a" * 3000 + " § 1",
}


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_steps_grow_linearly_with_the_input(name, monkeypatch):
    counted = [0]
    real = grammar.next_token

    def counting(text, position):  # type: ignore[no-untyped-def]
        counted[0] += 1
        return real(text, position)

    monkeypatch.setattr(grammar, "next_token", counting)
    steps = []
    for factor in (1, 10):
        counted[0] = 0
        find_citations(ADVERSARIAL[name] * factor, law_key="x")
        steps.append(counted[0])
    assert steps[1] <= 10.5 * steps[0] + 50, steps


def _nested_unbounded(pattern: str) -> list[str]:
    """Repetitions without an upper bound that contain another one — the shape of catastrophic backtracking."""
    problems: list[str] = []

    def walk(items, inside_unbounded: bool) -> None:  # type: ignore[no-untyped-def]
        for op, av in items:
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
                low, high, sub = av
                unbounded = high == sre.MAXREPEAT
                if unbounded and inside_unbounded:
                    problems.append(pattern)
                walk(sub, inside_unbounded or unbounded)
            elif op == sre.SUBPATTERN:
                walk(av[3], inside_unbounded)
            elif op == sre.BRANCH:
                for branch in av[1]:
                    walk(branch, inside_unbounded)
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                walk(av[1], inside_unbounded)

    walk(sre.parse(pattern), False)
    return problems


def test_no_regex_of_the_finder_nests_unbounded_repetitions():
    modules = (grammar, finder, laws, text_module)
    patterns = [value.pattern for module in modules for value in vars(module).values() if isinstance(value, re.Pattern)]
    patterns += [pattern.pattern for entries in laws._builtin_titles().values() for pattern, _ in entries]
    assert len(patterns) > 20
    assert [p for p in patterns if _nested_unbounded(p)] == []
    assert _nested_unbounded(r"(a+)+b") and _nested_unbounded(r"(?:\s*x)*")  # the check itself works


# -- measured quality on the labelled set of real citations -------------------------------------------

LABELLED = Path(__file__).parent / "fixtures" / "citations" / "labelled.yaml"


def test_labelled_set_is_large_and_varied_enough():
    excerpts = load_labelled(LABELLED)
    assert sum(len(e.citations) for e in excerpts) >= 150
    assert len({e.doc for e in excerpts}) >= 10
    hard = [e.text for e in excerpts]
    assert any("\u00a0" in t for t in hard) and any("\u00ad" in t for t in hard) and any("\u200d" in t for t in hard)
    assert any(re.search(r"(§§|stk\.)\s*\n", t) for t in hard)  # a line break inside a citation


def test_precision_and_recall_on_the_labelled_set():
    excerpts = load_labelled(LABELLED)
    result = evaluate(excerpts)
    assert result.precision >= 0.98, result.differences
    assert result.recall >= 0.95, result.differences
    # The parts labelled after development (see the file's header) guard against overfitting; their
    # misses are mostly lettered §§ inside ranges, which cannot be known without the law.
    for part in ("holdout", "holdout2"):
        measured = evaluate([e for e in excerpts if e.part == part])
        assert measured.citations >= 80
        assert measured.precision >= 0.95 and measured.recall >= 0.93, (part, measured.differences)


def test_evaluation_counts_what_is_missing_and_what_is_extra():
    [excerpt] = [e for e in load_labelled(LABELLED) if e.at == "§ 17, stk. 3"]

    def forgetful(text, **kwargs):  # type: ignore[no-untyped-def]
        found = find_citations(text, **kwargs)
        found[0].targets = found[0].targets[1:] + [Target(law="x", paragraf="1")]
        return found

    result = evaluate([excerpt], finder=forgetful)
    assert (result.false_negatives, result.false_positives) == (1, 1)
    assert result.precision < 1 and result.recall < 1


@pytest.mark.slow
def test_labelled_texts_are_in_the_corpus_as_published(shared_dir):
    archive = shared_dir / "corpus" / "lexdania-lta-2010-2017.tar.xz"
    if not archive.exists():
        pytest.skip(f"{archive} not found")
    excerpts = load_labelled(LABELLED)
    wanted = {e.doc.removeprefix("love/") for e in excerpts}
    contents: dict[str, str] = {}
    with tarfile.open(archive, "r|*") as tar:
        for member in tar:
            name = member.name.split("love/", 1)[-1]
            if name in wanted:
                data = tar.extractfile(member).read()  # type: ignore[union-attr]
                root = etree.fromstring(data.removeprefix(b"\xef\xbb\xbf"))
                contents[name] = "\x00".join("".join(x.itertext()).strip() for x in root.iter("Exitus"))
    assert set(contents) == wanted
    for excerpt in excerpts:
        assert excerpt.text in contents[excerpt.doc.removeprefix("love/")], (excerpt.doc, excerpt.at)
