"""The user guides (docs/guide-da.md, docs/guide-en.md): twins of each other, their pictures exist
and stay small, and every SPARQL example and command in them works on the shipped data."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GUIDES = {"da": REPO / "docs" / "guide-da.md", "en": REPO / "docs" / "guide-en.md"}
MAX_BYTES = 200_000


def images(lang: str) -> list[str]:
    return re.findall(r"!\[[^\]]*\]\((img/[^)]+)\)", GUIDES[lang].read_text(encoding="utf-8"))


def blocks(lang: str, kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", GUIDES[lang].read_text(encoding="utf-8"), re.S)


def test_the_guides_are_twins():
    da, en = (GUIDES[lang].read_text(encoding="utf-8") for lang in ("da", "en"))
    assert len(re.findall(r"^#+ ", da, re.M)) == len(re.findall(r"^#+ ", en, re.M))
    assert [i.replace("-da.", ".") for i in images("da")] == [i.replace("-en.", ".") for i in images("en")]
    assert blocks("da", "sparql") and [len(b.splitlines()) for b in blocks("da", "sparql")] == [len(b.splitlines()) for b in blocks("en", "sparql")]
    assert "guide-en.md" in da and "guide-da.md" in en


@pytest.mark.parametrize("lang", GUIDES)
def test_every_picture_exists_and_is_small(lang):
    assert images(lang), f"{GUIDES[lang].name} shows no screenshots"
    for name in images(lang):
        path = GUIDES[lang].parent / name
        assert path.is_file(), f"{GUIDES[lang].name}: {name} is missing; run `python -m tests.screenshots`"
        assert path.stat().st_size <= MAX_BYTES, f"{name} is {path.stat().st_size} bytes"


@pytest.fixture(scope="module")
def shipped_client():
    from screenshots import shipped_app

    return shipped_app().test_client()


@pytest.mark.parametrize("lang", GUIDES)
def test_every_sparql_example_finds_something_on_the_shipped_data(shipped_client, lang):
    for text in blocks(lang, "sparql"):
        response = shipped_client.post("/sparql", data={"query": text}, headers={"Accept": "application/sparql-results+json"})
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.get_json()["results"]["bindings"], f"no rows for:\n{text}"


@pytest.mark.parametrize("lang", GUIDES)
def test_the_curl_example_asks_the_endpoint_correctly(shipped_client, lang):
    (command,) = [line for block in blocks(lang, "sh") for line in block.splitlines() if line.startswith("curl")]
    words = shlex.split(command)
    accept = words[words.index("-H") + 1].split(": ", 1)[1]
    query = words[words.index("--data-urlencode") + 1].removeprefix("query=")
    assert words[-1] == "http://127.0.0.1:5000/sparql"
    response = shipped_client.post("/sparql", data={"query": query}, headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert len(response.get_data(as_text=True).splitlines()) == 1 + 7  # a header and the seven agreements


@pytest.mark.parametrize("lang", GUIDES)
def test_the_impact_command_runs_on_the_shipped_data(lang, tmp_path):
    import networkx as nx
    from click.testing import CliRunner

    from graph.cli import cli

    (command,) = [line for block in blocks(lang, "sh") for line in block.splitlines() if line.startswith("regelgraf impact")]
    args = shlex.split(command)[1:]
    output = tmp_path / args[args.index("-o") + 1]
    args[args.index("-o") + 1] = str(output)
    store = ["--store", str(tmp_path / "store")]
    runner = CliRunner()
    assert runner.invoke(cli, [*store, "build"]).exit_code == 0
    result = runner.invoke(cli, [*store, *args])
    assert result.exit_code == 0, result.output
    assert nx.read_gexf(output).number_of_nodes() > 5
