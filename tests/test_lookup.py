"""kg.lookup: finding an entity by any name, and its card, on the real seeds build.

Ambiguity needs two entities sharing a name, which the seeds lack: tests/data/graph/deals.trig
adds one made-up article where a company and a product are both called "TVS".
"""
from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import AmbiguousEntityError, InputError, StoreError, UnknownEntityError
from kg.graph.cache import cache_path, projection
from kg.identity import EntityIndex
from kg.lookup import EntityCard, _name_table, find_entity, lookup, resolve_entity, suggest
from kg.model import Article, Entity, Event, Evidence, Extraction, Relation
from kg.rdf import article_triples
from kg.store import Store

GRAPH_DATA = Path(__file__).parent / "data" / "graph"
SEED_FILES = ["000_ec105b93c477087b.txt", "002_bce34b61fba21d8d.txt"]



@pytest.fixture
def store(seeds_store_path: Path):
    with Store(seeds_store_path, read_only=True) as s:
        yield s


@pytest.fixture
def deals_store(seeds_copy: Path):
    with Store(seeds_copy) as s:
        s.load_articles(GRAPH_DATA / "deals.trig")
        yield s


@pytest.fixture(scope="module")
def stellantis(seeds_store_path: Path) -> EntityCard:
    with Store(seeds_store_path, read_only=True) as s:
        return lookup(s, "Stellantis")


# -- find_entity ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Microsoft", "microsoft", "MSFT", "msft", "Microsoft Corporation",
                                  "  microsoft   corporation ", "Microsoft (Company)"])
def test_any_name_or_alias_finds_the_entity(store, name):
    assert find_entity(store, name).endswith("/entity/Microsoft")


def test_an_iri_finds_the_entity(store):
    iri = find_entity(store, "Stellantis")
    assert find_entity(store, f"<{iri}>") == iri == find_entity(store, iri)
    with pytest.raises(UnknownEntityError):
        find_entity(store, "<https://example.org/nothing>")


def test_resolve_gives_label_and_leaf_type(store):
    ref = resolve_entity(store, "microsoft azure")
    assert (ref.label, ref.type, str(ref)) == ("Azure", "Platform", "Azure (Platform)")


def test_a_near_miss_gets_suggestions(store):
    with pytest.raises(UnknownEntityError) as caught:
        find_entity(store, "Stellantsi")
    assert str(caught.value) == "no entity named 'Stellantsi'; did you mean Stellantis?"
    assert caught.value.suggestions == ["Stellantis"]
    assert "Microsoft" in suggest(store, "Microsfot")
    assert "Microsoft 365 Copilot" in suggest(store, "copilot")  # a word of a longer name


def test_a_name_far_from_everything_gets_no_suggestion(store):
    with pytest.raises(UnknownEntityError) as caught:
        find_entity(store, "Zyxwvut")
    assert str(caught.value) == "no entity named 'Zyxwvut'"


def test_a_shared_alias_is_ambiguous(deals_store):
    with pytest.raises(AmbiguousEntityError) as caught:
        find_entity(deals_store, "tvs")
    assert str(caught.value) == "'tvs' names 2 entities: Tarnvale Software (Company); Tarnvale Vehicle Suite (Product)"
    # each candidate, as listed, is a name that works
    assert find_entity(deals_store, "Tarnvale Vehicle Suite (Product)").endswith("/Tarnvale_Vehicle_Suite")
    assert find_entity(deals_store, "TVS (Company)").endswith("/Tarnvale_Software")


def test_a_label_wins_over_the_same_name_used_as_an_alias():
    store = Store(None)
    store.add_articles([("https://example.org/article/1", ox.parse("""
        @prefix kg: <https://w3id.org/kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix e: <https://example.org/entity/> .
        e:Apex a kg:Company ; rdfs:label "Apex" ; kg:mentionedIn <https://example.org/article/1> .
        e:Apex_Labs a kg:Company ; rdfs:label "Apex Labs" ; skos:altLabel "apex" ;
            kg:mentionedIn <https://example.org/article/1> .
        """, format=ox.RdfFormat.TURTLE))])
    assert find_entity(store, "APEX") == "https://example.org/entity/Apex"


@pytest.mark.parametrize("name", ['x" } ; DROP ALL #', "}", "# x", "' OR 1=1 --", "\\"])
def test_names_with_quotes_and_braces_are_just_names(seeds_copy, name):
    with Store(seeds_copy) as writable:
        before = writable.dump()
        with pytest.raises(UnknownEntityError):
            find_entity(writable, name)
        assert writable.dump() == before


def test_bad_names_and_empty_stores(store, tmp_path):
    with pytest.raises(InputError, match="empty entity name"):
        find_entity(store, "   ")
    with Store(tmp_path / "empty") as empty:
        assert empty.is_empty() and empty.article_count() == 0
        with pytest.raises(StoreError, match="holds no articles; run `kg build ARTICLES` first"):
            lookup(empty, "Stellantis")
    assert not store.is_empty() and store.article_count() == 2


APEX = """
    @prefix kg: <https://w3id.org/kg/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix e: <https://example.org/entity/> .
    e:Apex a kg:Company ; rdfs:label "Apex" ; kg:mentionedIn <https://example.org/article/1> .
    e:Apex_Labs a kg:Company ; rdfs:label "Apex Labs" ; skos:altLabel "apex", "Apex Laboratories" ;
        kg:mentionedIn <https://example.org/article/1> .
    """


def test_names_resolve_through_the_cached_projection_while_it_is_current(tmp_path):
    path = tmp_path / "store"
    with Store(path) as writable:
        writable.add_articles([("https://example.org/article/1", ox.parse(APEX, format=ox.RdfFormat.TURTLE))])
    with Store(path, read_only=True) as store:
        assert _name_table(store) is None  # no cache file: lookup scans, and never builds one
        assert find_entity(store, "APEX LABORATORIES") == "https://example.org/entity/Apex_Labs"
        assert not cache_path(path).exists()
        projection(store)  # what `kg neighbors` leaves beside the store
        assert _name_table(store) is not None
        assert find_entity(store, "APEX") == "https://example.org/entity/Apex"  # a label beats an alias
        assert find_entity(store, "apex laboratories") == "https://example.org/entity/Apex_Labs"
        with pytest.raises(UnknownEntityError, match="did you mean Apex"):
            find_entity(store, "Apexx")
    with Store(path) as writable:  # the store changes: the cached table no longer answers
        writable.add_articles([("https://example.org/article/2", ox.parse(
            APEX.replace("article/1", "article/2").replace('"Apex Laboratories"', '"Apex Research"'),
            format=ox.RdfFormat.TURTLE))])
    with Store(path, read_only=True) as store:
        assert _name_table(store) is None
        assert find_entity(store, "apex research") == "https://example.org/entity/Apex_Labs"


# -- the card -------------------------------------------------------------------------------------

def test_card_header(stellantis):
    assert (stellantis.label, stellantis.type) == ("Stellantis", "Company")
    assert stellantis.types[0] == "Company" and "Organization" in stellantis.types
    assert stellantis.articles == SEED_FILES


def test_card_relations_with_article_and_sentence(stellantis):
    assert stellantis.related("partnersWith") == ["Microsoft"]
    assert stellantis.related("formerPartnerOf") == ["Amazon"]
    assert stellantis.related("usesPlatform", "out") == ["Azure"]
    assert stellantis.related("deploys", "out") == ["Microsoft 365 Copilot"]
    partner = stellantis.outgoing["partnersWith"][0]
    assert partner.symmetric and partner.other_type == "Company"
    assert {s.article for s in partner.sources} == set(SEED_FILES)
    for source in partner.sources:
        assert "Stellantis" in source.sentence and "Microsoft" in source.sentence
        assert source.start is not None and source.end > source.start
    amazon = stellantis.outgoing["formerPartnerOf"][0]
    assert [s.article for s in amazon.sources] == ["002_bce34b61fba21d8d.txt"]
    assert "Amazon" in amazon.sources[0].sentence


def test_a_symmetric_fact_is_shown_once(stellantis, store):
    assert "partnersWith" not in stellantis.incoming
    microsoft = lookup(store, "msft")
    assert microsoft.related("partnersWith") == ["Stellantis"] and "partnersWith" not in microsoft.incoming
    # the evidence is found whichever way round the sentence put it
    assert {s.article for s in microsoft.outgoing["partnersWith"][0].sources} == set(SEED_FILES)


def test_card_literals_and_incoming_relations(store):
    microsoft = lookup(store, "Microsoft Corporation")
    assert {"Microsoft Corporation", "MSFT"} <= set(microsoft.aliases)
    ticker = microsoft.outgoing["hasTicker"][0]
    assert (ticker.other, ticker.other_iri) == ("MSFT", None)
    assert ticker.sources and "MSFT" in ticker.sources[0].sentence
    azure = lookup(store, "Azure")
    assert azure.related("usesPlatform", "in") == ["Stellantis"]
    assert "Microsoft" in azure.related("develops", "in")
    sophie = lookup(store, "sophie leclerc")
    assert sophie.type == "Person" and sophie.related("jobTitle") == ["technology sector specialist"]


def test_card_events(stellantis):
    kinds = {e.type for e in stellantis.events}
    assert kinds == {"Partnership", "Goal"}
    partnership = next(e for e in stellantis.events if e.type == "Partnership" and e.fields.get("durationYears") == 5)
    assert partnership.role == "participant"
    assert {"Stellantis", "Microsoft"} <= set(partnership.participants)
    assert "artificial intelligence" in partnership.focuses
    assert partnership.sources and partnership.sources[0].article in SEED_FILES
    goal = next(e for e in stellantis.events if e.type == "Goal")
    assert goal.role == "agent" and goal.agents == ["Stellantis"]
    assert goal.fields["changePercent"] == -60 and goal.fields["targetYear"] == 2029


def test_card_as_json(stellantis):
    data = json.loads(stellantis.to_json())
    assert data["label"] == "Stellantis" and data["type"] == "Company"
    partners = data["relations"]["out"]["partnersWith"]
    assert partners[0]["label"] == "Microsoft" and partners[0]["symmetric"] is True
    assert {e["article"] for e in partners[0]["evidence"]} == set(SEED_FILES)
    assert all(e["sentence"] for e in partners[0]["evidence"])
    assert {e["type"] for e in data["events"]} == {"Partnership", "Goal"}


def test_card_as_text(stellantis):
    text = stellantis.to_text(width=100)
    lines = text.splitlines()
    assert lines[0] == "Stellantis (Company)"
    assert "partnersWith <->" in lines and "formerPartnerOf <->" in lines and "usesPlatform ->" in lines
    assert "  Microsoft (Company)" in lines
    assert any(line.startswith('      000_ec105b93c477087b.txt: "') for line in lines)
    assert max(len(line) for line in lines) <= 100
    assert "events" in lines


def test_incoming_only_relations_show_the_other_side(deals_store):
    tarnvale = lookup(deals_store, "Tarnvale")
    assert tarnvale.related("subsidiaryOf", "out") == ["Stellantis"]
    assert tarnvale.related("acquires", "in") == ["Stellantis"]
    assert "<- acquires" in tarnvale.to_text()


def test_the_python_api_delegates_here(seeds_kg):
    assert seeds_kg.lookup("MSFT").label == "Microsoft"


# -- a busy entity: the card is cut short ---------------------------------------------------------

HUB_PARTNERS = 55  # over the cap of 50 entities per property
HUB_ARTICLES = 60  # over the cap of 50 articles (and events: one partnership an article)


def build_hub(path: Path) -> Path:
    """Hubco partners with 55 companies over 60 articles, one Partnership event an article.
    Partner 00 is in 6 of them, with 7 sentences (2 in 000.txt); every other partner in one, with
    one sentence. Hubco also develops Widget (one sentence), a block under every cap."""
    index = EntityIndex("https://example.org/")
    graphs = []
    for k in range(HUB_ARTICLES):
        partner = f"Partner {k:02d}" if k < HUB_PARTNERS else "Partner 00"
        text = f"Hubco teams up with {partner} (story {k})."
        sentences = [Evidence(text, 0, len(text), "rel.partner.with", 0.9)]
        entities = [Entity("Hubco", "Company", frozenset({"HUB"})), Entity(partner, "Company")]
        relations = []
        if k == 0:
            sentences.append(Evidence("Partner 00 and Hubco extend their deal.", 100, 139, "rel.partner.and", 0.8))
            entities.append(Entity("Widget", "Product"))
            relations.append(Relation("Hubco", "develops", "Widget", Evidence("Hubco makes Widget.", 200, 219,
                                                                               "rel.develop", 0.7)))
        relations += [Relation("Hubco", "partnersWith", partner, ev) for ev in sentences]
        article = Article(text, f"{k:03d}.txt", f"/news/{k:03d}.txt", hashlib.sha256(text.encode()).hexdigest())
        extraction = Extraction(article, entities=tuple(entities), relations=tuple(relations),
                                events=(Event("Partnership", sentences[0], participants=("Hubco", partner)),))
        graphs.append(article_triples(extraction, index, base_iri="https://example.org/",
                                      ingested_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))
    with Store(path) as store:
        store.add_articles(graphs)
    return path


@pytest.fixture(scope="module")
def hub_store(tmp_path_factory: pytest.TempPathFactory):
    path = build_hub(tmp_path_factory.mktemp("hub") / "store")
    with Store(path, read_only=True) as s:
        yield s


def test_a_busy_card_keeps_the_best_attested_and_the_full_counts(hub_store):
    card = lookup(hub_store, "hubco")
    assert card.truncated
    partners = card.outgoing["partnersWith"]
    assert len(partners) == 50 and card.relation_counts["out"]["partnersWith"] == HUB_PARTNERS
    assert "Partner 00" in card.related("partnersWith")  # the most sentences
    assert [f.other for f in partners] == sorted(f.other for f in partners)  # shown in the usual order
    best = partners[0]
    assert (best.other, best.evidence_count, len(best.sources)) == ("Partner 00", 7, 3)
    assert len({s.article for s in best.sources}) == 3  # from three articles, not three of one
    assert [(s.article, s.start) for s in best.sources] == sorted((s.article, s.start) for s in best.sources)
    assert (card.article_count, len(card.articles)) == (HUB_ARTICLES, 50)
    assert card.articles == sorted(card.articles)
    assert (card.event_count, len(card.events)) == (HUB_ARTICLES, 50)
    widget = card.outgoing["develops"]  # under the caps: as it always was
    assert [(f.other, f.evidence_count, [s.sentence for s in f.sources]) for f in widget] == \
        [("Widget", 1, ["Hubco makes Widget."])]


def test_no_caps_show_everything(hub_store):
    card = lookup(hub_store, "HUB", max_sources=None, max_others=None)
    assert not card.truncated
    assert len(card.outgoing["partnersWith"]) == HUB_PARTNERS
    best = card.outgoing["partnersWith"][0]
    assert (best.other, best.evidence_count, len(best.sources)) == ("Partner 00", 7, 7)
    assert len(card.articles) == card.article_count == HUB_ARTICLES
    assert len(card.events) == card.event_count == HUB_ARTICLES
    with pytest.raises(InputError, match="max_others must be at least 1"):
        lookup(hub_store, "HUB", max_others=0)


def test_other_caps(hub_store):
    card = lookup(hub_store, "Hubco", max_sources=1, max_others=5)
    assert len(card.outgoing["partnersWith"]) == 5 and len(card.articles) == len(card.events) == 5
    assert all(len(f.sources) == 1 for f in card.facts)
    assert card.outgoing["partnersWith"][0].evidence_count == 7


def test_a_cut_card_as_text_says_what_it_left_out(hub_store):
    lines = lookup(hub_store, "Hubco").to_text(width=100).splitlines()
    assert lines[4].startswith("  articles  ") and lines[4].endswith(", … and 10 more")
    assert lines[4][len("  articles  "):].split(", ")[:-1] == lookup(hub_store, "Hubco").articles  # 50, sorted
    at = lines.index("partnersWith <->")
    assert lines[at + 1] == "  Partner 00 (Company)"
    assert all(re.match(r'      \d{3}\.txt: "', line) for line in lines[at + 2:at + 5])  # 3 sentences
    assert lines[at + 5] == "      … and 4 more sentences"
    assert lines[at + 6] == "  Partner 01 (Company)"
    assert "  … and 5 more (55 in all, the most attested shown)" in lines
    assert lines[lines.index("events") + 1:].count("  … and 10 more events") == 1
    assert lines[-1] == "(some lists are cut short; `kg lookup --all` shows everything)"
    full = lookup(hub_store, "Hubco", max_sources=None, max_others=None).to_text(width=100).splitlines()
    assert not any("… and" in line for line in full) and "cut short" not in full[-1]


def test_a_cut_card_as_json_has_the_counts(hub_store):
    data = json.loads(lookup(hub_store, "Hubco").to_json())
    assert data["truncated"] is True
    assert (len(data["articles"]), data["articleCount"]) == (50, HUB_ARTICLES)
    assert (len(data["events"]), data["eventCount"]) == (50, HUB_ARTICLES)
    assert data["relationCounts"] == {"out": {"develops": 1, "partnersWith": HUB_PARTNERS}, "in": {}}
    best = data["relations"]["out"]["partnersWith"][0]
    assert (best["label"], len(best["evidence"]), best["evidenceCount"]) == ("Partner 00", 3, 7)
    full = json.loads(lookup(hub_store, "Hubco", max_sources=None, max_others=None).to_json())
    assert full["truncated"] is False and len(full["relations"]["out"]["partnersWith"]) == HUB_PARTNERS


def test_cards_under_the_caps_are_whole(hub_store, store):
    for s, name in ((hub_store, "Partner 03"), (hub_store, "Widget"), (store, "Azure"), (store, "Amazon"),
                    (store, "Sophie Leclerc")):
        capped, whole = lookup(s, name), lookup(s, name, max_sources=None, max_others=None)
        assert not capped.truncated
        assert capped.to_text() == whole.to_text() and capped.to_json() == whole.to_json()
    partner = lookup(hub_store, "partner 00")  # its one relation has 7 sentences: 3 shown
    assert partner.truncated and partner.related("partnersWith") == ["Hubco"]
