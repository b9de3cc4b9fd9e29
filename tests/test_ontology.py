"""ontology/kg.ttl declares the whole vocabulary of spec/vocabulary.md, documented and mapped.

The expected terms below are copied from vocabulary.md (the contract) and docs/rdf-shape.md
(the provenance terms a build writes); kg/ontology.py reads them from kg.ttl.
"""
from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.collection import Collection

from kg import ontology
from kg.ontology import KG, NS
from kg.resources import ontology_dir

KG_TTL = ontology_dir() / "kg.ttl"
K = rdflib.Namespace(NS)
# plain Namespaces (rdflib's closed ones trip pytest's collection with warnings)
OWL = rdflib.Namespace("http://www.w3.org/2002/07/owl#")
RDF = rdflib.Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = rdflib.Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")
EXTERNAL = ("https://schema.org/", "http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/prov#",
            "http://purl.org/dc/terms/", "http://www.w3.org/1999/02/22-rdf-syntax-ns#")

# class -> its kg superclass (vocabulary.md "Classes"), plus the provenance class Evidence
CLASSES = {
    "Organization": None, "Company": "Organization", "MediaOrganization": "Organization",
    "Person": None, "Product": None, "Platform": "Product", "Technology": None, "Place": None,
    "Article": None, "Partnership": None, "Goal": None, "Evidence": None,
}
# relation -> (domain, range, symmetric); a tuple is an owl:unionOf ("Product or Technology")
RELATIONS = {
    "partnersWith": ("Organization", "Organization", True),
    "formerPartnerOf": ("Organization", "Organization", True),
    "competesWith": ("Organization", "Organization", True),
    "usesPlatform": ("Organization", "Platform", False),
    "deploys": ("Organization", "Product", False),
    "develops": ("Organization", ("Product", "Technology"), False),
    "investsIn": ("Organization", "Organization", False),
    "acquires": ("Organization", "Organization", False),
    "subsidiaryOf": ("Organization", "Organization", False),
    "supplies": ("Organization", "Organization", False),
    "headquarteredIn": ("Organization", "Place", False),
    "worksFor": ("Person", "Organization", False),
    "listedOn": ("Company", "Organization", False),
    "focusesOn": (("Partnership", "Organization"), "Technology", False),
    "participant": ("Partnership", "Organization", False),
    "hasGoal": ("Organization", "Goal", False),
    "mentionedIn": (("Organization", "Person", "Product", "Technology", "Place"), "Article", False),
    "evidence": (("Partnership", "Goal"), "Evidence", False),
}
# literal-valued property -> (domain, XSD range); announcedOn's range is date or gMonthDay
LITERALS = {
    "hasTicker": ("Company", XSD.string), "jobTitle": ("Person", XSD.string),
    "durationYears": ("Partnership", XSD.integer), "initiativeCount": ("Partnership", XSD.integer),
    "announcedOn": (("Partnership", "Goal"), (XSD.date, XSD.gMonthDay)),
    "changePercent": ("Goal", XSD.decimal), "metric": ("Goal", XSD.string), "targetYear": ("Goal", XSD.integer),
    "fileName": ("Article", XSD.string), "sourcePath": ("Article", XSD.string), "sha256": ("Article", XSD.string),
    "sentence": ("Evidence", XSD.string), "charStart": ("Evidence", XSD.integer),
    "charEnd": ("Evidence", XSD.integer), "rule": ("Evidence", XSD.string), "confidence": ("Evidence", XSD.decimal),
}


@pytest.fixture(scope="module")
def g() -> rdflib.Graph:
    return rdflib.Graph().parse(KG_TTL, format="turtle")


def _members(g: rdflib.Graph, node: rdflib.term.Node) -> set[str] | str:
    """A class/datatype expression as a local name, or the set of its owl:unionOf members."""
    if isinstance(node, rdflib.BNode):
        return {_name(m) for m in Collection(g, g.value(node, OWL.unionOf))}
    return _name(node)


def _name(node: rdflib.term.Node) -> str:
    return str(node)[len(NS):] if str(node).startswith(NS) else str(node)


def _expected(value: str | tuple) -> set[str] | str:
    return {_name(v) for v in value} if isinstance(value, tuple) else _name(value)


def test_kg_ttl_parses_with_rdflib_and_pyoxigraph_to_the_same_triples(g: rdflib.Graph) -> None:
    with open(KG_TTL, "rb") as f:
        oxigraph_triples = list(ox.parse(f, format=ox.RdfFormat.TURTLE))
    assert len(g) == len(oxigraph_triples) > 300


def test_the_ontology_has_a_header_with_version_label_and_comment(g: rdflib.Graph) -> None:
    (header,) = g.subjects(RDF.type, OWL.Ontology)
    assert str(header) == "https://w3id.org/kg/ontology"
    assert g.value(header, OWL.versionInfo) is not None
    assert g.value(header, RDFS.label) is not None
    assert g.value(header, RDFS.comment) is not None


def test_kg_ontology_reads_exactly_the_vocabulary() -> None:
    assert ontology.classes() == set(CLASSES)
    assert ontology.object_properties() == set(RELATIONS)
    assert ontology.datatype_properties() == set(LITERALS)
    assert ontology.symmetric_properties() == {p for p, (_, _, sym) in RELATIONS.items() if sym}


@pytest.mark.parametrize("term", sorted({*CLASSES, *RELATIONS, *LITERALS}))
def test_every_term_has_an_english_label_and_comment(g: rdflib.Graph, term: str) -> None:
    labels = list(g.objects(K[term], RDFS.label))
    comments = list(g.objects(K[term], RDFS.comment))
    assert [label.language for label in labels] == ["en"]
    assert [comment.language for comment in comments] == ["en"]
    assert len(str(comments[0])) > 20


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_every_class_has_its_vocabulary_superclass(g: rdflib.Graph, cls: str) -> None:
    kg_parents = {_name(o) for o in g.objects(K[cls], RDFS.subClassOf) if str(o).startswith(NS)}
    assert kg_parents == ({CLASSES[cls]} if CLASSES[cls] else set())
    assert ontology.superclasses(cls) == ([CLASSES[cls]] if CLASSES[cls] else [])


@pytest.mark.parametrize("cls", sorted(CLASSES))
def test_every_class_maps_to_an_external_vocabulary(g: rdflib.Graph, cls: str) -> None:
    mapped = {str(o) for o in g.objects(K[cls], RDFS.subClassOf | OWL.equivalentClass)}
    assert any(iri.startswith(EXTERNAL) for iri in mapped), f"{cls} maps only to {mapped}"


def test_classes_map_to_the_fitting_schema_org_prov_and_skos_terms(g: rdflib.Graph) -> None:
    schema, prov, skos = (rdflib.Namespace(n) for n in
                          ("https://schema.org/", "http://www.w3.org/ns/prov#", "http://www.w3.org/2004/02/skos/core#"))
    expected = [
        ("Organization", schema.Organization), ("Company", schema.Corporation),
        ("MediaOrganization", schema.NewsMediaOrganization), ("Person", schema.Person),
        ("Product", schema.Product), ("Platform", schema.SoftwareApplication), ("Place", schema.Place),
        ("Article", schema.Article), ("Article", prov.Entity), ("Partnership", schema.Event),
        ("Technology", skos.Concept), ("Evidence", prov.Entity), ("Evidence", RDF.Statement),
    ]
    for cls, external in expected:
        assert (K[cls], RDFS.subClassOf, external) in g, f"{cls} rdfs:subClassOf {external}"


@pytest.mark.parametrize("prop", sorted(RELATIONS))
def test_every_relation_is_an_object_property_with_the_vocabulary_domain_and_range(
    g: rdflib.Graph, prop: str
) -> None:
    domain, range_, symmetric = RELATIONS[prop]
    assert (K[prop], RDF.type, OWL.ObjectProperty) in g
    assert [_members(g, d) for d in g.objects(K[prop], RDFS.domain)] == [_expected(domain)]
    assert [_members(g, r) for r in g.objects(K[prop], RDFS.range)] == [_expected(range_)]
    assert ((K[prop], RDF.type, OWL.SymmetricProperty) in g) is symmetric


@pytest.mark.parametrize("prop", sorted(LITERALS))
def test_every_literal_property_is_a_datatype_property_with_domain_and_xsd_range(
    g: rdflib.Graph, prop: str
) -> None:
    domain, range_ = LITERALS[prop]
    assert (K[prop], RDF.type, OWL.DatatypeProperty) in g
    assert [_members(g, d) for d in g.objects(K[prop], RDFS.domain)] == [_expected(domain)]
    assert [_members(g, r) for r in g.objects(K[prop], RDFS.range)] == [_expected(range_)]


def test_relations_reuse_schema_org_prov_and_dublin_core_properties(g: rdflib.Graph) -> None:
    schema, prov, dcterms = (rdflib.Namespace(n) for n in
                             ("https://schema.org/", "http://www.w3.org/ns/prov#", "http://purl.org/dc/terms/"))
    expected = [
        ("worksFor", schema.worksFor), ("subsidiaryOf", schema.parentOrganization),
        ("headquarteredIn", schema.location), ("hasTicker", schema.tickerSymbol), ("jobTitle", schema.jobTitle),
        ("focusesOn", dcterms.subject), ("announcedOn", dcterms.date), ("fileName", dcterms.identifier),
        ("sentence", prov.value), ("evidence", prov.wasDerivedFrom),
    ]
    for prop, external in expected:
        assert (K[prop], RDFS.subPropertyOf, external) in g, f"{prop} rdfs:subPropertyOf {external}"


def test_leaf_types_are_disjoint(g: rdflib.Graph) -> None:
    (all_disjoint,) = g.subjects(RDF.type, OWL.AllDisjointClasses)
    members = {_name(m) for m in Collection(g, g.value(all_disjoint, OWL.members))}
    assert members == {c for c, parent in CLASSES.items() if parent is None}
    assert (K.Company, OWL.disjointWith, K.MediaOrganization) in g


def test_kg_namespace_gives_iris_of_declared_terms_and_rejects_a_misspelt_one() -> None:
    assert KG.partnersWith == NS + "partnersWith"
    assert KG["Platform"] == NS + "Platform"
    assert "worksFor" in KG and "worksfor" not in KG
    with pytest.raises(AttributeError, match="'partnersWit' is not a term of the kg ontology"):
        KG.partnersWit
    with pytest.raises(AttributeError):
        KG["Organisation"]
