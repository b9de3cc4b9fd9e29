"""kg.lookup: finding an entity by any name, and its card, on the real seeds build.

Ambiguity needs two entities sharing a name, which the seeds lack: tests/data/graph/deals.trig
adds one made-up article where a company and a product are both called "TVS".
"""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import AmbiguousEntityError, InputError, StoreError, UnknownEntityError
from kg.lookup import EntityCard, find_entity, lookup, resolve_entity, suggest
from kg.store import Store

GRAPH_DATA = Path(__file__).parent / "data" / "graph"
SEED_FILES = ["000_ec105b93c477087b.txt", "002_bce34b61fba21d8d.txt"]


def add_trig(store: Store, path: Path) -> None:
    """Add the article graphs of a TriG file the way a build does (named graphs plus the union)."""
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.TRIG):
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    store.add_articles(graphs.items())


@pytest.fixture
def store(seeds_store_path: Path):
    with Store(seeds_store_path, read_only=True) as s:
        yield s


@pytest.fixture
def deals_store(seeds_copy: Path):
    with Store(seeds_copy) as s:
        add_trig(s, GRAPH_DATA / "deals.trig")
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
        with pytest.raises(StoreError, match="holds no articles; run `kg build ARTICLES` first"):
            lookup(empty, "Stellantis")


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
