"""GraphML, read back with networkx and with igraph (what Gephi, yEd and Cytoscape users load)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import igraph
import networkx as nx

from kg.exporters import export
from kg.exporters._graph import TYPE_COLORS


def write(small_store, tmp_path, **options):
    path = tmp_path / "graph.graphml"
    path.write_bytes(export(small_store, "graphml", **options))
    return path


def test_networkx_reads_labels_types_colours_and_edge_labels(small_store, tmp_path, expected):
    graph = nx.read_graphml(write(small_store, tmp_path))
    assert len(graph) == expected.PICTURE_NODES
    assert graph.number_of_edges() == expected.PICTURE_EDGES
    labels = {attrs["label"]: attrs["type"] for _, attrs in graph.nodes(data=True)}
    assert labels == expected.PICTURE
    microsoft = graph.nodes[expected.E + "Microsoft"]
    assert microsoft["color"] == TYPE_COLORS["Company"]
    assert microsoft["aliases"] == "MS; MSFT; Microsoft Corporation"
    assert microsoft["hasTicker"] == "MSFT"
    edges = {(graph.nodes[s]["label"], d["label"], graph.nodes[o]["label"]) for s, o, d in graph.edges(data=True)}
    assert ("Stellantis", "usesPlatform", "Azure") in edges
    assert ("Microsoft", "partnersWith", "Stellantis") in edges  # symmetric: drawn once
    assert ("Stellantis", "partnersWith", "Microsoft") not in edges


def test_igraph_reads_it(small_store, tmp_path, expected):
    graph = igraph.Graph.Read_GraphML(str(write(small_store, tmp_path)))
    assert graph.vcount() == expected.PICTURE_NODES
    assert graph.ecount() == expected.PICTURE_EDGES
    assert graph.is_directed()
    stellantis = graph.vs.find(label="Stellantis")
    assert stellantis["type"] == "Company" and stellantis["color"] == TYPE_COLORS["Company"]
    relations = {(graph.vs[e.source]["label"], e["label"], graph.vs[e.target]["label"]) for e in graph.es}
    assert ("Microsoft", "develops", "Azure") in relations
    assert {v["label"] for v in graph.vs} == set(expected.PICTURE)


def test_yed_finds_labelled_coloured_boxes_and_unique_edge_ids(small_store, tmp_path):
    root = ET.parse(write(small_store, tmp_path)).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns", "y": "http://www.yworks.com/xml/graphml"}
    boxes = root.findall(".//g:node/g:data/y:ShapeNode", ns)
    texts = {box.find("y:NodeLabel", ns).text: box.find("y:Fill", ns).get("color") for box in boxes}
    assert texts["Azure"] == TYPE_COLORS["Platform"]
    assert all(box.find("y:Geometry", ns) is not None for box in boxes)
    edge_labels = [e.text for e in root.findall(".//g:edge/g:data/y:PolyLineEdge/y:EdgeLabel", ns)]
    assert "usesPlatform" in edge_labels
    ids = [e.get("id") for e in root.findall(".//g:edge", ns)]
    assert len(ids) == len(set(ids))
    key_ids = [k.get("id") for k in root.findall("g:key", ns)]
    assert len(key_ids) == len(set(key_ids))


def test_every_attribute_is_a_string(small_store, tmp_path):
    root = ET.parse(write(small_store, tmp_path)).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    types = {k.get("attr.type") for k in root.findall("g:key", ns) if k.get("attr.name")}
    assert types == {"string"}


def test_a_part_exports_as_graphml(small_store, tmp_path):
    graph = nx.read_graphml(write(small_store, tmp_path, around="Amazon", depth=1))
    assert sorted(attrs["label"] for _, attrs in graph.nodes(data=True)) == ["Amazon", "Stellantis"]
