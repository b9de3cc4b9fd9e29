"""GraphML, for yEd, Gephi, Cytoscape, networkx and igraph.

Written by networkx's GraphML writer, every attribute a string: nodes carry `label`,
`type`, `color` (`#rrggbb`), `iri` and their literal properties; edges `label` and
`property` (the property's short name), `iri`, `symmetric`. yEd's own graphics data
(a filled, labelled box at a laid-out position for each node; a labelled arrow for each
edge) is added alongside, so yEd shows the picture on open; other readers skip it (networkx
reads its node positions back as `x` and `y`).
"""
from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from pathlib import Path

from ._base import Exporter, Selection, write_bytes
from ._graph import layout, text_color

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
YFILES_NS = "http://www.yworks.com/xml/graphml"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def generate_graphml(selection: Selection) -> bytes:
    """The selection's picture as GraphML (with yEd graphics)."""
    import networkx as nx

    graph = selection.graph
    buffer = io.BytesIO()
    nx.write_graphml(graph, buffer, encoding="utf-8", prettyprint=False)
    return _add_yed_graphics(buffer.getvalue(), graph, layout(graph))


def write_graphml(selection: Selection, path: str | Path) -> list[Path]:
    """Write the picture to a GraphML file."""
    return [write_bytes(Path(path), generate_graphml(selection))]


def _add_yed_graphics(data: bytes, graph: object, positions: dict[str, tuple[float, float]]) -> bytes:
    ET.register_namespace("", GRAPHML_NS)
    ET.register_namespace("y", YFILES_NS)
    ET.register_namespace("xsi", XSI_NS)
    root = ET.fromstring(data)
    g = f"{{{GRAPHML_NS}}}"
    y = f"{{{YFILES_NS}}}"
    first_graph = root.find(f"{g}graph")
    assert first_graph is not None
    index = list(root).index(first_graph)
    root.insert(index, ET.Element(f"{g}key", {"for": "node", "id": "yed_node", "yfiles.type": "nodegraphics"}))
    root.insert(index + 1, ET.Element(f"{g}key", {"for": "edge", "id": "yed_edge", "yfiles.type": "edgegraphics"}))

    nodes = graph.nodes  # type: ignore[attr-defined]
    for element in first_graph.iter(f"{g}node"):
        attrs = nodes[element.get("id")]
        label = attrs.get("label", "")
        x, yy = positions.get(element.get("id"), (0.0, 0.0))
        width, height = max(40.0, 7.0 * len(label) + 16.0), 30.0
        data = ET.SubElement(element, f"{g}data", {"key": "yed_node"})
        shape = ET.SubElement(data, f"{y}ShapeNode")
        ET.SubElement(shape, f"{y}Geometry", {"x": f"{x - width / 2:.1f}", "y": f"{yy - height / 2:.1f}",
                                              "width": f"{width:.1f}", "height": f"{height:.1f}"})
        ET.SubElement(shape, f"{y}Fill", {"color": attrs.get("color", "#cccccc"), "transparent": "false"})
        ET.SubElement(shape, f"{y}BorderStyle", {"color": "#555555", "type": "line", "width": "1.0"})
        text = ET.SubElement(shape, f"{y}NodeLabel", {"textColor": text_color(attrs.get("color", "#cccccc")),
                                                     "fontSize": "12", "modelName": "internal",
                                                     "modelPosition": "c"})
        text.text = label
        ET.SubElement(shape, f"{y}Shape", {"type": "roundrectangle"})

    edge_keys = {k.get("attr.name"): k.get("id") for k in root.findall(f"{g}key") if k.get("for") == "edge"}
    for number, element in enumerate(first_graph.iter(f"{g}edge")):
        element.set("id", f"e{number}")  # unique, as GraphML wants (networkx writes the edge key)
        values = {d.get("key"): d.text or "" for d in element.findall(f"{g}data")}
        label = values.get(edge_keys.get("label"), "")
        symmetric = values.get(edge_keys.get("symmetric")) == "true"
        data = ET.SubElement(element, f"{g}data", {"key": "yed_edge"})
        line = ET.SubElement(data, f"{y}PolyLineEdge")
        ET.SubElement(line, f"{y}LineStyle", {"color": "#777777", "type": "line", "width": "1.0"})
        ET.SubElement(line, f"{y}Arrows", {"source": "none", "target": "none" if symmetric else "standard"})
        text = ET.SubElement(line, f"{y}EdgeLabel", {"fontSize": "10", "textColor": "#333333"})
        text.text = label
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


EXPORTERS = [
    Exporter("graphml", generate_graphml, ".graphml", "application/graphml+xml",
             "GraphML for yEd, Gephi, Cytoscape, networkx, igraph (label, type, color)",
             write_files=write_graphml),
]
