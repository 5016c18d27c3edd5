"""Free-text search in the library and through `regelgraf search`, on the shipped data."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.store import open_store
from graph.textsearch import FIELDS, find_text, search_query

NR_3 = "https://regelgraf.dk/id/work/serviceloven/par_83/stk_1/nr_3"


def built(location):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["--store", str(location), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return location


@pytest.fixture(scope="module")
def store(tmp_path_factory):  # type: ignore[no-untyped-def]
    store = open_store("oxigraph", location=built(tmp_path_factory.mktemp("search") / "store"))
    yield store
    store.close()


def test_every_word_must_be_found_and_case_does_not_matter(store):
    hits, truncated = find_text(store, "MADSERVICE")
    assert NR_3 in [h.iri for h in hits] and not truncated
    assert NR_3 not in [h.iri for h in find_text(store, "madservice hegnspæl-der-ikke-findes")[0]]


def test_better_fields_come_first(store):
    hits, _ = find_text(store, "serviceloven 79")
    ranks = [h.rank for h in hits]
    assert ranks == sorted(ranks) and hits[0].fields[0] == "citation"
    assert all(f in FIELDS for h in hits for f in h.fields)


def test_the_limit_cuts_and_says_so(store):
    hits, truncated = find_text(store, "serviceloven", limit=3)
    assert len(hits) == 3 and truncated


def test_words_are_bound_never_spliced(store):
    assert "serviceloven" not in search_query(2) and "?w1" in search_query(2)
    hits, _ = find_text(store, '") } DROP ALL #')
    assert hits == []


def test_the_cli_prints_hits_as_table_and_json(tmp_path):
    store_dir = built(tmp_path / "store")  # its own store: the module's is held open above
    runner = CliRunner()
    table = runner.invoke(cli, ["--store", str(store_dir), "search", "madservice"], catch_exceptions=False)
    assert table.exit_code == 0 and NR_3 in table.output
    answer = json.loads(runner.invoke(cli, ["--store", str(store_dir), "search", "madservice", "--format", "json"],
                                      catch_exceptions=False).output)
    assert NR_3 in [h["iri"] for h in answer["hits"]] and answer["truncated"] is False
    empty = runner.invoke(cli, ["--store", str(store_dir), "--lang", "en", "search", "zzqqxx"], catch_exceptions=False)
    assert empty.exit_code == 0 and "nothing found" in empty.output
