"""CSV: a nodes file and an edges file, read back with the csv module as an importer would."""
from __future__ import annotations

import csv
import io

from kg.exporters import FORMATS, export, select
from kg.exporters.csv import EDGE_COLUMNS, NODE_COLUMNS, csv_paths


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_stdout_is_the_edge_list(small_store, expected):
    edges = rows(export(small_store, "csv"))
    assert list(edges[0]) == EDGE_COLUMNS
    assert len(edges) == expected.PICTURE_EDGES
    facts = {(e["source_label"], e["property"], e["target_label"]) for e in edges}
    assert ("AT&T", "develops", '"Quote" Studio <beta> \\ Zürich') in facts
    partners = [e for e in edges if e["property"] == "partnersWith"]
    assert len(partners) == 1 and partners[0]["symmetric"] == "true"
    assert partners[0]["property_iri"] == expected.KG + "partnersWith"


def test_a_file_name_gives_a_nodes_file_and_an_edges_file(small_store, tmp_path, expected):
    written = FORMATS["csv"].write(select(small_store), tmp_path / "graph.csv")
    assert [p.name for p in written] == ["graph-nodes.csv", "graph-edges.csv"]
    nodes = rows(written[0].read_bytes())
    edges = rows(written[1].read_bytes())
    assert list(nodes[0]) == NODE_COLUMNS
    assert {n["label"]: n["type"] for n in nodes} == expected.PICTURE
    ids = {n["id"] for n in nodes}
    assert len(ids) == len(nodes) == expected.PICTURE_NODES
    assert all(e["source"] in ids and e["target"] in ids for e in edges)


def test_a_directory_gets_nodes_csv_and_edges_csv(small_store, tmp_path):
    (tmp_path / "existing").mkdir()
    written = FORMATS["csv"].write(select(small_store), tmp_path / "existing")
    assert written == [tmp_path / "existing" / "nodes.csv", tmp_path / "existing" / "edges.csv"]
    written = FORMATS["csv"].write(select(small_store), f"{tmp_path}/new/")
    assert all(p.exists() for p in written) and written[0].parent.name == "new"


def test_csv_paths():
    assert [p.name for p in csv_paths("graph")] == ["graph-nodes.csv", "graph-edges.csv"]
    assert [p.name for p in csv_paths("Graph.CSV")] == ["Graph-nodes.csv", "Graph-edges.csv"]
