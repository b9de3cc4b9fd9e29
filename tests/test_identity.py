"""One IRI per real entity across articles."""
from __future__ import annotations

from kg.identity import EntityIndex, Known
from kg.model import Entity

BASE = "https://example.org/id/"


def test_a_new_entity_gets_an_iri_from_its_label():
    index = EntityIndex(BASE)
    known = index.resolve(Entity("Acme Robotics", "Company"))
    assert known == Known(BASE + "entity/Acme_Robotics", "Acme Robotics", "Company")


def test_an_alias_seen_before_resolves_to_the_same_entity_case_insensitively():
    index = EntityIndex(BASE)
    first = index.resolve(Entity("Acme Robotics", "Company", frozenset({"Acme Robotics Inc."})))
    again = index.resolve(Entity("ACME ROBOTICS INC.", "Company"))
    assert again == first


def test_organisation_subtypes_may_name_the_same_entity_but_other_types_may_not():
    index = EntityIndex(BASE)
    company = index.resolve(Entity("Orion", "Company"))
    assert index.resolve(Entity("Orion", "Organization")) == company
    place = index.resolve(Entity("Orion", "Place"))
    assert place.iri != company.iri and place.type == "Place"


def test_entities_already_in_the_store_are_found_by_their_aliases():
    index = EntityIndex(BASE)
    index.add(Known(BASE + "entity/Globex", "Globex", "Company"), {"Globex Corporation"})
    assert index.resolve(Entity("Globex Corporation", "Company")).label == "Globex"


def test_iris_are_safe_for_any_label():
    index = EntityIndex(BASE)
    iri = index.resolve(Entity('Ex "Quote" & <Angle> #1', "Company")).iri
    assert all(c not in iri[len(BASE):] for c in ' "<>#')
