"""GEXF, read back with networkx (what Gephi opens)."""
from __future__ import annotations

import networkx as nx

from kg.exporters import export
from kg.exporters._graph import TYPE_COLORS, rgb


def read(small_store, tmp_path, **options):
    path = tmp_path / "graph.gexf"
    path.write_bytes(export(small_store, "gexf", **options))
    return nx.read_gexf(path)


def test_nodes_have_labels_types_and_viz_colours(small_store, tmp_path, expected):
    graph = read(small_store, tmp_path)
    assert len(graph) == expected.PICTURE_NODES
    assert graph.number_of_edges() == expected.PICTURE_EDGES
    assert {a["label"]: a["type"] for _, a in graph.nodes(data=True)} == expected.PICTURE
    for _, attrs in graph.nodes(data=True):
        colour = attrs["viz"]["color"]
        assert (colour["r"], colour["g"], colour["b"]) == rgb(TYPE_COLORS[attrs["type"]])
        assert {"x", "y"} <= set(attrs["viz"]["position"])
    assert graph.nodes[expected.E + "Sophie_Leclerc"]["jobTitle"] == "technology sector specialist"


def test_edges_are_labelled_with_their_property(small_store, tmp_path):
    graph = read(small_store, tmp_path)
    edges = {(graph.nodes[s]["label"], d["label"], graph.nodes[o]["label"]) for s, o, d in graph.edges(data=True)}
    assert ("Stellantis", "deploys", "Microsoft 365 Copilot") in edges
    assert ("AT&T", "develops", '"Quote" Studio <beta> \\ Zürich') in edges
    assert all(d["property"] == d["label"] for _, _, d in graph.edges(data=True))


def test_a_query_result_exports_as_gexf(small_store, tmp_path):
    graph = read(small_store, tmp_path, construct="CONSTRUCT WHERE { ?p kg:participant ?o }")
    types = sorted(a["type"] for _, a in graph.nodes(data=True))
    assert types == ["Company", "Company", "Partnership", "Partnership"]
