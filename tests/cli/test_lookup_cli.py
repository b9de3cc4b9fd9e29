"""`kg lookup` on the seeds build: the entity card by any name, as text or JSON, and bad names."""
from __future__ import annotations

import hashlib
import json
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
import pytest

from .conftest import one_line_error
from kg.store import Store

ROOT = Path(__file__).resolve().parents[2]
KG = ROOT / ".venv" / "bin" / "kg"
GRAPH_DATA = ROOT / "tests" / "data" / "graph"




def test_the_card_of_stellantis(kg):
    result = kg("lookup", "Stellantis")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Stellantis (Company)"
    assert "  articles  000_ec105b93c477087b.txt, 002_bce34b61fba21d8d.txt" in lines
    at = lines.index("partnersWith <->")
    assert lines[at + 1] == "  Microsoft (Company)"
    assert lines[at + 2].startswith('      000_ec105b93c477087b.txt: "')
    assert "formerPartnerOf <->" in lines and "  Amazon (Company)" in lines
    assert "usesPlatform ->" in lines and "  Azure (Platform)" in lines
    assert lines.count("partnersWith <->") == 1 and "<- partnersWith" not in lines  # symmetric: once


@pytest.mark.parametrize("name", [["msft"], ["Microsoft", "Corporation"], ["microsoft corporation"], ["MICROSOFT"]])
def test_any_alias_in_any_case(kg, name):
    result = kg("lookup", *name)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Microsoft (Company)"
    assert "Microsoft Corporation" in lines[3] and "MSFT" in lines[3]  # aliases
    assert "hasTicker ->" in lines and '  "MSFT"' in lines


def test_json_for_scripts(kg):
    result = kg("lookup", "Azure", "--format", "json")
    assert result.exit_code == 0
    card = json.loads(result.stdout)
    assert (card["label"], card["type"]) == ("Azure", "Platform")
    assert "Microsoft Azure" in card["aliases"]
    users = card["relations"]["in"]["usesPlatform"]
    assert users[0]["label"] == "Stellantis" and users[0]["evidence"][0]["sentence"]
    assert {e["article"] for e in users[0]["evidence"]} <= {"000_ec105b93c477087b.txt", "002_bce34b61fba21d8d.txt"}


def test_a_near_miss_gets_suggestions(kg):
    one_line_error(kg("lookup", "Stellantsi"), "no entity named 'Stellantsi'; did you mean Stellantis?")


def test_an_unknown_name(kg):
    one_line_error(kg("lookup", "Zyxwvut"), "no entity named 'Zyxwvut'")


def test_a_shared_alias_lists_the_entities(kg, seeds_copy):
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(path=str(GRAPH_DATA / "deals.trig"), format=ox.RdfFormat.TRIG):
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    with Store(seeds_copy) as store:
        store.add_articles(graphs.items())
    one_line_error(kg("lookup", "TVS", store=seeds_copy),
                   "'TVS' names 2 entities: Tarnvale Software (Company); Tarnvale Vehicle Suite (Product)")
    picked = kg("lookup", "TVS (Product)", store=seeds_copy)
    assert picked.exit_code == 0 and picked.stdout.startswith("Tarnvale Vehicle Suite (Product)\n")


@pytest.mark.parametrize("name", ['x" } ; DROP ALL #', "}", "#"])
def test_names_cannot_inject(kg, seeds_copy, name):
    with Store(seeds_copy, read_only=True) as store:
        before = store.dump()
    one_line_error(kg("lookup", name, store=seeds_copy), "no entity named")
    with Store(seeds_copy, read_only=True) as store:
        assert store.dump() == before


def test_empty_and_missing_stores(kg, tmp_path):
    Store(tmp_path / "empty").close()
    one_line_error(kg("lookup", "Stellantis", store=tmp_path / "empty"), "holds no articles; run `kg build")
    one_line_error(kg("lookup", "Stellantis", store=tmp_path / "nowhere"), "no store here")


def test_usage(kg):
    assert kg("lookup").exit_code == 2
    result = kg("lookup", "--help")
    assert result.exit_code == 0 and "Example:\n    kg lookup Stellantis\n" in result.stdout
    assert "--all" in result.stdout and '"truncated"' in result.stdout


@pytest.fixture(scope="module")
def hub_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Hubco partners with 52 companies in 52 articles (one Partnership event each); Partner 00
    has 5 sentences in 5 articles. Over the caps of 50 entities, articles, events, 3 sentences."""
    from kg.identity import EntityIndex
    from kg.model import Article, Entity, Event, Evidence, Extraction, Relation
    from kg.rdf import article_triples

    index = EntityIndex("https://example.org/")
    graphs = []
    for k in range(56):
        partner = f"Partner {k:02d}" if k < 52 else "Partner 00"
        text = f"Hubco teams up with {partner} (story {k})."
        ev = Evidence(text, 0, len(text), "rel.partner.with", 0.9)
        article = Article(text, f"{k:03d}.txt", f"/news/{k:03d}.txt", hashlib.sha256(text.encode()).hexdigest())
        extraction = Extraction(article, entities=(Entity("Hubco", "Company"), Entity(partner, "Company")),
                                relations=(Relation("Hubco", "partnersWith", partner, ev),),
                                events=(Event("Partnership", ev, participants=("Hubco", partner)),))
        graphs.append(article_triples(extraction, index, base_iri="https://example.org/",
                                      ingested_at=datetime(2026, 1, 1, tzinfo=timezone.utc)))
    path = tmp_path_factory.mktemp("hub") / "store"
    with Store(path) as store:
        store.add_articles(graphs)
    return path


def test_a_busy_card_is_cut_short_and_says_so(kg, hub_store):
    result = kg("lookup", "hubco", store=hub_store)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Hubco (Company)" and lines[4].endswith(", … and 6 more")
    at = lines.index("partnersWith <->")
    assert lines[at + 1] == "  Partner 00 (Company)" and lines[at + 5] == "      … and 2 more sentences"
    assert sum(line.startswith("  Partner ") for line in lines) == 50
    assert "  … and 2 more (52 in all, the most attested shown)" in lines
    assert "  … and 6 more events" in lines
    assert lines[-1] == "(some lists are cut short; `kg lookup --all` shows everything)"


def test_all_shows_everything(kg, hub_store):
    result = kg("lookup", "Hubco", "--all", store=hub_store)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert sum(line.startswith("  Partner ") for line in lines) == 52
    at = lines.index("partnersWith <->")
    assert all(line.startswith("      0") for line in lines[at + 2:at + 7])  # Partner 00's 5 sentences
    assert not any("… and" in line or "cut short" in line for line in lines)


def test_json_of_a_busy_card_has_the_counts(kg, hub_store):
    card = json.loads(kg("lookup", "Hubco", "-f", "json", store=hub_store).stdout)
    assert card["truncated"] is True
    assert (len(card["articles"]), card["articleCount"], len(card["events"]), card["eventCount"]) == (50, 56, 50, 56)
    assert card["relationCounts"]["out"]["partnersWith"] == 52
    partners = card["relations"]["out"]["partnersWith"]
    assert len(partners) == 50 and (len(partners[0]["evidence"]), partners[0]["evidenceCount"]) == (3, 5)
    whole = json.loads(kg("lookup", "Hubco", "-f", "json", "--all", store=hub_store).stdout)
    assert whole["truncated"] is False and len(whole["relations"]["out"]["partnersWith"]) == 52
    assert whole["relations"]["out"]["partnersWith"][0]["evidenceCount"] == 5
    small = json.loads(kg("lookup", "Azure", "-f", "json").stdout)  # under the caps: whole
    assert small["truncated"] is False and small["relationCounts"]["in"]["usesPlatform"] == 1


def test_the_installed_command(seeds_store_path):
    done = subprocess.run([str(KG), "--store", str(seeds_store_path), "lookup", "msft", "--format", "json"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)
    assert card["label"] == "Microsoft"
    assert "Stellantis" in [p["label"] for p in card["relations"]["out"]["partnersWith"]]
    missing = subprocess.run([str(KG), "--store", str(seeds_store_path), "lookup", "Stellantsi"],
                             capture_output=True, text=True, timeout=300)
    assert missing.returncode == 1
    assert missing.stderr == "kg: error: no entity named 'Stellantsi'; did you mean Stellantis?\n"
