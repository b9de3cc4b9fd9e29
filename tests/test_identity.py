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


def test_a_name_two_entities_carry_names_neither_whichever_claimed_it_first():
    index = EntityIndex(BASE)
    verfen = index.resolve(Entity("Verfen Technologies", "Company", frozenset({"VER"})))
    verxen = index.resolve(Entity("Verxen Pharmaceuticals", "Company"))
    assert index.resolve(Entity("Verxen Pharmaceuticals", "Company", frozenset({"VER"}))) == verxen
    third = index.resolve(Entity("Verostnor Technologies", "Company", frozenset({"VER"})))
    assert third.iri not in (verfen.iri, verxen.iri)


def test_the_index_is_the_same_whatever_order_the_store_lists_its_entities_in():
    entities = [(Known(BASE + "entity/A", "Alpha", "Company"), {"AL", "Alpha Inc."}),
                (Known(BASE + "entity/B", "Beta", "Company"), {"AL"})]
    answers = []
    for order in (entities, entities[::-1]):
        index = EntityIndex(BASE)
        for known, names in order:
            index.add(known, names)
        answers.append([index.resolve(Entity(name, "Company")).iri for name in ("Alpha Inc.", "Beta", "AL")])
    assert answers[0] == answers[1]
    assert answers[0][:2] == [BASE + "entity/A", BASE + "entity/B"]
    assert answers[0][2] not in (BASE + "entity/A", BASE + "entity/B")
