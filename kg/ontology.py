"""The closed set of ontology terms, read from ontology/kg.ttl.

`KG.partnersWith` gives the IRI string of a declared term; a misspelt term raises
AttributeError at once instead of silently minting a new IRI.

>>> KG.partnersWith
'https://w3id.org/kg/ontology#partnersWith'
>>> KG.partnersWit
Traceback (most recent call last):
...
AttributeError: 'partnersWit' is not a term of the kg ontology
"""
from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox

from .resources import ontology_dir

NS = "https://w3id.org/kg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
DCTERMS = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"

PREFIXES = {
    "kg": NS,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "dcterms": DCTERMS,
    "schema": SCHEMA,
}

_KINDS = {
    OWL + "Class": "class",
    OWL + "ObjectProperty": "object",
    OWL + "DatatypeProperty": "datatype",
    OWL + "SymmetricProperty": "symmetric",
}


@lru_cache(maxsize=1)
def _terms() -> dict[str, set[str]]:
    """Local name -> the kinds it is declared as (class, object, datatype, symmetric)."""
    terms: dict[str, set[str]] = {}
    with open(ontology_dir() / "kg.ttl", "rb") as f:
        for triple in ox.parse(f, format=ox.RdfFormat.TURTLE):
            s = triple.subject
            if not isinstance(s, ox.NamedNode) or not s.value.startswith(NS):
                continue
            if triple.predicate.value == RDF + "type" and triple.object.value in _KINDS:
                terms.setdefault(s.value[len(NS):], set()).add(_KINDS[triple.object.value])
    return terms


class _Namespace:
    """Attribute access to declared terms only."""

    def __getattr__(self, name: str) -> str:
        if name.startswith("_") or name not in _terms():
            raise AttributeError(f"{name!r} is not a term of the kg ontology")
        return NS + name

    def __getitem__(self, name: str) -> str:
        return self.__getattr__(name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in _terms()


KG = _Namespace()


def classes() -> set[str]:
    """Local names of every declared class."""
    return {n for n, kinds in _terms().items() if "class" in kinds}


def object_properties() -> set[str]:
    """Local names of the relations between entities (and event nodes)."""
    return {n for n, kinds in _terms().items() if "object" in kinds}


def datatype_properties() -> set[str]:
    """Local names of the literal-valued properties."""
    return {n for n, kinds in _terms().items() if "datatype" in kinds}


def symmetric_properties() -> set[str]:
    """Local names of the properties declared owl:SymmetricProperty."""
    return {n for n, kinds in _terms().items() if "symmetric" in kinds}


def local_name(iri: str) -> str:
    """The part after '#' or the last '/': how gold files and the evaluator name terms."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


@lru_cache(maxsize=1)
def _parents() -> dict[str, list[str]]:
    parents: dict[str, list[str]] = {}
    with open(ontology_dir() / "kg.ttl", "rb") as f:
        for t in ox.parse(f, format=ox.RdfFormat.TURTLE):
            if (
                t.predicate.value == RDFS + "subClassOf"
                and isinstance(t.subject, ox.NamedNode)
                and isinstance(t.object, ox.NamedNode)
                and t.subject.value.startswith(NS)
                and t.object.value.startswith(NS)
            ):
                parents.setdefault(t.subject.value[len(NS):], []).append(t.object.value[len(NS):])
    return parents


def superclasses(name: str) -> list[str]:
    """Every kg class `name` is a subclass of, nearest first (Platform -> [Product])."""
    seen: list[str] = []
    todo = list(_parents().get(name, []))
    while todo:
        parent = todo.pop(0)
        if parent not in seen:
            seen.append(parent)
            todo.extend(_parents().get(parent, []))
    return seen
