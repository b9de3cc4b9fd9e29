"""Model objects -> RDF triples of one article graph, in the shape docs/rdf-shape.md describes."""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from datetime import datetime, timezone
from decimal import Decimal

import pyoxigraph as ox

from .identity import EntityIndex, Known
from .model import Article, Event, Evidence, Extraction
from .ontology import DCTERMS, KG, PROV, RDF, RDFS, SKOS, XSD, datatype_properties, superclasses, symmetric_properties

DEFAULT_BASE_IRI = "https://w3id.org/kg/id/"

_TYPE = ox.NamedNode(RDF + "type")
_LABEL = ox.NamedNode(RDFS + "label")
_ALT = ox.NamedNode(SKOS + "altLabel")
_DERIVED = ox.NamedNode(PROV + "wasDerivedFrom")
_INT = ox.NamedNode(XSD + "integer")
_DECIMAL = ox.NamedNode(XSD + "decimal")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MONTH_DAY_RE = re.compile(r"^--\d{2}-\d{2}$")


def article_iri(article: Article, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """The IRI naming an article and its graph: derived from its content."""
    return f"{base_iri}article/{article.sha256[:16]}"


@cache  # a few dozen names, asked for about 130 times per article
def _kg(name: str) -> ox.NamedNode:
    return ox.NamedNode(KG[name])


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(int(value)), datatype=_INT)


def _decimal(value: float) -> ox.Literal:
    return ox.Literal(format(Decimal(repr(float(value))), "f"), datatype=_DECIMAL)


def _date(value: str) -> ox.Literal:
    if _DATE_RE.match(value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
    if _MONTH_DAY_RE.match(value):
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "gMonthDay"))
    return ox.Literal(value)


def article_triples(
    extraction: Extraction,
    index: EntityIndex,
    *,
    base_iri: str = DEFAULT_BASE_IRI,
    ingested_at: datetime | None = None,
) -> tuple[str, list[ox.Triple]]:
    """The graph IRI and triples for one article; entities are resolved through `index`."""
    article = extraction.article
    graph = article_iri(article, base_iri)
    node = ox.NamedNode(graph)
    triples: list[ox.Triple] = []
    add = triples.append
    when = (ingested_at or datetime.now(timezone.utc)).replace(microsecond=0)

    add(ox.Triple(node, _TYPE, _kg("Article")))
    add(ox.Triple(node, _kg("fileName"), ox.Literal(article.name)))
    add(ox.Triple(node, _kg("sourcePath"), ox.Literal(article.path)))
    add(ox.Triple(node, _kg("sha256"), ox.Literal(article.sha256)))
    add(ox.Triple(node, ox.NamedNode(PROV + "generatedAtTime"),
                  ox.Literal(when.isoformat().replace("+00:00", "Z"), datatype=ox.NamedNode(XSD + "dateTime"))))
    if article.title:
        add(ox.Triple(node, ox.NamedNode(DCTERMS + "title"), ox.Literal(article.title)))
    if article.date:
        add(ox.Triple(node, ox.NamedNode(DCTERMS + "date"), _date(article.date)))
    if article.source:
        add(ox.Triple(node, ox.NamedNode(DCTERMS + "source"), ox.Literal(article.source)))

    known: dict[str, Known] = {}
    for entity in extraction.entities:
        k = index.resolve(entity)
        known[entity.label] = k
        subject = ox.NamedNode(k.iri)
        for type_ in (k.type, *superclasses(k.type)):
            add(ox.Triple(subject, _TYPE, _kg(type_)))
        add(ox.Triple(subject, _LABEL, ox.Literal(k.label)))
        for alias in sorted({entity.label, *entity.aliases} - {k.label}):
            add(ox.Triple(subject, _ALT, ox.Literal(alias)))
        add(ox.Triple(subject, _kg("mentionedIn"), node))

    evidence_count = 0

    def evidence(ev: Evidence, statement: tuple[ox.NamedNode, ox.NamedNode, ox.Term] | None) -> ox.NamedNode:
        nonlocal evidence_count
        ev_node = ox.NamedNode(f"{graph}/evidence/{evidence_count}")
        evidence_count += 1
        add(ox.Triple(ev_node, _TYPE, _kg("Evidence")))
        if statement is not None:
            add(ox.Triple(ev_node, ox.NamedNode(RDF + "subject"), statement[0]))
            add(ox.Triple(ev_node, ox.NamedNode(RDF + "predicate"), statement[1]))
            add(ox.Triple(ev_node, ox.NamedNode(RDF + "object"), statement[2]))
        add(ox.Triple(ev_node, _DERIVED, node))
        add(ox.Triple(ev_node, _kg("sentence"), ox.Literal(ev.sentence)))
        add(ox.Triple(ev_node, _kg("charStart"), _integer(ev.start)))
        add(ox.Triple(ev_node, _kg("charEnd"), _integer(ev.end)))
        add(ox.Triple(ev_node, _kg("rule"), ox.Literal(ev.rule)))
        add(ox.Triple(ev_node, _kg("confidence"), _decimal(round(ev.confidence, 3))))
        return ev_node

    literal_props = datatype_properties()
    symmetric = symmetric_properties()
    for rel in extraction.relations:
        s = known.get(rel.subject)
        if s is None:
            continue
        p = _kg(rel.predicate)
        if rel.literal or rel.predicate in literal_props:
            o: ox.Term = ox.Literal(rel.object)
        else:
            target = known.get(rel.object)
            if target is None:
                continue
            o = ox.NamedNode(target.iri)
        subject = ox.NamedNode(s.iri)
        add(ox.Triple(subject, p, o))
        if rel.predicate in symmetric and isinstance(o, ox.NamedNode):
            add(ox.Triple(o, p, subject))
        evidence(rel.evidence, (subject, p, o))

    counters: dict[str, int] = {}
    for event in extraction.events:
        _event_triples(event, graph, known, counters, add, evidence)
    return graph, triples


def _event_triples(
    event: Event,
    graph: str,
    known: dict[str, Known],
    counters: dict[str, int],
    add: Callable[[ox.Triple], None],
    evidence: Callable[[Evidence, None], ox.NamedNode],
) -> None:
    kind = event.type
    n = counters.get(kind, 0)
    counters[kind] = n + 1
    node = ox.NamedNode(f"{graph}/{kind.lower()}/{n}")
    add(ox.Triple(node, _TYPE, _kg(kind)))
    for label in event.participants:
        if label in known:
            add(ox.Triple(node, _kg("participant"), ox.NamedNode(known[label].iri)))
    for label in event.focuses:
        if label in known:
            add(ox.Triple(node, _kg("focusesOn"), ox.NamedNode(known[label].iri)))
    if event.agent and event.agent in known:
        add(ox.Triple(ox.NamedNode(known[event.agent].iri), _kg("hasGoal"), node))
    if event.duration_years is not None:
        add(ox.Triple(node, _kg("durationYears"), _integer(event.duration_years)))
    if event.initiative_count is not None:
        add(ox.Triple(node, _kg("initiativeCount"), _integer(event.initiative_count)))
    if event.announced_on:
        add(ox.Triple(node, _kg("announcedOn"), _date(event.announced_on)))
    if event.metric:
        add(ox.Triple(node, _kg("metric"), ox.Literal(event.metric)))
    if event.change_percent is not None:
        add(ox.Triple(node, _kg("changePercent"), _decimal(event.change_percent)))
    if event.target_year is not None:
        add(ox.Triple(node, _kg("targetYear"), _integer(event.target_year)))
    add(ox.Triple(node, _kg("evidence"), evidence(event.evidence, None)))
