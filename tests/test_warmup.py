"""A starting server builds the impact and law indexes beside it, once."""

from __future__ import annotations

import threading
import time

import pytest

import graph.impact.index as index_module
from click.testing import CliRunner

from graph.cli import cli
from graph.impact import clear_cache, impact
from graph.store import open_store
from graph.warmup import warm, warm_in_background


@pytest.fixture(scope="module")
def store(tmp_path_factory):  # type: ignore[no-untyped-def]
    location = tmp_path_factory.mktemp("warmup") / "store"
    result = CliRunner().invoke(cli, ["--store", str(location), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    store = open_store("oxigraph", location=location)
    yield store
    store.close()


def test_after_warming_an_impact_question_builds_nothing(store, monkeypatch):
    clear_cache(store)
    took = warm(store)
    assert set(took) == {"law_index", "impact_index"}

    def refuse(_store):  # type: ignore[no-untyped-def]
        raise AssertionError("the index was built again")

    monkeypatch.setattr(index_module, "build_index", refuse)
    assert len(impact(store, "serviceloven § 79 a").nodes) > 1


def test_concurrent_first_questions_share_one_build(store, monkeypatch):
    clear_cache(store)
    real, builds = index_module.build_index, []

    def slow(the_store):  # type: ignore[no-untyped-def]
        builds.append(1)
        time.sleep(0.5)
        return real(the_store)

    monkeypatch.setattr(index_module, "build_index", slow)
    warming = warm_in_background(store)
    asked = [threading.Thread(target=impact, args=(store, "serviceloven § 79 a")) for _ in range(3)]
    for thread in asked:
        thread.start()
    for thread in (warming, *asked):
        thread.join(30)
    assert len(builds) == 1
