"""`regelgraf impact` end to end on the shipped data in a real embedded store."""

import json

import networkx as nx
import pytest
from click.testing import CliRunner

from graph.cli import cli


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("impact") / "store"
    result = CliRunner().invoke(cli, ["--store", str(path), "build"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return path


def invoke(store_dir, *args, expect=0):
    result = CliRunner().invoke(cli, ["--store", str(store_dir), "impact", *args], catch_exceptions=False)
    assert result.exit_code == expect, result.output
    return result


def test_impact_of_a_provision_explains_every_node(store_dir):
    answer = json.loads(invoke(store_dir, "serviceloven § 79 a", "--as-of", "2023-01-01").stdout)
    assert answer["as_of"] == "2023-01-01"
    by_label = {node["label"]: node for node in answer["nodes"]}
    order = next(node for label, node in by_label.items() if "716" in label)  # BEK 716/2019 rests on § 79 a, stk. 7
    assert "based_on" in order["relations"] and len(order["path"]) == len(order["relations"]) + 1
    assert order["path"][0] == answer["target"]["id"]
    decision = next(node for label, node in by_label.items() if label.startswith("Middelfart Kommunes fravigelse"))
    assert decision["relations"][-1] == "sets_aside"
    assert all(node["explanation"]["da"] and node["explanation"]["en"] for node in answer["nodes"][1:])
    edges = {frozenset((edge["source"], edge["target"])) for edge in answer["edges"]}
    for node in answer["nodes"][1:]:  # every hop of every explanation is an edge of the graph
        assert all(frozenset(hop) in edges for hop in zip(node["path"], node["path"][1:])), node["label"]


def test_as_of_after_the_trial_drops_the_decision(store_dir):
    answer = json.loads(invoke(store_dir, "serviceloven § 79 a", "--as-of", "2026-01-01").stdout)
    assert not any(node["label"].startswith("Middelfart Kommunes fravigelse") for node in answer["nodes"])


def test_graphml_export_to_a_file_reads_back(store_dir, tmp_path):
    out = tmp_path / "impact.graphml"
    invoke(store_dir, "Middelfart", "--format", "graphml", "-o", str(out))
    graph = nx.read_graphml(out)
    assert graph.number_of_nodes() > 3
    assert any("79 a" in str(data.get("label", "")) for _, data in graph.nodes(data=True))


def test_unknown_target_suggests_the_nearest(store_dir):
    result = invoke(store_dir, "serviceloven § 79 b", expect=2)
    assert "serviceloven § 79 a" in result.output


def test_bad_relation_name_is_a_clear_error(store_dir):
    result = invoke(store_dir, "serviceloven § 79 a", "--relations", "cites,quotes", expect=2)
    assert "quotes" in result.output


def test_reference_hops_option(store_dir):
    ids_default = {n["id"] for n in json.loads(invoke(store_dir, "serviceloven § 79 a").stdout)["nodes"]}
    every = json.loads(invoke(store_dir, "serviceloven § 79 a", "--reference-hops", "all").stdout)
    assert every["reference_hops"] is None and ids_default <= {n["id"] for n in every["nodes"]}
    zero = json.loads(invoke(store_dir, "serviceloven § 79 a", "--reference-hops", "0").stdout)
    assert zero["reference_hops"] == 0 and not any("cites" in n["relations"] for n in zero["nodes"])
    assert {n["id"] for n in zero["nodes"]} < ids_default
    bad = invoke(store_dir, "serviceloven § 79 a", "--reference-hops", "some", expect=2)
    assert "must be a whole number of at least 0 or 'all'" in bad.output
