"""``regelgraf import``: folders, archives, both write paths, failures and exit codes, swap recovery."""

from __future__ import annotations

import os
import re
import shutil
import tarfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from graph.cli import cli
from graph.importers.targets import recover

FIXTURES = Path(__file__).parent / "fixtures" / "importers"
GOOD, BAD = FIXTURES / "good", FIXTURES / "bad"
XML = sorted(GOOD.glob("*.xml"))


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def counts(stdout: str) -> dict[str, int]:
    """The closing summary line as numbers by their (Danish) names."""
    line = stdout.strip().splitlines()[-1]
    return {name: int(n) for n, name in re.findall(r"(\d+) ([^\d,(][^,(]*?)(?:,|$| \()", line)}


def dump(location: Path) -> set[str]:
    """Every quad of an Oxigraph store as N-Quads lines, without the import times."""
    store = ox.Store.read_only(str(location))
    lines = ox.serialize(store, format=ox.RdfFormat.N_QUADS).decode().splitlines()
    return {line for line in lines if "generatedAtTime" not in line}


def test_import_folder_by_swap_then_cite(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(GOOD, folder)
    (folder / "bek-2016-120-api.json").unlink()  # the page and the API answer are one document
    code, out, err = run("--store", str(tmp_path / "store"), "import", str(folder))
    assert code == 0, err
    summary = counts(out)
    assert summary["dokumenter"] == 5 and summary["fejl"] == 0 and summary["bestemmelser"] > 30
    assert not list(tmp_path.glob(".store.*"))  # no copy or previous store left behind
    code, out, err = run("--store", str(tmp_path / "store"), "cite", "prøvelovens § 2, stk. 2")
    assert code == 0 and "work/proeveloven/par_2/stk_2" in out


def test_transactional_and_swap_write_the_same_graphs(tmp_path: Path) -> None:
    swap, plain = tmp_path / "swap", tmp_path / "plain"
    assert run("--store", str(swap), "import", "--mode", "swap", *map(str, XML))[0] == 0
    code, out, err = run("--store", str(plain), "import", "--mode", "transactional", *map(str, XML))
    assert code == 0, err
    assert dump(swap) == dump(plain)


def test_reimport_replaces_each_graph_with_the_same_triples(tmp_path: Path) -> None:
    store = tmp_path / "store"
    for mode in ("swap", "transactional"):
        assert run("--store", str(store), "import", "--mode", mode, "--validate", "rules", *map(str, XML))[0] == 0
        before = dump(store)
        assert run("--store", str(store), "import", "--mode", mode, "--validate", "rules", *map(str, XML))[0] == 0
        assert dump(store) == before


def test_archive_is_read_as_a_stream(tmp_path: Path) -> None:
    archive = tmp_path / "fixtures.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        for path in XML:
            tar.add(path, arcname=f"love/{path.name}")
    code, out, err = run("--store", str(tmp_path / "store"), "import", str(archive))
    assert code == 0, err
    assert counts(out)["dokumenter"] == 4
    graph = "https://regelgraf.dk/id/graph/lta/2014/901"
    derived = [line for line in dump(tmp_path / "store") if line.startswith(f"<{graph}> <http://www.w3.org/ns/prov#wasDerivedFrom>")]
    assert derived and f"{archive.resolve().as_uri()}#love/lov-2014-901-proeveloven.xml" in derived[0]


def test_bad_files_are_named_and_the_rest_imported(tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for path in [*XML, *BAD.iterdir()]:
        shutil.copy(path, folder)
    code, out, err = run("--store", str(tmp_path / "store"), "import", "--mode", "transactional", str(folder))
    assert code == 2
    assert counts(out)["dokumenter"] == 4 and counts(out)["fejl"] == 3
    assert "broken-unclosed.xml:10:21: ugyldig XML" in err
    assert "hostile-billion-laughs.xml: dokumentet erklærer en DTD" in err
    assert "not-a-document.json: JSON-svaret har intet dokument" in err


def test_messages_in_english(tmp_path: Path) -> None:
    code, out, err = run("--lang", "en", "--store", str(tmp_path / "store"), "import", str(BAD / "broken-unclosed.xml"))
    assert code == 2 and "invalid XML" in err and "0 documents" in out and "1 failures" in out


def test_missing_path_and_swap_without_the_embedded_store(tmp_path: Path) -> None:
    code, out, err = run("--store", str(tmp_path / "store"), "import", str(tmp_path / "nowhere.xml"))
    assert code == 2 and "nowhere.xml: findes ikke" in err
    code, out, err = run("--backend", "memory", "import", "--mode", "swap", str(XML[0]))
    assert code == 2 and "--mode swap" in err


def test_small_imports_are_validated_with_shacl_by_default(tmp_path: Path) -> None:
    code, out, err = run("--store", str(tmp_path / "store"), "import", *map(str, XML))
    assert code == 0 and counts(out)["SHACL-validerede"] == 4
    code, out, err = run("--store", str(tmp_path / "store"), "import", "--validate", "rules", *map(str, XML))
    assert code == 0 and "SHACL" not in out


def test_recover_puts_back_a_store_left_between_the_two_renames(tmp_path: Path) -> None:
    location = tmp_path / "store"
    previous = tmp_path / ".store.previous-999999999"
    leftover = tmp_path / ".store.import-999999998"
    ox.Store(str(previous)).flush()
    leftover.mkdir()
    recover(location)
    assert (location / "CURRENT").exists() and not previous.exists() and not leftover.exists()


def test_recover_keeps_the_copy_of_an_import_still_running(tmp_path: Path) -> None:
    running = tmp_path / f".store.import-{os.getppid()}"
    running.mkdir()
    recover(tmp_path / "store")
    assert running.exists()


@pytest.mark.parametrize("name", ["import"])
def test_import_is_a_registered_verb(name: str) -> None:
    code, out, err = run(name, "--help")
    assert code == 0 and "LexDania XML" in out and "--mode" in out and "--validate" in out


def test_a_provision_named_two_ways_across_graphs_is_reported(tmp_path: Path) -> None:
    from rdflib import Graph, URIRef

    from graph.store import open_store

    store = tmp_path / "store"
    other = Graph().parse(data='<https://regelgraf.dk/id/work/proeveloven/par_2> a <https://regelgraf.dk/def#Provision> ;\n'
                               '    <https://regelgraf.dk/def#citation> "lov om prøveordninger § 2" .', format="turtle")
    with open_store("oxigraph", location=store) as opened:  # another source describing the same provision
        opened.replace_graphs({URIRef("https://example.org/other"): other})
    code, out, err = run("--store", str(store), "import", "--validate", "rules", str(XML[2]))
    assert code == 1
    assert "<https://regelgraf.dk/id/work/proeveloven/par_2>: 2 × citation (rgsh:Provision-citation)" in err
    assert counts(out)["regelbrud på tværs af dokumenter"] == 1


def test_swap_import_into_a_missing_parent_makes_it_and_leaves_nothing_behind(tmp_path: Path) -> None:
    location = tmp_path / "not" / "yet" / "store"
    code, out, err = run("--store", str(location), "import", "--mode", "swap", str(XML[0]))
    assert code == 0, err
    assert (location / "CURRENT").exists()
    assert sorted(p.name for p in location.parent.iterdir()) == ["store"]


@pytest.mark.parametrize("lang, fix", [("da", "vælg et --store i en eksisterende, skrivbar mappe"),
                                       ("en", "choose a --store inside an existing, writable directory")])
def test_swap_import_where_the_parent_is_a_file_names_the_path_and_the_fix(tmp_path: Path, lang: str, fix: str) -> None:
    """No raw FileExistsError: exit 2, the path and the fix in the chosen language, nothing written."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = run("--lang", lang, "--store", str(blocker / "store"), "import", "--mode", "swap", str(XML[0]))
    assert code == 2
    assert str(blocker) in err and fix in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"] and blocker.read_text(encoding="utf-8") == "not a folder"


def test_swap_import_refused_while_a_reader_has_the_store_open(tmp_path: Path) -> None:
    """Through the CLI: exit 2, who has the store open and the way out, the store unchanged."""
    from graph.store import open_store

    location = tmp_path / "store"
    assert run("--store", str(location), "import", "--mode", "swap", "--validate", "rules", str(XML[0]))[0] == 0
    before = dump(location)
    reader = open_store("oxigraph", location=location, read_only=True)
    try:
        code, out, err = run("--lang", "en", "--store", str(location), "import", "--mode", "swap", *map(str, XML))
        assert code == 2 and str(location) in err and "this process" in err and "--mode transactional" in err
    finally:
        reader.close()
    assert dump(location) == before
    assert not list(tmp_path.glob(".store.*"))
