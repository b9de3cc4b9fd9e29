"""The assembled extractor: Article in, Extraction out; the optional trained pipeline; the seeds end to end.

The relation and event stages belong to other modules; tests of this module's own behaviour
replace them with stand-ins so that they check only what the pipeline adds.
"""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import spacy
from spacy.training import Example

from kg.errors import InputError
from kg.extract.pipeline import Extractor
from kg.lexicon import Lexicon, LexiconEntry, load_lexicon
from kg.model import Article, Event, Evidence, Extraction, Relation

SEEDS = Path("/work/shared/seeds")
SEEDS_GOLD = Path("/work/shared/spec/seeds-gold.json")

LEXICON = Lexicon(
    [
        LexiconEntry("Microsoft", "Company", ("Microsoft Corporation",), ("MSFT",)),
        LexiconEntry("NASDAQ", "Organization", ()),
        LexiconEntry("artificial intelligence", "Technology", ("AI",)),
        LexiconEntry("cybersecurity", "Technology", ()),
        LexiconEntry("robotics", "Technology", ()),
    ]
)
EVIDENCE = Evidence("s", 0, 1, "test", 1.0)


def article(text: str, name: str = "a.txt") -> Article:
    return Article(text=text, name=name, path=f"/tmp/{name}", sha256="0" * 64)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    ex = Extractor(LEXICON)
    ex._find_relations = lambda doc: [Relation("Zentrix", "focusesOn", "artificial intelligence", EVIDENCE)]
    ex._find_events = lambda doc: [Event("Partnership", EVIDENCE, participants=("Zentrix",), focuses=("robotics",))]
    return ex


TEXT = ("Microsoft Corporation (NASDAQ:MSFT) will supply Zentrix Ltd with AI and cybersecurity tools. "
        "The company said robotics matter too. Shares of Zentrix rose.")


def test_extract_returns_entities_mentions_relations_and_events(extractor):
    result = extractor.extract(article(TEXT))
    assert isinstance(result, Extraction)
    assert result.article.name == "a.txt"
    labels = {e.label: e.type for e in result.entities}
    assert labels == {"Microsoft": "Company", "NASDAQ": "Organization", "Zentrix": "Company",
                      "artificial intelligence": "Technology", "robotics": "Technology"}
    assert [r.predicate for r in result.relations] == ["focusesOn"]
    assert [e.type for e in result.events] == ["Partnership"]
    assert result.warnings == ()


def test_technologies_without_a_relation_or_event_are_left_out(extractor):
    result = extractor.extract(article(TEXT))
    assert "cybersecurity" not in {e.label for e in result.entities}
    assert "cybersecurity" not in {m.entity for m in result.mentions}


def test_mentions_cover_names_and_references_with_exact_offsets(extractor):
    result = extractor.extract(article(TEXT))
    for m in result.mentions:
        assert TEXT[m.start : m.end] == m.text
    found = [(m.text, m.entity) for m in result.mentions]
    assert ("Microsoft Corporation", "Microsoft") in found
    assert ("MSFT", "Microsoft") in found
    assert ("The company", "Microsoft") in found
    assert found.count(("Zentrix", "Zentrix")) == 1 and ("Zentrix Ltd", "Zentrix") in found
    assert [m.start for m in result.mentions] == sorted(m.start for m in result.mentions)


def test_the_doc_carries_what_later_stages_read(extractor):
    doc = extractor.doc(article(TEXT))
    assert doc._.kg_article.name == "a.txt"
    assert all(e._.kg_entity in doc._.kg_entities for e in doc.ents)
    assert all(e.label_ == doc._.kg_entities[e._.kg_entity].type for e in doc.ents)
    assert [(r.text, r._.kg_entity) for r in doc.spans["kg_refs"]] == [("The company", "Microsoft")]
    assert len(list(doc.sents)) == 3


def test_extract_many_streams_the_same_results_as_extract(extractor):
    texts = [TEXT, "Jane Okafor joined Zentrix Ltd in May.", "Nothing to see here."]
    arts = [article(t, f"{i}.txt") for i, t in enumerate(texts)]
    many = list(extractor.extract_many(arts, batch_size=2))
    assert [r.article.name for r in many] == ["0.txt", "1.txt", "2.txt"]
    assert many == [extractor.extract(a) for a in arts]


def test_an_empty_article_gives_an_empty_extraction(extractor):
    result = extractor.extract(article("   \n  "))
    assert result.mentions == () and result.entities == ()


def test_missing_later_stages_are_reported_not_fatal():
    ex = Extractor(LEXICON)
    ex._find_relations = None
    ex._find_events = None
    result = ex.extract(article(TEXT))
    assert result.relations == () and result.events == ()
    assert len(result.warnings) == 2


def test_a_spacy_model_that_is_not_installed_is_a_clear_input_error():
    with pytest.raises(InputError) as caught:
        Extractor(LEXICON, spacy_model="xx_kg_no_such_pipeline_sm")
    message = str(caught.value)
    assert "xx_kg_no_such_pipeline_sm" in message and "not installed" in message and "works without it" in message
    assert "\n" not in message


# -- a trained pipeline as extra evidence -------------------------------------------------------------

TRAIN = [
    ("We met Quenby yesterday.", [(7, 13, "ORG")]),
    ("They called Quenby again.", [(12, 18, "ORG")]),
    ("Talks with Orvella went well.", [(11, 18, "ORG")]),
    ("Marit Hallvard spoke briefly.", [(0, 14, "PERSON")]),
    ("Nobody saw Quenby there.", [(11, 17, "ORG")]),
    ("The weather was fine.", []),
]


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory) -> Path:
    random.seed(0)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    examples = [Example.from_dict(nlp.make_doc(t), {"entities": ents}) for t, ents in TRAIN]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(40):
        random.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.0)
    path = tmp_path_factory.mktemp("model") / "tiny_ner"
    nlp.to_disk(path)
    return path


def test_a_trained_pipeline_given_by_path_adds_evidence(tiny_model):
    text = "We met Quenby yesterday."
    plain = Extractor(LEXICON)
    assert plain.doc(article(text))._.kg_entities == {}  # no cue: the offline path drops it
    ex = Extractor(LEXICON, spacy_model=str(tiny_model))
    assert "kg_sentences" in ex.nlp.pipe_names and "ner" in ex.nlp.pipe_names
    doc = ex.doc(article(text))
    assert [e.label_ for e in doc.spans["kg_model"]] == ["ORG"]
    assert {k: e.type for k, e in doc._.kg_entities.items()} == {"Quenby": "Company"}


def test_with_a_trained_pipeline_the_offline_rules_still_run(tiny_model):
    ex = Extractor(LEXICON, spacy_model=str(tiny_model))
    doc = ex.doc(article(TEXT))
    assert {"Microsoft", "Zentrix", "NASDAQ"} <= set(doc._.kg_entities)


# -- the seeds, end to end --------------------------------------------------------------------------


def _seed_entities(lexicon: Lexicon) -> dict[str, object]:
    ex = Extractor(lexicon)
    found = {}
    for path in sorted(SEEDS.glob("*.txt")):
        doc = ex.doc(article(path.read_text(encoding="utf-8"), path.name))
        for label, entity in doc._.kg_entities.items():
            found.setdefault(label, entity)
    return found


@pytest.mark.skipif(not SEEDS_GOLD.exists(), reason="seed articles not available")
@pytest.mark.parametrize("which", ["shipped lexicon", "technologies only"])
def test_the_seed_gold_entities_are_found_with_types_and_aliases(which):
    lexicon = load_lexicon()
    if which == "technologies only":
        lexicon = Lexicon(e for e in lexicon if e.type == "Technology")
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    text = " ".join(p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt"))
    found = _seed_entities(lexicon)
    by_name = {}
    for entity in found.values():
        for name in (entity.label, *entity.aliases):
            by_name.setdefault(name.casefold(), entity)
    for g in gold["entities"]:
        names = [g["label"], *g["aliases"]]
        entity = next((by_name[n.casefold()] for n in names if n.casefold() in by_name), None)
        assert entity is not None, f"{g['label']} not found"
        assert entity.type == g["type"], f"{g['label']}: {entity.type} != {g['type']}"
        forms = {entity.label.casefold(), *(a.casefold() for a in entity.aliases)}
        for name in names:
            if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text):
                assert name.casefold() in forms, f"{g['label']}: {name!r} seen but not an alias"


@pytest.mark.skipif(not SEEDS_GOLD.exists(), reason="seed articles not available")
def test_the_seeds_give_no_entity_outside_the_gold():
    gold = json.loads(SEEDS_GOLD.read_text(encoding="utf-8"))
    names = {n.casefold() for g in gold["entities"] for n in (g["label"], *g["aliases"])}
    found = _seed_entities(load_lexicon())
    extra = [e.label for e in found.values() if e.type != "Technology"
             and not ({e.label.casefold(), *(a.casefold() for a in e.aliases)} & names)]
    assert extra == []


def test_a_path_that_is_no_spacy_pipeline_is_a_clear_input_error(tmp_path):
    with pytest.raises(InputError) as caught:
        Extractor(LEXICON, spacy_model=str(tmp_path))
    assert "cannot be loaded" in str(caught.value) and "\n" not in str(caught.value)


def test_a_name_ending_in_ampersand_and_capitals_does_not_swallow_the_full_stop(extractor):
    text = "Rolls-Royce signed a partnership with AT&T. Marks & Spencer uses Microsoft Azure."
    doc = extractor.doc(article(text))
    assert [s.text for s in doc.sents] == ["Rolls-Royce signed a partnership with AT&T.",
                                           "Marks & Spencer uses Microsoft Azure."]
    labels = {e.label for e in extractor.extract(article(text)).entities}
    assert {"AT&T", "Marks & Spencer"} <= labels
    assert not any("." in label for label in labels)


def test_a_full_stop_after_ordinary_initials_is_still_part_of_them(extractor):
    doc = extractor.doc(article("Shares of U.S. lenders fell."))
    assert "U.S." in [t.text for t in doc]
