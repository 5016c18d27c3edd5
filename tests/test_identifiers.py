"""Identifiers are deterministic, readable and survive consolidation."""

import pytest

from graph.identifiers import (
    Step, canonical_document_iri, document_iri, format_steps, path_segments, provision_iri,
    sort_key, steps_from_segments, version_subdivision_iri, work_iri,
)

STEPS = (Step("paragraf", "16 b"), Step("stk", "2"), Step("nr", "3"))


def test_document_iri_is_the_official_eli():
    assert str(document_iri(2021, 880)) == "https://www.retsinformation.dk/eli/lta/2021/880"


@pytest.mark.parametrize("variant", [
    "http://retsinformation.dk/eli/lta/2021/880",
    "https://retsinformation.dk/eli/lta/2021/880/",
    "https://www.retsinformation.dk/eli/lta/2021/880",
])
def test_host_variants_canonicalise_to_one_form(variant):
    assert canonical_document_iri(variant) == document_iri(2021, 880)


def test_non_eli_is_refused_with_the_expected_form():
    with pytest.raises(ValueError, match="eli/lta/YEAR/NUMBER"):
        canonical_document_iri("https://example.org/law/1")


def test_provision_path_is_readable_and_reversible():
    assert path_segments(STEPS) == "par_16b/stk_2/nr_3"
    assert steps_from_segments("par_16b/stk_2/nr_3") == STEPS


def test_same_provision_in_two_consolidations_shares_its_work_identity():
    first = version_subdivision_iri("https://www.retsinformation.dk/eli/lta/2015/1284", STEPS)
    second = version_subdivision_iri("https://www.retsinformation.dk/eli/lta/2018/1114", STEPS)
    assert first != second
    assert str(provision_iri("serviceloven", STEPS)).endswith("/work/serviceloven/par_16b/stk_2/nr_3")


def test_chapter_is_not_part_of_a_paragraph_identity_but_names_a_chapter():
    assert path_segments((Step("kapitel", "4"), Step("paragraf", "7"))) == "par_7"
    assert path_segments((Step("kapitel", "4"),)) == "kap_4"


def test_printed_form():
    assert format_steps(STEPS) == "§ 16 b, stk. 2, nr. 3"
    assert format_steps((Step("paragraf", "3"), Step("stk", "1"), Step("pkt", "2"))) == "§ 3, stk. 1, 2. pkt."
    assert format_steps((Step("kapitel", "4"),)) == "kapitel 4"


def test_sort_key_orders_numbers_and_letters_like_a_lawyer():
    keys = [sort_key((Step("paragraf", n),)) for n in ("2", "10", "10 a", "9")]
    assert sorted(keys) == [keys[0], keys[3], keys[1], keys[2]]


@pytest.mark.parametrize("kind,number", [("paragraf", "16B"), ("stk", "two"), ("nr", ""), ("klausul", "1")])
def test_bad_steps_are_refused(kind, number):
    with pytest.raises(ValueError):
        Step(kind, number)


def test_base_is_configurable(monkeypatch):
    monkeypatch.setenv("REGELGRAF_BASE", "https://data.example.dk/regler")
    assert str(work_iri("serviceloven")) == "https://data.example.dk/regler/work/serviceloven"
