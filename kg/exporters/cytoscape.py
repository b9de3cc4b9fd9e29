"""Cytoscape.js JSON (also what the Cytoscape desktop app imports as "Cytoscape.js JSON").

`{"data": {"name": ...}, "elements": {"nodes": [...], "edges": [...]}}`: every node has
`data.id` (its IRI), `label`, `name` (the same, what Cytoscape desktop shows), `type`,
`color` and its literal properties, and a `position`; every edge has `data.id`
(`e0`, `e1`, ...), `source`, `target`, `label` (the property's short name), `property`,
`iri` and `symmetric`. All data values are strings. Load it with
`cytoscape({container, elements: json.elements})`.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ._base import Exporter, Selection, write_bytes
from ._graph import layout


def cytoscape_data(selection: Selection) -> dict[str, Any]:
    """The picture as a Cytoscape.js JSON document (a dict)."""
    graph = selection.graph
    positions = layout(graph)
    nodes = []
    for node, attrs in graph.nodes(data=True):
        x, y = positions.get(node, (0.0, 0.0))
        nodes.append({"data": {"id": node, "name": attrs["label"], **attrs}, "position": {"x": x, "y": y}})
    edges = [
        {"data": {"id": f"e{i}", "source": s, "target": o, **attrs}}
        for i, (s, o, attrs) in enumerate(graph.edges(data=True))
    ]
    document: dict[str, Any] = {"data": {"name": graph.graph.get("name", "kg")}}
    if graph.graph.get("focus"):
        document["data"]["focus"] = graph.graph["focus"]
    document["elements"] = {"nodes": nodes, "edges": edges}
    return document


def generate_cytoscape(selection: Selection) -> bytes:
    """The picture as Cytoscape.js JSON."""
    return json.dumps(cytoscape_data(selection), indent=1, ensure_ascii=False).encode("utf-8") + b"\n"


def write_cytoscape(selection: Selection, path: str | Path) -> list[Path]:
    """Write the picture to a Cytoscape.js JSON file."""
    return [write_bytes(Path(path), generate_cytoscape(selection))]


EXPORTERS = [
    Exporter("cytoscape", generate_cytoscape, ".cyjs", "application/json",
             "Cytoscape.js JSON (elements with data.id, label, type, color)", write_files=write_cytoscape),
]
