"""Every format exports the real seeds build (tests/conftest.py) and reads back in its tool."""
from __future__ import annotations

import csv
import io
import json
import subprocess

import igraph
import networkx as nx
import pytest
import rdflib

from kg.exporters import select

KG = rdflib.Namespace("https://w3id.org/kg/ontology#")
E = rdflib.Namespace("https://w3id.org/kg/id/entity/")

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")


@pytest.fixture(scope="module")
def picture(seeds_kg):
    graph = select(seeds_kg.store).graph
    return len(graph), graph.number_of_edges()


@pytest.mark.parametrize("fmt, syntax", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_rdf(seeds_kg, fmt, syntax):
    graph = rdflib.Graph().parse(data=seeds_kg.export(fmt), format=syntax)
    assert len(graph) == sum(1 for _ in seeds_kg.store.quads(None))
    assert (E.Stellantis, KG.partnersWith, E.Microsoft) in graph


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_quads(seeds_kg, fmt):
    dataset = rdflib.Dataset()
    dataset.parse(data=seeds_kg.export(fmt), format=fmt)
    named = [g for g in dataset.graphs() if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID]
    assert len(named) == 2


def test_graphml(seeds_kg, picture, tmp_path):
    path = tmp_path / "seeds.graphml"
    path.write_bytes(seeds_kg.export("graphml"))
    graph = nx.read_graphml(path)
    assert (len(graph), graph.number_of_edges()) == picture
    assert graph.nodes[str(E.Stellantis)]["label"] == "Stellantis"
    loaded = igraph.Graph.Read_GraphML(str(path))
    assert (loaded.vcount(), loaded.ecount()) == picture


def test_gexf(seeds_kg, picture, tmp_path):
    path = tmp_path / "seeds.gexf"
    path.write_bytes(seeds_kg.export("gexf"))
    graph = nx.read_gexf(path)
    assert (len(graph), graph.number_of_edges()) == picture


def test_cytoscape(seeds_kg, picture):
    elements = json.loads(seeds_kg.export("cytoscape"))["elements"]
    assert (len(elements["nodes"]), len(elements["edges"])) == picture


def test_csv(seeds_kg, picture):
    edges = list(csv.DictReader(io.StringIO(seeds_kg.export("csv").decode())))
    assert len(edges) == picture[1]
    assert any(e["source_label"] in ("Stellantis", "Microsoft") and e["property"] == "partnersWith" for e in edges)


def test_dot(seeds_kg, picture, dot_program):
    result = subprocess.run([dot_program, "-Tsvg"], input=seeds_kg.export("dot"), capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr.decode()
    assert b">Stellantis</text>" in result.stdout


def test_html(seeds_kg, picture, page, tmp_path):
    path = tmp_path / "seeds.html"
    path.write_bytes(seeds_kg.export("html", around="Stellantis", depth=1))
    page.goto(path.as_uri())
    page.wait_for_function("window.kgReady === true", timeout=30_000)
    assert page.inner_text("#info h2") == "Stellantis"
    assert "partnersWith — Microsoft" in page.inner_text("#relations")
    assert page.errors == [] and page.remote_requests == []
