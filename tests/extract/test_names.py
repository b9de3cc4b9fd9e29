"""Stage 2, names: what the name finder must find, and what it must leave alone.

Every sentence here is invented for the test; the lexicon is a tiny one built in the file.
"""
from __future__ import annotations

import pytest
import spacy

from kg.extract.names import UNTYPED, datelines, split_sentences  # noqa: F401  (registers components)
from kg.lexicon import Lexicon, LexiconEntry

LEXICON = Lexicon(
    [
        LexiconEntry("Microsoft", "Company", ("Microsoft Corporation", "Microsoft Corp."), ("MSFT",)),
        LexiconEntry("Apple", "Company", ("Apple Inc.",), ("AAPL",)),
        LexiconEntry("Toyota", "Company", ("Toyota Motor Corporation",), ("TM",)),
        LexiconEntry("NASDAQ", "Organization", ("Nasdaq",)),
        LexiconEntry("New York Stock Exchange", "Organization", ("NYSE",)),
        LexiconEntry("Azure", "Platform", ("Microsoft Azure",)),
        LexiconEntry("artificial intelligence", "Technology", ("AI",)),
        LexiconEntry("cybersecurity", "Technology", ("cyber security",)),
        LexiconEntry("Germany", "Place", ()),
        LexiconEntry("Silicon Valley", "Place", ()),
    ]
)


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    nlp.add_pipe("kg_names").set_lexicon(LEXICON)
    return nlp


def names(nlp, text: str) -> list[tuple[str, str]]:
    return [(e.text, e.label_) for e in nlp(text).ents]


def texts(nlp, text: str) -> list[str]:
    return [e.text for e in nlp(text).ents]


# -- the lexicon -------------------------------------------------------------------------------


def test_lexicon_names_and_aliases_carry_type_and_canonical_label(nlp):
    doc = nlp("Shares in Microsoft Corporation rose while Apple Inc. fell.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("Microsoft Corporation", "Company", "Microsoft"),
        ("Apple Inc.", "Company", "Apple"),
    ]


def test_capitalised_lexicon_names_match_case_sensitively(nlp):
    assert texts(nlp, "He ate an apple and read about Apple.") == ["Apple"]


def test_lower_case_technology_labels_match_in_any_case(nlp):
    doc = nlp("Artificial intelligence helps. They invest in artificial intelligence and cyber security.")
    found = [(e.text, e.kb_id_) for e in doc.ents]
    assert ("Artificial intelligence", "artificial intelligence") in found
    assert ("artificial intelligence", "artificial intelligence") in found
    assert ("cyber security", "cybersecurity") in found


def test_short_technology_alias_inside_a_hyphenated_word(nlp):
    doc = nlp("They build AI-driven tools.")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("AI", "artificial intelligence")]


def test_tickers_count_only_inside_exchange_brackets(nlp):
    doc = nlp("Microsoft Corp. (NASDAQ:MSFT) rose. MSFT is a ticker, and TM means nothing here.")
    found = [(e.text, e.label_, e.kb_id_) for e in doc.ents]
    assert ("MSFT", "Company", "Microsoft") in found
    assert ("NASDAQ", "Organization", "NASDAQ") in found
    assert [kb for t, _, kb in found if t == "MSFT"] == ["Microsoft", ""]  # the bare one is no lexicon match
    assert [kb for t, _, kb in found if t == "TM"] == [""]  # a bare ticker is only a capitalised word
    assert [(s.text, s.label_) for s in doc.spans["kg_tickers"]] == [("MSFT", "NASDAQ")]


def test_ticker_brackets_with_spaces_several_listings_and_unknown_tickers(nlp):
    doc = nlp("Toyota (NYSE: TM; TYO: 7203) and Zentrix Ltd (LSE: ZTX) reported results.")
    tickers = [(s.text, s.label_) for s in doc.spans["kg_tickers"]]
    assert tickers == [("TM", "NYSE"), ("7203", "TYO"), ("ZTX", "LSE")]
    found = {e.text: (e.label_, e.kb_id_) for e in doc.ents}
    assert found["TM"] == ("Company", "Toyota")
    assert found["ZTX"] == ("Company", "")  # stage 4 gives it to Zentrix Ltd
    assert found["TYO"] == ("Organization", "")


# -- the generic finder ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, name",
    [
        ("The order went to Brightmoor Composites last year.", "Brightmoor Composites"),
        ("Analysts at Bank of Lumeria were cautious.", "Bank of Lumeria"),
        ("They hired Fenwick & Dorrell for the audit.", "Fenwick & Dorrell"),
        ("The rules came from Ursula von der Leyen last week.", "Ursula von der Leyen"),
        ("Staff will get Contoso 365 Assistant next month.", "Contoso 365 Assistant"),
        ("The engines came from Rolls-Royce in the end.", "Rolls-Royce"),
        ("A report by NewsTrackerToday said so.", "NewsTrackerToday"),
        ("The deal with Halvorsen Robotics AS closed.", "Halvorsen Robotics AS"),
        ("Investors backed Zentrix Ltd and others.", "Zentrix Ltd"),
        ("Our partner Kuehne+Nagel agreed.", "Kuehne+Nagel"),
        ("He met Park Jun-ho in Seoul.", "Park Jun-ho"),
        ("The team moved to Windows 11 quickly.", "Windows 11"),
    ],
)
def test_generic_names(nlp, text, name):
    assert name in texts(nlp, text)


def test_generic_names_are_untyped_for_stage_three(nlp):
    assert names(nlp, "The order went to Brightmoor Composites.") == [("Brightmoor Composites", UNTYPED)]


@pytest.mark.parametrize(
    "text, not_a_name",
    [
        ("In March the plant opened. On Tuesday it closed.", "March"),
        ("In March the plant opened. On Tuesday it closed.", "Tuesday"),
        ("Chinese rivals and German suppliers were not invited.", "Chinese"),
        ("Chinese rivals and German suppliers were not invited.", "German"),
        ("Shares of Zentrix rose. Investors cheered.", "Shares"),
        ("Shares of Zentrix rose. Investors cheered.", "Investors"),
        ("Beyond the deal, analysts expect more.", "Beyond"),
        ("According to the filing, prices rose.", "According"),
        ("The plan, I think, works.", "I"),
        ("Prices rose on Oct 7 and again on Jan 9.", "Jan 9"),
    ],
)
def test_words_that_are_not_names(nlp, text, not_a_name):
    assert not any(not_a_name == t or t.startswith(not_a_name + " ") for t in texts(nlp, text))


def test_job_titles_split_a_capitalised_run(nlp):
    found = texts(nlp, "Brightmoor Chief Executive Officer Jane Okafor spoke.")
    assert found == ["Brightmoor", "Jane Okafor"]
    assert texts(nlp, "Prime Minister Ada Lorne spoke.") == ["Ada Lorne"]


def test_title_words_that_belong_to_names_stay(nlp):
    assert "Amazon Prime" in texts(nlp, "Viewers left Amazon Prime for good.")
    assert "General Motors" in texts(nlp, "Suppliers to General Motors met.")


def test_a_title_word_joined_to_a_name_with_no_name_after_it_is_a_name(nlp):
    assert texts(nlp, "Brightmoor and Admiral remain ahead.") == ["Brightmoor", "Admiral"]
    assert texts(nlp, "Orders from Quellhaven and Commander rose.") == ["Quellhaven", "Commander"]


def test_a_title_word_before_a_name_stays_a_title_after_and(nlp):
    assert texts(nlp, "Brightmoor and Admiral Jane Okafor spoke.") == ["Brightmoor", "Jane Okafor"]
    assert "Executive" not in texts(nlp, "Jane Okafor, Chief Executive and Chairman, spoke.")


def test_a_sentence_opening_common_word_is_not_part_of_the_name(nlp):
    assert texts(nlp, "Yesterday Zentrix raised prices.") == ["Zentrix"]


def test_a_known_name_at_the_start_of_a_sentence_is_kept(nlp):
    found = texts(nlp, "General Motors cut prices. Analysts at General Motors met.")
    assert found[0] == "General Motors" and found.count("General Motors") == 2


def test_inflected_common_words_opening_a_sentence_are_not_names(nlp):
    assert texts(nlp, "Separately, prices rose. Following talks, wages rose. Teams met.") == []


def test_title_case_headline_lines_are_skipped_by_the_generic_finder(nlp):
    doc = nlp("Zentrix Buys Brightmoor In Surprise Move\nThe buyer is based in Oslo.")
    assert "Zentrix Buys Brightmoor In Surprise Move" not in [e.text for e in doc.ents]
    assert not any(e.text == "Brightmoor" for e in doc.ents)


def test_lexicon_names_are_still_found_in_headlines(nlp):
    assert texts(nlp, "Microsoft Opens New Lab In Germany\nIt will open soon.") == ["Microsoft", "Germany"]


def test_a_byline_is_not_a_headline(nlp):
    assert "Maria Lindqvist" in texts(nlp, "By Maria Lindqvist\nThe body starts here.")


def test_longest_match_wins_and_lexicon_wins_ties(nlp):
    doc = nlp("They moved to Microsoft Azure and met Silicon Valley founders.")
    assert [(e.text, e.label_, e.kb_id_) for e in doc.ents] == [
        ("Microsoft Azure", "Platform", "Azure"),
        ("Silicon Valley", "Place", "Silicon Valley"),
    ]


def test_a_longer_generic_name_beats_a_shorter_lexicon_name(nlp):
    assert texts(nlp, "The unit Microsoft Research Labs grew.") == ["Microsoft Research Labs"]


def test_hyphenated_pairs_of_known_names_are_split(nlp):
    found = texts(nlp, "Zentrix and Brightmoor agreed. The Zentrix-Brightmoor alliance is new.")
    assert found == ["Zentrix", "Brightmoor", "Zentrix", "Brightmoor"]


def test_hyphen_compounds_end_a_name(nlp):
    assert texts(nlp, "The Wolfsburg-based group and AI-driven tools.") == ["Wolfsburg", "AI"]


def test_possessives_are_not_part_of_a_name(nlp):
    found = texts(nlp, "Zentrix’ plant, Brightmoor's staff and Siemens' board met.")
    assert found == ["Zentrix", "Brightmoor", "Siemens"]


def test_a_given_name_its_possessive_and_a_name_after_it_are_one_name(nlp):
    # an institution named after a person ("Lloyd's Register"), when the article never uses the given name alone
    assert texts(nlp, "Quorvex and Anders's Registry signed an alliance.") == ["Quorvex", "Anders's Registry"]
    assert texts(nlp, "Later, Anders's Registry said so. Anders's Registry grew.") == [
        "Anders's Registry", "Anders's Registry"]


def test_a_given_name_used_alone_elsewhere_keeps_its_possessive_apart(nlp):
    found = texts(nlp, "Anders founded the firm. Later, Anders's Registry grew.")
    assert "Anders's Registry" not in found
    assert texts(nlp, "Zentrix's Registry and Brightmoor's Atlas grew.") == [
        "Zentrix", "Registry", "Brightmoor", "Atlas"]  # (no given name: an owner and what it owns)


def test_wire_datelines_give_a_place_and_a_source():
    nlp = spacy.blank("en")
    doc = nlp("HANOVER, Germany, April 22 (Brightline Wire) - Zentrix signed a deal.")
    found = [(doc[s:e].text, t) for s, e, t in datelines(doc)]
    assert found == [("HANOVER", "Place"), ("Brightline Wire", "MediaOrganization")]
    doc = nlp("BUENOS AIRES, 8 September 2025 - Zentrix signed a deal.")
    assert [(doc[s:e].text, t) for s, e, t in datelines(doc)] == [("BUENOS AIRES", "Place")]


def test_datelines_are_names(nlp):
    doc = nlp("OSLO, May 3 (Nordwire) - Zentrix signed a deal.")
    assert [(e.text, e.label_) for e in doc.ents][:2] == [("OSLO", "Place"), ("Nordwire", "MediaOrganization")]


# -- sentences -------------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_sentences")
    return [s.text.strip() for s in nlp(text).sents]


def test_sentences_keep_closing_quotes_and_survive_abbreviations():
    text = 'He said: "Zentrix is ready." Then he left. Shares of Apple Inc. rose 3%. The U.S. market fell.'
    assert sentences(text) == ['He said: "Zentrix is ready."', "Then he left.", "Shares of Apple Inc. rose 3%.",
                               "The U.S. market fell."]


def test_an_abbreviation_can_end_a_sentence():
    assert sentences("The buyer was Apple Inc. The deal closed.") == ["The buyer was Apple Inc.", "The deal closed."]


def test_paragraphs_and_headlines_end_sentences():
    assert sentences("Zentrix Buys Brightmoor\nThe deal closed\n\nA new paragraph.") == [
        "Zentrix Buys Brightmoor", "The deal closed", "A new paragraph."]


def test_hard_wrapped_lines_do_not_end_sentences():
    line = "word " * 14
    text = "\n".join([line + "and then", line + "with more", line + "text here.", line + "final line", "end."])
    assert len(sentences(text)) == 1


def test_brackets_that_are_no_listing_give_no_ticker(nlp):
    doc = nlp("The photo (Photo: AP) shows Zentrix (Nasdaq: ZTX) staff.")
    assert [(s.text, s.label_) for s in doc.spans["kg_tickers"]] == [("ZTX", "Nasdaq")]
