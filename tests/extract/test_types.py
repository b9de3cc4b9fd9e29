"""Stage 3, types: names the lexicon does not know get a type from their context, or are dropped.

All the organisations, people and products here are invented; the lexicon is tiny.
"""
from __future__ import annotations

import pytest
import spacy

import kg.extract.names  # noqa: F401  (registers kg_sentences, kg_names)
import kg.extract.types  # noqa: F401  (registers kg_types)
from kg.lexicon import Lexicon, LexiconEntry

LEXICON = Lexicon(
    [
        LexiconEntry("Microsoft", "Company", ("Microsoft Corporation",), ("MSFT",)),
        LexiconEntry("Germany", "Place", ()),
        LexiconEntry("California", "Place", ()),
        LexiconEntry("artificial intelligence", "Technology", ("AI",)),
    ]
)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_names").set_lexicon(LEXICON)
    nlp.add_pipe("kg_types")
    return nlp


def typed(nlp, text: str) -> dict[str, str]:
    return {e.text: e.label_ for e in nlp(text).ents}


@pytest.mark.parametrize(
    "text, name, type_",
    [
        # legal forms and head words inside the name
        ("The supplier is Zentrix AG, it said.", "Zentrix AG", "Company"),
        ("They signed with Brightmoor Holdings plc on Monday.", "Brightmoor Holdings plc", "Company"),
        ("Orders went to Quell Motors this year.", "Quell Motors", "Company"),
        ("A study by Lumeria University found little.", "Lumeria University", "Organization"),
        ("The Ministry of Haldor said nothing.", "Ministry of Haldor", "Organization"),
        ("A story in the Veldt Times said so.", "Veldt Times", "MediaOrganization"),
        ("The wire was first carried by NewsTrackerToday yesterday.", "NewsTrackerToday", "MediaOrganization"),
        ("Plans for Tarn Valley were shelved.", "Tarn Valley", "Place"),
        ("The bank Ostrava Kreditbank was fined.", "Ostrava Kreditbank", "Company"),
        # cue words around it
        ("Shares of Zentrix rose 4% on Monday.", "Zentrix", "Company"),
        ("The Osterhold-based supplier grew.", "Osterhold", "Place"),
        ("The firm is headquartered in Varnholm now.", "Varnholm", "Place"),
        ("Developers will build on the Quillstone platform.", "Quillstone", "Platform"),
        ("The bank is migrating its ledgers to Vaultline next year.", "Vaultline", "Platform"),
        ("Hospitals will deploy Medora Scan across wards.", "Medora Scan", "Product"),
        ("According to Veltpost, the talks failed.", "Veltpost", "MediaOrganization"),
        ("Zentrix has agreed a partnership with Corvane for five years.", "Corvane", "Company"),
        # people
        ("Jane Okafor said the plan was sound.", "Jane Okafor", "Person"),
        ("The plan is sound, said Tomasz Wrobel, chief executive of Zentrix.", "Tomasz Wrobel", "Person"),
        ("The plan is sound, said Tomasz Wrobel, chief executive of Zentrix.", "Zentrix", "Company"),
        ("Harriet Voss, a technology sector specialist, disagreed.", "Harriet Voss", "Person"),
        ("Zentrix CEO Odile Brannigan spoke first.", "Odile Brannigan", "Person"),
        ("Zentrix CEO Odile Brannigan spoke first.", "Zentrix", "Company"),
        ("Zentrix's chief executive left.", "Zentrix", "Company"),
        ("Mr. Quarrington declined to comment.", "Quarrington", "Person"),
        ("Bertil Quarrington, 57, declined to comment.", "Bertil Quarrington", "Person"),
        # appositions and descriptor nouns
        ("Corvane, the Norwegian automaker, grew.", "Corvane", "Company"),
        ("The chipmaker Tessaline grew.", "Tessaline", "Company"),
        ("A global manufacturer like Corvane can win.", "Corvane", "Company"),
        ("Rivals such as Tessaline and Quorvex lost.", "Quorvex", "Company"),
        ("The payments start-up Petrel Pay grew.", "Petrel Pay", "Company"),
        ("Its humanoid robot, Atlasine, walked.", "Atlasine", "Product"),
        ("It builds its Xcelerion industrial software in Germany.", "Xcelerion", "Product"),
        ("The Nordpost business daily reported it.", "Nordpost", "MediaOrganization"),
        # maker's name in front, digits inside
        ("Staff will get Contoso 365 Assistant soon.", "Contoso 365 Assistant", "Product"),
        ("Microsoft Loop Studio launched today.", "Microsoft Loop Studio", "Product"),
        # places from the place next to them
        ("The start-up is based in Santa Ludra, California.", "Santa Ludra", "Place"),
        ("Its Halberg, Germany-based rival grew.", "Halberg", "Place"),
    ],
)
def test_context_gives_the_type(nlp, text, name, type_):
    assert typed(nlp, text).get(name) == type_


@pytest.mark.parametrize("text", [
    "Quorra owner Tessaline Group reported higher sales.",
    "Quorra parent Tessaline Group reported higher sales.",
    "Quorra-owner Tessaline Group reported higher sales.",
])
def test_a_name_before_an_owner_noun_and_the_owners_name_is_a_company(nlp, text):
    assert typed(nlp, text).get("Quorra") == "Company"


def test_an_owner_noun_with_no_name_after_it_says_nothing(nlp):
    assert typed(nlp, "The bank lent money to every Quorra owner in town.") == {}


def test_names_in_a_list_before_an_owners_brand_noun_are_companies(nlp):
    found = typed(nlp, "Tessaline Group will sell the yarn through its Weekmark and Monvik brands next year.")
    assert found == {"Tessaline Group": "Company", "Weekmark": "Company", "Monvik": "Company"}
    found = typed(nlp, "Tessaline Group's Weekmark, Monvik and Fernlo labels grew fastest.")
    assert found == {"Tessaline Group": "Company", "Weekmark": "Company", "Monvik": "Company", "Fernlo": "Company"}


def test_a_list_before_a_plural_noun_that_is_no_unit_is_not_typed_by_it(nlp):
    # "the Weekmark and Monvik chips": the names may be the makers, not the chips
    assert typed(nlp, "Buyers compared the Weekmark and Monvik chips.") == {}


def test_lexicon_types_are_kept(nlp):
    assert typed(nlp, "Shares of Microsoft rose in Germany.") == {"Microsoft": "Company", "Germany": "Place"}


def test_names_without_evidence_are_dropped(nlp):
    assert typed(nlp, "Nobody expected the Zorblat to win. Quenby was not mentioned again.") == {}


def test_evidence_adds_up_over_the_article(nlp):
    text = "Corvane grew fast. Analysts like the plan. Shares of Corvane rose. Corvane hired staff."
    assert [(e.text, e.label_) for e in nlp(text).ents] == [("Corvane", "Company")] * 3


def test_a_surname_alone_is_the_person_seen_before(nlp):
    found = [(e.text, e.label_) for e in nlp("Jane Okafor joined in May. Okafor said the plan works.").ents]
    assert found == [("Jane Okafor", "Person"), ("Okafor", "Person")]


def test_a_short_form_takes_the_type_of_the_long_one(nlp):
    found = typed(nlp, "Tessaline Semiconductor Ltd grew. Later, Tessaline hired staff.")
    assert found == {"Tessaline Semiconductor Ltd": "Company", "Tessaline": "Company"}


def test_an_acronym_takes_the_type_of_the_name_it_spells(nlp):
    found = typed(nlp, "The Nordic Battery Council met. The NBC said prices fell.")
    assert found == {"Nordic Battery Council": "Organization", "NBC": "Organization"}


def test_names_in_a_list_share_the_type(nlp):
    found = typed(nlp, "Rivals include Quorvex, Tessaline and Microsoft.")
    assert found == {"Quorvex": "Company", "Tessaline": "Company", "Microsoft": "Company"}


@pytest.mark.parametrize(
    "text, found",
    [
        ("On pricing, Quorvex remains our toughest competitor.", {"Quorvex": "Company"}),
        ("On pricing, Quorvex and Tessaline are still our main rivals.", {"Quorvex": "Company", "Tessaline": "Company"}),
        ("Last year, Halvik was their biggest supplier.", {"Halvik": "Company"}),
        ("For years, Corla Brenner was its chief executive.", {"Corla Brenner": "Person"}),
    ],
)
def test_what_a_name_is_said_to_be_after_a_possessive_types_it(nlp, text, found):
    assert typed(nlp, text) == found


@pytest.mark.parametrize(
    "text",
    [
        "On pricing, Quorvex is our rival's parent.",  # the noun modifies another possessed thing
        "On pricing, Quorvex is a toughest competitor.",  # no possessive: not this cue
        "On pricing, Quorvex remains our toughest test.",  # no descriptor noun
    ],
)
def test_no_descriptor_after_the_possessive_says_nothing(nlp, text):
    assert "Quorvex" not in typed(nlp, text)


def test_a_dropped_generic_name_gives_lexicon_names_back(nlp):
    assert typed(nlp, "The rules in the AI Accord are new.") == {"AI": "Technology"}


def test_trained_model_hints_are_evidence():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_names").set_lexicon(LEXICON)
    nlp.add_pipe("kg_types")
    doc = nlp.make_doc("We met Quenby yesterday.")
    from spacy.tokens import Span

    doc.ents = [Span(doc, 2, 3, label="ORG")]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Quenby", "Company")]


def test_a_trained_parse_is_evidence_too():
    """With a parser's output on the Doc, an apposition the rules miss still types the name."""
    from spacy.tokens import Doc

    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_names").set_lexicon(LEXICON)
    nlp.add_pipe("kg_types")
    words = ["Quenby", ",", "long", "a", "chipmaker", ",", "grew", "."]
    heads = [6, 0, 4, 4, 0, 0, 6, 6]
    deps = ["nsubj", "punct", "advmod", "det", "appos", "punct", "ROOT", "punct"]
    doc = Doc(nlp.vocab, words=words, spaces=[False, True, True, True, False, True, False, False], heads=heads, deps=deps)
    for name, proc in nlp.pipeline:
        if name != "kg_sentences":  # the parse already set the sentences
            doc = proc(doc)
    assert [(e.text, e.label_) for e in doc.ents] == [("Quenby", "Company")]


@pytest.mark.parametrize("text", [
    "Corvane, Harlow Bay, Tessaline and Quorvex signed a five-year alliance on July 14.",
    "Corvane and Harlow Bay have formed a joint venture.",
    "Corvane, Harlow Bay and Tessaline entered into a partnership.",
    "Corvane, Harlow Bay and Tessaline agreed on Monday to set up a consortium.",
    "Corvane and Harlow Bay did not sign an agreement.",  # (what they are does not depend on whether they did)
])
def test_the_listed_parties_to_an_agreement_are_companies(nlp, text):
    found = typed(nlp, text)
    assert found and set(found.values()) == {"Company"}
    assert found["Harlow Bay"] == "Company"  # (over the place its head word suggests)


def test_a_list_that_signs_no_agreement_keeps_the_types_its_words_give(nlp):
    assert typed(nlp, "The storm hit Harlow Bay, Tarn Valley and Pellan Ocean last week.") == {
        "Harlow Bay": "Place", "Tarn Valley": "Place", "Pellan Ocean": "Place"}
    assert typed(nlp, "Harlow Bay and Tarn Valley signed up for more ferries.") == {
        "Harlow Bay": "Place", "Tarn Valley": "Place"}


def test_people_listed_as_signing_an_agreement_stay_people(nlp):
    assert typed(nlp, "Jane Okafor and Tomasz Wrobel signed an agreement.") == {
        "Jane Okafor": "Person", "Tomasz Wrobel": "Person"}


def test_lexicon_places_in_an_agreement_list_stay_places(nlp):
    assert typed(nlp, "Germany and California signed a climate pact.") == {"Germany": "Place", "California": "Place"}


@pytest.mark.parametrize("text, name", [
    ("Marks & Spencer uses a new checkout.", "Marks & Spencer"),
    ("Staff at the Harrow & Finch head office were told on Monday.", "Harrow & Finch"),
    ("Shares in Brenner & Stoltz rose.", "Brenner & Stoltz"),
])
def test_capitalised_words_joined_by_an_ampersand_name_a_company(nlp, text, name):
    assert typed(nlp, text).get(name) == "Company"


def test_a_sentence_opening_word_before_an_ampersand_stays_in_the_name(nlp):
    found = typed(nlp, "Marks & Spencer uses a new checkout.")
    assert "Spencer" not in found and "Marks & Spencer" in found
