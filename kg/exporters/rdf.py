"""RDF formats: Turtle, N-Triples, N-Quads, TriG and JSON-LD.

Turtle, N-Triples and JSON-LD hold the default graph (the union of the articles); N-Quads
and TriG hold the article graphs too: for the whole graph, every quad of the store (so
loading the file into an empty store gives the store back); for a part, each triple in the
default graph and in every article graph that states it.

JSON-LD is compacted with a `@context` that gives short names: kg's classes and properties
by their local names (`"type": "Company"`, `"partnersWith": [...]`), `label` for rdfs:label,
`altLabel`, `title`, `wasDerivedFrom`, and `id`/`type` for `@id`/`@type`.
"""
from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ..ontology import (
    DCTERMS,
    NS,
    PREFIXES,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    classes,
    datatype_properties,
    object_properties,
)
from ._base import Exporter, Selection

if TYPE_CHECKING:
    import pyoxigraph as ox


def _sorted(triples: Any) -> list[ox.Triple]:
    """Triples grouped by subject, rdf:type first, so Turtle reads as one block per resource."""
    return sorted(triples, key=lambda t: (str(t.subject), t.predicate.value != RDF + "type", str(t.predicate), str(t.object)))


def _format(name: str) -> ox.RdfFormat:
    import pyoxigraph as ox

    return {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
            "nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[name]


def generate_rdf(selection: Selection, fmt: str) -> bytes:
    """The selection as Turtle (`turtle`), N-Triples (`nt`), N-Quads (`nquads`) or TriG (`trig`)."""
    import pyoxigraph as ox

    rdf_format = _format(fmt)
    prefixes = PREFIXES if fmt in ("turtle", "trig") else None
    if fmt in ("nquads", "trig"):
        if selection.triples is None:
            return selection.store.raw.dump(format=rdf_format, prefixes=prefixes)
        quads = list(selection.rdf_quads())
        return ox.serialize(quads, format=rdf_format, prefixes=prefixes) or b""
    if selection.triples is None:
        return selection.store.raw.dump(format=rdf_format, from_graph=ox.DefaultGraph(), prefixes=prefixes)
    return ox.serialize(_sorted(selection.triples), format=rdf_format, prefixes=prefixes) or b""


def jsonld_context() -> dict[str, Any]:
    """The JSON-LD `@context`: kg terms by local name, the usual prefixes, short names for
    the labels and provenance terms the graph uses."""
    context: dict[str, Any] = {"@vocab": NS, "id": "@id", "type": "@type"}
    context.update(PREFIXES)
    context.update({
        "label": RDFS + "label",
        "altLabel": SKOS + "altLabel",
        "title": DCTERMS + "title",
        "date": DCTERMS + "date",
        "source": DCTERMS + "source",
        "generatedAtTime": {"@id": PROV + "generatedAtTime", "@type": XSD + "dateTime"},
        "wasDerivedFrom": {"@id": PROV + "wasDerivedFrom", "@type": "@id"},
        "subject": {"@id": RDF + "subject", "@type": "@id"},
        "predicate": {"@id": RDF + "predicate", "@type": "@vocab"},
        "object": {"@id": RDF + "object"},
    })
    for name in sorted(object_properties()):
        context[name] = {"@id": NS + name, "@type": "@id"}
    for name in sorted(datatype_properties()):
        context.setdefault(name, NS + name)
    context["confidence"] = {"@id": NS + "confidence", "@type": XSD + "decimal"}
    context["changePercent"] = {"@id": NS + "changePercent", "@type": XSD + "decimal"}
    for name in sorted(classes()):
        context.setdefault(name, NS + name)
    return context


def generate_jsonld(selection: Selection) -> bytes:
    """The selection's triples (the default graph) as compacted JSON-LD (with rdflib)."""
    import pyoxigraph as ox
    import rdflib

    nt = ox.serialize(_sorted(selection.rdf_triples()), format=ox.RdfFormat.N_TRIPLES) or b""
    graph = rdflib.Graph()
    graph.parse(data=nt.decode("utf-8"), format="nt")
    text = graph.serialize(format="json-ld", context=jsonld_context(), auto_compact=True, indent=2)
    return text.encode("utf-8") + b"\n"


EXPORTERS = [
    Exporter("turtle", partial(generate_rdf, fmt="turtle"), ".ttl", "text/turtle",
             "Turtle: the default graph (the union of all articles)"),
    Exporter("nt", partial(generate_rdf, fmt="nt"), ".nt", "application/n-triples",
             "N-Triples: the default graph, one triple per line"),
    Exporter("nquads", partial(generate_rdf, fmt="nquads"), ".nq", "application/n-quads",
             "N-Quads: with the article graphs (and the default graph, their union)"),
    Exporter("trig", partial(generate_rdf, fmt="trig"), ".trig", "application/trig",
             "TriG: with the article graphs (and the default graph, their union)"),
    Exporter("jsonld", generate_jsonld, ".jsonld", "application/ld+json",
             "JSON-LD with a @context of short names (label, type, partnersWith, ...)"),
]
