"""Scoring a store against a gold file, by the rules of vocabulary.md."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from kg.errors import InputError
from kg.evaluate import evaluate
from kg.identity import EntityIndex
from kg.model import Article, Entity, Event, Evidence, Extraction, Relation
from kg.rdf import article_triples
from kg.store import Store

EV = Evidence("s", 0, 1, "r", 0.9)


def store_with(*relations: tuple[str, str, str], entities=(), events=()) -> Store:
    article = Article("text", "doc.txt", "/doc.txt", "cd" * 32)
    extraction = Extraction(article, entities=tuple(entities),
                            relations=tuple(Relation(s, p, o, EV, literal=p in ("hasTicker", "jobTitle"))
                                            for s, p, o in relations), events=tuple(events))
    store = Store(None)
    store.add_articles([article_triples(extraction, EntityIndex("https://example.org/"),
                                        ingested_at=datetime.now(timezone.utc))])
    return store


GOLD = {
    "entities": [{"label": "Acme", "type": "Company", "aliases": ["Acme Corp"]},
                 {"label": "Globex", "type": "Company", "aliases": []},
                 {"label": "Initech", "type": "Company", "aliases": []}],
    "relations": [{"s": "Acme", "p": "partnersWith", "o": "Globex", "doc": "doc.txt"},
                  {"s": "Acme", "p": "hasTicker", "o": "ACM", "doc": "doc.txt"},
                  {"s": "Acme", "p": "acquires", "o": "Initech", "doc": "doc.txt"}],
    "optional": [{"s": "Globex", "p": "competesWith", "o": "Initech"}],
    "events": [{"type": "Goal", "agent": "Acme", "metric": "data centre footprint", "changePercent": -60,
                "targetYear": 2029}],
}
ENTITIES = (Entity("Acme", "Company", frozenset({"Acme Corp"})), Entity("Globex", "Company"),
            Entity("Initech", "Company"))


@pytest.fixture
def gold(tmp_path):
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(GOLD))
    return path


def test_matches_by_alias_either_direction_for_symmetric_and_ignores_optional(gold):
    store = store_with(("Globex", "partnersWith", "Acme"), ("Acme", "hasTicker", "acm"),
                       ("Globex", "competesWith", "Initech"), ("Initech", "acquires", "Acme"), entities=ENTITIES)
    report = evaluate(store, gold)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 1, 1)
    assert report.false_positives == [("Initech", "acquires", "Acme")]
    assert report.false_negatives == [("Acme", "acquires", "Initech")]
    assert report.relations["partnersWith"].f1 == 1.0
    assert report.entities.tp == 3 and report.entities.fp == 0


def test_a_goal_matches_with_centre_or_center_and_signed_percent(gold):
    goal = Event("Goal", EV, agent="Acme", metric="data center footprint", change_percent=-60, target_year=2029)
    report = evaluate(store_with(entities=ENTITIES, events=(goal,)), gold)
    [event] = report.events
    assert event.found and all(event.attributes.values()), event.attributes


def test_an_entity_of_the_wrong_type_does_not_count(gold):
    report = evaluate(store_with(entities=(Entity("Acme", "Place"),)), gold)
    assert report.entities.tp == 0 and report.entities.fp == 1


def test_a_malformed_gold_file_is_an_input_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"entities": 3}')
    with pytest.raises(InputError, match="bad.json"):
        evaluate(Store(None), bad)
