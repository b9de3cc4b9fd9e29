"""kg.validate checks a build against ontology/shapes.ttl and says which node breaks which rule.

tests/data/validate/wellformed.trig is a small hand-written article graph in the shape of
docs/rdf-shape.md; each test below breaks one thing in it and expects a violation on the
node that is wrong.
"""
from __future__ import annotations

import dataclasses
import gc
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from kg.errors import InputError, StoreError
from kg.validate import ValidationResult, Violation, validate, validate_store

WELLFORMED = Path(__file__).parent / "data" / "validate" / "wellformed.trig"
KG = rdflib.Namespace("https://w3id.org/kg/ontology#")
E = rdflib.Namespace("https://w3id.org/kg/id/entity/")
ARTICLE = rdflib.URIRef("https://w3id.org/kg/id/article/0123456789abcdef")
A = rdflib.Namespace(str(ARTICLE) + "/")
RDF_TYPE = rdflib.URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#label")
XSD = rdflib.Namespace("http://www.w3.org/2001/XMLSchema#")


def wellformed_nquads() -> bytes:
    """The well-formed TriG file as N-Quads text (pyoxigraph reads TriG; rdflib's reader warns)."""
    return ox.serialize(ox.parse(path=WELLFORMED, format=ox.RdfFormat.TRIG), format=ox.RdfFormat.N_QUADS)


@pytest.fixture
def graph() -> rdflib.Graph:
    """A fresh copy of the well-formed graph (all its graphs merged), to break one thing in."""
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(path=WELLFORMED, format=ox.RdfFormat.TRIG)]
    return rdflib.Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")


def violations_of(result: ValidationResult, focus: str, path: str | None = "any") -> list[Violation]:
    return [
        v for v in result.violations
        if v.severity == "Violation" and v.focus_node == str(focus) and (path == "any" or v.path == path)
    ]


def test_the_wellformed_graph_conforms() -> None:
    result = validate(WELLFORMED, fmt="trig")
    assert result.conforms
    assert result.violations == []
    assert result.text.startswith("Conforms")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib's own Dataset internals
def test_the_wellformed_graph_conforms_as_nquads_text_bytes_an_rdflib_graph_and_a_dataset(
    graph: rdflib.Graph,
) -> None:
    nquads = wellformed_nquads()
    assert validate(nquads).conforms
    assert validate(nquads.decode()).conforms
    assert validate(graph).conforms
    assert validate(rdflib.Dataset().parse(data=nquads, format="nquads")).conforms


def test_an_entity_without_a_label_is_a_violation_on_that_entity(graph: rdflib.Graph) -> None:
    graph.remove((E.NASDAQ, LABEL, None))
    result = validate(graph)
    assert not result.conforms
    assert violations_of(result, E.NASDAQ, str(LABEL))
    assert "rdfs:label" in result.text and str(E.NASDAQ) in result.text


def test_an_entity_with_two_labels_is_a_violation_on_that_entity(graph: rdflib.Graph) -> None:
    graph.add((E.NASDAQ, LABEL, rdflib.Literal("Nasdaq")))
    result = validate(graph)
    assert not result.conforms
    (violation,) = violations_of(result, E.NASDAQ)
    assert violation.path == str(LABEL)
    assert "exactly one rdfs:label" in violation.message


def test_a_label_with_a_language_tag_is_not_a_plain_string(graph: rdflib.Graph) -> None:
    graph.set((E.NASDAQ, LABEL, rdflib.Literal("NASDAQ", lang="en")))
    assert violations_of(validate(graph), E.NASDAQ, str(LABEL))


def test_works_for_whose_subject_is_a_company_is_a_violation_on_the_company(graph: rdflib.Graph) -> None:
    graph.add((E.Microsoft, KG.worksFor, E.Stellantis))
    result = validate(graph)
    assert not result.conforms
    messages = [v.message for v in violations_of(result, E.Microsoft)]
    assert "the subject of kg:worksFor is a kg:Person" in messages


def test_evidence_with_confidence_above_one_is_a_violation_on_the_evidence(graph: rdflib.Graph) -> None:
    evidence = A["evidence/0"]
    graph.set((evidence, KG.confidence, rdflib.Literal("1.5", datatype=XSD.decimal)))
    result = validate(graph)
    assert not result.conforms
    (violation,) = violations_of(result, evidence)
    assert violation.path == str(KG.confidence)
    assert violation.value is not None and "1.5" in violation.value


def test_confidence_must_be_a_decimal_not_a_double(graph: rdflib.Graph) -> None:
    graph.set((A["evidence/0"], KG.confidence, rdflib.Literal(0.9)))  # a Python float is xsd:double
    assert violations_of(validate(graph), A["evidence/0"], str(KG.confidence))


def test_char_start_after_char_end_is_a_violation(graph: rdflib.Graph) -> None:
    graph.set((A["evidence/0"], KG.charStart, rdflib.Literal(50)))
    assert violations_of(validate(graph), A["evidence/0"], str(KG.charStart))


def test_a_decimal_written_with_an_exponent_is_caught(graph: rdflib.Graph) -> None:
    text = WELLFORMED.read_text(encoding="utf-8").replace("kg:changePercent -60.0", 'kg:changePercent "-6E+1"^^xsd:decimal')
    assert violations_of(validate(text, fmt="trig"), A["goal/0"], str(KG.changePercent))


def test_a_company_must_also_be_typed_organization(graph: rdflib.Graph) -> None:
    graph.remove((E.Stellantis, RDF_TYPE, KG.Organization))
    messages = [v.message for v in violations_of(validate(graph), E.Stellantis, None)]
    assert any("also typed kg:Organization" in m for m in messages)


def test_an_entity_with_two_leaf_types_is_a_violation(graph: rdflib.Graph) -> None:
    graph.add((E.NASDAQ, RDF_TYPE, KG.Place))
    found = violations_of(validate(graph), E.NASDAQ, str(RDF_TYPE))
    assert {v.value for v in found} == {str(KG.Place), str(KG.Organization)}  # each type rules out the other
    assert all("exactly one leaf type" in v.message for v in found)


def test_relation_ranges_are_checked(graph: rdflib.Graph) -> None:
    graph.remove((E.Azure, RDF_TYPE, KG.Platform))  # now a plain Product: not something to run on
    assert violations_of(validate(graph), E.Stellantis, str(KG.usesPlatform))


def test_listed_on_needs_a_company_as_subject(graph: rdflib.Graph) -> None:
    graph.add((E.Stellantis, KG.listedOn, E.Microsoft))
    graph.add((E.NASDAQ, KG.listedOn, E.Microsoft))
    result = validate(graph)
    assert not [v for v in violations_of(result, E.Stellantis) if "kg:Company" in v.message]
    assert [v for v in violations_of(result, E.NASDAQ) if "subject of kg:listedOn is a kg:Company" in v.message]


def test_a_partnership_needs_two_participating_organizations(graph: rdflib.Graph) -> None:
    graph.remove((A["partnership/0"], KG.participant, E.Microsoft))
    assert violations_of(validate(graph), A["partnership/0"], str(KG.participant))


def test_announced_on_is_a_date_or_a_month_day(graph: rdflib.Graph) -> None:
    node = A["partnership/0"]
    graph.set((node, KG.announcedOn, rdflib.Literal("2025-04-16", datatype=XSD.date)))
    assert validate(graph).conforms
    graph.set((node, KG.announcedOn, rdflib.Literal("April 16")))
    assert violations_of(validate(graph), node, str(KG.announcedOn))


def test_a_symmetric_relation_written_one_way_only_is_a_violation(graph: rdflib.Graph) -> None:
    graph.remove((E.Microsoft, KG.partnersWith, E.Stellantis))
    (violation,) = violations_of(validate(graph), E.Stellantis)
    assert violation.path == str(KG.partnersWith)
    assert violation.value == str(E.Microsoft)


def test_a_relation_without_evidence_is_a_violation(graph: rdflib.Graph) -> None:
    graph.add((E.Stellantis, KG.acquires, E.NASDAQ))
    (violation,) = violations_of(validate(graph), E.Stellantis)
    assert violation.path == str(KG.acquires)
    assert "no kg:Evidence" in violation.message


def test_an_article_needs_a_64_hex_sha256(graph: rdflib.Graph) -> None:
    graph.set((ARTICLE, KG.sha256, rdflib.Literal("0123")))
    assert violations_of(validate(graph), ARTICLE, str(KG.sha256))


def test_warnings_are_reported_but_do_not_break_conformance(graph: rdflib.Graph) -> None:
    graph.set((ARTICLE, KG.sha256, rdflib.Literal("f" * 64)))  # valid, but not what the IRI was minted from
    result = validate(graph)
    assert result.conforms
    (warning,) = result.violations
    assert (warning.severity, warning.focus_node) == ("Warning", str(ARTICLE))
    assert "Warning:" in result.text


def test_validate_store_checks_the_default_graph_of_an_open_store() -> None:
    store = ox.Store()
    store.load(path=str(WELLFORMED), format=ox.RdfFormat.TRIG, to_graph=None)
    for quad in list(store.quads_for_pattern(None, None, None, None)):
        store.add(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()))
    assert validate_store(store).conforms
    store.remove(ox.Quad(ox.NamedNode(str(E.NASDAQ)), ox.NamedNode(str(LABEL)), ox.Literal("NASDAQ"),
                         ox.DefaultGraph()))
    result = validate_store(store)
    assert not result.conforms
    assert violations_of(result, E.NASDAQ, str(LABEL))


def test_validate_store_opens_a_store_directory_read_only(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "store"))
    store.load(path=str(WELLFORMED), format=ox.RdfFormat.TRIG)
    store.add(ox.Quad(ox.NamedNode(str(E.Ada_Example)), ox.NamedNode(str(KG.worksFor)),
                      ox.NamedNode(str(E.Microsoft)), ox.DefaultGraph()))
    store.flush()
    del store
    gc.collect()
    result = validate_store(tmp_path / "store")
    assert not result.conforms  # only the default graph is read: a lone worksFor, its subject untyped there
    assert violations_of(result, E.Ada_Example)


def test_validate_store_on_a_missing_directory_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no kg store"):
        validate_store(tmp_path / "nothing")


def test_unparsable_data_and_unknown_formats_raise_input_error() -> None:
    with pytest.raises(InputError, match="does not parse as ntriples"):
        validate("<a:b> <a:c> .", fmt="ntriples")
    with pytest.raises(InputError, match="unknown RDF format 'yaml'"):
        validate("", fmt="yaml")


def test_results_are_frozen_values() -> None:
    result = validate("", fmt="nquads")
    assert result.conforms and result.violations == []
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.conforms = False  # type: ignore[misc]
