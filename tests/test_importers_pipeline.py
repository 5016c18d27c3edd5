"""The import run: worker processes, order independence, refused documents, and a swap that fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.importers import ImportOptions, import_document, import_paths
from graph.importers import pipeline
from graph.importers.build import places
from graph.importers.model import DocumentMeta, ParsedDocument, Source, Unit

GOOD = Path(__file__).parent / "fixtures" / "importers" / "good"
XML = sorted(GOOD.glob("*.xml"))


def quads(location: Path) -> set[str]:
    store = ox.Store.read_only(str(location))
    return {line for line in ox.serialize(store, format=ox.RdfFormat.N_QUADS).decode().splitlines()
            if "generatedAtTime" not in line}


def test_worker_processes_write_what_one_process_writes(tmp_path: Path) -> None:
    one = import_paths(None, XML, location=tmp_path / "one", options=ImportOptions(workers=1))
    two = import_paths(None, XML, location=tmp_path / "two", options=ImportOptions(workers=2))
    assert (one.documents, one.provisions, one.links, one.unresolved) == (two.documents, two.provisions, two.links, two.unresolved)
    assert quads(tmp_path / "one") == quads(tmp_path / "two")


def test_the_order_of_the_files_does_not_change_the_graphs(tmp_path: Path) -> None:
    import_paths(None, XML, location=tmp_path / "forward")
    import_paths(None, list(reversed(XML)), location=tmp_path / "backward")
    assert quads(tmp_path / "forward") == quads(tmp_path / "backward")


def test_a_document_with_violations_is_reported_and_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def findings(graph, known, index):  # type: ignore[no-untyped-def]
        return ["en opdigtet overtrædelse"] if graph.document.endswith("/2016/99") else []

    monkeypatch.setattr(pipeline, "document_findings", findings)
    summary = import_paths(None, XML, location=tmp_path / "store", options=ImportOptions(shacl=True))
    assert summary.documents == 3 and len(summary.failures) == 1
    assert "bek-2016-99-ansoegning.xml" in summary.failures[0].where and "opdigtet" in summary.failures[0].reason
    assert not any("/lta/2016/99" in line for line in quads(tmp_path / "store"))


def test_a_failed_swap_leaves_the_live_store_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    location = tmp_path / "store"
    import_paths(None, XML[:2], location=location)
    before = quads(location)

    def broken(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(ox.Store, "bulk_load", broken)
    with pytest.raises(OSError, match="simulated"):
        import_paths(None, XML, location=location)
    monkeypatch.undo()
    assert quads(location) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # copy and spool removed


def test_a_repeated_part_keeps_its_content() -> None:
    section = Unit("paragraf", "7", text="Tekst.")
    document = ParsedDocument(DocumentMeta("LBK", 2015, "1", "Bekendtgørelse af lov om noget"), Source("urn:x", "x"), units=[
        Unit("afsnit", "I", children=[Unit("paragraf", "1", text="Første.")]),
        Unit("afsnit", "I", children=[section]),  # a second book restarts its parts at I
    ])
    warnings: list[str] = []
    placed = [(unit.kind, unit.number, segments) for unit, _, segments, _ in places(document, warnings)]
    assert placed == [("afsnit", "I", "afsnit_I"), ("paragraf", "1", "par_1"), ("paragraf", "7", "par_7")]
    assert len(warnings) == 1 and "den første" in warnings[0]


def test_import_document_builds_one_graph_without_a_store() -> None:
    graph = import_document((GOOD / "lov-2014-901-proeveloven.xml").read_bytes(), "lov.xml")
    assert graph.work_key == "proeveloven" and graph.provisions == 19 and graph.unresolved == 3  # 3 kapitler, 6 §§, 5 stk., 2 nr., 2 litra, 1 bilag
    assert graph.document == "https://www.retsinformation.dk/eli/lta/2014/901"


def test_unreadable_and_duplicate_documents_fail_alone(tmp_path: Path) -> None:
    copy = tmp_path / "copy.xml"
    shutil.copy(XML[2], copy)
    summary = import_paths(None, [*XML, copy, tmp_path / "missing.xml"], location=tmp_path / "store")
    assert summary.documents == 4
    assert sorted(f.where.rsplit("/", 1)[-1] for f in summary.failures) == ["copy.xml", "missing.xml"]


def test_a_damaged_schema_location_is_left_out_with_a_warning(tmp_path: Path) -> None:
    damaged = tmp_path / "damaged.xml"
    damaged.write_bytes((GOOD / "lov-2014-901-proeveloven.xml").read_bytes().replace(b'SchemaLocation="http://', b'SchemaLocation="http//', 1))
    summary = import_paths(None, [damaged], location=tmp_path / "store")
    assert summary.documents == 1 and summary.failures == []
    assert any("SchemaLocation" in w for w in summary.warnings[str(damaged)])
    assert not any("conformsTo" in line for line in quads(tmp_path / "store"))


def test_a_graph_the_store_refuses_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from graph.importers import triples
    from graph.store import open_store

    original = triples.to_graph

    def poisoned(name, found):  # type: ignore[no-untyped-def]
        if name.endswith("/2016/99"):  # a term no store accepts, as a damaged input could produce
            found = [*found, ("https://example.org/bad iri", "https://example.org/p", "https://example.org/o")]
        return original(name, found)

    monkeypatch.setattr("graph.importers.targets.to_graph", poisoned)
    store = open_store("oxigraph")
    summary = import_paths(store, XML)
    assert summary.documents == 3 and [f.where for f in summary.failures] == [str(GOOD / "bek-2016-99-ansoegning.xml")]
    assert "lageret afviste" in summary.failures[0].reason
