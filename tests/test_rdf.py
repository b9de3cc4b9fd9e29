"""Mapping extractions onto the ontology: the shape docs/rdf-shape.md promises."""
from __future__ import annotations

from datetime import datetime, timezone

import pyoxigraph as ox

from kg.identity import EntityIndex
from kg.model import Article, Entity, Event, Evidence, Extraction, Relation
from kg.ontology import KG, RDF, RDFS, SKOS
from kg.rdf import article_iri, article_triples

BASE = "https://example.org/id/"
TEXT = "Acme Robotics Inc. (NYSE: ACME) and Globex signed a five-year partnership."
EV = Evidence(TEXT, 0, len(TEXT), "rel.partner.and", 0.9)
ARTICLE = Article(TEXT, "a.txt", "/tmp/a.txt", "ab" * 32, title="Deal")
EXTRACTION = Extraction(
    ARTICLE,
    entities=(Entity("Acme Robotics", "Company", frozenset({"Acme Robotics Inc.", "ACME"})), Entity("Globex", "Company"),
              Entity("robotics", "Technology")),
    relations=(Relation("Acme Robotics", "partnersWith", "Globex", EV),
               Relation("Acme Robotics", "hasTicker", "ACME", EV, literal=True)),
    events=(Event("Partnership", EV, participants=("Acme Robotics", "Globex"), focuses=("robotics",),
                  duration_years=5, announced_on="--04-16"),
            Event("Goal", EV, agent="Globex", metric="emissions", change_percent=-60.0, target_year=2030)),
)


def graph_of(extraction: Extraction = EXTRACTION) -> tuple[str, ox.Store]:
    graph, triples = article_triples(extraction, EntityIndex(BASE), base_iri=BASE,
                                     ingested_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    return graph, store


def ask(store: ox.Store, query: str) -> bool:
    prefixes = f"PREFIX kg: <{KG.partnersWith[:-12]}> PREFIX rdf: <{RDF}> PREFIX rdfs: <{RDFS}> PREFIX skos: <{SKOS}> "
    prefixes += "PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
    return bool(store.query(prefixes + query))


def test_the_article_graph_is_named_from_the_content_hash():
    graph, store = graph_of()
    assert graph == article_iri(ARTICLE, BASE) == BASE + "article/" + "ab" * 8
    assert ask(store, f'ASK {{ <{graph}> a kg:Article ; kg:fileName "a.txt" ; kg:sha256 "{"ab" * 32}" }}')


def test_entities_carry_leaf_type_superclass_label_and_aliases():
    _, store = graph_of()
    assert ask(store, """ASK { ?e a kg:Company , kg:Organization ; rdfs:label "Acme Robotics" ;
                               skos:altLabel "Acme Robotics Inc." , "ACME" }""")


def test_symmetric_relations_are_written_both_ways_and_literals_as_literals():
    _, store = graph_of()
    assert ask(store, "ASK { ?a kg:partnersWith ?b . ?b kg:partnersWith ?a }")
    assert ask(store, 'ASK { ?a kg:hasTicker "ACME" }')


def test_every_relation_has_evidence_with_sentence_offsets_rule_and_confidence():
    graph, store = graph_of()
    assert ask(store, f"""ASK {{ ?ev rdf:subject ?a ; rdf:predicate kg:partnersWith ; rdf:object ?b ;
        prov:wasDerivedFrom <{graph}> ; kg:sentence ?s ; kg:charStart 0 ; kg:charEnd {len(TEXT)} ;
        kg:rule "rel.partner.and" ; kg:confidence 0.9 }}""")


def test_events_become_nodes_with_typed_attributes():
    _, store = graph_of()
    assert ask(store, """ASK { ?p a kg:Partnership ; kg:participant ?a , ?b ; kg:focusesOn ?t ;
        kg:durationYears 5 ; kg:announcedOn "--04-16"^^xsd:gMonthDay ; kg:evidence ?ev . FILTER(?a != ?b) }""")
    assert ask(store, """ASK { ?org kg:hasGoal ?g . ?g a kg:Goal ; kg:metric "emissions" ;
        kg:changePercent -60.0 ; kg:targetYear 2030 }""")


def test_a_relation_to_an_entity_the_extraction_does_not_hold_is_dropped():
    dangling = Extraction(ARTICLE, entities=(Entity("Globex", "Company"),),
                          relations=(Relation("Globex", "acquires", "Nobody", EV),))
    _, store = graph_of(dangling)
    assert not ask(store, "ASK { ?a kg:acquires ?b }")
