"""Cytoscape.js JSON: its shape, and loaded by the bundled Cytoscape.js in headless Chromium."""
from __future__ import annotations

import json

from kg.exporters import export
from kg.exporters.html import CYTOSCAPE_JS


def test_every_element_has_the_data_cytoscape_needs(small_store, expected):
    document = json.loads(export(small_store, "cytoscape"))
    nodes, edges = document["elements"]["nodes"], document["elements"]["edges"]
    assert len(nodes) == expected.PICTURE_NODES and len(edges) == expected.PICTURE_EDGES
    ids = {n["data"]["id"] for n in nodes}
    for node in nodes:
        data = node["data"]
        assert {"id", "label", "type", "color"} <= set(data)
        assert all(isinstance(v, str) for v in data.values())
        assert set(node["position"]) == {"x", "y"}
    for edge in edges:
        data = edge["data"]
        assert {"id", "source", "target", "label"} <= set(data)
        assert all(isinstance(v, str) for v in data.values())
        assert data["source"] in ids and data["target"] in ids
    edge_ids = [e["data"]["id"] for e in edges]
    assert len(set(edge_ids)) == len(edge_ids) and not set(edge_ids) & ids
    labels = {n["data"]["label"]: n["data"]["type"] for n in nodes}
    assert labels == expected.PICTURE


def test_the_bundled_cytoscape_loads_it(small_store, page, tmp_path, expected):
    data = export(small_store, "cytoscape").decode()
    page.set_content('<!DOCTYPE html><html><body><div id="cy" style="width:800px;height:600px"></div></body></html>')
    page.add_script_tag(path=str(CYTOSCAPE_JS))
    counts = page.evaluate(
        """text => {
             const doc = JSON.parse(text);
             window.cy = cytoscape({container: document.getElementById('cy'), elements: doc.elements,
                                    layout: {name: 'preset'}});
             return [cy.nodes().length, cy.edges().length,
                     cy.getElementById('https://w3id.org/kg/id/entity/Stellantis').data('label'),
                     cy.getElementById('https://w3id.org/kg/id/entity/Stellantis').connectedEdges().length];
           }""",
        data,
    )
    assert counts == [expected.PICTURE_NODES, expected.PICTURE_EDGES, "Stellantis", 7]
    assert page.errors == [] and page.remote_requests == []
