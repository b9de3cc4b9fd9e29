"""`kg lookup` on the seeds build: the entity card by any name, as text or JSON, and bad names."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.store import Store

ROOT = Path(__file__).resolve().parents[2]
KG = ROOT / ".venv" / "bin" / "kg"
GRAPH_DATA = ROOT / "tests" / "data" / "graph"


@pytest.fixture
def kg(seeds_store_path: Path):
    runner = CliRunner()

    def run(*args: str, store: Path | None = None):
        return runner.invoke(main, ["--store", str(store or seeds_store_path), *args])

    return run


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


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
