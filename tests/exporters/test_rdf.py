"""RDF exports, read back with rdflib: Turtle, N-Triples, N-Quads, TriG, JSON-LD."""
from __future__ import annotations

import json

import pytest
import rdflib
from rdflib import RDF, RDFS, SKOS, Literal, URIRef

from kg.exporters import export

KG = rdflib.Namespace("https://w3id.org/kg/ontology#")
E = rdflib.Namespace("https://w3id.org/kg/id/entity/")
QUOTE_LABEL = '"Quote" Studio <beta> \\ Zürich'

# rdflib 7's own parsers use its deprecated Dataset API
pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated.*:DeprecationWarning")


def default_graph_size(store) -> int:
    return sum(1 for _ in store.quads(None))


@pytest.mark.parametrize("fmt, syntax", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_the_default_graph_reads_back(small_store, fmt, syntax):
    graph = rdflib.Graph().parse(data=export(small_store, fmt), format=syntax)
    assert len(graph) == default_graph_size(small_store)
    assert (E.Microsoft, RDFS.label, Literal("Microsoft")) in graph
    assert (E.Microsoft, SKOS.altLabel, Literal("MSFT")) in graph
    assert (E.Microsoft, RDF.type, KG.Company) in graph
    assert (E.Stellantis, KG.partnersWith, E.Microsoft) in graph
    assert (E.Microsoft, KG.partnersWith, E.Stellantis) in graph
    assert (E["AT%26T"], RDFS.label, Literal("AT&T")) in graph
    assert (None, RDFS.label, Literal(QUOTE_LABEL)) in graph


@pytest.mark.parametrize("fmt", ["turtle", "nt", "nquads", "trig", "jsonld"])
def test_the_formats_hold_the_same_triples(small_store, fmt):
    reference = rdflib.Graph().parse(data=export(small_store, "nt"), format="nt")
    if fmt in ("nquads", "trig"):
        dataset = rdflib.Dataset()
        dataset.parse(data=export(small_store, fmt), format=fmt)
        got = set(dataset.default_graph)
    else:
        got = set(rdflib.Graph().parse(data=export(small_store, fmt), format={"jsonld": "json-ld"}.get(fmt, fmt)))
    assert got == set(reference)


@pytest.mark.parametrize("fmt", ["nquads", "trig"])
def test_quads_carry_the_article_graphs(small_store, expected, fmt):
    dataset = rdflib.Dataset()
    dataset.parse(data=export(small_store, fmt), format=fmt)
    named = {str(g.identifier) for g in dataset.graphs() if g.identifier != rdflib.graph.DATASET_DEFAULT_GRAPH_ID}
    assert named == expected.ARTICLES
    union = set()
    for article in expected.ARTICLES:
        graph = dataset.graph(URIRef(article))
        assert (URIRef(article), RDF.type, KG.Article) in graph
        union |= set(graph)
    assert union == set(dataset.default_graph)  # the default graph is the union, as in the store
    escapes = dataset.graph(URIRef(expected.A + "0123456789abcdef"))
    assert (E["AT%26T"], KG.competesWith, E.Microsoft) in escapes
    assert (E.Stellantis, KG.formerPartnerOf, E.Amazon) not in escapes


def test_quads_of_a_part_say_which_articles_state_them(small_store, expected):
    dataset = rdflib.Dataset()
    dataset.parse(data=export(small_store, "nquads", around="Stellantis", depth=1), format="nquads")
    contexts = {str(c.identifier) for c in dataset.graphs((E.Stellantis, KG.partnersWith, E.Microsoft))}
    assert {expected.A + "ec105b93c477087b", expected.A + "bce34b61fba21d8d"} <= contexts
    assert (E.Stellantis, KG.partnersWith, E.Microsoft) in dataset.default_graph


def test_turtle_uses_kg_prefixes(small_store):
    text = export(small_store, "turtle").decode()
    assert "@prefix kg: <https://w3id.org/kg/ontology#> ." in text
    assert "kg:partnersWith" in text


def test_jsonld_has_a_context_of_short_names(small_store, expected):
    document = json.loads(export(small_store, "jsonld"))
    context = document["@context"]
    assert context["label"] == str(RDFS.label)
    assert context["partnersWith"] == {"@id": str(KG.partnersWith), "@type": "@id"}
    nodes = {node["id"]: node for node in document["@graph"]}
    microsoft = nodes[expected.E + "Microsoft"]
    assert microsoft["label"] == "Microsoft"
    assert set(microsoft["type"]) == {"Company", "Organization"}
    assert microsoft["partnersWith"] == expected.E + "Stellantis"
    assert sorted(microsoft["altLabel"]) == ["MS", "MSFT", "Microsoft Corporation"]
    assert microsoft["hasTicker"] == "MSFT"
    partnership = nodes[expected.A + "ec105b93c477087b/partnership/0"]
    assert partnership["durationYears"] == 5 and partnership["type"] == "Partnership"


def test_a_query_result_exports_as_rdf(small_store):
    data = export(small_store, "turtle", construct="CONSTRUCT { ?a kg:partnersWith ?b } WHERE { ?a kg:partnersWith ?b }")
    graph = rdflib.Graph().parse(data=data, format="turtle")
    assert set(graph) == {(E.Stellantis, KG.partnersWith, E.Microsoft), (E.Microsoft, KG.partnersWith, E.Stellantis)}


def test_around_exports_the_part_and_its_evidence(small_store):
    graph = rdflib.Graph().parse(data=export(small_store, "turtle", around="Amazon", depth=1), format="turtle")
    assert (E.Amazon, KG.formerPartnerOf, E.Stellantis) in graph
    assert (E.Stellantis, RDFS.label, Literal("Stellantis")) in graph
    assert (E.Microsoft, None, None) not in graph
    evidence = set(graph.subjects(RDF.predicate, KG.formerPartnerOf))
    assert len(evidence) == 1 and graph.value(evidence.pop(), KG.rule) == Literal("rel.partner.former")
