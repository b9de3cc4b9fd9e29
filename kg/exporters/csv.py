"""CSV: a nodes file and an edges file, the shape graph databases import (Neo4j, Memgraph,
Kùzu, TigerGraph...), and spreadsheets open.

- nodes: `id,label,type` (id is the IRI, type the most specific kg class);
- edges: `source,target,property,source_label,target_label,property_iri,symmetric`
  (property is the short name, `partnersWith`; a symmetric relation is one row, with
  `symmetric` = true).

To stdout the export is the edge list. Written to a file, `-o graph.csv` writes
`graph-nodes.csv` and `graph-edges.csv` (the `.csv` is optional), and `-o DIR/` (an existing
directory, or a path ending in `/`) writes `DIR/nodes.csv` and `DIR/edges.csv`.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import InputError
from ._base import Exporter, Selection, write_bytes

NODE_COLUMNS = ["id", "label", "type"]
EDGE_COLUMNS = ["source", "target", "property", "source_label", "target_label", "property_iri", "symmetric"]


def _table(columns: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def generate_nodes(selection: Selection) -> bytes:
    """The nodes table: `id,label,type`."""
    graph = selection.graph
    return _table(NODE_COLUMNS, [[n, a["label"], a["type"]] for n, a in graph.nodes(data=True)])


def generate_edges(selection: Selection) -> bytes:
    """The edge list: `source,target,property,source_label,target_label,property_iri,symmetric`."""
    graph = selection.graph
    labels = graph.nodes
    return _table(EDGE_COLUMNS, [
        [s, o, a["property"], labels[s]["label"], labels[o]["label"], a["iri"], a["symmetric"]]
        for s, o, a in graph.edges(data=True)
    ])


def csv_paths(path: str | Path) -> tuple[Path, Path]:
    """Where `-o PATH` puts the nodes and the edges.

    >>> [str(p) for p in csv_paths("out/graph.csv")]
    ['out/graph-nodes.csv', 'out/graph-edges.csv']
    >>> [str(p) for p in csv_paths("out/")]
    ['out/nodes.csv', 'out/edges.csv']
    """
    text = str(path)
    path = Path(path)
    if text.endswith(("/", "\\")) or path.is_dir():
        return path / "nodes.csv", path / "edges.csv"
    stem = path.name[:-4] if path.name.lower().endswith(".csv") else path.name
    return path.with_name(f"{stem}-nodes.csv"), path.with_name(f"{stem}-edges.csv")


def write_csv(selection: Selection, path: str | Path) -> list[Path]:
    """Write the nodes and edges files for `-o path` (see `csv_paths`); returns both paths."""
    nodes_path, edges_path = csv_paths(path)
    folder = nodes_path.parent
    if str(path).endswith(("/", "\\")) and not folder.exists():
        try:
            folder.mkdir(parents=False)
        except OSError as e:
            raise InputError(f"{folder}: cannot create directory: {e.strerror or e}") from None
    nodes, edges = generate_nodes(selection), generate_edges(selection)
    return [write_bytes(nodes_path, nodes), write_bytes(edges_path, edges)]


EXPORTERS = [
    Exporter("csv", generate_edges, ".csv", "text/csv",
             "CSV: the edge list to stdout; with -o, a nodes file and an edges file", write_files=write_csv),
]
