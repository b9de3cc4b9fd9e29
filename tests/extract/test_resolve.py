"""Stage 4, resolve: one entity per real thing, canonical labels, aliases, and what
`the company` / `its` point to. Sentences and most organisations are invented for the test.
"""
from __future__ import annotations

import pytest
import spacy

import kg.extract.names  # noqa: F401  (registers kg_sentences, kg_names)
import kg.extract.resolve  # noqa: F401  (registers kg_resolve)
import kg.extract.types  # noqa: F401  (registers kg_types)
from kg.lexicon import Lexicon, LexiconEntry
from kg.model import Entity

LEXICON = Lexicon(
    [
        LexiconEntry("Microsoft", "Company", ("Microsoft Corporation", "Microsoft Corp."), ("MSFT",)),
        LexiconEntry("Toyota", "Company", ("Toyota Motor Corporation",), ("TM",)),
        LexiconEntry("NASDAQ", "Organization", ("Nasdaq",)),
        LexiconEntry("Azure", "Platform", ("Microsoft Azure",)),
        LexiconEntry("Stellantis", "Company", ()),
        LexiconEntry("Siemens", "Company", ("Siemens AG",)),
        LexiconEntry("Wolfsburg", "Place", ()),
        LexiconEntry("Spain", "Place", ()),
        LexiconEntry("Vodafone", "Company", ("Vodafone Group",)),
        LexiconEntry("artificial intelligence", "Technology", ("AI",)),
    ]
)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_names").set_lexicon(LEXICON)
    nlp.add_pipe("kg_types")
    nlp.add_pipe("kg_resolve").set_lexicon(LEXICON)
    return nlp


def entities(nlp, text: str) -> dict[str, Entity]:
    return nlp(text)._.kg_entities


def refs(nlp, text: str) -> list[tuple[str, str]]:
    doc = nlp(text)  # a span group needs its Doc alive
    return [(r.text, r._.kg_entity) for r in doc.spans["kg_refs"]]


# -- one entity per thing ----------------------------------------------------------------------------


def test_lexicon_aliases_and_bracketed_tickers_are_one_entity(nlp):
    text = ("Microsoft Corporation (NASDAQ:MSFT) and Stellantis signed a deal. "
            "Microsoft said the deal runs for five years.")
    found = entities(nlp, text)
    assert found["Microsoft"] == Entity("Microsoft", "Company", frozenset({"Microsoft Corporation", "MSFT"}))
    assert found["NASDAQ"].type == "Organization"
    assert set(found) == {"Microsoft", "NASDAQ", "Stellantis"}


def test_every_name_carries_its_entity_label(nlp):
    doc = nlp("Microsoft Corp. hired staff. Microsoft said so. Shares of Zentrix Ltd fell; Zentrix said little.")
    assert [(e.text, e._.kg_entity, e.label_) for e in doc.ents] == [
        ("Microsoft Corp.", "Microsoft", "Company"),
        ("Microsoft", "Microsoft", "Company"),
        ("Zentrix Ltd", "Zentrix", "Company"),
        ("Zentrix", "Zentrix", "Company"),
    ]
    assert all(e.kb_id_ == e._.kg_entity for e in doc.ents)


def test_a_name_without_legal_form_is_the_canonical_label(nlp):
    found = entities(nlp, "Brightmoor Holdings plc won the order. Brightmoor will hire 200 staff.")
    assert found == {"Brightmoor": Entity("Brightmoor", "Company", frozenset({"Brightmoor Holdings plc"}))}


def test_the_legal_form_is_dropped_even_when_only_the_long_form_is_seen(nlp):
    found = entities(nlp, "Shares of Zentrix Industrial Ltd rose.")
    assert found == {"Zentrix Industrial": Entity("Zentrix Industrial", "Company", frozenset({"Zentrix Industrial Ltd"}))}


def test_unknown_names_with_a_lexicon_core_join_the_lexicon_entity(nlp):
    found = entities(nlp, "Siemens Limited and Siemens both said so, and shares of Siemens rose.")
    assert set(found) == {"Siemens"}
    assert found["Siemens"].aliases == frozenset({"Siemens Limited"})


def test_a_short_org_name_is_the_long_one_it_starts(nlp):
    found = entities(nlp, "Hon Vale Precision Industry Co won a contract. Hon Vale said it would hire.")
    assert list(found) == ["Hon Vale Precision Industry"]
    assert found["Hon Vale Precision Industry"].aliases == frozenset({"Hon Vale Precision Industry Co", "Hon Vale"})


def test_a_lexicon_name_absorbs_only_longer_forms_that_add_neutral_head_words(nlp):
    found = entities(nlp, "Toyota Motor said so. Toyota agreed. Toyota Research Labs grew.")
    assert "Toyota Motor" in found["Toyota"].aliases
    assert "Toyota Research Labs" in found


def test_a_national_unit_is_not_its_parent(nlp):
    found = entities(nlp, "Zentrix Spain grew, and Zentrix said so. Shares of Zentrix rose.")
    assert {"Zentrix", "Zentrix Spain"} <= set(found)


def test_a_surname_alone_is_the_person_named_before(nlp):
    found = entities(nlp, "Jane Okafor, a battery specialist, spoke. Okafor said prices would fall.")
    assert found == {"Jane Okafor": Entity("Jane Okafor", "Person", frozenset({"Okafor"}))}


def test_an_acronym_is_the_organisation_it_spells(nlp):
    found = entities(nlp, "The Nordic Battery Council (NBC) met. The NBC said prices fell.")
    assert found == {"Nordic Battery Council": Entity("Nordic Battery Council", "Organization", frozenset({"NBC"}))}


def test_spacing_and_case_variants_are_one_entity_the_commonest_spelling_wins(nlp):
    text = ("NewsTrackerToday reported it. NewsTrackerToday columnist Ana Ruiz agreed. "
            "News Tracker Today will follow the story.")
    found = entities(nlp, text)
    assert found == {
        "NewsTrackerToday": Entity("NewsTrackerToday", "MediaOrganization", frozenset({"News Tracker Today"})),
        "Ana Ruiz": Entity("Ana Ruiz", "Person"),
    }


def test_possessives_name_the_entity(nlp):
    doc = nlp("Stellantis' plan, Stellantis’ staff and Siemens's board agreed with Siemens’ view.")
    assert [(e.text, e._.kg_entity) for e in doc.ents] == [
        ("Stellantis", "Stellantis"), ("Stellantis", "Stellantis"), ("Siemens", "Siemens"), ("Siemens", "Siemens")]
    assert doc._.kg_entities["Stellantis"].aliases == frozenset()


def test_an_unknown_bracketed_ticker_belongs_to_the_name_before_it(nlp):
    found = entities(nlp, "Zentrix Ltd (LSE: ZTX) rose 3%.")
    assert found["Zentrix"].aliases == frozenset({"Zentrix Ltd", "ZTX"})
    assert found["LSE"].type == "Organization"


def test_a_product_named_with_and_without_its_maker_is_one_product(nlp):
    found = entities(nlp, "Staff use Contoso Ledger daily. The Ledger app is popular, and Contoso makes it. "
                          "Shares of Contoso rose.")
    assert found["Contoso"].type == "Company"
    assert found["Contoso Ledger"] == Entity("Contoso Ledger", "Product", frozenset({"Ledger"}))


def test_the_maker_in_a_lexicon_product_name_becomes_an_entity(nlp):
    doc = nlp("The bank runs on Microsoft Azure.")
    assert doc._.kg_entities["Microsoft"] == Entity("Microsoft", "Company")
    assert doc._.kg_entities["Azure"].aliases == frozenset({"Microsoft Azure"})
    assert [(s.text, s._.kg_entity) for s in doc.spans["kg_makers"]] == [("Microsoft", "Microsoft")]


# -- references ------------------------------------------------------------------------------------------


def test_the_company_and_its_point_to_the_company_before(nlp):
    text = "Stellantis will deploy Copilot Pro across its plants. The company said its staff liked it."
    assert refs(nlp, text) == [("its", "Stellantis"), ("The company", "Stellantis"), ("its", "Stellantis")]


def test_a_name_given_as_an_owners_brand_is_not_what_a_description_or_pronoun_means(nlp):
    text = ("Shares of Fernweave rose. Tessaline Group will buy yarn from Fernweave for its Weekmark and Monvik "
            "brands, and it denied a report that it planned to buy the start-up outright.")
    assert refs(nlp, text) == [("its", "Tessaline"), ("it", "Tessaline"), ("it", "Tessaline"),
                               ("the start-up", "Fernweave")]


def test_descriptions_with_modifiers_resolve(nlp):
    text = "Volkra Group signed the deal in Wolfsburg. The Wolfsburg-based group will hire, the automaker said."
    assert refs(nlp, text) == [("The Wolfsburg-based group", "Volkra"), ("the automaker", "Volkra")]


def test_references_label_carries_the_entity_type(nlp):
    doc = nlp("Shares of Zentrix rose. The company said so.")
    assert [(r.text, r.label_, r._.kg_entity) for r in doc.spans["kg_refs"]] == [("The company", "Company", "Zentrix")]


def test_a_pronoun_prefers_the_subject_over_a_name_after_a_preposition(nlp):
    text = "Stellantis entered a partnership with Microsoft to modernise its infrastructure."
    assert refs(nlp, text) == [("its", "Stellantis")]


def test_a_subject_after_an_introductory_phrase_is_still_the_subject(nlp):
    text = "By partnering with a global manufacturer like Stellantis, Microsoft can refine its tools."
    assert refs(nlp, text) == [("its", "Microsoft")]


def test_a_description_across_sentences_takes_the_earlier_sentence_subject(nlp):
    text = ("The plan covers the modernisation of Stellantis’ infrastructure through Microsoft’s Azure cloud. "
            "The company targets a 60% cut by 2029.")
    assert refs(nlp, text)[-1] == ("The company", "Stellantis")


def test_a_specific_noun_points_to_the_entity_introduced_with_it(nlp):
    text = ("Siemens signed a deal with Nvidara. Nvidara, the California-based chipmaker, will supply chips. "
            "Asked whether Siemens would take a stake in the chipmaker, Siemens said no.")
    assert ("the chipmaker", "Nvidara") in refs(nlp, text)


def test_a_name_that_says_what_the_entity_is_introduces_it_with_that_noun(nlp):
    text = ("Orvane Robotics is a Danish start-up that sells probes. The company signed a deal with Larkfield Mutual. "
            "Orvane Robotics said the insurer will cut prices.")
    assert ("the insurer", "Larkfield Mutual") in refs(nlp, text)


def test_two_names_that_fit_the_noun_introduce_neither(nlp):
    text = ("Orvane Robotics signed deals with Larkfield Mutual and Brisco Insurance. "
            "Orvane Robotics said the insurer will cut prices.")
    assert ("the insurer", "Larkfield Mutual") not in refs(nlp, text)


def test_a_description_naming_a_nation_prefers_the_entity_described_so(nlp):
    text = ("Orvane Robotics sells soil probes. The Danish firm signed a deal with Larkfield Mutual. "
            "Larkfield Mutual covers farms. Larkfield Mutual says it will share data with the Danish company.")
    assert refs(nlp, text)[-1] == ("the Danish company", "Orvane Robotics")


def test_a_description_in_apposition_is_not_the_name_it_follows(nlp):
    text = "Vodafone grew in Spain. Vodafone Deutschland, the group's largest unit, will go first."
    assert ("the group", "Vodafone") in refs(nlp, text)


def test_a_description_after_a_preposition_is_not_the_clause_subject(nlp):
    text = ("Nestor Foods completed its purchase of Verdana Snacks. "
            "Verdana Snacks now operates as a subsidiary of the company.")
    assert refs(nlp, text)[-1] == ("the company", "Nestor Foods")


def test_non_referring_it_is_left_alone(nlp):
    text = "Zentrix Ltd raised prices. It is likely that sales will fall, and it was expected. It said demand held."
    assert refs(nlp, text) == [("It", "Zentrix")]


def test_it_refers_after_a_clause_opener(nlp):
    text = "Shares of Zentrix fell after it said demand was weak."
    assert refs(nlp, text) == [("it", "Zentrix")]


def test_plural_descriptions_and_people_are_not_references(nlp):
    text = "Zentrix and Brightmoor Holdings signed. The companies said the analyst was right."
    assert refs(nlp, text) == []


def test_nothing_compatible_nothing_resolved(nlp):
    assert refs(nlp, "Jane Okafor spoke in Wolfsburg. The company said its profit rose.") == []


def test_with_a_trained_parse_the_parse_says_who_the_subject_is():
    from spacy.tokens import Doc

    lexicon = Lexicon([LexiconEntry("Contoso", "Company", ()), LexiconEntry("Fabrikam", "Company", ())])
    nlp = spacy.blank("en")
    for name in ("kg_names", "kg_types", "kg_resolve"):
        pipe = nlp.add_pipe(name)
        if hasattr(pipe, "set_lexicon"):
            pipe.set_lexicon(lexicon)
    words = ["Analysts", "at", "Contoso", "expect", "Fabrikam", "to", "grow", "its", "sales", "."]
    heads = [3, 0, 1, 3, 6, 6, 3, 8, 6, 3]
    deps = ["nsubj", "prep", "pobj", "ROOT", "nsubj", "aux", "ccomp", "poss", "dobj", "punct"]
    doc = Doc(nlp.vocab, words=words, spaces=[True] * 8 + [False, False], heads=heads, deps=deps)
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [(r.text, r._.kg_entity) for r in doc.spans["kg_refs"]] == [("its", "Fabrikam")]
