"""A slice of the real corpus (../shared): counts against the XML itself, verified references, shipped data.

The references checked here were read in the documents' text: forældelsesloven (LBK 1238/2015)
§ 3, stk. 4 ("Stk. 3, nr. 1, finder ikke anvendelse …, jf. § 7 i lov om arbejdsskadesikring"),
§ 4, stk. 2 ("§ 3, stk. 2 og stk. 3, nr. 4, gælder ved fordringer omfattet af stk. 1"),
§ 17, stk. 3 ("… det i konkurslovens § 13 omhandlede møde"), § 30, stk. 4 ("Lovens § 26, stk. 2 …");
serviceloven (LBK 1284/2015) § 2 a, stk. 1 ("jf. § 192"), § 4, stk. 3 ("jf. § 4 i lov om
socialtilsyn …, jf. stk. 2"); and lov nr. 1894 af 29. december 2015, which amends serviceloven
§ 79 a, stk. 1 ("§ 79 a, stk. 1, affattes således") and repeals § 161, stk. 1.
"""

from __future__ import annotations

import functools
import re
import tarfile
import tempfile
from pathlib import Path

import pytest
from lxml import etree
from rdflib import URIRef

from graph.identifiers import base_iri, provision_iri, steps_from_segments
from graph.importers import ImportOptions, import_paths
from graph.importers.checks import store_findings
from graph.namespaces import ELI
from graph.store import open_store

pytestmark = pytest.mark.slow

SLICE = {
    "2015/2015-1238": "forældelsesloven", "2015/2015-1284": "serviceloven", "2015/2015-1053": "serviceloven",
    "2015/2015-1894": "amends serviceloven", "2014/2014-11": "konkursloven", "2013/2013-608": "socialtilsynsloven",
}
SAMPLE = "samples/retsinfo-html-LBK-1238-2015-foraeldelsesloven.html"


class _Slice:
    """The slice's files, streamed out of the shared archive once per session, in a temporary folder."""

    def __init__(self, shared: Path):
        self.directory = tempfile.TemporaryDirectory(prefix="corpus-slice-")  # removed with this object
        self.folder = Path(self.directory.name)
        wanted = {f"love/{name}.xml" for name in SLICE}
        with tarfile.open(shared / "corpus" / "lexdania-lta-2010-2017.tar.xz", mode="r|xz") as archive:
            for member in archive:
                if member.name in wanted:
                    (self.folder / Path(member.name).name).write_bytes(archive.extractfile(member).read())  # type: ignore[union-attr]
                    wanted.discard(member.name)
                if not wanted:
                    break
        assert not wanted, f"missing from the corpus: {sorted(wanted)}"
        from graph.authoring import compile_sources
        from graph.settings import DATA_DIR

        # The shipped data built, then the slice imported on top (as `make` and `regelgraf import` would).
        self.store = open_store("oxigraph")  # in memory: pyoxigraph, fast to write
        self.store.replace_graphs(compile_sources([DATA_DIR]))
        summary = import_paths(self.store, sorted(self.folder.iterdir()), options=ImportOptions(shacl=False))
        assert summary.failures == []


@functools.cache
def _slice(shared: Path) -> _Slice:
    return _Slice(shared)


@pytest.fixture
def corpus_slice(shared_dir: Path) -> Path:
    """The slice's files (skipped, with the reason, when ../shared is absent)."""
    return _slice(shared_dir).folder


@pytest.fixture
def store(shared_dir: Path):  # type: ignore[no-untyped-def]
    """A memory store holding the shipped data and the slice."""
    return _slice(shared_dir).store


def work(path: str) -> URIRef:
    return URIRef(f"{base_iri()}work/{path}")


def cites(store, provision: str) -> set[str]:  # type: ignore[no-untyped-def]
    rows = store.query("SELECT ?o WHERE { ?s ?p ?o }", bindings={"s": work(provision), "p": ELI.cites}).rows
    return {str(row[0]).removeprefix(f"{base_iri()}work/") for row in rows}


def expected_counts(xml: bytes) -> dict[str, int]:
    """§, stk. and nr. counted in the XML with XPath, independently of the importer's reader."""
    body = etree.fromstring(xml).find("DokumentIndhold")
    outside = "not(ancestor::Ikraft) and not(ancestor::AendringNyTekst)"
    paragraphs = body.xpath(f".//*[self::Paragraf or self::AendringCentreretParagraf or self::IkraftCentreretParagraf][{outside}]")
    total = 0
    for paragraph in paragraphs:  # "§§ 13-15." is three sections; "§§ 5 a-5 c." too
        label = " ".join("".join(paragraph.find("Explicatus").itertext()).split()) if paragraph.find("Explicatus") is not None else ""
        numeric = re.match(r"§§\s*(\d+)\s*-\s*(\d+)\.?$", label)
        lettered = re.match(r"§§\s*(\d+) ([a-z])\s*-\s*(?:\1 )?([a-z])\.?$", label)
        total += int(numeric.group(2)) - int(numeric.group(1)) + 1 if numeric else (
            ord(lettered.group(3)) - ord(lettered.group(2)) + 1 if lettered else 1)
    stk = sum(len(p.findall("Stk")) for p in paragraphs if len(p.findall("Stk")) > 1)
    nr = len(body.xpath(f".//Indentatio[@formaInd='Nummer'][{outside}]")) + len(body.xpath(f".//AendringsNummer[{outside}]"))
    return {"paragraf": total, "stk": stk, "nr": nr}


@pytest.mark.parametrize("name", ["2015/2015-1238", "2015/2015-1284", "2015/2015-1894", "2013/2013-608"])
def test_counts_of_sections_subsections_and_items_match_the_xml(store, corpus_slice: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    year, number = name.split("/")[1].split("-")
    rows = store.query(
        "PREFIX eli: <http://data.europa.eu/eli/ontology#> SELECT ?type (COUNT(?v) AS ?n) WHERE { GRAPH ?g { "
        "?v a eli:LegalResourceSubdivision ; eli:type_subdivision ?type } } GROUP BY ?type",
        bindings={"g": URIRef(f"{base_iri()}graph/lta/{year}/{number}")}).rows
    found = {str(kind).rsplit("/", 1)[-1]: int(n) for kind, n in rows}
    expected = expected_counts((corpus_slice / f"{year}-{number}.xml").read_bytes())
    assert {kind: found.get(kind, 0) for kind in expected} == expected


def test_serviceloven_paragraph_79_a_is_the_shipped_provision(store) -> None:  # type: ignore[no-untyped-def]
    from graph.authoring import compile_sources
    from graph.identifiers import Step
    from graph.settings import DATA_DIR

    shipped = provision_iri("serviceloven", (Step("paragraf", "79 a"),))
    assert shipped == work("serviceloven/par_79a")
    assert any((shipped, None, None) in graph for graph in compile_sources([DATA_DIR]).values())
    members = {str(r[0]) for r in store.query("SELECT ?v WHERE { ?v <http://data.europa.eu/eli/ontology#is_member_of> ?p }",
                                              bindings={"p": shipped}).rows}
    assert members == {f"{base_iri()}eli/lta/2015/1284/par_79a", f"{base_iri()}eli/lta/2015/1053/par_79a"}
    assert store_findings(store) == []  # shipped and imported descriptions agree: one citation, one parent …


def test_verified_references_of_foraeldelsesloven(store) -> None:  # type: ignore[no-untyped-def]
    assert "foraeldelsesloven/par_3/stk_3/nr_1" in cites(store, "foraeldelsesloven/par_3/stk_4")
    assert cites(store, "foraeldelsesloven/par_4/stk_2") == {
        "foraeldelsesloven/par_3/stk_2", "foraeldelsesloven/par_3/stk_3/nr_4", "foraeldelsesloven/par_4/stk_1"}
    assert "konkursloven/par_13" in cites(store, "foraeldelsesloven/par_17/stk_3")
    assert {f"foraeldelsesloven/par_17/stk_1/nr_{n}" for n in range(2, 6)} <= cites(store, "foraeldelsesloven/par_17/stk_3")
    assert cites(store, "foraeldelsesloven/par_30/stk_4") == {"foraeldelsesloven/par_26/stk_2"}


def test_verified_references_of_serviceloven(store) -> None:  # type: ignore[no-untyped-def]
    assert cites(store, "serviceloven/par_2a/stk_1") == {"serviceloven/par_192"}
    assert cites(store, "serviceloven/par_4/stk_3") == {"socialtilsynsloven/par_4", "serviceloven/par_4/stk_2"}


def test_the_amending_act_changes_serviceloven(store) -> None:  # type: ignore[no-untyped-def]
    def objects(subject: URIRef, predicate: URIRef) -> set[str]:
        return {str(r[0]) for r in store.query("SELECT ?o WHERE { ?s ?p ?o }", bindings={"s": subject, "p": predicate}).rows}

    act = "lov-2015-1894/par_1/nr_"
    assert objects(work(act + "1"), ELI.changes) == {str(work("serviceloven/par_79a/stk_1"))}
    assert objects(work(act + "7"), ELI.repeals) == {str(work("serviceloven/par_161/stk_1"))}
    document = URIRef("https://www.retsinformation.dk/eli/lta/2015/1894")
    assert objects(document, ELI.amends) == {"https://www.retsinformation.dk/eli/lta/2015/1284", str(work("serviceloven"))}
    assert "https://www.retsinformation.dk/eli/lta/2015/1053" in objects(
        URIRef("https://www.retsinformation.dk/eli/lta/2015/1284"), ELI.consolidates)


def test_cite_resolves_an_imported_provision(store) -> None:  # type: ignore[no-untyped-def]
    from graph.resolve import resolve_provision

    assert resolve_provision(store, "konkurslovens § 13") == work("konkursloven/par_13")
    assert resolve_provision(store, "forældelseslovens § 3, stk. 3, nr. 1") == work("foraeldelsesloven/par_3/stk_3/nr_1")


def test_the_real_html_page_reads_like_its_xml(shared_dir: Path, corpus_slice: Path) -> None:
    from graph.importers.detect import parse_document
    from graph.importers.model import Source

    def tree(units):  # type: ignore[no-untyped-def]
        return [(u.kind, u.number, u.text, u.heading, tree(u.children)) for u in units]

    page = parse_document((shared_dir / SAMPLE).read_bytes(), Source("urn:page", SAMPLE))
    xml = parse_document((corpus_slice / "2015-1238.xml").read_bytes(), Source("urn:xml", "2015-1238.xml"))
    assert (page.meta.doc_type, page.meta.year, page.meta.number, page.meta.popular_title) == ("LBK", 2015, "1238", "Forældelsesloven")
    assert page.intro == xml.intro
    assert tree(page.units) == tree(xml.units)
    assert len([u for u in page.walk() if u.kind == "paragraf"]) == 32


def test_one_corpus_document_conforms_to_the_shapes(corpus_slice: Path) -> None:
    checked = open_store("oxigraph")
    summary = import_paths(checked, [corpus_slice / "2015-1238.xml"], options=ImportOptions(shacl=True))
    assert summary.validated == 1 and summary.failures == []
    assert steps_from_segments("par_3/stk_3/nr_1")  # the identifiers module reads back what was minted
