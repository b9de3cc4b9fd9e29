"""Writes seeds-like.trig and deals.trig: hand-made extractions mapped by kg.rdf, as TriG.

seeds-like.trig is what a good extraction of seeds/ should give (spec/seeds-gold.json, read by
hand; sentences copied from the articles); deals.trig is one made-up article with the ownership
and supply relations the seeds lack, and an alias ("TVS") that a company and a product share.
Both hold article graphs only; tests load them with kg.store.Store.add_articles, which writes
the default-graph union exactly as a build does. Regenerate with:

    .venv/bin/python tests/data/graph/make_fixtures.py
"""
from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
INGESTED = datetime(2026, 1, 1, tzinfo=timezone.utc)


def _evidence(text: str, needle: str, rule: str, confidence: float = 0.9):
    from kg.model import Evidence

    at = text.index(needle)
    starts = [m.end() for m in re.finditer(r"(?<=[.!?”])\s+|\n+", text[:at])]
    start = starts[-1] if starts else 0
    end_match = re.search(r"[.!?](?=\s|$)", text[at:])
    end = at + end_match.end() if end_match else len(text)
    return Evidence(text[start:end].strip(), start, end, rule, confidence)


def seeds_like():
    from kg.extract.read import read_path
    from kg.model import Entity, Event, Extraction, Relation

    a000, = read_path(ROOT / "seeds" / "000_ec105b93c477087b.txt")
    a002, = read_path(ROOT / "seeds" / "002_bce34b61fba21d8d.txt")
    t0, t2 = a000.text, a002.text
    E = Entity
    first = Extraction(
        article=a000,
        entities=(
            E("Stellantis", "Company"), E("Microsoft", "Company", frozenset({"Microsoft Corporation", "MSFT"})),
            E("Azure", "Platform", frozenset({"Microsoft Azure"})), E("Microsoft 365 Copilot", "Product"),
            E("Reuters", "MediaOrganization"), E("NASDAQ", "Organization"),
            E("artificial intelligence", "Technology", frozenset({"AI"})), E("cybersecurity", "Technology"),
            E("engineering", "Technology"),
        ),
        relations=(
            Relation("Stellantis", "partnersWith", "Microsoft",
                     _evidence(t0, "Microsoft Corporation and Stellantis have entered into", "rel.partner.and")),
            Relation("Stellantis", "usesPlatform", "Azure",
                     _evidence(t0, "By leveraging Microsoft Azure", "rel.platform.leverage", 0.85)),
            Relation("Microsoft", "develops", "Azure",
                     _evidence(t0, "By leveraging Microsoft Azure", "rel.develops.name", 0.8)),
            Relation("Stellantis", "deploys", "Microsoft 365 Copilot",
                     _evidence(t0, "Stellantis will deploy Microsoft 365 Copilot", "rel.deploys.verb")),
            Relation("Microsoft", "develops", "Microsoft 365 Copilot",
                     _evidence(t0, "Stellantis will deploy Microsoft 365 Copilot", "rel.develops.name", 0.8)),
            Relation("Microsoft", "hasTicker", "MSFT",
                     _evidence(t0, "(NASDAQ:MSFT)", "rel.ticker.bracket", 0.95), literal=True),
            Relation("Microsoft", "listedOn", "NASDAQ",
                     _evidence(t0, "(NASDAQ:MSFT)", "rel.ticker.bracket", 0.7)),
        ),
        events=(
            Event("Partnership", _evidence(t0, "Microsoft Corporation and Stellantis have entered into", "evt.partnership"),
                  participants=("Stellantis", "Microsoft"),
                  focuses=("artificial intelligence", "cybersecurity", "engineering"),
                  duration_years=5, initiative_count=100, announced_on="--04-16"),
            Event("Goal", _evidence(t0, "reduce the automotive group's data center footprint", "evt.goal"),
                  agent="Stellantis", metric="data centre footprint", change_percent=-60, target_year=2029),
        ),
    )
    second = Extraction(
        article=a002,
        entities=(
            E("Stellantis", "Company"), E("Microsoft", "Company"), E("Amazon", "Company"),
            E("Azure", "Platform"), E("NewsTrackerToday", "MediaOrganization", frozenset({"News Tracker Today"})),
            E("Sophie Leclerc", "Person"), E("Ethan Cole", "Person"), E("Silicon Valley", "Place"),
            E("artificial intelligence", "Technology", frozenset({"AI"})), E("cybersecurity", "Technology"),
            E("software-defined vehicles", "Technology"),
        ),
        relations=(
            Relation("Stellantis", "partnersWith", "Microsoft",
                     _evidence(t2, "Stellantis has entered a five-year strategic partnership with Microsoft",
                               "rel.partner.with")),
            Relation("Stellantis", "usesPlatform", "Azure",
                     _evidence(t2, "through Microsoft’s Azure cloud", "rel.platform.through", 0.8)),
            Relation("Microsoft", "develops", "Azure",
                     _evidence(t2, "through Microsoft’s Azure cloud", "rel.develops.possessive", 0.85)),
            Relation("Stellantis", "formerPartnerOf", "Amazon",
                     _evidence(t2, "scaled back certain initiatives", "rel.partner.former", 0.8)),
            Relation("Sophie Leclerc", "jobTitle", "technology sector specialist",
                     _evidence(t2, "Sophie Leclerc, a technology sector specialist", "rel.title.apposition"),
                     literal=True),
            Relation("Ethan Cole", "jobTitle", "macroeconomics and central banks specialist",
                     _evidence(t2, "Ethan Cole, a macroeconomics", "rel.title.apposition"), literal=True),
        ),
        events=(
            Event("Partnership", _evidence(t2, "Stellantis has entered a five-year strategic partnership with",
                                           "evt.partnership"),
                  participants=("Stellantis", "Microsoft"),
                  focuses=("artificial intelligence", "cybersecurity"), duration_years=5),
        ),
    )
    return [first, second]


DEALS_TEXT = (
    "Stellantis agrees to buy Tarnvale Software\n"
    "Stellantis has agreed to acquire Tarnvale Software, a Turin-based maker of in-car apps. "
    "Tarnvale Software will operate as a subsidiary of Stellantis. "
    "Stellantis also took a minority stake in Brightwater Batteries, which supplies battery cells to Stellantis. "
    "Tarnvale Software (TVS) makes the Tarnvale Vehicle Suite (TVS), an app platform for dashboards.\n"
)


def deals():
    from kg.model import Article, Entity, Extraction, Relation

    text = DEALS_TEXT
    article = Article(text=text, name="003_stellantis_tarnvale.txt", path="/fixtures/003_stellantis_tarnvale.txt",
                      sha256=hashlib.sha256(text.encode()).hexdigest(), title="Stellantis agrees to buy Tarnvale Software",
                      date="2026-02-03", source="Fixture Wire")
    E = Entity
    return [Extraction(
        article=article,
        entities=(E("Stellantis", "Company"), E("Tarnvale Software", "Company", frozenset({"Tarnvale", "TVS"})),
                  E("Brightwater Batteries", "Company"), E("Turin", "Place"),
                  E("Tarnvale Vehicle Suite", "Product", frozenset({"TVS"}))),
        relations=(
            Relation("Stellantis", "acquires", "Tarnvale Software",
                     _evidence(text, "Stellantis has agreed to acquire", "rel.acquires.verb")),
            Relation("Tarnvale Software", "headquarteredIn", "Turin",
                     _evidence(text, "Stellantis has agreed to acquire", "rel.hq.based", 0.8)),
            Relation("Tarnvale Software", "subsidiaryOf", "Stellantis",
                     _evidence(text, "Tarnvale Software will operate", "rel.subsidiary.of")),
            Relation("Stellantis", "investsIn", "Brightwater Batteries",
                     _evidence(text, "Stellantis also took a minority stake", "rel.invests.stake")),
            Relation("Brightwater Batteries", "supplies", "Stellantis",
                     _evidence(text, "Stellantis also took a minority stake", "rel.supplies.which", 0.8)),
            Relation("Tarnvale Software", "develops", "Tarnvale Vehicle Suite",
                     _evidence(text, "Tarnvale Software (TVS) makes", "rel.develops.verb", 0.85)),
        ),
    )]


def write(extractions, target: Path, index=None) -> None:
    from kg.identity import EntityIndex
    from kg.rdf import DEFAULT_BASE_IRI, article_triples

    index = index or EntityIndex(DEFAULT_BASE_IRI)
    quads = []
    for extraction in extractions:
        graph, triples = article_triples(extraction, index, ingested_at=INGESTED)
        quads += [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(graph)) for t in triples]
    from kg.ontology import PREFIXES

    body = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes={**PREFIXES, "e": DEFAULT_BASE_IRI + "entity/"})
    header = "".join(f"# {line}\n".replace("# \n", "#\n") for line in __doc__.strip().splitlines())
    target.write_bytes(header.encode() + b"# Generated by make_fixtures.py; article graphs only.\n\n" + body)


if __name__ == "__main__":
    from kg.identity import EntityIndex
    from kg.rdf import DEFAULT_BASE_IRI

    index = EntityIndex(DEFAULT_BASE_IRI)
    write(seeds_like(), HERE / "seeds-like.trig", index)
    write(deals(), HERE / "deals.trig", index)
