"""RDF files are read per named graph, and a broken file names file, line and column."""

from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from graph.rdfio import RdfFileError, file_graph_iri, read_rdf, read_rdf_files

FIXTURES = Path(__file__).parent / "fixtures" / "rdf"
EX = "https://example.org/"


def test_syntax_error_names_file_line_and_column():
    with pytest.raises(RdfFileError) as caught:
        read_rdf(FIXTURES / "broken.ttl")
    error = caught.value
    assert (error.line, error.column) == (3, 11)
    assert str(error).startswith(f"{FIXTURES / 'broken.ttl'}:3:11: ")
    assert "Turtle syntax" in str(error)


def test_quads_keep_their_graphs_and_default_triples_go_to_the_file_graph():
    path = FIXTURES / "two-graphs.trig"
    graphs = read_rdf(path)
    assert set(graphs) == {URIRef(EX + "g1"), URIRef(EX + "g2"), file_graph_iri(path)}
    assert (URIRef(EX + "b"), URIRef(EX + "p"), Literal("2", lang="da")) in graphs[URIRef(EX + "g2")]


def test_explicit_graph_receives_everything():
    target = URIRef(EX + "all")
    graphs = read_rdf(FIXTURES / "two-graphs.trig", target)
    assert list(graphs) == [target] and len(graphs[target]) == 3


def test_unknown_suffix_lists_the_known_ones(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n")
    with pytest.raises(RdfFileError, match=r"\.ttl"):
        read_rdf(path)


def test_missing_file(tmp_path):
    with pytest.raises(RdfFileError, match="no such file"):
        read_rdf(tmp_path / "absent.ttl")


def test_files_merge_into_one_graph(tmp_path):
    (tmp_path / "a.ttl").write_text(f"<{EX}a> <{EX}p> 1 .")
    (tmp_path / "b.nt").write_text(f"<{EX}b> <{EX}p> \"2\" .\n")
    target = URIRef(EX + "merged")
    graphs = read_rdf_files([tmp_path / "a.ttl", tmp_path / "b.nt"], target)
    assert len(graphs[target]) == 2


def test_rdf_xml_with_entities_is_refused_before_expansion(tmp_path):
    path = tmp_path / "laughs.rdf"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY a "aaaaaaaaaa"> ]>\n'
                    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n', encoding="utf-8")
    with pytest.raises(RdfFileError, match="DOCTYPE"):
        read_rdf(path)


def test_malformed_rdf_xml_names_line_and_column(tmp_path):
    path = tmp_path / "broken.rdf"
    path.write_text('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
                    '  <rdf:Description rdf:about="https://example.org/a">\n</rdf:RDF>\n', encoding="utf-8")
    with pytest.raises(RdfFileError) as caught:
        read_rdf(path)
    assert caught.value.line == 4 and "well-formed" in caught.value.message
