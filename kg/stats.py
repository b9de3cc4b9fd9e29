"""Counts that describe a store: articles, entities by type, relations by property, triples."""
from __future__ import annotations

from collections import Counter
from typing import Any

from .ontology import datatype_properties, local_name, object_properties, superclasses
from .store import Store

_NOT_RELATIONS = {"mentionedIn", "evidence", "participant", "fileName", "sourcePath", "sha256", "sentence",
                  "charStart", "charEnd", "rule", "confidence", "durationYears", "initiativeCount", "announcedOn",
                  "changePercent", "metric", "targetYear"}


def stats(store: Store) -> dict[str, Any]:
    """Counts of articles, entities (by leaf type), relations (by property) and quads."""
    types: dict[str, set[str]] = {}
    for r in store.select("SELECT DISTINCT ?e ?t WHERE { ?e kg:mentionedIn ?a ; a ?t }"):
        types.setdefault(r["e"].value, set()).add(local_name(r["t"].value))
    by_type = Counter(max(ts, key=lambda t: len(superclasses(t))) for ts in types.values())
    relations = {
        local_name(r["p"].value): int(r["n"].value)
        for r in store.select("""SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o .
            FILTER(STRSTARTS(STR(?p), STR(kg:))) } GROUP BY ?p ORDER BY DESC(?n)""")
        if local_name(r["p"].value) not in _NOT_RELATIONS
        and local_name(r["p"].value) in object_properties() | datatype_properties()
    }
    entities = store.select("SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e kg:mentionedIn ?a }")
    return {
        "articles": store.article_count(),
        "triples": int(store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"].value),
        "quads": len(store),
        "entities": int(entities[0]["n"].value),
        "entities_by_type": dict(by_type.most_common()),
        "relations_by_property": relations,
    }
