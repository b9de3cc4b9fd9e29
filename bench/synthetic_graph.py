"""A deterministic synthetic corpus, written straight to RDF in the shape a build writes.

No text is extracted: each synthetic article becomes the triples `kg build` would write for
it (docs/rdf-shape.md): the article node, its entities (leaf type plus superclasses, label,
aliases, mentionedIn), relations (symmetric ones both ways) each with an Evidence node,
literal relations (hasTicker, jobTitle) with evidence, and now and then a Partnership event.
Names are made up from syllables by a seeded random generator, so the same arguments always
give the same graph.

    python bench/synthetic_graph.py --articles 200 --store /tmp/synthetic-store

`load(path, articles=N, seed=S)` builds a store at `path` with kg.store.Store.add_articles.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from kg.ontology import DCTERMS, KG, PROV, RDF, RDFS, SKOS, XSD, superclasses, symmetric_properties
from kg.rdf import DEFAULT_BASE_IRI
from kg.store import Store

_SYLLABLES = ("ar", "bel", "cor", "dan", "el", "fen", "gar", "hol", "is", "jor", "kel", "lum", "mar", "nor",
              "or", "pel", "quin", "ros", "sol", "tar", "ul", "ven", "wen", "xi", "yor", "zen", "tri", "vex")
_COMPANY_SUFFIXES = ("Systems", "Motors", "Labs", "Energy", "Bank", "Group", "Networks", "Foods", "Robotics", "")
_PRODUCT_SUFFIXES = ("Pro", "One", "X", "Studio", "Pilot", "Max", "Suite", "Edge")
_PLATFORM_SUFFIXES = ("Cloud", "Platform", "OS", "Fabric")
_PLACE_SUFFIXES = ("", "ia", "burg", "ville", "stad")
_TECH_WORDS = ("quantum", "robotic", "neural", "solid-state", "edge", "autonomous", "genomic", "photonic",
               "distributed", "synthetic", "cellular", "orbital", "predictive", "secure", "adaptive")
_TECH_NOUNS = ("computing", "sensing", "batteries", "networking", "analytics", "manufacturing", "imaging",
               "logistics", "materials", "vision")
_TITLES = ("chief executive", "chief technology officer", "head of research", "chief financial officer",
           "co-founder and chief executive", "vice president of engineering")
_SOURCES = ("Wire Service", "Daily Ledger", "Market Tribune", "Tech Courier")

# property: (subject kinds, object kinds), with the vocabulary's domains and ranges
_RELATIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "partnersWith": (("org",), ("org",)),
    "formerPartnerOf": (("org",), ("org",)),
    "competesWith": (("org",), ("org",)),
    "usesPlatform": (("org",), ("platform",)),
    "deploys": (("org",), ("product", "platform")),
    "develops": (("org",), ("product", "platform", "tech")),
    "investsIn": (("org",), ("org",)),
    "acquires": (("org",), ("org",)),
    "subsidiaryOf": (("org",), ("org",)),
    "supplies": (("org",), ("org",)),
    "headquarteredIn": (("org",), ("place",)),
    "worksFor": (("person",), ("org",)),
    "listedOn": (("company",), ("exchange",)),
    "focusesOn": (("org",), ("tech",)),
}
_RELATION_WEIGHTS = {"partnersWith": 6, "formerPartnerOf": 1, "competesWith": 2, "usesPlatform": 3, "deploys": 3,
                     "develops": 4, "investsIn": 2, "acquires": 1, "subsidiaryOf": 1, "supplies": 2,
                     "headquarteredIn": 2, "worksFor": 4, "listedOn": 1, "focusesOn": 2}


@dataclass
class SyntheticEntity:
    iri: str
    label: str
    type: str
    kind: str
    aliases: tuple[str, ...] = ()
    ticker: str | None = None
    title: str | None = None


@dataclass
class Universe:
    """Every entity the corpus may mention, grouped by kind, with a popularity skew."""

    by_kind: dict[str, list[SyntheticEntity]] = field(default_factory=dict)

    def pick(self, rng: random.Random, kind: str) -> SyntheticEntity:
        pool = self.by_kind[kind]
        # a skewed choice: a few hubs, a long tail
        return pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1) if rng.random() < 0.5
                    else rng.randrange(len(pool))]


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def _name(rng: random.Random, parts: int, used: set[str], suffixes: tuple[str, ...] = ("",)) -> str:
    while True:
        name = f"{_word(rng, parts)} {rng.choice(suffixes)}".strip()
        if name.casefold() not in used:
            used.add(name.casefold())
            return name


def _entity_iri(base: str, label: str) -> str:
    return base + "entity/" + quote(label.replace(" ", "_"), safe="")


def universe(seed: int = 7, *, scale: float = 1.0, base_iri: str = DEFAULT_BASE_IRI) -> Universe:
    """The entities of the synthetic world; `scale` multiplies how many there are."""
    rng = random.Random(seed)
    used: set[str] = set()
    u = Universe()

    def make(kind: str, type_: str, n: int, factory) -> None:  # type: ignore[no-untyped-def]
        for _ in range(max(1, int(n * scale))):
            label, aliases, extra = factory()
            u.by_kind.setdefault(kind, []).append(
                SyntheticEntity(_entity_iri(base_iri, label), label, type_, kind, aliases, **extra))

    def company():  # type: ignore[no-untyped-def]
        label = _name(rng, rng.choice((2, 2, 3)), used, _COMPANY_SUFFIXES)
        ticker = "".join(c for c in label.upper() if c.isalpha())[:4] + str(rng.randrange(10))
        aliases = (f"{label} Inc.",) if rng.random() < 0.4 else ()
        return label, aliases, {"ticker": ticker if rng.random() < 0.5 else None}

    make("company", "Company", 4000, company)
    make("media", "MediaOrganization", 60, lambda: (_name(rng, 2, used, ("News", "Times", "Wire")), (), {}))
    make("exchange", "Organization", 12, lambda: (_name(rng, 2, used, ("Exchange",)).upper(), (), {}))
    make("agency", "Organization", 150, lambda: (_name(rng, 2, used, ("Ministry", "Authority", "University")), (), {}))
    def person():  # type: ignore[no-untyped-def]
        while True:
            label = f"{_word(rng, 2)} {_word(rng, rng.choice((2, 3)))}"
            if label.casefold() not in used:
                used.add(label.casefold())
                return label, (), {"title": rng.choice(_TITLES)}

    make("person", "Person", 3500, person)
    make("product", "Product", 2500, lambda: (_name(rng, 2, used, _PRODUCT_SUFFIXES), (), {}))
    make("platform", "Platform", 300, lambda: (_name(rng, 2, used, _PLATFORM_SUFFIXES), (), {}))

    def tech():  # type: ignore[no-untyped-def]
        for attempt in range(1000):
            label = f"{rng.choice(_TECH_WORDS)} {rng.choice(_TECH_NOUNS)}"
            if attempt > 50:
                label = f"{rng.choice(_TECH_WORDS)} {_word(rng, 2).lower()} {rng.choice(_TECH_NOUNS)}"
            if label not in used:
                used.add(label)
                return label, (), {}
        raise RuntimeError("no technology name left")

    make("tech", "Technology", 120, tech)
    make("place", "Place", 400, lambda: (_name(rng, 2, used, _PLACE_SUFFIXES), (), {}))
    u.by_kind["org"] = u.by_kind["company"] + u.by_kind["agency"]
    return u


def _kg(name: str) -> ox.NamedNode:
    return ox.NamedNode(KG[name])


_TYPE = ox.NamedNode(RDF + "type")
_INT = ox.NamedNode(XSD + "integer")
_DEC = ox.NamedNode(XSD + "decimal")


def articles(n: int, seed: int = 7, *, scale: float = 1.0,
             base_iri: str = DEFAULT_BASE_IRI) -> Iterator[tuple[str, list[ox.Triple]]]:
    """`n` article graphs as (graph IRI, triples), the same every time for the same arguments."""
    u = universe(seed, scale=scale, base_iri=base_iri)
    rng = random.Random(seed * 7919 + 1)
    symmetric = symmetric_properties()
    props = list(_RELATION_WEIGHTS)
    weights = [_RELATION_WEIGHTS[p] for p in props]
    for i in range(n):
        relations: list[tuple[SyntheticEntity, str, SyntheticEntity]] = []
        for p in rng.choices(props, weights, k=rng.randint(5, 11)):
            s_kinds, o_kinds = _RELATIONS[p]
            s = u.pick(rng, rng.choice(s_kinds))
            o = u.pick(rng, rng.choice(o_kinds))
            if s.iri != o.iri:
                relations.append((s, p, o))
        mentioned: dict[str, SyntheticEntity] = {}
        for s, _, o in relations:
            mentioned.setdefault(s.iri, s)
            mentioned.setdefault(o.iri, o)
        for _ in range(rng.randint(1, 4)):  # mentioned without a relation
            e = u.pick(rng, rng.choice(("company", "place", "person", "tech")))
            mentioned.setdefault(e.iri, e)
        sentences = [f"{s.label} {p} {o.label}." for s, p, o in relations]
        text = f"Synthetic article {seed}-{i}\n" + " ".join(sentences)
        sha = hashlib.sha256(text.encode()).hexdigest()
        graph = f"{base_iri}article/{sha[:16]}"
        node = ox.NamedNode(graph)
        t: list[ox.Triple] = []
        add = t.append
        add(ox.Triple(node, _TYPE, _kg("Article")))
        add(ox.Triple(node, _kg("fileName"), ox.Literal(f"{i:06d}_{sha[:16]}.txt")))
        add(ox.Triple(node, _kg("sourcePath"), ox.Literal(f"/synthetic/{i:06d}_{sha[:16]}.txt")))
        add(ox.Triple(node, _kg("sha256"), ox.Literal(sha)))
        add(ox.Triple(node, ox.NamedNode(PROV + "generatedAtTime"),
                      ox.Literal("2026-01-01T00:00:00Z", datatype=ox.NamedNode(XSD + "dateTime"))))
        add(ox.Triple(node, ox.NamedNode(DCTERMS + "title"), ox.Literal(f"Synthetic article {seed}-{i}")))
        add(ox.Triple(node, ox.NamedNode(DCTERMS + "date"),
                      ox.Literal(f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", datatype=ox.NamedNode(XSD + "date"))))
        add(ox.Triple(node, ox.NamedNode(DCTERMS + "source"), ox.Literal(_SOURCES[i % len(_SOURCES)])))
        for e in mentioned.values():
            subject = ox.NamedNode(e.iri)
            for type_ in (e.type, *superclasses(e.type)):
                add(ox.Triple(subject, _TYPE, _kg(type_)))
            add(ox.Triple(subject, ox.NamedNode(RDFS + "label"), ox.Literal(e.label)))
            for alias in e.aliases:
                if rng.random() < 0.5:
                    add(ox.Triple(subject, ox.NamedNode(SKOS + "altLabel"), ox.Literal(alias)))
            add(ox.Triple(subject, _kg("mentionedIn"), node))
        ev_n = 0
        offset = len(text.split("\n", 1)[0]) + 1

        def evidence(statement: tuple[ox.Term, ox.NamedNode, ox.Term] | None, sentence: str, rule: str) -> ox.NamedNode:
            nonlocal ev_n, offset
            ev = ox.NamedNode(f"{graph}/evidence/{ev_n}")
            ev_n += 1
            add(ox.Triple(ev, _TYPE, _kg("Evidence")))
            if statement is not None:
                add(ox.Triple(ev, ox.NamedNode(RDF + "subject"), statement[0]))
                add(ox.Triple(ev, ox.NamedNode(RDF + "predicate"), statement[1]))
                add(ox.Triple(ev, ox.NamedNode(RDF + "object"), statement[2]))
            add(ox.Triple(ev, ox.NamedNode(PROV + "wasDerivedFrom"), node))
            add(ox.Triple(ev, _kg("sentence"), ox.Literal(sentence)))
            add(ox.Triple(ev, _kg("charStart"), ox.Literal(str(offset), datatype=_INT)))
            add(ox.Triple(ev, _kg("charEnd"), ox.Literal(str(offset + len(sentence)), datatype=_INT)))
            add(ox.Triple(ev, _kg("rule"), ox.Literal(rule)))
            add(ox.Triple(ev, _kg("confidence"), ox.Literal(f"0.{rng.randint(5, 9)}", datatype=_DEC)))
            offset += len(sentence) + 1
            return ev

        for (s, p, o), sentence in zip(relations, sentences):
            sn, pn, on = ox.NamedNode(s.iri), _kg(p), ox.NamedNode(o.iri)
            add(ox.Triple(sn, pn, on))
            if p in symmetric:
                add(ox.Triple(on, pn, sn))
            evidence((sn, pn, on), sentence, f"synthetic.{p}")
        for e in mentioned.values():
            if e.ticker and rng.random() < 0.3:
                lit = ox.Literal(e.ticker)
                add(ox.Triple(ox.NamedNode(e.iri), _kg("hasTicker"), lit))
                evidence((ox.NamedNode(e.iri), _kg("hasTicker"), lit), f"{e.label} ({e.ticker})", "synthetic.ticker")
            if e.title and rng.random() < 0.3:
                lit = ox.Literal(e.title)
                add(ox.Triple(ox.NamedNode(e.iri), _kg("jobTitle"), lit))
                evidence((ox.NamedNode(e.iri), _kg("jobTitle"), lit), f"{e.label}, {e.title}", "synthetic.title")
        partners = [(s, o) for s, p, o in relations if p == "partnersWith"]
        if partners and rng.random() < 0.4:
            s, o = partners[0]
            event = ox.NamedNode(f"{graph}/partnership/0")
            add(ox.Triple(event, _TYPE, _kg("Partnership")))
            add(ox.Triple(event, _kg("participant"), ox.NamedNode(s.iri)))
            add(ox.Triple(event, _kg("participant"), ox.NamedNode(o.iri)))
            tech = u.pick(rng, "tech")
            add(ox.Triple(ox.NamedNode(tech.iri), _TYPE, _kg("Technology")))
            add(ox.Triple(ox.NamedNode(tech.iri), ox.NamedNode(RDFS + "label"), ox.Literal(tech.label)))
            add(ox.Triple(ox.NamedNode(tech.iri), _kg("mentionedIn"), node))
            add(ox.Triple(event, _kg("focusesOn"), ox.NamedNode(tech.iri)))
            add(ox.Triple(event, _kg("durationYears"), ox.Literal(str(rng.randint(1, 10)), datatype=_INT)))
            said = evidence(None, f"{s.label} and {o.label} agreed.", "synthetic.event")
            add(ox.Triple(event, _kg("evidence"), said))
        yield graph, t


def load(path: str | Path, *, articles_count: int, seed: int = 7, scale: float = 1.0, batch: int = 500,
         progress: bool = False) -> dict[str, float]:
    """Write the synthetic corpus into a new store at `path`; returns counts and seconds."""
    started = time.perf_counter()
    written = 0
    with Store(path) as store:
        pending: list[tuple[str, list[ox.Triple]]] = []
        for n, item in enumerate(articles(articles_count, seed, scale=scale), 1):
            pending.append(item)
            if len(pending) >= batch:
                written += store.add_articles(pending)
                pending = []
                if progress:
                    print(f"synthetic: {n:,} articles", flush=True)
        if pending:
            written += store.add_articles(pending)
        quads = len(store)
        graphs = store.article_count()
        triples = sum(1 for _ in store.raw.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return {"articles": graphs, "quads": quads, "default_graph_triples": triples, "quads_written": written,
            "seconds": round(time.perf_counter() - started, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--scale", type=float, default=1.0, help="multiplies the number of entities")
    parser.add_argument("--store", required=True, type=Path)
    args = parser.parse_args()
    print(load(args.store, articles_count=args.articles, seed=args.seed, scale=args.scale, progress=True))


if __name__ == "__main__":
    main()
