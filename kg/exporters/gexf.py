"""GEXF, for Gephi (and networkx).

Written by networkx's GEXF 1.2 writer: each node has its label, a `viz:color` for its
type, a `viz:position` from a spring layout and a size by degree, and string attributes
`type`, `color`, `iri` and its literal properties; each edge is labelled with its property
and has the attributes `property`, `iri` and `symmetric`. Gephi shows the coloured,
labelled picture on open.
"""
from __future__ import annotations

import io
from pathlib import Path

from ._base import Exporter, Selection, write_bytes
from ._graph import layout, rgb


def generate_gexf(selection: Selection) -> bytes:
    """The selection's picture as GEXF 1.2."""
    import networkx as nx

    source = selection.graph
    positions = layout(source)
    graph = nx.MultiDiGraph(name=source.graph.get("name", "kg"))
    for node, attrs in source.nodes(data=True):
        r, g, b = rgb(attrs["color"])
        x, y = positions.get(node, (0.0, 0.0))
        graph.add_node(node, **attrs, viz={
            "color": {"r": r, "g": g, "b": b, "a": 1.0},
            "position": {"x": x, "y": -y, "z": 0.0},
            "size": 8.0 + 2.0 * min(source.degree(node), 10),
        })
    for s, o, key, attrs in source.edges(keys=True, data=True):
        graph.add_edge(s, o, key=key, **attrs)
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8", prettyprint=True, version="1.2draft")
    return buffer.getvalue()


def write_gexf(selection: Selection, path: str | Path) -> list[Path]:
    """Write the picture to a GEXF file."""
    return [write_bytes(Path(path), generate_gexf(selection))]


EXPORTERS = [
    Exporter("gexf", generate_gexf, ".gexf", "application/gexf+xml",
             "GEXF for Gephi: coloured, labelled, laid out", write_files=write_gexf),
]
