"""DOT, rendered by Graphviz (`dot -Tsvg`)."""
from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

from kg.exporters import export
from kg.exporters._graph import TYPE_COLORS

SVG = "{http://www.w3.org/2000/svg}"


def render(dot_program, data: bytes) -> ET.Element:
    result = subprocess.run([dot_program, "-Tsvg"], input=data, capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    assert b"Warning" not in result.stderr and b"Error" not in result.stderr, result.stderr.decode()
    return ET.fromstring(result.stdout)


def nodes_of(svg: ET.Element) -> dict[str, tuple[str, str]]:
    """IRI -> (label text, fill colour) of each drawn node (the legend left out)."""
    found = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        title = group.find(f"{SVG}title").text
        if title.startswith("legend: "):
            continue
        text = "".join(t.text or "" for t in group.iter(f"{SVG}text"))
        fill = next(p.get("fill") for p in group.iter() if p.tag in (f"{SVG}path", f"{SVG}polygon"))
        found[title] = (text, fill)
    return found


def test_graphviz_renders_every_node_with_its_label_and_colour(small_store, dot_program, expected):
    svg = render(dot_program, export(small_store, "dot"))
    nodes = nodes_of(svg)
    assert len(nodes) == expected.PICTURE_NODES
    assert nodes[expected.E + "Microsoft"] == ("Microsoft", TYPE_COLORS["Company"])
    assert nodes[expected.E + "AT%26T"][0] == "AT&T"
    assert nodes[expected.E + "%22Quote%22_Studio_%3Cbeta%3E"][0] == '"Quote" Studio <beta> \\ Zürich'
    edges = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "edge"]
    assert len(edges) == expected.PICTURE_EDGES
    edge_texts = {"".join(t.text or "" for t in g.iter(f"{SVG}text")) for g in edges}
    assert {"partnersWith", "usesPlatform", "hasGoal"} <= edge_texts


def test_the_legend_lists_the_types_shown(small_store, dot_program):
    svg = render(dot_program, export(small_store, "dot", around="Stellantis", depth=1))
    legend = {g.find(f"{SVG}title").text for g in svg.iter(f"{SVG}g")
              if g.get("class") == "node" and g.find(f"{SVG}title").text.startswith("legend: ")}
    assert legend == {"legend: Company", "legend: Goal", "legend: Partnership", "legend: Platform", "legend: Product"}


def test_iris_are_quoted(small_store):
    text = export(small_store, "dot").decode()
    assert '"https://w3id.org/kg/id/entity/Stellantis" -> "https://w3id.org/kg/id/entity/Azure"' in text
    assert 'label="\\"Quote\\" Studio <beta> \\\\ Zürich"' in text
